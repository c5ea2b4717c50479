// Delivery of the outbox to a real receiver on a local port (both engines): every request verified with the Standard
// Webhooks library, the retry schedule driven by the injected clock, what a 410, five days of failures, a private
// address, a timeout, a redirect do, two signatures while a rotated secret is valid, the answer's first 2 KB, and a
// shutdown in the middle of an attempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { pino } from 'pino';
import { startTestCollector, TEST_ENGINE, type TestCollector } from '../support/collector.ts';
import { DAY_MS, row, rows, testClock } from '../support/fixtures.ts';
import { startReceiver, verifies, type Answer, type Receiver } from '../support/receiver.ts';
import { expandQueued, subscribeEndpoint, type FixtureEndpoint } from '../support/webhookFixtures.ts';
import { encryptSecret } from '../../src/domain/keys.ts';
import { generateSecret } from '../../src/webhooks/signature.ts';
import { sendAttempt } from '../../src/webhooks/send.ts';
import { FAILING_DISABLE_MS, RETRY_DELAYS_MS } from '../../src/webhooks/schedule.ts';
import { BUSY_EXPAND_BATCH, BUSY_HOLD_MS, BUSY_REQUESTS } from '../../src/webhooks/deliverer.ts';
import { openPgStore } from '../../src/db/pg/store.ts';

type Clock = ReturnType<typeof testClock>;

const WEBHOOKS = '/api/v1/webhooks';

interface Setup {
  c: TestCollector;
  clock: Clock;
  receiver: Receiver;
  endpoint: FixtureEndpoint;
  /** every line the collector logged, as written */
  log: string[];
}

/** A collector on the injected clock, logging to `log`, and an endpoint of its brand on a fresh receiver. */
async function setup(t: { after(fn: () => unknown): void }, opts: {
  events?: string[]; answer?: Receiver['answer']; timeoutMs?: number; allowPrivate?: boolean; url?: (r: Receiver) => string;
} = {}): Promise<Setup> {
  // The receiver's clock is the collector's: the library checks webhook-timestamp within 5 minutes of its now.
  const clock = testClock(new Date().toISOString());
  const log: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { log.push(line); } });
  const c = await startTestCollector({
    now: clock.now, logger,
    config: { webhooks: { allowPrivate: opts.allowPrivate ?? true, timeoutMs: opts.timeoutMs ?? 5_000 } },
  });
  const receiver = await startReceiver({ now: clock.now, ...(opts.answer ? { answer: opts.answer } : {}) });
  t.after(async () => {
    await c.close();
    await receiver.close();
  });
  // Registered as a user does (the API), the secret from its answer.
  const created = await c.call('POST', WEBHOOKS, { url: opts.url ? opts.url(receiver) : receiver.url, events: opts.events ?? ['conversion.created'] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const endpoint = { id: created.body.data.webhook.id as number, secret: created.body.data.webhook.secret as string };
  receiver.secrets = [endpoint.secret];
  return { c, clock, receiver, endpoint, log };
}

let orders = 0;
/** A referred conversion (conversion.created, then commission.created), answered 201. */
async function convert(c: TestCollector): Promise<number> {
  const n = ++orders;
  const r = await c.post('/api/v1/track/conversion', { customer_email: `buyer${n}@example.com`, order_id: `WH-${n}`, order_value: 40, referral_code: 'V2AVMRDJ' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data.id as number;
}

const delivery = (c: TestCollector, endpointId: number) => row(c,
  `SELECT id, event_id, status, attempts, next_attempt_at, attempting_since, delivered_at, last_status_code, last_error
   FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT 1`, endpointId);
const attemptsOf = (c: TestCollector, deliveryId: number) => rows(c,
  `SELECT attempt, webhook_timestamp, started_at, duration_ms, status_code, error, response_body, outcome
   FROM webhook_attempts WHERE delivery_id = ? ORDER BY id`, deliveryId);
const endpointRow = (c: TestCollector, id: number) => row(c,
  'SELECT status, disabled_reason, disabled_at, failing_since FROM webhook_endpoints WHERE id = ?', id);

/** Flips one byte of `s` at `at` (an ASCII letter becomes another). */
const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'a' ? 'b' : 'a') + s.slice(at + 1);

test('each delivery is the committed event, signed: the spec\'s library verifies it, a flipped byte of the body or the signature does not', async (t) => {
  const { c, receiver, endpoint, clock } = await setup(t, { events: ['*'] });
  const conversionId = await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 3);
  assert.equal(receiver.requests.length, 3);
  const stored = await rows(c, 'SELECT event_id, event_type, payload FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id', endpoint.id);
  assert.deepEqual(stored.map((s) => s.event_type), ['conversion.created', 'commission.created', 'referral_record.created']);
  for (const [i, req] of receiver.requests.entries()) {
    assert.deepEqual(req.verifiedBy, [endpoint.secret], `request ${i} verifies with the endpoint's secret`);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/hooks');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.match(req.webhookId, /^msg_[0-9a-f]{32}$/);
    assert.equal(req.headers['webhook-timestamp'], String(Math.floor(clock.now().getTime() / 1000)));
    assert.match(req.headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]{43}=$/);
    const s = stored.find((x) => x.event_id === req.webhookId)!;
    assert.ok(s, 'the webhook-id is the stored event\'s');
    assert.equal(req.body, s.payload, 'the body is the stored payload byte for byte');
    const body = JSON.parse(req.body);
    assert.deepEqual(Object.keys(body), ['type', 'timestamp', 'data']);
    assert.equal(body.type, s.event_type);
  }
  const conversion = JSON.parse(receiver.requests.find((r) => JSON.parse(r.body).type === 'conversion.created')!.body);
  assert.equal(conversion.data.id, conversionId);

  const req = receiver.requests[0]!;
  const bodyAt = req.body.indexOf('"data"') + 3;
  assert.equal(verifies(endpoint.secret, flip(req.body, bodyAt), req.headers, clock.now), false, 'a flipped byte of the body fails');
  const sig = req.headers['webhook-signature']!;
  assert.equal(verifies(endpoint.secret, req.body, { ...req.headers, 'webhook-signature': flip(sig, 10) }, clock.now), false, 'a flipped byte of the signature fails');
  assert.equal(verifies(endpoint.secret, req.body, { ...req.headers, 'webhook-id': flip(req.webhookId, 8) }, clock.now), false, 'another webhook-id fails');
  assert.equal(verifies(generateSecret(), req.body, req.headers, clock.now), false, 'another secret fails');
  assert.equal(verifies(endpoint.secret, req.body, req.headers, clock.now), true, 'the request as sent verifies');
  // Delivered: nothing is sent again.
  clock.advance(DAY_MS);
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, 3);
  assert.deepEqual((await rows(c, 'SELECT status FROM webhook_deliveries WHERE endpoint_id = ?', endpoint.id)).map((r) => r.status), ['delivered', 'delivered', 'delivered']);
});

