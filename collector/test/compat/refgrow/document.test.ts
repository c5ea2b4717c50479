// 004_* (Refgrow) run as its document shows it against /compat/refgrow/v1: every endpoint with the document's example
// requests, each answer compared with the document's example answer field by field (support.ts), and every error code
// of its table in its error body. On both engines (scripts/run-tests.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS } from '../../../src/config.ts';
import { startTestCollector, type TestCollector } from '../../support/collector.ts';
import {
  assertRefgrowError, assertShape, BASE, DOC_AFFILIATE, DOC_AFFILIATE_LIST, DOC_COMMISSION_LIST, DOC_COMMISSION_UPDATED, DOC_CONVERT,
  DOC_CREATE_REQUEST, DOC_CREATED_AFFILIATE, DOC_ERROR, DOC_TRACK, DOC_TRACK_REQUEST, docConvertRequest, rg,
} from './support.ts';

let c: TestCollector;
before(async () => {
  c = await startTestCollector();
  // 20% of the referred order, so the document's 99.99 earns its 20.00.
  const set = await c.call('PATCH', '/api/v1/settings', { referrer_reward_type: 'percentage', referrer_reward_value: 20 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
});
after(() => c.close());

/** The document's journey up to a commission: its affiliate, a click, the conversion of that click. */
async function converted(c: TestCollector, n: number) {
  const created = await rg(c, 'POST', '/affiliates', { ...DOC_CREATE_REQUEST, email: `aff${n}@example.com`, referralCode: `JOHNDOE${n}` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const click = await rg(c, 'POST', '/referrals/track', { ...DOC_TRACK_REQUEST, referralCode: `JOHNDOE${n}` });
  assert.equal(click.status, 200, JSON.stringify(click.body));
  const conv = await rg(c, 'POST', '/referrals/convert', {
    ...docConvertRequest(click.body.data.clickId), orderId: `order_${n}`, customer: { email: `buyer${n}@example.com`, name: 'Jane Buyer' },
  });
  assert.equal(conv.status, 200, JSON.stringify(conv.body));
  return { affiliate: created.body.data.affiliate, click: click.body.data, conversion: conv.body.data };
}

test('Authentication: Bearer with the brand\'s secret key; none, a wrong one or the publishable key are refused in the document\'s body', async () => {
  assert.equal((await rg(c, 'GET', '/affiliates')).status, 200);
  assertRefgrowError(await c.request('GET', `${BASE}/affiliates`), 'authentication_error', 'Authorization');
  assertRefgrowError(await c.request('GET', `${BASE}/affiliates`, { headers: { Authorization: 'Bearer sk_live_not_a_key' } }), 'authentication_error', 'Authorization');
  assertRefgrowError(await c.request('GET', `${BASE}/affiliates`, { headers: { Authorization: c.brand.secret_key } }), 'authentication_error');
  assertRefgrowError(await c.request('GET', `${BASE}/affiliates`, { headers: { Authorization: `Bearer ${c.brand.publishable_key}` } }), 'permission_denied');
  // A refused call changes nothing.
  const before = (await rg(c, 'GET', '/affiliates')).body.data.total;
  assertRefgrowError(await c.request('POST', `${BASE}/affiliates`, {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...DOC_CREATE_REQUEST, email: 'nokey@example.com' }),
  }), 'authentication_error');
  assert.equal((await rg(c, 'GET', '/affiliates')).body.data.total, before);
});

test('POST /affiliates: the document\'s request answers its example\'s fields; customFields kept, referralCode generated when absent', async () => {
  const res = await rg(c, 'POST', '/affiliates', DOC_CREATE_REQUEST);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  assertShape(res.body.data, DOC_CREATED_AFFILIATE.data);
  const a = res.body.data.affiliate;
  assertShape(a, DOC_CREATED_AFFILIATE.data.affiliate);
  assert.deepEqual([a.email, a.name, a.status, a.referralCode], ['affiliate@example.com', 'John Doe', 'active', 'JOHNDOE10']);
  const native = await c.call('GET', `/api/v1/advocates/${a.id.slice(4)}`);
  assert.deepEqual(native.body.data.advocate.metadata, { plan: 'pro' });

  const generated = await rg(c, 'POST', '/affiliates', { email: 'gen@example.com', name: 'Gene Rated' });
  assert.equal(generated.status, 201);
  assert.match(generated.body.data.affiliate.referralCode, /^[A-Z0-9]{4,}/);

  assertRefgrowError(await rg(c, 'POST', '/affiliates', { name: 'No Email' }), 'invalid_request', 'email');
  assertRefgrowError(await rg(c, 'POST', '/affiliates', { email: 'noname@example.com' }), 'invalid_request', 'name');
  assertRefgrowError(await rg(c, 'POST', '/affiliates', { email: 'not-an-email', name: 'X' }), 'invalid_request', 'email');
  assertRefgrowError(await rg(c, 'POST', '/affiliates', { email: 'x@example.com', name: 'X', referralCode: 'bad code!' }), 'invalid_request', 'referralCode');
  assertRefgrowError(await rg(c, 'POST', '/affiliates', { email: 'y@example.com', name: 'Y', customFields: 'no' }), 'invalid_request', 'customFields');
  const taken = await rg(c, 'POST', '/affiliates', DOC_CREATE_REQUEST);
  assertRefgrowError(taken, 'invalid_request', 'email');
  // In the document's words: an affiliate of a program, not our advocate of a brand.
  assert.equal(taken.body.error.message, 'An affiliate with this email already exists in this program');
  assert.equal(taken.body.error.details.issue, 'already used by an affiliate of this program');
  assertRefgrowError(await rg(c, 'POST', '/affiliates', { ...DOC_CREATE_REQUEST, email: 'other@example.com' }), 'invalid_request', 'referralCode');
  assertRefgrowError(await rg(c, 'POST', '/affiliates', '{"email":'), 'invalid_request', 'body');
  // A body past the size limit (our 413) is the document's 400 invalid_request.
  assertRefgrowError(await rg(c, 'POST', '/affiliates', { email: 'big@example.com', name: 'x'.repeat(3_000_000) }), 'invalid_request', null);
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { query: { search: 'other@example.com' } })).body.data.advocates.length, 0);
});

