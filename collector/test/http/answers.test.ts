// Every route's success answers, from a real collector, parsed by the answer schemas (schemas/answers/*.ts) that the
// OpenAPI document is made from: every object is strict, so a field an answer adds, drops or retypes fails here.
// The answers with optional parts are made too: a duplicate conversion and refund, list pages by total, page and cursor,
// commissions after status changes, a payout with a clawback, a delivery with its attempt, an erased delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../../src/webhooks/events.ts';
import {
  zAdvocate, zAdvocateListItem, zPointsLedger, zPointsRecorded, zReferral, zReferralStats,
} from '../../src/schemas/answers/advocates.ts';
import {
  zApproveDueAnswer, zCommission, zCommissionDetail, zPayout, zPayoutRecorded,
} from '../../src/schemas/answers/commissions.ts';
import { envelope, listOf, named, zErrorAnswer, zHealth } from '../../src/schemas/answers/common.ts';
import { zErasure, zPersonExport } from '../../src/schemas/answers/people.ts';
import { zClaim, zConversion, zConversionDetail, zVisit } from '../../src/schemas/answers/records.ts';
import { zSettings } from '../../src/schemas/answers/settings.ts';
import {
  zClaimAnswer, zConversionAnswer, zConvertAnswer, zEligibilityAnswer, zRefundAnswer, zVisitAnswer,
} from '../../src/schemas/answers/track.ts';
import {
  eventDataSchemas, zDeletedWebhookEndpoint, zDelivery, zDeliveryDetail, zHookSample, zHookSubscription, zHookUnsubscribed,
  zWebhookEndpoint, zWebhookEndpointWithSecret, zWebhookEvent,
} from '../../src/schemas/answers/webhooks.ts';
import { onlyOnSqlite, startTestCollector, TEST_ORIGIN, type TestCollector, type TestResponse } from '../support/collector.ts';
import {
  CONVERT_WEBHOOK, DAY_MS, PATHS, SHOPIFY_CLAIM, SHOPIFY_CONVERSION, SHOPIFY_REFUND, SHOPIFY_VISIT, advocateId, postSigned, testClock,
} from '../support/fixtures.ts';
import { startReceiver } from '../support/receiver.ts';
import { joinCampaign } from '../support/signups.ts';
import { ssoSignature } from '../../src/domain/sso.ts';

const API = '/api/v1';
const COOLING = 31 * DAY_MS;

/** The body, after checking the status, parsed by `schema` (a failure shows zod's issues and the body). */
function parsed<S extends z.ZodType>(res: TestResponse, status: number, schema: S): z.output<S> {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const result = schema.safeParse(res.body);
  assert.ok(result.success, result.success ? '' : `${z.prettifyError(result.error)}\nin ${JSON.stringify(res.body)}`);
  return result.data;
}

/** The `data` of an enveloped answer, parsed by `schema`. */
const dataOf = <S extends z.ZodType>(res: TestResponse, status: number, schema: S): z.output<S> =>
  (parsed(res, status, envelope(schema)) as { data: z.output<S> }).data;
/** `{ [name]: item }`: a single resource's answer. */

async function collector(t: { after(fn: () => unknown): void }, config: Parameters<typeof startTestCollector>[0] = {}) {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now, ...config });
  t.after(() => c.close());
  return { c, clock };
}

const get = (c: TestCollector, path: string, query?: Record<string, string | number>) => c.call('GET', API + path, undefined, query ? { query } : {});

/** A referred order of `value`, answered 201; its level-1 commission's id. */
async function convert(c: TestCollector, orderId: string, value: number, code = 'JOHN123', email = `${orderId.toLowerCase()}@customer.example`) {
  const data = dataOf(await c.post(PATHS.conversion, { customer_email: email, order_id: orderId, order_value: value, referral_code: code }), 201, zConversionAnswer);
  return data.reward!.id;
}

