// verifyWebhook on real deliveries of ours: an endpoint registered through the client on a real collector, its
// deliveries captured by the test receiver; what verifyWebhook accepts and refuses is what standardwebhooks (the spec's
// own library, through the receiver's verifies) accepts and refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOKING_CONVERSION, testClock } from '../../collector/test/support/fixtures.ts';
import { startReceiver, verifies } from '../../collector/test/support/receiver.ts';
import { verifyWebhook, WebhookVerificationError } from '../src/index.ts';
import { collectorAndClient } from './support/collector.ts';

/** Flips one byte of `s` at `at` (an ASCII letter becomes another). */
const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'a' ? 'b' : 'a') + s.slice(at + 1);

const refused = (e: unknown) => e instanceof WebhookVerificationError;

async function setup(t: { after(fn: () => unknown): void }) {
  // The receiver's clock is the collector's (webhook-timestamp is within 5 minutes of it).
  const clock = testClock(new Date().toISOString());
  const { c, rl } = await collectorAndClient(t, { now: clock.now, config: { webhooks: { allowPrivate: true, timeoutMs: 5_000 } } });
  const receiver = await startReceiver({ now: clock.now });
  t.after(() => receiver.close());
  const endpoint = await rl.webhooks.create({ url: receiver.url, events: ['conversion.created'] });
  receiver.secrets = [endpoint.secret];
  return { c, rl, clock, receiver, endpoint };
}

test('verifyWebhook answers the event of a real delivery, as standardwebhooks does; a flipped byte or an old timestamp throws', async (t) => {
  const { c, rl, clock, receiver, endpoint } = await setup(t);
  const conversion = await rl.track.conversion({ ...BOOKING_CONVERSION });
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const req = receiver.requests[0]!;
  assert.deepEqual(req.verifiedBy, [endpoint.secret], 'the receiver (standardwebhooks) verified it');

  const event = verifyWebhook(endpoint.secret, req.headers, req.body, { now: clock.now });
  assert.equal(event.type, 'conversion.created');
  assert.equal((event.data as { id: number }).id, conversion.id);
  assert.deepEqual(event, JSON.parse(req.body), 'the body as sent, as the spec\'s library answers it');
  // A fetch Headers and the raw bytes (a Buffer) verify the same.
  assert.deepEqual(verifyWebhook(endpoint.secret, new Headers(req.headers), Buffer.from(req.body), { now: clock.now }), event);

  const bodyAt = req.body.indexOf('"data"') + 3;
  const flipped = flip(req.body, bodyAt);
  assert.throws(() => verifyWebhook(endpoint.secret, req.headers, flipped, { now: clock.now }), refused);
  assert.equal(verifies(endpoint.secret, flipped, req.headers, clock.now), false, 'the spec\'s library refuses it too');
  const signature = req.headers['webhook-signature']!;
  assert.throws(() => verifyWebhook(endpoint.secret, { ...req.headers, 'webhook-signature': flip(signature, 10) }, req.body, { now: clock.now }), refused);
  assert.throws(() => verifyWebhook(endpoint.secret, { ...req.headers, 'webhook-id': flip(req.webhookId, 8) }, req.body, { now: clock.now }), refused);
  const { 'webhook-id': _id, ...withoutId } = req.headers;
  assert.throws(() => verifyWebhook(endpoint.secret, withoutId, req.body, { now: clock.now }), /webhook-id header is missing/);

  // Six minutes later the same delivery is a replay: both refuse it. Five minutes is still within the tolerance.
  const later = (ms: number) => () => new Date(clock.now().getTime() + ms);
  assert.throws(() => verifyWebhook(endpoint.secret, req.headers, req.body, { now: later(6 * 60_000) }), /too old/);
  assert.equal(verifies(endpoint.secret, req.body, req.headers, later(6 * 60_000)), false);
  assert.equal(verifyWebhook(endpoint.secret, req.headers, req.body, { now: later(5 * 60_000) }).type, 'conversion.created');
  assert.throws(() => verifyWebhook(endpoint.secret, req.headers, req.body, { now: later(-6 * 60_000) }), /in the future/);
});

test('after a rotation a delivery carries two signatures: the old secret and the new one both verify it', async (t) => {
  const { c, rl, clock, receiver, endpoint } = await setup(t);
  const rotated = await rl.webhooks.rotateSecret(endpoint.id);
  assert.notEqual(rotated.secret, endpoint.secret);
  receiver.secrets = [endpoint.secret, rotated.secret];
  const delivery = await rl.webhooks.test(endpoint.id, { event: 'commission.approved' });
  assert.equal(delivery.event_type, 'commission.approved');
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const req = receiver.requests[0]!;
  assert.equal(req.headers['webhook-signature']!.split(' ').length, 2);
  assert.deepEqual(req.verifiedBy, [endpoint.secret, rotated.secret]);
  for (const secret of [endpoint.secret, rotated.secret]) {
    assert.equal(verifyWebhook(secret, req.headers, req.body, { now: clock.now }).type, 'commission.approved');
  }
  const other = (await rl.webhooks.create({ url: receiver.url })).secret;
  assert.throws(() => verifyWebhook(other, req.headers, req.body, { now: clock.now }), /no signature matches/);
});
