// /api/v1/advocates over real HTTP: create (codes, metadata, conflicts, validation), get, list (both
// paginations, filters, search), update (blocking stops attribution, referred_by), the figures (clicks,
// conversions, earnings through the cooling period), the referred customer who becomes an advocate, and
// tenant isolation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestBrand, type TestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, advocateId, assertError, count, publishableHeaders, testClock } from '../support/fixtures.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/config.ts';
import { transportErrorTests } from '../support/endpointErrors.ts';

const ADVOCATES = '/api/v1/advocates';

async function create(c: TestCollector, body: Record<string, unknown>, brand?: TestBrand) {
  const res = await c.call('POST', ADVOCATES, body, brand ? { brand } : {});
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.advocate;
}

const list = async (c: TestCollector, query: Record<string, string | number> = {}) => {
  const res = await c.call('GET', ADVOCATES, undefined, { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
};

const get = async (c: TestCollector, id: number) => {
  const res = await c.call('GET', `${ADVOCATES}/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.advocate;
};

test('create with a generated code: 201 {advocate} with every field, email normalised, figures at zero', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const res = await c.call('POST', ADVOCATES, { email: ' Jane.Doe@Example.COM ', name: 'Jane Doe' });
  assert.equal(res.status, 201);
  assert.equal(res.body.success, true);
  const a = res.body.data.advocate;
  assert.match(a.referral_code, /^JANEDO[0-9A-F]{6}$/);
  assert.equal(typeof a.id, 'number');
  assert.deepEqual(a, {
    id: a.id,
    email: 'jane.doe@example.com',
    name: 'Jane Doe',
    status: 'active',
    tier: null,
    metadata: null,
    referral_code: a.referral_code,
    referral_codes: [{ code: a.referral_code, status: 'active', click_count: 0, created_at: clock.now().toISOString(), deactivated_at: null }],
    referred_by: null,
    payment_method: null,
    payment_details: null,
    campaign_id: (await c.deps.q.brands.getBrand(c.brand.brand_id))!.defaultCampaignId,
    points_balance: 0,
    click_count: 0,
    conversion_count: 0,
    conversion_rate: 0,
    total_earnings: 0,
    pending_earnings: 0,
    approved_earnings: 0,
    paid_earnings: 0,
    clawback_due: 0,
    currency: 'USD',
    created_at: clock.now().toISOString(),
    updated_at: clock.now().toISOString(),
  });
  // the generated code works at once
  const visit = await c.post(PATHS.visit, { referral_code: a.referral_code.toLowerCase() });
  assert.equal(visit.status, 200, JSON.stringify(visit.body));
});

test('create with a custom code (any case, or as `code`), metadata, status and tier kept as sent', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const metadata = { plan: 'gold', nested: { tags: ['a', 'b'], n: 3 } };
  const a = await create(c, { email: 'amy@example.com', name: 'Amy', referral_code: 'amy-10_x', metadata, status: 'pending', tier: 'gold' });
  assert.equal(a.referral_code, 'AMY-10_X');
  assert.deepEqual(a.metadata, metadata);
  assert.equal(a.status, 'pending');
  assert.equal(a.tier, 'gold');
  assert.deepEqual(await get(c, a.id), a);
  const b = await create(c, { email: 'bo@example.com', name: 'Bo', code: 'bo5' });
  assert.equal(b.referral_code, 'BO5');
  const d = await create(c, { email: 'di@example.com', name: 'Di', referralCode: 'di5', customFields: { x: 1 } });
  assert.deepEqual([d.referral_code, d.metadata], ['DI5', { x: 1 }]);
});

test('409 advocate_exists for an email of the brand (any case), 409 code_taken for a code of the brand; nothing stored', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const before = await count(c, 'advocates');
  const sameEmail = await c.call('POST', ADVOCATES, { email: 'SARAH@advocate.example', name: 'Other Sarah' });
  assertError(sameEmail, 409, 'advocate_exists', 'email');
  assert.equal(sameEmail.body.advocate_id, await advocateId(c, 'V2AVMRDJ'));
  assertError(await c.call('POST', ADVOCATES, { email: 'new@example.com', name: 'New', referral_code: 'testcode' }), 409, 'code_taken', 'referral_code');
  assert.equal(await count(c, 'advocates'), before);
  assert.equal(await count(c, 'referral_codes'), before);
  // codes and emails are unique per brand only
  const other = await c.addBrand({ codes: [] });
  const a = await create(c, { email: 'sarah@advocate.example', name: 'Sarah', referral_code: 'TESTCODE' }, other);
  assert.equal(a.referral_code, 'TESTCODE');
});

test('400 naming each bad field; nothing stored', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const before = await count(c, 'advocates');
  const missing = await c.call('POST', ADVOCATES, {});
  assertError(missing, 400, 'invalid_request', 'email');
  assertError(missing, 400, 'invalid_request', 'name');
  assertError(await c.call('POST', ADVOCATES, { email: 'not-an-email', name: 'X' }), 400, 'invalid_request', 'email');
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: '  ' }), 400, 'invalid_request', 'name');
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: 'X', referral_code: 'two words' }), 400, 'invalid_request', 'referral_code');
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: 'X', status: 'gone' }), 400, 'invalid_request', 'status');
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: 'X', metadata: 'text' }), 400, 'invalid_request', 'metadata');
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: 'X', referred_by: 'abc' }), 400, 'invalid_request', 'referred_by');
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: 'X', referred_by: 99999 }), 400, 'invalid_request', 'referred_by');
  const other = await c.addBrand();
  const foreign = await advocateId(c, 'TESTCODE', other);
  assertError(await c.call('POST', ADVOCATES, { email: 'x@example.com', name: 'X', referred_by: foreign }), 400, 'invalid_request', 'referred_by');
  assert.equal(await count(c, 'advocates'), before + 3, 'only the other brand\'s three advocates were added');
});

test('GET /advocates/:id: the advocate; 404 not_found for an unknown, malformed or other brand\'s id', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await get(c, await advocateId(c, 'V2AVMRDJ'));
  assert.deepEqual([sarah.name, sarah.email, sarah.referral_code], ['Sarah Jones', 'sarah@advocate.example', 'V2AVMRDJ']);
  const other = await c.addBrand();
  for (const id of ['99999', 'abc', '0', '-1', '1.5', String(await advocateId(c, 'V2AVMRDJ', other))]) {
    assertError(await c.call('GET', `${ADVOCATES}/${id}`), 404, 'not_found');
  }
});

test('list: newest first, page+limit and limit+offset pagination, list items carry their codes as strings', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (let i = 1; i <= 4; i++) await create(c, { email: `a${i}@example.com`, name: `Added ${i}`, referral_code: `ADDED${i}` });
  const all = await list(c, { total: 'true' });
  assert.deepEqual(all.advocates.map((a: { name: string }) => a.name),
    ['Added 4', 'Added 3', 'Added 2', 'Added 1', 'John Smith', 'Tess Tester', 'Sarah Jones']);
  assert.deepEqual([all.total, all.page, all.limit, all.offset, all.has_more, all.next_cursor], [7, 1, 20, 0, false, null]);
  assert.equal('total' in (await list(c)), false, 'total only when asked');
  assert.deepEqual(all.advocates[0].referral_codes, ['ADDED4']);
  assert.equal(all.advocates[0].referral_code, 'ADDED4');
  assert.equal(typeof all.advocates[0].total_earnings, 'number');

  const page2 = await list(c, { page: 2, limit: 3, total: 'true' });
  assert.deepEqual(page2.advocates.map((a: { name: string }) => a.name), ['Added 1', 'John Smith', 'Tess Tester']);
  assert.deepEqual([page2.total, page2.page, page2.limit, page2.offset, page2.has_more], [7, 2, 3, 3, true]);
  assert.equal(typeof page2.next_cursor, 'string');
  const byOffset = await list(c, { limit: 2, offset: 5 });
  assert.deepEqual(byOffset.advocates.map((a: { name: string }) => a.name), ['Tess Tester', 'Sarah Jones']);
  assert.deepEqual([byOffset.offset, byOffset.has_more], [5, false]);
  assert.deepEqual((await list(c, { page: 9 })).advocates, []);

  assertError(await c.call('GET', ADVOCATES, undefined, { query: { limit: 101 } }), 400, 'invalid_request', 'limit');
  assertError(await c.call('GET', ADVOCATES, undefined, { query: { page: 0 } }), 400, 'invalid_request', 'page');
  assertError(await c.call('GET', ADVOCATES, undefined, { query: { offset: 'x' } }), 400, 'invalid_request', 'offset');
});

test('list filters: search (name, email, any code; case-insensitive; % taken literally), status, tier', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const gold = await create(c, { email: 'gina@shop.example', name: 'Gina Gold', referral_code: 'GG1', tier: 'gold' });
  const blocked = await create(c, { email: 'bert@example.com', name: 'Bert 100% Block', status: 'blocked', tier: 'gold' });
  await create(c, { email: 'pam@example.com', name: 'Pam', status: 'pending' });
  await c.call('POST', `${ADVOCATES}/${gold.id}/codes`, { code: 'SUMMER24' });

  const names = async (query: Record<string, string>) => (await list(c, query)).advocates.map((a: { name: string }) => a.name);
  assert.deepEqual(await names({ search: 'jones' }), ['Sarah Jones']);
  assert.deepEqual(await names({ search: 'SHOP.EXAMPLE' }), ['Gina Gold']);
  assert.deepEqual(await names({ search: 'summer' }), ['Gina Gold'], 'a second code is searched too');
  assert.deepEqual(await names({ search: 'john1' }), ['John Smith']);
  assert.deepEqual(await names({ search: '100%' }), ['Bert 100% Block']);
  assert.deepEqual(await names({ search: '%' }), [], '% is not a wildcard: a search without a letter or digit finds nothing');
  assert.deepEqual(await names({ search: 'nobody' }), []);
  // Words are matched from their start (the FTS5 index of migration 005), not inside a word.
  assert.deepEqual(await names({ search: 'jo' }), ['John Smith', 'Sarah Jones']);
  assert.deepEqual(await names({ search: 'ones' }), []);
  assert.deepEqual(await names({ search: 'sarah jo' }), ['Sarah Jones'], 'every word must match');
  assert.deepEqual(await names({ search: 'gina@shop' }), ['Gina Gold'], 'an email from its start');
  assert.deepEqual(await names({ search: 'GG' }), ['Gina Gold'], 'a code from its start');
  assert.deepEqual(await names({ search: '"gina' }), ['Gina Gold'], 'quotes are text, not FTS5 syntax');
  assert.deepEqual(await names({ search: 'gina OR pam' }), [], 'OR is a word, not an operator');
  assert.deepEqual(await names({ status: 'blocked' }), ['Bert 100% Block']);
  assert.deepEqual(await names({ status: 'pending' }), ['Pam']);
  assert.equal((await list(c, { status: 'active', total: 'true' })).total, 4);
  assert.deepEqual(await names({ tier: 'gold' }), ['Bert 100% Block', 'Gina Gold']);
  assert.deepEqual(await names({ tier: 'gold', status: 'active', search: 'gina' }), ['Gina Gold']);
  assert.equal((await list(c, { tier: 'gold', total: 'true' })).total, 2);
  assert.equal((await list(c, { search: 'jo', total: 'true' })).total, 2);
  assert.equal((await list(c, { search: '%', total: 'true' })).total, 0);
  assert.equal(blocked.status, 'blocked');
  assertError(await c.call('GET', ADVOCATES, undefined, { query: { status: 'inactive' } }), 400, 'invalid_request', 'status');
});

test('PATCH: changes only the fields given; null clears tier, metadata and referred_by; 409, 400 and 404', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const john = await advocateId(c, 'JOHN123');
  const a = await create(c, { email: 'amy@example.com', name: 'Amy', tier: 'silver', metadata: { a: 1, b: 2 }, referred_by: sarah });
  assert.equal(a.referred_by, sarah);
  clock.advance(DAY_MS);
  const patch = (id: number, body: unknown) => c.call('PATCH', `${ADVOCATES}/${id}`, body);

  const renamed = await patch(a.id, { name: 'Amy Adams', tier: 'gold', metadata: { c: 3 } });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  const r = renamed.body.data.advocate;
  assert.deepEqual([r.name, r.tier, r.metadata, r.email, r.status, r.referred_by], ['Amy Adams', 'gold', { c: 3 }, 'amy@example.com', 'active', sarah]);
  assert.equal(r.updated_at, clock.now().toISOString());
  assert.equal(r.created_at, a.created_at);

  const cleared = (await patch(a.id, { tier: null, metadata: null, referred_by: null, email: 'AMY@new.example' })).body.data.advocate;
  assert.deepEqual([cleared.tier, cleared.metadata, cleared.referred_by, cleared.email], [null, null, null, 'amy@new.example']);
  assert.deepEqual(await get(c, a.id), cleared);

  assertError(await patch(a.id, { email: 'john@advocate.example' }), 409, 'advocate_exists', 'email');
  assert.equal((await patch(a.id, { email: 'amy@new.example' })).status, 200, 'its own email is not a conflict');
  assertError(await patch(a.id, {}), 400, 'invalid_request', 'body');
  assertError(await patch(a.id, { status: 'deleted' }), 400, 'invalid_request', 'status');
  assertError(await patch(a.id, { name: '' }), 400, 'invalid_request', 'name');
  assertError(await patch(a.id, { referred_by: a.id }), 400, 'invalid_request', 'referred_by');
  assertError(await patch(a.id, { referred_by: 99999 }), 400, 'invalid_request', 'referred_by');
  // John referred by Amy, Amy referred by Sarah: fine; then Amy referred by John closes a loop
  assert.equal((await patch(john, { referred_by: a.id })).status, 200);
  assert.equal((await patch(a.id, { referred_by: sarah })).status, 200);
  assertError(await patch(a.id, { referred_by: john }), 400, 'invalid_request', 'referred_by');
  assertError(await patch(sarah, { referred_by: john }), 400, 'invalid_request', 'referred_by');
  assert.equal((await get(c, a.id)).referred_by, sarah, 'a refused change changes nothing');

  const other = await c.addBrand();
  assertError(await patch(await advocateId(c, 'V2AVMRDJ', other), { name: 'X' }), 404, 'not_found');
  assertError(await patch(99999, { name: 'X' }), 404, 'not_found');
});

test('a blocked or pending advocate attributes nothing: conversions stored unattributed, visits 404 inactive_code; active again works', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const block = await c.call('PATCH', `${ADVOCATES}/${sarah}`, { status: 'blocked' });
  assert.equal(block.body.data.advocate.status, 'blocked');

  const conversion = await c.post(PATHS.conversion, { email: 'buyer@example.com', order_id: 'B-1', order_value: 100, referral_code: 'V2AVMRDJ' });
  assert.equal(conversion.status, 201, JSON.stringify(conversion.body));
  assert.equal(conversion.body.data.attribution, null);
  assert.equal(conversion.body.data.reward, null);
  assertError(await c.post(PATHS.visit, { referral_code: 'V2AVMRDJ' }), 404, 'inactive_code');

  await c.call('PATCH', `${ADVOCATES}/${sarah}`, { status: 'pending' });
  assertError(await c.post(PATHS.visit, { referral_code: 'V2AVMRDJ' }), 404, 'inactive_code');

  await c.call('PATCH', `${ADVOCATES}/${sarah}`, { status: 'active' });
  assert.equal((await c.post(PATHS.visit, { referral_code: 'V2AVMRDJ' })).status, 200);
  const later = await c.post(PATHS.conversion, { email: 'other@example.com', order_id: 'B-2', order_value: 100, referral_code: 'V2AVMRDJ' });
  assert.equal(later.body.data.attribution, 'referral_code');
  assert.equal((await get(c, sarah)).conversion_count, 1, 'the blocked-time conversion is not counted');
});

test('figures: clicks over all codes, conversions, rate, and earnings pending then approved after the cooling period', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  await c.call('POST', `${ADVOCATES}/${john}/codes`, { code: 'JOHN2' });
  for (let i = 0; i < 3; i++) assert.equal((await c.post(PATHS.visit, { referral_code: 'JOHN123' })).status, 200);
  assert.equal((await c.post(PATHS.visit, { referral_code: 'john2' })).status, 200);
  // 100.00 and 33.33 attributed at the default 10%: rewards 10.00 and 3.33
  await c.post(PATHS.conversion, { email: 'one@example.com', order_id: 'J-1', order_value: 100, referral_code: 'JOHN123' });
  clock.advance(10 * DAY_MS);
  await c.post(PATHS.conversion, { email: 'two@example.com', order_id: 'J-2', order_value: '33.33', referral_code: 'JOHN2' });
  // another advocate's conversion and an unattributed one change nothing of John's
  await c.post(PATHS.conversion, { email: 'three@example.com', order_id: 'S-1', order_value: 50, referral_code: 'TESTCODE' });
  await c.post(PATHS.conversion, { email: 'four@example.com', order_id: 'U-1', order_value: 70 });

  const pending = await get(c, john);
  assert.deepEqual(
    [pending.click_count, pending.conversion_count, pending.conversion_rate, pending.pending_earnings, pending.approved_earnings, pending.paid_earnings, pending.total_earnings, pending.clawback_due],
    [4, 2, 0.5, 13.33, 0, 0, 13.33, 0],
  );
  assert.deepEqual(pending.referral_codes.map((r: { code: string; click_count: number }) => [r.code, r.click_count]), [['JOHN123', 3], ['JOHN2', 1]]);

  clock.advance(21 * DAY_MS); // the first reward's 30 days are over, the second's are not
  const partly = await get(c, john);
  assert.deepEqual([partly.pending_earnings, partly.approved_earnings, partly.total_earnings], [3.33, 10, 13.33]);
  clock.advance(10 * DAY_MS);
  const listed = (await list(c, { search: 'john' })).advocates[0];
  assert.deepEqual([listed.pending_earnings, listed.approved_earnings, listed.total_earnings, listed.click_count, listed.conversion_count],
    [0, 13.33, 13.33, 4, 2]);

  // 1 conversion out of 3 clicks: four decimals
  const tess = await get(c, await advocateId(c, 'TESTCODE'));
  assert.equal(tess.conversion_rate, 0);
  for (let i = 0; i < 3; i++) await c.post(PATHS.visit, { referral_code: 'TESTCODE' });
  assert.equal((await get(c, tess.id)).conversion_rate, 0.3333);
});

test('referred_by: set from the referral that brought an advocate who was a customer; explicit null opts out', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await c.post(PATHS.conversion, { email: 'fan@example.com', order_id: 'F-1', order_value: 40, referral_code: 'V2AVMRDJ' });
  await c.post(PATHS.conversion, { email: 'fan@example.com', order_id: 'F-2', order_value: 40, referral_code: 'JOHN123' });
  await c.post(PATHS.conversion, { email: 'loner@example.com', order_id: 'L-1', order_value: 40 });
  await c.post(PATHS.conversion, { email: 'optout@example.com', order_id: 'O-1', order_value: 40, referral_code: 'JOHN123' });

  const fan = await create(c, { email: 'FAN@example.com', name: 'Fan' });
  assert.equal(fan.referred_by, sarah, 'the first referred order counts');
  const loner = await create(c, { email: 'loner@example.com', name: 'Loner' });
  assert.equal(loner.referred_by, null, 'an unattributed customer was referred by nobody');
  const optOut = await create(c, { email: 'optout@example.com', name: 'Opt', referred_by: null });
  assert.equal(optOut.referred_by, null);
  const given = await create(c, { email: 'given@example.com', name: 'Given', referred_by: fan.id });
  assert.equal(given.referred_by, fan.id);
});

test('Idempotency-Key: a repeated create answers the first advocate; the same key on another advocate is a conflict', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const headers = { 'Idempotency-Key': 'create-1' };
  const first = await c.call('POST', ADVOCATES, { email: 'idem@example.com', name: 'Idem' }, { headers });
  const again = await c.call('POST', ADVOCATES, { email: 'idem@example.com', name: 'Idem' }, { headers });
  assert.equal(first.status, 201);
  assert.deepEqual([again.status, again.body], [201, first.body]);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const john = await advocateId(c, 'JOHN123');
  const patchHeaders = { 'Idempotency-Key': 'patch-1' };
  assert.equal((await c.call('PATCH', `${ADVOCATES}/${sarah}`, { tier: 'gold' }, { headers: patchHeaders })).status, 200);
  assertError(await c.call('PATCH', `${ADVOCATES}/${john}`, { tier: 'gold' }, { headers: patchHeaders }), 409, 'idempotency_conflict');
  assert.equal((await get(c, john)).tier, null);
});

test('every /advocates route: 401 without a key, 404 for another brand\'s advocate', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const other = await c.addBrand();
  const mine = await advocateId(c, 'V2AVMRDJ');
  const theirs = await advocateId(c, 'V2AVMRDJ', other);
  const routes: Array<[string, (id: number) => string, unknown]> = [
    ['GET', () => ADVOCATES, undefined],
    ['POST', () => ADVOCATES, { email: 'x@example.com', name: 'X' }],
    ['GET', (id) => `${ADVOCATES}/${id}`, undefined],
    ['PATCH', (id) => `${ADVOCATES}/${id}`, { name: 'X' }],
    ['POST', (id) => `${ADVOCATES}/${id}/codes`, {}],
    ['POST', (id) => `${ADVOCATES}/${id}/points`, { amount: 5 }],
    ['GET', (id) => `${ADVOCATES}/${id}/points`, undefined],
  ];
  for (const [method, path, body] of routes) {
    const json = body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    const res = await c.request(method, path(mine), json);
    assert.equal(res.status, 401, `${method} ${path(mine)}`);
    assert.equal(res.body.success, false);
    if (path(mine) !== path(theirs)) assertError(await c.call(method, path(theirs), body), 404, 'not_found');
  }
  assert.equal((await get(c, mine)).name, 'Sarah Jones');
  assert.equal(await count(c, 'points_transactions'), 0);
});

// The management guard's transport errors and the secret key's own limit, proven on POST /advocates.
transportErrorTests({
  path: '/api/v1/advocates',
  okStatus: 201,
  body: (i) => ({ email: `limit${i}@adv.example`, name: `Limit ${i}` }),
});

test('a secret key has one budget for every route, management and tracking, reads included', async (t) => {
  const c = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, secret_key: { limit: 3, windowMs: 60_000 } } } });
  t.after(() => c.close());
  assert.equal((await c.call('GET', '/api/v1/settings')).status, 200);
  assert.equal((await c.call('GET', '/api/v1/advocates')).status, 200);
  assert.equal((await c.post('/api/v1/track/visit', { referral_code: 'TESTCODE' })).status, 200);
  const over = await c.call('GET', '/api/v1/visits');
  assertError(over, 429, 'rate_limited');
  assert.ok(Number(over.headers.get('Retry-After')) > 0);
  assertError(await c.post('/api/v1/track/conversion', { customer_email: 'a@b.example', order_id: 'L-1', order_value: 10 }), 429, 'rate_limited');
  // Another brand's key has its own budget, and the browser's publishable key is limited per IP instead.
  assert.equal((await c.call('GET', '/api/v1/visits', undefined, { brand: await c.addBrand() })).status, 200);
  assert.equal((await c.post('/api/v1/track/visit', { referral_code: 'TESTCODE' }, { headers: publishableHeaders(c.brand) })).status, 200);
});
