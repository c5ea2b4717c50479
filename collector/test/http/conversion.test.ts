// POST /api/v1/track/conversion over real HTTP: the documented answers of both seeds, what is stored,
// the reward, order_id idempotency (also concurrent), and every error the endpoint can give.
// The attribution rules have their own file (attribution.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import {
  BOOKING_CLAIM, BOOKING_CONVERSION, PATHS, SHOPIFY_CLAIM, SHOPIFY_CONVERSION, ZAPIER_CONVERSION,
  advocateId, assertError, count, row, secretHeaders, tableText, testClock,
} from '../support/fixtures.ts';
import { keyAuthTests, transportErrorTests } from '../support/endpointErrors.ts';

test('the Shopify pattern: claim then conversion -> 201 with the documented values, claim linked and converted', async (t) => {
  const clock = testClock('2026-04-14T20:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const claim = await c.post(PATHS.claim, SHOPIFY_CLAIM);
  assert.equal(claim.status, 201);
  const res = await c.post(PATHS.conversion, SHOPIFY_CONVERSION);
  assert.equal(res.status, 201);
  assert.equal(res.body.success, true);
  const d = res.body.data;
  assert.equal(typeof d.id, 'number');
  assert.equal(d.status, 'completed');
  assert.equal(d.order_value, 51.3);
  assert.equal(d.discount_applied, 5.7);
  assert.equal(d.total_discount, 5.7);
  assert.equal(d.order_subtotal, 57);
  assert.equal(d.claim_id, claim.body.data.claim_id);
  assert.equal(d.referral_code, 'V2AVMRDJ');
  assert.equal(d.attribution, 'coupon');
  assert.deepEqual({ ...d.reward, id: undefined }, {
    id: undefined, status: 'pending', kind: 'cash', amount: 5.13, available_at: '2026-05-14T20:00:00.000Z',
  });

  const conv = await row(c, 'SELECT * FROM conversions WHERE id = ?', d.id);
  assert.equal(conv.brand_id, c.brand.brand_id);
  assert.equal(conv.order_value_cents, 5130);
  assert.equal(conv.paid_cents, 5130);
  assert.equal(conv.discount_applied_cents, 570);
  assert.equal(conv.total_discount_cents, 570);
  assert.equal(conv.claim_id, claim.body.data.claim_id);
  assert.equal(conv.advocate_id, await advocateId(c, 'V2AVMRDJ'));
  assert.deepEqual(JSON.parse(conv.products).map((p: { name: string; price_cents: number }) => [p.name, p.price_cents]),
    [['Classic T-Shirt', 2999], ['Canvas Tote', 2701]]);
  const linked = await row(c, 'SELECT status, conversion_id FROM claims WHERE id = ?', claim.body.data.claim_id);
  assert.deepEqual({ ...linked }, { status: 'converted', conversion_id: d.id });
  const reward = await row(c, 'SELECT * FROM rewards');
  assert.deepEqual([reward.amount, reward.original_amount, reward.status, reward.conversion_id], [513, 513, 'pending', d.id]);
  assert.equal((await row(c, 'SELECT event, delta FROM reward_events')).event, 'created');
});

test('the booking pattern: the claim is linked through referral_code and the reward is 10% of 142.50', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const claim = await c.post(PATHS.claim, BOOKING_CLAIM);
  const res = await c.post(PATHS.conversion, BOOKING_CONVERSION);
  assert.equal(res.status, 201);
  assert.equal(res.body.data.order_value, 142.5);
  assert.equal(res.body.data.claim_id, claim.body.data.claim_id);
  assert.equal(res.body.data.attribution, 'referral_code');
  assert.equal(res.body.data.reward.amount, 14.25);
});

test('the 001_* conversion: attributable = 108 - 8 - 10 - 5 = 85, reward 8.5 pending, every amount stored in cents', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.conversion, ZAPIER_CONVERSION);
  assert.equal(res.status, 201);
  const d = res.body.data;
  assert.equal(d.order_value, 85);
  assert.equal(d.status, 'completed');
  assert.equal(d.referral_code, 'JOHN123');
  assert.equal(d.attribution, 'referral_code');
  assert.equal(d.claim_id, null);
  assert.equal(d.reward.amount, 8.5);
  assert.equal(d.reward.status, 'pending');
  const conv = await row(c, 'SELECT * FROM conversions');
  assert.deepEqual(
    [conv.order_total_cents, conv.tax_cents, conv.shipping_cents, conv.discount_cents, conv.order_value_cents, conv.paid_cents],
    [10800, 800, 1000, 500, 8500, 10800],
  );
  for (const k of ['order_total_cents', 'tax_cents', 'order_value_cents', 'paid_cents']) assert.ok(Number.isInteger(conv[k]), k);
  assert.equal(conv.name, 'Jane Doe');
  assert.equal(conv.email, 'buyer@example.com');
  assert.equal((await row(c, 'SELECT amount FROM rewards')).amount, 850);
});

