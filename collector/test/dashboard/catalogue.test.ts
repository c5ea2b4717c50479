// The dashboard's rewards catalogue (/dashboard/rewards) over HTTP: the catalogue as GET /api/v1/rewards answers it, a
// new reward through the API's schema and use case (a refusal beside its field, nothing written), archive and bring
// back, the redemptions with fulfil (what was given required) and cancel (the points back to the advocate, the unit
// back to the stock), a viewer who reads and changes nothing (another brand's ids: the dashboard's isolation matrix).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { fieldError, noticeAfter, rowWith, signedIn } from '../support/dashboard.ts';
import { advocateId, apiData } from '../support/fixtures.ts';

async function setUp(t: TestContext) {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  return { c, owner: await signedIn(c) };
}

const api = (c: TestCollector, method: string, path: string, body?: unknown) => apiData(c, method, path, body);

test('the catalogue: a reward added through the API\'s schema (refused beside its field), archived and brought back', async (t) => {
  const { c, owner } = await setUp(t);
  assert.equal((await owner.get('/dashboard/rewards')).status, 200);
  await owner.get('/dashboard/rewards');
  const refused = await owner.post('/dashboard/rewards', { name: 'Mug', points_cost: '0', type: 'product', stock: '' });
  assert.equal(refused.status, 400);
  assert.match(fieldError(refused, 'points_cost') ?? '', /at least 1/);
  assert.deepEqual((await api(c, 'GET', '/rewards')).rewards, [], 'nothing written');

  const created = await owner.post('/dashboard/rewards', { name: 'Mug', description: 'A Referloop mug', points_cost: '150', type: 'product', stock: '3' });
  assert.match(await noticeAfter(owner, created), /Mug is in the catalogue: advocates can redeem it for 150 points/);
  const [mug] = (await api(c, 'GET', '/rewards')).rewards;
  assert.deepEqual({ name: mug.name, description: mug.description, points_cost: mug.points_cost, type: mug.type, stock: mug.stock, status: mug.status },
    { name: 'Mug', description: 'A Referloop mug', points_cost: 150, type: 'product', stock: 3, status: 'active' });
  await owner.post('/dashboard/rewards', { name: 'Gift card', points_cost: '500', type: 'gift_card', stock: 'unlimited' });
  const page = await owner.get('/dashboard/rewards');
  assert.match(rowWith(page, 'A Referloop mug'), /Mug A Referloop mug Product 150 3 active Archive/);
  assert.match(rowWith(page, 'Gift card</td>'), /Gift card Gift card 500 unlimited active/);

  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/rewards/${mug.id}/status`, { status: 'archived' })), /Mug is archived/);
  assert.equal((await api(c, 'GET', `/rewards/${mug.id}`)).reward.status, 'archived');
  assert.match(rowWith(await owner.get('/dashboard/rewards'), 'A Referloop mug'), /archived Bring back/);
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/rewards/${mug.id}/status`, { status: 'active' })), /Mug can be redeemed again/);
});

test('redemptions: fulfilled with what was given, or cancelled with the points and the unit returned; a viewer changes nothing', async (t) => {
  const { c, owner } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  await api(c, 'POST', `/advocates/${john}/points`, { amount: 300, type: 'award' });
  const { reward } = await api(c, 'POST', '/rewards', { name: 'Tote bag', points_cost: 100, type: 'product', stock: 2 });
  const first = (await api(c, 'POST', `/rewards/${reward.id}/redeem`, { advocate_id: john })).redemption;
  const second = (await api(c, 'POST', `/rewards/${reward.id}/redeem`, { advocate_id: john })).redemption;

  const page = await owner.get('/dashboard/rewards');
  assert.match(rowWith(page, `redemptions/${first.id}/fulfil`), new RegExp(`^${first.id} .* advocate ${john} Tote bag 100 pending`));
  const missing = await owner.post(`/dashboard/rewards/redemptions/${first.id}/fulfil`, { fulfilment: '' });
  assert.equal(missing.status, 400);
  assert.match(fieldError(missing, 'fulfilment') ?? '', /is required/);
  assert.equal((await api(c, 'GET', `/redemptions/${first.id}`)).redemption.status, 'pending', 'nothing written');
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/rewards/redemptions/${first.id}/fulfil`, { fulfilment: 'TOTE-TRACK-42' })),
    new RegExp(`Redemption ${first.id} is fulfilled`));
  const fulfilled = (await api(c, 'GET', `/redemptions/${first.id}`)).redemption;
  assert.deepEqual([fulfilled.status, fulfilled.fulfilment], ['fulfilled', 'TOTE-TRACK-42']);

  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/rewards/redemptions/${second.id}/cancel`, {})),
    new RegExp(`Redemption ${second.id} is cancelled: 100 points went back to advocate ${john}`));
  assert.equal((await api(c, 'GET', `/redemptions/${second.id}`)).redemption.status, 'cancelled');
  assert.equal((await api(c, 'GET', `/advocates/${john}/points`)).balance, 200, 'one redemption kept, one returned');
  assert.equal((await api(c, 'GET', `/rewards/${reward.id}`)).reward.stock, 1, 'the cancelled one\'s unit back');
  const cancelledAgain = await owner.post(`/dashboard/rewards/redemptions/${second.id}/cancel`, {});
  assert.equal(cancelledAgain.status, 409);

  const pending = await owner.get('/dashboard/rewards?status=pending');
  assert.match(pending.text, /No redemption yet/);
  const onlyCancelled = await owner.get('/dashboard/rewards?status=cancelled');
  assert.ok(onlyCancelled.text.includes(`advocate ${john}`) && !onlyCancelled.text.includes('TOTE-TRACK-42'));

  const viewer = await signedIn(c, { role: 'viewer' });
  const read = await viewer.get('/dashboard/rewards');
  assert.equal(read.status, 200);
  assert.ok(!read.text.includes('/fulfil"') && !read.text.includes('New reward'), 'a viewer has nothing to press');
  assert.equal((await viewer.post(`/dashboard/rewards/${reward.id}/status`, { status: 'archived' })).status, 403);
  assert.equal((await api(c, 'GET', `/rewards/${reward.id}`)).reward.status, 'active');
});
