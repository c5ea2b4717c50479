// The dashboard's payout page: what is due per advocate as GET /payouts answers it (clawbacks netted, subtotals,
// the minimum rolling over, a page of advocates at a time), the CSV as GET /payouts/export, "mark paid" all or none
// through POST /payouts' use case, and the past payouts grouped by the moment they were marked paid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCollector } from '../support/collector.ts';
import { clockedCollector, convert } from '../support/commissions.ts';
import { PAYOUT_RUNS_SQL } from '../../src/db/payoutPages.ts';
import { manyOrders, recordOrders } from '../support/bulk.ts';
import { signedIn } from '../support/dashboard.ts';
import { DAY_MS, PATHS, advocateId, pgPlanNodes } from '../support/fixtures.ts';

const COOLING = 31 * DAY_MS;

const payouts = async (c: TestCollector) => (await c.call('GET', '/api/v1/payouts')).body.data;
/** The advocates' checkboxes of the page: each carries that advocate's lines as listed. */
const payValues = (text: string) => [...text.matchAll(/name="pay" value="([^"]+)"/g)].map((m) => m[1]!);
/** The advocate ids of the page's rows, in order. */
const shownAdvocates = (text: string) => [...text.matchAll(/<td><a href="\/dashboard\/advocates\/(\d+)">/g)].map((m) => Number(m[1]));
/** The past payouts table's rows: [paid_at, commissions, amount]. */
const runRows = (text: string) => [...text.matchAll(/<tr><td><time datetime="([^"]+)"[^>]*>[^<]*<\/time><\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3]]);

