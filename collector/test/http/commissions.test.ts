// /api/v1/commissions over real HTTP with an injected clock: the reward's life (pending, approved when the
// cooling period ends or by override, paid, rejected), refunds after payment, the history and its totals,
// the list's filters and pagination, the CSV export, approve-due, points rewards, and the CLI's services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/http/csv.ts';
import { startTestCollector, type TestBrand, type TestCollector } from '../support/collector.ts';
import {
  DAY_MS, PATHS, ZAPIER_CONVERSION, ZAPIER_REFUND, advocateId, assertError, assertReconciles, row, testClock,
} from '../support/fixtures.ts';
import { markPaid, payoutList, setCommissionStatus } from '../../src/services/commissions.ts';
import { postPoints } from '../../src/services/points.ts';
import type { Ctx } from '../../src/services/context.ts';

const COOLING = 30 * DAY_MS;
const path = (id: number | string) => `/api/v1/commissions/${id}`;

async function convert(c: TestCollector, body: Record<string, unknown>, brand?: TestBrand) {
  const res = await c.post(PATHS.conversion, body, brand ? { brand } : {});
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

/** A referred order of `email` through `code`: 100.00 attributable, a 10.00 reward. */
const order = (c: TestCollector, orderId: string, code: string, email = `${orderId.toLowerCase()}@customer.example`, brand?: TestBrand) =>
  convert(c, { order_id: orderId, customer_email: email, order_value: 100, referral_code: code }, brand);

async function getCommission(c: TestCollector, id: number) {
  const res = await c.call('GET', path(id));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.commission;
}

const setStatus = (c: TestCollector, id: number, body: unknown, method = 'PUT') => c.call(method, `${path(id)}/status`, body);

/** The invariant: the history's deltas add up to the net value, to the cent. */
async function ctxOf(c: TestCollector, now: Date, brand: TestBrand = c.brand): Promise<Ctx> {
  return { q: c.deps.q, brand: (await c.deps.q.brands.getBrand(brand.brand_id))!, now };
}

test('the issue\'s scenario: pending, pay too early 409, approved when the cooling period ends, paid, partial refund clawback, totals', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const conversion = await convert(c, ZAPIER_CONVERSION);
  const id = conversion.reward.id as number;
  assert.equal(conversion.reward.status, 'pending');

  const early = await setStatus(c, id, { status: 'paid' });
  assertError(early, 409, 'invalid_transition', 'status');
  assert.match(early.body.error, /pending/);
  assert.match(early.body.error, /paid/);
  assert.equal((await getCommission(c, id)).status, 'pending');

  clock.advance(COOLING - 1);
  assert.equal((await getCommission(c, id)).status, 'pending', 'one millisecond before the end of the cooling period');
  clock.advance(1);
  const approved = await getCommission(c, id);
  assert.equal(approved.status, 'approved');
  assert.equal(approved.approved_at, approved.available_at);
  assert.equal(approved.available_at, '2026-05-14T12:00:00.000Z');
  assert.deepEqual(approved.history.map((e: Record<string, unknown>) => [e.event, e.delta, e.actor, e.created_at]), [
    ['created', 8.5, 'system', '2026-04-14T12:00:00.000Z'],
    ['approved', 0, 'system', '2026-05-14T12:00:00.000Z'],
  ]);

  clock.advance(DAY_MS);
  const paid = await setStatus(c, id, { status: 'paid', reason: 'bank transfer 77' });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  const p = paid.body.data.commission;
  assert.deepEqual([p.status, p.paid_at, p.amount, p.net_amount, p.clawed_back], ['paid', '2026-05-15T12:00:00.000Z', 8.5, 8.5, 0]);
  assert.deepEqual(p.history.at(-1), { event: 'paid', delta: 0, note: 'bank transfer 77', actor: 'api', created_at: '2026-05-15T12:00:00.000Z' });

  // 50 of 108 refunded: 8.50 × 50 / 108 = 3.935… -> 3.94 clawed back, 4.56 kept.
  const refund = await c.post(PATHS.refund, { ...ZAPIER_REFUND, refund_id: 're_1' });
  assert.equal(refund.status, 200);
  assert.deepEqual([refund.body.data.reward.status, refund.body.data.reward.amount], ['paid', 8.5]);
  const clawed = await getCommission(c, id);
  assert.deepEqual([clawed.status, clawed.amount, clawed.clawed_back, clawed.net_amount], ['paid', 8.5, 3.94, 4.56]);
  assert.deepEqual(clawed.history.at(-1), {
    event: 'clawback', delta: -3.94, note: 'Customer changed mind on one item', actor: 'system', created_at: '2026-05-15T12:00:00.000Z',
  });
  assertReconciles(clawed);

  const again = await c.post(PATHS.refund, { ...ZAPIER_REFUND, refund_id: 're_1' });
  assert.equal(again.body.data.duplicate, true);
  assert.deepEqual(await getCommission(c, id), clawed, 'the same refund_id changes nothing');
  assert.equal((await row(c, 'SELECT clawed_back FROM rewards WHERE id = ?', id)).clawed_back, 394);
});

