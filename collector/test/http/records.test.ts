// GET /api/v1/visits, /claims, /conversions (+ /claims/:id, /conversions/:id) and the conversions CSV export over
// real HTTP: records made through the tracking endpoints, each filter, both pagination forms, dates on an injected
// clock, the 400s naming the parameter, other brands' records, and the queries' use of the brand indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { sqlFor, type PrepareOptions, type Sql } from '../../src/db/port.ts';
import {
  DAY_MS, PATHS, SHOPIFY_CLAIM, SHOPIFY_CONVERSION, SHOPIFY_VISIT, ZAPIER_CLAIM, ZAPIER_CONVERSION, ZAPIER_VISIT,
  advocateId, assertError, pgPlanNodes, testClock,
} from '../support/fixtures.ts';

type Clock = ReturnType<typeof testClock>;

async function fresh(t: { after(fn: () => Promise<void>): void }, clock: Clock = testClock()) {
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  return c;
}

async function created(res: { status: number; body: any }, status = 201) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body.data;
}

/**
 * The seeds' flows, one hour apart: the Shopify visit, claim and conversion (V2AVMRDJ), the Zapier visit, claim and
 * conversion (JOHN123, another order id), and an unattributed order of a customer whose email looks like a formula.
 */
async function seedRecords(c: TestCollector, clock: Clock) {
  const step = () => clock.advance(3_600_000);
  const shopifyVisit = await created(await c.post(PATHS.visit, { ...SHOPIFY_VISIT, visitor_id: 'visitor-shop' }), 200);
  step();
  const zapierVisit = await created(await c.post(PATHS.visit, ZAPIER_VISIT), 200);
  step();
  const shopifyClaim = await created(await c.post(PATHS.claim, SHOPIFY_CLAIM));
  step();
  const zapierClaim = await created(await c.post(PATHS.claim, ZAPIER_CLAIM));
  step();
  const shopifyConversion = await created(await c.post(PATHS.conversion, SHOPIFY_CONVERSION));
  step();
  const zapierConversion = await created(await c.post(PATHS.conversion, { ...ZAPIER_CONVERSION, order_id: 'ZAP-1', customer_email: 'zap@example.com' }));
  step();
  const plain = await created(await c.post(PATHS.conversion, {
    customer_email: '-cmd@example.com', customer_name: '=HYPERLINK("http://evil.example")', order_id: 'PLAIN-1', order_value: '20.00',
  }));
  return { shopifyVisit, zapierVisit, shopifyClaim, zapierClaim, shopifyConversion, zapierConversion, plain };
}

