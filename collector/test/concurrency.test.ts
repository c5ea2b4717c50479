// Retries that arrive together: the same conversion, claim or Idempotency-Key in parallel is counted once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector, type TestResponse } from './support/collector.ts';
import { secretHeaders } from './support/fixtures.ts';

const parallel = (n: number, send: () => Promise<TestResponse>) => Promise.all(Array.from({ length: n }, send));

const count = async (c: TestCollector, sql: string, ...params: unknown[]) =>
  await c.deps.db.prepare(sql, { pluck: true }).get(...params) as number;

test('50 identical conversions in parallel: one row, one reward, one 201, 49 duplicates naming it', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const body = { customer_email: 'buyer@example.com', order_id: 'ORD-RACE', order_value: 51.3, referral_code: 'V2AVMRDJ' };
  const answers = await parallel(50, () => c.post('/api/v1/track/conversion', body));

  const created = answers.filter((a) => a.status === 201);
  const duplicates = answers.filter((a) => a.status === 200);
  assert.equal(created.length, 1, JSON.stringify(answers.map((a) => a.status)));
  assert.equal(duplicates.length, 49);
  for (const d of duplicates) assert.equal(d.body.data.duplicate, true);
  assert.equal(created[0]!.body.data.duplicate, undefined);
  const id = created[0]!.body.data.id;
  for (const a of answers) {
    assert.equal(a.body.data.id, id);
    assert.equal(a.body.data.order_value, 51.3);
    assert.equal(a.body.data.reward.id, created[0]!.body.data.reward.id);
  }

  const brand = c.brand.brand_id;
  assert.equal(await count(c, 'SELECT count(*) FROM conversions WHERE brand_id = ?', brand), 1);
  assert.equal(await count(c, 'SELECT count(*) FROM rewards WHERE brand_id = ?', brand), 1);
  assert.equal(await count(c, 'SELECT count(*) FROM reward_events WHERE brand_id = ?', brand), 1);
  assert.equal(await count(c, 'SELECT amount FROM rewards WHERE brand_id = ?', brand), 513);
});

test('20 identical claims in parallel: one 201, nineteen 409 naming its claim_id, one row', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const body = { referral_code: 'V2AVMRDJ', customer_email: 'buyer@example.com', raw_value: 57 };
  const answers = await parallel(20, () => c.post('/api/v1/track/claim', body));

  const created = answers.filter((a) => a.status === 201);
  const conflicts = answers.filter((a) => a.status === 409);
  assert.equal(created.length, 1, JSON.stringify(answers.map((a) => a.status)));
  assert.equal(conflicts.length, 19);
  const claimId = created[0]!.body.data.claim_id;
  for (const a of conflicts) {
    assert.equal(a.body.success, false);
    assert.equal(a.body.code, 'duplicate_claim');
    assert.equal(a.body.claim_id, claimId);
  }
  assert.equal(await count(c, 'SELECT count(*) FROM claims WHERE brand_id = ?', c.brand.brand_id), 1);
});

test('20 parallel conversions without order_id under one Idempotency-Key: identical answers, one row', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  // Without an order_id nothing else deduplicates a conversion: only the key can keep it to one row.
  const headers = {
    ...secretHeaders(c.brand),
    'Idempotency-Key': 'retry-7f3a',
  };
  const body = { customer_email: 'buyer@example.com', order_value: 20, referral_code: 'JOHN123' };
  const answers = await parallel(20, () => c.post('/api/v1/track/conversion', body, { headers }));

  for (const a of answers) {
    assert.equal(a.status, 201);
    assert.deepEqual(a.body, answers[0]!.body);
  }
  assert.equal(await count(c, 'SELECT count(*) FROM conversions WHERE brand_id = ?', c.brand.brand_id), 1);
  assert.equal(await count(c, 'SELECT count(*) FROM rewards WHERE brand_id = ?', c.brand.brand_id), 1);
  assert.equal(await count(c, 'SELECT count(*) FROM idempotency_keys WHERE brand_id = ?', c.brand.brand_id), 1);
});

test('20 parallel claims under one Idempotency-Key: all the first 201, never a 409, one row', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const headers = {
    ...secretHeaders(c.brand),
    'Idempotency-Key': 'claim-once',
  };
  const body = { referral_code: 'TESTCODE', email: 'new@example.com', raw_value: '40.00' };
  const answers = await parallel(20, () => c.post('/api/v1/track/claim', body, { headers }));

  for (const a of answers) {
    assert.equal(a.status, 201);
    assert.deepEqual(a.body, answers[0]!.body);
  }
  assert.equal(await count(c, 'SELECT count(*) FROM claims WHERE brand_id = ?', c.brand.brand_id), 1);

  // The same key with another body is a conflict, and writes nothing.
  const other = await c.post('/api/v1/track/claim', { ...body, raw_value: '41.00' }, { headers });
  assert.equal(other.status, 409);
  assert.equal(other.body.code, 'idempotency_conflict');
  assert.equal(await count(c, 'SELECT count(*) FROM claims WHERE brand_id = ?', c.brand.brand_id), 1);
});