test('the receiver answers 500 twice: the third attempt delivers, the same webhook-id, each retry when the schedule says and not before', async (t) => {
  const seen = new Map<string, number>();
  const { c, receiver, endpoint, clock } = await setup(t, {
    answer: (req): Answer => {
      const n = (seen.get(req.webhookId) ?? 0) + 1;
      seen.set(req.webhookId, n);
      return n <= 2 ? { status: 500, body: `down ${n}` } : { status: 204 };
    },
  });
  await convert(c);
  const first = clock.now().getTime();
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  let d = await delivery(c, endpoint.id);
  assert.equal(d.status, 'pending');
  assert.equal(d.attempts, 1);
  const due1 = Date.parse(d.next_attempt_at) - first;
  assert.ok(due1 >= RETRY_DELAYS_MS[0]! * 0.9 && due1 <= RETRY_DELAYS_MS[0]! * 1.1, `the second attempt is due 5 s ± 10% later (${due1} ms)`);
  assert.ok((await endpointRow(c, endpoint.id)).failing_since, 'the endpoint is failing since the first failure');

  // Not before its time: just short of the earliest jitter, nothing is sent.
  clock.advance(RETRY_DELAYS_MS[0]! * 0.9 - 10);
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, 1);
  clock.advance(RETRY_DELAYS_MS[0]! * 0.2 + 10); // 5 s × 1.1 after the first attempt
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  assert.equal(receiver.requests.length, 2);
  d = await delivery(c, endpoint.id);
  assert.equal(d.attempts, 2);
  const second = clock.now().getTime();
  const due2 = Date.parse(d.next_attempt_at) - second;
  assert.ok(due2 >= RETRY_DELAYS_MS[1]! * 0.9 && due2 <= RETRY_DELAYS_MS[1]! * 1.1, `the third attempt is due 5 min ± 10% later (${due2} ms)`);

  clock.advance(RETRY_DELAYS_MS[1]! * 0.9 - 10);
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, 2);
  clock.advance(RETRY_DELAYS_MS[1]! * 0.2 + 10);
  assert.equal(await c.deps.deliverer.deliverDue(), 1);

  assert.equal(receiver.requests.length, 3);
  assert.equal(new Set(receiver.requests.map((r) => r.webhookId)).size, 1, 'one webhook-id over the three attempts');
  assert.deepEqual(receiver.requests.map((r) => r.status), [500, 500, 204]);
  assert.deepEqual(receiver.requests.map((r) => r.verifiedBy.length), [1, 1, 1], 'each attempt verifies');
  const stamps = receiver.requests.map((r) => Number(r.headers['webhook-timestamp']));
  assert.ok(stamps[0]! < stamps[1]! && stamps[1]! < stamps[2]!, 'each attempt is signed at its own time');
  assert.equal(receiver.requests[0]!.body, receiver.requests[2]!.body, 'the same body each time');

  d = await delivery(c, endpoint.id);
  assert.equal(d.status, 'delivered');
  assert.equal(d.attempts, 3);
  assert.equal(d.next_attempt_at, null);
  assert.equal(d.last_status_code, 204);
  assert.ok(d.delivered_at);
  const listed = await attemptsOf(c, Number(d.id));
  assert.deepEqual(listed.map((a) => [a.attempt, a.status_code, a.outcome, a.error]),
    [[1, 500, 'failed', null], [2, 500, 'failed', null], [3, 204, 'delivered', null]], 'every attempt is listed');
  assert.deepEqual(listed.map((a) => a.response_body), ['down 1', 'down 2', null]);
  assert.deepEqual(listed.map((a) => Number(a.webhook_timestamp)), stamps);
  // The API lists the delivery and each attempt with its answer.
  const api = await c.call('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`);
  assert.equal(api.status, 200, JSON.stringify(api.body));
  assert.deepEqual(api.body.data.deliveries.map((x: any) => [x.event_id, x.status, x.attempts, x.last_status_code]), [[d.event_id, 'delivered', 3, 204]]);
  const detail = await c.call('GET', `${WEBHOOKS}/${endpoint.id}/deliveries/${d.id}`);
  assert.deepEqual(detail.body.data.delivery.attempt_list.map((a: any) => [a.attempt, a.status_code, a.outcome, a.response_body]),
    [[1, 500, 'failed', 'down 1'], [2, 500, 'failed', 'down 2'], [3, 204, 'delivered', null]]);
  assert.equal((await endpointRow(c, endpoint.id)).failing_since, null, 'a delivery ends the failing period');
  clock.advance(DAY_MS);
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, 3);
});

