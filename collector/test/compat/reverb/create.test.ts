// Reverb adapter (issue 15, 003_*): POST /referrals, the document's create example for each reward_action_type, each of
// its fields and rules mapped onto /api/v1/referral-records (the same use case), and each refusal in the envelope.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toUuid } from '../../../src/compat/reverb/uuids.ts';
import { websiteUuid } from '../../../src/compat/reverb/router.ts';
import type { TestCollector } from '../../support/collector.ts';
import { assertDocReferral, assertEnvelope, assertReverbError, docCreateBody, DOC_CREATED, reverb, reverbCollector, unreferredOrder } from './support.ts';

const records = async (c: TestCollector) =>
  (await c.call('GET', '/api/v1/referral-records', undefined, { query: { limit: 100 } })).body.data.referral_records as Array<Record<string, any>>;

const ours = async (c: TestCollector, uuid: string) => {
  const res = await c.call('GET', `/api/v1/referral-records/${uuid}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.referral_record as Record<string, any>;
};

test('the document\'s create example, for each reward_action_type it lists, answers its code and message and enters the record', async (t) => {
  const { c, sarah, john } = await reverbCollector(t);
  const b = c.brand.brand_id;
  const conversion = await unreferredOrder(c, 'RV-1', 50);
  const campaign = (await c.call('GET', '/api/v1/campaigns')).body.data.campaigns[0].id as number;
  const u = { website: websiteUuid(b), campaign: toUuid(b, 'campaign', campaign), referrer: toUuid(b, 'advocate', sarah),
    customer: toUuid(b, 'advocate', john), order: toUuid(b, 'order', conversion) };
  const expected: Record<number, [string, number, number | null]> = { 1: ['5.00', 1, null], 2: ['5.00', 2, null], 3: ['2.00', 3, 2000], 4: ['1.50', 4, 150] };
  for (const type of [1, 2, 3, 4] as const) {
    const res = await reverb(c, 'POST', '/referrals', docCreateBody(u, type));
    const data = assertEnvelope(res, 200, DOC_CREATED.response.message);
    assert.equal(res.body.response.code, DOC_CREATED.response.code);
    const referral = data.referral;
    assertDocReferral(referral, ['short_code', 'incentive_used', 'incentive_type', ...(type === 1 ? [] : ['referred_order_uuid'])]);
    assert.equal(referral.campaign_uuid, u.campaign);
    assert.equal(referral.referrer_advocate_uuid, u.referrer);
    assert.equal(referral.referred_customer_uuid, u.customer);
    assert.equal(referral.referred_order_uuid, type === 1 ? u.order : null, 'only a purchase has an order');
    assert.equal(referral.level, 1);
    assert.deepEqual([referral.reward_earned, referral.reward_action_type, referral.qualified_amount], expected[type]);
    assert.equal(referral.reward_type, 'commission');
    assert.equal(referral.reward_payed, 'false');
    assert.equal(referral.referral_date, '2026-04-14T12:00:00+00:00');
    assert.equal(referral.status, 1);
    if (type !== 1) assert.ok(data.warnings.some((w: string) => w.includes('referred_order_uuid')), JSON.stringify(data));
    // The same record in /api/v1: the same use case wrote it.
    const r = await ours(c, referral.uuid);
    assert.equal(r.referrer_advocate_id, sarah);
    assert.equal(r.reward_action_type, type);
    assert.equal(r.referred_customer.advocate_id, john);
    assert.equal(r.order?.conversion_id ?? null, type === 1 ? conversion : null);
    assert.equal(r.reward_earned.toFixed(2), referral.reward_earned);
    assert.equal(r.entered, true);
  }
  assert.equal((await records(c)).length, 4);
});

test('each optional field of the create does what the document says', async (t) => {
  const { c, sarah, tess } = await reverbCollector(t);
  const b = c.brand.brand_id;
  const referrer = toUuid(b, 'advocate', sarah);
  const created = async (body: Record<string, unknown>, raw?: string) => {
    const res = await reverb(c, 'POST', '/referrals', body, raw === undefined ? {} : { raw });
    return assertEnvelope(res, 200, DOC_CREATED.response.message);
  };
  // reward_amount and incentive_amount are dollars; share_code is the code; cooling_period_end as YYYY-MM-DD HH:MM:SS.
  const a = await created({ referrer_advocate_uuid: referrer, reward_action_type: 1, referred_order_number: 'SHOP-1', referred_customer_email: 'ann@customer.example',
    reward_amount: '7.5', incentive_amount: 2, share_code: 'COUPON20', cooling_period_end: '2026-05-01 10:00:00', referred_level: 1 });
  assert.equal(a.referral.reward_earned, '7.50');
  assert.equal(a.referral.incentive_amount, '2.00');
  assert.equal(a.referral.short_code, 'COUPON20');
  assert.equal(a.referral.incentive_used, 'COUPON20');
  assert.equal(a.referral.cooling_period_end, '2026-05-01 10:00:00');
  assert.equal(a.referral.referred_order_number, 'SHOP-1');
  assert.equal(a.referral.referred_order_uuid, null, 'an order known only by its number has no uuid');
  assert.match(a.referral.referred_customer_uuid, /^[0-9a-f-]{36}$/, 'a customer known by email has one');
  const ra = await ours(c, a.referral.uuid);
  assert.equal(ra.cooling_period_end, '2026-05-01T10:00:00.000Z');
  assert.equal(ra.order.order_id, 'SHOP-1');
  assert.equal(ra.referred_customer.email, 'ann@customer.example');
  // level 2; is_qualified_for_reward 0: the commission is rejected at once; is_qualified_for_incentive 0: no incentive.
  const l2 = await created({ referrer_advocate_uuid: referrer, reward_action_type: 1, referred_order_number: 'SHOP-1', referred_customer_email: 'ann@customer.example',
    level: 2, reward_amount: 1, is_qualified_for_reward: 0, is_qualified_for_incentive: '0' });
  assert.equal(l2.referral.level, 2);
  assert.equal(l2.referral.commission_status, 'rejected');
  assert.equal(l2.referral.status, 0);
  assert.equal(l2.referral.incentive_amount, null);
  // status 0 (inactive): recorded, earning nothing; status 1: active. A form body (a=1&b=2) is read as well.
  const off = await created({}, `referrer_advocate_uuid=${referrer}&reward_action_type=3&qualified_amount=2000&status=0`);
  assert.deepEqual([off.referral.status, off.referral.commission_status, off.referral.qualified_amount], [0, 'rejected', 2000]);
  const on = await created({ referrer_advocate_uuid: referrer, reward_action_type: '4', qualified_amount: 150, status: 1, is_qualified_for_reward: 1 });
  assert.deepEqual([on.referral.status, on.referral.commission_status], [1, 'pending']);
  // The referred customer by a uuid answered before (a customer known by email): the same person.
  const again = await created({ referrer_advocate_uuid: toUuid(b, 'advocate', tess), reward_action_type: 2, referred_customer_uuid: a.referral.referred_customer_uuid });
  assert.equal((await ours(c, again.referral.uuid)).referred_customer.email, 'ann@customer.example');
  // Referloop's own ids stand for UUIDs too; the fields Referloop keeps itself are taken and said ignored; JSON typed as JSON is read.
  const res = await reverb(c, 'POST', '/referrals', { referrer_advocate_uuid: sarah, reward_action_type: 3, qualified_amount: 4000, number_of_referrals: 3,
    transaction_uuid: 'XXXX', payment_status: 1, referrer_offer_uuid: 'X', referred_offer_uuid: 'Y', referrer_order_uuid: 'Z', referred_through: 'email', colour: 'red' },
  { headers: { 'Content-Type': 'application/json' } });
  const d = assertEnvelope(res, 200, DOC_CREATED.response.message);
  assert.equal(d.referral.referrer_advocate_uuid, referrer);
  for (const f of ['number_of_referrals', 'transaction_uuid', 'payment_status', 'referrer_offer_uuid', 'referred_offer_uuid', 'referrer_order_uuid', 'referred_through', 'colour']) {
    assert.ok(d.warnings.some((w: string) => w.includes(`"${f}"`)), `${f}: ${JSON.stringify(d.warnings)}`);
  }
});

test('each rule of the create is a 400 in the envelope naming the document\'s field, and nothing is written', async (t) => {
  const { c, sarah, john } = await reverbCollector(t);
  const b = c.brand.brand_id;
  const referrer = toUuid(b, 'advocate', sarah);
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ reward_action_type: 2, referred_customer_uuid: toUuid(b, 'advocate', john) }, 'referrer_advocate_uuid'],
    [{ referrer_advocate_uuid: referrer }, 'reward_action_type'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 5 }, 'reward_action_type'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 1, referred_customer_email: 'x@customer.example' }, 'referred_order_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 2 }, 'referred_customer_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3 }, 'qualified_amount'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 4, qualified_amount: 0 }, 'qualified_amount'],
    [{ referrer_advocate_uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX', reward_action_type: 3, qualified_amount: 1 }, 'referrer_advocate_uuid'],
    [{ referrer_advocate_uuid: toUuid(b, 'advocate', 999), reward_action_type: 3, qualified_amount: 1 }, 'referrer_advocate_uuid'],
    [{ referrer_advocate_uuid: toUuid(b, 'campaign', sarah), reward_action_type: 3, qualified_amount: 1 }, 'referrer_advocate_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, website_uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX' }, 'website_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, campaign_uuid: toUuid(b, 'campaign', 999) }, 'campaign_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 1, referred_order_uuid: toUuid(b, 'order', 999) }, 'referred_order_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 2, referred_customer_uuid: toUuid(b, 'customer', 999) }, 'referred_customer_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 2, referred_customer_uuid: toUuid(b, 'advocate', sarah) }, 'referred_customer_uuid'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, cooling_period_end: '01/05/2026' }, 'cooling_period_end'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, cooling_period_end: '2026-02-30 10:00:00' }, 'cooling_period_end'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, is_qualified_for_reward: 2 }, 'is_qualified_for_reward'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, is_qualified_for_incentive: 'yes' }, 'is_qualified_for_incentive'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, status: 2 }, 'status'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, level: 3 }, 'level'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, reward_amount: 'lots' }, 'reward_amount'],
    [{ referrer_advocate_uuid: referrer, reward_action_type: 3, qualified_amount: 1, incentive_amount: -1 }, 'incentive_amount'],
  ];
  for (const [body, field] of cases) {
    const data = assertReverbError(await reverb(c, 'POST', '/referrals', body), 400, 'invalid_request', field);
    assert.doesNotMatch(JSON.stringify(data), /\b(referrer_advocate_id|conversion_id|referred_advocate_id|campaign_id)\b/, 'the document\'s names only');
  }
  // A blocked referrer earns nothing, as on the tracked paths.
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' })).status, 200);
  assertReverbError(await reverb(c, 'POST', '/referrals', { referrer_advocate_uuid: toUuid(b, 'advocate', john), reward_action_type: 3, qualified_amount: 1 }),
    400, 'invalid_request', 'referrer_advocate_uuid');
  assert.equal((await records(c)).length, 0, 'nothing written');
  // One record per order and level: the second is a 409 naming the order.
  const order = toUuid(b, 'order', await unreferredOrder(c, 'RV-9', 20));
  const body = { referrer_advocate_uuid: referrer, reward_action_type: 1, referred_order_uuid: order };
  assertEnvelope(await reverb(c, 'POST', '/referrals', body), 200, DOC_CREATED.response.message);
  assertReverbError(await reverb(c, 'POST', '/referrals', body), 409, 'record_exists', 'referred_order_uuid');
  assert.equal((await records(c)).length, 1);
});
