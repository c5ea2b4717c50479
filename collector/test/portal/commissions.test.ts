// /portal/commissions (issue 14): the advocate's own commissions page by page, each row what GET
// /api/v1/commissions?advocate_id= answers for them (date, order and amount, commission, status in words), the status
// filter; never another advocate's (same brand, another brand); a refused filter or cursor is a 400 naming it; a
// signed-out browser gets the 401 page.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from '../support/collector.ts';
import { browser, textOf, type DashboardClient, type DashboardPage } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { clockedCollector as setUp, convert } from '../support/commissions.ts';
import { advocateId, PATHS } from '../support/fixtures.ts';

const money = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const idsOn = (page: DashboardPage) => [...page.text.matchAll(/<tr data-commission="(\d+)">/g)].map((m) => Number(m[1]));
const rowOf = (page: DashboardPage, id: number) => textOf(new RegExp(`<tr data-commission="${id}">(.*?)</tr>`, 's').exec(page.text)?.[1] ?? '');
const olderLink = (page: DashboardPage) => /<a href="([^"]+)">Older<\/a>/.exec(page.text)?.[1]?.replace(/&amp;/g, '&') ?? null;
const fieldError = (page: DashboardPage, name: string) => textOf(new RegExp(`id="f-${name}-error">([^<]*)<`).exec(page.text)?.[1] ?? '');

