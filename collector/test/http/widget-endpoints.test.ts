// The site widget's endpoints over HTTP (issue 14): GET /track/referrer (the publishable key from an allowed origin, a
// preflight like track/*, first name only, the offer of the code's campaign, another brand's code answers nothing),
// GET /sso/me (a session token's own advocate: link, code, figures; its brand's origins only), and GET /widget.js.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RATE_LIMITS } from '../../src/config.ts';
import { startTestCollector, TEST_ORIGIN, type TestBrand, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError, publishableHeaders } from '../support/fixtures.ts';
import { ssoSessionToken } from '../support/sso.ts';

const START = Date.parse('2026-12-01T10:00:00Z');

async function setUp(t: TestContext, config = {}) {
  const clock = { ms: START };
  const c = await startTestCollector({ now: () => new Date(clock.ms), config });
  t.after(() => c.close());
  return { c, clock };
}

/** GET /track/referrer as the widget sends it: the publishable key in headers, from `origin` (none: null). */
const referrer = (c: TestCollector, code: string, brand: TestBrand = c.brand, origin: string | null = TEST_ORIGIN) => {
  const { 'Content-Type': _, ...headers } = publishableHeaders(brand, origin);
  return c.request('GET', `/api/v1/track/referrer?code=${encodeURIComponent(code)}`, { headers });
};

/** A session token for the advocate of `code` (their customer mapped, then recognised: support/sso.ts). */
const sessionFor = async (c: TestCollector, code: string, brand: TestBrand = c.brand): Promise<string> =>
  ssoSessionToken(c, await advocateId(c, code, brand), `cus_${code}`, { brand });

const me = (c: TestCollector, token: string, origin: string | null = TEST_ORIGIN) =>
  c.request('GET', '/api/v1/sso/me', { headers: { Authorization: `Bearer ${token}`, ...(origin === null ? {} : { Origin: origin }) } });

