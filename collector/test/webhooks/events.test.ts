// The webhook events (issue 11): each API call that changes something writes its event to the outbox in the same job,
// one delivery per receiving endpoint, with the body {"type","timestamp","data"} and as data the object exactly as the
// API answers it when asked right after; a request that fails writes none; visit.created only where it is named; never
// another brand's endpoint, a disabled one, or any row when no endpoint receives the type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import {
  CONVERT_WEBHOOK, DAY_MS, PATHS, SHOPIFY_VISIT, ZAPIER_CLAIM, advocateId, assertError, count, postSigned, publishableHeaders, rows, testClock,
} from '../support/fixtures.ts';
import { signedIn } from '../support/dashboard.ts';
import { everyEvent, expandQueued, insertEndpoint, storedEvents, subscribeEndpoint, type StoredEvent } from '../support/webhookFixtures.ts';
import { expandInJob } from '../../src/webhooks/outbox.ts';
import { cliDatabase } from '../support/processes.ts';
import { createQueries } from '../../src/db/queries.ts';
import { getAdvocate } from '../../src/services/advocates.ts';
import { sampleEvent } from '../../src/webhooks/samples.ts';
import { EVENT_TYPES } from '../../src/webhooks/events.ts';
import { ERASED_REJECT_REASON } from '../../src/services/people.ts';

const COOLING = 31 * DAY_MS;

/** Every event written after `seen` rows (the rows before it are an earlier step's). */
async function newEvents(c: TestCollector, seen: StoredEvent[], endpointId?: number): Promise<StoredEvent[]> {
  const last = seen.at(-1)?.id ?? 0;
  return (await storedEvents(c, endpointId === undefined ? {} : { endpointId })).filter((e) => e.id > last);
}

/** The events of one step, of one endpoint: their types in order; each body as the spec says, of this brand. */
function typesOf(events: StoredEvent[], brandId: string): string[] {
  for (const e of events) {
    assert.deepEqual(Object.keys(e.body), ['type', 'timestamp', 'data'], 'the body is {"type","timestamp","data"}');
    assert.equal(e.body.type, e.type);
    assert.ok((EVENT_TYPES as readonly string[]).includes(e.type), e.type);
    assert.match(e.eventId, /^msg_[0-9a-f]{32}$/);
    assert.equal(new Date(e.body.timestamp).toISOString(), e.body.timestamp);
    assert.equal(e.brandId, brandId);
  }
  return events.map((e) => e.type);
}

const ok = (res: { status: number; body: any }, status = 200) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body.data;
};

/** GET /commissions/:id without its history: the commission events' data. */
async function commissionNow(c: TestCollector, id: number) {
  const { history: _history, ...commission } = ok(await c.call('GET', `/api/v1/commissions/${id}`)).commission;
  return commission;
}
const conversionNow = async (c: TestCollector, id: number) => ok(await c.call('GET', `/api/v1/conversions/${id}`)).conversion;