test('tracking: visit, claim, conversion (new and duplicate), refund (and repeated), eligibility, /convert; the records they leave', async (t) => {
  const { c } = await collector(t);
  const visit = dataOf(await c.post(PATHS.visit, { ...SHOPIFY_VISIT, utm_source: 'email' }), 200, zVisitAnswer);
  dataOf(await c.post(PATHS.visit, { referral_code: 'JOHN123', visitor_id: visit.visitor_id, existing_code: 'NOPE' }), 200, zVisitAnswer);

  const eligible = parsed(await c.post(PATHS.eligibility, { referral_code: 'V2AVMRDJ', email: 'buyer@example.com', extra: 1 }), 200, zEligibilityAnswer);
  assert.equal(eligible.eligible, true);
  assert.match(String(eligible.warnings), /extra/);
  const claimed = parsed(await c.post(PATHS.claim, { ...SHOPIFY_CLAIM, visitor_id: visit.visitor_id, colour: 'red' }), 201, envelope(zClaimAnswer));
  assert.match(String(claimed.warnings), /colour/);
  const duplicateClaim = parsed(await c.post(PATHS.claim, SHOPIFY_CLAIM), 409, zErrorAnswer);
  assert.equal(duplicateClaim.code, 'duplicate_claim');

  const created = dataOf(await c.post(PATHS.conversion, SHOPIFY_CONVERSION), 201, zConversionAnswer);
  assert.equal(created.attribution, 'coupon');
  const again = dataOf(await c.post(PATHS.conversion, SHOPIFY_CONVERSION), 200, zConversionAnswer);
  assert.equal(again.duplicate, true);
  const unattributed = dataOf(await c.post(PATHS.conversion, { customer_email: 'walk-in@example.com', order_id: 'U-1', order_total: 20, tax: 2 }), 201, zConversionAnswer);
  assert.deepEqual([unattributed.attribution, unattributed.reward, unattributed.rewards], [null, null, []]);
  const ineligible = parsed(await c.post(PATHS.eligibility, { referral_code: 'V2AVMRDJ', email: 'buyer@example.com' }), 200, zEligibilityAnswer);
  assert.equal(ineligible.eligible ? null : ineligible.error, 'already_redeemed');

  const refund = { ...SHOPIFY_REFUND, refund_amount: 20, is_full_refund: false, refund_id: 'R-1' };
  const refunded = dataOf(await c.post(PATHS.refund, refund), 200, zRefundAnswer);
  assert.ok(!('duplicate' in refunded) && refunded.rewards.length === 1);
  const repeated = dataOf(await c.post(PATHS.refund, refund), 200, zRefundAnswer);
  assert.ok('duplicate' in repeated);
  dataOf(await postSigned(c, CONVERT_WEBHOOK), 201, zConvertAnswer);
  const preflight = await c.request('OPTIONS', PATHS.claim, { headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 204);

  // The records: lists by total, by page and by cursor; the single claim and conversion.
  const visits = dataOf(await get(c, '/visits', { total: 'true' }), 200, listOf('visits', zVisit));
  assert.deepEqual([visits.total, visits.page, visits.offset], [2, 1, 0]);
  const firstPage = dataOf(await get(c, '/conversions', { limit: 1 }), 200, listOf('conversions', zConversion));
  assert.ok(firstPage.has_more && firstPage.next_cursor);
  const next = dataOf(await get(c, '/conversions', { limit: 1, cursor: firstPage.next_cursor }), 200, listOf('conversions', zConversion));
  assert.equal(next.page, undefined);
  dataOf(await get(c, '/conversions', { page: 2, limit: 1, total: 'true' }), 200, listOf('conversions', zConversion));
  const claims = dataOf(await get(c, '/claims', { total: 'true' }), 200, listOf('claims', zClaim));
  assert.equal(claims.claims.length, 2);
  for (const claim of claims.claims) dataOf(await get(c, `/claims/${claim.id}`), 200, named('claim', zClaim));
  for (const id of [created.id, unattributed.id]) dataOf(await get(c, `/conversions/${id}`), 200, named('conversion', zConversionDetail));
  const csv = await get(c, '/conversions/export');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);

  // Refusals: the error envelope (a 409 above carried claim_id beside it).
  parsed(await c.post(PATHS.conversion, { customer_email: 'x@example.com', order_value: 'lots' }), 400, zErrorAnswer);
  parsed(await get(c, '/conversions/999999'), 404, zErrorAnswer);
  parsed(await c.call('GET', `${API}/nowhere`), 404, zErrorAnswer);
});

