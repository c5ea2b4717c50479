// The brand-sized lists over real HTTP: keyset paging by cursor (every row once, in order, across inserts; with
// filters; bad cursors), `total` only when asked, search by word prefixes of name, email and code (kept in step
// with renames and new codes), and the advocates' payment fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { PATHS, advocateId, assertError, count, testClock } from '../support/fixtures.ts';
import { SCAN_BUDGET } from '../../src/db/records.ts';

const LISTS = [
  ['/api/v1/advocates', 'advocates'],
  ['/api/v1/referrals', 'referrals'],
  ['/api/v1/visits', 'visits'],
  ['/api/v1/claims', 'claims'],
  ['/api/v1/conversions', 'conversions'],
] as const;

async function list(c: TestCollector, path: string, query: Record<string, string | number> = {}) {
  const res = await c.call('GET', path, undefined, { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

/** Follows next_cursor from the first page to the end; `between` runs after each page. */
async function walk(c: TestCollector, path: string, name: string, query: Record<string, string | number>, between?: () => Promise<void>) {
  const ids: number[] = [];
  let page = await list(c, path, query);
  assert.equal(page.page, 1);
  for (;;) {
    ids.push(...page[name].map((x: { id: number }) => x.id));
    assert.equal(page.has_more, page.next_cursor !== null);
    if (!page.has_more) return ids;
    assert.ok(ids.length < 1000, 'the walk ends');
    await between?.();
    page = await list(c, path, { ...query, cursor: page.next_cursor });
    assert.equal('page' in page || 'offset' in page, false, 'a cursor page has no page number or offset');
    assert.equal(page.limit, query.limit ?? 20);
  }
}

/** Seven more advocates (ten in all), each with a visit, a claim and a conversion (the last one not attributed). */
async function seed(c: TestCollector) {
  for (let i = 1; i <= 7; i++) {
    const res = await c.call('POST', '/api/v1/advocates', { email: `adv${i}@example.com`, name: `Advocate ${i}`, referral_code: `ADV${i}`, status: i % 2 ? 'active' : 'blocked' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  for (const code of ['V2AVMRDJ', 'TESTCODE', 'JOHN123', 'ADV1', 'ADV3', 'ADV5', 'ADV7']) {
    assert.equal((await c.post(PATHS.visit, { referral_code: code, visitor_id: `visitor-${code}` })).status, 200);
    assert.equal((await c.post(PATHS.claim, { referral_code: code, email: `claim-${code}@example.com` })).status, 201);
    assert.equal((await c.post(PATHS.conversion, { customer_email: `buyer-${code}@example.com`, order_id: `O-${code}`, order_value: 10, referral_code: code })).status, 201);
  }
  assert.equal((await c.post(PATHS.conversion, { customer_email: 'plain@example.com', order_id: 'PLAIN', order_value: 5 })).status, 201);
}

test('a cursor walk answers every row once, newest first, the same as one big page, on every list', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await seed(c);
  for (const [path, name] of LISTS) {
    const whole = (await list(c, path, { limit: 100 }))[name].map((x: { id: number }) => x.id);
    assert.ok(whole.length >= 7, `${path}: ${whole.length}`);
    assert.deepEqual([...whole].sort((a, b) => b - a), whole, `${path} newest first`);
    for (const limit of [1, 3, whole.length]) {
      assert.deepEqual(await walk(c, path, name, { limit }), whole, `${path} limit ${limit}`);
    }
    // The last page: has_more false and no cursor, also when it is exactly full.
    const last = await list(c, path, { limit: whole.length });
    assert.deepEqual([last.has_more, last.next_cursor], [false, null]);
  }
});

test('a cursor walk is stable across inserts: rows added meanwhile are not in it, none is repeated or skipped', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await seed(c);
  const before = (await list(c, '/api/v1/advocates', { limit: 100 })).advocates.map((a: { id: number }) => a.id);
  let n = 0;
  const insert = async () => {
    n++;
    assert.equal((await c.call('POST', '/api/v1/advocates', { email: `late${n}@example.com`, name: `Late ${n}` })).status, 201);
    assert.equal((await c.post(PATHS.visit, { referral_code: 'JOHN123', visitor_id: `late-${n}` })).status, 200);
  };
  assert.deepEqual(await walk(c, '/api/v1/advocates', 'advocates', { limit: 3 }, insert), before);
  const visitsBefore = (await list(c, '/api/v1/visits', { limit: 100 })).visits.map((v: { id: number }) => v.id);
  assert.deepEqual(await walk(c, '/api/v1/visits', 'visits', { limit: 2 }, insert), visitsBefore);
  assert.ok(n >= 6, `inserts during the walks: ${n}`);
  const afterInserts = (await list(c, '/api/v1/advocates', { limit: 100 })).advocates.map((a: { id: number }) => a.id);
  assert.deepEqual(afterInserts.slice(n), before, 'the rows added meanwhile are the newest');
});

test('filters and a cursor combine: the walk is the filtered list', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await seed(c);
  const cases: Array<[string, string, Record<string, string | number>]> = [
    ['/api/v1/advocates', 'advocates', { status: 'blocked' }],
    ['/api/v1/advocates', 'advocates', { search: 'advocate' }],
    ['/api/v1/referrals', 'referrals', { status: 'active' }],
    ['/api/v1/referrals', 'referrals', { search: 'adv' }],
    ['/api/v1/visits', 'visits', { code: 'ADV1' }],
    ['/api/v1/claims', 'claims', { status: 'pending' }],
    ['/api/v1/conversions', 'conversions', { attributed: 'true' }],
    ['/api/v1/conversions', 'conversions', { attributed: 'false' }],
    ['/api/v1/conversions', 'conversions', { advocate_id: await advocateId(c, 'ADV3') }],
  ];
  for (const [path, name, filter] of cases) {
    const whole = await list(c, path, { ...filter, limit: 100, total: 'true' });
    assert.equal(whole.total, whole[name].length, `${path} ${JSON.stringify(filter)}`);
    assert.deepEqual(await walk(c, path, name, { ...filter, limit: 2 }), whole[name].map((x: { id: number }) => x.id), `${path} ${JSON.stringify(filter)}`);
  }
  assert.deepEqual((await list(c, '/api/v1/advocates', { status: 'blocked', limit: 100 })).advocates.map((a: { name: string }) => a.name),
    ['Advocate 6', 'Advocate 4', 'Advocate 2']);
  assert.equal((await list(c, '/api/v1/conversions', { attributed: 'false', total: 'true' })).total, 1);
});

test('a malformed cursor, or a cursor with page or offset, is a 400 naming cursor on every list', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const good = b64('{"id":5}');
  for (const [path] of LISTS) {
    for (const bad of ['abc!', '===', b64('{"id":-1}'), b64('{"id":1.5}'), b64('{"id":"5"}'), b64('{"x":1}'), b64('null'), b64('[5]'), b64('{"id":1e300}'), 'A'.repeat(300)]) {
      assertError(await c.call('GET', path, undefined, { query: { cursor: bad } }), 400, 'invalid_request', 'cursor');
    }
    assertError(await c.call('GET', path, undefined, { query: { cursor: good, page: 2 } }), 400, 'invalid_request', 'cursor');
    assertError(await c.call('GET', path, undefined, { query: { cursor: good, offset: 0 } }), 400, 'invalid_request', 'cursor');
    assertError(await c.call('GET', path, undefined, { query: { total: 'yes' } }), 400, 'invalid_request', 'total');
    // A well-formed cursor past every row is an empty last page.
    const end = await list(c, path, { cursor: b64('{"id":1}') });
    assert.deepEqual([end.has_more, end.next_cursor], [false, null]);
  }
});

test('a search holding a control character (NUL, a line break) is a 400 naming search, not an FTS5 error', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const path of ['/api/v1/advocates', '/api/v1/referrals']) {
    for (const bad of ['jane\u0000', 'a\u0000b', 'jo\nnes', '\u001b[1m']) {
      assertError(await c.call('GET', path, undefined, { query: { search: bad } }), 400, 'invalid_request', 'search');
    }
  }
});