test('the payout page lists GET /payouts per advocate (clawbacks netted, subtotals); mark paid records exactly that, all or none', async (t) => {
  const { clock, c } = await clockedCollector(t);
  const [john, sarah] = await Promise.all([advocateId(c, 'JOHN123'), advocateId(c, 'V2AVMRDJ')]);
  // John was paid 10.00, then 40 of that order was refunded: he owes 4.00 back, netted off his next 5.00.
  const first = await convert(c, 'A-1', 100);
  clock.advance(COOLING);
  assert.equal((await c.call('POST', '/api/v1/payouts', { commission_ids: [first], note: 'batch 1' })).status, 200);
  const firstRunAt = clock.now().toISOString();
  clock.advance(DAY_MS);
  assert.equal((await c.post(PATHS.refund, { order_id: 'A-1', refund_amount: 40, is_full_refund: false })).status, 200);
  const second = await convert(c, 'A-2', 50);
  const sarahs = await convert(c, 'S-1', 10, 'V2AVMRDJ');
  clock.advance(COOLING);
  const owner = await signedIn(c, { email: 'payer@shop.example' });

  const listed = await payouts(c);
  const pageText = (await owner.get('/dashboard/payouts')).text;
  assert.deepEqual(listed.advocates.map((a: any) => [a.advocate_id, a.subtotal]), [[sarah, 1], [john, 1]]);
  assert.deepEqual(shownAdvocates(pageText), listed.advocates.map((a: any) => a.advocate_id), 'the same advocates, in the same order');
  for (const a of listed.advocates) assert.ok(pageText.includes(`<td class="num">$${a.subtotal.toFixed(2)}</td>`));
  // Each checkbox carries its advocate's lines as listed: commissions, then clawbacks as id:amount.
  assert.deepEqual(payValues(pageText), [`${sarahs}`, `${second} ${first}:4.00`]);
  assert.match(pageText, new RegExp(`<a href="/dashboard/commissions/${first}">#${first}</a>\\n <span class="muted">A-1</span> -\\$4\\.00`), 'the clawback line, negative');
  assert.match(pageText, /This page: 2 advocates, \$2\.00\./);
  assert.deepEqual(runRows(pageText), [[firstRunAt, '1', '$10.00']], 'the first run, by its paid_at');

  // The CSV: byte for byte what GET /payouts/export answers, under the dashboard with the session.
  const csv = await owner.get('/dashboard/payouts/payout.csv');
  const apiCsv = await c.call('GET', '/api/v1/payouts/export');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="payout.csv"');
  assert.equal(csv.text, apiCsv.body);
  assert.equal(csv.text.trim().split('\r\n').length, 4, 'the header and three lines');

  // A viewer sees the list and the CSV, but cannot mark anything paid.
  const viewer = await signedIn(c, { role: 'viewer' });
  const viewed = await viewer.get('/dashboard/payouts');
  assert.deepEqual([payValues(viewed.text), shownAdvocates(viewed.text)], [[], [sarah, john]]);
  assert.equal((await viewer.get('/dashboard/payouts/payout.csv')).text, apiCsv.body);
  assert.equal((await viewer.post('/dashboard/payouts/mark-paid', { pay: payValues(pageText) })).status, 403);
  assert.equal((await owner.post('/dashboard/payouts/mark-paid', { pay: payValues(pageText) }, { csrf: false })).status, 403);
  assert.deepEqual(await payouts(c), listed, 'nothing was paid');

  // More clawback than is due (a tampered line): 409 naming it, and nothing at all is recorded.
  const tampered = await owner.post('/dashboard/payouts/mark-paid', { pay: [`${sarahs}`, `${second} ${first}:4.01`] });
  assert.equal(tampered.status, 409);
  assert.match(tampered.text, new RegExp(`Commission ${first} has 4 of clawback due, not 4.01`));
  assert.deepEqual(await payouts(c), listed);

  // Both advocates as listed, one job: paid, the clawback recovered, and the run among the past payouts.
  clock.advance(60_000);
  const paidAt = clock.now().toISOString();
  const done = await owner.post('/dashboard/payouts/mark-paid', { pay: payValues(pageText), note: 'bank batch 2' });
  assert.equal(done.status, 303, done.text.slice(0, 400));
  assert.equal(done.location, '/dashboard/payouts');
  const after = await owner.get('/dashboard/payouts');
  assert.ok(after.text.includes('Recorded as paid: 2 commissions of 2 advocates, $2.00 ($4.00 of clawbacks netted off).'));
  assert.deepEqual((await payouts(c)).advocates, []);
  assert.match(after.text, /Nothing is due: no approved commission waits for a payout\./);
  assert.deepEqual(runRows(after.text), [[paidAt, '2', '$6.00'], [firstRunAt, '1', '$10.00']]);
  // payout_runs is its definition: the paid cash commissions grouped by paid_at.
  const kept = await c.deps.db.prepare('SELECT paid_at, commissions, cents FROM payout_runs WHERE brand_id = ? ORDER BY paid_at').all(c.brand.brand_id);
  const grouped = await c.deps.db.prepare(`SELECT paid_at, count(*) AS commissions, sum(amount) AS cents FROM rewards
    WHERE brand_id = ? AND status = 'paid' AND kind = 'cash' GROUP BY paid_at ORDER BY paid_at`).all(c.brand.brand_id);
  assert.deepEqual(kept, grouped);
  assert.equal(kept.length, 2);
  const paid = (await c.call('GET', `/api/v1/commissions/${second}`)).body.data.commission;
  assert.deepEqual([paid.status, paid.paid_at, paid.history.at(-1).actor, paid.history.at(-1).note], ['paid', paidAt, 'dashboard:payer@shop.example', 'bank batch 2']);
  const clawed = (await c.call('GET', `/api/v1/commissions/${first}`)).body.data.commission;
  assert.deepEqual([clawed.clawback_recovered, clawed.history.at(-1).event], [4, 'clawback_recovered']);

  // The page read before that payout, sent again: already paid, a 409 that says so, nothing changes.
  const stale = await owner.post('/dashboard/payouts/mark-paid', { pay: payValues(pageText) });
  assert.equal(stale.status, 409);
  assert.match(stale.text, new RegExp(`Commission ${sarahs} is paid: a paid commission cannot become paid`));
  assert.equal(runRows((await owner.get('/dashboard/payouts')).text).length, 2);

  // Nothing selected: the API's message for commission_ids.
  const none = await owner.post('/dashboard/payouts/mark-paid', { note: 'x' });
  assert.equal(none.status, 400);
  assert.match(none.text, /commission_ids: must name at least one commission/);
  assert.equal((await owner.post('/dashboard/payouts/mark-paid', { pay: 'abc' })).status, 400);
});

