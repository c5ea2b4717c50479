// 004_*'s journey against /compat/refgrow/v1 (issue 15): track a click, convert with its clickId alone, list the
// commission, approve it; the click attributes the conversion to its visit's affiliate. On both engines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../../support/collector.ts';
import { rg } from './support.ts';

let c: TestCollector;
before(async () => {
  c = await startTestCollector();
  assert.equal((await c.call('PATCH', '/api/v1/settings', { referrer_reward_type: 'percentage', referrer_reward_value: 20 })).status, 200);
});
after(() => c.close());

test('track a click, convert with its clickId, list the commission, approve it', async () => {
  const john = (await rg(c, 'POST', '/affiliates', { email: 'john.doe@example.com', name: 'John Doe', referralCode: 'JOHNDOE10' })).body.data.affiliate;
  const other = (await rg(c, 'POST', '/affiliates', { email: 'other@example.com', name: 'Other One', referralCode: 'OTHER10' })).body.data.affiliate;
  // Another affiliate's click and conversion around it: the clickId alone decides.
  await rg(c, 'POST', '/referrals/track', { referralCode: 'OTHER10' });

  const click = await rg(c, 'POST', '/referrals/track', { referralCode: 'JOHNDOE10', sourceUrl: 'https://blog.example.com/post' });
  assert.equal(click.status, 200, JSON.stringify(click.body));
  assert.equal(click.body.data.affiliateId, john.id);

  await rg(c, 'POST', '/referrals/convert', { referralCode: 'OTHER10', amount: 10, orderId: 'order_other', customer: { email: 'o@example.com' } });

  const conv = await rg(c, 'POST', '/referrals/convert', {
    clickId: click.body.data.clickId, amount: 99.99, orderId: 'order_123456', customer: { email: 'buyer@example.com', name: 'Bea Buyer' },
  });
  assert.equal(conv.status, 200, JSON.stringify(conv.body));
  assert.deepEqual([conv.body.data.affiliateId, conv.body.data.referralCode, conv.body.data.amount, conv.body.data.commission],
    [john.id, 'JOHNDOE10', 99.99, 20]);
  // Recorded as our conversion of that visit's visitor, attributed by the visit.
  const native = (await c.call('GET', `/api/v1/conversions/${conv.body.data.conversionId.slice(5)}`)).body.data.conversion;
  assert.equal(native.visitor_id.replace(/-/g, ''), click.body.data.clickId.slice(6));
  assert.equal(native.attribution, 'visitor');
  assert.equal(native.advocate_id, Number(john.id.slice(4)));

  const listed = await rg(c, 'GET', `/commissions?affiliateId=${john.id}`);
  assert.equal(listed.body.data.total, 1, JSON.stringify(listed.body));
  const commission = listed.body.data.commissions[0];
  assert.deepEqual([commission.orderId, commission.amount, commission.status, commission.conversionAmount, commission.conversionId],
    ['order_123456', 20, 'pending', 99.99, conv.body.data.conversionId]);
  assert.equal((await rg(c, 'GET', `/commissions?affiliateId=${other.id}`)).body.data.commissions[0].orderId, 'order_other');

  const approved = await rg(c, 'PUT', `/commissions/${commission.id}/status`, { status: 'approved', reason: 'order shipped' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.data.commission.status, 'approved');
  assert.equal((await rg(c, 'GET', `/commissions?affiliateId=${john.id}&status=approved`)).body.data.commissions[0].id, commission.id);

  const figures = (await rg(c, 'GET', `/affiliates/${john.id}`)).body.data.affiliate;
  assert.deepEqual([figures.clickCount, figures.conversionCount, figures.conversionRate, figures.totalEarnings, figures.pendingEarnings, figures.paidEarnings],
    [1, 1, 1, 20, 20, 0]);
  // The same status again changes nothing and answers the commission.
  assert.equal((await rg(c, 'PUT', `/commissions/${commission.id}/status`, { status: 'approved' })).body.data.commission.status, 'approved');
});
