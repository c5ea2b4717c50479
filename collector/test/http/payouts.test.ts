// GET /payouts and POST /payouts: what to pay now, approved commissions less the clawbacks an advocate owes,
// and recording exactly that payout, all or nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, advocateId, assertError, assertReconciles, payoutLines, testClock } from '../support/fixtures.ts';

const COOLING = 31 * DAY_MS;

test('a clawback owed from a paid commission is netted off the next payout, and recorded as recovered', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  const convert = async (orderId: string, value: number) => {
    const r = await c.post(PATHS.conversion, { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value, referral_code: 'JOHN123' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.reward.id as number;
  };
  const payouts = async () => (await c.call('GET', '/api/v1/payouts')).body.data;
  const johnNow = async () => (await c.call('GET', `/api/v1/advocates/${john}`)).body.data.advocate;

  const first = await convert('A-1', 100);
  clock.advance(COOLING);
  const list1 = await payouts();
  assert.deepEqual(payoutLines(list1).map((l: any) => [l.type, l.commission_id, l.amount, l.advocate_name, l.order_id]),
    [['commission', first, 10, 'John Smith', 'A-1']]);
  assert.deepEqual([list1.total, list1.currency], [10, 'USD']);
  const paid1 = await c.call('POST', '/api/v1/payouts', { commission_ids: [first], note: 'batch 1' });
  assert.equal(paid1.status, 200, JSON.stringify(paid1.body));
  assert.deepEqual([paid1.body.data.paid.map((p: any) => p.status), paid1.body.data.total, paid1.body.data.recovered], [['paid'], 10, []]);

  // 40 of 100 refunded after payment: 4.00 clawed back, owed by John; nothing to pay now.
  assert.equal((await c.post(PATHS.refund, { order_id: 'A-1', refund_amount: 40, is_full_refund: false })).status, 200);
  assert.deepEqual(payoutLines(await payouts()), []);
  assert.deepEqual([(await johnNow()).clawback_due, (await johnNow()).total_earnings], [4, 6]);

  const second = await convert('A-2', 50);
  clock.advance(COOLING);
  const list2 = await payouts();
  assert.deepEqual(payoutLines(list2).map((l: any) => [l.type, l.commission_id, l.amount]), [['commission', second, 5], ['clawback', first, -4]]);
  assert.equal(list2.total, 1);
  assert.deepEqual(list2.advocates.map((a: any) => [a.advocate_id, a.advocate_name, a.subtotal, a.lines.length]), [[john, 'John Smith', 1, 2]]);

  // More than is owed, an unknown commission, a commission not approved: 409/404, and nothing is written.
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: [second], clawbacks: [{ commission_id: first, amount: -4.01 }] }),
    409, 'clawback_changed', 'clawbacks');
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: [second, 999] }), 404, 'not_found');
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: [first] }), 409, 'invalid_transition');
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: [] }), 400, 'invalid_request', 'commission_ids');
  assert.deepEqual(payoutLines(await payouts()).length, 2, 'nothing was paid or recovered');

  // The lines exactly as listed.
  const clawbacks = payoutLines(list2).filter((l: any) => l.type === 'clawback').map((l: any) => ({ commission_id: l.commission_id, amount: l.amount }));
  const paid2 = await c.call('POST', '/api/v1/payouts', { commission_ids: [second], clawbacks, note: 'batch 2' });
  assert.equal(paid2.status, 200, JSON.stringify(paid2.body));
  assert.deepEqual([paid2.body.data.total, paid2.body.data.recovered], [1, [{ commission_id: first, amount: 4 }]]);
  const after = await johnNow();
  // Earned 10 − 4 + 5 = 11, all paid out (10 + 1 transferred); nothing owed.
  assert.deepEqual([after.paid_earnings, after.clawback_due, after.total_earnings], [15, 0, 11]);
  const commission = (await c.call('GET', `/api/v1/commissions/${first}`)).body.data.commission;
  assert.deepEqual([commission.clawed_back, commission.clawback_recovered, commission.net_amount], [4, 4, 6]);
  assert.deepEqual(commission.history.at(-1), { ...commission.history.at(-1), event: 'clawback_recovered', delta: 0, actor: 'api' });
  assertReconciles(commission);
  assert.deepEqual(payoutLines(await payouts()), []);
});

test('a payout nets an advocate\'s clawbacks only against that advocate\'s own commissions in it: X\'s debt against Y\'s pay is a 409', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const [x, y] = await Promise.all([advocateId(c, 'JOHN123'), advocateId(c, 'V2AVMRDJ')]);
  const convert = async (orderId: string, value: number, code: string) => {
    const r = await c.post(PATHS.conversion, { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value, referral_code: code });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.reward.id as number;
  };
  const advocate = async (id: number) => (await c.call('GET', `/api/v1/advocates/${id}`)).body.data.advocate;
  // X is paid 10.00, then the order is refunded in full: X owes 10.00. Y has 1.00 approved.
  const xs = await convert('X-1', 100, 'JOHN123');
  clock.advance(COOLING);
  assert.equal((await c.call('POST', '/api/v1/payouts', { commission_ids: [xs] })).status, 200);
  assert.equal((await c.post(PATHS.refund, { order_id: 'X-1', refund_amount: 100, is_full_refund: true })).status, 200);
  const ys = await convert('Y-1', 10, 'V2AVMRDJ');
  clock.advance(COOLING);
  assert.equal((await advocate(x)).clawback_due, 10);

  // GET /payouts lists Y's 1.00 alone: X has nothing to net the clawback against.
  const listed = (await c.call('GET', '/api/v1/payouts')).body.data;
  assert.deepEqual(listed.advocates.map((a: any) => [a.advocate_id, a.subtotal]), [[y, 1]]);
  assert.deepEqual(payoutLines(listed).map((l: any) => [l.type, l.commission_id]), [['commission', ys]]);

  const smuggled = await c.call('POST', '/api/v1/payouts', { commission_ids: [ys], clawbacks: [{ commission_id: xs, amount: 10 }] });
  assertError(smuggled, 409, 'clawback_not_covered', 'clawbacks');
  assert.match(smuggled.body.error, new RegExp(`advocate ${x}: 10(\\.00)? of clawbacks against 0(\\.00)?`));
  assert.deepEqual([(await advocate(x)).clawback_due, (await advocate(y)).approved_earnings], [10, 1], 'nothing changed');
  const xCommission = (await c.call('GET', `/api/v1/commissions/${xs}`)).body.data.commission;
  assert.deepEqual([xCommission.clawed_back, xCommission.clawback_recovered], [10, 0]);

  // What GET listed is accepted as listed.
  const paid = await c.call('POST', '/api/v1/payouts', { commission_ids: [ys] });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.deepEqual([paid.body.data.total, paid.body.data.recovered], [1, []]);
  assert.equal((await advocate(x)).clawback_due, 10, 'X still owes what no payout of X netted off');
});
