// /api/v1/referrals and /advocates/:id/codes over real HTTP: the code list and its filters, adding a code,
// deactivating (PATCH, DELETE) and reactivating one, stats with revenue net of a partial refund, 404s and
// tenant isolation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, ZAPIER_CONVERSION, ZAPIER_REFUND, advocateId, assertError, count, testClock } from '../support/fixtures.ts';

const REFERRALS = '/api/v1/referrals';

const list = async (c: TestCollector, query: Record<string, string | number> = {}) => {
  const res = await c.call('GET', REFERRALS, undefined, { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
};
const codes = async (c: TestCollector, query: Record<string, string | number> = {}) =>
  (await list(c, query)).referrals.map((r: { code: string }) => r.code);

const addCode = (c: TestCollector, id: number, body: unknown) => c.call('POST', `/api/v1/advocates/${id}/codes`, body);

test('list: every code of the brand, newest first, with its advocate and figures; both paginations', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const all = await list(c, { total: 'true' });
  assert.deepEqual(all.referrals.map((r: { code: string }) => r.code), ['JOHN123', 'TESTCODE', 'V2AVMRDJ']);
  assert.deepEqual([all.total, all.page, all.limit, all.offset, all.has_more], [3, 1, 20, 0, false]);
  const john = all.referrals[0];
  assert.deepEqual({ ...john, created_at: typeof john.created_at, id: typeof john.id }, {
    id: 'number',
    code: 'JOHN123',
    advocate_id: await advocateId(c, 'JOHN123'),
    advocate_name: 'John Smith',
    status: 'active',
    clicks: 0,
    conversions: 0,
    revenue: 0,
    gross_revenue: 0,
    conversion_rate: 0,
    currency: 'USD',
    created_at: 'string',
    deactivated_at: null,
  });
  assert.deepEqual(await codes(c, { page: 2, limit: 2 }), ['V2AVMRDJ']);
  assert.deepEqual(await codes(c, { limit: 1, offset: 1 }), ['TESTCODE']);
  assert.equal((await list(c, { limit: 1, offset: 1 })).has_more, true);
});

test('list filters: advocate_id, status, search (code, advocate name or email); 400 for a bad status', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  await addCode(c, sarah, { code: 'SARAH2' });
  await c.call('DELETE', `${REFERRALS}/V2AVMRDJ`);
  assert.deepEqual(await codes(c, { advocate_id: sarah }), ['SARAH2', 'V2AVMRDJ']);
  assert.deepEqual(await codes(c, { status: 'inactive' }), ['V2AVMRDJ']);
  assert.deepEqual(await codes(c, { status: 'active' }), ['SARAH2', 'JOHN123', 'TESTCODE']);
  assert.deepEqual(await codes(c, { advocate_id: sarah, status: 'active' }), ['SARAH2']);
  assert.deepEqual(await codes(c, { search: 'test' }), ['TESTCODE']);
  assert.deepEqual(await codes(c, { search: 'JONES' }), ['SARAH2', 'V2AVMRDJ']);
  assert.deepEqual(await codes(c, { search: 'john@advocate' }), ['JOHN123']);
  assert.deepEqual(await codes(c, { advocate_id: 99999 }), []);
  assertError(await c.call('GET', REFERRALS, undefined, { query: { status: 'blocked' } }), 400, 'invalid_request', 'status');
  assertError(await c.call('GET', REFERRALS, undefined, { query: { advocate_id: 'x' } }), 400, 'invalid_request', 'advocate_id');
});

