// The errors every POST endpoint shares (body, size, content type, rate limit, keys), registered as tests of
// the calling file so each endpoint is proven to be wired to them, not only the first one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS, type Config, type RateLimitedEndpoint } from '../../src/config.ts';
import type { IpLimitedEndpoint } from '../../src/http/rateLimit.ts';
import { rotateSecretKey } from '../../src/services/brands.ts';
import { createKey } from '../../src/services/keys.ts';
import { startTestCollector, type TestBrand, type TestCollector, type TestResponse } from './collector.ts';
import { assertError, count, publishableHeaders, secretHeaders } from './fixtures.ts';

export interface EndpointCase {
  path: string;
  /** the per-IP budget of its calls without a secret key (publishable on a browser endpoint, or signed); none: secret only */
  limiter?: IpLimitedEndpoint;
  okStatus: number;
  /** a body that succeeds; `i` makes each one distinct (another email, another order_id) */
  body(i: number): Record<string, unknown>;
  /** what must exist before the body can succeed (the conversion a refund refunds) */
  setup?(c: TestCollector): Promise<void>;
  /** headers for this raw body; default: the first brand's secret key */
  headers?(c: TestCollector, raw: string): Record<string, string>;
}

async function start(e: EndpointCase, config: Partial<Config> = {}) {
  const c = await startTestCollector({ config });
  await e.setup?.(c);
  return c;
}

function send(c: TestCollector, e: EndpointCase, raw: string, extra: Record<string, string> = {}) {
  const headers = { ...(e.headers ? e.headers(c, raw) : secretHeaders(c.brand)), ...extra };
  return c.post(e.path, undefined, { headers, raw });
}

const limited = (budget: RateLimitedEndpoint, hops: number): Partial<Config> => ({
  trustProxyHops: hops,
  rateLimits: { ...DEFAULT_RATE_LIMITS, [budget]: { limit: 2, windowMs: 60_000 } },
});

/** Another named secret key of the first brand, made after the case's setup: a budget nothing has counted against. */
async function namedKey(c: TestCollector, name: string): Promise<TestBrand> {
  const { secret_key } = await createKey(c.deps.db, c.deps.q, c.deps.masterKey, { brandId: c.brand.brand_id, name });
  return { ...c.brand, secret_key: secret_key! };
}

