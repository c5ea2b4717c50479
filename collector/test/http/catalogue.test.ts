// The rewards catalogue and its redemptions (issue 13, 002_*'s /rewards): the catalogue's own routes, redeeming with
// points (all or none; under concurrent redemptions neither points nor stock go below zero), fulfilment and
// cancellation (the points and the unit come back), and every refusal naming its field with nothing written.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError, count, row } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

async function collector(t: TestContext): Promise<TestCollector> {
  const c = await startTestCollector();
  t.after(() => c.close());
  return c;
}

async function addReward(c: TestCollector, fields: Record<string, unknown> = {}) {
  const res = await c.call('POST', '/api/v1/rewards', { name: '$10 gift card', points_cost: 20, type: 'gift_card', ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.reward as { id: number; stock: number | null; [k: string]: unknown };
}

async function award(c: TestCollector, id: number, amount: number) {
  assert.equal((await c.call('POST', `/api/v1/advocates/${id}/points`, { amount, type: 'award' })).status, 200);
}

const balanceOf = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/advocates/${id}/points`)).body.data.balance as number;
const rewardOf = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/rewards/${id}`)).body.data.reward;

test('the catalogue: create (002_*\'s camelCase too), get, list by status and type, update, archive', async (t) => {
  const c = await collector(t);
  const created = await c.call('POST', '/api/v1/rewards', { name: '15% off', description: 'A discount code', pointsCost: '150', type: 'discount code', stock: 10 });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const reward = created.body.data.reward;
  assert.deepEqual({ ...reward, id: 0, created_at: '', updated_at: '' }, {
    id: 0, name: '15% off', description: 'A discount code', points_cost: 150, type: 'discount_code', stock: 10, status: 'active', created_at: '', updated_at: '',
  });
  const unlimited = await addReward(c, { type: 'product', name: 'Tote bag' });
  assert.equal(unlimited.stock, null, 'no stock given: unlimited');
  assert.equal((await addReward(c, { type: 'custom', name: 'Call with the founder', stock: 'unlimited' })).stock, null);

  assert.deepEqual(await rewardOf(c, reward.id), reward);
  const list = async (query: Record<string, string> = {}) =>
    ((await c.call('GET', '/api/v1/rewards', undefined, { query })).body.data.rewards as Array<{ id: number }>).map((r) => r.id);
  assert.deepEqual(await list(), [reward.id, unlimited.id, unlimited.id + 1], 'oldest first');
  assert.deepEqual(await list({ type: 'product' }), [unlimited.id]);

  const changed = await c.call('PATCH', `/api/v1/rewards/${reward.id}`, { pointsCost: 120, stock: 'unlimited', description: null });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual([changed.body.data.reward.points_cost, changed.body.data.reward.stock, changed.body.data.reward.description], [120, null, null]);
  assert.equal(changed.body.data.reward.name, '15% off', 'a field not given stays');

  const archived = await c.call('POST', `/api/v1/rewards/${reward.id}/archive`);
  assert.equal(archived.status, 200);
  assert.equal(archived.body.data.reward.status, 'archived');
  assert.deepEqual(await list({ status: 'archived' }), [reward.id]);
  assert.deepEqual(await list({ status: 'active', type: 'product' }), [unlimited.id]);
  assert.equal((await c.call('PATCH', `/api/v1/rewards/${reward.id}`, { status: 'active' })).body.data.reward.status, 'active');
});