test('the operator approves before the cooling period ends: an override in the history; the same status again changes nothing', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const id = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  clock.advance(2 * DAY_MS);
  const res = await setStatus(c, id, { status: 'approved' });
  assert.equal(res.status, 200);
  const a = res.body.data.commission;
  assert.deepEqual([a.status, a.approved_at], ['approved', '2026-04-16T12:00:00.000Z']);
  const last = a.history.at(-1);
  assert.deepEqual([last.event, last.actor, last.delta], ['approved', 'api', 0]);
  assert.match(last.note, /override/);

  clock.advance(DAY_MS);
  const again = await setStatus(c, id, { status: 'approved' });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body.data.commission, a, 'a retry changes nothing, not even updated_at');

  // The cooling period ending later does not approve it a second time.
  clock.advance(COOLING);
  assert.equal((await getCommission(c, id)).history.length, 2);
});

test('PATCH is accepted like PUT; a reason on approval is kept in the history', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const id = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  const res = await setStatus(c, id, { status: 'approved', reason: 'trusted partner' }, 'PATCH');
  assert.equal(res.status, 200);
  assert.equal(res.body.data.commission.status, 'approved');
  assert.match(res.body.data.commission.history.at(-1).note, /trusted partner/);
});

test('rejection with a reason: the value goes to 0 through a negative delta; rejected is final', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const pendingId = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  const res = await setStatus(c, pendingId, { status: 'rejected', reason: 'fraudulent order' });
  assert.equal(res.status, 200);
  const r = res.body.data.commission;
  assert.deepEqual([r.status, r.reason, r.amount, r.net_amount], ['rejected', 'fraudulent order', 10, 0]);
  assert.deepEqual(r.history.at(-1), { event: 'rejected', delta: -10, note: 'fraudulent order', actor: 'api', created_at: r.updated_at });
  assertReconciles(r);

  assert.deepEqual((await setStatus(c, pendingId, { status: 'rejected', reason: 'other' })).body.data.commission, r, 'retry: unchanged');
  for (const status of ['approved', 'paid']) {
    const bad = await setStatus(c, pendingId, { status });
    assertError(bad, 409, 'invalid_transition', 'status');
    assert.match(bad.body.error, new RegExp(`rejected.*${status}`));
  }

  // An approved one may be rejected too; without a reason, a default one is recorded.
  const approvedId = (await order(c, 'O-2', 'JOHN123')).reward.id as number;
  await setStatus(c, approvedId, { status: 'approved' });
  const rejected = (await setStatus(c, approvedId, { status: 'rejected' })).body.data.commission;
  assert.deepEqual([rejected.status, rejected.reason, rejected.net_amount], ['rejected', 'rejected by the operator', 0]);
  // The cooling period ending does not bring a rejected commission back.
  clock.advance(COOLING);
  assert.equal((await getCommission(c, pendingId)).status, 'rejected');
});

