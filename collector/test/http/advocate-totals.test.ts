// The advocate counters of migration 007 (conversion count, cash by status, clawbacks), kept by triggers, equal
// after every step of a scenario driven over HTTP the sums over the rows that they replaced.
import { COUNTERS_FROM_ROWS } from '../support/definitions.ts';
import { mapInOrder } from '../../src/services/context.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, advocateId, payoutLines, testClock } from '../support/fixtures.ts';

const COOLING = 31 * DAY_MS;

/** The figures as the advocate list computed them before migration 007, from the rows: the reference. */
const FROM_ROWS = COUNTERS_FROM_ROWS;

interface Figures {
  id: number; conversionCount: number; pendingCents: number; approvedCents: number; paidCents: number;
  clawedBackCents: number; clawbackDueCents: number;
}

/** Every advocate's counters, as the advocate queries read them, equal the sums over the rows. */
async function assertCounters(c: TestCollector, step: string) {
  const expected = await c.deps.db.prepare(FROM_ROWS).all() as Figures[];
  const brandOf = c.deps.db.prepare('SELECT brand_id FROM advocates WHERE id = ?', { pluck: true });
  const actual = await mapInOrder(expected, async ({ id }) => {
    const a = (await c.deps.q.advocateStats.advocate(await brandOf.get(id) as string, id))!;
    return { id, conversionCount: a.conversionCount, pendingCents: a.pendingCents, approvedCents: a.approvedCents,
      paidCents: a.paidCents, clawedBackCents: a.clawedBackCents, clawbackDueCents: a.clawbackDueCents };
  });
  assert.deepEqual(actual, expected, step);
  return expected;
}

test('the counters equal the sums over the rows after every step: levels 1 and 2, refunds, approvals, payouts, rejections, points', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  const setLevel2 = async (level2RewardType: 'percentage' | 'points', level2RewardValue: number) =>
    c.deps.q.brands.saveSettings({ ...(await c.deps.q.brands.getBrand(brandId))!, level2RewardType, level2RewardValue });
  await setLevel2('percentage', 500);
  // B (BEA2) was referred by A (John, JOHN123): B's conversions earn A a level-2 reward.
  const a = await advocateId(c, 'JOHN123');
  const now = clock.now().toISOString();
  const b = await c.deps.q.advocates.insert(brandId, {
    email: 'bea@advocate.example', name: 'Bea Brown', status: 'active', tier: null, metadata: null, referredBy: a,
    paymentMethod: null, paymentDetails: null, campaignId: (await c.deps.q.brands.getBrand(brandId))!.defaultCampaignId,
  }, now);
  await c.deps.q.advocates.insertCode(brandId, b, 'BEA2', now);
  await assertCounters(c, 'start');

  const convert = async (orderId: string, value: number, code: string | null, email = `${orderId.toLowerCase()}@customer.example`) => {
    const r = await c.post(PATHS.conversion, { customer_email: email, order_id: orderId, order_value: value, ...(code ? { referral_code: code } : {}) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await assertCounters(c, `conversion ${orderId}`);
    return r.body.data;
  };
  const refund = async (orderId: string, amount: number, full: boolean) => {
    const r = await c.post(PATHS.refund, { order_id: orderId, refund_amount: amount, is_full_refund: full });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await assertCounters(c, `refund ${orderId} ${amount}`);
  };
  const approveDue = async () => {
    clock.advance(COOLING);
    const r = await c.call('POST', '/api/v1/commissions/approve-due');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await assertCounters(c, 'approve-due');
    return r.body.data.approved as number;
  };
  const payAll = async () => {
    const lines = payoutLines((await c.call('GET', '/api/v1/payouts')).body.data) as any[];
    const r = await c.call('POST', '/api/v1/payouts', {
      commission_ids: lines.filter((l) => l.type === 'commission').map((l) => l.commission_id),
      clawbacks: lines.filter((l) => l.type === 'clawback').map((l) => ({ commission_id: l.commission_id, amount: l.amount })),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await assertCounters(c, 'payout');
    return r.body.data;
  };

  const o1 = await convert('O-1', 200, 'BEA2'); // B level 1, A level 2
  assert.deepEqual(o1.rewards.map((r: any) => [r.level, r.kind]), [[1, 'cash'], [2, 'cash']]);
  await convert('O-2', 100, 'JOHN123');
  await convert('O-3', 80, 'BEA2');
  await convert('O-2-again', 50, 'JOHN123', 'o-2@customer.example'); // a repeat customer: rejected at once
  await convert('O-none', 70, null); // not attributed
  await refund('O-1', 50, false); // partial, before payment
  await refund('O-3', 80, true); // full, before payment: reversed
  assert.ok((await approveDue()) > 0);

  // A pending commission rejected by hand, and an approved one too.
  const o4 = await convert('O-4', 60, 'BEA2');
  const rejected = await c.call('PUT', `/api/v1/commissions/${o4.reward.id}/status`, { status: 'rejected', reason: 'test order' });
  assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
  await assertCounters(c, 'rejected pending');
  const o5 = await convert('O-5', 40, 'JOHN123');
  assert.equal((await c.call('PUT', `/api/v1/commissions/${o5.reward.id}/status`, { status: 'approved' })).status, 200);
  await assertCounters(c, 'approved by hand');
  assert.equal((await c.call('PUT', `/api/v1/commissions/${o5.reward.id}/status`, { status: 'rejected', reason: 'fraud' })).status, 200);
  await assertCounters(c, 'rejected approved');

  const first = await payAll();
  assert.ok(first.paid.length > 0);
  await refund('O-1', 30, false); // partial, after payment: clawbacks from B and A
  await refund('O-2', 100, true); // full, after payment: a clawback from John
  const owed = await assertCounters(c, 'after clawbacks');
  assert.ok(owed.some((r) => r.clawbackDueCents > 0));

  // New commissions, approved, then a payout that nets the clawbacks owed.
  await convert('O-6', 500, 'BEA2');
  await convert('O-7', 500, 'JOHN123');
  await approveDue();
  const second = await payAll();
  assert.ok(second.recovered.length > 0, JSON.stringify(second));

  // A points reward at level 2 counts in no cash figure.
  await setLevel2('points', 25);
  const o8 = await convert('O-8', 90, 'BEA2');
  assert.deepEqual(o8.rewards.map((r: any) => [r.level, r.kind]), [[1, 'cash'], [2, 'points']]);
  await refund('O-8', 90, true);

  const end = await assertCounters(c, 'end');
  const byId = new Map(end.map((r) => [r.id, r]));
  for (const id of [a, b]) {
    const r = byId.get(id)!;
    assert.ok(r.conversionCount > 0 && r.paidCents > 0 && r.clawedBackCents > 0, JSON.stringify(r));
  }
  assert.equal(byId.get(a)!.clawbackDueCents + byId.get(b)!.clawbackDueCents, 0, 'the payout netted every clawback');
  // The list reads the same counters.
  const list = (await c.call('GET', '/api/v1/advocates')).body.data.advocates as any[];
  const listedB = list.find((x) => x.id === b);
  assert.equal(listedB.paid_earnings * 100, byId.get(b)!.paidCents);
});
