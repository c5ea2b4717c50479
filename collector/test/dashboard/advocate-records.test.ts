// An advocate's referral records, a tab of their dashboard page (/dashboard/advocates/:id/records): the rows
// GET /api/v1/referral-records?advocate_id= answers (a tracked purchase with its order and incentive, an entered record),
// paged by the API's cursor, and only theirs.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { convert } from '../support/commissions.ts';
import { signedIn, type DashboardPage } from '../support/dashboard.ts';
import { advocateId } from '../support/fixtures.ts';

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text of the table row that holds `needle` (tags stripped, spaces squeezed). */
function rowWith(page: DashboardPage, needle: string): string {
  const rows = page.text.split(/<tr[\s>]/).filter((r) => r.includes(needle));
  assert.ok(rows.length > 0, `a row with ${needle}`);
  return unescape(rows[0]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

/** The records section of an advocate's records tab. */
const recordsOf = (page: DashboardPage): string => page.text.slice(page.text.indexOf('id="records-h"'));

async function setUp(t: TestContext) {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  return { c, owner: await signedIn(c) };
}

test("an advocate's referral records are the API's, each linked to its order, commission and campaign; an entered one says so", async (t) => {
  const { c, owner } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const tess = await advocateId(c, 'TESTCODE');
  await convert(c, 'REC-1', 200, 'JOHN123');
  await convert(c, 'TESS-1', 80, 'TESTCODE');
  const entered = await c.call('POST', '/api/v1/referral-records', {
    referrer_advocate_id: john, reward_action_type: 1, order_id: 'ELSEWHERE-7', referred_customer_email: 'shop@elsewhere.example', reward_amount: 5,
  });
  assert.equal(entered.status, 201, JSON.stringify(entered.body));

  const advocatePage = await owner.get(`/dashboard/advocates/${john}`);
  assert.equal(advocatePage.status, 200);
  assert.ok(advocatePage.text.includes(`href="/dashboard/advocates/${john}/records"`), "the advocate's page links to their records");
  assert.ok(!advocatePage.text.includes('id="records-h"'), 'and reads none itself');
  const page = await owner.get(`/dashboard/advocates/${john}/records`);
  assert.equal(page.status, 200);
  const api = (await c.call('GET', '/api/v1/referral-records', undefined, { query: { advocate_id: john } })).body.data.referral_records;
  assert.equal(api.length, 2);
  const records = recordsOf(page);
  for (const r of api) assert.ok(records.includes(`<code>${r.uuid}</code>`), r.uuid);
  const tracked = api.find((r: { entered: boolean }) => !r.entered);
  const row = rowWith(page, `<code>${tracked.uuid}</code>`);
  assert.match(row, /a referred purchase 1 rec-1@customer\.example REC-1 Default \$20\.00 pending until /);
  assert.ok(records.includes(`href="/dashboard/conversions/${tracked.order.conversion_id}"`));
  assert.ok(records.includes(`href="/dashboard/commissions/${tracked.commission_id}"`));
  assert.ok(records.includes(`href="/dashboard/campaigns/${tracked.campaign_id}"`));
  const other = api.find((r: { entered: boolean }) => r.entered);
  assert.match(rowWith(page, `<code>${other.uuid}</code>`), /a referred purchase entered 1 shop@elsewhere\.example ELSEWHERE-7 Default \$5\.00 pending/);
  assert.doesNotMatch(records, /TESS-1/, "another advocate's records are not listed");
  assert.match(recordsOf(await owner.get(`/dashboard/advocates/${tess}/records`)), /TESS-1/);
  assert.equal((await owner.get('/dashboard/advocates/999999/records')).status, 404);
});

test("the records are paged by the API's cursor, 10 a page", async (t) => {
  const { c, owner } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  for (let i = 1; i <= 12; i++) await convert(c, `PAGE-${i}`, 10, 'JOHN123');
  const first = await owner.get(`/dashboard/advocates/${john}/records`);
  const apiFirst = (await c.call('GET', '/api/v1/referral-records', undefined, { query: { advocate_id: john, limit: 10 } })).body.data;
  const records = recordsOf(first);
  assert.equal([...records.matchAll(/<code>[0-9a-f-]{36}<\/code>/g)].length, 10);
  const older = new RegExp(`href="/dashboard/advocates/${john}/records\\?cursor=([^"]+)">Older`).exec(records);
  assert.ok(older, 'an Older link');
  assert.equal(older[1], apiFirst.next_cursor);
  const second = recordsOf(await owner.get(`/dashboard/advocates/${john}/records?cursor=${older[1]}`));
  const apiSecond = (await c.call('GET', '/api/v1/referral-records', undefined, { query: { advocate_id: john, limit: 10, cursor: older[1]! } })).body.data.referral_records;
  assert.equal(apiSecond.length, 2);
  for (const r of apiSecond) assert.ok(second.includes(`<code>${r.uuid}</code>`));
  assert.match(second, /No older entries/);
});
