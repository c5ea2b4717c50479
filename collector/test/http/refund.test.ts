// POST /api/v1/track/refund over real HTTP: full, partial and cumulative refunds, total_refunded,
// refund_id, the three ways to name the order, the reward taken back, and every error the endpoint can give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import {
  PATHS, SHOPIFY_CLAIM, SHOPIFY_CONVERSION, SHOPIFY_REFUND, ZAPIER_CONVERSION, ZAPIER_REFUND,
  assertError, count, row, rows, secretHeaders, tableText,
} from '../support/fixtures.ts';
import { keyAuthTests, transportErrorTests } from '../support/endpointErrors.ts';

/** The Shopify pattern up to payment: claim and conversion of ORD-12345 (51.30 paid, reward 5.13). */
async function shopifyPaid(c: TestCollector) {
  const claim = await c.post(PATHS.claim, SHOPIFY_CLAIM);
  const conversion = await c.post(PATHS.conversion, SHOPIFY_CONVERSION);
  assert.equal(conversion.status, 201);
  return { claimId: claim.body.data.claim_id as number, conversionId: conversion.body.data.id as number };
}

/** The 001_* conversion of ORD-12345: 108.00 paid, 85 attributable, reward 8.50. */
async function zapierPaid(c: TestCollector) {
  const conversion = await c.post(PATHS.conversion, ZAPIER_CONVERSION);
  assert.equal(conversion.status, 201);
  return conversion.body.data.id as number;
}

const conversionRow = (c: TestCollector) => row(c, 'SELECT status, refunded_cents FROM conversions');
const rewardRow = (c: TestCollector) => row(c, 'SELECT status, amount, original_amount FROM rewards');

test('the Shopify full refund of 000_*: 200 with the documented fields, claim and conversion refunded, reward reversed', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { claimId, conversionId } = await shopifyPaid(c);
  const res = await c.post(PATHS.refund, SHOPIFY_REFUND);
  assert.equal(res.status, 200);
  assert.equal(res.body.success, true);
  const d = res.body.data;
  assert.equal(d.status, 'refunded');
  assert.equal(d.claim_updated, true);
  assert.equal(d.conversion_updated, true);
  assert.equal(d.claim_id, claimId);
  assert.equal(d.conversion_id, conversionId);
  assert.equal(d.total_refunded, 51.3);
  assert.deepEqual({ ...d.reward, id: undefined }, { id: undefined, status: 'reversed', amount: 0 });

  assert.deepEqual({ ...await conversionRow(c) }, { status: 'refunded', refunded_cents: 5130 });
  assert.equal((await row(c, 'SELECT status FROM claims')).status, 'refunded');
  assert.deepEqual({ ...await rewardRow(c) }, { status: 'reversed', amount: 0, original_amount: 513 });
  assert.deepEqual((await rows(c, `SELECT event, delta FROM reward_events ORDER BY id`)).map((e) => [e.event, e.delta]),
    [['created', 513], ['reversed', -513]]);
  const refund = await row(c, 'SELECT * FROM refunds');
  assert.deepEqual([refund.amount_cents, refund.total_refunded_cents, refund.is_full_refund, refund.conversion_id],
    [5130, 5130, 1, conversionId]);
});

test('the 001_* partial refund: 50 of 108 -> partial_refund, reward reduced in proportion (8.50 -> 4.56)', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const conversionId = await zapierPaid(c);
  const res = await c.post(PATHS.refund, ZAPIER_REFUND);
  assert.equal(res.status, 200);
  const d = res.body.data;
  assert.equal(d.status, 'partial_refund');
  assert.equal(d.conversion_id, conversionId);
  assert.equal(d.conversion_updated, true);
  assert.equal(d.claim_updated, false, 'this order had no claim');
  assert.equal(d.claim_id, null);
  assert.equal(d.total_refunded, 50);
  assert.deepEqual([d.reward.status, d.reward.amount], ['pending', 4.56]);
  assert.deepEqual({ ...await conversionRow(c) }, { status: 'partial_refund', refunded_cents: 5000 });
  assert.deepEqual({ ...await rewardRow(c) }, { status: 'pending', amount: 456, original_amount: 850 });
  assert.equal((await row(c, 'SELECT reason FROM refunds')).reason, 'Customer changed mind on one item');
});