test('advocates, their codes and points: advocate.created, referral_code.created, advocate.updated, points.transaction.created as GET answers them; a refused request writes none', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const ep = await subscribeEndpoint(c, ['*']);
  const brandId = c.brand.brand_id;

  const created = ok(await c.call('POST', '/api/v1/advocates', { email: 'ava@advocate.example', name: 'Ava Stone', referral_code: 'ava10', tier: 'silver' }), 201).advocate;
  let seen: StoredEvent[] = [];
  let step = await newEvents(c, seen);
  assert.deepEqual(typesOf(step, brandId), ['advocate.created', 'referral_code.created']);
  assert.ok(step.every((e) => e.endpointId === ep.id));
  const advocate = ok(await c.call('GET', `/api/v1/advocates/${created.id}`)).advocate;
  assert.deepEqual(step[0]!.body.data, advocate);
  assert.deepEqual(step[0]!.body.data, created);
  assert.equal(step[0]!.body.data.referral_code, 'AVA10');
  assert.deepEqual(step[1]!.body.data, ok(await c.call('GET', '/api/v1/referrals/AVA10')).referral);
  assert.equal(step[1]!.body.data.advocate_id, created.id);
  assert.notEqual(step[0]!.eventId, step[1]!.eventId, 'each event its own webhook-id');
  seen = await storedEvents(c);

  const patched = ok(await c.call('PATCH', `/api/v1/advocates/${created.id}`, { tier: 'gold', payment_method: 'paypal', payment_details: 'ava@pay.example' })).advocate;
  step = await newEvents(c, seen);
  assert.deepEqual(typesOf(step, brandId), ['advocate.updated']);
  assert.deepEqual(step[0]!.body.data, ok(await c.call('GET', `/api/v1/advocates/${created.id}`)).advocate);
  assert.deepEqual([step[0]!.body.data, step[0]!.body.data.tier], [patched, 'gold']);
  seen = await storedEvents(c);

  const code = ok(await c.call('POST', `/api/v1/advocates/${created.id}/codes`, { code: 'AVA20' }), 201).referral;
  step = await newEvents(c, seen);
  assert.deepEqual(typesOf(step, brandId), ['referral_code.created']);
  assert.deepEqual(step[0]!.body.data, ok(await c.call('GET', '/api/v1/referrals/AVA20')).referral);
  assert.deepEqual(step[0]!.body.data, code);
  seen = await storedEvents(c);

  const points = ok(await c.call('POST', `/api/v1/advocates/${created.id}/points`, { amount: 50, description: 'Review bonus' }));
  step = await newEvents(c, seen);
  assert.deepEqual(typesOf(step, brandId), ['points.transaction.created']);
  const ledger = ok(await c.call('GET', `/api/v1/advocates/${created.id}/points`));
  assert.deepEqual(step[0]!.body.data, ledger.transactions[0]);
  assert.deepEqual(step[0]!.body.data, points.transaction);
  assert.deepEqual([step[0]!.body.data.amount, step[0]!.body.data.balance_after, step[0]!.body.data.type], [50, 50, 'award']);
  seen = await storedEvents(c);

  // Refused: an email or a code already used, a referrer loop, an award below zero, an unknown advocate. No event.
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'ava@advocate.example', name: 'Ava Again' }), 409, 'advocate_exists', 'email');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'other@advocate.example', name: 'Other', referral_code: 'AVA20' }), 409, 'code_taken');
  assertError(await c.call('PATCH', `/api/v1/advocates/${created.id}`, { referred_by: created.id }), 400, 'invalid_request', 'referred_by');
  assertError(await c.call('POST', `/api/v1/advocates/${created.id}/points`, { amount: -5, type: 'award' }), 400, 'invalid_request', 'amount');
  assertError(await c.call('POST', `/api/v1/advocates/${created.id}/points`, { amount: -500 }), 400, 'insufficient_points');
  assertError(await c.call('POST', `/api/v1/advocates/${created.id}/codes`, { code: 'AVA10' }), 409, 'code_taken');
  assert.equal((await c.call('PATCH', '/api/v1/advocates/99999', { tier: 'gold' })).status, 404);
  assert.deepEqual(await newEvents(c, seen), [], 'a refused request writes no delivery');
});

test('visits, claims and the signed /convert claim: visit.created only where it is named, claim.created as GET /claims/:id answers it', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  const all = await subscribeEndpoint(c, ['*']);
  const visits = await subscribeEndpoint(c, ['visit.created']);

  const visit = ok(await c.post(PATHS.visit, { ...SHOPIFY_VISIT, utm_source: 'newsletter', referrer: 'https://mail.example/' }, { headers: publishableHeaders(c.brand) }));
  assert.deepEqual(await storedEvents(c, { endpointId: all.id }), [], "'*' does not include visit.created");
  const step = await storedEvents(c, { endpointId: visits.id });
  assert.deepEqual(typesOf(step, brandId), ['visit.created']);
  const listed = ok(await c.call('GET', '/api/v1/visits')).visits;
  assert.equal(listed.length, 1);
  assert.deepEqual(step[0]!.body.data, listed[0]);
  assert.deepEqual([step[0]!.body.data.visitor_id, step[0]!.body.data.code, step[0]!.body.data.utm_source], [visit.visitor_id, 'V2AVMRDJ', 'newsletter']);

  let seen = await storedEvents(c);
  const claim = ok(await c.post(PATHS.claim, { ...ZAPIER_CLAIM, visitor_id: visit.visitor_id }, { headers: publishableHeaders(c.brand) }), 201);
  let fresh = await newEvents(c, seen);
  assert.deepEqual(typesOf(fresh, brandId), ['claim.created']);
  assert.equal(fresh[0]!.endpointId, all.id, 'the visits-only endpoint gets no claim');
  assert.deepEqual(fresh[0]!.body.data, ok(await c.call('GET', `/api/v1/claims/${claim.id}`)).claim);
  assert.deepEqual([fresh[0]!.body.data.id, fresh[0]!.body.data.email, fresh[0]!.body.data.source], [claim.id, 'newuser@example.com', 'api']);
  seen = await storedEvents(c);

  const converted = await postSigned(c, CONVERT_WEBHOOK);
  assert.ok(converted.status === 200 || converted.status === 201, JSON.stringify(converted.body));
  fresh = await newEvents(c, seen);
  assert.deepEqual(typesOf(fresh, brandId), ['claim.created']);
  const claimId = fresh[0]!.body.data.id as number;
  assert.deepEqual(fresh[0]!.body.data, ok(await c.call('GET', `/api/v1/claims/${claimId}`)).claim);
  assert.deepEqual([fresh[0]!.body.data.email, fresh[0]!.body.data.source, fresh[0]!.body.data.raw_value], ['booker@example.com', 'webhook', 99]);
  seen = await storedEvents(c);

  // Refused: an unknown code, the same claim again within 24 hours, a /convert with a bad signature. No event.
  assert.equal((await c.post(PATHS.visit, { referral_code: 'NOSUCHCODE' }, { headers: publishableHeaders(c.brand) })).status, 404);
  assertError(await c.post(PATHS.claim, ZAPIER_CLAIM, { headers: publishableHeaders(c.brand) }), 409, 'duplicate_claim');
  assert.equal((await postSigned(c, { ...CONVERT_WEBHOOK, email: 'x@example.com' }, { headers: { 'X-AL-Signature': '0'.repeat(64) } })).status, 401);
  assert.deepEqual(await newEvents(c, seen), []);
});