test('GET /track/referrer: the first name and the default offer for a code of the brand, readable by its origin only', async (t) => {
  const { c } = await setUp(t);
  const res = await referrer(c, 'v2avmrdj');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, {
    success: true,
    data: { code: 'V2AVMRDJ', referrer_first_name: 'Sarah', referee_discount: { type: 'percentage', value: 10 }, currency: 'USD' },
  });
  assert.equal(res.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  // Privacy: no surname, email or id of the advocate reaches the page.
  const text = JSON.stringify(res.body);
  for (const secret of ['Jones', 'sarah@advocate.example', '"advocate_id"']) assert.ok(!text.includes(secret), `${secret} in ${text}`);

  // The preflight a page's fetch with X-API-Key makes first.
  const preflight = await c.request('OPTIONS', '/api/v1/track/referrer?code=V2AVMRDJ', {
    headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-api-key,x-brand-id' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  assert.match(preflight.headers.get('Access-Control-Allow-Headers') ?? '', /X-API-Key/);

  assertError(await referrer(c, 'V2AVMRDJ', c.brand, 'https://elsewhere.example'), 403, 'origin_not_allowed');
  assertError(await referrer(c, 'V2AVMRDJ', c.brand, null), 403, 'origin_not_allowed');
  assertError(await c.request('GET', '/api/v1/track/referrer?code=V2AVMRDJ', { headers: { Origin: TEST_ORIGIN } }), 401, 'missing_api_key');
  // The secret key reads it too (a backend), with no Origin.
  const secret = await c.call('GET', '/api/v1/track/referrer', undefined, { query: { code: 'TESTCODE' } });
  assert.equal(secret.status, 200);
  assert.equal(secret.body.data.referrer_first_name, 'Tess');
});

test("GET /track/referrer: a bad code is a 400 naming code; an unknown, inactive or blocked advocate's code a 404", async (t) => {
  const { c } = await setUp(t);
  for (const code of ['', 'no spaces', 'x'.repeat(65)]) {
    assertError(await referrer(c, code), 400, 'invalid_request', 'code');
  }
  const { 'Content-Type': _, ...headers } = publishableHeaders(c.brand);
  assertError(await c.request('GET', '/api/v1/track/referrer', { headers }), 400, 'invalid_request', 'code');
  assertError(await referrer(c, 'NOSUCHCODE'), 404, 'invalid_code');
  assert.equal((await c.call('PATCH', '/api/v1/referrals/TESTCODE', { status: 'inactive' })).status, 200);
  assertError(await referrer(c, 'TESTCODE'), 404, 'inactive_code');
  const john = await advocateId(c, 'JOHN123');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' })).status, 200);
  assertError(await referrer(c, 'JOHN123'), 404, 'inactive_code');
  assert.ok(!JSON.stringify((await referrer(c, 'JOHN123')).body).includes('John'));
});

test("GET /track/referrer: the offer is that of the advocate's campaign", async (t) => {
  const { c } = await setUp(t);
  const campaign = await c.call('POST', '/api/v1/campaigns', { name: 'Friends $15', referee_discount_type: 'fixed', referee_discount_value: 15 });
  assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
  const tess = await advocateId(c, 'TESTCODE');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${tess}`, { campaign_id: campaign.body.data.campaign.id })).status, 200);
  assert.deepEqual((await referrer(c, 'TESTCODE')).body.data.referee_discount, { type: 'fixed', value: 15 });
  assert.deepEqual((await referrer(c, 'V2AVMRDJ')).body.data.referee_discount, { type: 'percentage', value: 10 });
});

test("GET /track/referrer: one brand's key never answers another brand's code, even when both brands have it", async (t) => {
  const { c } = await setUp(t);
  const b = await c.addBrand({ origins: ['http://b.test'], codes: [['BONLY', 'Bella Brandb', 'bella@b.example'], ['V2AVMRDJ', 'Victor Other', 'victor@b.example']] });
  const crossed = await referrer(c, 'BONLY');
  assertError(crossed, 404, 'invalid_code');
  assert.ok(!JSON.stringify(crossed.body).includes('Bella'));
  assert.equal((await referrer(c, 'V2AVMRDJ')).body.data.referrer_first_name, 'Sarah');
  assert.equal((await referrer(c, 'V2AVMRDJ', b, 'http://b.test')).body.data.referrer_first_name, 'Victor');
  // B's key from A's origin, and A's key naming B's brand: refused.
  assertError(await referrer(c, 'BONLY', b, TEST_ORIGIN), 403, 'origin_not_allowed');
  const mixed = await c.request('GET', '/api/v1/track/referrer?code=BONLY', { headers: { 'X-API-Key': c.brand.publishable_key, 'X-Brand-ID': b.brand_id, Origin: 'http://b.test' } });
  assertError(mixed, 403, 'brand_mismatch');
});

test('GET /track/referrer is limited like a visit: the client IP\'s visit budget', async (t) => {
  const { c } = await setUp(t, { rateLimits: { ...DEFAULT_RATE_LIMITS, visit: { limit: 2, windowMs: 60_000 } } });
  assert.equal((await referrer(c, 'V2AVMRDJ')).status, 200);
  const visit = await c.request('POST', '/api/v1/track/visit', { headers: publishableHeaders(c.brand), body: JSON.stringify({ referral_code: 'V2AVMRDJ' }) });
  assert.equal(visit.status, 200, JSON.stringify(visit.body));
  const limited = await referrer(c, 'V2AVMRDJ');
  assertError(limited, 429, 'rate_limited');
  assert.equal(limited.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN, 'the widget can read why');
});

test("GET /sso/me: the session's own advocate, their link, code and figures, as they grow", async (t) => {
  const { c } = await setUp(t);
  const token = await sessionFor(c, 'JOHN123');
  const john = await advocateId(c, 'JOHN123');
  const first = await me(c, token);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  assert.deepEqual(first.body.data, {
    advocate_id: john, first_name: 'John', referral_code: 'JOHN123', referral_link: `${TEST_ORIGIN}/?ref=JOHN123`,
    click_count: 0, share_count: 0, conversion_count: 0, total_earnings: 0, pending_earnings: 0, paid_earnings: 0, currency: 'USD',
  });

  const pk = publishableHeaders(c.brand);
  assert.equal((await c.request('POST', '/api/v1/track/visit', { headers: pk, body: JSON.stringify({ referral_code: 'JOHN123' }) })).status, 200);
  assert.equal((await c.request('POST', '/api/v1/track/share', { headers: pk, body: JSON.stringify({ referral_code: 'JOHN123', channel: 'whatsapp' }) })).status, 201);
  const order = await c.post('/api/v1/track/conversion', { referral_code: 'JOHN123', order_id: 'W-1', order_value: 100, email: 'friend@example.com' });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const grown = (await me(c, token)).body.data;
  assert.deepEqual([grown.click_count, grown.share_count, grown.conversion_count, grown.total_earnings, grown.pending_earnings, grown.paid_earnings],
    [1, 1, 1, 10, 10, 0]);

  // Without an Origin (a backend): the same answer, no CORS header.
  const server = await me(c, token, null);
  assert.equal(server.status, 200);
  assert.equal(server.headers.get('Access-Control-Allow-Origin'), null);

  const preflight = await c.request('OPTIONS', '/api/v1/sso/me', {
    headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('Access-Control-Allow-Headers') ?? '', /Authorization/);
});

test('GET /sso/me: a token reads only its advocate of its brand; refused from other origins, without a valid token, once expired or blocked', async (t) => {
  const { c, clock } = await setUp(t);
  const b = await c.addBrand({ origins: ['http://b.test'] });
  const sarahA = await sessionFor(c, 'V2AVMRDJ');
  const sarahB = await sessionFor(c, 'V2AVMRDJ', b);
  const johnA = await sessionFor(c, 'JOHN123');
  // The same code in two brands: each token answers its own brand's advocate.
  assert.equal((await me(c, sarahA)).body.data.advocate_id, await advocateId(c, 'V2AVMRDJ'));
  assert.equal((await me(c, sarahB, 'http://b.test')).body.data.advocate_id, await advocateId(c, 'V2AVMRDJ', b));
  assert.equal((await me(c, sarahB, 'http://b.test')).body.data.referral_link, 'http://b.test/?ref=V2AVMRDJ');
  assert.equal((await me(c, johnA)).body.data.referral_code, 'JOHN123');
  // B's token from A's origin: refused, and the refusal carries nothing of the advocate.
  const crossed = await me(c, sarahB, TEST_ORIGIN);
  assertError(crossed, 403, 'origin_not_allowed');
  assert.ok(!JSON.stringify(crossed.body).includes('V2AVMRDJ'));
  // Keys are no session tokens; nor is a made-up token.
  for (const token of [c.brand.secret_key, c.brand.publishable_key, 'rl_st_not-a-token']) assertError(await me(c, token), 401, 'invalid_session');
  assertError(await c.request('GET', '/api/v1/sso/me', { headers: { Origin: TEST_ORIGIN } }), 401, 'invalid_session');

  const john = await advocateId(c, 'JOHN123');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' })).status, 200);
  assertError(await me(c, johnA), 403, 'advocate_blocked');

  clock.ms = START + 3_600_000;
  assertError(await me(c, sarahA), 401, 'invalid_session');
});

test('GET /widget.js serves dist/widget.js from beside al.js, revalidated by ETag; a JSON 404 naming widget.js when not built', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-widget-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const source = '(function(){window.__widget_test=1})();\n';
  writeFileSync(join(dir, 'al.js'), '(function(){})();\n');
  const { c } = await setUp(t, { trackerPath: join(dir, 'al.js') });
  assertError(await c.request('GET', '/widget.js'), 404, 'tracker_not_built');
  assert.match((await c.request('GET', '/widget.js')).body.error, /widget\.js is not built/);
  writeFileSync(join(dir, 'widget.js'), source);
  const res = await c.request('GET', '/widget.js');
  assert.equal(res.status, 200);
  assert.equal(res.body, source);
  assert.match(res.headers.get('Content-Type') ?? '', /javascript/);
  assert.equal(res.headers.get('Cross-Origin-Resource-Policy'), 'cross-origin');
  const revalidated = await c.request('GET', '/widget.js', { headers: { 'If-None-Match': res.headers.get('ETag')!, 'Cache-Control': 'max-age=0' } });
  assert.equal(revalidated.status, 304);
});
