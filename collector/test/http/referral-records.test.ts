// Referral records (issue 12, 003_*): every commission is exactly one record, and the records say what the commissions
// do (amounts, statuses, paid flags) through approvals, payouts, refunds and clawbacks; the list's filters and paging;
// an entered record's rules (003_*'s create: each missing field a 400 naming it) and the commission it earns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockedCollector, convert } from '../support/commissions.ts';
import type { TestCollector } from '../support/collector.ts';
import { advocateId, assertError, DAY_MS, PATHS } from '../support/fixtures.ts';

const API = '/api/v1';

async function every<T>(c: TestCollector, path: string, name: string, query: Record<string, string> = {}): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const res = await c.call('GET', `${API}/${path}`, undefined, { query: { ...query, limit: '3', ...(cursor ? { cursor } : {}) } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    all.push(...res.body.data[name]);
    cursor = res.body.data.next_cursor;
  } while (cursor);
  return all;
}

interface Commission { id: number; referral_record_uuid: string; amount: number; status: string; level: number; reward_action_type: number;
  campaign_id: number; advocate_id: number; conversion_id: number | null; order_id: string | null; available_at: string; kind: string }
interface RecordView { id: number; uuid: string; reward_earned: number; status: string; reward_paid: boolean; level: number;
  reward_action_type: number; campaign_id: number; referrer_advocate_id: number; order: { conversion_id: number | null; order_id: string | null } | null;
  cooling_period_end: string; commission_id: number; reward_type: string; referred_customer: { email: string | null; advocate_id: number | null } | null;
  incentive_used: string | null; incentive_type: string | null; incentive_amount: number | null; entered: boolean }

/** Each commission has one record, and each record one commission, saying the same. */
async function assertReconciled(c: TestCollector): Promise<RecordView[]> {
  const commissions = await every<Commission>(c, 'commissions', 'commissions');
  const records = await every<RecordView>(c, 'referral-records', 'referral_records');
  assert.equal(records.length, commissions.length);
  assert.equal(new Set(records.map((r) => r.uuid)).size, records.length, 'one uuid each');
  const byId = new Map(records.map((r) => [r.commission_id, r]));
  for (const m of commissions) {
    const r = byId.get(m.id);
    assert.ok(r, `commission ${m.id} has a record`);
    assert.equal(r.uuid, m.referral_record_uuid);
    assert.equal(r.reward_earned, m.amount, `commission ${m.id}'s amount`);
    assert.equal(r.status, m.status);
    assert.equal(r.reward_paid, m.status === 'paid');
    assert.equal(r.level, m.level);
    assert.equal(r.reward_action_type, m.reward_action_type);
    assert.equal(r.campaign_id, m.campaign_id);
    assert.equal(r.referrer_advocate_id, m.advocate_id);
    assert.equal(r.cooling_period_end, m.available_at, `commission ${m.id}: ${JSON.stringify(r)} ${JSON.stringify(m)}`);
    assert.equal(r.reward_type, m.kind === 'cash' ? 'commission' : 'points');
    assert.deepEqual(r.order?.conversion_id ?? null, m.conversion_id);
  }
  return records;
}

