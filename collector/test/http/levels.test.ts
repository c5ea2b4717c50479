// Two-level rewards over real HTTP: a conversion through B's code, B having been referred by A, credits B
// (level 1) and A (level 2) at their rates; refunds, rejections and blocked or ineligible referrers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, ZAPIER_CONVERSION, ZAPIER_REFUND, advocateId, testClock } from '../support/fixtures.ts';
import type { Brand } from '../../src/db/brands.ts';

/** B (code BEA2), referred by A (John, JOHN123); the brand pays level 2 by `level2`. */
async function levels(c: TestCollector, level2: Pick<Brand, 'level2RewardType' | 'level2RewardValue'> = { level2RewardType: 'percentage', level2RewardValue: 500 }) {
  const brandId = c.brand.brand_id;
  await c.deps.q.brands.saveSettings({ ...(await c.deps.q.brands.getBrand(brandId))!, ...level2 });
  const a = await advocateId(c, 'JOHN123');
  const now = new Date().toISOString();
  const b = await c.deps.q.advocates.insert(brandId, {
    email: 'bea@advocate.example', name: 'Bea Brown', status: 'active', tier: null, metadata: null, referredBy: a,
    paymentMethod: null, paymentDetails: null, campaignId: (await c.deps.q.brands.getBrand(brandId))!.defaultCampaignId,
  }, now);
  await c.deps.q.advocates.insertCode(brandId, b, 'BEA2', now);
  return { a, b };
}

/** ZAPIER_CONVERSION through B's code: 85.00 attributable, 108.00 paid. */
const throughB = { ...ZAPIER_CONVERSION, referral_code: 'BEA2' };