test('a conversion and its commissions through their life: created, rejected at once on a self-referral, approved (operator, settlement), paid with payout.created, refunded, clawed back', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  await subscribeEndpoint(c, ['*']);
  const convert = async (orderId: string, value: number, email = `${orderId.toLowerCase()}@customer.example`) =>
    ok(await c.post(PATHS.conversion, { customer_email: email, order_id: orderId, order_value: value, referral_code: 'JOHN123' }), 201);
  let seen = await storedEvents(c);
  const step = async () => {
    const fresh = await newEvents(c, seen);
    seen = await storedEvents(c);
    return fresh;
  };

  const w1 = await convert('W-1', 100);
  let events = await step();
  assert.deepEqual(typesOf(events, brandId), ['conversion.created', 'commission.created', 'referral_record.created']);
  assert.deepEqual(events[0]!.body.data, await conversionNow(c, w1.id));
  // The commission's referral record, as GET /referral-records/:uuid answers it.
  assert.deepEqual(events[2]!.body.data,
    ok(await c.call('GET', `/api/v1/referral-records/${events[1]!.body.data.referral_record_uuid}`)).referral_record);
  assert.deepEqual([events[0]!.body.data.order_id, events[0]!.body.data.order_value, events[0]!.body.data.rewards.length], ['W-1', 100, 1]);
  assert.deepEqual(events[1]!.body.data, await commissionNow(c, w1.reward.id));
  assert.deepEqual([events[1]!.body.data.status, events[1]!.body.data.amount, events[1]!.body.data.currency], ['pending', 10, 'USD']);

  // The advocate's own order: attributed, its reward created already rejected: created, then rejected.
  const self = await convert('W-SELF', 80, 'john@advocate.example');
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['conversion.created', 'commission.created', 'commission.rejected', 'referral_record.created']);
  const selfReward = await commissionNow(c, self.reward.id);
  assert.equal(selfReward.status, 'rejected');
  assert.deepEqual([events[1]!.body.data, events[2]!.body.data], [selfReward, selfReward]);

  // The same order again (idempotent): no event. A different amount: 409, no event.
  ok(await c.post(PATHS.conversion, { customer_email: 'w-1@customer.example', order_id: 'W-1', order_value: 100, referral_code: 'JOHN123' }), 200);
  assertError(await c.post(PATHS.conversion, { customer_email: 'w-1@customer.example', order_id: 'W-1', order_value: 90, referral_code: 'JOHN123' }), 409, 'order_conflict');
  assert.deepEqual(await step(), []);

  // The operator approves W-1 before its cooling period ends.
  ok(await c.call('PATCH', `/api/v1/commissions/${w1.reward.id}/status`, { status: 'approved' }));
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['commission.approved']);
  assert.deepEqual(events[0]!.body.data, await commissionNow(c, w1.reward.id));
  assert.equal(events[0]!.body.data.status, 'approved');
  assertError(await c.call('PATCH', `/api/v1/commissions/${self.reward.id}/status`, { status: 'approved' }), 409, 'invalid_transition');
  assert.deepEqual(await step(), []);

  // W-2's cooling period ends: the settlement approves it, before the next management read answers.
  const w2 = await convert('W-2', 50);
  await step();
  clock.advance(COOLING);
  const w2Now = await commissionNow(c, w2.reward.id);
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['commission.approved']);
  assert.deepEqual([events[0]!.body.data, w2Now.status], [w2Now, 'approved']);

  // A payout of both: each becomes paid (commission.paid), then the payout once, as POST /payouts answered it.
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: [w1.reward.id, self.reward.id] }), 409, 'invalid_transition');
  assert.deepEqual(await step(), []);
  const payout = ok(await c.call('POST', '/api/v1/payouts', { commission_ids: [w1.reward.id, w2.reward.id], note: 'March' }));
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['commission.paid', 'commission.paid', 'payout.created']);
  assert.deepEqual(events.slice(0, 2).map((e) => e.body.data.id), [w1.reward.id, w2.reward.id]);
  assert.deepEqual(events[0]!.body.data, await commissionNow(c, w1.reward.id));
  assert.deepEqual(events[1]!.body.data, await commissionNow(c, w2.reward.id));
  assert.deepEqual(events[2]!.body.data, payout);
  assert.deepEqual([payout.total, payout.paid.length], [15, 2]);

  // 40 of W-1's 100 refunded after payment: the conversion refunded, 4.00 clawed back.
  ok(await c.post(PATHS.refund, { order_id: 'W-1', refund_amount: 40, is_full_refund: false }));
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['conversion.refunded', 'commission.clawed_back']);
  assert.deepEqual(events[0]!.body.data, await conversionNow(c, w1.id));
  assert.deepEqual([events[0]!.body.data.refunded, events[0]!.body.data.status], [40, 'partial_refund']);
  assert.deepEqual(events[1]!.body.data, await commissionNow(c, w1.reward.id));
  assert.deepEqual([events[1]!.body.data.status, events[1]!.body.data.clawed_back, events[1]!.body.data.net_amount], ['paid', 4, 6]);

  // Unpaid and wholly refunded: reversed, sent as commission.rejected. Unpaid and partly refunded: its amount falls,
  // which conversion.refunded carries; no commission event.
  const w3 = await convert('W-3', 60);
  const w4 = await convert('W-4', 70);
  await step();
  ok(await c.post(PATHS.refund, { order_id: 'W-3', refund_amount: 60, is_full_refund: true }));
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['conversion.refunded', 'commission.rejected']);
  assert.deepEqual(events[0]!.body.data, await conversionNow(c, w3.id));
  assert.deepEqual(events[1]!.body.data, await commissionNow(c, w3.reward.id));
  assert.deepEqual([events[1]!.body.data.status, events[1]!.body.data.amount], ['reversed', 0]);
  ok(await c.post(PATHS.refund, { order_id: 'W-4', refund_amount: 35, is_full_refund: false }));
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['conversion.refunded']);
  assert.deepEqual(events[0]!.body.data, await conversionNow(c, w4.id));
  assert.equal(events[0]!.body.data.rewards[0].amount, 3.5);
  assert.equal((await commissionNow(c, w4.reward.id)).status, 'pending');

  // The operator rejects one; an unknown order's refund is 404: no event.
  ok(await c.call('PATCH', `/api/v1/commissions/${w4.reward.id}/status`, { status: 'rejected', reason: 'fraud check' }));
  events = await step();
  assert.deepEqual(typesOf(events, brandId), ['commission.rejected']);
  assert.deepEqual(events[0]!.body.data, await commissionNow(c, w4.reward.id));
  assert.deepEqual([events[0]!.body.data.status, events[0]!.body.data.reason], ['rejected', 'fraud check']);
  assertError(await c.post(PATHS.refund, { order_id: 'NOPE', refund_amount: 1, is_full_refund: false }), 404, 'not_found', 'order_id');
  assert.deepEqual(await step(), []);
});

