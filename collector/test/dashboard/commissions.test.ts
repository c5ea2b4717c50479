// The dashboard's commission queue: the list as GET /commissions answers it (filters, due dates, keyset pages),
// approving or rejecting many in one job (all or none), each commission's history; viewers, CSRF, other brands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCollector } from '../support/collector.ts';
import { clockedCollector, convert } from '../support/commissions.ts';
import { signedIn } from '../support/dashboard.ts';
import { DAY_MS, PATHS } from '../support/fixtures.ts';

const COOLING = 31 * DAY_MS;

const commission = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/commissions/${id}`)).body.data.commission;
/** The commission ids of a queue page, in the order shown. */
const shownIds = (text: string) => [...text.matchAll(/<td><a href="\/dashboard\/commissions\/(\d+)">/g)].map((m) => Number(m[1]));
const checkboxIds = (text: string) => [...text.matchAll(/name="commission_ids" value="(\d+)"/g)].map((m) => Number(m[1]));
const utc = (iso: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));

test('the queue lists what GET /commissions lists: pending ones with the date they become approved, filters, keyset pages', async (t) => {
  const { clock, c } = await clockedCollector(t);
  const old = await convert(c, 'Q-OLD', 100);
  clock.advance(COOLING);
  const ids: number[] = [];
  for (let i = 0; i < 52; i++) ids.push(await convert(c, `Q-${i}`, 10 + i, i % 2 ? 'V2AVMRDJ' : 'JOHN123'));
  const owner = await signedIn(c);

  const first = await owner.get('/dashboard/commissions');
  assert.equal(first.status, 200);
  const api = (await c.call('GET', '/api/v1/commissions', undefined, { query: { limit: 50 } })).body.data;
  assert.deepEqual(shownIds(first.text), api.commissions.map((x: any) => x.id), 'the same 50, newest first');
  assert.deepEqual(checkboxIds(first.text), api.commissions.map((x: any) => x.id), 'each with its checkbox');
  assert.match(first.text, /data-select-all="commission_ids"/);
  const newest = api.commissions[0];
  assert.equal(newest.status, 'pending');
  assert.ok(first.text.includes(`due</span> <time datetime="${newest.available_at}"`), 'a pending one shows when it becomes approved');
  assert.ok(first.text.includes(`${utc(newest.available_at)} UTC`));
  assert.equal(Date.parse(newest.available_at) - Date.parse(newest.created_at), 30 * DAY_MS, 'created + the cooling period');

  // Page 2 by the API's cursor: the remaining three, the oldest (approved by the settlement) last.
  const next = /href="\/dashboard\/commissions\?cursor=([A-Za-z0-9_-]+)">Older/.exec(first.text)?.[1];
  assert.equal(next, api.next_cursor);
  const second = await owner.get(`/dashboard/commissions?cursor=${next}`);
  assert.deepEqual(shownIds(second.text), [ids[1]!, ids[0]!, old]);
  assert.match(second.text, /No older entries/);
  const oldOne = await commission(c, old);
  assert.equal(oldOne.status, 'approved');
  assert.ok(second.text.includes(`approved</span> <time datetime="${oldOne.approved_at}"`));

  // Filters are the API's: status, advocate, level, dates.
  const sarah = (await c.call('GET', `/api/v1/commissions/${ids[1]}`)).body.data.commission.advocate_id;
  const filtered = await owner.get(`/dashboard/commissions?status=pending&advocate_id=${sarah}&level=1&from=2026-05-01&to=2026-05-31`);
  const apiFiltered = (await c.call('GET', '/api/v1/commissions', undefined, { query: { status: 'pending', advocate_id: sarah, level: 1, from: '2026-05-01', to: '2026-05-31', limit: 50 } })).body.data;
  assert.equal(apiFiltered.commissions.length, 26);
  assert.deepEqual(shownIds(filtered.text), apiFiltered.commissions.map((x: any) => x.id));
  assert.match(filtered.text, /<option value="pending" selected>/);
  assert.deepEqual(shownIds((await owner.get('/dashboard/commissions?status=approved')).text), [old]);

  // A bad filter: a 400 with the API's message beside its field, no list.
  const bad = await owner.get('/dashboard/commissions?level=3&from=yesterday');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="f-level-error">must be 1 or 2</);
  assert.match(bad.text, /id="f-from-error">must be a date such as 2026-04-14/);
  assert.deepEqual(shownIds(bad.text), []);
});

test('approve two selected commissions in one job; one that cannot move refuses them all, and says which', async (t) => {
  const { clock, c } = await clockedCollector(t);
  const paid = await convert(c, 'P-1', 100);
  clock.advance(COOLING);
  assert.equal((await c.call('POST', '/api/v1/payouts', { commission_ids: [paid] })).status, 200);
  const a = await convert(c, 'A-1', 100);
  const b = await convert(c, 'A-2', 50, 'V2AVMRDJ');
  const owner = await signedIn(c, { email: 'boss@shop.example' });

  // With a paid one selected: 409, the page names it and why, and neither pending one moved.
  const refused = await owner.post('/dashboard/commissions/status', { commission_ids: [String(a), String(paid), String(b)], status: 'approved', reason: 'checked', return_to: '/dashboard/commissions?status=pending' });
  assert.equal(refused.status, 409);
  assert.match(refused.text, new RegExp(`Nothing was changed: 1 of the 3 selected cannot become approved \\(commission ${paid}: A paid commission cannot become approved\\)`));
  assert.deepEqual([(await commission(c, a)).status, (await commission(c, b)).status, (await commission(c, paid)).status], ['pending', 'pending', 'paid']);
  assert.equal((await commission(c, a)).history.length, 1, 'no history written');
  assert.match(refused.text, new RegExp(`name="commission_ids" value="${a}" id="pick-${a}" checked`), 'the selection is kept');
  assert.match(refused.text, /<option value="pending" selected>/, 'the queue as it was filtered');

  // The two pending ones: approved together, the override and who did it in each history.
  const done = await owner.post('/dashboard/commissions/status', { commission_ids: [String(a), String(b)], status: 'approved', reason: 'checked by hand', return_to: '/dashboard/commissions?status=pending' });
  assert.equal(done.status, 303, done.text.slice(0, 500));
  assert.equal(done.location, '/dashboard/commissions?status=pending');
  assert.ok((await owner.get(done.location!)).text.includes(`<p class="notice" role="status">Approved 2 commissions #${a}, #${b}.</p>`));
  for (const id of [a, b]) {
    const x = await commission(c, id);
    assert.equal(x.status, 'approved');
    assert.deepEqual([x.history.at(-1).event, x.history.at(-1).actor], ['approved', 'dashboard:boss@shop.example']);
    assert.match(x.history.at(-1).note, /^operator override: approved before the cooling period ended \(due .*\); checked by hand$/);
  }

  // Rejecting with a reason; the same again is harmless.
  const rejected = await owner.post('/dashboard/commissions/status', { commission_ids: String(b), status: 'rejected', reason: 'self-referral', return_to: `/dashboard/commissions/${b}` });
  assert.equal(rejected.status, 303);
  assert.equal(rejected.location, `/dashboard/commissions/${b}`);
  assert.deepEqual([(await commission(c, b)).status, (await commission(c, b)).reason, (await commission(c, b)).net_amount], ['rejected', 'self-referral', 0]);
  const again = await owner.post('/dashboard/commissions/status', { commission_ids: String(b), status: 'rejected', return_to: 'https://evil.example/' });
  assert.equal(again.location, '/dashboard/commissions', 'return_to never leaves the queue');
  assert.ok((await owner.get('/dashboard/commissions')).text.includes(`#${b} was already rejected.`));

  // Nothing selected, or no status: a 400 naming the field, nothing written.
  const none = await owner.post('/dashboard/commissions/status', { status: 'approved' });
  assert.equal(none.status, 400);
  assert.match(none.text, /commission_ids: select at least one commission/);
  const tooMany = await owner.post('/dashboard/commissions/status', { commission_ids: Array.from({ length: 101 }, (_, i) => String(i + 1)), status: 'approved' });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.text, /commission_ids: may hold at most 100 commissions \(a page of the list\): change more in several/);
  assert.equal((await commission(c, a)).history.length, 2, 'nothing written');
  const noStatus = await owner.post('/dashboard/commissions/status', { commission_ids: String(a) });
  assert.equal(noStatus.status, 400);
  assert.match(noStatus.text, /status: must be approved or rejected/);
});