test('a 410 disables the endpoint at once (gone), says so in the log, and nothing more is sent; no secret nor URL query in the log', async (t) => {
  const { c, receiver, endpoint, clock, log } = await setup(t, {
    answer: () => ({ status: 410, body: 'gone' }),
    url: (r) => `${r.url}?token=QUERY-SECRET-123`,
  });
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  assert.equal(receiver.requests.length, 1);
  assert.equal(receiver.requests[0]!.path, '/hooks?token=QUERY-SECRET-123');
  const e = await endpointRow(c, endpoint.id);
  assert.equal(e.status, 'disabled');
  assert.equal(e.disabled_reason, 'gone');
  assert.ok(e.disabled_at);
  const d = await delivery(c, endpoint.id);
  assert.equal(d.last_status_code, 410);
  const shown = (await c.call('GET', `${WEBHOOKS}/${endpoint.id}`)).body.data.webhook;
  assert.deepEqual([shown.status, shown.disabled_reason], ['disabled', 'gone'], 'the endpoint says so');
  // Disabled: no retry however long, and new events write no delivery for it.
  await convert(c);
  clock.advance(30 * DAY_MS);
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, 1);
  assert.equal((await rows(c, 'SELECT id FROM webhook_deliveries WHERE endpoint_id = ?', endpoint.id)).length, 1);

  const warned = log.map((l) => JSON.parse(l)).filter((l) => l.msg?.startsWith('webhook endpoint disabled'));
  assert.equal(warned.length, 1, log.join(''));
  assert.equal(warned[0].endpoint_id, endpoint.id);
  assert.equal(warned[0].brand_id, c.brand.brand_id);
  assert.equal(warned[0].reason, 'gone');
  assert.equal(warned[0].level, 40);
  const all = log.join('');
  assert.ok(!all.includes('QUERY-SECRET-123'), 'the URL\'s query is not logged');
  assert.ok(!all.includes(endpoint.secret) && !all.includes('whsec_'), 'the secret is not logged');
});

test('a 410 stops the endpoint at once under a backlog too: no attempt is started after the first answer came', async (t) => {
  const { c, receiver, endpoint } = await setup(t, { events: ['*'], answer: () => ({ status: 410, body: 'gone' }) });
  // 30 conversions, 90 deliveries due together (each conversion's, its commission's and its record's): the first claim
  // takes 10 (the sockets), and a 410 among their answers
  // must stop every later claim, even though the answers are written a few milliseconds after they came.
  for (let i = 0; i < 30; i++) await convert(c);
  await expandQueued(c);
  assert.equal((await rows(c, "SELECT id FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'", endpoint.id)).length, 90);
  await c.deps.deliverer.deliverDue();
  assert.ok(receiver.requests.length <= 10, `${receiver.requests.length} requests to an endpoint that answered 410`);
  assert.equal((await endpointRow(c, endpoint.id)).status, 'disabled');
});

test("an answer's job that meets a deadlock is retried whole on PostgreSQL; on SQLite, where none can happen there, that answer alone fails and its delivery stays due", async (t) => {
  const { c, receiver, endpoint } = await setup(t);
  await convert(c);
  // The first write of an answer meets what PostgreSQL answers a deadlock with (40P01); the next one goes through.
  const webhooks = c.deps.q.webhooks;
  const record = webhooks.recordAttempt.bind(webhooks);
  let failures = 0;
  webhooks.recordAttempt = async (...args) => {
    if (failures++ === 0) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    return record(...args);
  };
  t.after(() => { webhooks.recordAttempt = record; });
  await c.deps.deliverer.deliverDue();
  assert.equal(receiver.requests.length, 1);
  const d = await delivery(c, endpoint.id);
  if (TEST_ENGINE === 'pg') {
    assert.equal(d.status, 'delivered', 'the job was run again, and the answer written');
    assert.equal((await attemptsOf(c, Number(d.id))).length, 1);
  } else {
    assert.equal(d.status, 'pending');
    assert.equal((await attemptsOf(c, Number(d.id))).length, 0, 'nothing of that answer was kept');
  }
});

test('an endpoint whose attempts all fail for five days is disabled (failing), says so, and the log says so', async (t) => {
  const { c, receiver, endpoint, clock, log } = await setup(t, { answer: () => ({ status: 503, body: 'maintenance' }) });
  const start = clock.now().getTime();
  await convert(c);
  // Follow the schedule: the clock goes to the next due attempt; when none is left (a delivery fails for good after
  // 10 attempts, about 3.2 days), a new event comes in the next day.
  let rounds = 0;
  while ((await endpointRow(c, endpoint.id)).status === 'enabled') {
    assert.ok(++rounds < 100 && clock.now().getTime() - start < 7 * DAY_MS, 'disabled within 7 days');
    const next = await row(c, `SELECT min(next_attempt_at) AS at FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'`, endpoint.id);
    if (next?.at) clock.advance(Math.max(0, Date.parse(next.at) - clock.now().getTime()));
    else {
      clock.advance(DAY_MS / 2);
      await convert(c);
    }
    assert.ok(await c.deps.deliverer.deliverDue() >= 1);
  }
  const e = await endpointRow(c, endpoint.id);
  assert.equal(e.disabled_reason, 'failing');
  const attempts = await rows(c, `SELECT a.started_at FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
    WHERE d.endpoint_id = ? ORDER BY a.started_at, a.id`, endpoint.id);
  const firstFailure = Date.parse(attempts[0]!.started_at);
  assert.equal(Date.parse(e.failing_since), firstFailure, 'failing since the first failed attempt');
  const last = Date.parse(attempts.at(-1)!.started_at);
  const beforeLast = Date.parse(attempts.at(-2)!.started_at);
  assert.ok(last - firstFailure >= FAILING_DISABLE_MS, 'disabled at the first failure 5 days after the first');
  assert.ok(beforeLast - firstFailure < FAILING_DISABLE_MS, 'and not at an earlier one');
  assert.equal(Date.parse(e.disabled_at), last);
  const shown = (await c.call('GET', `${WEBHOOKS}/${endpoint.id}`)).body.data.webhook;
  assert.deepEqual([shown.status, shown.disabled_reason, shown.failing_since], ['disabled', 'failing', e.failing_since], 'the endpoint says so');
  // The first delivery had every attempt of the schedule, then failed for good.
  const firstDelivery = await row(c, 'SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id LIMIT 1', endpoint.id);
  assert.deepEqual({ ...firstDelivery }, { status: 'failed', attempts: RETRY_DELAYS_MS.length + 1, next_attempt_at: null });
  const sent = receiver.requests.length;
  clock.advance(DAY_MS);
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, sent, 'nothing is sent to a disabled endpoint');
  const warned = log.map((l) => JSON.parse(l)).filter((l) => l.msg === 'webhook endpoint disabled: every attempt failed for 5 days');
  assert.equal(warned.length, 1);
  assert.equal(warned[0].endpoint_id, endpoint.id);
  assert.equal(warned[0].reason, 'failing');
  assert.ok(!log.join('').includes(endpoint.secret));
});