test('a paid commission cannot be rejected or approved (409 naming both states), and stays paid', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const id = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  await setStatus(c, id, { status: 'approved' });
  assert.equal((await setStatus(c, id, { status: 'paid' })).status, 200);
  const reject = await setStatus(c, id, { status: 'rejected', reason: 'too late' });
  assertError(reject, 409, 'invalid_transition', 'status');
  assert.match(reject.body.error, /paid/);
  assert.match(reject.body.error, /rejected/);
  assertError(await setStatus(c, id, { status: 'approved' }), 409, 'invalid_transition', 'status');
  assert.equal((await setStatus(c, id, { status: 'paid' })).status, 200, 'paying again is a safe retry');
  const after = await getCommission(c, id);
  assert.deepEqual([after.status, after.reason, after.history.length], ['paid', null, 3]);
});

test('a reversed commission (full refund) cannot be approved or paid', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const id = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  await c.post(PATHS.refund, { order_id: 'O-1', refund_amount: 100, is_full_refund: true });
  const reversed = await getCommission(c, id);
  assert.deepEqual([reversed.status, reversed.amount, reversed.net_amount], ['reversed', 0, 0]);
  assertReconciles(reversed);
  const bad = await setStatus(c, id, { status: 'approved' });
  assertError(bad, 409, 'invalid_transition', 'status');
  assert.match(bad.body.error, /reversed.*approved/);
});

test('404 for an unknown, malformed or other brand\'s commission id, on GET and PUT; nothing changes', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const other = await c.addBrand();
  const theirs = (await order(c, 'O-1', 'JOHN123', undefined, other)).reward.id as number;
  for (const id of [theirs, 999, 'abc', '0', '-1', '1.5']) {
    assertError(await c.call('GET', path(id)), 404, 'not_found');
    assertError(await c.call('PUT', `${path(id)}/status`, { status: 'approved' }), 404, 'not_found');
  }
  const mine = await c.call('GET', path(theirs), undefined, { brand: other });
  assert.equal(mine.body.data.commission.status, 'pending', 'the owner still sees it pending');
});

test('400 names `status` when it is missing or not an operator status', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const id = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  for (const body of [{}, { status: 'done' }, { status: 'pending' }, { status: 'reversed' }, { status: 3 }]) {
    assertError(await setStatus(c, id, body), 400, 'invalid_request', 'status');
  }
  assertError(await setStatus(c, id, { status: 'rejected', reason: 5 }), 400, 'invalid_request', 'reason');
  assert.equal((await getCommission(c, id)).history.length, 1);
});