test('GET /affiliates/:id: the example\'s fields (referralCode, paymentMethod, paymentDetails); malformed id 400, unknown 404', async () => {
  const created = await rg(c, 'POST', '/affiliates', {
    email: 'paid@example.com', name: 'Pay Pal', referralCode: 'PAYPAL1', paymentMethod: 'paypal', paymentDetails: 'paid@example.com',
  });
  const res = await rg(c, 'GET', `/affiliates/${created.body.data.affiliate.id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assertShape(res.body.data, DOC_AFFILIATE.data);
  assertShape(res.body.data.affiliate, DOC_AFFILIATE.data.affiliate);
  const a = res.body.data.affiliate;
  assert.deepEqual([a.referralCode, a.paymentMethod, a.paymentDetails, a.totalEarnings, a.clickCount], ['PAYPAL1', 'paypal', 'paid@example.com', 0, 0]);
  assertRefgrowError(await rg(c, 'GET', '/affiliates/123456'), 'invalid_request', 'id');
  assertRefgrowError(await rg(c, 'GET', '/affiliates/aff_abc'), 'invalid_request', 'id');
  assertRefgrowError(await rg(c, 'GET', '/affiliates/aff_999999'), 'resource_not_found', 'id');
  assertRefgrowError(await rg(c, 'GET', '/affiliates/aff_0'), 'resource_not_found', 'id');
});

test('GET /affiliates: the example\'s list (affiliates, total, limit, offset); limit, offset and status filter; limit past 100 refused', async () => {
  const res = await rg(c, 'GET', '/affiliates');
  assert.equal(res.status, 200);
  assertShape(res.body.data, DOC_AFFILIATE_LIST.data);
  for (const a of res.body.data.affiliates) assertShape(a, DOC_AFFILIATE_LIST.data.affiliates[0]!);
  assert.deepEqual([res.body.data.limit, res.body.data.offset], [20, 0]);
  const total = res.body.data.total;
  assert.equal(res.body.data.affiliates.length, Math.min(total, 20));

  const page = await rg(c, 'GET', '/affiliates?limit=2&offset=1');
  assert.deepEqual([page.body.data.limit, page.body.data.offset, page.body.data.total], [2, 1, total]);
  assert.deepEqual(page.body.data.affiliates.map((a: { id: string }) => a.id), res.body.data.affiliates.slice(1, 3).map((a: { id: string }) => a.id));

  const blocked = await rg(c, 'POST', '/affiliates', { email: 'blocked@example.com', name: 'Bea Blocked', status: 'blocked' });
  const onlyBlocked = await rg(c, 'GET', '/affiliates?status=blocked');
  assert.deepEqual(onlyBlocked.body.data.affiliates.map((a: { id: string }) => a.id), [blocked.body.data.affiliate.id]);
  assert.equal(onlyBlocked.body.data.total, 1);
  assert.equal((await rg(c, 'GET', '/affiliates?status=pending')).body.data.total, 0);

  assertRefgrowError(await rg(c, 'GET', '/affiliates?limit=101'), 'invalid_request', 'limit');
  assertRefgrowError(await rg(c, 'GET', '/affiliates?limit=0'), 'invalid_request', 'limit');
  assertRefgrowError(await rg(c, 'GET', '/affiliates?offset=-1'), 'invalid_request', 'offset');
  assertRefgrowError(await rg(c, 'GET', '/affiliates?status=gone'), 'invalid_request', 'status');
});

test('POST /referrals/track: the document\'s request answers a clickId, the code, its affiliate and the time', async () => {
  const affiliate = (await rg(c, 'POST', '/affiliates', { ...DOC_CREATE_REQUEST, email: 'aff100@example.com', referralCode: 'JOHNDOE100' })).body.data.affiliate;
  const res = await rg(c, 'POST', '/referrals/track', { ...DOC_TRACK_REQUEST, referralCode: 'johndoe100' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assertShape(res.body.data, DOC_TRACK.data);
  assert.deepEqual([res.body.data.referralCode, res.body.data.affiliateId], ['JOHNDOE100', affiliate.id]);
  assert.match(res.body.data.clickId, /^click_[0-9a-f]{32}$/);
  // Each call is a click of its own, counted on the affiliate; sourceUrl is kept as the visit's referrer.
  const again = await rg(c, 'POST', '/referrals/track', { referralCode: 'JOHNDOE100' });
  assert.notEqual(again.body.data.clickId, res.body.data.clickId);
  assert.equal((await rg(c, 'GET', `/affiliates/${affiliate.id}`)).body.data.affiliate.clickCount, 2);
  const visits = await c.call('GET', '/api/v1/visits', undefined, { query: { code: 'JOHNDOE100' } });
  assert.ok(visits.body.data.visits.some((v: { referrer: string }) => v.referrer === DOC_TRACK_REQUEST.sourceUrl), JSON.stringify(visits.body));

  assertRefgrowError(await rg(c, 'POST', '/referrals/track', {}), 'invalid_request', 'referralCode');
  assertRefgrowError(await rg(c, 'POST', '/referrals/track', { referralCode: 'NOSUCHCODE' }), 'resource_not_found', 'referralCode');
});

test('POST /referrals/convert: the document\'s request answers its example (commission 20.00 of 99.99), by clickId or referralCode', async () => {
  const { affiliate, conversion } = await converted(c, 200);
  assertShape({ success: true, data: conversion }, DOC_CONVERT);
  assertShape(conversion, DOC_CONVERT.data);
  assert.deepEqual([conversion.affiliateId, conversion.referralCode, conversion.amount, conversion.commission, conversion.orderId],
    [affiliate.id, 'JOHNDOE200', 99.99, 20, 'order_200']);
  const byCode = await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 50, orderId: 'order_201', customer: { email: 'two@example.com' } });
  assert.equal(byCode.status, 200, JSON.stringify(byCode.body));
  assert.deepEqual([byCode.body.data.affiliateId, byCode.body.data.commission, byCode.body.data.amount], [affiliate.id, 10, 50]);
  // Without orderId or customer: recorded all the same.
  const bare = await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 10 });
  assert.equal(bare.status, 200, JSON.stringify(bare.body));
  assert.equal(bare.body.data.orderId, null);
  // The same order again is the same conversion (not a second commission).
  const repeat = await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 50, orderId: 'order_201', customer: { email: 'two@example.com' } });
  assert.equal(repeat.body.data.conversionId, byCode.body.data.conversionId);
  // customer and products are stored with the order.
  const native = await c.call('GET', `/api/v1/conversions/${conversion.conversionId.slice(5)}`);
  assert.equal(native.body.data.conversion.email, 'buyer200@example.com');
  assert.equal(native.body.data.conversion.name, 'Jane Buyer');
  assert.equal(native.body.data.conversion.products[0].name, 'Pro plan');

  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { amount: 5 }), 'invalid_request', 'clickId');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200' }), 'invalid_request', 'amount');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 'lots' }), 'invalid_request', 'amount');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { clickId: 'abc', amount: 5 }), 'invalid_request', 'clickId');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { clickId: `click_${'0'.repeat(32)}`, amount: 5 }), 'resource_not_found', 'clickId');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'NOSUCHCODE', amount: 5 }), 'resource_not_found', 'referralCode');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 5, customer: { email: 'nope' } }), 'invalid_request', 'customer.email');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 5, products: 'x' }), 'invalid_request', 'products');
  assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'JOHNDOE200', amount: 99, orderId: 'order_201' }), 'invalid_request', 'orderId');
});

test('GET /commissions: the example\'s list; affiliateId and status filters, limit and offset; the document\'s own example error', async () => {
  const { affiliate, conversion } = await converted(c, 300);
  const res = await rg(c, 'GET', `/commissions?affiliateId=${affiliate.id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assertShape(res.body.data, DOC_COMMISSION_LIST.data);
  assert.equal(res.body.data.commissions.length, 1);
  const item = res.body.data.commissions[0];
  // conversionId (not in the document) links the commission to /referrals/convert's answer.
  assertShape(item, DOC_COMMISSION_LIST.data.commissions[0]!, ['conversionId']);
  assert.deepEqual([item.affiliateId, item.orderId, item.amount, item.status, item.paidAt, item.conversionAmount, item.conversionId],
    [affiliate.id, 'order_300', 20, 'pending', null, 99.99, conversion.conversionId]);
  assert.equal(res.body.data.total, 1);

  const all = await rg(c, 'GET', '/commissions?limit=1&offset=0');
  assert.deepEqual([all.body.data.limit, all.body.data.offset, all.body.data.commissions.length], [1, 0, 1]);
  assert.ok(all.body.data.total >= 1);
  assert.equal((await rg(c, 'GET', `/commissions?affiliateId=${affiliate.id}&status=approved`)).body.data.total, 0);
  assert.equal((await rg(c, 'GET', `/commissions?affiliateId=${affiliate.id}&status=pending`)).body.data.total, 1);

  const docError = await rg(c, 'GET', '/commissions?affiliateId=123456');
  assertRefgrowError(docError, 'invalid_request', 'affiliateId');
  assert.deepEqual(docError.body, DOC_ERROR);
  assertRefgrowError(await rg(c, 'GET', '/commissions?affiliateId=aff_999999'), 'resource_not_found', 'affiliateId');
  assertRefgrowError(await rg(c, 'GET', '/commissions?status=lost'), 'invalid_request', 'status');
  assertRefgrowError(await rg(c, 'GET', '/commissions?limit=500'), 'invalid_request', 'limit');
});

test('PUT /commissions/:id/status: approved, paid (paidAt), rejected with a reason; the example\'s fields; bad status, id or move refused', async () => {
  const first = await converted(c, 400);
  const id = (await rg(c, 'GET', `/commissions?affiliateId=${first.affiliate.id}`)).body.data.commissions[0].id;
  const approved = await rg(c, 'PUT', `/commissions/${id}/status`, { status: 'approved' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assertShape(approved.body.data, DOC_COMMISSION_UPDATED.data);
  assertShape(approved.body.data.commission, DOC_COMMISSION_UPDATED.data.commission, ['conversionId']);
  assert.deepEqual([approved.body.data.commission.id, approved.body.data.commission.status, approved.body.data.commission.paidAt], [id, 'approved', null]);
  const paid = await rg(c, 'PUT', `/commissions/${id}/status`, { status: 'paid' });
  assert.equal(paid.body.data.commission.status, 'paid');
  assert.match(paid.body.data.commission.paidAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal((await rg(c, 'GET', `/affiliates/${first.affiliate.id}`)).body.data.affiliate.paidEarnings, 20);
  assertRefgrowError(await rg(c, 'PUT', `/commissions/${id}/status`, { status: 'rejected' }), 'invalid_request', 'status');

  const second = await converted(c, 401);
  const id2 = (await rg(c, 'GET', `/commissions?affiliateId=${second.affiliate.id}`)).body.data.commissions[0].id;
  const rejected = await rg(c, 'PUT', `/commissions/${id2}/status`, { status: 'rejected', reason: 'order cancelled' });
  assert.equal(rejected.body.data.commission.status, 'rejected');
  const native = await c.call('GET', `/api/v1/commissions/${id2.slice(5)}`);
  assert.equal(native.body.data.commission.reason, 'order cancelled');

  assertRefgrowError(await rg(c, 'PUT', `/commissions/${id2}/status`, {}), 'invalid_request', 'status');
  assertRefgrowError(await rg(c, 'PUT', `/commissions/${id2}/status`, { status: 'pending' }), 'invalid_request', 'status');
  assertRefgrowError(await rg(c, 'PUT', '/commissions/456789/status', { status: 'approved' }), 'invalid_request', 'id');
  assertRefgrowError(await rg(c, 'PUT', '/commissions/comm_999999/status', { status: 'approved' }), 'resource_not_found', 'id');
});

test('An unknown route of the prefix is resource_not_found in the document\'s body (with or without a key: the key first)', async () => {
  assertRefgrowError(await rg(c, 'GET', '/payouts'), 'resource_not_found', 'path');
  assertRefgrowError(await rg(c, 'DELETE', '/affiliates/aff_1'), 'resource_not_found', 'path');
  assertRefgrowError(await c.request('GET', `${BASE}/payouts`), 'authentication_error');
});

test('permission_denied: clicks on a plan without visits; rate_limit_exceeded past the key\'s budget; server_error for a failure', async () => {
  const starter = await c.addBrand({ plan: 'starter', codes: [['STARTER1', 'Stan Starter', 'stan@example.com']] });
  assertRefgrowError(await rg(c, 'POST', '/referrals/track', { referralCode: 'STARTER1' }, { brand: starter }), 'permission_denied');
  assert.equal((await rg(c, 'GET', '/affiliates/aff_1', undefined, { brand: starter })).status, 404);

  const limited = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, secret_key: { limit: 2, windowMs: 60_000 } } } });
  try {
    assert.equal((await rg(limited, 'GET', '/affiliates')).status, 200);
    assert.equal((await rg(limited, 'GET', '/affiliates')).status, 200);
    const over = await rg(limited, 'GET', '/affiliates');
    assertRefgrowError(over, 'rate_limit_exceeded');
    assert.ok(Number(over.headers.get('retry-after')) > 0);
  } finally {
    await limited.close();
  }

  const broken = await startTestCollector();
  try {
    broken.deps.rq.advocateStats.advocates = async () => { throw new Error('disk on fire'); };
    const failed = await rg(broken, 'GET', '/affiliates');
    assertRefgrowError(failed, 'server_error', null);
    assert.ok(!JSON.stringify(failed.body).includes('disk on fire'));
  } finally {
    await broken.close();
  }
});