/** The answers of a budget of 2: two pass with RateLimit-* counting down, the third is a 429 with Retry-After. */
async function assertBudgetOfTwo(call: (i: number) => Promise<TestResponse>, okStatus: number, message: RegExp) {
  for (const i of [0, 1]) {
    const res = await call(i);
    assert.equal(res.status, okStatus, JSON.stringify(res.body));
    assert.equal(res.headers.get('RateLimit-Limit'), '2');
    assert.equal(res.headers.get('RateLimit-Remaining'), String(1 - i));
  }
  const third = await call(2);
  assertError(third, 429, 'rate_limited');
  assert.match(third.body.error, message);
  const retryAfter = Number(third.headers.get('Retry-After'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${third.headers.get('Retry-After')}`);
  assert.equal(third.headers.get('RateLimit-Remaining'), '0');
  assert.ok(Number(third.headers.get('RateLimit-Reset')) > 0);
  assert.match(third.headers.get('RateLimit-Policy') ?? '', /^2;w=60$/);
}

/**
 * 400 for a body that is not a JSON object, 413, 415, and 429 of each budget the endpoint's calls count against:
 * a secret key's own budget (never the IP's), and for browser endpoints and /convert the client IP's (with the proxy
 * rules for the client IP).
 */
export async function transportErrorTests(e: EndpointCase): Promise<void> {
  test('400 when the body is not a JSON object, or not JSON at all', async (t) => {
    const c = await start(e);
    t.after(() => c.close());
    // A JSON string holding an object is still a string: it must not be parsed a second time.
    const twice = JSON.stringify(JSON.stringify(e.body(0)));
    for (const raw of ['[1,2]', '"text"', '42', 'null', twice]) assertError(await send(c, e, raw), 400, 'invalid_request', 'body');
    assertError(await send(c, e, '{"referral_code": '), 400, 'invalid_json', 'body');
  });

  test('413 when the body is over config.bodyLimit', async (t) => {
    const c = await start(e, { bodyLimit: '1kb' });
    t.after(() => c.close());
    const raw = JSON.stringify({ ...e.body(0), metadata: { note: 'x'.repeat(2048) } });
    assertError(await send(c, e, raw), 413, 'payload_too_large');
    const fits = await send(c, e, JSON.stringify(e.body(1)));
    assert.equal(fits.status, e.okStatus, JSON.stringify(fits.body));
  });

  test('415 for a Content-Type that is neither JSON nor text/plain', async (t) => {
    const c = await start(e);
    t.after(() => c.close());
    const raw = JSON.stringify(e.body(0));
    assertError(await send(c, e, raw, { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    assertError(await send(c, e, raw, { 'Content-Type': 'application/xml' }), 415, 'unsupported_media_type');
  });

  if (!e.headers) {
    await test('429 over the secret key\'s own budget, with Retry-After and RateLimit-* headers', async (t) => {
      const c = await start(e, limited('secret_key', 0));
      t.after(() => c.close());
      const key = await namedKey(c, 'limits');
      await assertBudgetOfTwo((i) => c.post(e.path, undefined, { headers: secretHeaders(key), raw: JSON.stringify(e.body(i)) }),
        e.okStatus, /per key/);
    });

    test('a secret key is limited per key, never per IP: another client IP shares its budget, another key has its own', async (t) => {
      const c = await start(e, limited('secret_key', 1));
      t.after(() => c.close());
      const shop = await namedKey(c, 'shop');
      const from = (key: TestBrand, ip: string, i: number) =>
        c.post(e.path, undefined, { headers: { ...secretHeaders(key), 'X-Forwarded-For': ip }, raw: JSON.stringify(e.body(i)) });
      assert.equal((await from(shop, '203.0.113.1', 0)).status, e.okStatus);
      assert.equal((await from(shop, '198.51.100.9', 1)).status, e.okStatus);
      assertError(await from(shop, '192.0.2.77', 2), 429, 'rate_limited');
      const zapier = await from(await namedKey(c, 'zapier'), '203.0.113.1', 3);
      assert.equal(zapier.status, e.okStatus, JSON.stringify(zapier.body));
    });
  }

  const ipLimiter = e.limiter;
  if (ipLimiter) {
    // The calls without a secret key: the browser's (publishable key) or the signed webhook's.
    const sendPerIp = (c: TestCollector, raw: string, extra: Record<string, string> = {}) =>
      c.post(e.path, undefined, { headers: { ...(e.headers ? e.headers(c, raw) : publishableHeaders(c.brand)), ...extra }, raw });

    test(`429 over the client IP's ${ipLimiter} budget, with Retry-After and RateLimit-* headers`, async (t) => {
      const c = await start(e, limited(ipLimiter, 0));
      t.after(() => c.close());
      await assertBudgetOfTwo((i) => sendPerIp(c, JSON.stringify(e.body(i))), e.okStatus, /per IP/);
    });

    test('without trusted proxy hops, X-Forwarded-For does not make another client', async (t) => {
      const c = await start(e, limited(ipLimiter, 0));
      t.after(() => c.close());
      for (const i of [0, 1]) {
        const res = await sendPerIp(c, JSON.stringify(e.body(i)), { 'X-Forwarded-For': `203.0.113.${i + 1}` });
        assert.equal(res.status, e.okStatus, JSON.stringify(res.body));
      }
      assertError(await sendPerIp(c, JSON.stringify(e.body(2)), { 'X-Forwarded-For': '198.51.100.9' }), 429, 'rate_limited');
    });

    test('with one trusted proxy hop, each X-Forwarded-For client has its own limit', async (t) => {
      const c = await start(e, limited(ipLimiter, 1));
      t.after(() => c.close());
      const from = (ip: string, i: number) => sendPerIp(c, JSON.stringify(e.body(i)), { 'X-Forwarded-For': ip });
      assert.equal((await from('203.0.113.1', 0)).status, e.okStatus);
      assert.equal((await from('203.0.113.1', 1)).status, e.okStatus);
      assertError(await from('203.0.113.1', 2), 429, 'rate_limited');
      const other = await from('198.51.100.9', 3);
      assert.equal(other.status, e.okStatus, JSON.stringify(other.body));
    });
  }
}