test('the list: newest first, filters by status, advocate (three spellings), level and dates, both pagination forms', async (t) => {
  const clock = testClock('2026-04-14T12:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const ids: number[] = [];
  for (const [i, code] of ['JOHN123', 'V2AVMRDJ', 'JOHN123', 'TESTCODE', 'JOHN123'].entries()) {
    ids.push((await order(c, `O-${i}`, code)).reward.id);
    clock.advance(DAY_MS); // O-0 on the 14th, O-1 on the 15th, ... O-4 on the 18th
  }
  await setStatus(c, ids[2]!, { status: 'rejected', reason: 'test' });
  await order(c, 'X-1', 'JOHN123', undefined, await c.addBrand());
  const list = async (query: Record<string, string | number> = {}) => {
    const res = await c.call('GET', '/api/v1/commissions', undefined, { query });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data;
  };
  const all = await list();
  assert.deepEqual(all.commissions.map((x: { id: number }) => x.id), [...ids].reverse(), 'newest first, this brand only');
  // No count unless asked: has_more comes from LIMIT + 1; total=true counts exactly.
  assert.deepEqual([all.total, all.page, all.limit, all.offset, all.has_more, all.next_cursor], [undefined, 1, 20, 0, false, null]);
  assert.equal((await list({ total: 'true' })).total, 5);
  const first = all.commissions.at(-1);
  assert.deepEqual(Object.keys(first).sort(), [
    'advocate_id', 'amount', 'approved_at', 'available_at', 'campaign_id', 'clawback_recovered', 'clawed_back', 'conversion_amount', 'conversion_id', 'created_at',
    'currency', 'id', 'kind', 'level', 'net_amount', 'order_id', 'original_amount', 'paid_at', 'reason', 'referral_record_uuid',
    'reward_action_type', 'status', 'updated_at',
  ]);
  assert.deepEqual([first.order_id, first.amount, first.conversion_amount, first.currency, first.level, first.kind, first.advocate_id, first.reward_action_type],
    ['O-0', 10, 100, 'USD', 1, 'cash', john, 1]);

  const idsOf = (d: { commissions: Array<{ id: number }> }) => d.commissions.map((x) => x.id);
  assert.deepEqual(idsOf(await list({ status: 'rejected' })), [ids[2]]);
  assert.deepEqual(idsOf(await list({ status: 'pending', advocate_id: john })), [ids[4], ids[0]]);
  assert.deepEqual(idsOf(await list({ affiliate_id: sarah })), [ids[1]]);
  assert.deepEqual(idsOf(await list({ affiliateId: sarah })), [ids[1]]);
  assert.equal((await list({ advocate_id: 999, total: 'true' })).total, 0);
  assert.equal((await list({ level: 2, total: 'true' })).total, 0);
  assert.equal((await list({ level: 1, total: 'true' })).total, 5);
  // `to` as a plain date includes that day; `from` is inclusive.
  assert.deepEqual(idsOf(await list({ from: '2026-04-15', to: '2026-04-16' })), [ids[2], ids[1]]);
  assert.deepEqual(idsOf(await list({ from: '2026-04-15T12:00:00Z', to: '2026-04-16T12:00:00Z' })), [ids[1]]);

  const page2 = await list({ page: 2, limit: 2, total: 'true' });
  assert.deepEqual([idsOf(page2), page2.total, page2.page, page2.offset, page2.has_more], [[ids[2], ids[1]], 5, 2, 2, true]);
  const tail = await list({ limit: 2, offset: 4 });
  assert.deepEqual([idsOf(tail), tail.has_more], [[ids[0]], false]);

  // Keyset pages: next_cursor walks every commission once, newest first, with or without a filter.
  const walk = async (query: Record<string, string | number>) => {
    const seen: number[] = [];
    for (let p = await list({ ...query, limit: 2 }); ; p = await list({ ...query, limit: 2, cursor: p.next_cursor })) {
      seen.push(...idsOf(p));
      assert.equal(p.has_more, p.next_cursor !== null);
      if (!p.has_more) return seen;
    }
  };
  assert.deepEqual(await walk({}), [...ids].reverse());
  assert.deepEqual(await walk({ status: 'pending' }), [ids[4], ids[3], ids[1], ids[0]]);
  assertError(await c.call('GET', '/api/v1/commissions', undefined, { query: { cursor: 'nope!' } }), 400, 'invalid_request', 'cursor');
  assertError(await c.call('GET', '/api/v1/commissions', undefined, { query: { cursor: all.next_cursor ?? page2.next_cursor, page: 2 } }),
    400, 'invalid_request', 'cursor');

  for (const [field, value] of [['status', 'done'], ['advocate_id', 'abc'], ['level', '3'], ['from', 'yesterday'], ['to', '2026-13-01'], ['limit', '101'], ['page', '0']]) {
    assertError(await c.call('GET', '/api/v1/commissions', undefined, { query: { [field!]: value! } }), 400, 'invalid_request', field);
  }
});

test('the CSV export: the documented columns, one line per commission, the same filters, no pagination', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const one = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  const two = (await order(c, 'O-2', 'V2AVMRDJ')).reward.id as number;
  await setStatus(c, two, { status: 'rejected', reason: 'duplicate, "test" order' });
  const res = await c.call('GET', '/api/v1/commissions/export');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv/);
  assert.match(res.headers.get('content-disposition')!, /commissions\.csv/);
  const [header, ...lines] = parseCsv(res.body);
  assert.deepEqual(header, [
    'id', 'advocate_id', 'advocate_name', 'advocate_email', 'level', 'kind', 'status', 'amount', 'clawed_back', 'clawback_recovered', 'net_amount',
    'currency', 'order_id', 'conversion_id', 'conversion_amount', 'reason', 'available_at', 'approved_at', 'paid_at', 'created_at',
  ]);
  assert.equal(lines.length, 2);
  const byId = new Map(lines.map((l) => [Number(l[0]), Object.fromEntries(header!.map((h, i) => [h, l[i]]))]));
  assert.deepEqual(byId.get(one), {
    id: String(one), advocate_id: String(await advocateId(c, 'JOHN123')), advocate_name: 'John Smith', advocate_email: 'john@advocate.example',
    level: '1', kind: 'cash', status: 'pending', amount: '10', clawed_back: '0', clawback_recovered: '0', net_amount: '10', currency: 'USD', order_id: 'O-1',
    conversion_id: String(byId.get(one)!.conversion_id), conversion_amount: '100', reason: '',
    available_at: byId.get(one)!.available_at, approved_at: '', paid_at: '', created_at: byId.get(one)!.created_at,
  });
  assert.deepEqual([byId.get(two)!.status, byId.get(two)!.reason, byId.get(two)!.net_amount], ['rejected', 'duplicate, "test" order', '0']);

  const filtered = parseCsv((await c.call('GET', '/api/v1/commissions/export', undefined, { query: { status: 'rejected' } })).body);
  assert.deepEqual(filtered.slice(1).map((l) => Number(l[0])), [two]);
  assertError(await c.call('GET', '/api/v1/commissions/export', undefined, { query: { status: 'x' } }), 400, 'invalid_request', 'status');
});