test('a conversion with a level-2 reward: commission.created for each level, as GET /commissions/:id answers them', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  ok(await c.call('PATCH', '/api/v1/settings', { level2_reward_type: 'fixed', level2_reward_value: 2.5 }));
  const john = await advocateId(c, 'JOHN123');
  const ann = ok(await c.call('POST', '/api/v1/advocates', { email: 'ann@advocate.example', name: 'Ann Lee', referral_code: 'ANN10', referred_by: john }), 201).advocate;
  const seen = await storedEvents(c);
  await subscribeEndpoint(c, ['conversion.created', 'commission.created']);
  const conv = ok(await c.post(PATHS.conversion, { customer_email: 'l2@customer.example', order_id: 'L2-1', order_total: 118, tax: 8, shipping: 10, referral_code: 'ANN10' }), 201);
  const events = await newEvents(c, seen);
  assert.deepEqual(typesOf(events, c.brand.brand_id), ['conversion.created', 'commission.created', 'commission.created']);
  assert.deepEqual(events[0]!.body.data, await conversionNow(c, conv.id));
  assert.deepEqual(conv.rewards.map((r: any) => [r.level, r.advocate_id, r.amount]), [[1, ann.id, 10], [2, john, 2.5]]);
  assert.deepEqual(events.slice(1).map((e) => e.body.data), [await commissionNow(c, conv.rewards[0].id), await commissionNow(c, conv.rewards[1].id)]);
  assert.deepEqual(events.slice(1).map((e) => [e.body.data.order_id, e.body.data.conversion_amount]), [['L2-1', 100], ['L2-1', 100]]);
});