test('add a code: chosen (normalised) or generated; it attributes at once; 409 code_taken; the primary code stays the oldest', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const added = await addCode(c, sarah, { code: 'summer-24' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.deepEqual([added.body.data.referral.code, added.body.data.referral.advocate_id, added.body.data.referral.status],
    ['SUMMER-24', sarah, 'active']);
  const generated = await addCode(c, sarah, {});
  assert.equal(generated.status, 201);
  assert.match(generated.body.data.referral.code, /^SARAHJ[0-9A-F]{6}$/);

  const conversion = await c.post(PATHS.conversion, { email: 'b@example.com', order_id: 'S-1', order_value: 10, referral_code: 'Summer-24' });
  assert.equal(conversion.body.data.attribution, 'referral_code');
  assert.equal(conversion.body.data.referral_code, 'SUMMER-24');

  const advocate = (await c.call('GET', `/api/v1/advocates/${sarah}`)).body.data.advocate;
  assert.equal(advocate.referral_code, 'V2AVMRDJ');
  assert.deepEqual(advocate.referral_codes.map((r: { code: string }) => r.code), ['V2AVMRDJ', 'SUMMER-24', generated.body.data.referral.code]);
  assert.equal(advocate.conversion_count, 1);

  const before = await count(c, 'referral_codes');
  assertError(await addCode(c, sarah, { code: 'johN123' }), 409, 'code_taken', 'referral_code');
  assertError(await addCode(c, sarah, { code: 'no spaces' }), 400, 'invalid_request', 'code');
  assertError(await addCode(c, 99999, { code: 'FREE1' }), 404, 'not_found');
  assert.equal(await count(c, 'referral_codes'), before);
});

test('deactivate by PATCH and by DELETE: visits 404 inactive_code, conversions unattributed; reactivate', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  await addCode(c, john, { code: 'JOHN2' });
  clock.advance(DAY_MS);
  const off = await c.call('PATCH', `${REFERRALS}/john123`, { status: 'inactive' });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.deepEqual([off.body.data.referral.code, off.body.data.referral.status, off.body.data.referral.deactivated_at],
    ['JOHN123', 'inactive', clock.now().toISOString()]);
  assertError(await c.post(PATHS.visit, { referral_code: 'JOHN123' }), 404, 'inactive_code');
  const unattributed = await c.post(PATHS.conversion, { email: 'x@example.com', order_id: 'X-1', order_value: 20, referral_code: 'JOHN123' });
  assert.equal(unattributed.status, 201);
  assert.equal(unattributed.body.data.attribution, null);
  const advocate = (await c.call('GET', `/api/v1/advocates/${john}`)).body.data.advocate;
  assert.equal(advocate.referral_code, 'JOHN2', 'the primary code is the oldest active one');
  assert.equal(advocate.referral_codes[0].status, 'inactive');
  assert.equal((await c.post(PATHS.visit, { referral_code: 'JOHN2' })).status, 200, 'the other code still works');

  const again = await c.call('PATCH', `${REFERRALS}/JOHN123`, { status: 'inactive' });
  assert.equal(again.body.data.referral.deactivated_at, off.body.data.referral.deactivated_at, 'no change, same date');
  const on = await c.call('PATCH', `${REFERRALS}/JOHN123`, { status: 'active' });
  assert.deepEqual([on.body.data.referral.status, on.body.data.referral.deactivated_at], ['active', null]);
  assert.equal((await c.post(PATHS.visit, { referral_code: 'JOHN123' })).status, 200);

  const deleted = await c.call('DELETE', `${REFERRALS}/JOHN2`);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  assert.equal(deleted.body.data.referral.status, 'inactive');
  assert.equal((await c.call('DELETE', `${REFERRALS}/JOHN2`)).status, 200, 'deleting twice is fine');
  assertError(await c.post(PATHS.visit, { referral_code: 'JOHN2' }), 404, 'inactive_code');
  const kept = await c.call('GET', `${REFERRALS}/JOHN2`);
  assert.deepEqual([kept.status, kept.body.data.referral.clicks], [200, 1], 'a deleted code is kept, with its clicks');
  assert.equal(await count(c, 'referral_codes'), 4);
  assertError(await c.call('PATCH', `${REFERRALS}/JOHN2`, { status: 'gone' }), 400, 'invalid_request', 'status');
  assertError(await c.call('PATCH', `${REFERRALS}/JOHN2`, {}), 400, 'invalid_request', 'status');
});

