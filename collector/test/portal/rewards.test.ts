// The portal's points and rewards (/portal/rewards, issue 14) over HTTP, as one advocate: the balance and history the
// API answers for them (paged), the brand's active catalogue, Redeem through the API's use case (points taken once, a
// double press of one form redeems once and says so; too few points, out of stock, archived: a notice, nothing
// changed), their own redemptions with what was given; another advocate's or another brand's ids are 404s that change
// nothing, a POST without the CSRF token is a 403, a form without its form id a 400 naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from '../support/collector.ts';
import { rowWith, textOf, type DashboardClient, type DashboardPage } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { alertOf, apiData, databaseText, noticeOf, portalTestCollector } from '../support/portalPages.ts';
import { advocateId, row } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

const addReward = async (c: TestCollector, fields: Record<string, unknown>, brand?: TestBrand) =>
  (await apiData(c, 'POST', '/rewards', { type: 'gift_card', ...fields }, brand)).reward as { id: number; name: string };
const award = (c: TestCollector, id: number, amount: number, brand?: TestBrand) => apiData(c, 'POST', `/advocates/${id}/points`, { amount, type: 'award' }, brand);
const balanceOf = async (c: TestCollector, id: number) => (await apiData(c, 'GET', `/advocates/${id}/points`)).balance as number;
const redemptionCount = async (c: TestCollector) => Number((await row(c, 'SELECT count(*) AS n FROM redemptions')).n);

/** The Redeem form of reward `id` on a page: its one-off form id. */
function redeemForm(page: DashboardPage, id: number): { form_id: string } {
  const m = new RegExp(`action="/portal/rewards/${id}/redeem"[^]*?name="form_id" value="([^"]+)"`).exec(page.text);
  assert.ok(m, `a Redeem form for reward ${id}`);
  return { form_id: m[1]! };
}


async function pressRedeem(client: DashboardClient, id: number) {
  const form = redeemForm(await client.get('/portal/rewards'), id);
  return { form, res: await client.post(`/portal/rewards/${id}/redeem`, form) };
}

test('the page shows the balance, the history and the catalogue the API answers, and only this advocate\'s redemptions with what was given', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await award(c, john, 300);
  await award(c, sarah, 500);
  const mug = await addReward(c, { name: 'Mug', description: 'A Referloop mug', points_cost: 100, type: 'product', stock: 3 });
  const card = await addReward(c, { name: 'Gift card', points_cost: 250 });
  const gone = await addReward(c, { name: 'Sold-out cap', points_cost: 10, stock: 1 });
  const old = await addReward(c, { name: 'Old poster', points_cost: 5 });
  await apiData(c, 'POST', `/rewards/${old.id}/archive`);
  await apiData(c, 'POST', `/rewards/${gone.id}/redeem`, { advocate_id: sarah });
  const johns = (await apiData(c, 'POST', `/rewards/${mug.id}/redeem`, { advocate_id: john })).redemption;
  const sarahs = (await apiData(c, 'POST', `/rewards/${card.id}/redeem`, { advocate_id: sarah })).redemption;
  await apiData(c, 'POST', `/redemptions/${johns.id}/fulfil`, { fulfilment: 'MUG-CODE-42' });
  const ledger = await apiData(c, 'GET', `/advocates/${john}/points`);

  const client = await inPortal(c, john);
  const page = await client.get('/portal/rewards');
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /<a href="\/portal\/rewards" aria-current="page">/);
  assert.equal(textOf(/data-figure="balance">([^<]*)</.exec(page.text)?.[1] ?? ''), String(ledger.balance));
  assert.equal(ledger.balance, 200);
  assert.equal([...page.text.matchAll(/<td class="num">[+-]?\d+<\/td><td class="num">\d+<\/td>/g)].length, ledger.transactions.length, 'John\'s entries alone');
  assert.ok(!page.text.includes('+500'), 'not Sarah\'s award');
  for (const tx of ledger.transactions) assert.match(page.text, new RegExp(`<td class="num">${tx.amount > 0 ? '\\+' : ''}${tx.amount}</td><td class="num">${tx.balance_after}</td>`));
  assert.match(rowWith(page, 'A Referloop mug'), /^Mug A Referloop mug 100 In stock \(2 left\) Redeem Mug$/);
  assert.match(rowWith(page, `rewards/${card.id}/redeem`), /^Gift card 250 In stock Redeem Gift card 50 more points needed$/);
  assert.match(rowWith(page, `rewards/${gone.id}/redeem`), /Out of stock/);
  assert.ok(!page.text.includes('Old poster'), 'an archived reward is not offered');
  assert.match(rowWith(page, `redemptions/${johns.id}"`), /^Mug .* 100 points fulfilled MUG-CODE-42(?: No older entries)?$/);
  assert.ok(!page.text.includes(`redemptions/${sarahs.id}"`), 'another advocate\'s redemption is not listed');

  const detail = await client.get(`/portal/rewards/redemptions/${johns.id}`);
  assert.equal(detail.status, 200);
  assert.match(textOf(detail.text), /Reward Mug .* Status fulfilled What you were given MUG-CODE-42/);
});