test('Zapier numeric strings ("108.00") are accepted as amounts', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, order_total: '108.00', tax: '8.00', shipping: '10', discount: '5.0' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.data.order_value, 85);
  assert.equal((await row(c, 'SELECT order_total_cents FROM conversions')).order_total_cents, 10800);
});

test('400 names the amount field for anything but a non-negative amount with at most two decimals', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const bad of ['abc', '1e3', '-5', 'NaN', '51.301', '0x10', '1,000.00', -5, 51.301, false]) {
    assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, order_value: bad }), 400, 'invalid_request', 'order_value');
    assertError(await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, order_total: bad }), 400, 'invalid_request', 'order_total');
  }
  assertError(await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, tax: '8.000' }), 400, 'invalid_request', 'tax');
  assertError(await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, order_total: 20 }), 400, 'invalid_request', 'order_total');
  assert.equal(await count(c, 'conversions'), 0);
});

test('400 names the missing or mistyped field', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { customer_email: _e, ...noEmail } = BOOKING_CONVERSION;
  const { order_value: _v, ...noValue } = BOOKING_CONVERSION;
  assertError(await c.post(PATHS.conversion, noEmail), 400, 'invalid_request', 'customer_email');
  assertError(await c.post(PATHS.conversion, noValue), 400, 'invalid_request', 'order_value');
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, order_id: { id: 1 } }), 400, 'invalid_request', 'order_id');
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, claim_id: 'abc' }), 400, 'invalid_request', 'claim_id');
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, coupons_applied: 'V2AVMRDJ' }), 400, 'invalid_request', 'coupons_applied');
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, status: 'DONE!' }), 400, 'invalid_request', 'status');
  assert.equal(await count(c, 'conversions'), 0);
});

test('unknown top-level fields are listed in warnings and stored nowhere', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, gift_wrap: 'ribbon-9917' });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.warnings, ['unknown field "gift_wrap" was ignored']);
  assert.ok(!(await tableText(c, 'conversions')).includes('ribbon-9917'));
});

test('the same order_id with the same amount answers 200 duplicate with the first conversion, counted once', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const first = await c.post(PATHS.conversion, ZAPIER_CONVERSION);
  const again = await c.post(PATHS.conversion, ZAPIER_CONVERSION);
  assert.equal(first.status, 201);
  assert.equal(again.status, 200);
  assert.equal(again.body.data.duplicate, true);
  assert.equal(again.body.data.id, first.body.data.id);
  assert.equal(again.body.data.order_value, 85);
  assert.deepEqual([await count(c, 'conversions'), await count(c, 'rewards')], [1, 1]);
});

test('concurrent retries of one order: one 201, the others 200 duplicate, one conversion and one reward', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const answers = await Promise.all(Array.from({ length: 6 }, () => c.post(PATHS.conversion, ZAPIER_CONVERSION)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(answers.map((a) => a.body.data.id)).size, 1);
  assert.deepEqual([await count(c, 'conversions'), await count(c, 'rewards')], [1, 1]);
});

test('409 order_conflict for the same order_id with another amount; the first conversion is untouched', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const first = await c.post(PATHS.conversion, ZAPIER_CONVERSION);
  const before = await row(c, 'SELECT * FROM conversions');
  const conflict = await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, order_total: 120 });
  assertError(conflict, 409, 'order_conflict', 'order_id');
  assert.equal(conflict.body.conversion_id, first.body.data.id);
  assert.deepEqual(await row(c, 'SELECT * FROM conversions'), before);
  assert.deepEqual([await count(c, 'conversions'), await count(c, 'rewards')], [1, 1]);
  assert.equal((await row(c, 'SELECT amount FROM rewards')).amount, 850);
});

test('404 for an unknown referral_code or claim_id, and nothing stored', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, referral_code: 'NOSUCHCODE' }), 404, 'invalid_code', 'referral_code');
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, claim_id: 999 }), 404, 'claim_not_found', 'claim_id');
  const other = await c.addBrand();
  const foreign = await c.post(PATHS.claim, BOOKING_CLAIM, { brand: other });
  assert.equal(foreign.status, 201);
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, claim_id: foreign.body.data.claim_id }), 404, 'claim_not_found', 'claim_id');
  assert.equal(await count(c, 'conversions'), 0);
});