test('partial refunds add up; the one that reaches the amount paid makes it a full refund', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await zapierPaid(c);
  const first = await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 20, is_full_refund: false });
  const second = await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: '30.00', is_full_refund: 'false' });
  assert.deepEqual([first.body.data.total_refunded, second.body.data.total_refunded], [20, 50]);
  assert.equal(second.body.data.status, 'partial_refund');
  assert.equal(second.body.data.reward.amount, 4.56, 'the same reward as one refund of 50');
  const last = await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 58, is_full_refund: false });
  assert.equal(last.status, 200);
  assert.equal(last.body.data.status, 'refunded');
  assert.deepEqual({ ...await conversionRow(c) }, { status: 'refunded', refunded_cents: 10800 });
  assert.deepEqual([(await rewardRow(c)).status, (await rewardRow(c)).amount], ['reversed', 0]);
  assert.equal(await count(c, 'refunds'), 3);
});

test('total_refunded is authoritative over the running sum', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await zapierPaid(c);
  await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 20, total_refunded: 20, is_full_refund: false });
  // A refund notice was lost: the platform says 50 in total now, although this refund is 10.
  const res = await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 10, total_refunded: 50, is_full_refund: false });
  assert.equal(res.body.data.total_refunded, 50);
  assert.equal((await conversionRow(c)).refunded_cents, 5000);
  assert.equal((await rewardRow(c)).amount, 456);
});

test('a repeated refund_id is not subtracted twice', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await zapierPaid(c);
  const body = { order_id: 'ORD-12345', refund_amount: 20, is_full_refund: false, refund_id: 're_1' };
  const first = await c.post(PATHS.refund, body);
  const again = await c.post(PATHS.refund, body);
  assert.equal(first.status, 200);
  assert.equal(again.status, 200);
  assert.equal(again.body.data.duplicate, true);
  assert.equal(again.body.data.total_refunded, 20);
  assert.equal((await conversionRow(c)).refunded_cents, 2000);
  assert.equal(await count(c, 'refunds'), 1);
  assert.equal((await rewardRow(c)).amount, Math.round(first.body.data.reward.amount * 100));
  const next = await c.post(PATHS.refund, { ...body, refund_id: 're_2' });
  assert.equal(next.body.data.total_refunded, 40);
});

test('the order may be named by conversion_id or by claim_id', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { claimId, conversionId } = await shopifyPaid(c);
  const byConversion = await c.post(PATHS.refund, { conversion_id: conversionId, refund_amount: 10, is_full_refund: false });
  assert.equal(byConversion.status, 200);
  assert.deepEqual([byConversion.body.data.conversion_id, byConversion.body.data.claim_id], [conversionId, claimId]);
  const byClaim = await c.post(PATHS.refund, { claim_id: String(claimId), refund_amount: 10, is_full_refund: false });
  assert.equal(byClaim.status, 200);
  assert.deepEqual([byClaim.body.data.conversion_id, byClaim.body.data.claim_id], [conversionId, claimId]);
  assert.equal(byClaim.body.data.total_refunded, 20);
  assert.equal((await conversionRow(c)).refunded_cents, 2000);
});

test('400 for refunds over the amount paid, and nothing changed', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await shopifyPaid(c);
  const before = { conversion: await conversionRow(c), reward: await rewardRow(c), claims: await tableText(c, 'claims') };
  assertError(await c.post(PATHS.refund, { ...SHOPIFY_REFUND, refund_amount: 51.31 }), 400, 'refund_exceeds_payment', 'refund_amount');
  assertError(await c.post(PATHS.refund, { ...SHOPIFY_REFUND, refund_amount: 10, total_refunded: 60, is_full_refund: false }),
    400, 'refund_exceeds_payment', 'total_refunded');
  assert.deepEqual({ conversion: await conversionRow(c), reward: await rewardRow(c), claims: await tableText(c, 'claims') }, before);
  assert.equal(await count(c, 'refunds'), 0);

  assert.equal((await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 40, is_full_refund: false })).status, 200);
  assertError(await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 20, is_full_refund: false }),
    400, 'refund_exceeds_payment', 'refund_amount');
  assert.equal((await conversionRow(c)).refunded_cents, 4000);
  assert.equal(await count(c, 'refunds'), 1);
});

test('new_status overrides refunded / partial_refund on the conversion and its claim', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await shopifyPaid(c);
  const res = await c.post(PATHS.refund, { ...SHOPIFY_REFUND, new_status: 'chargeback' });
  assert.equal(res.body.data.status, 'chargeback');
  assert.equal((await conversionRow(c)).status, 'chargeback');
  assert.equal((await row(c, 'SELECT status FROM claims')).status, 'chargeback');
  assert.equal((await rewardRow(c)).status, 'reversed', 'a full refund reverses the reward whatever the status name');
});

