// 002_*'s "Rate Limits" under /compat/platform/api/v1: per plan, per minute and per day, per brand, with the usage
// headers on every answer; a Starter brand's 31st call in a minute is its 429 in the document's error body; premier is
// Professional; /api/v1 keeps only its own limits; REFERLOOP_PLATFORM_QUOTAS=off turns the quotas off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RATE_LIMITS, loadConfig } from '../../../src/config.ts';
import { PLATFORM_QUOTAS } from '../../../src/compat/platform/quotas.ts';
import { api, assertPlatformError, platformCollector } from './support.ts';

const limitsOn = { rateLimits: { ...DEFAULT_RATE_LIMITS } };
const usage = (res: { headers: Headers }) => [
  res.headers.get('x-ratelimit-limit'), res.headers.get('x-ratelimit-remaining'),
  res.headers.get('x-ratelimit-daily-limit'), res.headers.get('x-ratelimit-daily-remaining'),
];

test('a Starter brand: 30 calls a minute with their usage headers, the 31st refused as the document says, other brands and /api/v1 unaffected', async (t) => {
  const c = await platformCollector(t, { config: limitsOn });
  const starter = await c.addBrand({ plan: 'starter' });
  for (let i = 1; i <= 30; i++) {
    const res = await api(c, 'GET', i % 2 ? '/advocates' : '/quests', undefined, { brand: starter });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(usage(res), ['30', String(30 - i), '1000', String(1000 - i)]);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    assert.ok(reset * 1000 > Date.now() && reset * 1000 <= Date.now() + 61_000, String(reset));
    assert.ok(Number(res.headers.get('x-ratelimit-daily-reset')) * 1000 > Date.now() + 23 * 3_600_000);
  }
  const refused = await api(c, 'POST', '/advocates', { email: 'late@example.com', name: 'Too late' }, { brand: starter });
  assertPlatformError(refused, 429, 'RATE_LIMITED', null);
  assert.deepEqual(usage(refused), ['30', '0', '1000', '969']);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
  // Nothing was written by the refused call.
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { brand: starter, query: { search: 'late@example.com', total: 'true' } })).body.data.total, 0);
  // Refusals before the key is known count nothing and carry no usage (there is no plan to count against).
  const anonymous = await c.request('GET', '/compat/platform/api/v1/advocates');
  assertPlatformError(anonymous, 401, 'UNAUTHORIZED', 'authorization');
  assert.equal(anonymous.headers.get('x-ratelimit-limit'), null);

  // /api/v1 is not under the document's quotas: the same brand goes on there.
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { brand: starter })).status, 200);
  // Another brand has its own count; premier is the document's Professional (120 / 100,000), growth 60 / 10,000.
  assert.deepEqual(usage(await api(c, 'GET', '/advocates')), ['120', '119', '100000', '99999']);
  const growth = await c.addBrand({ plan: 'growth' });
  assert.deepEqual(usage(await api(c, 'GET', '/rewards', undefined, { brand: growth })), ['60', '59', '10000', '9999']);
});

test('REFERLOOP_PLATFORM_QUOTAS=off: no quota and no usage headers, Referloop\'s own per-key limit still there', async (t) => {
  assert.equal(loadConfig({ REFERLOOP_PLATFORM_QUOTAS: 'off' }).platformQuotas, false);
  assert.equal(loadConfig({}).platformQuotas, true);
  assert.throws(() => loadConfig({ REFERLOOP_PLATFORM_QUOTAS: 'maybe' }), /REFERLOOP_PLATFORM_QUOTAS/);
  const c = await platformCollector(t, { config: { ...limitsOn, platformQuotas: false } });
  const starter = await c.addBrand({ plan: 'starter' });
  for (let i = 1; i <= 31; i++) {
    const res = await api(c, 'GET', '/advocates', undefined, { brand: starter });
    assert.equal(res.status, 200, `call ${i}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(usage(res), [null, null, null, null]);
  }
  const c2 = await platformCollector(t, { config: { rateLimits: { ...DEFAULT_RATE_LIMITS, secret_key: { limit: 2, windowMs: 60_000 } }, platformQuotas: false } });
  await api(c2, 'GET', '/advocates');
  await api(c2, 'GET', '/advocates');
  assertPlatformError(await api(c2, 'GET', '/advocates'), 429, 'RATE_LIMITED', null);
});

test("a day's quota spent: the next call is the document's 429 with the day's usage and a Retry-After to the day's end", async (t) => {
  // The day's refusal without a thousand calls: the table is read at each call, so the test lowers Growth's day to 5
  // (its minute stays 60) and puts it back after.
  const growthQuota = { ...PLATFORM_QUOTAS.growth };
  PLATFORM_QUOTAS.growth = { perMinute: 60, perDay: 5 };
  t.after(() => { PLATFORM_QUOTAS.growth = growthQuota; });
  const c = await platformCollector(t, { config: limitsOn });
  const growth = await c.addBrand({ plan: 'growth' });
  for (let i = 1; i <= 5; i++) {
    const res = await api(c, 'GET', '/advocates', undefined, { brand: growth });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(usage(res), ['60', String(60 - i), '5', String(5 - i)]);
  }
  const refused = await api(c, 'POST', '/advocates', { email: 'tomorrow@example.com', name: 'Come back tomorrow' }, { brand: growth });
  assertPlatformError(refused, 429, 'RATE_LIMITED', null);
  assert.match(String(refused.body.error.message), /per day/);
  assert.equal(refused.headers.get('x-ratelimit-daily-remaining'), '0');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter > 23 * 3_600 && retryAfter <= 86_400, String(retryAfter));
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { brand: growth, query: { search: 'tomorrow@example.com', total: 'true' } })).body.data.total, 0);
});
