// Reverb adapter (issue 15): the tenant matrix. Brand A's credentials on brand B's uuids (records, advocates, referred
// customers, campaigns, orders, the website) find nothing and write nothing, and B is unchanged; every route the
// adapter serves is in the matrix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reverbRoutes, websiteUuid } from '../../../src/compat/reverb/router.ts';
import { toUuid } from '../../../src/compat/reverb/uuids.ts';
import type { TestBrand, TestCollector } from '../../support/collector.ts';
import { convert } from '../../support/commissions.ts';
import { advocateId } from '../../support/fixtures.ts';
import { assertEnvelope, assertReverbError, DOC_CREATED, reverb, reverbCollector, rewardActions, unreferredOrder } from './support.ts';

const snapshot = async (c: TestCollector, brand: TestBrand) => JSON.stringify([
  (await c.call('GET', '/api/v1/referral-records', undefined, { brand, query: { limit: 100 } })).body.data.referral_records,
  (await c.call('GET', '/api/v1/commissions', undefined, { brand, query: { limit: 100 } })).body.data.commissions,
]);

/** Each route of the adapter, with what brand A tries on brand B's things through it. */
const MATRIX = ['GET /referrals/:uuid', 'POST /referrals'] as const;

test('brand A\'s credentials on brand B\'s uuids: not found, nothing written, B unchanged', async (t) => {
  const { c } = await reverbCollector(t);
  const a = c.brand;
  const bBrand = await c.addBrand({ codes: [['BEE1', 'Bea', 'bea@advocate.example'], ['BEE2', 'Bo', 'bo@advocate.example']] });
  await rewardActions(c, bBrand);
  const B = bBrand.brand_id;
  const bea = await advocateId(c, 'BEE1', bBrand);
  const bo = await advocateId(c, 'BEE2', bBrand);
  // B's things: a tracked record, an entered one with an email-only customer, an unreferred order, its campaign.
  await convert(c, 'B-1', 100, 'BEE1', bBrand);
  const entered = assertEnvelope(await reverb(c, 'POST', '/referrals', { referrer_advocate_uuid: toUuid(B, 'advocate', bea), reward_action_type: 1,
    referred_order_number: 'B-SHOP', referred_customer_email: 'bcust@customer.example', reward_amount: 3 }, { brand: bBrand }), 200, DOC_CREATED.response.message).referral;
  const bOrder = await unreferredOrder(c, 'B-2', 40, bBrand);
  const bRecords = (await c.call('GET', '/api/v1/referral-records', undefined, { brand: bBrand })).body.data.referral_records as Array<{ uuid: string }>;
  assert.equal(bRecords.length, 2);
  const before = await snapshot(c, bBrand);
  const bUuids = {
    record: bRecords.map((r) => r.uuid), advocate: toUuid(B, 'advocate', bea), customer: entered.referred_customer_uuid as string,
    campaign: entered.campaign_uuid as string, order: toUuid(B, 'order', bOrder), website: websiteUuid(B),
  };
  // A has advocates with B's advocates' numbers' neighbours: A's own uuids of those numbers are other things.
  const aSarah = await advocateId(c, 'V2AVMRDJ', a);

  const tried = new Set<string>();
  // GET /referrals/:uuid: B's records, B's advocate, B's referred customer: 404 for A.
  for (const uuid of [...bUuids.record, bUuids.advocate, bUuids.customer, bUuids.campaign, bUuids.order, bUuids.website]) {
    assertReverbError(await reverb(c, 'GET', `/referrals/${uuid}`, undefined, { brand: a }), 404, 'not_found', 'uuid');
    tried.add('GET /referrals/:uuid');
  }
  // POST /referrals: each of B's uuids in its field is no thing of A's (a 400 naming the field), B's numbers too.
  const base = { referrer_advocate_uuid: toUuid(a.brand_id, 'advocate', aSarah), reward_action_type: 1, referred_order_number: 'A-1', referred_customer_email: 'x@customer.example' };
  const posts: Array<[Record<string, unknown>, string]> = [
    [{ ...base, referrer_advocate_uuid: bUuids.advocate }, 'referrer_advocate_uuid'],
    [{ ...base, referrer_advocate_uuid: bo }, 'referrer_advocate_uuid'],
    [{ ...base, campaign_uuid: bUuids.campaign }, 'campaign_uuid'],
    [{ ...base, website_uuid: bUuids.website }, 'website_uuid'],
    [{ ...base, website_uuid: B }, 'website_uuid'],
    [{ ...base, referred_order_number: undefined, referred_order_uuid: bUuids.order }, 'referred_order_uuid'],
    [{ ...base, reward_action_type: 2, referred_customer_email: undefined, referred_order_number: undefined, referred_customer_uuid: bUuids.customer }, 'referred_customer_uuid'],
    [{ ...base, reward_action_type: 2, referred_customer_email: undefined, referred_order_number: undefined, referred_customer_uuid: bUuids.advocate }, 'referred_customer_uuid'],
  ];
  for (const [body, field] of posts) {
    assertReverbError(await reverb(c, 'POST', '/referrals', body, { brand: a }), 400, 'invalid_request', field);
    tried.add('POST /referrals');
  }
  assert.equal(await snapshot(c, bBrand), before, 'B unchanged');
  assert.equal((await c.call('GET', '/api/v1/referral-records', undefined, { brand: a })).body.data.referral_records.length, 0, 'A wrote nothing');
  // B's own credentials still read B's: the matrix's 404s are A's, not a broken uuid.
  for (const uuid of [bUuids.record[0]!, bUuids.advocate, bUuids.customer]) {
    assertEnvelope(await reverb(c, 'GET', `/referrals/${uuid}`, undefined, { brand: bBrand }), 200, /^OK: /);
  }
  assert.deepEqual([...tried].sort(), [...MATRIX].sort());
});

test('every route the adapter serves is in the tenant matrix', async (t) => {
  const { c } = await reverbCollector(t);
  const router = reverbRoutes(c.deps) as unknown as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  const served = router.stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${l.route!.path}`) : []));
  assert.ok(served.length > 0);
  assert.deepEqual(served.sort(), [...MATRIX].sort());
});