async function api(c: TestCollector, advocate: number, query: Record<string, string | number> = {}, brand?: TestBrand) {
  const res = await c.call('GET', '/api/v1/commissions', undefined, { query: { advocate_id: advocate, limit: 25, ...query }, ...(brand ? { brand } : {}) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data as { commissions: any[]; next_cursor: string | null; has_more: boolean };
}

/** Walks the portal's pages by their "Older" link and the API's by next_cursor, asserting each page is the API's. */
async function assertPagesAreTheApis(c: TestCollector, client: DashboardClient, advocate: number, status?: string): Promise<number[]> {
  const seen: number[] = [];
  let path: string | null = `/portal/commissions${status ? `?status=${status}` : ''}`;
  let cursor: string | null = null;
  do {
    const page = await client.get(path!);
    assert.equal(page.status, 200, page.text.slice(0, 400));
    const answer = await api(c, advocate, { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    assert.deepEqual(idsOn(page), answer.commissions.map((x) => x.id), `page ${path}`);
    for (const x of answer.commissions) {
      const row = rowOf(page, x.id);
      assert.ok(row.includes(`Order ${x.order_id} of ${money(x.conversion_amount)}`), row);
      assert.ok(row.includes(money(x.amount)), `${row} holds ${x.amount}`);
      assert.ok(row.includes(x.level === 1 ? 'Your referral' : 'Referred by someone you referred'), row);
    }
    seen.push(...idsOn(page));
    path = olderLink(page);
    cursor = answer.next_cursor;
    assert.equal(path === null, cursor === null, 'an Older link exactly when the API has a next page');
  } while (path !== null);
  return seen;
}

test('the advocate\'s commissions, page by page, are what the API answers for them, with each status in words', async (t) => {
  const { c } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  // 30 of John's (more than a page), Sarah's in between them, and John's namesake in another brand.
  const other = await c.addBrand();
  const otherJohn = await advocateId(c, 'JOHN123', other);
  const johns: number[] = [];
  const others: number[] = [];
  for (let i = 1; i <= 30; i++) {
    johns.push(await convert(c, `J-${i}`, 100 + i));
    if (i % 5 === 0) others.push(await convert(c, `S-${i}`, 500 + i, 'V2AVMRDJ'));
    if (i % 10 === 0) others.push(await convert(c, `X-${i}`, 700 + i, 'JOHN123', other));
  }
  // Every status: approved, paid (then clawed back), rejected with its reason, reversed (refunded before payment).
  const [approved, paid, clawed, rejected, reversed] = johns.slice(0, 5) as [number, number, number, number, number];
  for (const id of [approved, paid, clawed]) assert.equal((await c.call('PUT', `/api/v1/commissions/${id}/status`, { status: 'approved' })).status, 200);
  assert.equal((await c.call('POST', '/api/v1/payouts', { commission_ids: [paid, clawed], note: 'PayPal batch 7' })).status, 200);
  assert.equal((await c.post(PATHS.refund, { order_id: 'J-3', refund_amount: 103, is_full_refund: true })).status, 200);
  assert.equal((await c.call('PUT', `/api/v1/commissions/${rejected}/status`, { status: 'rejected', reason: 'Order cancelled by the shop' })).status, 200);
  assert.equal((await c.post(PATHS.refund, { order_id: 'J-5', refund_amount: 105, is_full_refund: true })).status, 200);

  const client = await inPortal(c, john);
  const seen = await assertPagesAreTheApis(c, client, john);
  assert.deepEqual(seen, [...johns].reverse(), 'every one of John\'s, newest first, once');
  for (const id of others) assert.ok(!seen.includes(id));

  const first = await client.get('/portal/commissions');
  assert.match(first.text, /<a href="\/portal\/commissions" aria-current="page">Commissions<\/a>/);
  assert.match(first.text, /<caption>Your commissions, newest first, 25 a page<\/caption>/);
  assert.match(first.text, /<th scope="col">Date<\/th>/);
  const last = await client.get(olderLink(first)!);
  const words = (id: number) => rowOf(last, id);
  assert.match(words(approved), /Approved , to be paid/);
  assert.match(words(paid), /Paid Apr 14, 2026/);
  assert.match(words(clawed), /Clawed back : paid Apr 14, 2026, 12:00 PM UTC , then \$10\.30 taken back/);
  assert.match(words(rejected), /Rejected : Order cancelled by the shop/);
  assert.match(words(reversed), /Reversed : the order was refunded before payment/);
  assert.match(rowOf(first, johns[5]!), /Pending : approved on May 14, 2026/);
  // No customer data: the customers' emails are nowhere on the pages.
  assert.doesNotMatch(first.text + last.text, /@customer\.example/);
  // Nothing of Sarah's or the other brand's orders.
  assert.doesNotMatch(first.text + last.text, /S-\d|X-\d/);

  // The status filter: the API's answer for that status.
  for (const status of ['pending', 'approved', 'paid', 'rejected', 'reversed']) await assertPagesAreTheApis(c, client, john, status);
  assert.deepEqual(idsOn(await client.get('/portal/commissions?status=paid')), [clawed, paid]);
  const pendingPage = await client.get('/portal/commissions?status=pending');
  assert.match(pendingPage.text, /<option value="pending" selected>Pending<\/option>/);

  // Sarah sees her own and none of John's; the other brand's John his own alone.
  const sarahs = await assertPagesAreTheApis(c, await inPortal(c, sarah), sarah);
  assert.equal(sarahs.length, 6);
  assert.ok(sarahs.every((id) => others.includes(id)));
  const otherClient = await inPortal(c, otherJohn, other);
  const otherPage = await otherClient.get('/portal/commissions');
  assert.deepEqual(idsOn(otherPage), (await api(c, otherJohn, {}, other)).commissions.map((x) => x.id));
  assert.equal(idsOn(otherPage).length, 3);
  assert.ok(idsOn(otherPage).every((id) => others.includes(id)));
});

test('a cursor of another advocate\'s list shows only the session\'s advocate; a bad filter or cursor is a 400 naming it', async (t) => {
  const { c } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  for (let i = 1; i <= 3; i++) await convert(c, `J-${i}`, 100 + i);
  const sarahsOwn = [await convert(c, 'S-1', 50, 'V2AVMRDJ'), await convert(c, 'S-2', 60, 'V2AVMRDJ')];
  const client = await inPortal(c, john);
  // A cursor is only a position in the list: under Sarah's latest commission, John still sees only his.
  const cursor = Buffer.from(JSON.stringify({ id: sarahsOwn[1]! + 1 })).toString('base64url');
  const page = await client.get(`/portal/commissions?cursor=${cursor}&advocate_id=${sarah}`);
  assert.equal(page.status, 200);
  assert.deepEqual(idsOn(page), (await api(c, john)).commissions.map((x) => x.id));
  assert.equal(idsOn(page).length, 3);

  const badStatus = await client.get('/portal/commissions?status=lost');
  assert.equal(badStatus.status, 400);
  assert.equal(fieldError(badStatus, 'status'), 'must be pending, approved, paid, rejected or reversed');
  assert.deepEqual(idsOn(badStatus), []);
  const badCursor = await client.get('/portal/commissions?cursor=%21%21');
  assert.equal(badCursor.status, 400);
  assert.match(textOf(badCursor.text), /This page of the list no longer exists/);
});

test('a signed-out browser gets the 401 page, and no commission', async (t) => {
  const { c } = await setUp(t);
  await convert(c, 'J-1', 100);
  for (const path of ['/portal/commissions', '/portal/commissions?status=pending']) {
    const page = await browser(c).get(path);
    assert.equal(page.status, 401);
    assert.match(textOf(page.text), /Not in the portal/);
    assert.doesNotMatch(page.text, /J-1/);
  }
  // Signed out through the form: the same.
  const john = await advocateId(c, 'JOHN123');
  const client = await inPortal(c, john);
  assert.equal((await client.get('/portal/commissions')).status, 200);
  assert.equal((await client.post('/portal/sign-out', {})).status, 200);
  assert.equal((await client.get('/portal/commissions')).status, 401);
});