test('a commission\'s page shows its history (who, when, what changed); viewers, CSRF and other brands are refused', async (t) => {
  const { clock, c } = await clockedCollector(t);
  const id = await convert(c, 'H-1', 100);
  clock.advance(COOLING);
  assert.equal((await c.call('PUT', `/api/v1/commissions/${id}/status`, { status: 'paid', reason: 'PayPal batch 7' })).status, 200);
  assert.equal((await c.post(PATHS.refund, { order_id: 'H-1', refund_amount: 40, is_full_refund: false })).status, 200);
  const owner = await signedIn(c);
  const api = await commission(c, id);
  const detail = await owner.get(`/dashboard/commissions/${id}`);
  assert.equal(detail.status, 200);
  assert.deepEqual(api.history.map((e: any) => e.event), ['created', 'approved', 'paid', 'clawback']);
  const historyRows = [...detail.text.matchAll(/<tr>\n<td><time datetime="([^"]+)"[^>]*>[^<]*<\/time><\/td><td><span class="status status-([a-z_]+)">[^<]*<\/span><\/td><td class="num">([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)]
    .map((m) => [m[1], m[2], m[3], m[4], m[5]]);
  assert.deepEqual(historyRows, api.history.map((e: any) => [e.created_at, e.event, e.delta ? `${e.delta < 0 ? '-' : ''}$${Math.abs(e.delta).toFixed(2)}` : '—', e.actor, e.note ?? '']));
  assert.match(detail.text, /<dt>Clawed back<\/dt><dd>\$4\.00 <span class="muted">\(\$0\.00 of it netted off payouts\)/);
  assert.match(detail.text, /<dt>Net<\/dt><dd>\$6\.00/);
  assert.doesNotMatch(detail.text, /name="status" value="approved"/, 'a paid commission has nothing to approve or reject');

  const pending = await convert(c, 'H-2', 30);
  const viewer = await signedIn(c, { role: 'viewer' });
  const seen = await viewer.get('/dashboard/commissions');
  assert.equal(seen.status, 200);
  assert.deepEqual(checkboxIds(seen.text), [], 'a viewer gets no selection');
  assert.doesNotMatch(seen.text, /commissions\/status/);
  assert.equal((await viewer.post('/dashboard/commissions/status', { commission_ids: String(pending), status: 'approved' })).status, 403);
  assert.equal((await owner.post('/dashboard/commissions/status', { commission_ids: String(pending), status: 'approved' }, { csrf: false })).status, 403);
  assert.equal((await commission(c, pending)).status, 'pending', 'neither changed it');

  // Another brand's commission: its page is a 404, and selecting it refuses the whole batch.
  const other = await c.addBrand();
  const theirs = await convert(c, 'O-1', 100, 'JOHN123', other);
  assert.equal((await owner.get(`/dashboard/commissions/${theirs}`)).status, 404);
  assert.equal((await owner.get('/dashboard/commissions/abc')).status, 404);
  const mixed = await owner.post('/dashboard/commissions/status', { commission_ids: [String(pending), String(theirs)], status: 'rejected' });
  assert.equal(mixed.status, 404);
  assert.match(mixed.text, new RegExp(`commission ${theirs}: No commission with id ${theirs} for this brand`));
  assert.equal((await commission(c, pending)).status, 'pending');
  assert.equal((await c.call('GET', `/api/v1/commissions/${theirs}`, undefined, { brand: other })).body.data.commission.status, 'pending');
  assert.ok(!(await owner.get('/dashboard/commissions')).text.includes('O-1'), 'the queue never lists another brand\'s');
});
