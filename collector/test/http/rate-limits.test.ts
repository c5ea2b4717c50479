// The rate-limit policy over real HTTP: a store's backend (one IP, one secret key) is never throttled by per-IP
// limits, failed authentications have their own per-IP budget, the browser keeps 000_*'s per-IP limits, keys are
// limited (and revoked) one by one, and a proxy setting without a proxy in front is said once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DEFAULT_RATE_LIMITS } from '../../src/config.ts';
import { KEY_USE_WRITE_INTERVAL_MS } from '../../src/services/keyUsage.ts';
import { createKey, revokeKey } from '../../src/services/keys.ts';
import { startTestCollector, type TestBrand, type TestCollector } from '../support/collector.ts';
import {
  BOOKING_CONVERSION, CONVERT_WEBHOOK, PATHS, SHOPIFY_VISIT, assertError, postSigned, publishableHeaders, secretHeaders, sign, testClock,
} from '../support/fixtures.ts';

const withDefaultLimits = { rateLimits: { ...DEFAULT_RATE_LIMITS } };

const conversion = (c: TestCollector, i: number, brand: TestBrand = c.brand) =>
  c.post(PATHS.conversion, { ...BOOKING_CONVERSION, order_id: `RL-${i}` }, { brand });

async function namedKey(c: TestCollector, name: string): Promise<TestBrand & { key_id: number }> {
  const k = await createKey(c.deps.db, c.deps.q, c.deps.masterKey, { brandId: c.brand.brand_id, name });
  return { ...c.brand, secret_key: k.secret_key!, key_id: k.key_id };
}

test('a store backend: 60 conversions with one secret key from one IP in a minute all succeed (default limits)', async (t) => {
  const c = await startTestCollector({ config: withDefaultLimits });
  t.after(() => c.close());
  for (let i = 0; i < 60; i++) {
    const res = await conversion(c, i);
    assert.equal(res.status, 201, `conversion ${i + 1}: ${JSON.stringify(res.body)}`);
    assert.equal(res.headers.get('RateLimit-Limit'), '6000');
  }
  // The management API draws on the same key's budget, not on a per-IP one.
  const list = await c.call('GET', '/api/v1/conversions', undefined, { query: { limit: 100 } });
  assert.equal(list.status, 200);
  assert.equal(list.headers.get('RateLimit-Remaining'), String(6000 - 61));
});

test('25 failed authentications from one IP: 20 are 401, the rest 429 with headers; real calls from that IP still succeed', async (t) => {
  const c = await startTestCollector({ config: withDefaultLimits });
  t.after(() => c.close());
  const bad = (i: number) => c.post(PATHS.conversion, { ...BOOKING_CONVERSION, order_id: `BAD-${i}` },
    { headers: { ...secretHeaders(c.brand), 'X-API-Key': `rl_sk_guess${i}` } });
  for (let i = 0; i < 20; i++) {
    const res = await bad(i);
    assertError(res, 401, 'invalid_api_key');
    assert.equal(res.headers.get('RateLimit-Remaining'), String(19 - i));
  }
  for (let i = 20; i < 25; i++) {
    const res = await bad(i);
    assertError(res, 429, 'rate_limited');
    assert.match(res.body.error, /failed authentications.*Invalid API key/);
    assert.ok(Number(res.headers.get('Retry-After')) > 0);
    assert.equal(res.headers.get('RateLimit-Limit'), '20');
    assert.equal(res.headers.get('RateLimit-Remaining'), '0');
  }
  // Also a missing key and a bad webhook signature are refusals over the spent budget.
  assertError(await c.post(PATHS.refund, { order_id: 'x' }, { headers: { 'Content-Type': 'application/json' } }), 429, 'rate_limited');
  assertError(await postSigned(c, CONVERT_WEBHOOK, { headers: { 'X-AL-Signature': 'ab'.repeat(32) } }), 429, 'rate_limited');

  // Real calls: secret key (tracking and management), publishable key from the browser, a signed webhook.
  const real = await conversion(c, 1);
  assert.equal(real.status, 201, JSON.stringify(real.body));
  assert.equal(real.headers.get('RateLimit-Limit'), '6000');
  assert.equal((await c.call('GET', '/api/v1/advocates')).status, 200);
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT, { headers: publishableHeaders(c.brand) })).status, 200);
  assert.equal((await postSigned(c, CONVERT_WEBHOOK)).status, 201);
});

test('successful calls never consume the failed-authentication budget', async (t) => {
  const c = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, auth_failure: { limit: 3, windowMs: 60_000 } } } });
  t.after(() => c.close());
  for (let i = 0; i < 10; i++) assert.equal((await conversion(c, i)).status, 201);
  const wrong = { headers: { ...secretHeaders(c.brand), 'X-API-Key': 'rl_sk_wrong' } };
  for (let i = 0; i < 3; i++) assertError(await c.post(PATHS.conversion, BOOKING_CONVERSION, wrong), 401, 'invalid_api_key');
  assertError(await c.post(PATHS.conversion, BOOKING_CONVERSION, wrong), 429, 'rate_limited');
});

