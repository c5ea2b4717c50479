// POST /api/v1/track/visit over real HTTP: the documented answer, what is stored, the attribution models,
// the tracker's text/plain form and every error the endpoint can give.
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, TEST_ORIGIN } from '../support/collector.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/config.ts';
import {
  PATHS, SHOPIFY_VISIT, ZAPIER_VISIT, assertError, count, publishableHeaders, row, secretHeaders, tableText,
} from '../support/fixtures.ts';
import { keyAuthTests, premierOnlyTests, transportErrorTests } from '../support/endpointErrors.ts';

// Generated visitor ids are UUIDv7 (time-ordered, see domain/ids.ts).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the Shopify visit of 000_* answers 200 with the documented fields and a generated visitor_id', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.visit, SHOPIFY_VISIT);
  assert.equal(res.status, 200);
  assert.equal(res.body.success, true);
  const d = res.body.data;
  assert.equal(d.store_code, true);
  assert.equal(d.clear_existing, false);
  assert.equal(d.code, 'V2AVMRDJ');
  assert.equal(d.referrer_first_name, 'Sarah');
  assert.match(d.visitor_id, UUID);
  assert.equal(res.body.warnings, undefined);

  const v = await row(c, 'SELECT * FROM visits');
  assert.equal(await count(c, 'visits'), 1);
  assert.equal(v.brand_id, c.brand.brand_id);
  assert.equal(v.visitor_id, d.visitor_id);
  assert.equal(v.code, 'V2AVMRDJ');
  assert.equal(v.landing_page, 'https://yourstore.com/?ref=V2AVMRDJ');
  assert.equal(v.share_channel, null);
});

test('a visitor_id sent is kept; the code is case-insensitive', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.visit, { referral_code: 'v2avmrdj', visitor_id: 'visitor-1' });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.visitor_id, 'visitor-1');
  assert.equal(res.body.data.code, 'V2AVMRDJ');
  assert.equal((await row(c, 'SELECT visitor_id FROM visits')).visitor_id, 'visitor-1');
});

test('the 001_* visit stores its utm_* fields, and share_channel defaults to utm_source', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.visit, ZAPIER_VISIT);
  assert.equal(res.status, 200);
  assert.equal(res.body.data.code, 'JOHN123');
  assert.equal(res.body.data.referrer_first_name, 'John');
  const v = await row(c, 'SELECT * FROM visits');
  assert.equal(v.utm_source, 'newsletter');
  assert.equal(v.utm_medium, 'email');
  assert.equal(v.utm_campaign, 'spring-sale');
  assert.equal(v.landing_page, 'https://example.com/products/widget');
  assert.equal(v.share_channel, 'newsletter');

  await c.post(PATHS.visit, { ...ZAPIER_VISIT, share_channel: 'sms' });
  assert.equal((await row(c, 'SELECT share_channel FROM visits ORDER BY id DESC')).share_channel, 'sms');
});

test('unknown top-level fields are listed in warnings and stored nowhere', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.visit, { ...SHOPIFY_VISIT, favourite_colour: 'ultramarine-7731' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.warnings, ['unknown field "favourite_colour" was ignored']);
  assert.equal(await count(c, 'visits'), 1);
  assert.ok(!(await tableText(c, 'visits')).includes('ultramarine-7731'));
});

test('first_touch (default): a valid existing code on the device is kept, store_code false', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.visit, { referral_code: 'JOHN123', existing_code: 'TESTCODE' });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.store_code, false);
  assert.equal(res.body.data.clear_existing, false);
  assert.equal(res.body.data.code, 'TESTCODE');
  assert.equal(res.body.data.referrer_first_name, 'Tess');
});

test('last_touch: the code just followed replaces the existing one', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  await c.deps.q.brands.saveSettings({ ...brand, attributionModel: 'last_touch' });
  const res = await c.post(PATHS.visit, { referral_code: 'JOHN123', existing_code: 'TESTCODE' });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.store_code, true);
  assert.equal(res.body.data.clear_existing, false);
  assert.equal(res.body.data.code, 'JOHN123');
  assert.equal(res.body.data.referrer_first_name, 'John');
});

test('an existing code that is unknown or inactive is cleared and the new code stored', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const unknown = await c.post(PATHS.visit, { referral_code: 'JOHN123', existing_code: 'NOSUCHCODE' });
  assert.deepEqual([unknown.body.data.store_code, unknown.body.data.clear_existing, unknown.body.data.code], [true, true, 'JOHN123']);
  const tess = (await c.deps.q.advocates.findByCode(c.brand.brand_id, 'TESTCODE'))!;
  await c.deps.q.advocates.setStatus(c.brand.brand_id, tess.id, 'blocked');
  const inactive = await c.post(PATHS.visit, { referral_code: 'JOHN123', existing_code: 'TESTCODE' });
  assert.deepEqual([inactive.body.data.store_code, inactive.body.data.clear_existing, inactive.body.data.code], [true, true, 'JOHN123']);
});