const list = async (c: TestCollector, path: string, query: Record<string, string | number> = {}) => {
  const res = await c.call('GET', path, undefined, { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  return res.body.data;
};
const ids = (items: Array<{ id: number }>) => items.map((x) => x.id);

test('GET /visits: every field, newest first, and the advocate_id, code and visitor_id filters', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  await seedRecords(c, clock);
  const all = await list(c, '/api/v1/visits', { total: 'true' });
  assert.deepEqual([all.total, all.page, all.limit, all.offset, all.has_more], [2, 1, 20, 0, false]);
  assert.deepEqual(all.visits.map((v: any) => v.code), ['JOHN123', 'V2AVMRDJ'], 'newest first');
  const john = all.visits[0];
  assert.deepEqual({ ...john, id: undefined, visitor_id: undefined }, {
    id: undefined, visitor_id: undefined,
    code: 'JOHN123',
    advocate_id: await advocateId(c, 'JOHN123'),
    share_channel: 'newsletter',
    landing_page: 'https://example.com/products/widget',
    referrer: null,
    utm_source: 'newsletter',
    utm_medium: 'email',
    utm_campaign: 'spring-sale',
    utm_term: null,
    utm_content: null,
    created_at: '2026-04-14T13:00:00.000Z',
  });
  assert.equal(typeof john.visitor_id, 'string');

  const byAdvocate = await list(c, '/api/v1/visits', { advocate_id: await advocateId(c, 'V2AVMRDJ'), total: 'true' });
  assert.deepEqual([byAdvocate.total, byAdvocate.visits[0].code], [1, 'V2AVMRDJ']);
  assert.deepEqual((await list(c, '/api/v1/visits', { code: 'john123' })).visits.map((v: any) => v.code), ['JOHN123'], 'codes are case-insensitive');
  assert.deepEqual((await list(c, '/api/v1/visits', { visitor_id: 'visitor-shop' })).visits.map((v: any) => v.code), ['V2AVMRDJ']);
  assert.equal((await list(c, '/api/v1/visits', { code: 'TESTCODE', total: 'true' })).total, 0);
});

test('GET /claims: every field with decimals and the JSON columns, and the status, advocate_id, code and email filters', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  const r = await seedRecords(c, clock);
  const all = await list(c, '/api/v1/claims');
  assert.deepEqual(ids(all.claims), [r.zapierClaim.claim_id, r.shopifyClaim.claim_id]);
  const shop = all.claims[1];
  assert.deepEqual(shop, {
    id: r.shopifyClaim.claim_id,
    code: 'V2AVMRDJ',
    advocate_id: await advocateId(c, 'V2AVMRDJ'),
    email: 'buyer@example.com',
    name: null,
    phone: null,
    visitor_id: null,
    status: 'converted',
    type: 'referral',
    source: 'api',
    raw_value: 57,
    claim_value: shop.claim_value,
    discount_applied: shop.discount_applied,
    discount_type: shop.discount_type,
    discount_value: shop.discount_value,
    currency: 'USD',
    order_id: 'ORD-12345',
    conversion_id: r.shopifyConversion.id,
    products: [
      { sku: 'TSH-001', name: 'Classic T-Shirt', quantity: 1, price_cents: 2999 },
      { sku: 'BAG-010', name: 'Canvas Tote', quantity: 1, price_cents: 2701 },
    ],
    coupons_applied: [{ code: 'V2AVMRDJ', discount_amount_cents: 570 }],
    metadata: null,
    created_at: '2026-04-14T14:00:00.000Z',
  });
  assert.equal(shop.discount_applied, r.shopifyClaim.discount_applied, 'the same decimals as the claim answer');
  assert.equal(shop.claim_value, r.shopifyClaim.claim_value);
  const zap = all.claims[0];
  assert.deepEqual([zap.name, zap.phone, zap.status, zap.conversion_id], ['Sam Smith', '+1-555-0100', 'pending', null]);

  assert.deepEqual(ids((await list(c, '/api/v1/claims', { status: 'pending' })).claims), [r.zapierClaim.claim_id]);
  assert.deepEqual(ids((await list(c, '/api/v1/claims', { status: 'converted' })).claims), [r.shopifyClaim.claim_id]);
  assert.deepEqual(ids((await list(c, '/api/v1/claims', { advocate_id: await advocateId(c, 'JOHN123') })).claims), [r.zapierClaim.claim_id]);
  assert.deepEqual(ids((await list(c, '/api/v1/claims', { code: 'v2avmrdj' })).claims), [r.shopifyClaim.claim_id]);
  assert.deepEqual(ids((await list(c, '/api/v1/claims', { email: ' NewUser@Example.com ' })).claims), [r.zapierClaim.claim_id]);
  assert.equal((await list(c, '/api/v1/claims', { email: 'nobody@example.com', total: 'true' })).total, 0);

  const one = await c.call('GET', `/api/v1/claims/${r.shopifyClaim.claim_id}`);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.data.claim, shop);
});