test('total: only with total=true, exact, counting the filter', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  await seed(c);
  for (const [path] of LISTS) {
    const plain = await list(c, path, { limit: 2 });
    assert.equal('total' in plain, false, path);
    assert.equal('total' in (await list(c, path, { total: 'false' })), false, path);
  }
  assert.equal((await list(c, '/api/v1/advocates', { total: 'true', limit: 1 })).total, 10);
  assert.equal((await list(c, '/api/v1/advocates', { total: 'true', status: 'active' })).total, 7);
  assert.equal((await list(c, '/api/v1/referrals', { total: 'true', limit: 1 })).total, 10);
  assert.equal((await list(c, '/api/v1/visits', { total: 'true', limit: 1 })).total, 7);
  assert.equal((await list(c, '/api/v1/conversions', { total: 'true', cursor: Buffer.from('{"id":3}').toString('base64url') })).total, 8,
    'total counts the whole filter, not what is after the cursor');
});

test('search: word prefixes of the name, the email and any code; follows renames and new codes', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const names = async (query: Record<string, string>) =>
    (await list(c, '/api/v1/advocates', query)).advocates.map((a: { name: string }) => a.name);
  const codes = async (query: Record<string, string>) =>
    (await list(c, '/api/v1/referrals', query)).referrals.map((r: { code: string }) => r.code);
  const zoe = (await c.call('POST', '/api/v1/advocates', { email: 'zoe.quinn@mail.example', name: 'Zoë Quinn', referral_code: 'ZQ-2026' })).body.data.advocate;
  assert.deepEqual(await names({ search: 'qui' }), ['Zoë Quinn'], 'a name from the start of any word');
  assert.deepEqual(await names({ search: 'zoe' }), ['Zoë Quinn'], 'accents folded');
  assert.deepEqual(await names({ search: 'ZOË' }), ['Zoë Quinn'], 'case folded');
  assert.deepEqual(await names({ search: 'zoe.quinn@mail.example' }), ['Zoë Quinn'], 'a whole email');
  assert.deepEqual(await names({ search: 'mail.exa' }), ['Zoë Quinn'], 'the email domain');
  assert.deepEqual(await names({ search: 'zq-20' }), ['Zoë Quinn'], 'a code');
  assert.deepEqual(await names({ search: 'uinn' }), [], 'not inside a word');
  assert.deepEqual(await codes({ search: 'quinn' }), ['ZQ-2026'], 'codes by their advocate name');
  assert.deepEqual(await codes({ search: 'zoe.quinn' }), ['ZQ-2026'], 'codes by their advocate email');

  assert.equal((await c.call('PATCH', `/api/v1/advocates/${zoe.id}`, { name: 'Zoë Harper', email: 'zoe@harper.example' })).status, 200);
  assert.deepEqual(await names({ search: 'quinn' }), [], 'the old name is gone');
  assert.deepEqual(await names({ search: 'harper' }), ['Zoë Harper']);
  assert.deepEqual(await codes({ search: 'harper' }), ['ZQ-2026'], 'the codes follow the rename');
  assert.deepEqual(await codes({ search: 'quinn' }), []);

  assert.equal((await c.call('POST', `/api/v1/advocates/${zoe.id}/codes`, { code: 'SPRING-HARPER' })).status, 201);
  assert.deepEqual(await names({ search: 'spring' }), ['Zoë Harper'], 'a new code');
  assert.deepEqual(await codes({ search: 'spring' }), ['SPRING-HARPER']);
  assert.deepEqual(await codes({ search: 'harper' }), ['SPRING-HARPER', 'ZQ-2026']);
  assert.deepEqual(await codes({ search: 'harper', status: 'active', advocate_id: String(zoe.id) }), ['SPRING-HARPER', 'ZQ-2026']);

  // Another brand's advocates never match, whatever the words.
  const other = await c.addBrand({ codes: [['ZQ-OTHER', 'Zoë Harper', 'zoe@harper.example']] });
  const theirs = await c.call('GET', '/api/v1/advocates', undefined, { brand: other, query: { search: 'harper' } });
  assert.deepEqual(theirs.body.data.advocates.map((a: { referral_code: string }) => a.referral_code), ['ZQ-OTHER']);
  assert.deepEqual(await names({ search: 'harper' }), ['Zoë Harper']);
  assert.deepEqual(await codes({ search: 'zq' }), ['ZQ-2026']);
});