test('without REFERLOOP_WEBHOOK_ALLOW_PRIVATE, loopback (literal, by name after DNS, IPv4-mapped) and metadata addresses are refused and nothing connects', async (t) => {
  // A bare TCP listener: any connection at all, TLS or not, is counted.
  const sockets: Socket[] = [];
  const tcp = createTcpServer((s) => { sockets.push(s); s.destroy(); });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
  const port = (tcp.address() as { port: number }).port;
  t.after(() => new Promise<void>((resolve) => tcp.close(() => resolve())));

  const clock = testClock(new Date().toISOString());
  const c = await startTestCollector({ now: clock.now, config: { webhooks: { allowPrivate: false, timeoutMs: 2_000 } } });
  t.after(() => c.close());
  const cases: Array<[url: string, error: RegExp]> = [
    [`https://127.0.0.1:${port}/hooks`, /^refused: a loopback address \(127\.0\.0\.1\)$/],
    [`http://127.0.0.1:${port}/hooks`, /^refused: a loopback address \(127\.0\.0\.1\)$/],
    // After DNS only the kind of address is told (the brand reads it; the operator's network is not theirs to map).
    [`https://localhost:${port}/hooks`, /^refused: localhost resolves to a loopback address$/],
    [`https://[::ffff:127.0.0.1]:${port}/hooks`, /^refused: a loopback address \(127\.0\.0\.1\)$/],
    ['https://169.254.169.254/latest/meta-data/', /^refused: a link-local or metadata address \(169\.254\.169\.254\)$/],
    [`https://10.0.0.1:${port}/`, /^refused: a private address \(10\.0\.0\.1\)$/],
  ];
  const endpoints = [];
  for (const [url] of cases) endpoints.push(await subscribeEndpoint(c, ['conversion.created'], { url }));
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), cases.length);
  for (const [i, [url, error]] of cases.entries()) {
    const d = await delivery(c, endpoints[i]!.id);
    assert.equal(d.status, 'pending', url);
    const [a] = await attemptsOf(c, Number(d.id));
    assert.match(a.error, error, url);
    assert.equal(a.status_code, null);
    assert.equal(a.outcome, 'failed');
  }
  assert.equal(sockets.length, 0, 'nothing connected to the local listener');

  // The control: allowed, the same look-up connects (the listener counts it), so the count above means something.
  const allowed = await sendAttempt(`https://localhost:${port}/hooks`, {}, '{}', { timeoutMs: 2_000, allowPrivate: true });
  assert.equal(allowed.delivered, false);
  assert.ok(sockets.length >= 1, 'allowed, localhost connects');
});

test('a receiver that never answers is a timeout (a failure, retried); a 302 is a redirect failure and is not followed', async (t) => {
  const hold = await setup(t, { timeoutMs: 300, answer: () => 'hold' });
  await convert(hold.c);
  const started = performance.now();
  assert.equal(await hold.c.deps.deliverer.deliverDue(), 1);
  assert.ok(performance.now() - started >= 290, 'the attempt waited for the timeout');
  let d = await delivery(hold.c, hold.endpoint.id);
  assert.equal(d.status, 'pending');
  assert.equal(d.last_error, 'timeout');
  assert.equal(d.last_status_code, null);
  const [a] = await attemptsOf(hold.c, Number(d.id));
  assert.equal(a.error, 'timeout');
  assert.ok(a.duration_ms >= 290 && a.duration_ms < 2_000, String(a.duration_ms));
  assert.ok(d.next_attempt_at > hold.clock.now().toISOString(), 'retried later');

  const redirect = await setup(t, {
    answer: (req) => (req.path === '/hooks' ? { status: 302, headers: { location: '/elsewhere' }, body: 'moved' } : { status: 200 }),
  });
  await convert(redirect.c);
  assert.equal(await redirect.c.deps.deliverer.deliverDue(), 1);
  d = await delivery(redirect.c, redirect.endpoint.id);
  assert.equal(d.status, 'pending');
  assert.equal(d.last_status_code, 302);
  assert.equal(d.last_error, 'redirect');
  assert.deepEqual(redirect.receiver.requests.map((r) => r.path), ['/hooks'], 'the Location was not followed');
  const [r] = await attemptsOf(redirect.c, Number(d.id));
  assert.deepEqual([r.status_code, r.error, r.outcome], [302, 'redirect', 'failed']);
});

test('a rotated secret: both signatures while the previous one is valid (24 h), each verifies; after that only the new one', async (t) => {
  const { c, receiver, endpoint, clock } = await setup(t);
  const rotated = await c.call('POST', `${WEBHOOKS}/${endpoint.id}/rotate-secret`);
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
  const fresh = rotated.body.data.webhook.secret as string;
  assert.notEqual(fresh, endpoint.secret);
  receiver.secrets = [endpoint.secret, fresh];
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const during = receiver.requests[0]!;
  assert.equal(during.headers['webhook-signature']!.split(' ').length, 2, 'two signatures');
  assert.deepEqual(during.verifiedBy.sort(), [endpoint.secret, fresh].sort(), 'each secret verifies');

  clock.advance(DAY_MS - 1_000);
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  assert.equal(receiver.requests[1]!.headers['webhook-signature']!.split(' ').length, 2, 'still two a second before 24 h');

  clock.advance(1_000);
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const after = receiver.requests[2]!;
  assert.equal(after.headers['webhook-signature']!.split(' ').length, 1, 'one signature after 24 h');
  assert.deepEqual(after.verifiedBy, [fresh], 'only the new secret verifies');
});