test('a refund after the reward was paid keeps the payment and records a clawback', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const conversionId = await zapierPaid(c);
  const [reward] = await c.deps.q.rewards.findByConversion(c.brand.brand_id, conversionId);
  await c.deps.q.rewards.save(c.brand.brand_id, { ...reward!, status: 'paid' });
  const res = await c.post(PATHS.refund, ZAPIER_REFUND);
  assert.equal(res.status, 200);
  assert.deepEqual([res.body.data.reward.status, res.body.data.reward.amount], ['paid', 8.5]);
  assert.deepEqual((await rows(c, `SELECT event, delta FROM reward_events WHERE event = 'clawback'`)).map((e) => e.delta), [-394]);
});

test('404 for an order_id, conversion_id or claim_id that is not this brand\'s', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.refund, SHOPIFY_REFUND), 404, 'not_found', 'order_id');
  assertError(await c.post(PATHS.refund, { conversion_id: 77, refund_amount: 1, is_full_refund: false }), 404, 'not_found', 'conversion_id');
  assertError(await c.post(PATHS.refund, { claim_id: 77, refund_amount: 1, is_full_refund: false }), 404, 'not_found', 'claim_id');
  const other = await c.addBrand();
  assert.equal((await c.post(PATHS.conversion, SHOPIFY_CONVERSION, { brand: other })).status, 201);
  assertError(await c.post(PATHS.refund, SHOPIFY_REFUND), 404, 'not_found', 'order_id');
  assert.equal(await count(c, 'refunds'), 0);
});

test('400 names the missing or mistyped field', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await shopifyPaid(c);
  assertError(await c.post(PATHS.refund, { refund_amount: 1, is_full_refund: false }), 400, 'invalid_request', 'order_id');
  assertError(await c.post(PATHS.refund, { order_id: 'ORD-12345', is_full_refund: false }), 400, 'invalid_request', 'refund_amount');
  assertError(await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 1 }), 400, 'invalid_request', 'is_full_refund');
  assertError(await c.post(PATHS.refund, { ...SHOPIFY_REFUND, is_full_refund: 'yes' }), 400, 'invalid_request', 'is_full_refund');
  for (const bad of ['abc', '1e3', '-5', 'NaN', '1.005', -1]) {
    assertError(await c.post(PATHS.refund, { ...SHOPIFY_REFUND, refund_amount: bad }), 400, 'invalid_request', 'refund_amount');
  }
  assertError(await c.post(PATHS.refund, { ...SHOPIFY_REFUND, total_refunded: 'all' }), 400, 'invalid_request', 'total_refunded');
  assertError(await c.post(PATHS.refund, { ...SHOPIFY_REFUND, conversion_id: -3 }), 400, 'invalid_request', 'conversion_id');
  assert.equal(await count(c, 'refunds'), 0);
});

test('unknown top-level fields are listed in warnings and stored nowhere', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await shopifyPaid(c);
  const res = await c.post(PATHS.refund, { ...SHOPIFY_REFUND, refunded_by: 'clerk-5521' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.warnings, ['unknown field "refunded_by" was ignored']);
  assert.ok(!(await tableText(c, 'refunds')).includes('clerk-5521'));
});

test('refunds are on every plan: starter and growth brands record their conversion (201) and refund (200)', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const plan of ['starter', 'growth'] as const) {
    const brand = await c.addBrand({ plan });
    assert.equal((await c.post(PATHS.conversion, ZAPIER_CONVERSION, { brand })).status, 201);
    const res = await c.post(PATHS.refund, ZAPIER_REFUND, { brand });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.status, 'partial_refund');
  }
});

test('Idempotency-Key: a retried partial refund without refund_id is answered again, not subtracted twice', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await zapierPaid(c);
  const headers = { ...secretHeaders(c.brand), 'Idempotency-Key': 'refund-1' };
  const body = { order_id: 'ORD-12345', refund_amount: 20, is_full_refund: false };
  const first = await c.post(PATHS.refund, body, { headers });
  const again = await c.post(PATHS.refund, body, { headers });
  assert.equal(first.status, 200);
  assert.deepEqual([again.status, again.body], [first.status, first.body]);
  assert.equal((await conversionRow(c)).refunded_cents, 2000);
  assertError(await c.post(PATHS.refund, { ...body, refund_amount: 30 }, { headers }), 409, 'idempotency_conflict', 'Idempotency-Key');
  assert.equal(await count(c, 'refunds'), 1);
});

const refundCase = {
  path: PATHS.refund, okStatus: 200,
  setup: async (c: TestCollector) => { await zapierPaid(c); },
  body: (_i: number) => ({ order_id: 'ORD-12345', refund_amount: 1, is_full_refund: false }),
};
transportErrorTests(refundCase);
keyAuthTests({ ...refundCase, browser: false });