test('a job rolled back after some of its events were written sends none: the dashboard approving two commissions and a paid one', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  await subscribeEndpoint(c, ['*']);
  const convert = async (orderId: string) =>
    ok(await c.post(PATHS.conversion, { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: 100, referral_code: 'JOHN123' }), 201).reward.id as number;
  const a = await convert('R-1');
  const paid = await convert('R-2');
  const b = await convert('R-3');
  ok(await c.call('PATCH', `/api/v1/commissions/${paid}/status`, { status: 'approved' }));
  ok(await c.call('POST', '/api/v1/payouts', { commission_ids: [paid] }));
  const before = await storedEvents(c);
  const owner = await signedIn(c);

  // a is approved (its commission.approved written in the job), then the paid one refuses: the whole job rolls back.
  const refused = await owner.post('/dashboard/commissions/status', { commission_ids: [String(a), String(paid), String(b)], status: 'approved', reason: 'checked' });
  assert.equal(refused.status, 409);
  assert.deepEqual(await storedEvents(c), before, 'no delivery of the rolled-back approvals');
  assert.equal((await commissionNow(c, a)).status, 'pending');

  // The two pending ones alone: both approved, an event each, as the API answers them.
  const done = await owner.post('/dashboard/commissions/status', { commission_ids: [String(a), String(b)], status: 'approved', reason: 'checked' });
  assert.equal(done.status, 303, done.text.slice(0, 300));
  const events = await newEvents(c, before);
  assert.deepEqual(typesOf(events, c.brand.brand_id), ['commission.approved', 'commission.approved']);
  assert.deepEqual(events.map((e) => e.body.data), [await commissionNow(c, a), await commissionNow(c, b)]);
});

test('a points reward: approved at the end of its cooling period, credited (points.transaction.created) and paid; a refund takes the points back', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  ok(await c.call('PATCH', '/api/v1/settings', { referrer_reward_type: 'points', referrer_reward_value: 120 }));
  await subscribeEndpoint(c, ['*']);
  const john = await advocateId(c, 'JOHN123');

  const conv = ok(await c.post(PATHS.conversion, { customer_email: 'p-1@customer.example', order_id: 'P-1', order_value: 100, referral_code: 'JOHN123' }), 201);
  let seen = await storedEvents(c);
  assert.deepEqual(typesOf(seen, brandId), ['conversion.created', 'commission.created', 'referral_record.created']);
  assert.deepEqual([seen[1]!.body.data.kind, seen[1]!.body.data.amount], ['points', 120]);

  clock.advance(COOLING);
  const reward = await commissionNow(c, conv.reward.id);
  let events = await newEvents(c, seen);
  assert.deepEqual(typesOf(events, brandId), ['commission.approved', 'points.transaction.created', 'commission.paid']);
  assert.deepEqual(events[0]!.body.data, { ...reward, status: 'approved', paid_at: null }, 'approved, as it was before the same step paid it');
  const ledger = ok(await c.call('GET', `/api/v1/advocates/${john}/points`)).transactions;
  assert.deepEqual(events[1]!.body.data, ledger[0]);
  assert.deepEqual([events[1]!.body.data.amount, events[1]!.body.data.type, events[1]!.body.data.reward_id], [120, 'reward', conv.reward.id]);
  assert.deepEqual([events[2]!.body.data, reward.status], [reward, 'paid']);
  seen = await storedEvents(c);

  ok(await c.post(PATHS.refund, { order_id: 'P-1', refund_amount: 100, is_full_refund: true }));
  events = await newEvents(c, seen);
  assert.deepEqual(typesOf(events, brandId), ['points.transaction.created', 'conversion.refunded', 'commission.clawed_back']);
  assert.deepEqual(events[0]!.body.data, ok(await c.call('GET', `/api/v1/advocates/${john}/points`)).transactions[0]);
  assert.deepEqual([events[0]!.body.data.amount, events[0]!.body.data.type], [-120, 'clawback']);
  assert.deepEqual(events[1]!.body.data, await conversionNow(c, conv.id));
  assert.deepEqual(events[2]!.body.data, await commissionNow(c, conv.reward.id));
});