test('the answer kept is its first 2 KB, cut at a character, and any bytes an engine can store', async (t) => {
  const bodies = ['x'.repeat(10_000), 'a' + 'é'.repeat(5_000), 'nul\u0000byte'];
  const { c, endpoint } = await setup(t, {
    answer: (req) => ({ status: 200, body: bodies[Number(JSON.parse(req.body).data.order_id.slice(3)) % bodies.length]! }),
  });
  // The order numbers are global to this file: the body is picked by order number, each seen once.
  const kept = new Map<string, string>();
  for (let i = 0; i < bodies.length; i++) await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), bodies.length);
  for (const a of await rows(c, `SELECT d.payload, a.response_body, a.outcome FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
    WHERE d.endpoint_id = ?`, endpoint.id)) {
    assert.equal(a.outcome, 'delivered');
    kept.set(bodies[Number(JSON.parse(a.payload).data.order_id.slice(3)) % bodies.length]!, a.response_body);
  }
  const long = kept.get(bodies[0]!)!;
  assert.equal(long, 'x'.repeat(2048));
  const wide = kept.get(bodies[1]!)!;
  assert.ok(Buffer.byteLength(wide) <= 2048, `at most 2 KB (${Buffer.byteLength(wide)} bytes)`);
  assert.equal(wide, 'a' + 'é'.repeat(1023), 'cut before a character the limit would split');
  assert.equal(kept.get(bodies[2]!), 'nul\uFFFDbyte', 'a NUL byte is kept as U+FFFD (PostgreSQL text cannot hold it)');
});

test('a shutdown in the middle of an attempt gives the claim back: not counted, due at once for the next start', async (t) => {
  const { c, receiver, endpoint } = await setup(t, { answer: () => 'hold' });
  await convert(c);
  const round = c.deps.deliverer.deliverDue();
  await receiver.untilRequests(1);
  const claimed = await delivery(c, endpoint.id);
  assert.equal(claimed.attempts, 1);
  assert.ok(claimed.attempting_since, 'claimed while the attempt is under way');
  await c.deps.deliverer.stop();
  await round;
  const d = await delivery(c, endpoint.id);
  assert.equal(d.status, 'pending');
  assert.equal(d.attempts, 0, 'the cut attempt is not counted');
  assert.equal(d.attempting_since, null);
  assert.ok(d.next_attempt_at <= c.deps.now().toISOString(), 'due at once');
  assert.deepEqual(await attemptsOf(c, Number(d.id)), [], 'and not listed as an attempt');
});

test('first attempts leave in commit order, at most 10 under way at once to one endpoint', async (t) => {
  let underWay = 0;
  let most = 0;
  const { c, receiver, endpoint } = await setup(t, {
    answer: async () => {
      most = Math.max(most, ++underWay);
      await new Promise((r) => setTimeout(r, 30));
      underWay--;
      return { status: 200 };
    },
  });
  for (let i = 0; i < 25; i++) await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 25);
  assert.equal(receiver.delivered().size, 25);
  assert.equal(most, 10, 'ten at once, never more');
  assert.deepEqual(receiver.requests.slice(0, 10).map((r) => r.webhookId).sort(),
    (await rows(c, 'SELECT event_id FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id LIMIT 10', endpoint.id)).map((r) => r.event_id).sort(),
    'the oldest ten leave first');
});

