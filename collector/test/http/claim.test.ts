// POST /api/v1/track/claim over real HTTP: the documented amounts, what is stored (cents, products,
// coupons), the 24-hour duplicate rule, eligibility, plans and every error the endpoint can give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import {
  BOOKING_CLAIM, HOUR_MS, PATHS, PRODUCTS_EXAMPLE, SHOPIFY_CLAIM, ZAPIER_CLAIM, ZAPIER_CONVERSION,
  advocateId, assertError, count, publishableHeaders, row, secretHeaders, tableText, testClock,
} from '../support/fixtures.ts';
import { keyAuthTests, premierOnlyTests, transportErrorTests } from '../support/endpointErrors.ts';

test('the Shopify claim of 000_*: 57.00 raw -> 201, discount_applied 5.7, claim_value 51.3, stored in cents', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.claim, SHOPIFY_CLAIM);
  assert.equal(res.status, 201);
  assert.equal(res.body.success, true);
  const d = res.body.data;
  assert.equal(typeof d.id, 'number');
  assert.equal(d.claim_id, d.id);
  assert.equal(d.referral_code, 'V2AVMRDJ');
  assert.equal(d.status, 'pending');
  assert.equal(d.discount_applied, 5.7);
  assert.equal(d.claim_value, 51.3);

  const claim = await row(c, 'SELECT * FROM claims WHERE id = ?', d.claim_id);
  assert.equal(claim.brand_id, c.brand.brand_id);
  assert.equal(claim.advocate_id, await advocateId(c, 'V2AVMRDJ'));
  assert.equal(claim.email, 'buyer@example.com');
  assert.equal(claim.order_id, 'ORD-12345');
  assert.equal(claim.status, 'pending');
  assert.equal(claim.raw_value_cents, 5700);
  assert.equal(claim.claim_value_cents, 5130);
  assert.equal(claim.discount_applied_cents, 570);
  assert.deepEqual(JSON.parse(claim.products), [
    { sku: 'TSH-001', name: 'Classic T-Shirt', quantity: 1, price_cents: 2999 },
    { sku: 'BAG-010', name: 'Canvas Tote', quantity: 1, price_cents: 2701 },
  ]);
  assert.deepEqual(JSON.parse(claim.coupons_applied), [{ code: 'V2AVMRDJ', discount_amount_cents: 570 }]);
});

test('the booking claim of 000_*: customer_name kept, 150.00 -> 15 off, 135 left', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.claim, BOOKING_CLAIM);
  assert.equal(res.status, 201);
  assert.equal(res.body.data.discount_applied, 15);
  assert.equal(res.body.data.claim_value, 135);
  const claim = await row(c, 'SELECT name, email, raw_value_cents FROM claims');
  assert.deepEqual({ ...claim }, { name: 'Jane Smith', email: 'client@example.com', raw_value_cents: 15000 });
});

test('the 001_* claim with email, name and phone: 201 and all three stored', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.claim, ZAPIER_CLAIM);
  assert.equal(res.status, 201);
  assert.equal(res.body.data.referral_code, 'JOHN123');
  assert.equal(res.body.data.discount_applied, 0, 'no raw_value: nothing to discount');
  assert.equal(res.body.data.claim_value, null);
  const claim = await row(c, 'SELECT email, name, phone, raw_value_cents FROM claims');
  assert.deepEqual({ ...claim }, { email: 'newuser@example.com', name: 'Sam Smith', phone: '+1-555-0100', raw_value_cents: null });
});