test('approve-due approves what is due and says which; the next call finds nothing', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const a = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  clock.advance(DAY_MS);
  const b = (await order(c, 'O-2', 'JOHN123')).reward.id as number;
  clock.advance(DAY_MS);
  const notYet = (await order(c, 'O-3', 'JOHN123')).reward.id as number;
  clock.advance(COOLING - DAY_MS);
  const res = await c.call('POST', '/api/v1/commissions/approve-due');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.data, { approved: 2, commissions: [a, b], truncated: false, remaining: false });
  assert.deepEqual((await c.call('POST', '/api/v1/commissions/approve-due', {})).body.data, { approved: 0, commissions: [], truncated: false, remaining: false });
  assert.equal((await getCommission(c, notYet)).status, 'pending');
  assert.equal((await getCommission(c, b)).approved_at, (await getCommission(c, b)).available_at);
});

test('points rewards are credited and paid when the cooling period ends; a refund afterwards takes the points back', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  await c.deps.q.brands.saveSettings({ ...brand, referrerRewardType: 'points', referrerRewardValue: 50 });
  const john = await advocateId(c, 'JOHN123');
  const conversion = await order(c, 'O-1', 'JOHN123');
  assert.deepEqual([conversion.reward.kind, conversion.reward.amount, conversion.reward.status], ['points', 50, 'pending']);
  const id = conversion.reward.id as number;
  assert.equal(await c.deps.q.points.balance(c.brand.brand_id, john), 0);

  clock.advance(COOLING);
  const paid = await getCommission(c, id);
  assert.deepEqual([paid.status, paid.amount, paid.approved_at, paid.paid_at], ['paid', 50, paid.available_at, paid.available_at]);
  assert.deepEqual(paid.history.map((e: { event: string; note: string | null }) => [e.event, e.note]),
    [['created', 'conversion ' + conversion.id], ['approved', 'cooling period ended'], ['paid', 'credited 50 points']]);
  assert.equal(await c.deps.q.points.balance(c.brand.brand_id, john), 50);
  const ledger = await row(c, 'SELECT type, amount, reward_id FROM points_transactions');
  assert.deepEqual({ ...ledger }, { type: 'reward', amount: 50, reward_id: id });
  assert.equal((await getCommission(c, id)).history.length, 3, 'credited once');

  // The advocate spends 40; a full refund claws back 50 but the balance may not go below zero: 10 taken.
  await postPoints(await ctxOf(c, clock.now()), john, { amount: -40, type: 'redeem', description: 'gift card' });
  await c.post(PATHS.refund, { order_id: 'O-1', refund_amount: 100, is_full_refund: true });
  const clawed = await getCommission(c, id);
  assert.deepEqual([clawed.status, clawed.clawed_back, clawed.net_amount], ['paid', 50, 0]);
  assert.match(clawed.history.at(-1).note, /only 10 of 50 points/);
  assertReconciles(clawed);
  assert.equal(await c.deps.q.points.balance(c.brand.brand_id, john), 0);
});