test('every bad field is a 400 naming it, and nothing is written', async (t) => {
  const c = await collector(t);
  const good = { name: 'Gift card', points_cost: 20, type: 'gift_card', stock: 3 };
  for (const [body, field] of [
    [{ ...good, name: undefined }, 'name'],
    [{ ...good, name: '  ' }, 'name'],
    [{ ...good, points_cost: undefined }, 'points_cost'],
    [{ ...good, points_cost: 0 }, 'points_cost'],
    [{ ...good, points_cost: 2.5 }, 'points_cost'],
    [{ ...good, points_cost: undefined, pointsCost: 'ten' }, 'pointsCost'],
    [{ ...good, type: 'voucher' }, 'type'],
    [{ ...good, type: undefined }, 'type'],
    [{ ...good, stock: -1 }, 'stock'],
    [{ ...good, stock: 'lots' }, 'stock'],
    [{ ...good, description: 7 }, 'description'],
    [{ ...good, status: 'deleted' }, 'status'],
  ] as const) {
    assertError(await c.call('POST', '/api/v1/rewards', body), 400, 'invalid_request', field);
  }
  assert.equal(await count(c, 'catalogue_rewards'), 0);

  const reward = await addReward(c, { stock: 3 });
  const before = await rewardOf(c, reward.id);
  assertError(await c.call('PATCH', `/api/v1/rewards/${reward.id}`, { stock: 1.5 }), 400, 'invalid_request', 'stock');
  assertError(await c.call('PATCH', `/api/v1/rewards/${reward.id}`, { points_cost: -5, name: 'Changed' }), 400, 'invalid_request', 'points_cost');
  assertError(await c.call('PATCH', `/api/v1/rewards/${reward.id}`, {}), 400, 'invalid_request', 'body');
  assert.deepEqual(await rewardOf(c, reward.id), before);

  const sarah = await advocateId(c, 'V2AVMRDJ');
  await award(c, sarah, 100);
  assertError(await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, {}), 400, 'invalid_request', 'advocate_id');
  assertError(await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: 'me' }), 400, 'invalid_request', 'advocate_id');
  assertError(await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocateId: 0 }), 400, 'invalid_request', 'advocateId');
  const missing = await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: 999 });
  assertError(missing, 404, 'not_found', 'advocate_id');
  assertError(await c.call('POST', '/api/v1/rewards/999/redeem', { advocate_id: sarah }), 404, 'not_found');
  assertError(await c.call('POST', '/api/v1/rewards/abc/redeem', { advocate_id: sarah }), 404, 'not_found');
  assertError(await c.call('GET', '/api/v1/rewards/999'), 404, 'not_found');
  assertError(await c.call('GET', '/api/v1/redemptions/999'), 404, 'not_found');
  assertError(await c.call('GET', '/api/v1/redemptions', undefined, { query: { status: 'lost' } }), 400, 'invalid_request', 'status');
  assertError(await c.call('GET', '/api/v1/rewards', undefined, { query: { type: 'voucher' } }), 400, 'invalid_request', 'type');

  const redeemed = await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah });
  const id = redeemed.body.data.redemption.id;
  assertError(await c.call('POST', `/api/v1/redemptions/${id}/fulfil`, {}), 400, 'invalid_request', 'fulfilment');
  assertError(await c.call('POST', `/api/v1/redemptions/${id}/cancel`, { reason: '' }), 400, 'invalid_request', 'reason');
  assert.equal((await c.call('GET', `/api/v1/redemptions/${id}`)).body.data.redemption.status, 'pending');
  assert.equal(await balanceOf(c, sarah), 80);
  assert.equal((await rewardOf(c, reward.id)).stock, 2);
});

test('redeem: the points, one unit and a pending redemption together; too few points is 400 insufficient_points, whatever the brand allows', async (t) => {
  const c = await collector(t);
  const reward = await addReward(c, { points_cost: 30, stock: 5 });
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await award(c, sarah, 50);
  const res = await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocateId: sarah });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { redemption, new_balance } = res.body.data;
  assert.deepEqual([redemption.reward_id, redemption.advocate_id, redemption.points_cost, redemption.status, redemption.fulfilment, new_balance],
    [reward.id, sarah, 30, 'pending', null, 20]);
  const entry = await row(c, 'SELECT type, amount, balance_after FROM points_transactions WHERE id = ?', redemption.points_transaction_id);
  assert.deepEqual({ ...entry, amount: Number(entry.amount), balance_after: Number(entry.balance_after) }, { type: 'redeem', amount: -30, balance_after: 20 });
  assert.equal((await rewardOf(c, reward.id)).stock, 4);

  // A brand that lets deductions go below zero still never lets a redemption do so.
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allow_negative_points: true })).status, 200);
  const short = await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah });
  assertError(short, 400, 'insufficient_points', 'advocate_id');
  assert.equal(await balanceOf(c, sarah), 20);
  assert.equal((await rewardOf(c, reward.id)).stock, 4);
  assert.equal(await count(c, 'redemptions'), 1);
});