test("an erasure: the advocate's unpaid commissions rejected, then advocate.updated with what is left, and no event after it carries the person's data", async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  await subscribeEndpoint(c, ['*']);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  ok(await c.call('PATCH', `/api/v1/advocates/${sarah}`, { payment_method: 'paypal', payment_details: 'sarah.pay@example.com', metadata: { crm: 'S-1' } }));
  const conv = ok(await c.post(PATHS.conversion, { customer_email: 'e-1@customer.example', order_id: 'E-1', order_value: 100, referral_code: 'V2AVMRDJ' }), 201);
  const seen = await storedEvents(c);

  ok(await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'sarah@advocate.example' } }));
  const events = await newEvents(c, seen);
  assert.deepEqual(typesOf(events, brandId), ['commission.rejected', 'advocate.updated']);
  assert.deepEqual(events[0]!.body.data, await commissionNow(c, conv.reward.id));
  assert.deepEqual([events[0]!.body.data.status, events[0]!.body.data.reason], ['rejected', ERASED_REJECT_REASON]);
  const erased = ok(await c.call('GET', `/api/v1/advocates/${sarah}`)).advocate;
  assert.deepEqual(events[1]!.body.data, erased);
  assert.deepEqual([erased.email, erased.name, erased.status, erased.metadata, erased.payment_details], [`erased:${sarah}`, '', 'blocked', null, null]);
  const sent = JSON.stringify(events.map((e) => e.body));
  for (const personal of ['sarah@advocate.example', 'Sarah', 'sarah.pay@example.com', 'S-1']) assert.ok(!sent.includes(personal), `${personal} is not sent`);

  // Erased again: nothing changes, nothing is sent.
  ok(await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'sarah@advocate.example' } }));
  assert.equal((await newEvents(c, seen)).length, 2);
});

test("who receives: an endpoint's own types only; never another brand's endpoint or a disabled one; no endpoint, no rows", async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const other = await c.addBrand();
  const brandId = c.brand.brand_id;
  let orders = 0;
  const act = async () => {
    const order = `I-${++orders}`;
    ok(await c.post(PATHS.visit, SHOPIFY_VISIT, { headers: publishableHeaders(c.brand) }));
    ok(await c.post(PATHS.conversion, { customer_email: `${order}@customer.example`, order_id: order, order_value: 100, referral_code: 'JOHN123' }), 201);
  };

  // No endpoint anywhere: nothing written, not even queued.
  await act();
  assert.equal(await count(c, 'webhook_events'), 0);
  assert.equal(await count(c, 'webhook_deliveries'), 0);

  const conversions = await subscribeEndpoint(c, ['conversion.created']);
  const twin = await subscribeEndpoint(c, ['*', 'conversion.created']);
  const disabled = await subscribeEndpoint(c, ['*', 'visit.created'], { status: 'disabled' });
  const otherBrand = await subscribeEndpoint(c, ['*', 'visit.created'], { brand: other });
  await act();
  const mine = await storedEvents(c, { endpointId: conversions.id });
  assert.deepEqual(typesOf(mine, brandId), ['conversion.created']);
  const twins = await storedEvents(c, { endpointId: twin.id });
  assert.deepEqual(typesOf(twins, brandId), ['conversion.created', 'commission.created', 'referral_record.created'], "'*' and a type: one delivery per event");
  assert.equal(twins[0]!.eventId, mine[0]!.eventId, 'one event, one webhook-id for every endpoint');
  assert.deepEqual(twins[0]!.body, mine[0]!.body);
  assert.deepEqual(await storedEvents(c, { endpointId: disabled.id }), []);
  assert.deepEqual(await storedEvents(c, { endpointId: otherBrand.id }), []);
  assert.equal(await count(c, 'webhook_deliveries'), 4);

  // The other brand's own events go to its own endpoint only.
  ok(await c.post(PATHS.visit, SHOPIFY_VISIT, { headers: publishableHeaders(other) }));
  const theirs = await storedEvents(c, { endpointId: otherBrand.id });
  assert.deepEqual(typesOf(theirs, other.brand_id), ['visit.created']);
  assert.equal(await count(c, 'webhook_deliveries'), 5);
});