test('products: the 000_* example kept whole, aliases normalised, other fields kept as sent', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.claim, { ...BOOKING_CLAIM, ...PRODUCTS_EXAMPLE });
  assert.equal(res.status, 201);
  assert.deepEqual(JSON.parse((await row(c, 'SELECT products FROM claims')).products), [
    { sku: 'TSH-001', variant: 'Large / Black', category: 'Apparel', name: 'Classic T-Shirt', quantity: 2, price_cents: 2999 },
    { sku: 'BAG-010', name: 'Canvas Tote', quantity: 1, price_cents: 1500 },
  ]);

  const aliases = await c.post(PATHS.claim, {
    referral_code: 'JOHN123', customer_email: 'alias@example.com',
    products: [
      { title: 'Mug', qty: 3, line_total: 12.5, colour: 'blue' },
      { product_name: 'Cap', total: '8.00' },
      { size: 'XL' },
    ],
  });
  assert.equal(aliases.status, 201);
  assert.deepEqual(JSON.parse((await row(c, 'SELECT products FROM claims WHERE id = ?', aliases.body.data.claim_id)).products), [
    { colour: 'blue', name: 'Mug', quantity: 3, price_cents: 1250 },
    { name: 'Cap', quantity: 1, price_cents: 800 },
    { size: 'XL', name: 'Unknown Product', quantity: 1, price_cents: 0 },
  ]);
});

test('the request discount wins over the brand one; a claim_value sent wins over the computed one', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const fixed = await c.post(PATHS.claim, { referral_code: 'V2AVMRDJ', customer_email: 'a@example.com', raw_value: 57, discount_type: 'fixed', discount_value: 10 });
  assert.deepEqual([fixed.body.data.discount_applied, fixed.body.data.claim_value], [10, 47]);
  const pct = await c.post(PATHS.claim, { referral_code: 'V2AVMRDJ', customer_email: 'b@example.com', raw_value: 57, discount_type: 'percentage', discount_value: 20 });
  assert.deepEqual([pct.body.data.discount_applied, pct.body.data.claim_value], [11.4, 45.6]);
  const sent = await c.post(PATHS.claim, { referral_code: 'V2AVMRDJ', customer_email: 'c@example.com', raw_value: 57, claim_value: 50 });
  assert.deepEqual([sent.body.data.discount_applied, sent.body.data.claim_value], [7, 50]);
});

test('money as a plain decimal string ("57.00") is accepted and gives the same amounts', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.claim, { ...SHOPIFY_CLAIM, raw_value: '57.00', coupons_applied: [{ code: 'V2AVMRDJ', discount_amount: '5.70' }] });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual([res.body.data.discount_applied, res.body.data.claim_value], [5.7, 51.3]);
  assert.equal((await row(c, 'SELECT raw_value_cents FROM claims')).raw_value_cents, 5700);
});

test('400 names raw_value for anything but a non-negative amount with at most two decimals', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const bad of ['abc', '1e3', '-5', 'NaN', 'Infinity', '57.001', '', ' 57', -5, 57.001, true, null, {}, [57]]) {
    assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, raw_value: bad }), 400, 'invalid_request', 'raw_value');
  }
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, products: [{ name: 'X', price: 'abc' }] }), 400, 'invalid_request', 'products.0.price');
  assert.equal(await count(c, 'claims'), 0);
});

test('400 names the missing or mistyped field', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { referral_code: _code, ...noCode } = BOOKING_CLAIM;
  const { customer_email: _email, ...noEmail } = BOOKING_CLAIM;
  assertError(await c.post(PATHS.claim, noCode), 400, 'invalid_request', 'referral_code');
  assertError(await c.post(PATHS.claim, noEmail), 400, 'invalid_request', 'customer_email');
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, customer_email: 'not-an-email' }), 400, 'invalid_request', 'customer_email');
  assertError(await c.post(PATHS.claim, { ...ZAPIER_CLAIM, email: 42 }), 400, 'invalid_request', 'email');
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, type: 'bogus' }), 400, 'invalid_request', 'type');
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, products: 'two shirts' }), 400, 'invalid_request', 'products');
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, metadata: 'x' }), 400, 'invalid_request', 'metadata');
  assert.equal(await count(c, 'claims'), 0);
});