test('the tracker form: text/plain body with brand_id and a publishable key from an allowed Origin', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const raw = JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, ...SHOPIFY_VISIT, visitor_id: 'form-visitor' });
  const res = await c.post(PATHS.visit, undefined, { headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: TEST_ORIGIN }, raw });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  assert.equal(res.body.data.visitor_id, 'form-visitor');
  assert.equal(res.body.warnings, undefined, 'brand_id and key are not unknown fields');
  assert.ok(!(await tableText(c, 'visits')).includes(c.brand.publishable_key), 'the key is not stored');

  const elsewhere = await c.post(PATHS.visit, undefined, { headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.test' }, raw });
  assertError(elsewhere, 403, 'origin_not_allowed');
  const noKey = JSON.stringify({ brand_id: c.brand.brand_id, ...SHOPIFY_VISIT });
  assertError(await c.post(PATHS.visit, undefined, { headers: { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN }, raw: noKey }),
    401, 'missing_api_key');
  assert.equal(await count(c, 'visits'), 1);
});

test('the OPTIONS preflight answers 204 with the CORS headers', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.request('OPTIONS', PATHS.visit, {
    headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-api-key' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  assert.match(res.headers.get('Access-Control-Allow-Methods') ?? '', /POST/);
  assert.match(res.headers.get('Access-Control-Allow-Headers') ?? '', /X-API-Key/i);
});

test('404 for an unknown referral code, and nothing stored', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.visit, { referral_code: 'NOSUCHCODE' }), 404, 'invalid_code', 'referral_code');
  assert.equal(await count(c, 'visits'), 0);
});

test('400 names the field: missing or mistyped referral_code, mistyped visitor_id', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.visit, { landing_page: 'https://x.test/' }), 400, 'invalid_request', 'referral_code');
  assertError(await c.post(PATHS.visit, { referral_code: 12345 }), 400, 'invalid_request', 'referral_code');
  assertError(await c.post(PATHS.visit, { referral_code: 'BAD CODE!' }), 400, 'invalid_request', 'referral_code');
  assertError(await c.post(PATHS.visit, { ...SHOPIFY_VISIT, visitor_id: 42 }), 400, 'invalid_request', 'visitor_id');
  assert.equal(await count(c, 'visits'), 0);
});

test('Idempotency-Key: the same visit again answers the first answer and stores one visit', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const headers = { ...secretHeaders(c.brand), 'Idempotency-Key': 'visit-1' };
  const first = await c.post(PATHS.visit, SHOPIFY_VISIT, { headers });
  const again = await c.post(PATHS.visit, SHOPIFY_VISIT, { headers });
  assert.equal(first.status, 200);
  assert.deepEqual([again.status, again.body], [first.status, first.body]);
  assert.equal(await count(c, 'visits'), 1);
  assertError(await c.post(PATHS.visit, ZAPIER_VISIT, { headers }), 409, 'idempotency_conflict', 'Idempotency-Key');
  assert.equal(await count(c, 'visits'), 1);
});

const visitCase = { path: PATHS.visit, limiter: 'visit' as const, okStatus: 200, body: (i: number) => ({ ...SHOPIFY_VISIT, visitor_id: `v-${i}` }) };
transportErrorTests(visitCase);
keyAuthTests({ ...visitCase, browser: true });
premierOnlyTests(visitCase, 'visits');

test('the tracker can read every error of a browser endpoint: a 429 and a 401 carry the CORS headers', async (t) => {
  const c = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, visit: { limit: 1, windowMs: 60_000 } } } });
  t.after(() => c.close());
  const headers = { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN };
  const raw = JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, referral_code: 'V2AVMRDJ' });
  assert.equal((await c.post('/api/v1/track/visit', null, { headers, raw })).status, 200);
  const limited = await c.post('/api/v1/track/visit', null, { headers, raw });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  assert.equal(limited.headers.get('Access-Control-Allow-Credentials'), 'true');

  const c2 = await startTestCollector();
  t.after(() => c2.close());
  const unknownKey = await c2.post('/api/v1/track/visit', null, { headers, raw: JSON.stringify({ key: 'rl_pk_nope', referral_code: 'X' }) });
  assert.equal(unknownKey.status, 401);
  assert.equal(unknownKey.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  // a server-only endpoint's errors stay unreadable cross-origin
  const conv = await c2.post('/api/v1/track/conversion', {}, { headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN } });
  assert.equal(conv.status, 401);
  assert.equal(conv.headers.get('Access-Control-Allow-Origin'), null);
});

test('Set-Cookie only when the collector is under the cookie_domain the tracker found', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const body = { ...SHOPIFY_VISIT, cookie_domain: 'shop.test' };
  const foreign = await c.post(PATHS.visit, body);
  assert.equal(foreign.status, 200);
  assert.equal(foreign.headers.get('set-cookie'), null, 'a collector at 127.0.0.1 sets no cookie for shop.test');
  // fetch will not send another Host, so node:http plays the browser reaching ref.shop.test.
  const sameSite = await new Promise<{ status: number; cookies: string[]; body: any }>((resolve, reject) => {
    const req = httpRequest(c.url + PATHS.visit, { method: 'POST', headers: { ...secretHeaders(c.brand), Host: 'ref.shop.test' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [], body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  assert.equal(sameSite.status, 200);
  const cookies = sameSite.cookies;
  assert.ok(cookies.some((l) => l.startsWith(`al_vid=${sameSite.body.data.visitor_id};`) && l.includes('Domain=shop.test')), cookies.join('\n'));
  assert.ok(cookies.some((l) => l.startsWith('al_code=V2AVMRDJ;') && l.includes('Max-Age=2592000')), cookies.join('\n'));
});
