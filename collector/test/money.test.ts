// Money at the HTTP edge: decimals in, integer cents stored, half away from zero once, bad amounts named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from './support/collector.ts';
import { columnTypes, FRACTION_TYPE, storedValue } from './support/fixtures.ts';

/** The value and type (in SQLite's words) of one stored column. */
const stored = storedValue;

test('10% of 57.00 is 5.70 off and 51.30 left, stored as integer cents', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const r = await c.post('/api/v1/track/claim', { referral_code: 'V2AVMRDJ', customer_email: 'buyer@example.com', raw_value: 57.00 });
  assert.equal(r.status, 201);
  assert.equal(r.body.data.discount_applied, 5.7);
  assert.equal(r.body.data.claim_value, 51.3);
  const id = r.body.data.claim_id;
  assert.deepEqual(await stored(c, 'claims', 'raw_value_cents', id), { value: 5700, type: 'integer' });
  assert.deepEqual(await stored(c, 'claims', 'discount_applied_cents', id), { value: 570, type: 'integer' });
  assert.deepEqual(await stored(c, 'claims', 'claim_value_cents', id), { value: 5130, type: 'integer' });
});

test('16.15 is stored as 1615, an integer; its 10% reward rounds half away from zero to 1.62', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const r = await c.post('/api/v1/track/conversion', { customer_email: 'buyer@example.com', order_id: 'M-1', order_value: 16.15, referral_code: 'JOHN123' });
  assert.equal(r.status, 201);
  assert.equal(r.body.data.order_value, 16.15);
  assert.equal(r.body.data.reward.amount, 1.62);
  const id = r.body.data.id;
  assert.deepEqual(await stored(c, 'conversions', 'order_value_cents', id), { value: 1615, type: 'integer' });
  assert.deepEqual(await stored(c, 'conversions', 'paid_cents', id), { value: 1615, type: 'integer' });
  const rewardId = await c.deps.db.prepare('SELECT id FROM rewards WHERE conversion_id = ?', { pluck: true }).get(id) as number;
  assert.deepEqual(await stored(c, 'rewards', 'amount', rewardId), { value: 162, type: 'integer' });
  // No column anywhere was declared with a type that holds fractions.
  const real = (await columnTypes(c)).filter((col) => FRACTION_TYPE.test(col.type)).map((col) => `${col.tableName}.${col.name}`);
  assert.deepEqual(real, []);
});

test('numeric strings as Zapier sends them are accepted: "108.00" with tax, shipping and discount', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const r = await c.post('/api/v1/track/conversion', {
    customer_email: 'buyer@example.com', order_id: 'ORD-12345', order_total: '108.00', tax: '8.00', shipping: '10.00', discount: '5', referral_code: 'JOHN123',
  });
  assert.equal(r.status, 201);
  assert.equal(r.body.data.order_value, 85);
  const id = r.body.data.id;
  assert.deepEqual(await stored(c, 'conversions', 'order_total_cents', id), { value: 10800, type: 'integer' });
  assert.deepEqual(await stored(c, 'conversions', 'order_value_cents', id), { value: 8500, type: 'integer' });
  assert.deepEqual(await stored(c, 'conversions', 'tax_cents', id), { value: 800, type: 'integer' });
  const claim = await c.post('/api/v1/track/claim', { referral_code: 'V2AVMRDJ', email: 'other@example.com', raw_value: '57.0' });
  assert.equal(claim.status, 201);
  assert.equal(claim.body.data.claim_value, 51.3);
});

/** Amounts that are never money: each is a 400 naming the field, and nothing is stored. */
const BAD_AMOUNTS: Array<[label: string, json: string]> = [
  ['three decimals', '16.155'],
  ['three decimals as a string', '"16.155"'],
  ['negative', '-1'],
  ['negative string', '"-1.00"'],
  ['NaN string', '"NaN"'],
  ['Infinity string', '"Infinity"'],
  ['-Infinity string', '"-Infinity"'],
  ['a number too large for a double (Infinity once parsed)', '1e999'],
  ['exponent string', '"1e3"'],
  ['upper-case exponent string', '"1E3"'],
  ['hex string', '"0x10"'],
  ['comma decimal', '"12,50"'],
  ['empty string', '""'],
  ['padded string', '" 12.00"'],
  ['currency sign', '"$12.00"'],
  ['boolean', 'true'],
  ['null', 'null'],
  ['object', '{}'],
  ['too large', '1000000000'],
];

const TARGETS: Array<{ path: string; field: string; body: (amount: string) => string; table: string }> = [
  {
    path: '/api/v1/track/conversion', field: 'order_value', table: 'conversions',
    body: (a) => `{"customer_email":"b@example.com","order_id":"BAD","order_value":${a},"referral_code":"JOHN123"}`,
  },
  {
    path: '/api/v1/track/conversion', field: 'tax', table: 'conversions',
    body: (a) => `{"customer_email":"b@example.com","order_id":"BAD","order_total":108,"tax":${a},"shipping":0,"discount":0}`,
  },
  {
    path: '/api/v1/track/conversion', field: 'products.0.price', table: 'conversions',
    body: (a) => `{"customer_email":"b@example.com","order_id":"BAD","order_value":1,"products":[{"name":"T","price":${a}}]}`,
  },
  {
    path: '/api/v1/track/claim', field: 'raw_value', table: 'claims',
    body: (a) => `{"referral_code":"V2AVMRDJ","customer_email":"b@example.com","raw_value":${a}}`,
  },
  {
    path: '/api/v1/track/refund', field: 'refund_amount', table: 'refunds',
    body: (a) => `{"order_id":"M-PAID","refund_amount":${a},"is_full_refund":false}`,
  },
];

test('bad amounts (three decimals, negative, NaN, exponents, Infinity, non-numbers) are 400s naming the field', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const paid = await c.post('/api/v1/track/conversion', { customer_email: 'p@example.com', order_id: 'M-PAID', order_value: 100 });
  assert.equal(paid.status, 201);
  const rows = (table: string) => c.deps.db.prepare(`SELECT count(*) FROM ${table}`, { pluck: true }).get();
  for (const target of TARGETS) {
    const before = await rows(target.table);
    for (const [label, json] of BAD_AMOUNTS) {
      const r = await c.post(target.path, null, { raw: target.body(json) });
      const what = `${target.field} = ${json} (${label})`;
      assert.equal(r.status, 400, what);
      assert.equal(r.body.success, false, what);
      assert.equal(r.body.code, 'invalid_request', what);
      assert.equal(typeof r.body.error, 'string', what);
      assert.match(r.body.error, new RegExp(target.field.replace(/\./g, '\\.')), what);
      assert.ok(r.body.details.some((d: { field: string }) => d.field === target.field), `${what}: ${JSON.stringify(r.body.details)}`);
    }
    assert.equal(await rows(target.table), before, target.path);
  }
});

test('the largest amount, 999999999.99, is exact to the cent', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const r = await c.post('/api/v1/track/conversion', { customer_email: 'rich@example.com', order_id: 'MAX', order_value: '999999999.99', referral_code: 'JOHN123' });
  assert.equal(r.status, 201);
  assert.equal(r.body.data.order_value, 999999999.99);
  assert.deepEqual(await stored(c, 'conversions', 'order_value_cents', r.body.data.id), { value: 99_999_999_999, type: 'integer' });
  assert.equal(r.body.data.reward.amount, 100000000); // 10% of 99,999,999,999 cents, rounded half away from zero
});
