// POST and GET /api/v1/advocates/:id/points over real HTTP (002_*): awards and deductions, the types, the
// balance that never goes below zero unless the brand allows it, the ledger, Idempotency-Key, 404 and 401.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError, count, testClock } from '../support/fixtures.ts';

const pointsPath = (id: number) => `/api/v1/advocates/${id}/points`;

async function post(c: TestCollector, id: number, body: unknown, headers?: Record<string, string>) {
  const res = await c.call('POST', pointsPath(id), body, headers ? { headers } : {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

const balanceOf = async (c: TestCollector, id: number) =>
  (await c.call('GET', `/api/v1/advocates/${id}`)).body.data.advocate.points_balance;

test('award: 200 {transaction, new_balance}; the amount as a number or a signed digit string; the type defaults to award', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const first = await post(c, sarah, { amount: 100, description: 'Welcome bonus' });
  assert.deepEqual(first, {
    transaction: {
      id: first.transaction.id, advocate_id: sarah, type: 'award', amount: 100, balance_after: 100,
      description: 'Welcome bonus', reward_id: null, created_at: clock.now().toISOString(),
    },
    new_balance: 100,
  });
  assert.equal((await post(c, sarah, { amount: '+25' })).new_balance, 125);
  const bonus = await post(c, sarah, { amount: '5', type: 'bonus' });
  assert.deepEqual([bonus.transaction.type, bonus.transaction.amount, bonus.new_balance], ['bonus', 5, 130]);
  assert.equal(await balanceOf(c, sarah), 130);
});

test('deduct, redeem and adjust: a negative amount deducts; deduct and redeem subtract a positive amount too', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  await post(c, john, { amount: 200 });
  const negative = await post(c, john, { amount: -30 });
  assert.deepEqual([negative.transaction.type, negative.transaction.amount, negative.new_balance], ['deduct', -30, 170]);
  const deduct = await post(c, john, { amount: 20, type: 'deduct' });
  assert.deepEqual([deduct.transaction.amount, deduct.new_balance], [-20, 150]);
  const redeem = await post(c, john, { amount: '50', type: 'redeem', description: 'Gift card' });
  assert.deepEqual([redeem.transaction.type, redeem.transaction.amount, redeem.new_balance], ['redeem', -50, 100]);
  const adjustDown = await post(c, john, { amount: -10, type: 'adjust' });
  const adjustUp = await post(c, john, { amount: 4, type: 'adjust' });
  assert.deepEqual([adjustDown.new_balance, adjustUp.new_balance], [90, 94]);
  assert.equal(await balanceOf(c, john), 94);
});

test('below zero: 400 insufficient_points, the balance unchanged and no ledger row', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const tess = await advocateId(c, 'TESTCODE');
  await post(c, tess, { amount: 40 });
  assertError(await c.call('POST', pointsPath(tess), { amount: -41 }), 400, 'insufficient_points', 'amount');
  assertError(await c.call('POST', pointsPath(tess), { amount: 50, type: 'redeem' }), 400, 'insufficient_points', 'amount');
  assert.equal(await balanceOf(c, tess), 40);
  assert.equal(await count(c, 'points_transactions'), 1);
  assert.equal((await post(c, tess, { amount: -40 })).new_balance, 0, 'down to exactly zero is fine');
});

test('below zero is allowed when the brand allows negative balances', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  await c.deps.q.brands.saveSettings({ ...brand, allowNegativePoints: true });
  const tess = await advocateId(c, 'TESTCODE');
  const res = await post(c, tess, { amount: 15, type: 'deduct' });
  assert.deepEqual([res.transaction.balance_after, res.new_balance], [-15, -15]);
  assert.equal(await balanceOf(c, tess), -15);
});