test('unknown top-level fields are listed in warnings and stored nowhere', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.claim, { ...BOOKING_CLAIM, shoe_size: 'size-4471', coupon: 'X' });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.warnings, ['unknown field "shoe_size" was ignored', 'unknown field "coupon" was ignored']);
  assert.ok(!(await tableText(c, 'claims')).includes('size-4471'));
});

test('404 for an unknown referral code', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, referral_code: 'NOSUCHCODE' }), 404, 'invalid_code', 'referral_code');
  assert.equal(await count(c, 'claims'), 0);
});

test('409 for the same code + email within 24 h, with the existing claim_id; allowed again 25 h later', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const first = await c.post(PATHS.claim, BOOKING_CLAIM);
  assert.equal(first.status, 201);

  clock.advance(23 * HOUR_MS);
  const dup = await c.post(PATHS.claim, { ...BOOKING_CLAIM, customer_email: '  Client@Example.COM ' });
  assertError(dup, 409, 'duplicate_claim', 'email');
  assert.equal(dup.body.claim_id, first.body.data.claim_id);
  assert.equal(await count(c, 'claims'), 1);

  const otherCode = await c.post(PATHS.claim, { ...BOOKING_CLAIM, referral_code: 'JOHN123' });
  assert.equal(otherCode.status, 201, 'another code is another claim');

  clock.advance(2 * HOUR_MS);
  const later = await c.post(PATHS.claim, BOOKING_CLAIM);
  assert.equal(later.status, 201, JSON.stringify(later.body));
  assert.notEqual(later.body.data.claim_id, first.body.data.claim_id);
});

test('two identical claims at the same moment: one 201, one 409', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const answers = await Promise.all([c.post(PATHS.claim, BOOKING_CLAIM), c.post(PATHS.claim, BOOKING_CLAIM)]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
  assert.equal(await count(c, 'claims'), 1);
});

test('ineligible claims answer 400 with code = the reason, and store nothing', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, customer_email: ' Sarah@Advocate.example ' }), 400, 'self_referral', 'referral_code');

  await c.deps.q.advocates.setStatus(c.brand.brand_id, await advocateId(c, 'TESTCODE'), 'blocked');
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, referral_code: 'TESTCODE' }), 400, 'inactive_code', 'referral_code');

  assert.equal((await c.post(PATHS.conversion, ZAPIER_CONVERSION)).status, 201);
  assertError(await c.post(PATHS.claim, { ...BOOKING_CLAIM, customer_email: 'buyer@example.com' }), 400, 'already_redeemed', 'referral_code');
  assert.equal(await count(c, 'claims'), 0);
});

test('Idempotency-Key: a retry answers the first 201 again (not a 409 duplicate); another body is a 409 conflict', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const headers = { ...secretHeaders(c.brand), 'Idempotency-Key': 'claim-abc' };
  const first = await c.post(PATHS.claim, SHOPIFY_CLAIM, { headers });
  const again = await c.post(PATHS.claim, SHOPIFY_CLAIM, { headers });
  assert.equal(first.status, 201);
  assert.deepEqual([again.status, again.body], [first.status, first.body]);
  assert.equal(await count(c, 'claims'), 1);

  const other = await c.post(PATHS.claim, BOOKING_CLAIM, { headers });
  assertError(other, 409, 'idempotency_conflict', 'Idempotency-Key');
  assert.equal(await count(c, 'claims'), 1);

  const { 'Idempotency-Key': _k, ...plain } = headers;
  assertError(await c.post(PATHS.claim, SHOPIFY_CLAIM, { headers: plain }), 409, 'duplicate_claim');
});

const claimCase = {
  path: PATHS.claim, limiter: 'claim' as const, okStatus: 201,
  body: (i: number) => ({ ...BOOKING_CLAIM, customer_email: `client${i}@example.com` }),
};
transportErrorTests(claimCase);
keyAuthTests({ ...claimCase, browser: true });
premierOnlyTests(claimCase, 'claims');