test('advocates, their codes and points, and the referral codes', async (t) => {
  const { c } = await collector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const listed = dataOf(await get(c, '/advocates', { total: 'true' }), 200, listOf('advocates', zAdvocateListItem));
  assert.equal(listed.total, 3);
  dataOf(await get(c, '/advocates', { page: 2, limit: 1 }), 200, listOf('advocates', zAdvocateListItem));
  const body = {
    email: 'jane@example.com', name: 'Jane Doe', referral_code: 'JANE2026', referred_by: sarah, metadata: { source: 'newsletter' },
    tier: 'gold', payment_method: 'paypal', payment_details: 'jane@example.com',
  };
  const { advocate: jane } = dataOf(await c.call('POST', `${API}/advocates`, body), 201, named('advocate', zAdvocate));
  dataOf(await get(c, `/advocates/${jane.id}`), 200, named('advocate', zAdvocate));
  dataOf(await c.call('PATCH', `${API}/advocates/${jane.id}`, { tier: null, metadata: null, payment_method: null }), 200, named('advocate', zAdvocate));
  const { referral } = dataOf(await c.call('POST', `${API}/advocates/${jane.id}/codes`, {}), 201, named('referral', zReferral));

  dataOf(await c.call('POST', `${API}/advocates/${jane.id}/points`, { amount: 50, description: 'Review bonus' }), 200, zPointsRecorded);
  dataOf(await c.call('POST', `${API}/advocates/${jane.id}/points`, { amount: 20, type: 'redeem' }), 200, zPointsRecorded);
  const ledger = dataOf(await get(c, `/advocates/${jane.id}/points`, { page: 1, limit: 1 }), 200, zPointsLedger);
  assert.deepEqual([ledger.balance, ledger.total, ledger.has_more], [30, 2, true]);

  dataOf(await get(c, '/referrals', { total: 'true' }), 200, listOf('referrals', zReferral));
  const byPage = dataOf(await get(c, '/referrals', { page: 1, limit: 2, advocate_id: jane.id }), 200, listOf('referrals', zReferral));
  assert.equal(byPage.referrals.length, 2);
  dataOf(await get(c, `/referrals/${referral.code}`), 200, named('referral', zReferral));
  dataOf(await get(c, '/referrals/v2avmrdj/stats'), 200, zReferralStats);
  const off = dataOf(await c.call('PATCH', `${API}/referrals/${referral.code}`, { status: 'inactive' }), 200, named('referral', zReferral));
  assert.ok(off.referral.deactivated_at);
  dataOf(await c.call('DELETE', `${API}/referrals/JANE2026`), 200, named('referral', zReferral));
  parsed(await c.call('PATCH', `${API}/advocates/${jane.id}`, { status: 'asleep' }), 400, zErrorAnswer);
  parsed(await get(c, '/advocates/999999'), 404, zErrorAnswer);
});