test('GET /conversions: every field in decimals, and the status, advocate_id, code and attributed filters', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  const r = await seedRecords(c, clock);
  const all = await list(c, '/api/v1/conversions');
  assert.deepEqual(ids(all.conversions), [r.plain.id, r.zapierConversion.id, r.shopifyConversion.id]);
  const zap = all.conversions[1];
  assert.deepEqual(zap, {
    id: r.zapierConversion.id,
    order_id: 'ZAP-1',
    email: 'zap@example.com',
    name: 'Jane Doe',
    visitor_id: null,
    claim_id: null,
    advocate_id: await advocateId(c, 'JOHN123'),
    code: 'JOHN123',
    attribution: 'referral_code',
    status: 'completed',
    type: 'referral',
    source: null,
    order_value: 85,
    order_total: 108,
    tax: 8,
    shipping: 10,
    discount: 5,
    discount_applied: 5,
    total_discount: 5,
    paid: 108,
    refunded: 0,
    currency: 'USD',
    products: null,
    coupons_applied: null,
    metadata: null,
    created_at: '2026-04-14T17:00:00.000Z',
  });
  const shop = all.conversions[2];
  assert.deepEqual([shop.order_value, shop.order_total, shop.tax, shop.paid, shop.claim_id, shop.code],
    [51.3, null, null, 51.3, r.shopifyClaim.claim_id, 'V2AVMRDJ']);
  assert.deepEqual(shop.coupons_applied, [{ code: 'V2AVMRDJ', discount_amount_cents: 570 }]);
  assert.equal(shop.products[0].price_cents, 2999);

  await c.post(PATHS.refund, { order_id: 'ZAP-1', refund_amount: 108, is_full_refund: true });
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', { status: 'refunded' })).conversions), [r.zapierConversion.id]);
  assert.equal((await list(c, '/api/v1/conversions', { status: 'refunded' })).conversions[0].refunded, 108);
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', { status: 'completed' })).conversions), [r.plain.id, r.shopifyConversion.id]);
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', { advocate_id: await advocateId(c, 'V2AVMRDJ') })).conversions), [r.shopifyConversion.id]);
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', { code: 'john123' })).conversions), [r.zapierConversion.id]);
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', { attributed: 'true' })).conversions), [r.zapierConversion.id, r.shopifyConversion.id]);
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', { attributed: 'false' })).conversions), [r.plain.id]);
  assert.equal((await list(c, '/api/v1/conversions', { attributed: 'false', code: 'JOHN123', total: 'true' })).total, 0, 'filters combine');
});

