// referloop webhook add/list/update/enable/disable/rotate/remove/deliveries/delivery/resend/test on this run's engine
// (support/processes.ts cliDatabase): the API's answer shapes with --json, the secret printed once and stored sealed,
// refusals by field with nothing written, another brand's endpoint refused; and with `referloop serve` running, what the
// CLI registered and queued is delivered to a real receiver that verifies it with the secret `add` printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase, refusedCli, type CliDatabase } from './support/processes.ts';
import { startReceiver } from './support/receiver.ts';
import { until } from './support/deliveries.ts';

const keysOf = (o: object) => Object.keys(o).sort();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ENDPOINT_FIELDS = ['created_at', 'description', 'disabled_at', 'disabled_reason', 'events', 'failing_since', 'id', 'source', 'status', 'updated_at', 'url'];


async function endpointRows(c: CliDatabase): Promise<unknown[]> {
  const store = await c.open();
  try {
    return await store.db.prepare(`SELECT e.*, (SELECT count(*) FROM webhook_subscriptions s WHERE s.endpoint_id = e.id) AS subscriptions
      FROM webhook_endpoints e ORDER BY id`).all();
  } finally {
    await store.close();
  }
}

test('webhook add, list, update, disable, enable, rotate, remove: the API\'s shapes, the secret printed once and sealed; refusals by field, nothing written', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const other = c.json(['brand', 'create', '--name', 'Other shop']).brand_id as string;
  const b = ['--brand', brand];

  const added = c.json(['webhook', 'add', ...b, '--url', 'https://crm.example/hooks', '--event', 'conversion.created', 'commission.created', '--description', 'CRM sync']).webhook;
  assert.deepEqual(keysOf(added), [...ENDPOINT_FIELDS, 'secret'].sort());
  assert.deepEqual([added.url, added.events, added.description, added.status, added.disabled_reason, added.source],
    ['https://crm.example/hooks', ['commission.created', 'conversion.created'], 'CRM sync', 'enabled', null, 'api']);
  assert.match(added.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.match(added.created_at, ISO);
  const defaults = c.json(['webhook', 'add', ...b, '--url', 'https://zap.example/h']).webhook;
  assert.deepEqual(defaults.events, ['*'], 'every event but visit.created when --event is left out');

  const listed = c.json(['webhook', 'list', ...b]);
  assert.deepEqual(listed.webhooks.map((w: any) => [w.id, w.url, w.events]), [[defaults.id, 'https://zap.example/h', ['*']], [added.id, 'https://crm.example/hooks', ['commission.created', 'conversion.created']]]);
  for (const w of listed.webhooks) assert.deepEqual(keysOf(w), ENDPOINT_FIELDS, 'no secret in the list');
  assert.equal(listed.has_more, false);
  assert.deepEqual(c.json(['webhook', 'list', '--brand', other]).webhooks, [], "another brand's list is its own");
  const human = c.run(['webhook', 'list', ...b]);
  assert.equal(human.status, 0);
  assert.match(human.stdout, /^id\s+url\s+events\s+status\s+failing_since\s+source\s+created_at\n/);
  assert.match(human.stdout, new RegExp(`\\n${added.id}\\s+https://crm\\.example/hooks\\s+commission\\.created conversion\\.created\\s+enabled\\s+api`));
  const bytes = await c.stored();
  for (const secret of [added.secret, defaults.secret]) assert.equal(bytes.includes(secret.slice(6)), false, 'a secret stored in the clear');

  // Refusals: the API's message by field, exit 1, nothing written.
  const before = await endpointRows(c);
  refusedCli(c, ['webhook', 'add', ...b, '--url', 'http://127.0.0.1:8080/hooks'], /url: must be an https:\/\/ URL/);
  refusedCli(c, ['webhook', 'add', ...b, '--url', 'https://192.168.1.20/hooks'], /url: must not point at a private address \(192\.168\.1\.20\)/);
  refusedCli(c, ['webhook', 'add', ...b, '--url', 'https://crm.example/x', '--event', 'order.shipped'], /events: unknown event type "order\.shipped"/);
  refusedCli(c, ['webhook', 'update', ...b, '--id', String(added.id)], /body: give at least one of url, events, description, status/);
  refusedCli(c, ['webhook', 'disable', '--brand', other, '--id', String(added.id)], /No webhook endpoint with this id for this brand/);
  refusedCli(c, ['webhook', 'rotate', ...b, '--id', 'abc'], /--id abc is not an id/);
  assert.deepEqual(await endpointRows(c), before);
  // The operator's setting allows this machine (local development).
  const local = c.json(['webhook', 'add', ...b, '--url', 'http://127.0.0.1:8080/hooks'], { REFERLOOP_WEBHOOK_ALLOW_PRIVATE: '1' }).webhook;
  assert.equal(local.url, 'http://127.0.0.1:8080/hooks');

  const updated = c.json(['webhook', 'update', ...b, '--id', String(added.id), '--event', '*', 'visit.created', '--description', '']).webhook;
  assert.deepEqual([updated.events, updated.description, updated.url], [['*', 'visit.created'], null, 'https://crm.example/hooks']);
  const disabled = c.json(['webhook', 'disable', ...b, '--id', String(added.id)]).webhook;
  assert.deepEqual([disabled.status, disabled.disabled_reason], ['disabled', 'operator']);
  assert.match(disabled.disabled_at, ISO);
  const enabled = c.json(['webhook', 'enable', ...b, '--id', String(added.id)]).webhook;
  assert.deepEqual([enabled.status, enabled.disabled_reason, enabled.disabled_at], ['enabled', null, null]);

  const rotated = c.json(['webhook', 'rotate', ...b, '--id', String(added.id)]).webhook;
  assert.match(rotated.secret, /^whsec_/);
  assert.notEqual(rotated.secret, added.secret);
  assert.equal(Date.parse(rotated.previous_secret_expires_at) - Date.parse(rotated.updated_at), 24 * 3_600_000);
  assert.equal((await c.stored()).includes(rotated.secret.slice(6)), false);

  const removed = c.json(['webhook', 'remove', ...b, '--id', String(added.id)]).webhook;
  assert.equal(removed.id, added.id);
  assert.match(removed.deleted_at, ISO);
  assert.deepEqual(c.json(['webhook', 'list', ...b]).webhooks.map((w: any) => w.id), [local.id, defaults.id]);
  refusedCli(c, ['webhook', 'remove', ...b, '--id', String(added.id)], /No webhook endpoint with this id for this brand/);
});