test('stats (002_*): clicks, conversions, revenue net of a partial refund (85 − round(85×50/108) = 45.65), gross, rate', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (let i = 0; i < 4; i++) await c.post(PATHS.visit, { referral_code: 'JOHN123' });
  assert.equal((await c.post(PATHS.conversion, ZAPIER_CONVERSION)).status, 201); // 85.00 attributable, 108.00 paid
  await c.post(PATHS.conversion, { email: 'two@example.com', order_id: 'J-2', order_value: 20, referral_code: 'JOHN123' });
  await c.post(PATHS.conversion, { email: 'three@example.com', order_id: 'T-1', order_value: 99, referral_code: 'TESTCODE' });
  const before = await c.call('GET', `${REFERRALS}/JOHN123/stats`);
  assert.equal(before.status, 200);
  assert.deepEqual(before.body.data, {
    code: 'JOHN123', advocate_id: await advocateId(c, 'JOHN123'),
    clicks: 4, conversions: 2, revenue: 105, gross_revenue: 105, conversion_rate: 0.5, currency: 'USD',
  });
  assert.equal((await c.post(PATHS.refund, ZAPIER_REFUND)).status, 200); // 50 of 108 refunded
  const after = (await c.call('GET', `${REFERRALS}/john123/stats`)).body.data;
  assert.deepEqual([after.revenue, after.gross_revenue, after.conversions, after.clicks], [65.65, 105, 2, 4]);
  const listed = (await list(c, { search: 'JOHN123' })).referrals[0];
  assert.deepEqual([listed.revenue, listed.conversions, listed.clicks], [65.65, 2, 4]);
  await c.post(PATHS.refund, { order_id: 'J-2', refund_amount: 20, is_full_refund: true });
  assert.equal((await c.call('GET', `${REFERRALS}/JOHN123/stats`)).body.data.revenue, 45.65);
  const single = (await c.call('GET', `${REFERRALS}/JOHN123`)).body.data.referral;
  assert.deepEqual([single.code, single.advocate_name, single.revenue], ['JOHN123', 'John Smith', 45.65]);
});

test('404 not_found for an unknown, malformed or other brand\'s code on every /referrals/:code route; 401 without a key', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const other = await c.addBrand({ codes: [['ELSEWHERE', 'Else', 'else@example.com']] });
  const routes: Array<[string, (code: string) => string, unknown]> = [
    ['GET', (code) => `${REFERRALS}/${code}`, undefined],
    ['GET', (code) => `${REFERRALS}/${code}/stats`, undefined],
    ['PATCH', (code) => `${REFERRALS}/${code}`, { status: 'inactive' }],
    ['DELETE', (code) => `${REFERRALS}/${code}`, undefined],
  ];
  for (const [method, path, body] of routes) {
    for (const code of ['NOPE', 'ELSEWHERE', 'bad%20code']) assertError(await c.call(method, path(code), body), 404, 'not_found');
    const json = body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    const anonymous = await c.request(method, path('JOHN123'), json);
    assert.equal(anonymous.status, 401, `${method} ${path('JOHN123')}`);
  }
  const anonymousList = await c.request('GET', REFERRALS);
  assert.equal(anonymousList.status, 401);
  assert.deepEqual(await codes(c), ['JOHN123', 'TESTCODE', 'V2AVMRDJ'], 'another brand\'s codes are not listed');
  const theirs = (await c.call('GET', `${REFERRALS}/ELSEWHERE`, undefined, { brand: other })).body.data.referral;
  assert.equal(theirs.status, 'active', 'the other brand\'s code was not deactivated');
  assertError(await c.call('POST', `/api/v1/advocates/${await advocateId(c, 'ELSEWHERE', other)}/codes`, { code: 'MINE' }), 404, 'not_found');
});