async function convert(c: TestCollector, body: Record<string, unknown>) {
  const res = await c.post(PATHS.conversion, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

const commission = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/commissions/${id}`)).body.data.commission;

test('a customer referred by B, who was referred by A: B earns level 1 (10%), A level 2 (5%), both pending', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const { a, b } = await levels(c);
  const d = await convert(c, throughB);
  assert.deepEqual({ ...d.reward, id: undefined }, { id: undefined, status: 'pending', kind: 'cash', amount: 8.5, available_at: '2026-05-14T12:00:00.000Z' },
    '`reward` keeps its shape: the level-1 reward');
  assert.deepEqual(d.rewards.map((r: Record<string, unknown>) => [r.level, r.advocate_id, r.status, r.kind, r.amount, r.available_at]), [
    [1, b, 'pending', 'cash', 8.5, '2026-05-14T12:00:00.000Z'],
    [2, a, 'pending', 'cash', 4.25, '2026-05-14T12:00:00.000Z'],
  ]);

  const list = (await c.call('GET', '/api/v1/commissions', undefined, { query: { level: 2 } })).body.data;
  assert.deepEqual(list.commissions.map((x: Record<string, unknown>) => [x.id, x.advocate_id, x.level, x.amount, x.conversion_amount]),
    [[d.rewards[1].id, a, 2, 4.25, 85]]);

  // Both are approved when the cooling period ends.
  clock.advance(30 * DAY_MS);
  for (const r of d.rewards) assert.equal((await commission(c, r.id)).status, 'approved');
});

test('a refund takes back both levels in proportion; a full refund reverses both', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await levels(c);
  const d = await convert(c, throughB);
  const partial = await c.post(PATHS.refund, ZAPIER_REFUND);
  // 50 of 108: level 1 8.50 -> 4.56; level 2 4.25 -> 4.25 - 1.97 = 2.28.
  assert.deepEqual(partial.body.data.rewards.map((r: Record<string, unknown>) => [r.level, r.status, r.amount]),
    [[1, 'pending', 4.56], [2, 'pending', 2.28]]);
  assert.equal((await commission(c, d.rewards[1].id)).amount, 2.28);

  const full = await c.post(PATHS.refund, { order_id: 'ORD-12345', refund_amount: 58, is_full_refund: true });
  assert.deepEqual(full.body.data.rewards.map((r: Record<string, unknown>) => [r.level, r.status, r.amount]),
    [[1, 'reversed', 0], [2, 'reversed', 0]]);
  for (const r of d.rewards) {
    const x = await commission(c, r.id);
    const sum = x.history.reduce((s: number, e: { delta: number }) => s + Math.round(e.delta * 100), 0);
    assert.equal(sum, 0, 'the history adds up to the net value, 0');
  }
});

test('a paid level-2 reward gets its own clawback', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await levels(c);
  const d = await convert(c, throughB);
  const l2 = d.rewards[1].id as number;
  await c.call('PUT', `/api/v1/commissions/${l2}/status`, { status: 'approved' });
  assert.equal((await c.call('PUT', `/api/v1/commissions/${l2}/status`, { status: 'paid' })).status, 200);
  await c.post(PATHS.refund, ZAPIER_REFUND);
  const x = await commission(c, l2);
  assert.deepEqual([x.status, x.amount, x.clawed_back, x.net_amount], ['paid', 4.25, 1.97, 2.28]);
  assert.equal((await commission(c, d.rewards[0].id)).amount, 4.56, 'level 1 (unpaid) reduced');
});

test('the level-2 rule may be a fixed amount or points', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await levels(c, { level2RewardType: 'fixed', level2RewardValue: 300 });
  const d = await convert(c, throughB);
  assert.deepEqual([d.rewards[1].kind, d.rewards[1].amount], ['cash', 3]);
  await c.deps.q.brands.saveSettings({ ...(await c.deps.q.brands.getBrand(c.brand.brand_id))!, level2RewardType: 'points', level2RewardValue: 25 });
  const e = await convert(c, { ...throughB, order_id: 'ORD-2', customer_email: 'second@customer.example' });
  assert.deepEqual([e.rewards[1].kind, e.rewards[1].amount], ['points', 25]);
});

test('no level 2 when the brand has level 2 off, A is blocked or pending, or A is the customer', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  const { a } = await levels(c, { level2RewardType: 'none', level2RewardValue: 0 });
  const off = await convert(c, { ...throughB, order_id: 'O-off', customer_email: 'off@customer.example' });
  assert.deepEqual(off.rewards.map((r: { level: number }) => r.level), [1]);

  await c.deps.q.brands.saveSettings({ ...(await c.deps.q.brands.getBrand(brandId))!, level2RewardType: 'percentage', level2RewardValue: 500 });
  await c.deps.q.advocates.setStatus(brandId, a, 'blocked');
  const blocked = await convert(c, { ...throughB, order_id: 'O-blocked', customer_email: 'blocked@customer.example' });
  assert.deepEqual(blocked.rewards.map((r: { level: number }) => r.level), [1]);
  await c.deps.q.advocates.setStatus(brandId, a, 'pending');
  const pending = await convert(c, { ...throughB, order_id: 'O-pending', customer_email: 'pending@customer.example' });
  assert.deepEqual(pending.rewards.map((r: { level: number }) => r.level), [1]);

  await c.deps.q.advocates.setStatus(brandId, a, 'active');
  const self = await convert(c, { ...throughB, order_id: 'O-self', customer_email: 'john@advocate.example' });
  assert.deepEqual(self.rewards.map((r: { level: number; status: string }) => [r.level, r.status]), [[1, 'pending']],
    'A buying through B\'s code earns nothing at level 2');
  const active = await convert(c, { ...throughB, order_id: 'O-active', customer_email: 'active@customer.example' });
  assert.deepEqual(active.rewards.map((r: { level: number }) => r.level), [1, 2]);
});

test('when the level-1 reward is rejected (ineligible), the level-2 reward is rejected with the same reason', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await levels(c);
  // B buys through B's own code: a self-referral.
  const d = await convert(c, { ...throughB, customer_email: 'bea@advocate.example' });
  assert.deepEqual(d.rewards.map((r: { level: number; status: string }) => [r.level, r.status]), [[1, 'rejected'], [2, 'rejected']]);
  const l2 = await commission(c, d.rewards[1].id);
  assert.deepEqual([l2.reason, l2.net_amount], ['self_referral', 0]);
  assert.deepEqual(l2.history.map((e: { event: string; delta: number }) => [e.event, e.delta]), [['created', 4.25], ['rejected', -4.25]]);
});

test('an advocate without a referrer, or referred by itself, earns level 1 only', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { b } = await levels(c);
  const brandId = c.brand.brand_id;
  const d = await convert(c, { ...ZAPIER_CONVERSION });
  assert.deepEqual(d.rewards.map((r: { level: number }) => r.level), [1], 'John (A) was referred by nobody');
  await c.deps.db.prepare('UPDATE advocates SET referred_by = id WHERE brand_id = ? AND id = ?').run(brandId, b);
  const e = await convert(c, { ...throughB, order_id: 'ORD-2', customer_email: 'second@customer.example' });
  assert.deepEqual(e.rewards.map((r: { level: number }) => r.level), [1]);
});