test('with the collector running: an endpoint added by the CLI receives the next conversion, and a test event and a resend are delivered, verified with the secret add printed; deliveries and delivery show the answers', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']);
  const b = ['--brand', brand.brand_id as string];
  c.json(['advocate', 'create', ...b, '--email', 'sarah@example.com', '--name', 'Sarah', '--code', 'SARAH10']);
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const allow = { REFERLOOP_WEBHOOK_ALLOW_PRIVATE: '1' };
  const server = await c.serve({ ...allow, REFERLOOP_LOG_LEVEL: 'warn' });

  // Registered by another process while the collector runs: its outbox sees the new endpoint at the next event.
  const webhook = c.json(['webhook', 'add', ...b, '--url', receiver.url, '--event', 'conversion.created'], allow).webhook;
  receiver.secrets = [webhook.secret];
  const conversion = await fetch(`${server.url}/api/v1/track/conversion`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-Key': brand.secret_key, 'X-Brand-ID': brand.brand_id },
    body: JSON.stringify({ customer_email: 'buyer@example.com', order_id: 'CLI-WH-1', order_value: 40, referral_code: 'SARAH10' }),
  });
  assert.equal(conversion.status, 201);
  await receiver.untilRequests(1);
  const first = receiver.requests[0]!;
  assert.equal(JSON.parse(first.body).type, 'conversion.created');
  assert.equal(JSON.parse(first.body).data.order_id, 'CLI-WH-1');
  assert.deepEqual(first.verifiedBy, [webhook.secret]);

  // A test event queued by the CLI, sent by the collector.
  const queued = c.json(['webhook', 'test', ...b, '--id', String(webhook.id), '--event', 'payout.created']).delivery;
  assert.deepEqual([queued.event_type, queued.status, queued.attempts], ['payout.created', 'pending', 0]);
  await receiver.untilRequests(2);
  const tested = receiver.requests[1]!;
  assert.equal(tested.webhookId, queued.event_id);
  assert.deepEqual(tested.verifiedBy, [webhook.secret]);
  const id = String(webhook.id);
  await until('the test delivery recorded as delivered', () =>
    c.json(['webhook', 'deliveries', ...b, '--id', id, '--status', 'delivered']).deliveries.length === 2);

  // Resend it: the same webhook-id and body; this time the receiver answers 503.
  receiver.answer = () => ({ status: 503, body: 'busy, try later' });
  const resent = c.json(['webhook', 'resend', ...b, '--id', id, '--delivery', String(queued.id)]).delivery;
  assert.equal(resent.status, 'pending');
  await receiver.untilRequests(3);
  const again = receiver.requests[2]!;
  assert.deepEqual([again.webhookId, again.body], [tested.webhookId, tested.body]);
  await until('the resend recorded', () => c.json(['webhook', 'delivery', ...b, '--id', id, '--delivery', String(queued.id)]).delivery.attempt_list.length === 2);

  const listed = c.json(['webhook', 'deliveries', ...b, '--id', id]);
  assert.deepEqual(listed.deliveries.map((d: any) => [d.event_type, d.status, d.attempts, d.last_status_code]),
    [['payout.created', 'pending', 2, 503], ['conversion.created', 'delivered', 1, 200]]);
  assert.equal(typeof listed.deliveries[0].last_duration_ms, 'number');
  const detail = c.json(['webhook', 'delivery', ...b, '--id', id, '--delivery', String(queued.id)]).delivery;
  assert.equal(JSON.stringify(detail.payload), tested.body, 'the body as sent');
  assert.deepEqual(detail.attempt_list.map((a: any) => [a.attempt, a.outcome, a.status_code, a.response_body]),
    [[1, 'delivered', 200, 'ok'], [2, 'failed', 503, 'busy, try later']]);
  assert.deepEqual(detail.attempt_list.map((a: any) => String(a.webhook_timestamp)), [tested.headers['webhook-timestamp'], again.headers['webhook-timestamp']]);
  const human = c.run(['webhook', 'delivery', ...b, '--id', id, '--delivery', String(queued.id)]);
  assert.equal(human.status, 0, human.stderr);
  assert.ok(human.stdout.includes(`  > webhook-id: ${tested.webhookId}\n  > webhook-timestamp: ${again.headers['webhook-timestamp']}\n  > webhook-signature: v1,…\n`));
  assert.ok(human.stdout.includes('  < busy, try later'));
  assert.equal(human.stdout.includes(webhook.secret.slice(6)), false);

  // Disabled: nothing to resend or test until it is enabled again.
  c.json(['webhook', 'disable', ...b, '--id', id]);
  refusedCli(c, ['webhook', 'test', ...b, '--id', id], /is disabled \(operator\): enable it first/);
  refusedCli(c, ['webhook', 'resend', ...b, '--id', id, '--delivery', String(queued.id)], /is disabled \(operator\): enable it first/);
});
