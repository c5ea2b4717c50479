// Reverb adapter (issue 15, 003_*): GET /referrals/<uuid>, one record by its uuid, or a customer's records by the
// customer's uuid (an advocate's: the referrals they made; a referred customer's: those that referred them), with
// the document's fields and formats; and the journey: a purchase entered, read back by its uuid and by its customer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toUuid } from '../../../src/compat/reverb/uuids.ts';
import { convert } from '../../support/commissions.ts';
import { DAY_MS, PATHS, SHOPIFY_CLAIM, SHOPIFY_CONVERSION } from '../../support/fixtures.ts';
import { assertDocReferral, assertEnvelope, assertReverbError, DOC_CREATED, DOC_MULTIPLE, DOC_SINGLE, reverb, reverbCollector, unreferredOrder } from './support.ts';

test('the journey: a purchase entered, read back by its uuid and by its customer (the referrer, and the referred customer)', async (t) => {
  const { c, sarah } = await reverbCollector(t);
  const b = c.brand.brand_id;
  const order = await unreferredOrder(c, 'JOURNEY-1', 80);
  const created = assertEnvelope(await reverb(c, 'POST', '/referrals', {
    referrer_advocate_uuid: toUuid(b, 'advocate', sarah), referred_order_uuid: toUuid(b, 'order', order), reward_action_type: 1, level: 1,
  }), 200, DOC_CREATED.response.message).referral;
  assert.equal(created.reward_earned, '8.00', '10% of 80');
  assert.match(created.referred_customer_uuid, /^[0-9a-f-]{36}$/);

  // By its uuid: the document's single answer, the same record.
  const one = assertEnvelope(await reverb(c, 'GET', `/referrals/${created.uuid}`), 200, DOC_SINGLE.response.message);
  assert.deepEqual(Object.keys(one), Object.keys(DOC_SINGLE.response.data));
  assertDocReferral(one.referral, ['short_code', 'incentive_used', 'incentive_type']);
  assert.deepEqual(one.referral, created);
  assert.deepEqual(assertEnvelope(await reverb(c, 'GET', `/referrals/${created.uuid.toUpperCase()}`), 200, DOC_SINGLE.response.message).referral, created);

  // By its customer: the referrer (an advocate: the referrals they made) and the referred customer (known by email).
  for (const customer of [created.referrer_advocate_uuid, created.referred_customer_uuid]) {
    const list = assertEnvelope(await reverb(c, 'GET', `/referrals/${customer}`), 200, DOC_MULTIPLE.response.message);
    assert.ok(Array.isArray(list.referrals), JSON.stringify(list));
    assert.deepEqual(list.referrals, [created], customer);
    assert.equal(list.has_more, false);
  }
});

test('a tracked referral reads as the document shows one: its code, its incentive, paid as "true" once paid; a customer\'s list is the document\'s, newest first, paged', async (t) => {
  const { c, clock, john } = await reverbCollector(t);
  const b = c.brand.brand_id;
  const first = await convert(c, 'TR-1', 100);
  clock.advance(1000);
  await convert(c, 'TR-2', 50);
  const list = assertEnvelope(await reverb(c, 'GET', `/referrals/${toUuid(b, 'advocate', john)}`), 200, DOC_MULTIPLE.response.message);
  assert.deepEqual(Object.keys(list).slice(0, 1), Object.keys(DOC_MULTIPLE.response.data));
  assert.equal(list.referrals.length, 2);
  for (const r of list.referrals) assertDocReferral(r, ['incentive_used', 'incentive_type']);
  assert.deepEqual(list.referrals.map((r: { reward_earned: string }) => r.reward_earned), ['5.00', '10.00'], 'newest first');
  assert.deepEqual(list.referrals.map((r: { short_code: string }) => r.short_code), ['JOHN123', 'JOHN123']);
  assert.equal(list.referrals[0].referral_date, '2026-04-14T12:00:01+00:00');
  assert.deepEqual(list.referrals.map((r: { reward_payed: string }) => r.reward_payed), ['false', 'false']);
  // Each in the list is the record its own uuid answers; the referred customer's uuid lists theirs.
  for (const r of list.referrals) {
    assert.deepEqual(assertEnvelope(await reverb(c, 'GET', `/referrals/${r.uuid}`), 200, DOC_SINGLE.response.message).referral, r);
    const theirs = assertEnvelope(await reverb(c, 'GET', `/referrals/${r.referred_customer_uuid}`), 200, DOC_MULTIPLE.response.message);
    assert.deepEqual(theirs.referrals, [r]);
  }
  // Each order's uuid is its conversion's: the oldest record is the first conversion's.
  const firstConversion = (await c.call('GET', `/api/v1/commissions/${first}`)).body.data.commission.conversion_id as number;
  assert.equal(list.referrals[1].referred_order_uuid, toUuid(b, 'order', firstConversion));
  assert.equal(list.referrals[0].referred_order_uuid, toUuid(b, 'order', firstConversion + 1));
  // Paged by limit and cursor (the document has none: one page of 100 by default).
  const p1 = assertEnvelope(await reverb(c, 'GET', `/referrals/${toUuid(b, 'advocate', john)}?limit=1`), 200, DOC_MULTIPLE.response.message);
  assert.deepEqual([p1.referrals.length, p1.has_more], [1, true]);
  const p2 = assertEnvelope(await reverb(c, 'GET', `/referrals/${toUuid(b, 'advocate', john)}?limit=1&cursor=${p1.next_cursor}`), 200, DOC_MULTIPLE.response.message);
  assert.deepEqual([...p1.referrals, ...p2.referrals], list.referrals);
  assertReverbError(await reverb(c, 'GET', `/referrals/${toUuid(b, 'advocate', john)}?limit=0`), 400, 'invalid_request', 'limit');
  // Paid: "true".
  clock.advance(31 * DAY_MS);
  assert.equal((await c.call('POST', '/api/v1/payouts', { commission_ids: [first] })).status, 200);
  const paid = (await c.call('GET', `/api/v1/commissions/${first}`)).body.data.commission.referral_record_uuid as string;
  const read = assertEnvelope(await reverb(c, 'GET', `/referrals/${paid}`), 200, DOC_SINGLE.response.message).referral;
  assert.deepEqual([read.reward_payed, read.commission_status], ['true', 'paid']);
});