test('referrer_reward_paid states the reward; status overrides completed', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, referrer_reward_paid: '20.00', status: 'on_hold' });
  assert.equal(res.status, 201);
  assert.equal(res.body.data.reward.amount, 20);
  assert.equal(res.body.data.status, 'on_hold');
  assert.equal((await row(c, 'SELECT status FROM conversions')).status, 'on_hold');
});

test('conversions are on every plan: starter and growth brands get 201', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const plan of ['starter', 'growth'] as const) {
    const brand = await c.addBrand({ plan });
    const res = await c.post(PATHS.conversion, ZAPIER_CONVERSION, { brand });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.data.reward.amount, 8.5);
  }
});

test('Idempotency-Key: the retry answers the first 201 again; the same key with another body or endpoint is a 409', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const headers = { ...secretHeaders(c.brand), 'Idempotency-Key': 'conv-1' };
  const first = await c.post(PATHS.conversion, ZAPIER_CONVERSION, { headers });
  const again = await c.post(PATHS.conversion, ZAPIER_CONVERSION, { headers });
  assert.equal(first.status, 201);
  assert.deepEqual([again.status, again.body], [first.status, first.body]);
  assertError(await c.post(PATHS.conversion, BOOKING_CONVERSION, { headers }), 409, 'idempotency_conflict', 'Idempotency-Key');
  assert.deepEqual([await count(c, 'conversions'), await count(c, 'rewards')], [1, 1]);
  const otherBrand = await c.addBrand();
  const sameKeyOtherBrand = await c.post(PATHS.conversion, BOOKING_CONVERSION, {
    headers: { ...headers, 'X-API-Key': otherBrand.secret_key, 'X-Brand-ID': otherBrand.brand_id },
  });
  assert.equal(sameKeyOtherBrand.status, 201, 'keys are per brand');
  assertError(await c.post(PATHS.claim, { referral_code: 'JOHN123', customer_email: 'z@example.com' }, { headers }),
    409, 'idempotency_conflict', 'Idempotency-Key');
  assertError(await c.post(PATHS.conversion, { ...BOOKING_CONVERSION, order_id: 'LONG-KEY' }, { headers: { ...headers, 'Idempotency-Key': 'k'.repeat(256) } }),
    400, 'invalid_request', 'Idempotency-Key');
  assert.equal(await count(c, 'claims'), 0);
});

const conversionCase = {
  path: PATHS.conversion, okStatus: 201,
  body: (i: number) => ({ ...BOOKING_CONVERSION, order_id: `BOOKING-${i}` }),
};
transportErrorTests(conversionCase);
keyAuthTests({ ...conversionCase, browser: false });

test('an ineligible conversion stays attributed but its reward is rejected with the reason', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  // self-referral: the advocate buys with her own code (seeded as sarah@advocate.example)
  const self = await c.post(PATHS.conversion, { customer_email: ' Sarah@Advocate.example ', order_id: 'SELF-1', order_value: 40, referral_code: 'V2AVMRDJ' });
  assert.equal(self.status, 201);
  assert.equal(self.body.data.attribution, 'referral_code');
  assert.equal(self.body.data.reward.status, 'rejected');
  const note = await row(c, `SELECT note FROM reward_events WHERE reward_id = ? AND event = 'rejected'`, self.body.data.reward.id);
  assert.equal(note.note, 'self_referral');

  // a repeat customer: the first referred order earns, the second does not
  const first = await c.post(PATHS.conversion, { customer_email: 'repeat@example.com', order_id: 'R-1', order_value: 50, referral_code: 'JOHN123' });
  const second = await c.post(PATHS.conversion, { customer_email: 'repeat@example.com', order_id: 'R-2', order_value: 50, referral_code: 'JOHN123' });
  assert.equal(first.body.data.reward.status, 'pending');
  assert.equal(second.body.data.reward.status, 'rejected');
  assert.equal((await row(c, `SELECT note FROM reward_events WHERE reward_id = ? AND event = 'rejected'`, second.body.data.reward.id)).note, 'already_redeemed');
});

test('the key-in-body form is for the browser endpoints only: a secret key in a text/plain body is not read', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.post(PATHS.conversion, null, {
    headers: { 'Content-Type': 'text/plain' },
    raw: JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.secret_key, customer_email: 'a@example.com', order_id: 'X', order_value: 1 }),
  });
  assertError(res, 401, 'missing_api_key');
  assert.equal(await count(c, 'conversions'), 0);
});
