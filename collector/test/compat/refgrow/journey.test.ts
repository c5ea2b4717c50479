// 004_*'s journey against /compat/refgrow/v1 (issue 15): track a click, convert with its clickId alone, list the
// commission, approve it; the click attributes the conversion to its visit's affiliate. On both engines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../../support/collector.ts';
import { DAY_MS, testClock } from '../../support/fixtures.ts';
import { assertRefgrowError, BASE, rg } from './support.ts';

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

test('a click older than the attribution window attributes nothing; an Idempotency-Key replays the first answer', async () => {
  const clock = testClock();
  const t = await startTestCollector({ now: clock.now });
  try {
    const click = (await rg(t, 'POST', '/referrals/track', { referralCode: 'JOHN123' })).body.data;
    clock.advance(31 * DAY_MS);
    const late = await rg(t, 'POST', '/referrals/convert', { clickId: click.clickId, amount: 80, orderId: 'late-1', customer: { email: 'late@example.com' } });
    assert.equal(late.status, 200, JSON.stringify(late.body));
    assert.deepEqual([late.body.data.affiliateId, late.body.data.referralCode, late.body.data.commission, late.body.data.amount], [null, null, 0, 80]);
    assert.equal((await rg(t, 'GET', '/commissions')).body.data.total, 0);

    // No orderId: the Idempotency-Key alone keeps a retry from recording the order twice.
    const body = { referralCode: 'JOHN123', amount: 30, customer: { email: 'retry@example.com' } };
    const first = await rg(t, 'POST', '/referrals/convert', body, { headers: { 'Idempotency-Key': 'retry-1' } });
    const again = await rg(t, 'POST', '/referrals/convert', body, { headers: { 'Idempotency-Key': 'retry-1' } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(again.body, first.body);
    assert.equal((await rg(t, 'GET', '/commissions')).body.data.total, 1);
  } finally {
    await t.close();
  }
});

test('clickId with referralCode: the code decides; a field the document lacks is ignored and named in warnings', async () => {
  const click = (await rg(c, 'POST', '/referrals/track', { referralCode: 'JOHN123' })).body.data;
  const both = await rg(c, 'POST', '/referrals/convert', {
    clickId: click.clickId, referralCode: 'TESTCODE', amount: 10, orderId: 'both-1', customer: { email: 'both@example.com' }, currency: 'EUR',
  });
  assert.equal(both.status, 200, JSON.stringify(both.body));
  assert.equal(both.body.data.referralCode, 'TESTCODE');
  assert.notEqual(both.body.data.affiliateId, click.affiliateId);
  assert.deepEqual(both.body.warnings, ['unknown field "currency" was ignored']);
});

test('the key may come as X-API-Key too; an X-Brand-ID naming another brand is permission_denied', async () => {
  const viaHeader = await c.request('GET', `${BASE}/affiliates`, { headers: { 'X-API-Key': c.brand.secret_key } });
  assert.equal(viaHeader.status, 200);
  const other = await c.addBrand();
  assertRefgrowError(await rg(c, 'GET', '/affiliates', undefined, { headers: { 'X-Brand-ID': other.brand_id } }), 'permission_denied');
});