/** A value's shape: an object's keys (each with its shape), an array's first item's, a leaf's type (null fits any). */
function sameShape(sample: unknown, real: unknown, path: string): void {
  if (sample === null || real === null) return;
  if (Array.isArray(real)) {
    assert.ok(Array.isArray(sample), `${path}: an array`);
    if (real.length > 0 && sample.length > 0) sameShape(sample[0], real[0], `${path}[0]`);
    return;
  }
  assert.equal(typeof sample, typeof real, `${path}: ${typeof real}`);
  if (typeof real === 'object') {
    const r = real as Record<string, unknown>;
    const s = sample as Record<string, unknown>;
    assert.deepEqual(Object.keys(s), Object.keys(r), `${path}: the same fields, in the same order`);
    for (const k of Object.keys(r)) sameShape(s[k], r[k], `${path}.${k}`);
  }
}

test('every event type is written by some API call, and its sample (GET /hooks/sample/:event) has the real event\'s fields', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  await subscribeEndpoint(c, ['*', 'visit.created', 'share.created']);
  await everyEvent(c, clock);
  const events = await storedEvents(c);
  assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), [...EVENT_TYPES].sort(), 'every type written');
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  for (const type of EVENT_TYPES) {
    const real = events.find((e) => e.type === type)!;
    sameShape(sampleEvent(type, { q: c.deps.q, brand, now: clock.now() }), real.body.data, type);
  }
});