test('advocates below min_payout roll over; the page shows a page of advocates at a time, the next after the last', async (t) => {
  const { clock, c } = await clockedCollector(t);
  const [john, sarah, tess] = await Promise.all([advocateId(c, 'JOHN123'), advocateId(c, 'V2AVMRDJ'), advocateId(c, 'TESTCODE')]);
  // 130 commissions: more than one page's worth of lines (about 100, never splitting an advocate).
  for (let i = 0; i < 60; i++) await convert(c, `J-${i}`, 20);
  for (let i = 0; i < 69; i++) await convert(c, `S-${i}`, 20, 'V2AVMRDJ');
  await convert(c, 'T-1', 5, 'TESTCODE');
  assert.equal((await c.call('PATCH', '/api/v1/settings', { min_payout: 1 })).status, 200);
  clock.advance(COOLING);
  const owner = await signedIn(c);
  const listed = await payouts(c);
  assert.deepEqual([listed.advocates.map((a: any) => a.advocate_id), listed.rolled_over], [[sarah, john].sort((x, y) => x - y), 1], 'Tess (0.50) rolls over');
  assert.ok(tess > 0);

  const shown: number[] = [];
  let path: string | null = '/dashboard/payouts';
  for (let pages = 0; path && pages < 5; pages++) {
    const p = await owner.get(path);
    assert.equal(p.status, 200);
    assert.match(p.text, /roll over to the next run/);
    shown.push(...shownAdvocates(p.text.slice(0, p.text.indexOf('Past payouts'))));
    if (pages === 0) {
      // Sarah's 69 lines: ten shown, the rest counted; her checkbox carries all 69, as GET /payouts lists them.
      assert.ok(p.text.includes('and 59 more (69 in all, each in the CSV)'));
      assert.equal(payValues(p.text)[0]!.split(' ').length, 69);
    }
    const next = /href="(\/dashboard\/payouts\?after=\d+)">Next advocates/.exec(p.text);
    path = next ? next[1]! : null;
  }
  assert.deepEqual(shown, listed.advocates.map((a: any) => a.advocate_id), 'every advocate due, once, in order, over two pages');
  assert.equal((await owner.get('/dashboard/payouts?after=x')).status, 400);

  // A refusal shows again the page of advocates the form was sent from.
  const second = await owner.get(`/dashboard/payouts?after=${shown[0]}`);
  const refused = await owner.post('/dashboard/payouts/mark-paid', { pay: `${payValues(second.text)[0]} 999999`, after: String(shown[0]) });
  assert.equal(refused.status, 404);
  assert.deepEqual(shownAdvocates(refused.text.slice(0, refused.text.indexOf('Past payouts'))), [shown[1]]);
  assert.match(refused.text, /No commission with id 999999 for this brand/);
  assert.deepEqual((await payouts(c)).advocates.map((a: any) => a.advocate_id), shown, 'nothing was paid');
});

test('an advocate with more lines than one POST /payouts records is listed whole, without a checkbox, and sent to the CSV', async (t) => {
  const { clock, c } = await clockedCollector(t);
  await recordOrders(c, manyOrders(501, 'JOHN123', 10), clock.now());
  await convert(c, 'S-1', 10, 'V2AVMRDJ');
  clock.advance(COOLING);
  const owner = await signedIn(c);
  const listed = await payouts(c);
  assert.deepEqual(listed.advocates.map((a: any) => a.lines.length), [1, 501]);
  let text = (await owner.get('/dashboard/payouts')).text;
  for (let next = /href="(\/dashboard\/payouts\?after=\d+)">Next advocates/.exec(text); next; next = null) text += (await owner.get(next[1]!)).text;
  assert.deepEqual(payValues(text), [String(listed.advocates[0].lines[0].commission_id)], 'Sarah can be paid here; John cannot');
  assert.ok(text.includes('501 lines: more than one payout records (250); pay them with the CSV and <code>referloop payout mark-paid --from</code>'));
  assert.ok(text.includes('and 491 more (501 in all, each in the CSV)'));
});

test('another brand\'s payout is never shown or paid from this brand\'s dashboard', async (t) => {
  const { clock, c } = await clockedCollector(t);
  const other = await c.addBrand();
  const theirs = await convert(c, 'O-1', 100, 'JOHN123', other);
  clock.advance(COOLING);
  const owner = await signedIn(c);
  const page = await owner.get('/dashboard/payouts');
  assert.deepEqual(payValues(page.text), []);
  assert.equal((await owner.get('/dashboard/payouts/payout.csv')).text.trim().split('\r\n').length, 1, 'the header only');
  const refused = await owner.post('/dashboard/payouts/mark-paid', { pay: String(theirs) });
  assert.equal(refused.status, 404);
  assert.equal((await c.call('GET', `/api/v1/commissions/${theirs}`, undefined, { brand: other })).body.data.commission.status, 'approved');
});

test('the past payouts are read from payout_runs by its key, newest run first, with no sort (migration 012)', async (t) => {
  const { c } = await clockedCollector(t);
  if (c.deps.db.dialect === 'pg') {
    const nodes = await pgPlanNodes(c, PAYOUT_RUNS_SQL, c.brand.brand_id, '9', 11);
    const plan = JSON.stringify(nodes);
    const scan = nodes.find((n) => n['Relation Name'] === 'payout_runs');
    assert.match(scan?.['Node Type'] ?? '', /^Index (Only )?Scan$/, plan);
    assert.equal(scan!['Index Name'], 'payout_runs_pkey', plan);
    assert.match(scan!['Index Cond'] ?? '', /^\(\(brand_id = .*\) AND \(paid_at < /, plan);
    assert.ok(!nodes.some((n) => n['Node Type'] === 'Sort'), plan);
    return;
  }
  const plan = (await c.deps.db.prepare(`EXPLAIN QUERY PLAN ${PAYOUT_RUNS_SQL}`).all(c.brand.brand_id, '9', 11) as Array<{ detail: string }>).map((p) => p.detail);
  assert.deepEqual(plan, ['SEARCH payout_runs USING PRIMARY KEY (brand_id=? AND paid_at<?)']);
});