test('every commission is one referral record, reconciled through approval, payout, refunds and a clawback', async (t) => {
  const { c, clock } = await clockedCollector(t);
  assert.equal((await c.call('PATCH', `${API}/settings`, { level2_reward_type: 'fixed', level2_reward_value: 2 })).status, 200);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const john = await advocateId(c, 'JOHN123');
  assert.equal((await c.call('PATCH', `${API}/advocates/${john}`, { referred_by: sarah })).status, 200);
  const paid = await convert(c, 'REC-1', 100);
  const refunded = await convert(c, 'REC-2', 80);
  await convert(c, 'REC-3', 60, 'TESTCODE');
  await assertReconciled(c);

  clock.advance(31 * DAY_MS);
  const payout = await c.call('POST', `${API}/payouts`, { commission_ids: [paid] });
  assert.equal(payout.status, 200, JSON.stringify(payout.body));
  // A partial refund lowers an approved commission; a full refund of the paid one is a clawback.
  assert.equal((await c.post(PATHS.refund, { order_id: 'REC-2', refund_amount: 40, is_full_refund: false })).status, 200);
  assert.equal((await c.post(PATHS.refund, { order_id: 'REC-1', refund_amount: 100, is_full_refund: true })).status, 200);
  const records = await assertReconciled(c);
  const ofPaid = records.find((r) => r.commission_id === paid)!;
  assert.equal(ofPaid.reward_paid, true);
  assert.equal(ofPaid.status, 'paid');
  assert.equal(records.find((r) => r.commission_id === refunded)!.reward_earned, 4, 'half of 8 after half refunded');
  // A tracked purchase's record: the order, the customer, level 2 beside level 1.
  const level2 = records.filter((r) => r.level === 2);
  assert.equal(level2.length, 2, "John's two orders earn Sarah level 2");
  assert.ok(level2.every((r) => r.referrer_advocate_id === sarah));
  // 2 each when earned; the refunds took half of one back and reversed the other (unpaid, refunded in full).
  assert.deepEqual(level2.map((r) => [r.reward_earned, r.status]).sort(), [[0, 'reversed'], [1, 'approved']]);
  assert.deepEqual(ofPaid.order, { conversion_id: ofPaid.order!.conversion_id, order_id: 'REC-1' });
  assert.deepEqual(ofPaid.referred_customer, { email: 'rec-1@customer.example', advocate_id: null });
});

test('the list filters by advocate, customer email, campaign, action, status and dates, and pages by cursor', async (t) => {
  const { c, clock } = await clockedCollector(t);
  const p = (await c.call('POST', `${API}/campaigns`, { name: 'Partners', enrolment_reward_type: 'fixed', enrolment_reward_value: 1 })).body.data.campaign;
  const tess = await advocateId(c, 'TESTCODE');
  assert.equal((await c.call('PATCH', `${API}/advocates/${tess}`, { campaign_id: p.id })).status, 200);
  await convert(c, 'F-1', 10);
  await convert(c, 'F-2', 20, 'TESTCODE');
  clock.advance(DAY_MS);
  const from = clock.now().toISOString();
  assert.equal((await c.call('POST', `${API}/advocates`, { email: 'f-1@customer.example', name: 'Was A Customer', referred_by: tess })).status, 201);
  const list = (query: Record<string, string>) => every<RecordView>(c, 'referral-records', 'referral_records', query);

  assert.deepEqual((await list({ advocate_id: String(tess) })).map((r) => r.reward_action_type), [2, 1]);
  assert.deepEqual((await list({ campaign_id: String(p.id) })).length, 2);
  assert.deepEqual((await list({ reward_action_type: '2' })).map((r) => r.referrer_advocate_id), [tess]);
  assert.deepEqual((await list({ from })).map((r) => r.reward_action_type), [2]);
  assert.equal((await list({ status: 'paid' })).length, 0);
  // One customer's records: the order they were referred for, and their enrolment as an advocate.
  const hers = await list({ customer_email: 'F-1@Customer.Example' });
  assert.deepEqual(hers.map((r) => r.reward_action_type), [2, 1]);
  assert.ok(hers.every((r) => r.referred_customer?.email === 'f-1@customer.example' && r.referred_customer.advocate_id !== null));
  assertError(await c.call('GET', `${API}/referral-records`, undefined, { query: { reward_action_type: '5' } }), 400, 'invalid_request', 'reward_action_type');
  assertError(await c.call('GET', `${API}/referral-records/4f1c9a3e-8b2d-4e6f-9a1b-3c5d7e9f0a2b`), 404, 'not_found');
  assertError(await c.call('GET', `${API}/referral-records/not-a-uuid`), 404, 'not_found');
});