test('a points reward approved by the operator is credited at once; with negative balances allowed the whole clawback is taken', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  await c.deps.q.brands.saveSettings({ ...brand, referrerRewardType: 'points', referrerRewardValue: 30, allowNegativePoints: true });
  const john = await advocateId(c, 'JOHN123');
  const id = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  const res = await setStatus(c, id, { status: 'approved' });
  assert.equal(res.body.data.commission.status, 'paid');
  assert.equal(await c.deps.q.points.balance(c.brand.brand_id, john), 30);
  assert.equal((await setStatus(c, id, { status: 'approved' })).status, 200, 'approving it again is a retry');
  assert.equal(await c.deps.q.points.balance(c.brand.brand_id, john), 30, 'not credited twice');

  await postPoints(await ctxOf(c, new Date()), john, { amount: -30, type: 'redeem', description: null });
  // Half refunded: 15 points back, below zero as the brand allows.
  await c.post(PATHS.refund, { order_id: 'O-1', refund_amount: 50, is_full_refund: false });
  assert.equal(await c.deps.q.points.balance(c.brand.brand_id, john), -15);
  const r = await getCommission(c, id);
  assert.deepEqual([r.clawed_back, r.net_amount], [15, 15]);
  assert.match(r.history.at(-1).note, /deducted 15 points/);
});

test('totals reconcile for every commission across a mixed scenario (history deltas = net value, to the cent)', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const ids: number[] = [];
  const odd = (i: number) => convert(c, { order_id: `M-${i}`, customer_email: `m${i}@customer.example`, order_total: 33.33 + i, referral_code: 'JOHN123' });
  for (let i = 0; i < 6; i++) ids.push((await odd(i)).reward.id);
  // M-0 untouched; M-1 partial refund while pending, twice; M-2 rejected; M-3 partial while approved, then paid,
  // then more refunded, then all; M-4 paid then partial; M-5 fully refunded while pending.
  await c.post(PATHS.refund, { order_id: 'M-1', refund_amount: 10, is_full_refund: false });
  await c.post(PATHS.refund, { order_id: 'M-1', refund_amount: 7.77, is_full_refund: false });
  await setStatus(c, ids[2]!, { status: 'rejected', reason: 'test' });
  await c.post(PATHS.refund, { order_id: 'M-2', refund_amount: 5, is_full_refund: false });
  clock.advance(COOLING);
  await c.post(PATHS.refund, { order_id: 'M-3', refund_amount: 11.11, is_full_refund: false });
  await setStatus(c, ids[3]!, { status: 'paid' });
  await c.post(PATHS.refund, { order_id: 'M-3', refund_amount: 3.01, is_full_refund: false });
  await setStatus(c, ids[4]!, { status: 'paid' });
  await c.post(PATHS.refund, { order_id: 'M-4', refund_amount: 1.01, is_full_refund: false });
  await c.post(PATHS.refund, { order_id: 'M-5', refund_amount: 38.33, is_full_refund: true });
  const m3 = await getCommission(c, ids[3]!);
  // 3.63 reward on 36.33: 11.11 refunded while approved -> 3.63 - 1.11 = 2.52 paid; 14.12 in all -> 3.63 - 1.41 = 2.22
  // kept, so 0.30 clawed back (not 1.41: the reduction made before payment is not taken again).
  assert.deepEqual([m3.amount, m3.clawed_back, m3.net_amount], [2.52, 0.3, 2.22]);
  await c.post(PATHS.refund, { order_id: 'M-3', refund_amount: 22.21, is_full_refund: false });
  for (const id of ids) assertReconciles(await getCommission(c, id));
  const final = await getCommission(c, ids[3]!);
  assert.deepEqual([final.status, final.clawed_back, final.net_amount], ['paid', 2.52, 0], 'never more than what was paid');
});