test('redeem takes the points once: a double press of one form redeems once and says so; a fresh form redeems again', async (t) => {
  const c = await portalTestCollector(t);
  const endpoint = await subscribeEndpoint(c, ['reward.redeemed']);
  const john = await advocateId(c, 'JOHN123');
  await award(c, john, 250);
  const mug = await addReward(c, { name: 'Mug', points_cost: 100, stock: 5 });
  const client = await inPortal(c, john);

  const { form, res } = await pressRedeem(client, mug.id);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/portal/rewards');
  const after = await client.get(res.location!);
  assert.match(noticeOf(after), /Redeemed for 100 points: you have 150 left\. Redemption \d+ is pending/);
  assert.equal(noticeOf(await client.get('/portal/rewards')), '', 'the notice is shown once');
  // The same form again (the second click of a double press, a resent POST): nothing more is taken.
  const twice = await client.post(`/portal/rewards/${mug.id}/redeem`, form);
  assert.equal(twice.status, 303);
  assert.match(noticeOf(await client.get(twice.location!)), /This form was already sent: redemption \d+ was made once, and nothing more was taken/);
  assert.equal(await balanceOf(c, john), 150);
  assert.equal(await redemptionCount(c), 1);
  assert.equal((await apiData(c, 'GET', `/rewards/${mug.id}`)).reward.stock, 4);

  // A new page's form is a new redemption, through the API's use case: its ledger entry, its event.
  assert.equal((await pressRedeem(client, mug.id)).res.status, 303);
  assert.equal(await balanceOf(c, john), 50);
  // Both presses of a double click in flight at once: one redemption, the other answered with it.
  await award(c, john, 50);
  const fresh = redeemForm(await client.get('/portal/rewards'), mug.id);
  const both = await Promise.all([client.post(`/portal/rewards/${mug.id}/redeem`, fresh), client.post(`/portal/rewards/${mug.id}/redeem`, fresh)]);
  assert.deepEqual(both.map((r) => r.status), [303, 303]);
  assert.equal(await balanceOf(c, john), 0);
  assert.equal(await redemptionCount(c), 3);
  const list = (await apiData(c, 'GET', '/redemptions', undefined)).redemptions as Array<{ advocate_id: number; points_cost: number; status: string }>;
  assert.deepEqual(list.map((r) => [r.advocate_id, r.points_cost, r.status]), [[john, 100, 'pending'], [john, 100, 'pending'], [john, 100, 'pending']]);
  const types = (await apiData(c, 'GET', `/advocates/${john}/points`)).transactions.map((tx: { type: string; amount: number }) => [tx.type, tx.amount]);
  assert.deepEqual(types, [['redeem', -100], ['award', 50], ['redeem', -100], ['redeem', -100], ['award', 250]]);
  assert.equal((await storedEvents(c, { endpointId: endpoint.id })).filter((e) => e.type === 'reward.redeemed').length, 3);
});

test('too few points, out of stock, archived: a notice in words and nothing changed', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  await award(c, john, 30);
  const card = await addReward(c, { name: 'Gift card', points_cost: 250 });
  const cap = await addReward(c, { name: 'Cap', points_cost: 10, stock: 1 });
  const client = await inPortal(c, john);

  const poor = (await pressRedeem(client, card.id)).res;
  assert.equal(poor.status, 400);
  assert.match(alertOf(poor), /^Not enough points for Gift card: it costs 250 and you have 30\. Nothing was taken from your points$/);
  assert.match(poor.text, /<h1>Points and rewards<\/h1>/, 'the page again, with the notice');

  const capForm = redeemForm(await client.get('/portal/rewards'), cap.id);
  await award(c, await advocateId(c, 'V2AVMRDJ'), 10);
  await apiData(c, 'POST', `/rewards/${cap.id}/redeem`, { advocate_id: await advocateId(c, 'V2AVMRDJ') });
  const none = await client.post(`/portal/rewards/${cap.id}/redeem`, capForm);
  assert.equal(none.status, 409);
  assert.match(alertOf(none), /^Cap is out of stock\. Nothing was taken from your points$/);

  const mug = await addReward(c, { name: 'Mug', points_cost: 5 });
  const mugForm = redeemForm(await client.get('/portal/rewards'), mug.id);
  await apiData(c, 'POST', `/rewards/${mug.id}/archive`);
  const archived = await client.post(`/portal/rewards/${mug.id}/redeem`, mugForm);
  assert.equal(archived.status, 409);
  assert.match(alertOf(archived), /^Mug is no longer offered\. Nothing was taken from your points$/);

  assert.equal(await balanceOf(c, john), 30);
  assert.equal(await redemptionCount(c), 1, 'only the other advocate\'s');
});