test("an entered record follows 003_*'s rules: each missing field is a 400 naming it, and nothing is written", async (t) => {
  const { c } = await clockedCollector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const post = (body: Record<string, unknown>) => c.call('POST', `${API}/referral-records`, body);
  assertError(await post({ reward_action_type: 2, referred_customer_email: 'a@b.example' }), 400, 'invalid_request', 'referrer_advocate_id');
  assertError(await post({ referrer_advocate_id: sarah }), 400, 'invalid_request', 'reward_action_type');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 1, referred_customer_email: 'a@b.example' }), 400, 'invalid_request', 'conversion_id');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 1, order_id: 'ELSE-1' }), 400, 'invalid_request', 'referred_customer_email');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 2 }), 400, 'invalid_request', 'referred_advocate_id');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 3 }), 400, 'invalid_request', 'qualified_amount');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 4 }), 400, 'invalid_request', 'qualified_amount');
  assertError(await post({ referrer_advocate_id: 999, reward_action_type: 3, qualified_amount: 5, reward_amount: 1 }), 400, 'invalid_request', 'referrer_advocate_id');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 1, conversion_id: 999 }), 400, 'invalid_request', 'conversion_id');
  // The default campaign has no clicks reward, and a percentage needs an order value: the amount must be given.
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 3, qualified_amount: 100 }), 400, 'invalid_request', 'reward_amount');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 1, order_id: 'ELSE-1', referred_customer_email: 'a@b.example' }),
    400, 'invalid_request', 'reward_amount');
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 2, referred_customer_email: 'a@b.example', cooling_period_end: 'soon' }),
    400, 'invalid_request', 'cooling_period_end');
  assert.equal((await c.call('GET', `${API}/referral-records`)).body.data.referral_records.length, 0, 'nothing written');
});

test('an entered record earns its commission: by the amount given or the campaign\'s rule, qualified or not, once per order', async (t) => {
  const { c } = await clockedCollector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const post = (body: Record<string, unknown>) => c.call('POST', `${API}/referral-records`, body);
  // An order made elsewhere, with 003_*'s names: referred_order_number, referred_level; the amount and the end of cooling given.
  const elsewhere = await c.call('POST', `${API}/referral-records`, { referrer_advocate_id: sarah, reward_action_type: 1, referred_order_number: 'POS-77',
    referred_level: 1, referred_customer_email: 'walkin@example.com', reward_amount: '7.50', incentive_amount: 5, share_code: 'V2AVMRDJ',
    cooling_period_end: '2026-05-01 00:00:00' }, { headers: { 'Idempotency-Key': 'enter-pos-77' } });
  assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere.body));
  const r = elsewhere.body.data.referral_record as RecordView;
  assert.equal(r.entered, true);
  assert.deepEqual(r.order, { conversion_id: null, order_id: 'POS-77' });
  assert.deepEqual(r.referred_customer, { email: 'walkin@example.com', advocate_id: null });
  assert.equal(r.reward_earned, 7.5);
  assert.equal(r.cooling_period_end, '2026-05-01T00:00:00.000Z');
  assert.deepEqual([r.incentive_used, r.incentive_type, r.incentive_amount], ['V2AVMRDJ', 'code', 5]);
  const commission = (await c.call('GET', `${API}/commissions/${r.commission_id}`)).body.data.commission;
  assert.equal(commission.status, 'pending');
  assert.equal(commission.order_id, 'POS-77');
  assert.equal(commission.conversion_id, null);

  // A tracked conversion without a referral, attached by its order id: the campaign's 10 % of its value.
  assert.equal((await c.post(PATHS.conversion, { customer_email: 'direct@example.com', order_id: 'DIRECT-1', order_value: 120 })).status, 201);
  const attached = await post({ referrer_advocate_id: sarah, reward_action_type: 1, order_id: 'DIRECT-1' });
  assert.equal(attached.status, 201, JSON.stringify(attached.body));
  assert.equal(attached.body.data.referral_record.reward_earned, 12);
  assert.equal(attached.body.data.referral_record.order.conversion_id !== null, true);
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 1, order_id: 'DIRECT-1' }), 409, 'record_exists', 'conversion_id');

  // Not qualified for the reward: recorded, and its commission rejected at once.
  const unqualified = await post({ referrer_advocate_id: sarah, reward_action_type: 3, qualified_amount: 500, reward_amount: 3, is_qualified_for_reward: 0 });
  assert.equal(unqualified.status, 201);
  assert.equal(unqualified.body.data.referral_record.status, 'rejected');

  // A uuid from elsewhere is kept, and taken once.
  const uuid = '0e7b6b0c-2d5f-4a8e-bb1d-9f3c2a1e4d5c';
  const kept = await post({ uuid, referrer_advocate_id: sarah, reward_action_type: 2, referred_customer_email: 'x@y.example', reward_amount: 1 });
  assert.equal(kept.body.data.referral_record.uuid, uuid);
  assertError(await post({ uuid, referrer_advocate_id: sarah, reward_action_type: 2, referred_customer_email: 'z@y.example', reward_amount: 1 }), 409, 'record_exists', 'uuid');
  await assertReconciled(c);

  // The walk-in customer's data holds the record; erasing them empties its email, the record and its commission stay.
  const person = (await c.call('GET', `${API}/people`, undefined, { query: { email: 'walkin@example.com' } })).body.data.person;
  assert.deepEqual(person.customer.referral_records.map((x: { uuid: string }) => x.uuid), [r.uuid]);
  const erased = await c.call('DELETE', `${API}/people`, { email: 'walkin@example.com' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal(erased.body.data.erasure.counts.referral_records, 1);
  assert.equal(erased.body.data.erasure.counts.idempotency_answers, 1, 'the stored answer of the entry that named them');
  assert.equal((await c.call('GET', `${API}/referral-records/${r.uuid}`)).body.data.referral_record.referred_customer, null);
});