test('GET /conversions/:id answers {conversion} with its rewards; unknown, malformed and other brands\' ids are 404', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  const r = await seedRecords(c, clock);
  const res = await c.call('GET', `/api/v1/conversions/${r.zapierConversion.id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const conversion = res.body.data.conversion;
  assert.deepEqual([conversion.id, conversion.order_id, conversion.order_value], [r.zapierConversion.id, 'ZAP-1', 85]);
  assert.deepEqual(conversion.rewards.map((w: any) => [w.level, w.kind, w.status, w.amount, w.advocate_id]),
    [[1, 'cash', 'pending', 8.5, await advocateId(c, 'JOHN123')]]);
  assert.deepEqual((await c.call('GET', `/api/v1/conversions/${r.plain.id}`)).body.data.conversion.rewards, []);

  const other = await c.addBrand();
  const theirs = await created(await c.post(PATHS.conversion, { customer_email: 'x@example.com', order_id: 'O-1', order_value: 5 }, { brand: other }));
  assertError(await c.call('GET', `/api/v1/conversions/${theirs.id}`), 404, 'not_found');
  assert.equal((await c.call('GET', `/api/v1/conversions/${theirs.id}`, undefined, { brand: other })).status, 200);
  for (const bad of ['999999', 'abc', '0', '-1', '1.5']) assertError(await c.call('GET', `/api/v1/conversions/${bad}`), 404, 'not_found');
  assertError(await c.call('GET', `/api/v1/claims/${r.shopifyClaim.claim_id}`, undefined, { brand: other }), 404, 'not_found');
  assertError(await c.call('GET', '/api/v1/claims/nope'), 404, 'not_found');

  // Lists never show another brand's records.
  assert.deepEqual(ids((await list(c, '/api/v1/conversions', {}))
    .conversions).includes(theirs.id), false);
  const theirList = await c.call('GET', '/api/v1/conversions', undefined, { brand: other, query: { total: 'true' } });
  assert.deepEqual([theirList.body.data.total, theirList.body.data.conversions[0].id], [1, theirs.id]);
  for (const path of ['/api/v1/visits', '/api/v1/claims']) {
    assert.equal((await c.call('GET', path, undefined, { brand: other, query: { total: 'true' } })).body.data.total, 0, path);
  }
});

test('pagination: page + limit and limit + offset, with total (when asked) and has_more; offset wins over page', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  const visitIds: string[] = [];
  for (let i = 1; i <= 5; i++) {
    visitIds.push((await created(await c.post(PATHS.visit, { referral_code: 'TESTCODE', visitor_id: `v-${i}` }), 200)).visitor_id);
    clock.advance(1000);
  }
  const visitors = (data: any) => data.visits.map((v: any) => v.visitor_id);
  const page2 = await list(c, '/api/v1/visits', { page: 2, limit: 2, total: 'true' });
  assert.deepEqual(visitors(page2), ['v-3', 'v-2']);
  assert.deepEqual([page2.total, page2.page, page2.limit, page2.offset, page2.has_more], [5, 2, 2, 2, true]);
  const last = await list(c, '/api/v1/visits', { page: 3, limit: 2 });
  assert.deepEqual([visitors(last), last.has_more, last.next_cursor, 'total' in last], [['v-1'], false, null, false]);
  const offset = await list(c, '/api/v1/visits', { limit: 3, offset: 1, total: 'true' });
  assert.deepEqual(visitors(offset), ['v-4', 'v-3', 'v-2']);
  assert.deepEqual([offset.total, offset.offset, offset.has_more], [5, 1, true]);
  const end = await list(c, '/api/v1/visits', { limit: 3, offset: 3 });
  assert.deepEqual([visitors(end), end.has_more], [['v-2', 'v-1'], false]);
  assert.deepEqual(visitors(await list(c, '/api/v1/visits', { page: 5, limit: 1, offset: 0 })), ['v-5'], 'offset wins');
  const beyond = await list(c, '/api/v1/visits', { page: 9, total: 'true' });
  assert.deepEqual([beyond.visits, beyond.total, beyond.has_more], [[], 5, false]);
  // The same on the other lists, with the filter counted in total.
  for (let i = 1; i <= 3; i++) await c.post(PATHS.conversion, { customer_email: `p${i}@example.com`, order_id: `P-${i}`, order_value: 10, referral_code: 'JOHN123' });
  await c.post(PATHS.conversion, { customer_email: 'q@example.com', order_id: 'Q-1', order_value: 10 });
  const attributed = await list(c, '/api/v1/conversions', { attributed: 'true', limit: 2, offset: 0, total: 'true' });
  assert.deepEqual([attributed.conversions.map((x: any) => x.order_id), attributed.total, attributed.has_more], [['P-3', 'P-2'], 3, true]);
});

test('from (inclusive) and to (exclusive; a plain date includes that whole day) on created_at', async (t) => {
  const clock = testClock('2026-04-14T12:00:00.000Z');
  const c = await fresh(t, clock);
  const at: string[] = [];
  for (let day = 0; day < 3; day++) {
    at.push(clock.now().toISOString());
    await c.post(PATHS.visit, { referral_code: 'TESTCODE', visitor_id: `day-${day}` });
    await c.post(PATHS.claim, { referral_code: 'TESTCODE', email: `day${day}@example.com` });
    await c.post(PATHS.conversion, { customer_email: `day${day}@example.com`, order_id: `D-${day}`, order_value: 10 });
    clock.advance(DAY_MS);
  }
  const visitors = async (query: Record<string, string>) =>
    (await list(c, '/api/v1/visits', query)).visits.map((v: any) => v.visitor_id);
  assert.deepEqual(await visitors({ from: '2026-04-15' }), ['day-2', 'day-1']);
  assert.deepEqual(await visitors({ from: at[1]! }), ['day-2', 'day-1'], 'from is inclusive');
  assert.deepEqual(await visitors({ to: '2026-04-15' }), ['day-1', 'day-0'], 'a plain date includes its whole day');
  assert.deepEqual(await visitors({ to: at[1]! }), ['day-0'], 'a date-time is exclusive');
  assert.deepEqual(await visitors({ from: '2026-04-15', to: '2026-04-15' }), ['day-1']);
  assert.deepEqual(await visitors({ from: '2026-04-15T14:00:00+02:00', to: '2026-04-16T12:00:00.001Z' }), ['day-2', 'day-1'], 'offsets are understood');
  const claims = await list(c, '/api/v1/claims', { from: '2026-04-16' });
  assert.deepEqual(claims.claims.map((x: any) => x.email), ['day2@example.com']);
  const conversions = await list(c, '/api/v1/conversions', { to: '2026-04-14' });
  assert.deepEqual(conversions.conversions.map((x: any) => x.order_id), ['D-0']);
});

test('400 naming the parameter for bad query values; unknown parameters are warned about', async (t) => {
  const c = await fresh(t);
  const bad: Array<[string, Record<string, string>, string]> = [
    ['/api/v1/visits', { limit: '500' }, 'limit'],
    ['/api/v1/visits', { limit: '0' }, 'limit'],
    ['/api/v1/visits', { page: 'two' }, 'page'],
    ['/api/v1/visits', { offset: '-1' }, 'offset'],
    ['/api/v1/visits', { from: 'yesterday' }, 'from'],
    ['/api/v1/visits', { to: '2026-02-30T25:00' }, 'to'],
    ['/api/v1/visits', { advocate_id: 'abc' }, 'advocate_id'],
    ['/api/v1/claims', { status: 'Not A Status' }, 'status'],
    ['/api/v1/claims', { from: '14/04/2026' }, 'from'],
    ['/api/v1/conversions', { attributed: 'maybe' }, 'attributed'],
    ['/api/v1/conversions', { advocate_id: '0' }, 'advocate_id'],
    ['/api/v1/conversions/export', { attributed: 'yes' }, 'attributed'],
    ['/api/v1/conversions/export', { to: 'tomorrow' }, 'to'],
  ];
  for (const [path, query, field] of bad) assertError(await c.call('GET', path, undefined, { query }), 400, 'invalid_request', field);
  const warned = await c.call('GET', '/api/v1/conversions', undefined, { query: { attribution: 'coupon', limit: 5 } });
  assert.equal(warned.status, 200);
  assert.deepEqual(warned.body.warnings, ['unknown field "attribution" was ignored']);
  assert.equal(warned.body.data.limit, 5);
});

test('401 without a key, 403 with a publishable key on every list', async (t) => {
  const c = await fresh(t);
  for (const path of ['/api/v1/visits', '/api/v1/claims', '/api/v1/conversions', '/api/v1/conversions/export', '/api/v1/conversions/1', '/api/v1/claims/1']) {
    assertError(await c.request('GET', path), 401, 'missing_api_key');
    const publishable = await c.request('GET', path, { headers: { 'X-API-Key': c.brand.publishable_key, 'X-Brand-ID': c.brand.brand_id } });
    assert.equal(publishable.status, 403, path);
  }
});

test('GET /conversions/export: CSV of every conversion of the filter, named like the JSON fields, formulas neutralised', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  const r = await seedRecords(c, clock);
  // More rows than a page holds: the export is not paginated.
  for (let i = 0; i < 25; i++) await c.post(PATHS.conversion, { customer_email: `bulk${i}@example.com`, order_id: `B-${i}`, order_value: 1 });
  const res = await c.call('GET', '/api/v1/conversions/export');
  assert.equal(res.status, 200, String(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="conversions.csv"');
  const lines = (res.body as string).split('\r\n');
  assert.equal(lines.pop(), '', 'the last line ends with CRLF');
  assert.equal(lines[0], 'id,created_at,order_id,email,name,status,attribution,advocate_id,code,claim_id,order_value,order_total,'
    + 'tax,shipping,discount,discount_applied,total_discount,paid,refunded,currency,type,source,visitor_id');
  assert.equal(lines.length, 1 + 28);
  const byOrder = (orderId: string) => lines.find((l) => l.split(',')[2] === orderId)!;
  assert.equal(byOrder('ZAP-1'), `${r.zapierConversion.id},2026-04-14T17:00:00.000Z,ZAP-1,zap@example.com,Jane Doe,completed,referral_code,`
    + `${await advocateId(c, 'JOHN123')},JOHN123,,85,108,8,10,5,5,5,108,0,USD,referral,,`);
  assert.equal(byOrder('PLAIN-1'), `${r.plain.id},2026-04-14T18:00:00.000Z,PLAIN-1,'-cmd@example.com,"'=HYPERLINK(""http://evil.example"")",`
    + 'completed,,,,,20,,,,,0,0,20,0,USD,referral,,');

  const filtered = await c.call('GET', '/api/v1/conversions/export', undefined, { query: { attributed: 'true', code: 'v2avmrdj' } });
  const rows = (filtered.body as string).trim().split('\r\n');
  assert.equal(rows.length, 2);
  assert.equal(rows[1]!.split(',')[2], 'ORD-12345');
  const other = await c.addBrand();
  const empty = await c.call('GET', '/api/v1/conversions/export', undefined, { brand: other });
  assert.equal((empty.body as string).trim().split('\r\n').length, 1, 'another brand exports only the header');
});