test('20 concurrent redemptions by an advocate with points for 5: exactly 5 succeed, the balance ends at zero', async (t) => {
  const c = await collector(t);
  const reward = await addReward(c, { points_cost: 20 });
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await award(c, sarah, 100);
  const answers = await Promise.all(Array.from({ length: 20 }, () => c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah })));
  const ok = answers.filter((a) => a.status === 200);
  assert.equal(ok.length, 5, answers.map((a) => a.status).join(','));
  for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 400, 'insufficient_points', 'advocate_id');
  assert.deepEqual(ok.map((a) => a.body.data.new_balance).sort((x, y) => x - y), [0, 20, 40, 60, 80]);
  assert.equal(await balanceOf(c, sarah), 0);
  assert.equal(await count(c, 'redemptions'), 5);
});

test('a stock of 3 and 10 advocates redeeming at once: exactly 3 succeed, the stock ends at zero, the others keep their points', async (t) => {
  const c = await collector(t);
  const reward = await addReward(c, { points_cost: 10, stock: 3 });
  const ids: number[] = [];
  for (let i = 0; i < 10; i++) {
    const a = await c.call('POST', '/api/v1/advocates', { email: `fan${i}@advocate.example`, name: `Fan ${i}` });
    assert.equal(a.status, 201);
    ids.push(a.body.data.advocate.id);
    await award(c, a.body.data.advocate.id, 10);
  }
  const answers = await Promise.all(ids.map((id) => c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: id })));
  assert.equal(answers.filter((a) => a.status === 200).length, 3, answers.map((a) => a.status).join(','));
  for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 409, 'out_of_stock');
  assert.equal((await rewardOf(c, reward.id)).stock, 0);
  const balances = await Promise.all(ids.map((id) => balanceOf(c, id)));
  assert.deepEqual(balances.sort((x, y) => x - y), [0, 0, 0, 10, 10, 10, 10, 10, 10, 10]);
  assert.equal(await count(c, 'redemptions'), 3);
});

test('fulfil and cancel: cancelling gives back the points and the unit; the moves and their events', async (t) => {
  const c = await collector(t);
  const endpoint = await subscribeEndpoint(c, ['reward.redeemed', 'redemption.fulfilled', 'redemption.cancelled']);
  const reward = await addReward(c, { points_cost: 25, stock: 2 });
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await award(c, sarah, 60);
  const redeem = async () => (await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah })).body.data.redemption;
  const first = await redeem();
  const second = await redeem();
  assert.equal(await balanceOf(c, sarah), 10);
  assertError(await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah }), 409, 'out_of_stock');

  const fulfilled = await c.call('POST', `/api/v1/redemptions/${first.id}/fulfil`, { given: 'GIFT-7Q2M-XK4D' });
  assert.equal(fulfilled.status, 200, JSON.stringify(fulfilled.body));
  assert.deepEqual([fulfilled.body.data.redemption.status, fulfilled.body.data.redemption.fulfilment], ['fulfilled', 'GIFT-7Q2M-XK4D']);
  assertError(await c.call('POST', `/api/v1/redemptions/${first.id}/fulfil`, { fulfilment: 'again' }), 409, 'invalid_transition', 'status');

  const cancelled = await c.call('POST', `/api/v1/redemptions/${second.id}/cancel`, { reason: 'Ordered by mistake' });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  const r = cancelled.body.data.redemption;
  assert.deepEqual([r.status, r.cancel_reason, typeof r.refund_transaction_id], ['cancelled', 'Ordered by mistake', 'number']);
  assert.equal(await balanceOf(c, sarah), 35, 'the points came back');
  assert.equal((await rewardOf(c, reward.id)).stock, 1, 'and the unit');
  assertError(await c.call('POST', `/api/v1/redemptions/${second.id}/cancel`, {}), 409, 'invalid_transition');
  assertError(await c.call('POST', `/api/v1/redemptions/${second.id}/fulfil`, { fulfilment: 'late' }), 409, 'invalid_transition');
  assert.equal(await balanceOf(c, sarah), 35, 'a refused cancel returns nothing twice');

  // A fulfilled redemption may be cancelled too (what was given is taken back): its points and unit return.
  assert.equal((await c.call('POST', `/api/v1/redemptions/${first.id}/cancel`)).status, 200);
  assert.equal(await balanceOf(c, sarah), 60);
  assert.equal((await rewardOf(c, reward.id)).stock, 2);

  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.id, e.body.data.status]);
  assert.deepEqual(events, [
    ['reward.redeemed', first.id, 'pending'], ['reward.redeemed', second.id, 'pending'], ['redemption.fulfilled', first.id, 'fulfilled'],
    ['redemption.cancelled', second.id, 'cancelled'], ['redemption.cancelled', first.id, 'cancelled'],
  ]);
});