test('an entered record and the tracked referral it describes earn once: the conversion or the advocate recorded later takes it over', async (t) => {
  const { c } = await clockedCollector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const post = (body: Record<string, unknown>) => c.call('POST', `${API}/referral-records`, body);
  // An order entered before the shop's tracking reports it: entered twice is one record.
  const entered = await post({ referrer_advocate_id: sarah, reward_action_type: 1, order_id: 'LATE-1', referred_customer_email: 'late@example.com', reward_amount: 6 });
  assert.equal(entered.status, 201, JSON.stringify(entered.body));
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 1, order_id: 'LATE-1', referred_customer_email: 'late@example.com', reward_amount: 6 }),
    409, 'record_exists', 'order_id');
  // Then tracked, through Sarah's code: the entered record is the conversion's level 1, not a second commission.
  const tracked = await c.post(PATHS.conversion, { customer_email: 'late@example.com', order_id: 'LATE-1', order_value: 100, referral_code: 'V2AVMRDJ' });
  assert.equal(tracked.status, 201, JSON.stringify(tracked.body));
  assert.deepEqual(tracked.body.data.rewards.map((r: { id: number; amount: number }) => [r.id, r.amount]), [[entered.body.data.referral_record.commission_id, 6]]);
  const record = (await c.call('GET', `${API}/referral-records/${entered.body.data.referral_record.uuid}`)).body.data.referral_record;
  assert.deepEqual(record.order, { conversion_id: tracked.body.data.conversion_id, order_id: 'LATE-1' });

  // An enrolment entered by email: once; the advocate of that email created later with referred_by earns nothing more.
  const p = (await c.call('POST', `${API}/campaigns`, { name: 'Enrol', enrolment_reward_type: 'fixed', enrolment_reward_value: 4 })).body.data.campaign;
  assert.equal((await c.call('PATCH', `${API}/advocates/${sarah}`, { campaign_id: p.id })).status, 200);
  assert.equal((await post({ referrer_advocate_id: sarah, reward_action_type: 2, referred_customer_email: 'soon@advocate.example' })).status, 201);
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 2, referred_customer_email: 'soon@advocate.example' }), 409, 'record_exists',
    'referred_customer_email');
  const soon = await c.call('POST', `${API}/advocates`, { email: 'soon@advocate.example', name: 'Soon', referred_by: sarah });
  assert.equal(soon.status, 201);
  const enrolments = (await c.call('GET', `${API}/referral-records`, undefined, { query: { reward_action_type: '2' } })).body.data.referral_records;
  assert.equal(enrolments.length, 1);
  assert.deepEqual(enrolments[0].referred_customer, { email: 'soon@advocate.example', advocate_id: soon.body.data.advocate.id });
  // An advocate of the brand named by email is that advocate: entering the enrolment again is a 409 naming them.
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 2, referred_customer_email: 'soon@advocate.example' }), 409, 'record_exists',
    'referred_advocate_id');
  // A blocked referrer earns nothing entered either.
  assert.equal((await c.call('PATCH', `${API}/advocates/${sarah}`, { status: 'blocked' })).status, 200);
  assertError(await post({ referrer_advocate_id: sarah, reward_action_type: 3, qualified_amount: 10, reward_amount: 1 }), 400, 'invalid_request', 'referrer_advocate_id');
  await assertReconciled(c);
});
