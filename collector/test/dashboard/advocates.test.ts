// The dashboard's advocate pages over HTTP: the list (search, filters, keyset paging) equal to the API's answers,
// an advocate's page (codes, commissions with history, points, referrals, payment), and every form's change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { signedIn, type DashboardClient } from '../support/dashboard.ts';

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text of the table row that holds `needle` (tags stripped, spaces squeezed). */
function rowWith(page: string, needle: string): string {
  const rows = page.split(/<tr[\s>]/).filter((r) => r.includes(needle));
  assert.ok(rows.length > 0, `a row with ${needle}`);
  return unescape(rows[0]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

const advocateId = async (c: TestCollector, code: string): Promise<number> =>
  (await c.call('GET', `/api/v1/referrals/${code}`)).body.data.referral.advocate_id;

/** Sarah (V2AVMRDJ): 2 clicks, one conversion of 100.00 (10.00 pending); Tess: one of 50.00. */
async function seed(c: TestCollector) {
  for (let i = 0; i < 2; i++) assert.equal((await c.post('/api/v1/track/visit', { referral_code: 'V2AVMRDJ' })).status, 200);
  assert.equal((await c.post('/api/v1/track/conversion', { email: 'buyer@x.example', order_id: 'A-1', order_value: 100, referral_code: 'V2AVMRDJ' })).status, 201);
  assert.equal((await c.post('/api/v1/track/conversion', { email: 'other@x.example', order_id: 'A-2', order_value: 50, referral_code: 'TESTCODE' })).status, 201);
}

async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  await seed(c);
  return { c, owner: await signedIn(c) };
}

test('the list shows each advocate with the API\'s figures; search, filters and the cursor are the API\'s', async (t) => {
  const { c, owner } = await setUp(t);
  const page = await owner.get('/dashboard/advocates');
  assert.equal(page.status, 200);
  const api = (await c.call('GET', '/api/v1/advocates')).body.data.advocates as Array<Record<string, any>>;
  assert.equal(api.length, 3);
  for (const a of api) {
    const row = rowWith(page.text, `/dashboard/advocates/${a.id}"`);
    assert.match(row, new RegExp(`^${a.name} ${a.email} ${a.referral_codes.join(', ')} ${a.status}`));
    assert.ok(row.includes(` ${a.click_count} ${a.conversion_count} `), row);
    assert.ok(row.includes(`$${a.pending_earnings.toFixed(2)}`), row);
    assert.ok(row.includes(`$${a.total_earnings.toFixed(2)}`), row);
  }
  assert.match(rowWith(page.text, 'Sarah Jones'), / 2 1 50% \$10\.00 \$0\.00 \$0\.00 \$10\.00 0 /);

  // As the filter form sends it: the empty fields mean "any".
  const searched = await owner.get('/dashboard/advocates?search=sarah+jo&status=&tier=');
  assert.equal(searched.status, 200);
  assert.match(searched.text, /Sarah Jones/);
  assert.doesNotMatch(searched.text, /Tess Tester|John Smith/);
  assert.match(searched.text, /value="sarah jo"/, 'the search stays in its box');

  const sarah = await advocateId(c, 'V2AVMRDJ');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${sarah}`, { status: 'blocked', tier: 'gold' })).status, 200);
  const blocked = await owner.get('/dashboard/advocates?status=blocked');
  assert.match(blocked.text, /Sarah Jones/);
  assert.doesNotMatch(blocked.text, /Tess Tester/);
  assert.match((await owner.get('/dashboard/advocates?tier=gold')).text, /Sarah Jones/);
  assert.doesNotMatch((await owner.get('/dashboard/advocates?tier=silver')).text, /Sarah Jones/);

  // Keyset paging: the "Older" link carries the API's next_cursor for the same query.
  const first = await owner.get('/dashboard/advocates?limit=2');
  const apiFirst = (await c.call('GET', '/api/v1/advocates', undefined, { query: { limit: 2 } })).body.data;
  const older = /href="\/dashboard\/advocates\?limit=2&amp;cursor=([^"]+)">Older/.exec(first.text);
  assert.ok(older, 'an Older link');
  assert.equal(older[1], apiFirst.next_cursor);
  const second = await owner.get(`/dashboard/advocates?limit=2&cursor=${older[1]}`);
  const apiSecond = (await c.call('GET', '/api/v1/advocates', undefined, { query: { limit: 2, cursor: older[1]! } })).body.data.advocates;
  assert.equal(apiSecond.length, 1);
  assert.ok(second.text.includes(`/dashboard/advocates/${apiSecond[0].id}"`));
  assert.match(second.text, /No older entries/);
  assert.match(second.text, /First page/);
});

test('a bad filter is a 400 that names the field, beside it', async (t) => {
  const { owner } = await setUp(t);
  const page = await owner.get('/dashboard/advocates?status=gone');
  assert.equal(page.status, 400);
  assert.match(page.text, /id="f-status-error">must be active, pending or blocked</);
  assert.match(page.text, /aria-invalid="true"/);
  const control = await owner.get('/dashboard/advocates?search=a%01b');
  assert.equal(control.status, 400);
  assert.match(control.text, /id="f-search-error">may not contain control characters</);
});

test('creating an advocate writes what the form says; a refused form writes nothing and names the field', async (t) => {
  const { c, owner } = await setUp(t);
  const tess = await advocateId(c, 'TESTCODE');
  const created = await owner.post('/dashboard/advocates', {
    name: 'Nina Newcomer', email: 'Nina@Shop.example', referral_code: 'nina5', status: 'pending', tier: 'silver',
    referred_by: String(tess), payment_method: 'paypal', payment_details: 'nina@paypal.example',
  });
  assert.equal(created.status, 303);
  const id = Number(/^\/dashboard\/advocates\/(\d+)$/.exec(created.location ?? '')?.[1]);
  assert.ok(id > 0, created.location ?? '');
  const api = (await c.call('GET', `/api/v1/advocates/${id}`)).body.data.advocate;
  assert.equal(api.email, 'nina@shop.example');
  assert.equal(api.referral_code, 'NINA5');
  assert.deepEqual(api.referral_codes.map((r: { code: string }) => r.code), ['NINA5']);
  assert.equal(api.status, 'pending');
  assert.equal(api.tier, 'silver');
  assert.equal(api.referred_by, tess);
  assert.equal(api.payment_method, 'paypal');
  assert.equal(api.payment_details, 'nina@paypal.example');
  assert.match((await owner.get(created.location!)).text, /<h1>Nina Newcomer<\/h1>/);

  const count = async () => (await c.call('GET', '/api/v1/advocates', undefined, { query: { total: 'true' } })).body.data.total;
  const before = await count();
  const dupe = await owner.post('/dashboard/advocates', { name: 'Again', email: 'nina@shop.example', status: 'active' });
  assert.equal(dupe.status, 409);
  assert.match(dupe.text, /id="f-email-error">already used by an advocate of this brand</);
  assert.match(dupe.text, /value="Again"/, 'the form keeps what was typed');
  const taken = await owner.post('/dashboard/advocates', { name: 'Taken', email: 'taken@shop.example', referral_code: 'testcode', status: 'active' });
  assert.equal(taken.status, 409);
  assert.match(taken.text, /id="f-referral_code-error">already used/);
  const bad = await owner.post('/dashboard/advocates', { name: '', email: 'not-an-email', status: 'active', payment_method: 'gold' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="f-email-error">must be an email address</);
  assert.match(bad.text, /id="f-name-error">must not be empty</);
  assert.match(bad.text, /id="f-payment_method-error">must be one of/);
  assert.equal(await count(), before, 'nothing written');
});

test('an advocate\'s page: codes with the API\'s figures, commissions with history, points, referrals, payment', async (t) => {
  const { c, owner } = await setUp(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const tess = await advocateId(c, 'TESTCODE');
  await c.call('PATCH', `/api/v1/advocates/${tess}`, { referred_by: sarah });
  await c.call('PATCH', `/api/v1/advocates/${sarah}`, { payment_method: 'bank_transfer', payment_details: 'IBAN DE00 <b>1234</b>' });
  await c.post('/api/v1/track/refund', { order_id: 'A-1', refund_amount: 25, is_full_refund: false, refund_reason: 'one item back' });
  await c.call('POST', `/api/v1/advocates/${sarah}/points`, { amount: 40, description: 'launch bonus' });

  const page = await owner.get(`/dashboard/advocates/${sarah}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Sarah Jones<\/h1>/);
  const stats = (await c.call('GET', '/api/v1/referrals/V2AVMRDJ/stats')).body.data;
  assert.deepEqual([stats.clicks, stats.conversions, stats.revenue], [2, 1, 75]);
  assert.match(rowWith(page.text, '<code>V2AVMRDJ</code>'), /^V2AVMRDJ active 2 1 \$75\.00 50%/);
  // The commission: 10.00, then 7.50 after a quarter refunded; its history says so.
  const commission = (await c.call('GET', '/api/v1/commissions', undefined, { query: { advocate_id: sarah } })).body.data.commissions[0];
  const history = (await c.call('GET', `/api/v1/commissions/${commission.id}`)).body.data.commission.history;
  const row = rowWith(page.text, `/dashboard/conversions/${commission.conversion_id}"`);
  assert.match(row, /^\d+ A-1 1 pending \$7\.50 — \$7\.50 /);
  assert.match(row, new RegExp(`History \\(${history.length}\\)`));
  assert.match(row, /created \(\+\$10\.00\) by system — conversion \d+/);
  assert.match(row, /refund adjustment \(-\$2\.50\) by system — one item back/);
  assert.match(rowWith(page.text, 'launch bonus'), /award \+40 40 launch bonus/);
  assert.match(page.text, /<h2 id="points-h">Points: 40<\/h2>/);
  assert.match(page.text, /Referred by: nobody/);
  assert.match(rowWith(page.text, 'tess@advocate.example'), /^Tess Tester tess@advocate\.example active/);
  assert.match(page.text, /Payment: bank transfer — <span class="payment-details">IBAN DE00 &lt;b&gt;1234&lt;\/b&gt;<\/span>/, 'escaped');
  const tessPage = await owner.get(`/dashboard/advocates/${tess}`);
  assert.ok(tessPage.text.includes(`Referred by: <a href="/dashboard/advocates/${sarah}">Sarah Jones</a>`));
});

test('edit, block and unblock, add and deactivate a code, award and deduct points: each changes what it says', async (t) => {
  const { c, owner } = await setUp(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const john = await advocateId(c, 'JOHN123');
  const get = async () => (await c.call('GET', `/api/v1/advocates/${sarah}`)).body.data.advocate;

  const edit = await owner.post(`/dashboard/advocates/${sarah}`, {
    name: 'Sarah J. Jones', email: 'sarah@advocate.example', status: 'active', tier: 'gold', referred_by: String(john),
    payment_method: 'wise', payment_details: 'sarah@wise.example', metadata: '{"team": "north"}',
  });
  assert.equal(edit.status, 303);
  assert.equal(edit.location, `/dashboard/advocates/${sarah}`);
  let a = await get();
  assert.deepEqual([a.name, a.tier, a.referred_by, a.payment_method, a.payment_details, a.metadata],
    ['Sarah J. Jones', 'gold', john, 'wise', 'sarah@wise.example', { team: 'north' }]);
  // Emptied fields clear (the PATCH's null).
  await owner.post(`/dashboard/advocates/${sarah}`, { name: 'Sarah J. Jones', email: 'sarah@advocate.example', status: 'active', tier: '', referred_by: '', payment_method: '', payment_details: '', metadata: '' });
  a = await get();
  assert.deepEqual([a.tier, a.referred_by, a.payment_method, a.payment_details, a.metadata], [null, null, null, null, null]);
  const badEdit = await owner.post(`/dashboard/advocates/${sarah}`, { name: 'X', email: 'sarah@advocate.example', status: 'active', referred_by: String(sarah) });
  assert.equal(badEdit.status, 400);
  assert.match(badEdit.text, /id="f-referred_by-error">an advocate cannot refer itself</);
  assert.equal((await get()).name, 'Sarah J. Jones', 'nothing written');
  const badJson = await owner.post(`/dashboard/advocates/${sarah}`, { name: 'X', email: 'sarah@advocate.example', status: 'active', metadata: '[1' });
  assert.equal(badJson.status, 400);
  assert.match(badJson.text, /id="f-metadata-error">must be an object</);

  const block = await owner.post(`/dashboard/advocates/${sarah}/status`, { status: 'blocked' });
  assert.equal(block.status, 303);
  assert.match((await owner.get(block.location!)).text, /class="notice" role="status">Sarah J\. Jones is blocked: their codes no longer attribute</);
  assert.equal((await get()).status, 'blocked');
  assert.equal((await c.post('/api/v1/track/visit', { referral_code: 'V2AVMRDJ' })).status, 404, 'a blocked advocate\'s code no longer attributes');
  assert.match((await owner.get(`/dashboard/advocates/${sarah}`)).text, /<button type="submit" class="">Unblock<\/button>/);
  assert.equal((await owner.post(`/dashboard/advocates/${sarah}/status`, { status: 'active' })).status, 303);
  assert.equal((await get()).status, 'active');
  const badStatus = await owner.post(`/dashboard/advocates/${sarah}/status`, { status: 'gone' });
  assert.equal(badStatus.status, 400);
  assert.match(badStatus.text, /must be active, pending or blocked/);

  assert.equal((await owner.post(`/dashboard/advocates/${sarah}/codes`, { referral_code: 'sarah-extra' })).status, 303);
  const generated = await owner.post(`/dashboard/advocates/${sarah}/codes`, { referral_code: '' });
  assert.equal(generated.status, 303);
  let codes = (await get()).referral_codes.map((r: { code: string }) => r.code);
  assert.equal(codes.length, 3);
  assert.equal(codes[1], 'SARAH-EXTRA');
  assert.match(codes[2], /^SARAHJ[0-9A-F]{6}$/);
  const takenCode = await owner.post(`/dashboard/advocates/${sarah}/codes`, { referral_code: 'JOHN123' });
  assert.equal(takenCode.status, 409);
  assert.match(takenCode.text, /id="f-referral_code-error">already used by an advocate of this brand</);
  assert.equal((await get()).referral_codes.length, 3);

  assert.equal((await owner.post(`/dashboard/advocates/${sarah}/codes/SARAH-EXTRA/status`, { status: 'inactive' })).status, 303);
  codes = (await get()).referral_codes;
  assert.equal(codes[1].status, 'inactive');
  assert.ok(codes[1].deactivated_at);
  assert.equal((await c.post('/api/v1/track/visit', { referral_code: 'SARAH-EXTRA' })).status, 404);
  assert.equal((await owner.post(`/dashboard/advocates/${sarah}/codes/SARAH-EXTRA/status`, { status: 'active' })).status, 303);
  assert.equal((await get()).referral_codes[1].status, 'active');
  // Another advocate's code through Sarah's path names nothing.
  const foreign = await owner.post(`/dashboard/advocates/${sarah}/codes/JOHN123/status`, { status: 'inactive' });
  assert.equal(foreign.status, 404);
  assert.equal((await c.call('GET', '/api/v1/referrals/JOHN123')).body.data.referral.status, 'active');

  assert.equal((await owner.post(`/dashboard/advocates/${sarah}/points`, { type: 'award', amount: '120', description: 'review bonus' })).status, 303);
  assert.equal((await owner.post(`/dashboard/advocates/${sarah}/points`, { type: 'deduct', amount: '20', description: 'typo fix' })).status, 303);
  const ledger = (await c.call('GET', `/api/v1/advocates/${sarah}/points`)).body.data;
  assert.equal(ledger.balance, 100);
  assert.deepEqual(ledger.transactions.map((x: { amount: number; description: string }) => [x.amount, x.description]), [[-20, 'typo fix'], [120, 'review bonus']]);
  const tooMany = await owner.post(`/dashboard/advocates/${sarah}/points`, { type: 'deduct', amount: '500', description: 'x' });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.text, /insufficient|not enough|below zero/i);
  const zero = await owner.post(`/dashboard/advocates/${sarah}/points`, { type: 'award', amount: '0' });
  assert.equal(zero.status, 400);
  assert.match(zero.text, /id="f-amount-error">must not be zero</);
  assert.equal((await c.call('GET', `/api/v1/advocates/${sarah}/points`)).body.data.balance, 100, 'nothing written');
});

test('a viewer reads but cannot change; another brand\'s advocate is a 404', async (t) => {
  const { c, owner } = await setUp(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const viewer: DashboardClient = await signedIn(c, { role: 'viewer' });
  const page = await viewer.get(`/dashboard/advocates/${sarah}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Save changes|Add code|Record points|>Block</, 'no forms for a viewer');
  const list = await viewer.get('/dashboard/advocates');
  assert.equal(list.status, 200);
  assert.match(list.text, /Sarah Jones/);
  assert.doesNotMatch(list.text, /New advocate/);
  assert.equal((await viewer.get('/dashboard/advocates/new')).status, 403);
  for (const [path, form] of [
    ['/dashboard/advocates', { name: 'V', email: 'v@x.example', status: 'active' }],
    [`/dashboard/advocates/${sarah}`, { name: 'V', email: 'sarah@advocate.example', status: 'active' }],
    [`/dashboard/advocates/${sarah}/status`, { status: 'blocked' }],
    [`/dashboard/advocates/${sarah}/codes`, { referral_code: 'VIEWER1' }],
    [`/dashboard/advocates/${sarah}/codes/V2AVMRDJ/status`, { status: 'inactive' }],
    [`/dashboard/advocates/${sarah}/points`, { amount: '5' }],
  ] as const) {
    assert.equal((await viewer.post(path, form)).status, 403, path);
  }
  const a = (await c.call('GET', `/api/v1/advocates/${sarah}`)).body.data.advocate;
  assert.deepEqual([a.status, a.name, a.points_balance, a.referral_codes.length, a.referral_codes[0].status], ['active', 'Sarah Jones', 0, 1, 'active']);

  const other = await c.addBrand({ codes: [['OTHER1', 'Otto Other', 'otto@other.example']] });
  const otto = (await c.call('GET', '/api/v1/referrals/OTHER1', undefined, { brand: other })).body.data.referral.advocate_id;
  assert.equal((await owner.get(`/dashboard/advocates/${otto}`)).status, 404);
  assert.equal((await owner.post(`/dashboard/advocates/${otto}/status`, { status: 'blocked' })).status, 404);
  assert.equal((await owner.post(`/dashboard/advocates/${otto}/points`, { amount: '5' })).status, 404);
  assert.equal((await owner.post(`/dashboard/advocates/${otto}/codes`, { referral_code: 'STEAL1' })).status, 404);
  assert.equal((await owner.get('/dashboard/advocates/abc')).status, 404);
  const otto2 = (await c.call('GET', `/api/v1/advocates/${otto}`, undefined, { brand: other })).body.data.advocate;
  assert.deepEqual([otto2.status, otto2.points_balance, otto2.referral_codes.length], ['active', 0, 1]);
  assert.doesNotMatch((await owner.get('/dashboard/advocates?search=otto')).text, /Otto/);
});
