// POST /api/v1/track/check-eligibility over real HTTP: the documented answers, each ineligibility reason,
// the browser form, and every error the endpoint can give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, TEST_ORIGIN } from '../support/collector.ts';
import {
  BOOKING_CLAIM, PATHS, ZAPIER_CONVERSION,
  advocateId, assertError, count, secretHeaders,
} from '../support/fixtures.ts';
import { keyAuthTests, transportErrorTests } from '../support/endpointErrors.ts';

const CHECK = { referral_code: 'V2AVMRDJ', customer_email: 'client@example.com' };

test('an eligible customer gets exactly {"eligible": true}, and nothing is written', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.eligibility, CHECK);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { eligible: true });
  assert.deepEqual([await count(c, 'claims'), await count(c, 'visits'), await count(c, 'conversions')], [0, 0, 0]);
});

test('invalid_code: 200 {eligible:false, error, message}', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.eligibility, { ...CHECK, referral_code: 'NOSUCHCODE' });
  assert.equal(res.status, 200);
  assert.equal(res.body.eligible, false);
  assert.equal(res.body.error, 'invalid_code');
  assert.equal(typeof res.body.message, 'string');
});

test('inactive_code once the advocate is set inactive', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await c.deps.q.advocates.setStatus(c.brand.brand_id, await advocateId(c, 'V2AVMRDJ'), 'blocked');
  const res = await c.post(PATHS.eligibility, CHECK);
  assert.deepEqual([res.status, res.body.eligible, res.body.error], [200, false, 'inactive_code']);
  assert.deepEqual((await c.post(PATHS.eligibility, { ...CHECK, referral_code: 'JOHN123' })).body, { eligible: true });
});

test('self_referral: the advocate\'s own email, whatever its case and spaces', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.eligibility, { ...CHECK, customer_email: ' SARAH@advocate.example ' });
  assert.deepEqual([res.status, res.body.eligible, res.body.error], [200, false, 'self_referral']);
  assert.deepEqual((await c.post(PATHS.eligibility, { ...CHECK, referral_code: 'JOHN123', customer_email: 'sarah@advocate.example' })).body,
    { eligible: true }, 'Sarah may use another advocate\'s code');
});

test('already_redeemed: the customer has a converted referral with this brand (any code), with the 000_* message', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.conversion, ZAPIER_CONVERSION)).status, 201);
  const res = await c.post(PATHS.eligibility, { ...CHECK, customer_email: 'Buyer@Example.com' });
  assert.deepEqual(res.body, {
    eligible: false, error: 'already_redeemed', message: 'This customer has already used a referral discount.',
  });
  const other = await c.addBrand();
  assert.deepEqual((await c.post(PATHS.eligibility, { ...CHECK, customer_email: 'buyer@example.com' }, { brand: other })).body,
    { eligible: true }, 'another brand is another history');
});

test('a pending claim or an unattributed order does not make the customer ineligible', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.claim, BOOKING_CLAIM)).status, 201);
  assert.deepEqual((await c.post(PATHS.eligibility, CHECK)).body, { eligible: true });
  await c.post(PATHS.conversion, { customer_email: 'walkin@example.com', order_id: 'W-1', order_value: 10 });
  assert.deepEqual((await c.post(PATHS.eligibility, { ...CHECK, customer_email: 'walkin@example.com' })).body, { eligible: true });
});

test('email is accepted for customer_email', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.eligibility, { referral_code: 'V2AVMRDJ', email: 'sarah@advocate.example' });
  assert.equal(res.body.error, 'self_referral');
});

test('400 names the missing or mistyped field', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.eligibility, { referral_code: 'V2AVMRDJ' }), 400, 'invalid_request', 'customer_email');
  assertError(await c.post(PATHS.eligibility, { customer_email: 'client@example.com' }), 400, 'invalid_request', 'referral_code');
  assertError(await c.post(PATHS.eligibility, { ...CHECK, customer_email: 'nope' }), 400, 'invalid_request', 'customer_email');
  assertError(await c.post(PATHS.eligibility, { ...CHECK, type: 'vip' }), 400, 'invalid_request', 'type');
});

test('unknown top-level fields are listed in warnings', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.eligibility, { ...CHECK, cart_total: 12 });
  assert.equal(res.status, 200);
  assert.equal(res.body.eligible, true);
  assert.deepEqual(res.body.warnings, ['unknown field "cart_total" was ignored']);
});

test('the tracker form: text/plain with brand_id and the publishable key from an allowed Origin', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const raw = JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, ...CHECK, customer_email: 'sarah@advocate.example' });
  const res = await c.post(PATHS.eligibility, undefined, { headers: { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN }, raw });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('Access-Control-Allow-Origin'), TEST_ORIGIN);
  assert.deepEqual(res.body, { eligible: false, error: 'self_referral', message: 'Advocates cannot use their own referral code.' });
  const preflight = await c.request('OPTIONS', PATHS.eligibility, { headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 204);
});

test('eligibility checks are on every plan', async (t) => {
  const c = await startTestCollector({ plan: 'starter' });
  t.after(() => c.close());
  assert.deepEqual((await c.post(PATHS.eligibility, CHECK)).body, { eligible: true });
});

test('Idempotency-Key: the same key answers the first answer; with another body a 409', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const headers = { ...secretHeaders(c.brand), 'Idempotency-Key': 'elig-1' };
  const first = await c.post(PATHS.eligibility, CHECK, { headers });
  assert.deepEqual(first.body, { eligible: true });
  await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, customer_email: CHECK.customer_email });
  const again = await c.post(PATHS.eligibility, CHECK, { headers });
  assert.deepEqual([again.status, again.body], [200, { eligible: true }], 'the stored answer, not a new decision');
  assert.equal((await c.post(PATHS.eligibility, CHECK)).body.error, 'already_redeemed');
  assertError(await c.post(PATHS.eligibility, { ...CHECK, referral_code: 'JOHN123' }, { headers }), 409, 'idempotency_conflict', 'Idempotency-Key');
});

const eligibilityCase = {
  path: PATHS.eligibility, limiter: 'check_eligibility' as const, okStatus: 200,
  body: (i: number) => ({ ...CHECK, customer_email: `client${i}@example.com` }),
};
transportErrorTests(eligibilityCase);
keyAuthTests({ ...eligibilityCase, browser: true });