/** 401 and 403 of the key check; `browser`: the endpoint also takes publishable keys from allowed origins. */
export async function keyAuthTests(e: EndpointCase & { browser: boolean }): Promise<void> {
  const raw = () => JSON.stringify(e.body(0));

  test('401 without a key, with an unknown key, and with a key revoked by rotation', async (t) => {
    const c = await start(e);
    t.after(() => c.close());
    assertError(await c.post(e.path, undefined, { headers: { 'Content-Type': 'application/json', 'X-Brand-ID': c.brand.brand_id }, raw: raw() }),
      401, 'missing_api_key');
    assertError(await c.post(e.path, undefined, { headers: { ...secretHeaders(c.brand), 'X-API-Key': 'rl_sk_not-a-key' }, raw: raw() }),
      401, 'invalid_api_key');
    const old = c.brand.secret_key;
    const { secret_key } = await rotateSecretKey(c.deps.db, c.deps.q, c.deps.masterKey, c.brand.brand_id);
    assertError(await c.post(e.path, undefined, { headers: secretHeaders({ ...c.brand, secret_key: old }), raw: raw() }),
      401, 'invalid_api_key');
    const fresh = await c.post(e.path, undefined, { headers: secretHeaders({ ...c.brand, secret_key }), raw: raw() });
    assert.equal(fresh.status, e.okStatus, JSON.stringify(fresh.body));
  });

  await test('403 when X-Brand-ID names another brand than the key', async (t) => {
    const c = await start(e);
    t.after(() => c.close());
    const other = await c.addBrand();
    assertError(await c.post(e.path, undefined, { headers: { ...secretHeaders(c.brand), 'X-Brand-ID': other.brand_id }, raw: raw() }),
      403, 'brand_mismatch');
  });

  test('Authorization: Bearer with the secret key is accepted', async (t) => {
    const c = await start(e);
    t.after(() => c.close());
    const res = await c.post(e.path, undefined, {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${c.brand.secret_key}` }, raw: raw(),
    });
    assert.equal(res.status, e.okStatus, JSON.stringify(res.body));
  });

  if (e.browser) {
    test('publishable key: accepted from an allowed Origin, 403 from another Origin or without one', async (t) => {
      const c = await start(e);
      t.after(() => c.close());
      const ok = await c.post(e.path, undefined, { headers: publishableHeaders(c.brand), raw: raw() });
      assert.equal(ok.status, e.okStatus, JSON.stringify(ok.body));
      assert.equal(ok.headers.get('Access-Control-Allow-Origin'), 'http://shop.test');
      const elsewhere = await c.post(e.path, undefined, { headers: publishableHeaders(c.brand, 'https://evil.test'), raw: JSON.stringify(e.body(1)) });
      assertError(elsewhere, 403, 'origin_not_allowed');
      // The refusal itself is readable by the page (so the tracker can tell "no" from "no answer"); it carries
      // nothing but the error. Success answers stay readable only by the brand's origins (see the line above).
      assert.equal(elsewhere.headers.get('Access-Control-Allow-Origin'), 'https://evil.test');
      assertError(await c.post(e.path, undefined, { headers: publishableHeaders(c.brand, null), raw: JSON.stringify(e.body(1)) }),
        403, 'origin_not_allowed');
    });
  } else {
    test('403 for a publishable key, even from an allowed Origin: this endpoint needs the secret key', async (t) => {
      const c = await start(e);
      t.after(() => c.close());
      assertError(await c.post(e.path, undefined, { headers: publishableHeaders(c.brand), raw: raw() }), 403, 'secret_key_required');
    });
  }
}

/** 001_*: claims and visits are Premier only; starter and growth brands get 403 plan_required and nothing is stored. */
export function premierOnlyTests(e: EndpointCase, table: string): void {
  test('403 plan_required for starter and growth brands', async (t) => {
    const c = await startTestCollector();
    t.after(() => c.close());
    for (const plan of ['starter', 'growth'] as const) {
      const brand = await c.addBrand({ plan });
      const res = await c.post(e.path, e.body(0), { brand });
      assertError(res, 403, 'plan_required');
      assert.match(res.body.error, /premier/i);
      assertError(await c.post(e.path, e.body(0), { brand, headers: publishableHeaders(brand) }), 403, 'plan_required');
    }
    assert.equal(await count(c, table), 0);
  });
}