test('400 naming the field for a bad amount, type or description', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  for (const amount of [0, '0', 1.5, '1.5', 'ten', '', null, true, 1e12, '1e3', Number.NaN]) {
    assertError(await c.call('POST', pointsPath(sarah), { amount }), 400, 'invalid_request', 'amount');
  }
  assertError(await c.call('POST', pointsPath(sarah), {}), 400, 'invalid_request', 'amount');
  assertError(await c.call('POST', pointsPath(sarah), { amount: 5, type: 'gift' }), 400, 'invalid_request', 'type');
  assertError(await c.call('POST', pointsPath(sarah), { amount: -5, type: 'award' }), 400, 'invalid_request', 'amount');
  assertError(await c.call('POST', pointsPath(sarah), { amount: 5, description: 'x'.repeat(501) }), 400, 'invalid_request', 'description');
  assert.equal(await count(c, 'points_transactions'), 0);
});

test('the ledger: balance and transactions newest first, with both paginations', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  for (const amount of [10, 20, -5, 30]) await post(c, sarah, { amount });
  await post(c, await advocateId(c, 'JOHN123'), { amount: 999 });
  const ledger = await c.call('GET', pointsPath(sarah));
  assert.equal(ledger.status, 200);
  const d = ledger.body.data;
  assert.deepEqual([d.balance, d.total, d.page, d.limit, d.offset, d.has_more], [55, 4, 1, 20, 0, false]);
  assert.deepEqual(d.transactions.map((tx: { amount: number; balance_after: number }) => [tx.amount, tx.balance_after]),
    [[30, 55], [-5, 25], [20, 30], [10, 10]]);
  const page2 = (await c.call('GET', pointsPath(sarah), undefined, { query: { page: 2, limit: 3 } })).body.data;
  assert.deepEqual([page2.transactions.map((tx: { amount: number }) => tx.amount), page2.has_more], [[10], false]);
  const byOffset = (await c.call('GET', pointsPath(sarah), undefined, { query: { limit: 2, offset: 1 } })).body.data;
  assert.deepEqual([byOffset.transactions.map((tx: { amount: number }) => tx.amount), byOffset.has_more], [[-5, 20], true]);
  const empty = (await c.call('GET', pointsPath(await advocateId(c, 'TESTCODE')))).body.data;
  assert.deepEqual([empty.balance, empty.transactions, empty.total], [0, [], 0]);
});

test('Idempotency-Key: a retried award is answered again and counted once; the same key for another advocate is a conflict', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const headers = { 'Idempotency-Key': 'award-42' };
  const first = await post(c, sarah, { amount: 42 }, headers);
  const retry = await post(c, sarah, { amount: 42 }, headers);
  assert.deepEqual(retry, first);
  assert.equal(await balanceOf(c, sarah), 42);
  assert.equal(await count(c, 'points_transactions'), 1);
  assertError(await c.call('POST', pointsPath(await advocateId(c, 'JOHN123')), { amount: 42 }, { headers }), 409, 'idempotency_conflict');
  assertError(await c.call('POST', pointsPath(sarah), { amount: 43 }, { headers }), 409, 'idempotency_conflict');
  assert.equal(await count(c, 'points_transactions'), 1);
});

test('404 not_found for an unknown, malformed or other brand\'s advocate; 401 without a key', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const other = await c.addBrand();
  const theirs = await advocateId(c, 'V2AVMRDJ', other);
  for (const id of [String(theirs), '99999', 'abc']) {
    assertError(await c.call('POST', `/api/v1/advocates/${id}/points`, { amount: 5 }), 404, 'not_found');
    assertError(await c.call('GET', `/api/v1/advocates/${id}/points`), 404, 'not_found');
  }
  const anonymous = await c.request('POST', pointsPath(await advocateId(c, 'V2AVMRDJ')), {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ amount: 5 }),
  });
  assert.equal(anonymous.status, 401);
  assert.equal((await c.request('GET', pointsPath(await advocateId(c, 'V2AVMRDJ')))).status, 401);
  assert.equal(await count(c, 'points_transactions'), 0);
  assert.equal(await balanceOf(c, await advocateId(c, 'V2AVMRDJ')), 0);
});