test('a uuid that is no record and no customer of the brand is a 404 in the envelope; an advocate without records is an empty list', async (t) => {
  const { c, sarah } = await reverbCollector(t);
  const b = c.brand.brand_id;
  for (const uuid of ['XXXX-XXXX-XXXX-XXXX-XXXX', '4f1c9a3e-8b2d-4e6f-9a1b-3c5d7e9f0a2b', toUuid(b, 'advocate', 999), toUuid(b, 'customer', 1),
    toUuid(b, 'campaign', 1), toUuid(b, 'order', 1), 'nope', '%20']) {
    assertReverbError(await reverb(c, 'GET', `/referrals/${uuid}`), 404, 'not_found', 'uuid');
  }
  assertReverbError(await reverb(c, 'GET', '/referrals/%ZZ'), 400, 'invalid_path');
  const none = assertEnvelope(await reverb(c, 'GET', `/referrals/${toUuid(b, 'advocate', sarah)}`), 200, DOC_MULTIPLE.response.message);
  assert.deepEqual(none.referrals, []);
});

test('a referred customer known by email keeps one uuid across their records, tracked and entered, listing them all', async (t) => {
  const { c, clock, sarah } = await reverbCollector(t);
  const b = c.brand.brand_id;
  const tracked = await convert(c, 'SAME-1', 40);
  const trackedUuid = (await c.call('GET', `/api/v1/commissions/${tracked}`)).body.data.commission.referral_record_uuid as string;
  const first = assertEnvelope(await reverb(c, 'GET', `/referrals/${trackedUuid}`), 200, DOC_SINGLE.response.message).referral;
  clock.advance(1000);
  const entered = assertEnvelope(await reverb(c, 'POST', '/referrals', { referrer_advocate_uuid: toUuid(b, 'advocate', sarah), reward_action_type: 1,
    referred_order_number: 'SAME-2', referred_customer_email: 'same-1@customer.example', reward_amount: 1 }), 200, DOC_CREATED.response.message).referral;
  assert.equal(entered.referred_customer_uuid, first.referred_customer_uuid, 'the same customer, the same uuid');
  const theirs = assertEnvelope(await reverb(c, 'GET', `/referrals/${first.referred_customer_uuid}`), 200, DOC_MULTIPLE.response.message);
  assert.deepEqual(theirs.referrals.map((r: { uuid: string }) => r.uuid), [entered.uuid, first.uuid]);
  assert.ok(theirs.referrals.every((r: { referred_customer_uuid: string }) => r.referred_customer_uuid === first.referred_customer_uuid));
  // Another customer is another uuid.
  await convert(c, 'OTHER-1', 40);
  const john = assertEnvelope(await reverb(c, 'GET', `/referrals/${first.referrer_advocate_uuid}`), 200, DOC_MULTIPLE.response.message).referrals;
  assert.equal(new Set(john.map((r: { referred_customer_uuid: string }) => r.referred_customer_uuid)).size, 2);
});

test('a referral that came through a claimed coupon fills every field of the document\'s example, none null', async (t) => {
  const { c, sarah } = await reverbCollector(t);
  const b = c.brand.brand_id;
  assert.equal((await c.post(PATHS.claim, SHOPIFY_CLAIM)).status, 201);
  const conv = await c.post(PATHS.conversion, SHOPIFY_CONVERSION);
  assert.equal(conv.status, 201, JSON.stringify(conv.body));
  const list = assertEnvelope(await reverb(c, 'GET', `/referrals/${toUuid(b, 'advocate', sarah)}`), 200, DOC_MULTIPLE.response.message).referrals;
  assert.equal(list.length, 1);
  const r = list[0];
  assertDocReferral(r);
  assert.deepEqual([r.short_code, r.incentive_used, r.incentive_type, r.reward_type, r.reward_payed, r.level], ['V2AVMRDJ', 'V2AVMRDJ', 'coupon', 'commission', 'false', 1]);
  assert.equal(r.referred_order_uuid, toUuid(b, 'order', conv.body.data.conversion_id));
  assert.equal(r.referred_order_number, 'ORD-12345');
  assert.equal(r.incentive_amount, '5.70');
});