test('the CLI services: payoutList of approved cash commissions with the advocate; markPaid is all or nothing', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const a = (await order(c, 'O-1', 'JOHN123')).reward.id as number;
  const b = (await order(c, 'O-2', 'V2AVMRDJ')).reward.id as number;
  clock.advance(COOLING);
  const pending = (await order(c, 'O-3', 'JOHN123')).reward.id as number;
  const ctx = await ctxOf(c, clock.now());

  const list = await payoutList(ctx);
  assert.deepEqual(list.advocates.flatMap((g) => g.lines.map((r) => [r.commission_id, g.advocate_name, g.advocate_email, r.amount, g.currency])).sort(),
    [[a, 'John Smith', 'john@advocate.example', 10, 'USD'], [b, 'Sarah Jones', 'sarah@advocate.example', 10, 'USD']].sort());

  await assert.rejects(() => markPaid(ctx, [a, pending], 'cli', null), (e: { status: number; code: string; message: string }) =>
    e.status === 409 && e.code === 'invalid_transition' && e.message.includes(String(pending)));
  await assert.rejects(() => markPaid(ctx, [a, 9999], 'cli', null), (e: { status: number; message: string }) => e.status === 404 && e.message.includes('9999'));
  assert.equal((await getCommission(c, a)).status, 'approved', 'nothing was paid');

  const paid = await markPaid(ctx, [a, b, a], 'cli', 'payout run 2026-05');
  assert.deepEqual(paid.paid.map((p) => [p.id, p.status]), [[a, 'paid'], [b, 'paid']]);
  assert.deepEqual([paid.total, paid.recovered], [20, []]);
  const history = (await getCommission(c, a)).history.at(-1);
  assert.deepEqual([history.event, history.actor, history.note], ['paid', 'cli', 'payout run 2026-05']);
  assert.deepEqual((await payoutList(ctx)).advocates, []);

  const rejected = await setCommissionStatus(ctx, pending, 'rejected', 'from the terminal', 'cli');
  assert.deepEqual([rejected.status, rejected.history.at(-1)!.actor], ['rejected', 'cli']);
});

test('a refund after the cooling period, before anyone looked: the approval is recorded first, then the refund', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const id = (await convert(c, ZAPIER_CONVERSION)).reward.id as number;
  clock.advance(COOLING + DAY_MS);
  const refund = await c.post(PATHS.refund, ZAPIER_REFUND);
  assert.deepEqual([refund.body.data.reward.status, refund.body.data.reward.amount], ['approved', 4.56]);
  const r = await getCommission(c, id);
  assert.deepEqual(r.history.map((e: { event: string; delta: number; created_at: string }) => [e.event, e.delta, e.created_at]), [
    ['created', 8.5, '2026-04-14T12:00:00.000Z'],
    ['approved', 0, '2026-05-14T12:00:00.000Z'],
    ['refund_adjustment', -3.94, '2026-05-15T12:00:00.000Z'],
  ]);
  assertReconciles(r);
});