test('scoping: another brand\'s reward, another advocate\'s or brand\'s redemption are 404s that change nothing; no CSRF: 403; no form id: 400 naming it', async (t) => {
  const c = await portalTestCollector(t);
  const other = await c.addBrand();
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const theirJohn = await advocateId(c, 'JOHN123', other);
  await award(c, john, 500);
  await award(c, sarah, 500);
  await award(c, theirJohn, 500, other);
  const mine = await addReward(c, { name: 'Mug', points_cost: 100 });
  const theirs = await addReward(c, { name: 'Their mug', points_cost: 100 }, other);
  const sarahs = (await apiData(c, 'POST', `/rewards/${mine.id}/redeem`, { advocate_id: sarah })).redemption;
  const otherBrands = (await apiData(c, 'POST', `/rewards/${theirs.id}/redeem`, { advocate_id: theirJohn }, other)).redemption;
  const before = { redemptions: await redemptionCount(c), john: await balanceOf(c, john) };

  const client = await inPortal(c, john);
  const { form_id } = redeemForm(await client.get('/portal/rewards'), mine.id);
  const everything = await databaseText(c);
  for (const id of [theirs.id, 999999, 'x1']) {
    const res = await client.post(`/portal/rewards/${id}/redeem`, { form_id });
    assert.equal(res.status, 404, `reward ${id}`);
    assert.match(textOf(res.text), /No reward with this id/);
  }
  for (const id of [sarahs.id, otherBrands.id, 999999]) {
    const res = await client.get(`/portal/rewards/redemptions/${id}`);
    assert.equal(res.status, 404, `redemption ${id}`);
    assert.ok(!res.text.includes('Mug'), 'nothing of it shown');
  }
  const noCsrf = await client.post(`/portal/rewards/${mine.id}/redeem`, { form_id }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  const forged = await client.post(`/portal/rewards/${mine.id}/redeem`, { form_id, _csrf: 'forged' });
  assert.equal(forged.status, 403);
  await client.get('/portal/rewards');
  const noFormId = await client.post(`/portal/rewards/${mine.id}/redeem`, {});
  assert.equal(noFormId.status, 400);
  assert.match(alertOf(noFormId), /^form_id: is missing or not this page's/);
  assert.equal(await databaseText(c), everything, 'nothing changed anywhere');
  // The advocate is the session's: a field naming another is not read.
  await client.get('/portal/rewards');
  const named = await client.post(`/portal/rewards/${mine.id}/redeem`, { form_id, advocate_id: String(sarah) });
  assert.equal(named.status, 303);
  assert.deepEqual({ redemptions: await redemptionCount(c), john: await balanceOf(c, john), sarah: await balanceOf(c, sarah) },
    { redemptions: before.redemptions + 1, john: before.john - 100, sarah: 400 });
  assert.equal((await apiData(c, 'GET', `/advocates/${theirJohn}/points`, undefined, other)).balance, 400, 'the other brand\'s advocate untouched');
});

test('the points history is paged, 20 entries a page, newest first, as the API pages it', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  for (let i = 1; i <= 23; i++) await apiData(c, 'POST', `/advocates/${john}/points`, { amount: i, type: 'award', description: `entry ${i}` });
  const client = await inPortal(c, john);
  const first = await client.get('/portal/rewards');
  const entries = (p: DashboardPage) => [...p.text.matchAll(/<td>entry (\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.deepEqual(entries(first), Array.from({ length: 20 }, (_, i) => 23 - i));
  const older = /<a href="([^"]+)">Older<\/a>/.exec(first.text.slice(first.text.indexOf('Points history pages')))?.[1];
  assert.equal(older?.replace(/&amp;/g, '&'), '/portal/rewards?points_page=2');
  const second = await client.get('/portal/rewards?points_page=2');
  assert.deepEqual(entries(second), [3, 2, 1]);
  assert.match(second.text, /<a href="\/portal\/rewards\?points_page=1">Newer<\/a>/);
  assert.equal((await client.get('/portal/rewards?points_page=0')).status, 400);
});