test('every list query filters by brand through an index: its plan (EXPLAIN QUERY PLAN, or EXPLAIN on PostgreSQL) shows no full table scan', async (t) => {
  const clock = testClock();
  const c = await fresh(t, clock);
  await seedRecords(c, clock);
  // Lists run on the read-only connection (app.ts `read`).
  const db = c.deps.read;
  const prepare = db.prepare.bind(db);
  const seen = new Set<string>();
  // The list statements are prepared on first use of each filter combination: record them (this engine's text).
  db.prepare = ((sql: Sql, opts?: PrepareOptions) => {
    const text = sqlFor(sql, db.dialect);
    if (/FROM (visits|claims|conversions)( INDEXED BY \w+)? WHERE brand_id/.test(text)) seen.add(text);
    return prepare(sql, opts);
  }) as typeof db.prepare;
  t.after(() => { db.prepare = prepare; });
  const a = String(await advocateId(c, 'JOHN123'));
  const queries: Array<[string, Record<string, string>]> = [
    ['/api/v1/visits', {}], ['/api/v1/visits', { advocate_id: a }], ['/api/v1/visits', { code: 'JOHN123' }],
    ['/api/v1/visits', { visitor_id: 'visitor-shop' }], ['/api/v1/visits', { from: '2026-04-01', to: '2026-05-01' }],
    ['/api/v1/claims', {}], ['/api/v1/claims', { status: 'pending' }], ['/api/v1/claims', { advocate_id: a }],
    ['/api/v1/claims', { code: 'JOHN123' }], ['/api/v1/claims', { email: 'buyer@example.com', from: '2026-04-01' }],
    ['/api/v1/conversions', {}], ['/api/v1/conversions', { status: 'completed' }], ['/api/v1/conversions', { advocate_id: a }],
    ['/api/v1/conversions', { code: 'JOHN123' }], ['/api/v1/conversions', { attributed: 'false', to: '2026-05-01' }],
    ['/api/v1/conversions/export', { attributed: 'true' }],
  ];
  for (const [path, query] of queries) {
    const res = await c.call('GET', path, undefined, { query });
    assert.equal(res.status, 200, `${path} ${JSON.stringify(res.body)}`);
  }
  assert.ok(seen.size >= queries.length * 2, `list statements recorded: ${seen.size}`);
  // Ids, counts and the author's id are numbers (PostgreSQL types them), the rest text.
  const numeric = new Set(['limit', 'offset', 'before', 'floor', 'scan', 'advocateId']);
  const paramsOf = (sql: string) => Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) =>
    [m[1], m[1] === 'limit' ? 20 : m[1] === 'offset' ? 0 : numeric.has(m[1]!) ? 1 : 'x']));
  db.prepare = prepare; // recorded: what follows prepares only the plans
  if (db.dialect === 'pg') {
    for (const sql of seen) {
      const nodes = await pgPlanNodes(c, sql, paramsOf(sql));
      const plan = JSON.stringify(nodes);
      assert.ok(nodes.some((n) => /^(Index (Only )?Scan|Bitmap Index Scan)$/.test(n['Node Type']) && /^\(\(?brand_id = /.test(n['Index Cond'] ?? '')), `${sql}\n${plan}`);
      assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan' && /^(visits|claims|conversions)$/.test(n['Relation Name'] ?? '')), `full scan: ${sql}\n${plan}`);
    }
    return;
  }
  for (const sql of seen) {
    const plan = await prepare(`EXPLAIN QUERY PLAN ${sql}`).all(paramsOf(sql)) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail);
    assert.ok(details.some((d) => /^SEARCH (visits|claims|conversions) USING (COVERING )?INDEX \w+ \(brand_id=\?/.test(d)), `${sql}\n${details.join('\n')}`);
    assert.ok(!details.some((d) => /^SCAN (visits|claims|conversions)\b/.test(d)), `full scan: ${sql}\n${details.join('\n')}`);
  }
});