/** A CLI database with a brand whose endpoint receives '*': `referloop ... --json` run on it, the brand, its store and queries. */
async function cliBrandWithEndpoint(t: Parameters<typeof cliDatabase>[0]) {
  const db = await cliDatabase(t);
  const cli = (args: string[]) => {
    const r = db.run([...args, '--json']);
    assert.equal(r.status, 0, `referloop ${args.join(' ')} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const brandId = cli(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const store = await db.open();
  const q = createQueries(store.db);
  await insertEndpoint({ db: store.db, queue: store.queue, q }, Buffer.alloc(32, 3), brandId, ['*']);
  return { cli, brandId, store, q };
}

test("the CLI's commands send the same events: an advocate created, updated and erased from the terminal", async (t) => {
  const { cli, brandId, store, q } = await cliBrandWithEndpoint(t);
  const events = async () => {
    await store.queue.run(() => expandInJob(q));
    return (await store.db.prepare('SELECT event_type AS "type", payload FROM webhook_deliveries ORDER BY id').all() as Array<{ type: string; payload: string }>)
      .map((r) => ({ type: r.type, data: JSON.parse(r.payload).data }));
  };
  const advocateNow = async (id: number) => {
    const brand = (await q.brands.getBrand(brandId))!;
    return getAdvocate({ q, brand, now: new Date() }, id);
  };

  const id = Number(cli(['advocate', 'create', '--brand', brandId, '--email', 'ann@adv.example', '--name', 'Ann Advocate', '--code', 'ANN10']).advocate_id);
  assert.deepEqual((await events()).map((e) => e.type), ['advocate.created', 'referral_code.created']);
  assert.deepEqual([(await events())[0]!.data.id, (await events())[1]!.data.code], [id, 'ANN10']);

  cli(['advocate', 'update', '--brand', brandId, '--id', String(id), '--tier', 'gold']);
  const updated = (await events())[2]!;
  assert.deepEqual([updated.type, updated.data], ['advocate.updated', await advocateNow(id)]);
  assert.equal(updated.data.tier, 'gold');

  cli(['person', 'erase', '--brand', brandId, '--email', 'ann@adv.example']);
  const erased = (await events())[3]!;
  assert.deepEqual([erased.type, erased.data], ['advocate.updated', await advocateNow(id)]);
  assert.deepEqual([erased.data.email, erased.data.name, erased.data.status], [`erased:${id}`, '', 'blocked']);
  assert.equal((await events()).length, 4);
});

test("the CLI's erasure finds the deliveries of changes still queued in the outbox: they are expanded in its job, then emptied and never sent", async (t) => {
  const { cli, brandId, store, q } = await cliBrandWithEndpoint(t);
  cli(['advocate', 'create', '--brand', brandId, '--email', 'queued@adv.example', '--name', 'Quinn Queued', '--code', 'QUINN10']);
  const queued = async () => Number(await store.db.prepare('SELECT count(*) FROM webhook_events', { pluck: true }).get());
  assert.equal(await queued(), 2, 'advocate.created and referral_code.created, queued (no deliverer runs)');
  const erased = cli(['person', 'erase', '--brand', brandId, '--email', 'queued@adv.example']);
  assert.equal(erased.erasure.counts.webhook_deliveries, 2);
  await store.queue.run(() => expandInJob(q));
  const rows = await store.db.prepare('SELECT event_type AS "type", status, payload FROM webhook_deliveries ORDER BY id').all() as Array<{ type: string; status: string; payload: string }>;
  assert.deepEqual(rows.slice(0, 2).map((r) => [r.type, r.status, JSON.parse(r.payload).data]),
    [['advocate.created', 'failed', null], ['referral_code.created', 'failed', null]]);
  assert.ok(!rows.some((r) => r.payload.includes('Quinn') || r.payload.includes('queued@adv.example')), 'nothing of the person in any delivery');
});

test("an erasure: the deliveries that name the person keep nothing of them, and those not sent yet are never sent", async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const ep = await subscribeEndpoint(c, ['*', 'visit.created']);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  ok(await c.call('PATCH', `/api/v1/advocates/${sarah}`, { payment_method: 'paypal', payment_details: 'sarah.pay@example.com' }));
  ok(await c.call('POST', `/api/v1/advocates/${sarah}/codes`, { code: 'SARAH20' }), 201);
  const visit = ok(await c.post(PATHS.visit, { referral_code: 'JOHN123' }, { headers: publishableHeaders(c.brand) }));
  ok(await c.post(PATHS.claim, { referral_code: 'JOHN123', email: 'kim@customer.example', name: 'Kim Buyer', visitor_id: visit.visitor_id }, { headers: publishableHeaders(c.brand) }), 201);
  ok(await c.post(PATHS.conversion, { customer_email: 'kim@customer.example', order_id: 'K-1', order_value: 100, referral_code: 'JOHN123' }), 201);
  ok(await c.post(PATHS.conversion, { customer_email: 'lee@customer.example', order_id: 'L-1', order_value: 100, referral_code: 'V2AVMRDJ' }), 201);
  const rowsNow = async () => {
    await expandQueued(c);
    return (await rows(c, 'SELECT id, event_type AS "type", status, payload, last_error AS "lastError" FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id', ep.id))
      .map((r) => ({ ...r, id: Number(r.id) }));
  };
  const before = await rowsNow();
  assert.ok(before.every((r) => r.status === 'pending'), 'nothing delivered to a refusing endpoint');

  // The PATCH's advocate.updated as if delivered already: its body is kept in the history, and must lose Sarah too.
  const delivered = before.find((r) => r.type === 'advocate.updated')!;
  await c.deps.queue.run(() => c.deps.db.prepare("UPDATE webhook_deliveries SET status = 'delivered', next_attempt_at = NULL WHERE id = ?").run(delivered.id));
  const forgotten = (now: Awaited<ReturnType<typeof rowsNow>>) =>
    now.filter((r) => r.payload === JSON.stringify({ type: r.type, timestamp: null, data: null })).map((r) => `${r.type} ${r.status}`);
  // The advocate: its PATCH's advocate.updated and its new code's referral_code.created; its commission and the
  // conversion of another customer stay (they carry nothing of Sarah).
  const erasedSarah = ok(await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'sarah@advocate.example' } }));
  assert.equal(erasedSarah.erasure.counts.webhook_deliveries, 2);
  let now = await rowsNow();
  assert.deepEqual(forgotten(now), ['advocate.updated delivered', 'referral_code.created failed']);
  assert.deepEqual(now.filter((r) => r.status === 'failed').map((r) => r.lastError), ['not sent: the person it names was erased']);
  const stored = () => JSON.stringify(now.map((r) => r.payload));
  for (const personal of ['sarah@advocate.example', 'Sarah', 'sarah.pay@example.com']) assert.ok(!stored().includes(personal), personal);
  assert.equal(now.at(-1)!.type, 'advocate.updated', 'the erasure\'s own advocate.updated, after, is sent');
  assert.equal(JSON.parse(now.at(-1)!.payload).data.email, `erased:${sarah}`);
  assert.ok(now.some((r) => r.status === 'pending' && r.payload.includes('lee@customer.example')));

  // The customer: their visit (by visitor id), claim, conversion and its commission's referral record.
  ok(await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'kim@customer.example' } }));
  now = await rowsNow();
  assert.deepEqual(forgotten(now), ['advocate.updated delivered', 'referral_code.created failed', 'visit.created failed', 'claim.created failed',
    'conversion.created failed', 'referral_record.created failed']);
  for (const personal of ['kim@customer.example', 'Kim Buyer', visit.visitor_id]) assert.ok(!stored().includes(personal), personal);
});