/** `n` deliveries of one endpoint written straight, as the outbox and the deliverer would have left them, one attempt each. */
async function seedDeliveries(c: TestCollector, endpoint: { id: number; brandId: string }, n: number,
  o: { tag: string; status: 'pending' | 'delivered' | 'failed'; createdAt: string; lastAttemptAt: string | null }): Promise<void> {
  await c.deps.queue.run(async () => {
    await c.deps.db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @n)
       INSERT INTO webhook_deliveries (brand_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, last_attempt_at, delivered_at, created_at)
       SELECT @brandId, @endpointId, @tag || '_' || i, 'conversion.created', '{}', @status, 1, @next, @last, @delivered, @createdAt FROM n`,
    ).run({
      n, brandId: endpoint.brandId, endpointId: endpoint.id, tag: o.tag, status: o.status, createdAt: o.createdAt, last: o.lastAttemptAt,
      next: o.status === 'pending' ? o.createdAt : null, delivered: o.status === 'delivered' ? o.lastAttemptAt : null,
    });
    await c.deps.db.prepare(
      `INSERT INTO webhook_attempts (brand_id, delivery_id, attempt, webhook_timestamp, started_at, duration_ms, status_code, outcome)
       SELECT brand_id, id, 1, 0, COALESCE(last_attempt_at, created_at), 5, 200, 'delivered' FROM webhook_deliveries
       WHERE brand_id = ? AND endpoint_id = ? AND event_id LIKE ?`,
    ).run(endpoint.brandId, endpoint.id, `${o.tag}_%`);
  });
}

test('the prune: finished deliveries idle for 30 days go with their attempts, in batches of 500, at most once an hour; pending, recently resent and newer ones stay', async (t) => {
  const clock = testClock(new Date().toISOString());
  const c = await startTestCollector({ now: clock.now, config: { webhooks: { allowPrivate: true, timeoutMs: 1_000 } } });
  t.after(() => c.close());
  const other = await c.addBrand();
  const mine = { id: (await subscribeEndpoint(c, ['*'])).id, brandId: c.brand.brand_id };
  const theirs = { id: (await subscribeEndpoint(c, ['*'], { brand: other })).id, brandId: other.brand_id };
  const ago = (days: number) => new Date(clock.now().getTime() - days * DAY_MS).toISOString();
  await seedDeliveries(c, mine, 1_100, { tag: 'olddelivered', status: 'delivered', createdAt: ago(40), lastAttemptAt: ago(40) });
  await seedDeliveries(c, mine, 50, { tag: 'oldfailed', status: 'failed', createdAt: ago(39), lastAttemptAt: ago(36) });
  await seedDeliveries(c, mine, 5, { tag: 'oldpending', status: 'pending', createdAt: ago(38), lastAttemptAt: null });
  await seedDeliveries(c, mine, 5, { tag: 'resent', status: 'delivered', createdAt: ago(37), lastAttemptAt: ago(2) });
  // Inside the window by half an hour: they go at the next run, an hour later.
  await seedDeliveries(c, mine, 7, { tag: 'edge', status: 'failed', createdAt: ago(30 - 1 / 48), lastAttemptAt: ago(30 - 1 / 48) });
  await seedDeliveries(c, mine, 20, { tag: 'recent', status: 'delivered', createdAt: ago(10), lastAttemptAt: ago(10) });
  await seedDeliveries(c, theirs, 600, { tag: 'theirold', status: 'delivered', createdAt: ago(31), lastAttemptAt: ago(31) });
  await seedDeliveries(c, theirs, 3, { tag: 'theirnew', status: 'failed', createdAt: ago(29), lastAttemptAt: ago(29) });

  // One batch, timed: on SQLite (synchronous: the event loop waits for it) well within 100 ms; PostgreSQL's runs on the
  // server while the event loop goes on.
  const started = performance.now();
  const first = await c.deps.queue.run(() => c.deps.q.webhooks.pruneBatch(mine, 0, ago(30), 500));
  const batchMs = performance.now() - started;
  t.diagnostic(`one prune batch (500 deliveries, 500 attempts): ${batchMs.toFixed(1)} ms`);
  assert.deepEqual({ deleted: first.deleted, attempts: first.attempts }, { deleted: 500, attempts: 500 });
  assert.ok(first.last !== null, 'the batch was all old: the walk goes on after it');
  if (TEST_ENGINE === 'sqlite') assert.ok(batchMs < 100, `a batch takes ${batchMs} ms`);

  assert.equal(await c.deps.deliverer.pruneIfDue(), 600 + 50 + 600);
  const kept = async (e: { id: number; brandId: string }) => (await rows(c,
    'SELECT event_id FROM webhook_deliveries WHERE brand_id = ? AND endpoint_id = ? ORDER BY id', e.brandId, e.id)).map((r) => r.event_id.replace(/_\d+$/, ''));
  const tally = (tags: string[]) => Object.fromEntries([...new Set(tags)].map((x) => [x, tags.filter((y) => y === x).length]));
  assert.deepEqual(tally(await kept(mine)), { oldpending: 5, resent: 5, edge: 7, recent: 20 });
  assert.deepEqual(tally(await kept(theirs)), { theirnew: 3 });
  assert.equal((await row(c, 'SELECT count(*) AS n FROM webhook_attempts')).n, 40, 'the kept deliveries\' attempts, and no others');
  assert.equal((await row(c, `SELECT count(*) AS n FROM webhook_attempts a LEFT JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.id IS NULL`)).n, 0);

  // At most once an hour.
  assert.equal(c.deps.deliverer.pruneIfDue(), null, 'not again at once');
  clock.advance(59 * 60_000);
  assert.equal(c.deps.deliverer.pruneIfDue(), null, 'nor after 59 minutes');
  clock.advance(60_000);
  assert.equal(await c.deps.deliverer.pruneIfDue(), 7, 'an hour after the last one');
  assert.deepEqual(tally(await kept(mine)), { oldpending: 5, resent: 5, recent: 20 });
});

test('the prune: a deleted endpoint\'s pending deliveries (never to be sent) go too once 30 days old; a live endpoint\'s stay', async (t) => {
  const clock = testClock(new Date().toISOString());
  const c = await startTestCollector({ now: clock.now, config: { webhooks: { allowPrivate: true, timeoutMs: 1_000 } } });
  t.after(() => c.close());
  const gone = { id: (await subscribeEndpoint(c, ['*'])).id, brandId: c.brand.brand_id };
  const live = { id: (await subscribeEndpoint(c, ['*'])).id, brandId: c.brand.brand_id };
  const ago = (days: number) => new Date(clock.now().getTime() - days * DAY_MS).toISOString();
  await seedDeliveries(c, gone, 4, { tag: 'gonepending', status: 'pending', createdAt: ago(40), lastAttemptAt: null });
  await seedDeliveries(c, gone, 2, { tag: 'gonerecent', status: 'pending', createdAt: ago(3), lastAttemptAt: null });
  await seedDeliveries(c, live, 3, { tag: 'livepending', status: 'pending', createdAt: ago(40), lastAttemptAt: null });
  assert.equal((await c.call('DELETE', `/api/v1/webhooks/${gone.id}`)).status, 200);
  assert.equal(await c.deps.deliverer.pruneIfDue(), 4);
  const left = await rows(c, 'SELECT endpoint_id, event_id FROM webhook_deliveries WHERE brand_id = ? ORDER BY id', c.brand.brand_id);
  assert.deepEqual(left.map((r) => `${Number(r.endpoint_id) === gone.id ? 'gone' : 'live'} ${r.event_id.replace(/_\d+$/, '')}`),
    ['gone gonerecent', 'gone gonerecent', 'live livepending', 'live livepending', 'live livepending']);
});

test('an endpoint rotated or deleted during a round: nothing more is claimed with what was read; the next round signs with the new secret, a deleted endpoint gets nothing', async (t) => {
  const fresh = generateSecret();
  let change: (() => Promise<void>) | null = null;
  const { c, receiver, endpoint } = await setup(t, {
    answer: async () => {
      const now = change;
      change = null;
      if (now) await now();
      await new Promise((r) => setTimeout(r, 20));
      return { status: 200 };
    },
  });
  const write = (sql: string, ...params: unknown[]) => c.deps.queue.run(async () => {
    await c.deps.db.prepare(sql).run(...params);
    await c.deps.q.webhooks.subscriptionsChanged();
  });
  for (let i = 0; i < 30; i++) await convert(c);
  // Rotated (no previous secret kept) while the first claim's ten are under way.
  change = () => write('UPDATE webhook_endpoints SET secret_sealed = ? WHERE id = ?', encryptSecret(fresh, c.deps.masterKey), endpoint.id);
  receiver.secrets = [endpoint.secret, fresh];
  assert.equal(await c.deps.deliverer.deliverDue(), 10, 'the round ends after the claim made before the rotation');
  assert.ok(receiver.requests.every((r) => r.verifiedBy.join() === endpoint.secret));
  assert.equal(await c.deps.deliverer.deliverDue(), 20);
  assert.ok(receiver.requests.slice(10).every((r) => r.verifiedBy.join() === fresh), 'the next round signs with the new secret');

  for (let i = 0; i < 15; i++) await convert(c);
  change = () => write('UPDATE webhook_endpoints SET deleted_at = ? WHERE id = ?', c.deps.now().toISOString(), endpoint.id);
  assert.equal(await c.deps.deliverer.deliverDue(), 10, 'deleted: the claim under way finishes, nothing more');
  assert.equal(await c.deps.deliverer.deliverDue(), 0);
  assert.equal(receiver.requests.length, 40);
});

test('one endpoint\'s slow answers never hold up another\'s: an event for a second endpoint is delivered while the first one\'s attempt is still under way', async (t) => {
  let release: () => void = () => undefined;
  const slow = await setup(t, { answer: () => new Promise<Answer>((resolve) => { release = () => resolve({ status: 200 }); }) });
  const fast = await startReceiver({ now: slow.clock.now });
  t.after(() => fast.close());
  const created = await slow.c.call('POST', WEBHOOKS, { url: fast.url, events: ['claim.created'] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  fast.secrets = [created.body.data.webhook.secret];
  await convert(slow.c);
  const first = slow.c.deps.deliverer.deliverDue();
  await slow.receiver.untilRequests(1);
  const claim = await slow.c.post('/api/v1/track/claim', { referral_code: 'V2AVMRDJ', email: 'claimer@example.com' });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  // The second round delivers the claim at once, while the conversion's attempt is still held.
  assert.equal(await slow.c.deps.deliverer.deliverDue(), 1);
  assert.equal(fast.requests.length, 1);
  assert.deepEqual(fast.requests[0]!.verifiedBy, fast.secrets);
  assert.equal(slow.receiver.requests[0]!.status, null, 'the first endpoint\'s attempt is still under way');
  release();
  assert.equal(await first, 1);
  assert.equal((await delivery(slow.c, slow.endpoint.id)).status, 'delivered');
});

test('the status decides once it came: a 2xx whose body never ends is delivered; a 500 whose body never ends fails as a timeout', async (t) => {
  const clock = testClock(new Date().toISOString());
  const c = await startTestCollector({ now: clock.now, config: { webhooks: { allowPrivate: true, timeoutMs: 300 } } });
  t.after(() => c.close());
  const stalled: ServerResponse[] = [];
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url === '/ok' ? 200 : 500, { 'content-type': 'text/plain' });
      res.write('partial');
      stalled.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => { for (const r of stalled) r.destroy(); server.closeAllConnections(); server.close(); });
  const port = (server.address() as { port: number }).port;
  for (const path of ['/ok', '/bad']) {
    const created = await c.call('POST', WEBHOOKS, { url: `http://127.0.0.1:${port}${path}`, events: ['conversion.created'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 2);
  const got = await rows(c, `SELECT e.url, d.status, a.status_code, a.error, a.response_body FROM webhook_attempts a
    JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN webhook_endpoints e ON e.id = d.endpoint_id ORDER BY e.id`);
  assert.deepEqual(got.map((g) => [g.url.slice(g.url.lastIndexOf('/')), g.status, g.status_code, g.error, g.response_body]), [
    ['/ok', 'delivered', 200, null, 'partial'],
    ['/bad', 'pending', 500, 'timeout', 'partial'],
  ]);
});