test('commissions, payouts (a clawback netted off), settings, points commissions, a person exported and erased', async (t) => {
  const { c, clock } = await collector(t);
  const john = await advocateId(c, 'JOHN123');
  dataOf(await get(c, '/settings'), 200, named('settings', zSettings));
  dataOf(await c.call('PATCH', `${API}/settings`, { level2_reward_type: 'fixed', level2_reward_value: 1, visit_retention_days: 90 }), 200, named('settings', zSettings));
  // A level-2 commission: Sarah referred John.
  dataOf(await c.call('PATCH', `${API}/advocates/${john}`, { referred_by: await advocateId(c, 'V2AVMRDJ') }), 200, named('advocate', zAdvocate));

  const first = await convert(c, 'A-1', 100);
  clock.advance(COOLING);
  const due = dataOf(await c.call('POST', `${API}/commissions/approve-due`), 200, zApproveDueAnswer);
  assert.deepEqual([due.approved, due.truncated, due.remaining], [2, false, false]);
  dataOf(await get(c, '/commissions', { total: 'true' }), 200, listOf('commissions', zCommission));
  dataOf(await get(c, '/commissions', { status: 'approved', page: 1, limit: 1 }), 200, listOf('commissions', zCommission));
  const payout1 = dataOf(await get(c, '/payouts'), 200, zPayout);
  assert.equal(payout1.advocate_count, 2);
  const ids = payout1.advocates.flatMap((a) => a.lines.map((l) => l.commission_id));
  dataOf(await c.call('POST', `${API}/payouts`, { commission_ids: ids, note: 'batch 1' }), 200, zPayoutRecorded);

  // 40 of 100 refunded after payment: clawed back, netted off the next payout, recorded as recovered.
  dataOf(await c.post(PATHS.refund, { order_id: 'A-1', refund_amount: 40, is_full_refund: false }), 200, zRefundAnswer);
  await convert(c, 'A-2', 50);
  clock.advance(COOLING);
  const payout2 = dataOf(await get(c, '/payouts', { colour: 'red' }), 200, zPayout);
  assert.match(String(payout2.warnings), /colour/, 'GET /payouts puts the warnings inside data');
  const lines = payout2.advocates.flatMap((a) => a.lines);
  assert.ok(lines.some((l) => l.type === 'clawback'));
  const recorded = dataOf(await c.call('POST', `${API}/payouts`, {
    commission_ids: lines.filter((l) => l.type === 'commission').map((l) => l.commission_id),
    clawbacks: lines.filter((l) => l.type === 'clawback').map((l) => ({ commission_id: l.commission_id, amount: l.amount })),
  }), 200, zPayoutRecorded);
  assert.ok(recorded.recovered.length > 0);
  const clawed = dataOf(await get(c, `/commissions/${first}`), 200, named('commission', zCommissionDetail));
  assert.ok(clawed.commission.history.some((e) => e.event === 'clawback_recovered'));

  // Status changes by the operator: approve early, pay, reject.
  const third = await convert(c, 'A-3', 30);
  dataOf(await c.call('PUT', `${API}/commissions/${third}/status`, { status: 'approved', reason: 'trusted' }), 200, named('commission', zCommissionDetail));
  dataOf(await c.call('PATCH', `${API}/commissions/${third}/status`, { status: 'paid' }), 200, named('commission', zCommissionDetail));
  const fourth = await convert(c, 'A-4', 30);
  const rejected = dataOf(await c.call('PATCH', `${API}/commissions/${fourth}/status`, { status: 'rejected', reason: 'fraud' }), 200, named('commission', zCommissionDetail));
  assert.equal(rejected.commission.reason, 'fraud');
  parsed(await c.call('PATCH', `${API}/commissions/${fourth}/status`, { status: 'paid' }), 409, zErrorAnswer);
  for (const path of ['/commissions/export', '/payouts/export']) assert.match((await get(c, path)).headers.get('content-type') ?? '', /^text\/csv/);

  // A points programme: the commission is credited to the ledger as it is approved.
  dataOf(await c.call('PUT', `${API}/settings`, { referrer_reward_type: 'points', referrer_reward_value: 100 }), 200, named('settings', zSettings));
  await convert(c, 'P-1', 10);
  clock.advance(COOLING);
  const points = dataOf(await get(c, `/advocates/${john}/points`), 200, zPointsLedger);
  assert.equal(points.transactions[0]?.type, 'reward');
  dataOf(await get(c, '/commissions', { advocate_id: john }), 200, listOf('commissions', zCommission));

  // A person's data: an advocate with payouts, a customer, nobody; then the advocate erased, twice.
  const asAdvocate = dataOf(await get(c, '/people', { email: 'john@advocate.example' }), 200, named('person', zPersonExport));
  assert.ok(asAdvocate.person.advocate && asAdvocate.person.advocate.payouts.length > 0);
  dataOf(await get(c, '/people', { email: 'a-1@customer.example' }), 200, named('person', zPersonExport));
  dataOf(await get(c, '/people', { email: 'nobody@example.com' }), 200, named('person', zPersonExport));
  const erased = dataOf(await c.call('DELETE', `${API}/people`, undefined, { query: { email: 'john@advocate.example' } }), 200, zErasure);
  assert.equal(erased.already_erased, false);
  const twice = dataOf(await c.call('DELETE', `${API}/people`, { email: 'john@advocate.example' }), 200, zErasure);
  assert.equal(twice.already_erased, true);
  dataOf(await get(c, '/people', { email: 'john@advocate.example' }), 200, named('person', zPersonExport));
  dataOf(await get(c, `/advocates/${john}`), 200, named('advocate', zAdvocate));
});