test('payment_method and payment_details: accepted on create and update (also as paymentMethod / paymentDetails), shown, validated', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const res = await c.call('POST', '/api/v1/advocates', { email: 'pay@example.com', name: 'Pay Me', payment_method: 'paypal', payment_details: ' pay@paypal.example ' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const a = res.body.data.advocate;
  assert.deepEqual([a.payment_method, a.payment_details], ['paypal', 'pay@paypal.example']);
  const alias = (await c.call('POST', '/api/v1/advocates', { email: 'wire@example.com', name: 'Wire Me', paymentMethod: 'bank_transfer', paymentDetails: 'IBAN DE89 3704 0044 0532 0130 00' })).body.data.advocate;
  assert.deepEqual([alias.payment_method, alias.payment_details], ['bank_transfer', 'IBAN DE89 3704 0044 0532 0130 00']);
  const listed = (await list(c, '/api/v1/advocates', { search: 'pay' })).advocates[0];
  assert.deepEqual([listed.payment_method, listed.payment_details], ['paypal', 'pay@paypal.example']);

  const patched = await c.call('PATCH', `/api/v1/advocates/${a.id}`, { paymentMethod: 'wise', paymentDetails: 'pay@wise.example' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual([patched.body.data.advocate.payment_method, patched.body.data.advocate.payment_details], ['wise', 'pay@wise.example']);
  const onlyDetails = await c.call('PATCH', `/api/v1/advocates/${a.id}`, { payment_details: 'other@wise.example' });
  assert.deepEqual([onlyDetails.body.data.advocate.payment_method, onlyDetails.body.data.advocate.payment_details], ['wise', 'other@wise.example']);
  const cleared = await c.call('PATCH', `/api/v1/advocates/${a.id}`, { payment_method: null, payment_details: null });
  assert.deepEqual([cleared.body.data.advocate.payment_method, cleared.body.data.advocate.payment_details], [null, null]);
  const got = (await c.call('GET', `/api/v1/advocates/${a.id}`)).body.data.advocate;
  assert.deepEqual([got.payment_method, got.payment_details, got.name], [null, null, 'Pay Me']);

  const advocates = await count(c, 'advocates');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'x@example.com', name: 'X', payment_method: 'cash' }), 400, 'invalid_request', 'payment_method');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'x@example.com', name: 'X', paymentMethod: 7 }), 400, 'invalid_request', 'paymentMethod');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'x@example.com', name: 'X', payment_details: 'x'.repeat(501) }), 400, 'invalid_request', 'payment_details');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'x@example.com', name: 'X', payment_details: '  ' }), 400, 'invalid_request', 'payment_details');
  assert.equal(await count(c, 'advocates'), advocates, 'nothing stored');
  assertError(await c.call('PATCH', `/api/v1/advocates/${a.id}`, { payment_method: 'PayPal ' }), 400, 'invalid_request', 'payment_method');
  assertError(await c.call('PATCH', `/api/v1/advocates/${a.id}`, { paymentDetails: ['a'] }), 400, 'invalid_request', 'paymentDetails');
  assert.equal((await c.call('GET', `/api/v1/advocates/${a.id}`)).body.data.advocate.payment_method, null, 'unchanged');
});