test('a secret the master key cannot open (the database moved without its master.key): nothing is sent, the attempt fails and is retried by the schedule', async (t) => {
  const s = await setup(t);
  // The endpoint's secret as another install's master key sealed it.
  await s.c.deps.queue.run(() => s.c.deps.db.prepare('UPDATE webhook_endpoints SET secret_sealed = ? WHERE id = ?')
    .run(encryptSecret(generateSecret(), Buffer.alloc(32, 9)), s.endpoint.id));
  await convert(s.c);
  assert.equal(await s.c.deps.deliverer.deliverDue(), 1);
  const d = await delivery(s.c, s.endpoint.id);
  assert.equal(d.status, 'pending');
  assert.equal(Number(d.attempts), 1);
  assert.ok(d.next_attempt_at > s.clock.now().toISOString(), 'the next attempt is due later, by the schedule');
  const [a] = await attemptsOf(s.c, Number(d.id));
  assert.equal(a.outcome, 'failed');
  assert.equal(a.error, 'not sent: the signing secret cannot be unsealed with this master key');
  assert.equal(s.receiver.requests.length, 0, 'nothing reached the receiver');
  assert.ok((await endpointRow(s.c, s.endpoint.id)).failing_since, 'the endpoint counts as failing');
});

test('endpoints on one host never share sockets: ten attempts held open on one endpoint, the other endpoint on the same host still delivers', async (t) => {
  const releases: Array<() => void> = [];
  const s = await setup(t, {
    events: ['conversion.created'],
    answer: (req) => (req.path === '/slow' ? new Promise<Answer>((resolve) => { releases.push(() => resolve({ status: 200 })); }) : { status: 204 }),
    url: (r) => `${r.url.replace(/\/[^/]*$/, '')}/slow`,
  });
  const other = await s.c.call('POST', WEBHOOKS, { url: `${s.receiver.url.replace(/\/[^/]*$/, '')}/fast`, events: ['claim.created'] });
  assert.equal(other.status, 201, JSON.stringify(other.body));
  s.receiver.secrets = [s.endpoint.secret, other.body.data.webhook.secret];
  for (let i = 0; i < 10; i++) await convert(s.c);
  const held = s.c.deps.deliverer.deliverDue();
  await s.receiver.untilRequests(10);
  const claim = await s.c.post('/api/v1/track/claim', { referral_code: 'V2AVMRDJ', email: 'same-host@example.com' });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(await s.c.deps.deliverer.deliverDue(), 1, 'the claim went out while the ten were held');
  assert.deepEqual(s.receiver.requests.filter((r) => r.path === '/fast').map((r) => r.status), [204]);
  for (const release of releases) release();
  assert.equal(await held, 10);
});