test('webhooks: endpoints, every event type delivered with its data, deliveries and attempts, REST Hooks, an erased delivery', async (t) => {
  const { c, clock } = await collector(t, { config: { webhooks: { allowPrivate: true, timeoutMs: 5_000 } } });
  const receiver = await startReceiver({ now: clock.now });
  t.after(() => receiver.close());
  const hooks = `${API}/webhooks`;
  const create = { url: receiver.url, events: ['*', 'visit.created', 'share.created'], description: 'CRM sync' };
  const { webhook } = dataOf(await c.call('POST', hooks, create), 201, named('webhook', zWebhookEndpointWithSecret));
  assert.equal(webhook.previous_secret_expires_at, undefined);
  dataOf(await get(c, '/webhooks', { total: 'true' }), 200, listOf('webhooks', zWebhookEndpoint));
  dataOf(await get(c, `/webhooks/${webhook.id}`), 200, named('webhook', zWebhookEndpoint));
  dataOf(await c.call('PATCH', `${hooks}/${webhook.id}`, { description: null }), 200, named('webhook', zWebhookEndpoint));
  const rotated = dataOf(await c.call('POST', `${hooks}/${webhook.id}/rotate-secret`), 200, named('webhook', zWebhookEndpointWithSecret));
  assert.ok(rotated.webhook.previous_secret_expires_at);

  // A walk that makes every event type once at least.
  const { advocate } = dataOf(await c.call('POST', `${API}/advocates`, { email: 'jane@example.com', name: 'Jane Doe' }), 201, named('advocate', zAdvocate));
  await c.call('PATCH', `${API}/advocates/${advocate.id}`, { tier: 'gold' });
  await c.call('POST', `${API}/advocates/${advocate.id}/points`, { amount: 5 });
  await c.post(PATHS.visit, SHOPIFY_VISIT);
  assert.equal((await c.post(PATHS.claim, SHOPIFY_CLAIM)).status, 201);
  assert.equal((await c.post(PATHS.conversion, SHOPIFY_CONVERSION)).status, 201);
  await convert(c, 'SELF-1', 40, 'V2AVMRDJ', 'sarah@advocate.example');
  clock.advance(COOLING);
  const { commissions } = dataOf(await c.call('POST', `${API}/commissions/approve-due`), 200, zApproveDueAnswer);
  await c.call('POST', `${API}/payouts`, { commission_ids: commissions });
  await c.post(PATHS.refund, { order_id: SHOPIFY_CONVERSION.order_id, refund_amount: 10, is_full_refund: false });
  const { campaign } = (await c.call('POST', `${API}/campaigns`, { name: 'Partners 20%' })).body.data;
  await c.call('PATCH', `${API}/campaigns/${campaign.id}`, { referrer_reward_value: 20, signup: 'open' });
  await joinCampaign(c, campaign.id, { name: 'Nina Patel', email: 'nina.patel@example.com' });
  assert.equal((await c.post(PATHS.share, { referral_code: 'V2AVMRDJ', channel: 'whatsapp' })).status, 201);
  // The catalogue: two redemptions of the advocate's 5 points, one fulfilled, one cancelled.
  const { reward } = (await c.call('POST', `${API}/rewards`, { name: 'Sticker pack', points_cost: 2, type: 'product' })).body.data;
  const redeemed = [];
  for (let i = 0; i < 2; i++) {
    const answer = await c.call('POST', `${API}/rewards/${reward.id}/redeem`, { advocate_id: advocate.id });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    redeemed.push(answer.body.data.redemption.id);
  }
  assert.equal((await c.call('POST', `${API}/redemptions/${redeemed[0]}/fulfil`, { fulfilment: 'TRACK-1Z999' })).status, 200);
  assert.equal((await c.call('POST', `${API}/redemptions/${redeemed[1]}/cancel`, {})).status, 200);
  // A quest of one task: its completion completes the quest.
  const { quest } = (await c.call('POST', `${API}/quests`, { title: 'First share', tasks: [{ title: 'Share your link', points: 5 }], reward: { type: 'points', points: 10 } })).body.data;
  const questTasks = (await c.call('GET', `${API}/quests/${quest.id}`)).body.data.tasks as Array<{ id: number }>;
  assert.equal((await c.call('POST', `${API}/quests/${quest.id}/complete`, { advocate_id: advocate.id, task_id: questTasks[0]!.id })).status, 200);
  // A testimonial approved, and an idea of a board moved to planned.
  const { testimonial } = (await c.call('POST', `${API}/testimonials`, { name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already.' })).body.data;
  assert.equal((await c.call('PATCH', `${API}/testimonials/${testimonial.id}`, { status: 'approved' })).status, 200);
  const { board } = (await c.call('POST', `${API}/feedback/boards`, { name: 'Product ideas' })).body.data;
  const { idea } = (await c.call('POST', `${API}/feedback/boards/${board.id}/ideas`, { advocate_id: advocate.id, title: 'Share links for WhatsApp' })).body.data;
  assert.equal((await c.call('PATCH', `${API}/feedback/ideas/${idea.id}`, { status: 'planned' })).status, 200);
  // Single sign-on: the advocate recognised by a signed request (its customer mapped first).
  assert.equal((await c.call('POST', `${API}/sso/mappings`, { advocate_id: advocate.id, external_customer_id: 'cus_walk' })).status, 201);
  const ssoTimestamp = String(Math.floor(clock.now().getTime() / 1000));
  const ssoBody = { business_id: c.brand.brand_id, external_customer_id: 'cus_walk', timestamp: Number(ssoTimestamp),
    signature: ssoSignature(c.brand.secret_key, { businessId: c.brand.brand_id, externalCustomerId: 'cus_walk', timestamp: ssoTimestamp, externalEmail: null, externalName: null }) };
  const ssoAnswer = await c.request('POST', `${API}/sso/recognize`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(ssoBody) });
  assert.equal(ssoAnswer.status, 200, JSON.stringify(ssoAnswer.body));
  while (await c.deps.deliverer.deliverDue() > 0);

  const received = new Set<string>();
  for (const request of receiver.requests) {
    const event = zWebhookEvent.parse(JSON.parse(request.body));
    const data = eventDataSchemas[event.type].safeParse(event.data);
    assert.ok(data.success, data.success ? '' : `${event.type}: ${z.prettifyError(data.error)}`);
    received.add(event.type);
  }
  assert.deepEqual([...received].sort(), [...EVENT_TYPES].sort());

  // The deliveries: by total, by cursor, each one's detail (its body by its type, its attempt), a resend, a test event.
  const all = dataOf(await get(c, `/webhooks/${webhook.id}/deliveries`, { total: 'true', limit: 100 }), 200, listOf('deliveries', zDelivery));
  assert.equal(all.total, receiver.requests.length);
  const page = dataOf(await get(c, `/webhooks/${webhook.id}/deliveries`, { limit: 2, status: 'delivered' }), 200, listOf('deliveries', zDelivery));
  dataOf(await get(c, `/webhooks/${webhook.id}/deliveries`, { limit: 2, cursor: page.next_cursor! }), 200, listOf('deliveries', zDelivery));
  for (const d of all.deliveries) {
    const { delivery } = dataOf(await get(c, `/webhooks/${webhook.id}/deliveries/${d.id}`), 200, named('delivery', zDeliveryDetail));
    assert.equal(delivery.attempt_list.length, 1);
  }
  const first = all.deliveries.at(-1)!;
  dataOf(await c.call('POST', `${hooks}/${webhook.id}/deliveries/${first.id}/resend`), 202, named('delivery', zDelivery));
  dataOf(await c.call('POST', `${hooks}/${webhook.id}/test`, { event: 'payout.created' }), 202, named('delivery', zDelivery));

  // Zapier's REST Hooks, answered unwrapped (with `warnings` beside the id when a field was ignored).
  const zap = parsed(await c.call('POST', `${API}/hooks/subscribe`, { target_url: `${receiver.url}/zap`, event: 'claim.created', zap: 7 }), 201, zHookSubscription);
  assert.match(String(zap.warnings), /zap/);
  parsed(await c.call('DELETE', `${API}/hooks/${zap.id}`), 200, zHookUnsubscribed);
  parsed(await c.call('DELETE', `${API}/hooks/${webhook.id}`), 404, zErrorAnswer);

  // The customer erased: the deliveries that named them keep only their type.
  dataOf(await c.call('DELETE', `${API}/people`, undefined, { query: { email: SHOPIFY_CONVERSION.customer_email } }), 200, zErasure);
  const claimDelivery = all.deliveries.find((d) => d.event_type === 'claim.created')!;
  const { delivery: emptied } = dataOf(await get(c, `/webhooks/${webhook.id}/deliveries/${claimDelivery.id}`), 200, named('delivery', zDeliveryDetail));
  assert.deepEqual(emptied.payload, { type: 'claim.created', timestamp: null, data: null });
  dataOf(await c.call('DELETE', `${hooks}/${webhook.id}`), 200, named('webhook', zDeletedWebhookEndpoint));
});

test('GET /hooks/sample/:event: an array of one sample body with its id, for every event type', async (t) => {
  const { c } = await collector(t);
  for (const type of EVENT_TYPES) {
    await t.test(type, async () => {
      const [sample] = parsed(await get(c, `/hooks/sample/${type}`), 200, zHookSample);
      const { id: _, ...body } = sample!;
      assert.equal(zWebhookEvent.parse(body).type, type);
      eventDataSchemas[type].parse(body.data);
    });
  }
  parsed(await get(c, '/hooks/sample/order.placed'), 404, zErrorAnswer);
});

test('GET /healthz: 200 ok, and 503 with the reason once the database file was replaced; GET /al.js', async (t) => {
  const { c } = await collector(t);
  assert.deepEqual(parsed(await c.request('GET', '/healthz'), 200, zHealth), { status: 'ok' });
  const tracker = await c.request('GET', '/al.js');
  // npm test builds dist/al.js first.
  assert.equal(tracker.status, 200);
  assert.match(tracker.headers.get('content-type') ?? '', /^text\/javascript/);
  if (onlyOnSqlite) return;
  copyFileSync(c.deps.config.dbPath, `${c.deps.config.dbPath}.copy`);
  renameSync(`${c.deps.config.dbPath}.copy`, c.deps.config.dbPath);
  assert.equal(parsed(await c.request('GET', '/healthz'), 503, zHealth).status, 'unavailable');
});
