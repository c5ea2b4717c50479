// The seeds' "Testing" curl examples, in order, against a fresh collector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from './support/collector.ts';

test('the three curl examples of 000_* work as documented', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const visit = await c.post('/api/v1/track/visit', { referral_code: 'TESTCODE' });
  assert.equal(visit.status, 200);
  assert.equal(visit.body.data.code, 'TESTCODE');
  const claim = await c.post('/api/v1/track/claim', { referral_code: 'TESTCODE', customer_email: 'test@example.com', raw_value: 100 });
  assert.equal(claim.status, 201);
  assert.equal(claim.body.data.discount_applied, 10);
  assert.equal(claim.body.data.claim_value, 90);
  const conv = await c.post('/api/v1/track/conversion', { customer_email: 'test@example.com', order_id: 'TEST-001', order_value: 95.00, referral_code: 'TESTCODE' });
  assert.equal(conv.status, 201);
  assert.equal(conv.body.data.claim_id, claim.body.data.claim_id);
  assert.equal(conv.body.data.reward.amount, 9.5);
});
