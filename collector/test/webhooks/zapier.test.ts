// Zapier REST Hooks over real HTTP: a Zap subscribes its target URL to one event (an endpoint with source 'zapier'),
// unsubscribes it when turned off, and reads a sample of the event while it is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptSecret } from '../../src/domain/keys.ts';
import { EVENT_TYPES } from '../../src/webhooks/events.ts';
import { startTestCollector } from '../support/collector.ts';
import { assertError, row, rows, testClock } from '../support/fixtures.ts';

const TARGET = 'https://hooks.zapier.com/hooks/standard/1234567/abcdef0123456789/';

async function collector(t: { after(fn: () => unknown): void }) {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  return { c, clock };
}

test('subscribe: 201 {"id"}; an endpoint with source zapier receiving that one event, listed with the others', async (t) => {
  const { c } = await collector(t);
  const res = await c.call('POST', '/api/v1/hooks/subscribe', { target_url: TARGET, event: 'conversion.created' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), ['id']);
  const { id } = res.body;
  assert.equal(typeof id, 'number');
  const stored = await row(c, 'SELECT * FROM webhook_endpoints WHERE id = ?', id);
  assert.deepEqual([stored.url, stored.source, stored.status, stored.brand_id], [TARGET, 'zapier', 'enabled', c.brand.brand_id]);
  assert.match(decryptSecret(stored.secret_sealed, c.deps.masterKey), /^whsec_/);
  assert.deepEqual((await rows(c, 'SELECT event_type FROM webhook_subscriptions WHERE endpoint_id = ?', id)).map((r) => r.event_type),
    ['conversion.created']);
  assert.equal(await c.deps.q.webhooks.receives(c.brand.brand_id, 'conversion.created'), true);
  assert.equal(await c.deps.q.webhooks.receives(c.brand.brand_id, 'advocate.created'), false);
  const listed = await c.call('GET', '/api/v1/webhooks');
  assert.deepEqual(listed.body.data.webhooks.map((w: { id: number; source: string; events: string[] }) => [w.id, w.source, w.events]),
    [[id, 'zapier', ['conversion.created']]]);
  assert.ok(!JSON.stringify(res.body).includes('whsec_'), 'a Zapier subscription is not shown a secret');
});

test('subscribe: each bad field is a 400 naming it, and nothing is written', async (t) => {
  const { c } = await collector(t);
  const cases: Array<[unknown, string]> = [
    [{ event: 'conversion.created' }, 'target_url'],
    [{ target_url: 'http://hooks.zapier.com/x', event: 'conversion.created' }, 'target_url'],
    [{ target_url: 'https://127.0.0.1/x', event: 'conversion.created' }, 'target_url'],
    [{ target_url: 'not a url', event: 'conversion.created' }, 'target_url'],
    [{ target_url: TARGET }, 'event'],
    [{ target_url: TARGET, event: 'order.placed' }, 'event'],
    [{ target_url: TARGET, event: '*' }, 'event'],
    [{ target_url: TARGET, event: ['conversion.created'] }, 'event'],
  ];
  for (const [body, field] of cases) assertError(await c.call('POST', '/api/v1/hooks/subscribe', body), 400, 'invalid_request', field);
  assert.equal((await row(c, 'SELECT count(*) AS n FROM webhook_endpoints')).n, 0);
});

test('unsubscribe: DELETE /hooks/:id removes the subscription (then 404); an endpoint made through /webhooks is not a hook', async (t) => {
  const { c, clock } = await collector(t);
  const { id } = (await c.call('POST', '/api/v1/hooks/subscribe', { target_url: TARGET, event: 'commission.approved' })).body;
  const res = await c.call('DELETE', `/api/v1/hooks/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, { id });
  assert.equal((await row(c, 'SELECT deleted_at FROM webhook_endpoints WHERE id = ?', id)).deleted_at, clock.now().toISOString());
  assert.equal((await row(c, 'SELECT count(*) AS n FROM webhook_subscriptions WHERE endpoint_id = ?', id)).n, 0);
  assert.equal(await c.deps.q.webhooks.receives(c.brand.brand_id, 'commission.approved'), false);
  assertError(await c.call('DELETE', `/api/v1/hooks/${id}`), 404, 'not_found');
  assertError(await c.call('GET', `/api/v1/webhooks/${id}`), 404, 'not_found');
  for (const bad of ['999999', 'abc']) assertError(await c.call('DELETE', `/api/v1/hooks/${bad}`), 404, 'not_found');
  const api = (await c.call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/x' })).body.data.webhook;
  assertError(await c.call('DELETE', `/api/v1/hooks/${api.id}`), 404, 'not_found');
  assert.equal((await c.call('GET', `/api/v1/webhooks/${api.id}`)).status, 200);
  // Another brand's hook: 404, and it stays.
  const b = await c.addBrand();
  const theirs = (await c.call('POST', '/api/v1/hooks/subscribe', { target_url: TARGET, event: 'claim.created' }, { brand: b })).body.id;
  assertError(await c.call('DELETE', `/api/v1/hooks/${theirs}`), 404, 'not_found');
  assert.equal((await row(c, 'SELECT deleted_at FROM webhook_endpoints WHERE id = ?', theirs)).deleted_at, null);
  assert.equal((await c.call('DELETE', `/api/v1/hooks/${theirs}`, undefined, { brand: b })).status, 200);
});

test('sample: an array of one body as delivered ({id, type, timestamp, data}) for every event type; 404 for an unknown one', async (t) => {
  const { c, clock } = await collector(t);
  for (const type of EVENT_TYPES) {
    const res = await c.call('GET', `/api/v1/hooks/sample/${type}`);
    assert.equal(res.status, 200, `${type}: ${JSON.stringify(res.body)}`);
    assert.ok(Array.isArray(res.body), type);
    assert.equal(res.body.length, 1, type);
    const [item] = res.body;
    assert.deepEqual(Object.keys(item), ['id', 'type', 'timestamp', 'data'], type);
    assert.match(item.id, /^msg_[0-9a-f]{32}$/);
    assert.equal(item.type, type);
    assert.equal(item.timestamp, clock.now().toISOString());
    assert.equal(typeof item.data, 'object', type);
    assert.ok(item.data !== null && Object.keys(item.data).length > 0, type);
  }
  const conversion = (await c.call('GET', '/api/v1/hooks/sample/conversion.created')).body[0].data;
  assert.equal(typeof conversion.order_id, 'string');
  const advocate = (await c.call('GET', '/api/v1/hooks/sample/advocate.created')).body[0].data;
  assert.equal(typeof advocate.email, 'string');
  for (const type of ['order.placed', '*', '%2A', 'conversion']) assertError(await c.call('GET', `/api/v1/hooks/sample/${type}`), 404, 'not_found');
  // A secret key is needed, as everywhere in the management API.
  assert.equal((await c.request('GET', '/api/v1/hooks/sample/conversion.created')).status, 401);
});