test('a delivered answer clears failing_since even when another process marked the endpoint failing after this one read it', async (t) => {
  let markFailing: () => Promise<unknown> = async () => undefined;
  // While the attempt is under way (the pump has read the endpoint healthy), "another process" records a failure on it.
  const s = await setup(t, { answer: async () => { await markFailing(); return { status: 204 }; } });
  markFailing = () => s.c.deps.queue.run(() => s.c.deps.db.prepare('UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?')
    .run(new Date(s.clock.now().getTime() - DAY_MS).toISOString(), s.endpoint.id));
  await convert(s.c);
  assert.equal(await s.c.deps.deliverer.deliverDue(), 1);
  assert.equal((await delivery(s.c, s.endpoint.id)).status, 'delivered');
  assert.equal((await endpointRow(s.c, s.endpoint.id)).failing_since, null);
});

test('requests first: while 16 or more requests are being answered, a pump waits 250 ms before it claims; the delivery then goes out', async (t) => {
  const s = await setup(t);
  let underWay = BUSY_REQUESTS;
  s.c.deps.deliverer.watchRequests(() => underWay);
  await convert(s.c);
  const round = s.c.deps.deliverer.deliverDue();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(s.receiver.requests.length, 0, 'nothing claimed nor sent while the collector is saturated');
  underWay = 0;
  assert.equal(await round, 1);
  assert.equal(s.receiver.requests.length, 1);
  assert.equal((await delivery(s.c, s.endpoint.id)).status, 'delivered');
});

test('requests first in the dips too: once saturated, the deliverer gives way for BUSY_HOLD_MS more, and turns the queued changes into deliveries BUSY_EXPAND_BATCH at a time meanwhile', async (t) => {
  const s = await setup(t);
  const { deliverer } = s.c.deps;
  let underWay = BUSY_REQUESTS;
  deliverer.watchRequests(() => underWay);
  assert.equal(deliverer.saturated(), true);
  underWay = 0;
  assert.equal(deliverer.saturated(), true, 'a moment with fewer requests under way is still the load');
  s.clock.advance(BUSY_HOLD_MS - 1);
  assert.equal(deliverer.saturated(), true);
  s.clock.advance(1);
  assert.equal(deliverer.saturated(), false, 'BUSY_HOLD_MS without the load: not saturated any more');

  const changes = BUSY_EXPAND_BATCH + 20;
  for (let i = 0; i < changes; i++) await convert(s.c);
  const queued = async () => Number((await row(s.c, 'SELECT count(*) AS n FROM webhook_events')).n);
  const deliveries = async () => Number((await row(s.c, 'SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?', s.endpoint.id)).n);
  assert.deepEqual([await queued(), await deliveries()], [changes, 0], 'one queued row per conversion, no delivery yet');
  underWay = BUSY_REQUESTS;
  const round = deliverer.deliverDue();
  // The first batch at once, the next one a pause (BUSY_CLAIM_PAUSE_MS) later: looked at in between.
  const end = Date.now() + 10_000;
  while (await deliveries() < BUSY_EXPAND_BATCH && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual([await deliveries(), await queued()], [BUSY_EXPAND_BATCH, changes - BUSY_EXPAND_BATCH], 'one batch of BUSY_EXPAND_BATCH while saturated');
  assert.equal(s.receiver.requests.length, 0);
  underWay = 0;
  s.clock.advance(BUSY_HOLD_MS);
  assert.equal(await round, changes);
  assert.deepEqual([await queued(), await deliveries(), s.receiver.requests.length], [0, changes, changes], 'every change expanded and delivered once the load is gone');
});

test("the deliverer's kind of job commits without waiting for the disk, and never takes a durable job with it", async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  let { db, queue } = c.deps;
  if (TEST_ENGINE === 'pg') {
    // The suite's server commits without waiting (run-tests.mjs): this database waits, as a production server does,
    // on connections opened after it says so.
    const name = await db.prepare('SELECT current_database()', { pluck: true }).get() as string;
    await db.exec(`ALTER DATABASE "${name}" SET synchronous_commit = on`);
    const store = await openPgStore(c.deps.config.databaseUrl!, { poolSize: 2 });
    t.after(() => store.close());
    ({ db, queue } = store);
  }
  // What the job's own commit will do: SQLite's synchronous (2 FULL, 1 NORMAL), PostgreSQL's synchronous_commit. Read
  // by a statement prepared in the job: SQLite evaluates a PRAGMA when it is prepared.
  const setting = () => db.prepare({ sqlite: 'PRAGMA synchronous', pg: 'SHOW synchronous_commit' }, { pluck: true }).get();
  const [waits, lax] = TEST_ENGINE === 'sqlite' ? [2, 1] : ['on', 'off'];
  const seen = (durable?: boolean) => queue.run(setting, durable === undefined ? undefined : { durable });
  assert.equal(await seen(), waits, 'a job is durable unless it says otherwise');
  assert.equal(await seen(false), lax);
  assert.equal(await seen(true), waits, 'and the next durable job waits for the disk again');
  // Queued together: on SQLite one batch, one commit, which waits for the disk since one of its jobs must.
  const [first, second] = await Promise.all([seen(false), seen(true)]);
  assert.deepEqual([first, second], TEST_ENGINE === 'sqlite' ? [waits, waits] : [lax, waits]);
  assert.equal(await seen(), waits);
});