test('an archived reward is not redeemable (409 reward_archived); a blocked advocate redeems nothing', async (t) => {
  const c = await collector(t);
  const reward = await addReward(c);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await award(c, sarah, 100);
  assert.equal((await c.call('POST', `/api/v1/rewards/${reward.id}/archive`)).status, 200);
  assertError(await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah }), 409, 'reward_archived');
  assert.equal((await c.call('PATCH', `/api/v1/rewards/${reward.id}`, { status: 'active' })).status, 200);
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${sarah}`, { status: 'blocked' })).status, 200);
  assertError(await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: sarah }), 400, 'invalid_request', 'advocate_id');
  assert.equal(await balanceOf(c, sarah), 100);
  assert.equal(await count(c, 'redemptions'), 0);
});

test('the redemptions list: newest first, by advocate, reward and status, paged by cursor', async (t) => {
  const c = await collector(t);
  const gift = await addReward(c);
  const tote = await addReward(c, { name: 'Tote', type: 'product' });
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const john = await advocateId(c, 'JOHN123');
  await award(c, sarah, 200);
  await award(c, john, 200);
  const made: number[] = [];
  for (const [reward, advocate] of [[gift, sarah], [tote, sarah], [gift, john], [tote, john], [gift, sarah]] as const) {
    made.push((await c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: advocate })).body.data.redemption.id);
  }
  await c.call('POST', `/api/v1/redemptions/${made[0]}/fulfil`, { fulfilment: 'CODE-1' });
  const ids = async (query: Record<string, string | number>) =>
    ((await c.call('GET', '/api/v1/redemptions', undefined, { query })).body.data.redemptions as Array<{ id: number }>).map((r) => r.id);
  assert.deepEqual(await ids({}), [...made].reverse());
  assert.deepEqual(await ids({ advocate_id: sarah }), [made[4], made[1], made[0]]);
  assert.deepEqual(await ids({ reward_id: gift.id }), [made[4], made[2], made[0]]);
  assert.deepEqual(await ids({ status: 'fulfilled' }), [made[0]]);
  assert.deepEqual(await ids({ advocate_id: sarah, reward_id: gift.id, status: 'pending' }), [made[4]]);

  const seen: number[] = [];
  let query: Record<string, string | number> = { limit: 2 };
  for (;;) {
    const page = (await c.call('GET', '/api/v1/redemptions', undefined, { query })).body.data;
    seen.push(...page.redemptions.map((r: { id: number }) => r.id));
    if (!page.next_cursor) break;
    query = { limit: 2, cursor: page.next_cursor };
  }
  assert.deepEqual(seen, [...made].reverse());
  assert.equal((await c.call('GET', '/api/v1/redemptions', undefined, { query: { total: 'true', advocate_id: john } })).body.data.total, 2);
});