test('a filter no index serves (visits by code) examines a bounded window per page: short pages say has_more, the walk still finds every row once', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  const john = await advocateId(c, 'JOHN123');
  const tess = await advocateId(c, 'TESTCODE');
  const insert = c.deps.db.prepare(`INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at) VALUES (?, ?, ?, ?, '2026-04-14T12:00:00.000Z')`);
  const rare: number[] = [];
  await c.deps.db.transaction(async () => {
    rare.push(Number((await insert.run(brandId, 'rare-old', 'TESTCODE', tess)).lastInsertRowid));
    for (let i = 0; i < 2.5 * SCAN_BUDGET; i++) await insert.run(brandId, `busy-${i}`, 'JOHN123', john);
    rare.push(Number((await insert.run(brandId, 'rare-new', 'TESTCODE', tess)).lastInsertRowid));
  });
  const pages: Array<{ ids: number[]; has_more: boolean }> = [];
  for (let cursor: string | undefined; ;) {
    const page = await list(c, '/api/v1/visits', { code: 'TESTCODE', limit: 5, ...(cursor ? { cursor } : {}) });
    pages.push({ ids: page.visits.map((v: { id: number }) => v.id), has_more: page.has_more });
    assert.ok(page.visits.every((v: { code: string }) => v.code === 'TESTCODE'));
    assert.equal(page.has_more, page.next_cursor !== null);
    if (!page.has_more) break;
    cursor = page.next_cursor;
    assert.ok(pages.length < 10, 'the walk ends');
  }
  assert.deepEqual(pages.flatMap((p) => p.ids), [...rare].reverse(), 'both rare visits, newest first, once');
  // 25,002 visits at most SCAN_BUDGET a page: 3 pages, the middle one empty yet with has_more.
  assert.deepEqual(pages.map((p) => [p.ids.length, p.has_more]), [[1, true], [0, true], [1, false]]);
  // Offset paging keeps its meaning (the n-th matching row), however far it walks.
  assert.deepEqual((await list(c, '/api/v1/visits', { code: 'TESTCODE', limit: 5, offset: 1 })).visits.map((v: { id: number }) => v.id), [rare[0]]);
  assert.deepEqual((await list(c, '/api/v1/visits', { code: 'TESTCODE', total: 'true' })).total, 2);
  // A filter an index serves needs no window: one page.
  const byVisitor = await list(c, '/api/v1/visits', { visitor_id: 'rare-old' });
  assert.deepEqual([byVisitor.visits.map((v: { id: number }) => v.id), byVisitor.has_more], [[rare[0]], false]);
});