test('the 101st publishable-key visit in a minute from one IP is a 429; secret-key visits are not limited per IP', async (t) => {
  const c = await startTestCollector({ config: withDefaultLimits });
  t.after(() => c.close());
  const browser = (i: number) => c.post(PATHS.visit, { ...SHOPIFY_VISIT, visitor_id: `browser-${i}` }, { headers: publishableHeaders(c.brand) });
  for (let i = 0; i < 100; i++) {
    const res = await browser(i);
    assert.equal(res.status, 200, `visit ${i + 1}: ${JSON.stringify(res.body)}`);
  }
  const over = await browser(100);
  assertError(over, 429, 'rate_limited');
  assert.match(over.body.error, /track\/visit.*100 per 60 s per IP/);
  assert.ok(Number(over.headers.get('Retry-After')) > 0);
  assert.equal(over.headers.get('RateLimit-Policy'), '100;w=60');
  // The same IP, the brand's secret key (a server-side visit, 001_*): the key's budget, not the IP's.
  const server = await c.post(PATHS.visit, { ...SHOPIFY_VISIT, visitor_id: 'server-1' });
  assert.equal(server.status, 200, JSON.stringify(server.body));
  assert.equal(server.headers.get('RateLimit-Limit'), '6000');
});

test('two secret keys of one brand have separate budgets', async (t) => {
  const c = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, secret_key: { limit: 2, windowMs: 60_000 } } } });
  t.after(() => c.close());
  const shop = await namedKey(c, 'shop backend');
  const zapier = await namedKey(c, 'zapier');
  assert.equal((await conversion(c, 1, shop)).status, 201);
  assert.equal((await c.call('GET', '/api/v1/settings', undefined, { brand: shop })).status, 200);
  assertError(await conversion(c, 2, shop), 429, 'rate_limited');
  assert.equal((await conversion(c, 3, zapier)).status, 201);
  assert.equal((await conversion(c, 4, zapier)).status, 201);
  assertError(await conversion(c, 5, zapier), 429, 'rate_limited');
  // The brand's first key is a third budget.
  assert.equal((await conversion(c, 6)).status, 201);
});

test('a revoked named key is a 401 at once; the brand\'s other keys keep working', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const zapier = await namedKey(c, 'zapier');
  assert.equal((await conversion(c, 1, zapier)).status, 201);
  assert.deepEqual(await revokeKey(c.deps.db, c.deps.q, c.brand.brand_id, zapier.key_id), { key_id: zapier.key_id, revoked: true });
  assertError(await conversion(c, 2, zapier), 401, 'invalid_api_key');
  assertError(await c.call('GET', '/api/v1/advocates', undefined, { brand: zapier }), 401, 'invalid_api_key');
  assert.equal((await conversion(c, 3)).status, 201);
});

test('/convert accepts a signature by any active secret key of the brand, none by a revoked one', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const make = await namedKey(c, 'make.com');
  const signedBy = (key: TestBrand, email: string) => {
    const raw = JSON.stringify({ ...CONVERT_WEBHOOK, email });
    return c.post(PATHS.convert, undefined, { raw, headers: { 'Content-Type': 'application/json', 'X-Brand-ID': c.brand.brand_id, 'X-AL-Signature': sign(key.secret_key, raw) } });
  };
  assert.equal((await signedBy(make, 'a@example.com')).status, 201);
  assert.equal((await signedBy(c.brand, 'b@example.com')).status, 201);
  await revokeKey(c.deps.db, c.deps.q, c.brand.brand_id, make.key_id);
  assertError(await signedBy(make, 'c@example.com'), 401, 'invalid_signature');
  assert.equal((await signedBy(c.brand, 'd@example.com')).status, 201);
});

test('last_used_at: written on a key\'s first use, then at most once a minute (the injected clock)', async (t) => {
  const clock = testClock('2026-05-01T10:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const shop = await namedKey(c, 'shop');
  const lastUsed = async () => (await c.deps.q.brands.getKey(c.brand.brand_id, shop.key_id))!.last_used_at;
  assert.equal(await lastUsed(), null);
  assert.equal((await conversion(c, 1, shop)).status, 201);
  assert.equal(await lastUsed(), '2026-05-01T10:00:00.000Z');
  clock.advance(KEY_USE_WRITE_INTERVAL_MS - 1_000);
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { brand: shop })).status, 200);
  assert.equal(await lastUsed(), '2026-05-01T10:00:00.000Z', 'not written again within the minute');
  clock.advance(2_000);
  assert.equal((await conversion(c, 2, shop)).status, 201);
  assert.equal(await lastUsed(), '2026-05-01T10:01:01.000Z');
  // Each key has its own time: the brand's default key was not used here.
  assert.equal((await c.deps.q.brands.activeKeyNamed(c.brand.brand_id, 'default'))!.last_used_at, null);
});

test('with trusted proxy hops but no X-Forwarded-For, one warning for the whole process', async (t) => {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  const c = await startTestCollector({ config: { ...withDefaultLimits, trustProxyHops: 1 }, logger: pino({ level: 'warn' }, sink) });
  t.after(() => c.close());
  const visit = (headers: Record<string, string> = {}) =>
    c.post(PATHS.visit, SHOPIFY_VISIT, { headers: { ...publishableHeaders(c.brand), ...headers } });
  assert.equal((await visit({ 'X-Forwarded-For': '203.0.113.5' })).status, 200);
  assert.equal(lines.length, 0);
  for (let i = 0; i < 3; i++) assert.equal((await visit()).status, 200);
  assertError(await c.post(PATHS.conversion, BOOKING_CONVERSION, { headers: { 'Content-Type': 'application/json' } }), 401, 'missing_api_key');
  const warnings = lines.filter((l) => /X-Forwarded-For/.test(l.msg));
  assert.equal(warnings.length, 1, JSON.stringify(lines));
  assert.equal(warnings[0]!.level, 40);
  assert.match(warnings[0]!.msg, /REFERLOOP_TRUST_PROXY_HOPS is 1.*clients can pick their own IP/);
});
