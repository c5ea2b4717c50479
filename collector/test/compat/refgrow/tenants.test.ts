// The Refgrow adapter's tenant matrix (issue 15): brand A's key on brand B's aff_, comm_ and click_ ids (and B's
// referral code) in every route the adapter serves: resource_not_found where B's id is named, A's own answer
// otherwise, nothing of B shown, B unchanged. On both engines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestBrand, type TestCollector } from '../../support/collector.ts';
import { REFGROW_ROUTES, refgrowRoutes } from '../../../src/compat/refgrow/router.ts';
import { assertRefgrowError, rg } from './support.ts';

let c: TestCollector;
let B: TestBrand;
const b = { affiliate: '', click: '', commission: '', code: 'BONLY10', email: 'b.only@example.com' };

before(async () => {
  c = await startTestCollector();
  B = await c.addBrand({ codes: [['BSEED1', 'Bea Seed', 'bea@b.example']] });
  b.affiliate = (await rg(c, 'POST', '/affiliates', { email: b.email, name: 'B Only', referralCode: b.code }, { brand: B })).body.data.affiliate.id;
  b.click = (await rg(c, 'POST', '/referrals/track', { referralCode: b.code }, { brand: B })).body.data.clickId;
  await rg(c, 'POST', '/referrals/convert', { clickId: b.click, amount: 40, orderId: 'b-order-1', customer: { email: 'buyer@b.example' } }, { brand: B });
  b.commission = (await rg(c, 'GET', `/commissions?affiliateId=${b.affiliate}`, undefined, { brand: B })).body.data.commissions[0].id;
  assert.match(b.commission, /^comm_\d+$/);
});
after(() => c.close());

/** Everything B has, read with B's key. */
const stateOfB = async () => ({
  affiliates: (await rg(c, 'GET', '/affiliates?limit=100', undefined, { brand: B })).body.data,
  affiliate: (await rg(c, 'GET', `/affiliates/${b.affiliate}`, undefined, { brand: B })).body.data,
  commissions: (await rg(c, 'GET', '/commissions?limit=100', undefined, { brand: B })).body.data,
  conversions: (await c.call('GET', '/api/v1/conversions', undefined, { brand: B, query: { total: 'true' } })).body.data.total,
  visits: (await c.call('GET', '/api/v1/visits', undefined, { brand: B, query: { total: 'true' } })).body.data.total,
});

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

/** One row per route: A's key with B's ids; each checks its answer. */
const MATRIX: Record<(typeof REFGROW_ROUTES)[number], () => Promise<void>> = {
  'GET /affiliates': async () => {
    const res = await rg(c, 'GET', '/affiliates?limit=100');
    assert.equal(res.status, 200);
    assert.ok(!ids(res.body.data.affiliates).includes(b.affiliate));
    assert.ok(!JSON.stringify(res.body).includes(b.email));
  },
  'GET /affiliates/:id': async () => assertRefgrowError(await rg(c, 'GET', `/affiliates/${b.affiliate}`), 'resource_not_found', 'id'),
  'POST /affiliates': async () => {
    // B's email and code are free in A: A's own affiliate, with an id of its own.
    const res = await rg(c, 'POST', '/affiliates', { email: b.email, name: 'A Namesake', referralCode: b.code });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.notEqual(res.body.data.affiliate.id, b.affiliate);
  },
  'POST /referrals/track': async () => {
    assertRefgrowError(await rg(c, 'POST', '/referrals/track', { referralCode: 'BSEED1' }), 'resource_not_found', 'referralCode');
  },
  'POST /referrals/convert': async () => {
    assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { clickId: b.click, amount: 40, orderId: 'a-order-1' }), 'resource_not_found', 'clickId');
    assertRefgrowError(await rg(c, 'POST', '/referrals/convert', { referralCode: 'BSEED1', amount: 40, orderId: 'a-order-2' }), 'resource_not_found', 'referralCode');
    assert.equal((await c.call('GET', '/api/v1/conversions', undefined, { query: { total: 'true' } })).body.data.total, 0);
  },
  'GET /commissions': async () => {
    assertRefgrowError(await rg(c, 'GET', `/commissions?affiliateId=${b.affiliate}`), 'resource_not_found', 'affiliateId');
    const res = await rg(c, 'GET', '/commissions?limit=100');
    assert.equal(res.status, 200);
    assert.ok(!ids(res.body.data.commissions).includes(b.commission));
    assert.equal(res.body.data.total, 0);
  },
  'PUT /commissions/:id/status': async () => {
    for (const status of ['approved', 'paid', 'rejected']) {
      assertRefgrowError(await rg(c, 'PUT', `/commissions/${b.commission}/status`, { status }), 'resource_not_found', 'id');
    }
  },
};

test('brand A\'s key on brand B\'s ids, in every route: resource_not_found or A\'s own, nothing of B, B unchanged', async () => {
  const before = await stateOfB();
  assert.equal(before.commissions.commissions[0].status, 'pending');
  for (const [route, row] of Object.entries(MATRIX)) {
    await assert.doesNotReject(row(), route);
  }
  assert.deepEqual(await stateOfB(), before);
});

test('the matrix covers every route the adapter serves', () => {
  const served = refgrowRoutes(c.deps).stack.flatMap((layer: any) => (layer.route
    ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route.path}`)
    : []));
  assert.deepEqual([...served].sort(), [...REFGROW_ROUTES].sort());
  assert.deepEqual(Object.keys(MATRIX).sort(), [...REFGROW_ROUTES].sort());
});
