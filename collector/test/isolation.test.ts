// Tenant isolation: brand A's keys never read or write brand B's data, on any endpoint, in any form.
import { mapInOrder } from '../src/services/context.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { hashKey } from '../src/domain/keys.ts';
import { startTestCollector, TEST_ORIGIN, type TestBrand, type TestCollector } from './support/collector.ts';
import { expandQueued } from './support/webhookFixtures.ts';

const ENDPOINTS: Array<[path: string, body: Record<string, unknown>]> = [
  ['/api/v1/track/visit', { referral_code: 'BONLY' }],
  ['/api/v1/track/claim', { referral_code: 'BONLY', customer_email: 'cross@example.com', raw_value: 10 }],
  ['/api/v1/track/conversion', { customer_email: 'cross@example.com', order_id: 'X-1', order_value: 10, referral_code: 'BONLY' }],
  ['/api/v1/track/refund', { order_id: 'B-ORD-1', refund_amount: 10, is_full_refund: true }],
  ['/api/v1/track/check-eligibility', { referral_code: 'BONLY', customer_email: 'cross@example.com' }],
  ['/api/v1/referrals/track', { code: 'BONLY', visitorId: 'cross_visitor' }],
  ['/api/v1/referrals/convert', { code: 'BONLY', orderId: 'X-2', orderValue: 10 }],
  ['/api/v1/track/share', { referral_code: 'BONLY', channel: 'email' }],
];

/**
 * Every row brand B owns, table by table, to compare before and after A's attempts: the outbox's queued changes
 * expanded first (a read of deliveries expands every brand's, which moves them from webhook_events to
 * webhook_deliveries and changes nothing they say).
 */
async function snapshotOf(c: TestCollector, brand: TestBrand) {
  await expandQueued(c);
  const tables = ['advocates', 'referral_codes', 'visits', 'claims', 'conversions', 'rewards', 'reward_events', 'refunds',
    'points_transactions', 'idempotency_keys', 'api_keys', 'webhook_endpoints', 'webhook_subscriptions', 'webhook_events', 'webhook_deliveries', 'webhook_attempts',
    'campaigns', 'shares', 'catalogue_rewards', 'redemptions', 'sso_mappings', 'sso_sessions',
    'quests', 'quest_tasks', 'task_completions', 'quest_completions', 'testimonials', 'feedback_boards', 'feedback_ideas', 'feedback_votes',
    'portal_links', 'portal_sessions'];
  const keyOf: Record<string, string> = { idempotency_keys: 'key', webhook_subscriptions: 'endpoint_id, event_type' };
  return {
    brand: await c.deps.db.prepare('SELECT * FROM brands WHERE id = ?').get(brand.brand_id),
    ...Object.fromEntries(await mapInOrder(tables, async (table) =>
      // By each table's key (PostgreSQL has no rowid; idempotency_keys alone has no id).
      [table, await c.deps.db.prepare(`SELECT * FROM ${table} WHERE brand_id = ? ORDER BY ${keyOf[table] ?? 'id'}`).all(brand.brand_id)])),
  };
}

/** Brand A (the harness's) and brand B, where B has a code A lacks and a claim, a conversion and a reward. */
async function twoBrands(t: { after(fn: () => unknown): void }) {
  const c = await startTestCollector();
  t.after(() => c.close());
  const a = c.brand;
  const b = await c.addBrand({
    codes: [['BONLY', 'Bea Bee', 'bea@b.example'], ['V2AVMRDJ', 'Sarah Other', 'sarah@b.example'], ['BTWO', 'Bo Bee', 'bo@b.example']],
  });
  const claim = await c.post('/api/v1/track/claim', { referral_code: 'BONLY', customer_email: 'bcust@example.com', raw_value: 100 }, { brand: b });
  assert.equal(claim.status, 201);
  const conversion = await c.post('/api/v1/track/conversion',
    { customer_email: 'bcust@example.com', order_id: 'B-ORD-1', order_value: 90, referral_code: 'BONLY' }, { brand: b });
  assert.equal(conversion.status, 201);
  assert.equal(conversion.body.data.claim_id, claim.body.data.claim_id);
  const pending = await c.post('/api/v1/track/claim', { referral_code: 'BTWO', customer_email: 'later@example.com', raw_value: 30 }, { brand: b });
  assert.equal(pending.status, 201);
  return {
    c, a, b,
    bClaimId: claim.body.data.claim_id as number,
    bConversionId: conversion.body.data.id as number,
    bPendingClaimId: pending.body.data.claim_id as number,
  };
}

test("A's secret key with X-Brand-ID of B: 403 on every endpoint, B untouched", async (t) => {
  const { c, a, b } = await twoBrands(t);
  const before = await snapshotOf(c, b);
  for (const [path, body] of ENDPOINTS) {
    const r = await c.post(path, body, {
      headers: { 'Content-Type': 'application/json', 'X-API-Key': a.secret_key, 'X-Brand-ID': b.brand_id },
    });
    assert.equal(r.status, 403, path);
    assert.equal(r.body.code, 'brand_mismatch', path);
    const bearer = await c.post(path, body, {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${a.secret_key}`, 'X-Brand-ID': b.brand_id },
    });
    assert.equal(bearer.status, 403, `${path} (Bearer)`);
  }
  // The tracker's form: A's publishable key with B's brand_id in the text/plain body.
  for (const path of ['/api/v1/track/visit', '/api/v1/track/claim', '/api/v1/track/check-eligibility']) {
    const body = ENDPOINTS.find(([p]) => p === path)![1];
    const r = await c.post(path, null, {
      headers: { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN },
      raw: JSON.stringify({ ...body, brand_id: b.brand_id, key: a.publishable_key }),
    });
    assert.equal(r.status, 403, `${path} (publishable, body)`);
    assert.equal(r.body.code, 'brand_mismatch', `${path} (publishable, body)`);
  }
  assert.deepEqual(await snapshotOf(c, b), before);
});

test("A's key with B's referral code: 404 on visit, claim, conversion and share; check-eligibility says invalid_code", async (t) => {
  const { c, b } = await twoBrands(t);
  const before = await snapshotOf(c, b);
  const conversionsOfA = () => c.deps.db.prepare('SELECT count(*) FROM conversions WHERE brand_id = ?', { pluck: true }).get(c.brand.brand_id);

  for (const [path, body] of [...ENDPOINTS.slice(0, 3), ENDPOINTS.at(-1)!]) {
    const r = await c.post(path, body);
    assert.equal(r.status, 404, path);
    assert.equal(r.body.code, 'invalid_code', path);
    assert.equal(r.body.details[0].field, 'referral_code', path);
  }
  const eligibility = await c.post('/api/v1/track/check-eligibility', { referral_code: 'BONLY', customer_email: 'cross@example.com' });
  assert.equal(eligibility.status, 200);
  assert.deepEqual({ eligible: eligibility.body.eligible, error: eligibility.body.error }, { eligible: false, error: 'invalid_code' });
  assert.equal(await conversionsOfA(), 0);

  // B's code as A's coupon attributes nothing (A has no such code): stored unattributed in A.
  const coupon = await c.post('/api/v1/track/conversion',
    { customer_email: 'cross@example.com', order_id: 'A-COUPON', order_value: 10, coupons_applied: [{ code: 'BONLY', discount_amount: 1 }] });
  assert.equal(coupon.status, 201);
  assert.equal(coupon.body.data.attribution, null);
  assert.equal(coupon.body.data.reward, null);
  // B's customer email and the visitor of B mean nothing to A either.
  const byEmail = await c.post('/api/v1/track/conversion', { customer_email: 'later@example.com', order_id: 'A-EMAIL', order_value: 10 });
  assert.equal(byEmail.status, 201);
  assert.equal(byEmail.body.data.attribution, null);

  assert.deepEqual(await snapshotOf(c, b), before);
});

test("A refunding B's order_id, conversion_id or claim_id: 404, B's rows unchanged", async (t) => {
  const { c, b, bClaimId, bConversionId, bPendingClaimId } = await twoBrands(t);
  const before = await snapshotOf(c, b);
  const targets: Array<[string, Record<string, unknown>]> = [
    ['order_id', { order_id: 'B-ORD-1' }],
    ['conversion_id', { conversion_id: bConversionId }],
    ['claim_id', { claim_id: bClaimId }],
    ['claim_id', { claim_id: bPendingClaimId }],
  ];
  for (const [field, target] of targets) {
    for (const full of [true, false]) {
      const r = await c.post('/api/v1/track/refund', { ...target, refund_amount: 5, is_full_refund: full, refund_id: `R-${field}-${full}` });
      assert.equal(r.status, 404, `${JSON.stringify(target)} full=${full}`);
      assert.equal(r.body.details[0].field, field);
    }
  }
  assert.deepEqual(await snapshotOf(c, b), before);
  assert.equal(await c.deps.db.prepare('SELECT count(*) FROM refunds', { pluck: true }).get(), 0);

  // B itself can refund the same order: the 404s above were about the brand, not the record.
  const own = await c.post('/api/v1/track/refund', { order_id: 'B-ORD-1', refund_amount: 90, is_full_refund: true }, { brand: b });
  assert.equal(own.status, 200);
  assert.equal(own.body.data.conversion_id, bConversionId);
});

test("A's conversion naming B's claim_id: 404, B's claim stays pending", async (t) => {
  const { c, b, bPendingClaimId } = await twoBrands(t);
  const before = await snapshotOf(c, b);
  const r = await c.post('/api/v1/track/conversion',
    { customer_email: 'later@example.com', order_id: 'A-STEAL', order_value: 30, claim_id: bPendingClaimId });
  assert.equal(r.status, 404);
  assert.equal(r.body.details[0].field, 'claim_id');
  assert.deepEqual(await snapshotOf(c, b), before);
  assert.equal(await c.deps.db.prepare('SELECT status FROM claims WHERE id = ?', { pluck: true }).get(bPendingClaimId), 'pending');
  assert.equal(await c.deps.db.prepare("SELECT count(*) FROM conversions WHERE order_id = 'A-STEAL'", { pluck: true }).get(), 0);
});

test('the same order_id in A and B: two independent conversions, refunds and duplicates stay in their brand', async (t) => {
  const { c, a, b } = await twoBrands(t);
  const inA = await c.post('/api/v1/track/conversion', { customer_email: 'x@example.com', order_id: 'SHARED-1', order_value: 40, referral_code: 'V2AVMRDJ' });
  const inB = await c.post('/api/v1/track/conversion', { customer_email: 'x@example.com', order_id: 'SHARED-1', order_value: 70, referral_code: 'V2AVMRDJ' }, { brand: b });
  assert.equal(inA.status, 201);
  assert.equal(inB.status, 201, 'a different amount in another brand is not an order_conflict');
  assert.notEqual(inA.body.data.id, inB.body.data.id);
  assert.equal(inB.body.data.order_value, 70);

  const row = (brand: TestBrand) => c.deps.db.prepare(
    `SELECT c.order_value_cents AS value, c.refunded_cents AS refunded, a.email AS advocate FROM conversions c
     JOIN advocates a ON a.id = c.advocate_id WHERE c.brand_id = ? AND c.order_id = 'SHARED-1'`,
  ).get(brand.brand_id);
  assert.deepEqual(await row(a), { value: 4000, refunded: 0, advocate: 'sarah@advocate.example' });
  assert.deepEqual(await row(b), { value: 7000, refunded: 0, advocate: 'sarah@b.example' });

  // A's retry is A's duplicate; A's refund refunds A's order only.
  const retry = await c.post('/api/v1/track/conversion', { customer_email: 'x@example.com', order_id: 'SHARED-1', order_value: 40, referral_code: 'V2AVMRDJ' });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.data.id, inA.body.data.id);
  const refund = await c.post('/api/v1/track/refund', { order_id: 'SHARED-1', refund_amount: 40, is_full_refund: true, refund_id: 'RF-1' });
  assert.equal(refund.status, 200);
  assert.equal(refund.body.data.conversion_id, inA.body.data.id);
  assert.deepEqual(await row(a), { value: 4000, refunded: 4000, advocate: 'sarah@advocate.example' });
  assert.deepEqual(await row(b), { value: 7000, refunded: 0, advocate: 'sarah@b.example' });
  assert.equal(await c.deps.db.prepare("SELECT status FROM rewards WHERE conversion_id = ?", { pluck: true }).get(inB.body.data.id), 'pending');

  // The same refund_id in B is B's first refund, not a repeat of A's.
  const refundB = await c.post('/api/v1/track/refund', { order_id: 'SHARED-1', refund_amount: 7, is_full_refund: false, refund_id: 'RF-1' }, { brand: b });
  assert.equal(refundB.status, 200);
  assert.equal(refundB.body.data.duplicate, undefined);
  assert.equal(refundB.body.data.conversion_id, inB.body.data.id);
  assert.deepEqual(await row(b), { value: 7000, refunded: 700, advocate: 'sarah@b.example' });
  assert.deepEqual(await row(a), { value: 4000, refunded: 4000, advocate: 'sarah@advocate.example' });
});

test('the same Idempotency-Key in A and B is two keys', async (t) => {
  const { c, a, b } = await twoBrands(t);
  const headers = (brand: TestBrand) => ({
    'Content-Type': 'application/json', 'X-API-Key': brand.secret_key, 'X-Brand-ID': brand.brand_id, 'Idempotency-Key': 'same-key',
  });
  const body = { customer_email: 'idem@example.com', order_value: 25, referral_code: 'V2AVMRDJ' };
  const inA = await c.post('/api/v1/track/conversion', body, { headers: headers(a) });
  const inB = await c.post('/api/v1/track/conversion', body, { headers: headers(b) });
  assert.equal(inA.status, 201);
  assert.equal(inB.status, 201);
  assert.notEqual(inB.body.data.id, inA.body.data.id, "B is not answered with A's stored answer");
  // Another body under the same key in B is no conflict with A's request, and the other way round.
  const otherInB = await c.post('/api/v1/track/claim', { referral_code: 'BONLY', customer_email: 'idem2@example.com' }, { headers: { ...headers(b), 'Idempotency-Key': 'claim-key' } });
  const otherInA = await c.post('/api/v1/track/claim', { referral_code: 'TESTCODE', customer_email: 'idem3@example.com' }, { headers: { ...headers(a), 'Idempotency-Key': 'claim-key' } });
  assert.equal(otherInB.status, 201);
  assert.equal(otherInA.status, 201);
  assert.equal(otherInA.body.data.referral_code, 'TESTCODE');

  const rows = (brand: TestBrand) => c.deps.db.prepare(
    "SELECT count(*) FROM conversions WHERE brand_id = ? AND email = 'idem@example.com'",
  { pluck: true }).get(brand.brand_id);
  assert.equal(await rows(a), 1);
  assert.equal(await rows(b), 1);
  // A replay in B answers B's own first answer.
  const replayB = await c.post('/api/v1/track/conversion', body, { headers: headers(b) });
  assert.deepEqual(replayB.body, inB.body);
});

test("B's converted customer is still eligible with A", async (t) => {
  const { c } = await twoBrands(t);
  const r = await c.post('/api/v1/track/check-eligibility', { referral_code: 'TESTCODE', customer_email: 'bcust@example.com' });
  assert.deepEqual(r.body, { eligible: true });
});

test("/convert signed with A's secret but X-Brand-ID of B: 401, no claim in B", async (t) => {
  const { c, a, b } = await twoBrands(t);
  const before = await snapshotOf(c, b);
  const raw = JSON.stringify({ referral_code: 'BONLY', email: 'webhook@example.com', value: 99 });
  for (const secret of [a.secret_key, a.publishable_key]) {
    const r = await c.post('/api/v1/convert', null, {
      raw,
      headers: {
        'Content-Type': 'application/json',
        'X-Brand-ID': b.brand_id,
        'X-AL-Signature': createHmac('sha256', secret).update(raw).digest('hex'),
      },
    });
    assert.equal(r.status, 401);
  }
  assert.deepEqual(await snapshotOf(c, b), before);
  // The same request signed with B's secret is accepted: the 401s were about the key.
  const own = await c.post('/api/v1/convert', null, {
    raw,
    headers: { 'Content-Type': 'application/json', 'X-Brand-ID': b.brand_id, 'X-AL-Signature': createHmac('sha256', b.secret_key).update(raw).digest('hex') },
  });
  assert.equal(own.status, 201);
});

// ---- The management API: every route, with A's key, on B's records ----

/** B's records, by the ids a client would use: an advocate, its code, a visit, a claim, a conversion and its commission. */
async function bRecords(t: { after(fn: () => unknown): void }) {
  const two = await twoBrands(t);
  const { c, b } = two;
  const visit = await c.post('/api/v1/track/visit', { referral_code: 'BONLY' }, { brand: b });
  assert.equal(visit.status, 200);
  const advocateId = (await c.deps.q.advocates.findByCode(b.brand_id, 'BONLY'))!.id;
  const [commission] = await c.deps.q.rewards.findByConversion(b.brand_id, two.bConversionId);
  assert.ok(commission);
  // Webhooks: an endpoint of each brand with a test delivery and its attempt, and a Zapier hook of B's.
  const endpoint = async (brand: TestBrand) => {
    const w = await c.call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/x', description: `of ${brand.brand_id}` }, { brand });
    assert.equal(w.status, 201, JSON.stringify(w.body));
    const d = await c.call('POST', `/api/v1/webhooks/${w.body.data.webhook.id}/test`, {}, { brand });
    assert.equal(d.status, 202, JSON.stringify(d.body));
    return { webhookId: w.body.data.webhook.id as number, deliveryId: d.body.data.delivery.id as number };
  };
  const aHook = await endpoint(two.a);
  const bHook = await endpoint(b);
  const at = new Date().toISOString();
  await c.deps.queue.run(async () => {
    const [claimed] = await c.deps.q.webhooks.claimDue(bHook.webhookId, at, at, 1);
    await c.deps.q.webhooks.recordAttempt({
      deliveryId: claimed!.id, brandId: b.brand_id, attempt: 1, webhookTimestamp: 1, startedAt: at, durationMs: 5, statusCode: 500,
      error: null, responseBody: 'bea@b.example', outcome: 'failed', status: 'pending', nextAttemptAt: at,
    }, at);
  });
  const zap = await c.call('POST', '/api/v1/hooks/subscribe', { target_url: 'https://hooks.zapier.com/b', event: 'claim.created' }, { brand: b });
  assert.equal(zap.status, 201);
  // Campaigns: B's default one and one it made.
  const partners = await c.call('POST', '/api/v1/campaigns', { name: 'B partners', referrer_reward_value: 20 }, { brand: b });
  assert.equal(partners.status, 201, JSON.stringify(partners.body));
  // The catalogue: a reward of B's, redeemed by B's advocate.
  const bReward = await c.call('POST', '/api/v1/rewards', { name: 'B gift card', points_cost: 10, type: 'gift_card', stock: 5 }, { brand: b });
  assert.equal(bReward.status, 201, JSON.stringify(bReward.body));
  assert.equal((await c.call('POST', `/api/v1/advocates/${advocateId}/points`, { amount: 50 }, { brand: b })).status, 200);
  const bRedemption = await c.call('POST', `/api/v1/rewards/${bReward.body.data.reward.id}/redeem`, { advocate_id: advocateId }, { brand: b });
  assert.equal(bRedemption.status, 200, JSON.stringify(bRedemption.body));
  // Quests: one of B's, its first task completed by B's advocate.
  const bQuest = await c.call('POST', '/api/v1/quests', { title: 'B quest', tasks: [{ title: 'B task', points: 5 }, { title: 'B two', points: 5 }], reward: 10 }, { brand: b });
  assert.equal(bQuest.status, 201, JSON.stringify(bQuest.body));
  const bQuestId = bQuest.body.data.quest.id as number;
  const bTaskId = (await c.call('GET', `/api/v1/quests/${bQuestId}`, undefined, { brand: b })).body.data.tasks[0].id as number;
  assert.equal((await c.call('POST', `/api/v1/quests/${bQuestId}/complete`, { advocate_id: advocateId, task_id: bTaskId }, { brand: b })).status, 200);
  // Single sign-on: a customer of B's site mapped to B's advocate.
  const bMapping = await c.call('POST', '/api/v1/sso/mappings', { advocate_id: advocateId, external_customer_id: 'b_cus_1' }, { brand: b });
  assert.equal(bMapping.status, 201, JSON.stringify(bMapping.body));
  // Testimonials and feedback: B's approved testimonial, B's board with an idea of B's advocate, voted by it.
  const bTestimonial = await c.call('POST', '/api/v1/testimonials', { name: 'B customer', email: 'bcust@example.com', rating: 5, text: 'B only' }, { brand: b });
  assert.equal(bTestimonial.status, 201, JSON.stringify(bTestimonial.body));
  const bTestimonialId = bTestimonial.body.data.testimonial.id as number;
  assert.equal((await c.call('PATCH', `/api/v1/testimonials/${bTestimonialId}`, { status: 'approved' }, { brand: b })).status, 200);
  const bBoard = await c.call('POST', '/api/v1/feedback/boards', { name: 'B board' }, { brand: b });
  assert.equal(bBoard.status, 201, JSON.stringify(bBoard.body));
  const bBoardId = bBoard.body.data.board.id as number;
  const bIdea = await c.call('POST', `/api/v1/feedback/boards/${bBoardId}/ideas`, { advocate_id: advocateId, title: 'B idea' }, { brand: b });
  assert.equal(bIdea.status, 201, JSON.stringify(bIdea.body));
  const bIdeaId = bIdea.body.data.idea.id as number;
  assert.equal((await c.call('POST', `/api/v1/feedback/ideas/${bIdeaId}/votes`, { advocate_id: advocateId }, { brand: b })).status, 201);
  return { bTestimonialId, bBoardId, bIdeaId, ...two, advocateId, commissionId: commission.id, bRecordUuid: commission.uuid, bWebhookId: bHook.webhookId, bDeliveryId: bHook.deliveryId, bHookId: zap.body.id as number,
    aWebhookId: aHook.webhookId, aDeliveryId: aHook.deliveryId, bCampaignId: partners.body.data.campaign.id as number,
    bDefaultCampaignId: (await c.deps.q.brands.getBrand(b.brand_id))!.defaultCampaignId,
    bRewardId: bReward.body.data.reward.id as number, bRedemptionId: bRedemption.body.data.redemption.id as number,
    bMappingId: bMapping.body.data.mapping.id as number, bQuestId, bTaskId };
}

type Route = [method: string, path: string, body?: unknown];

/** Every management route that names one of B's records. */
const routesOnB = (r: {
  advocateId: number; commissionId: number; bConversionId: number; bClaimId: number; bWebhookId: number; bDeliveryId: number; bHookId: number;
  bCampaignId: number; bDefaultCampaignId: number; bRecordUuid: string; bRewardId: number; bRedemptionId: number; bMappingId: number;
  bQuestId: number; bTaskId: number; bTestimonialId: number; bBoardId: number; bIdeaId: number;
}): Route[] => [
  ['GET', `/api/v1/testimonials/${r.bTestimonialId}`],
  ['PATCH', `/api/v1/testimonials/${r.bTestimonialId}`, { status: 'rejected' }],
  ['GET', `/api/v1/feedback/boards/${r.bBoardId}`],
  ['GET', `/api/v1/feedback/boards/${r.bBoardId}/ideas`],
  ['GET', `/api/v1/feedback/boards/${r.bBoardId}/ideas?sort=votes`],
  ['POST', `/api/v1/feedback/boards/${r.bBoardId}/ideas`, { advocate_id: r.advocateId, title: 'cross-brand' }],
  ['GET', `/api/v1/feedback/ideas/${r.bIdeaId}`],
  ['PATCH', `/api/v1/feedback/ideas/${r.bIdeaId}`, { status: 'declined' }],
  ['POST', `/api/v1/feedback/ideas/${r.bIdeaId}/votes`, { advocate_id: r.advocateId }],
  ['DELETE', `/api/v1/feedback/ideas/${r.bIdeaId}/votes/${r.advocateId}`],
  ['GET', `/api/v1/quests/${r.bQuestId}`],
  ['PATCH', `/api/v1/quests/${r.bQuestId}`, { status: 'archived' }],
  ['POST', `/api/v1/quests/${r.bQuestId}/complete`, { advocate_id: r.advocateId, task_id: r.bTaskId }],
  ['DELETE', `/api/v1/sso/mappings/${r.bMappingId}`],
  ['POST', '/api/v1/sso/mappings', { advocate_id: r.advocateId, external_customer_id: 'a_cus_for_b' }],
  ['GET', `/api/v1/rewards/${r.bRewardId}`],
  ['PATCH', `/api/v1/rewards/${r.bRewardId}`, { stock: 0 }],
  ['POST', `/api/v1/rewards/${r.bRewardId}/archive`],
  ['POST', `/api/v1/rewards/${r.bRewardId}/redeem`, { advocate_id: r.advocateId }],
  ['GET', `/api/v1/redemptions/${r.bRedemptionId}`],
  ['POST', `/api/v1/redemptions/${r.bRedemptionId}/fulfil`, { fulfilment: 'STOLEN' }],
  ['POST', `/api/v1/redemptions/${r.bRedemptionId}/cancel`, { reason: 'cross-brand' }],
  ['GET', `/api/v1/referral-records/${r.bRecordUuid}`],
  ...[r.bCampaignId, r.bDefaultCampaignId].flatMap((id): Route[] => [
    ['GET', `/api/v1/campaigns/${id}`],
    ['PATCH', `/api/v1/campaigns/${id}`, { referrer_reward_value: 99 }],
    ['POST', `/api/v1/campaigns/${id}/archive`],
  ]),
  ['GET', `/api/v1/advocates/${r.advocateId}`],
  ['PATCH', `/api/v1/advocates/${r.advocateId}`, { status: 'blocked' }],
  ['POST', `/api/v1/advocates/${r.advocateId}/codes`, { code: 'STOLEN' }],
  ['GET', `/api/v1/advocates/${r.advocateId}/points`],
  ['POST', `/api/v1/advocates/${r.advocateId}/points`, { amount: 50, description: 'cross-brand' }],
  ['POST', `/api/v1/advocates/${r.advocateId}/portal-link`, {}],
  ['GET', '/api/v1/referrals/BONLY'],
  ['GET', '/api/v1/referrals/BONLY/stats'],
  ['PATCH', '/api/v1/referrals/BONLY', { status: 'inactive' }],
  ['DELETE', '/api/v1/referrals/BONLY'],
  ['GET', `/api/v1/commissions/${r.commissionId}`],
  ['PUT', `/api/v1/commissions/${r.commissionId}/status`, { status: 'approved', reason: 'cross-brand' }],
  ['PATCH', `/api/v1/commissions/${r.commissionId}/status`, { status: 'rejected', reason: 'cross-brand' }],
  ['POST', '/api/v1/payouts', { commission_ids: [r.commissionId] }],
  ['GET', `/api/v1/conversions/${r.bConversionId}`],
  ['GET', `/api/v1/claims/${r.bClaimId}`],
  ['GET', `/api/v1/webhooks/${r.bWebhookId}`],
  ['PATCH', `/api/v1/webhooks/${r.bWebhookId}`, { status: 'disabled' }],
  ['PATCH', `/api/v1/webhooks/${r.bWebhookId}`, { url: 'https://attacker.example/steal', events: ['*'] }],
  ['POST', `/api/v1/webhooks/${r.bWebhookId}/rotate-secret`],
  ['GET', `/api/v1/webhooks/${r.bWebhookId}/deliveries`],
  ['GET', `/api/v1/webhooks/${r.bWebhookId}/deliveries/${r.bDeliveryId}`],
  ['POST', `/api/v1/webhooks/${r.bWebhookId}/deliveries/${r.bDeliveryId}/resend`],
  ['POST', `/api/v1/webhooks/${r.bWebhookId}/test`, {}],
  ['DELETE', `/api/v1/webhooks/${r.bWebhookId}`],
  ['GET', `/api/v1/webhooks/${r.bHookId}`],
  ['DELETE', `/api/v1/hooks/${r.bHookId}`],
];

/** Every management route that lists, exports or changes the caller's own brand. */
const BRAND_ROUTES: Route[] = [
  ['GET', '/api/v1/advocates'],
  ['POST', '/api/v1/advocates', { email: 'new@a.example', name: 'New One' }],
  ['GET', '/api/v1/referrals'],
  ['GET', '/api/v1/commissions'],
  ['GET', '/api/v1/commissions/export'],
  ['POST', '/api/v1/commissions/approve-due', {}],
  ['GET', '/api/v1/payouts'],
  ['GET', '/api/v1/payouts/export'],
  ['GET', '/api/v1/settings'],
  ['PATCH', '/api/v1/settings', { cooling_period_days: 7 }],
  ['GET', '/api/v1/visits'],
  ['GET', '/api/v1/claims'],
  ['GET', '/api/v1/conversions'],
  ['GET', '/api/v1/conversions/export'],
  ['GET', '/api/v1/webhooks'],
  ['POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/a', events: ['*', 'visit.created'] }],
  ['POST', '/api/v1/hooks/subscribe', { target_url: 'https://hooks.zapier.com/a', event: 'conversion.created' }],
  ['GET', '/api/v1/hooks/sample/conversion.created'],
  ['GET', '/api/v1/campaigns'],
  ['POST', '/api/v1/campaigns', { name: 'A only', referrer_reward_type: 'fixed', referrer_reward_value: 3 }],
  ['GET', '/api/v1/referral-records'],
  ['GET', '/api/v1/referral-records?customer_email=bcust@example.com'],
  ['GET', '/api/v1/rewards'],
  ['POST', '/api/v1/rewards', { name: 'A only', points_cost: 5, type: 'custom' }],
  ['GET', '/api/v1/redemptions'],
  ['GET', '/api/v1/sso/mappings'],
  ['GET', '/api/v1/quests'],
  ['GET', '/api/v1/quests?status=active'],
  ['POST', '/api/v1/quests', { title: 'A only', tasks: [{ title: 'A task', points: 1 }] }],
  ['GET', '/api/v1/testimonials'],
  ['GET', '/api/v1/testimonials?status=approved&total=true'],
  ['GET', '/api/v1/testimonials?rating=5'],
  ['GET', '/api/v1/feedback/boards'],
  ['POST', '/api/v1/feedback/boards', { name: 'A only' }],
];

test("management routes: A's key on B's advocate, code, commission, conversion or claim is a 404 (never 403), B untouched", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  const before = await snapshotOf(c, b);
  for (const [method, path, body] of routesOnB(r)) {
    const res = await c.call(method, path, body);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.success, false, `${method} ${path}`);
    // B itself reaches the same record: the 404 was about the brand.
    if (method === 'GET') assert.equal((await c.call(method, path, undefined, { brand: b })).status, 200, `${method} ${path} as B`);
  }
  assert.deepEqual(await snapshotOf(c, b), before);
});

test("management routes: A's lists, exports and settings never show or change B's rows", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  c.deps.now = () => new Date(Date.now() + 40 * 86_400_000); // B's commission is due: A's calls must not approve it
  const before = await snapshotOf(c, b);
  const bEmails = ['bea@b.example', 'sarah@b.example', 'bo@b.example', 'bcust@example.com', 'later@example.com'];
  for (const [method, path, body] of BRAND_ROUTES) {
    const res = await c.call(method, path, body);
    assert.ok(res.status >= 200 && res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    for (const secret of [...bEmails, 'BONLY', 'BTWO', b.brand_id]) {
      assert.ok(!text.includes(secret), `${method} ${path} shows ${secret} of brand B`);
    }
  }
  assert.deepEqual(await snapshotOf(c, b), before);
});

test("a referral record entered with A's key naming B's advocate, conversion or referred advocate: a 400 naming it, B untouched", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  const before = await snapshotOf(c, b);
  const aAdvocate = (await c.deps.q.advocates.findByCode(c.brand.brand_id, 'JOHN123'))!.id;
  for (const [body, field] of [
    [{ referrer_advocate_id: r.advocateId, reward_action_type: 3, qualified_amount: 5, reward_amount: 1 }, 'referrer_advocate_id'],
    [{ referrer_advocate_id: aAdvocate, reward_action_type: 1, conversion_id: r.bConversionId }, 'conversion_id'],
    [{ referrer_advocate_id: aAdvocate, reward_action_type: 2, referred_advocate_id: r.advocateId, reward_amount: 1 }, 'referred_advocate_id'],
    [{ referrer_advocate_id: aAdvocate, reward_action_type: 1, campaign_id: r.bCampaignId, order_id: 'B-ORD-1', referred_customer_email: 'x@a.example', reward_amount: 1 }, 'campaign_id'],
  ] as const) {
    const res = await c.call('POST', '/api/v1/referral-records', body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.ok(res.body.details.some((d: { field: string }) => d.field === field), JSON.stringify(res.body));
  }
  assert.deepEqual(await snapshotOf(c, b), before);
});

test("a redemption with A's key naming B's advocate: a 404 naming advocate_id, B untouched; B's rewards never listed to A", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  const before = await snapshotOf(c, b);
  const aReward = await c.call('POST', '/api/v1/rewards', { name: 'A card', points_cost: 1, type: 'gift_card' });
  assert.equal(aReward.status, 201);
  const res = await c.call('POST', `/api/v1/rewards/${aReward.body.data.reward.id}/redeem`, { advocate_id: r.advocateId });
  assert.equal(res.status, 404, JSON.stringify(res.body));
  assert.ok(res.body.details.some((d: { field: string }) => d.field === 'advocate_id'), JSON.stringify(res.body));
  for (const query of [{}, { status: 'active' }, { type: 'gift_card' }] as Array<Record<string, string>>) {
    const listed = (await c.call('GET', '/api/v1/rewards', undefined, { query })).body.data.rewards.map((x: { id: number }) => x.id);
    assert.deepEqual(listed, [aReward.body.data.reward.id], JSON.stringify(query));
  }
  for (const query of [{ advocate_id: r.advocateId }, { reward_id: r.bRewardId }, { status: 'pending' }, { total: 'true' }] as Array<Record<string, string | number>>) {
    const page = (await c.call('GET', '/api/v1/redemptions', undefined, { query })).body.data;
    assert.deepEqual(page.redemptions, [], JSON.stringify(query));
  }
  assert.deepEqual(await snapshotOf(c, b), before);
});

test("quests and 002_*'s referral calls with A's key naming B's advocate, task or code: a 404 naming it, B untouched", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  const before = await snapshotOf(c, b);
  const aQuest = await c.call('POST', '/api/v1/quests', { title: 'A quest', tasks: [{ title: 'A task', points: 3 }] });
  assert.equal(aQuest.status, 201);
  const aQuestId = aQuest.body.data.quest.id;
  const aTaskId = (await c.call('GET', `/api/v1/quests/${aQuestId}`)).body.data.tasks[0].id;
  const aAdvocate = (await c.deps.q.advocates.findByCode(c.brand.brand_id, 'JOHN123'))!.id;
  for (const [res, field] of [
    [await c.call('POST', `/api/v1/quests/${aQuestId}/complete`, { advocate_id: r.advocateId, task_id: aTaskId }), 'advocate_id'],
    [await c.call('POST', `/api/v1/quests/${aQuestId}/complete`, { advocate_id: aAdvocate, task_id: r.bTaskId }), 'task_id'],
    [await c.call('GET', `/api/v1/quests/${aQuestId}`, undefined, { query: { advocate_id: r.advocateId } }), 'advocate_id'],
    [await c.call('POST', '/api/v1/referrals/track', { code: 'BONLY', visitorId: 'cross_visitor' }), 'code'],
    [await c.call('POST', '/api/v1/referrals/convert', { code: 'BONLY', orderId: 'X-2', orderValue: 10 }), 'code'],
  ] as const) {
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.ok(res.body.details.some((d: { field: string }) => d.field === field), JSON.stringify(res.body));
  }
  const listed = (await c.call('GET', '/api/v1/quests')).body.data.quests.map((q: { id: number }) => q.id);
  assert.deepEqual(listed, [aQuestId]);
  assert.equal((await c.call('GET', `/api/v1/quests/${aQuestId}`)).body.data.progress.length, 0);
  assert.deepEqual(await snapshotOf(c, b), before);
});

test("testimonials and feedback with A's keys naming B's advocate: 404s naming advocate_id; A's publishable key reads and writes A's only", async (t) => {
  const r = await bRecords(t);
  const { c, a, b } = r;
  const before = await snapshotOf(c, b);
  const aBoard = (await c.call('POST', '/api/v1/feedback/boards', { name: 'A board' })).body.data.board.id as number;
  const aAdvocate = (await c.call('POST', '/api/v1/advocates', { email: 'ann@a.example', name: 'Ann' })).body.data.advocate.id as number;
  const aIdea = (await c.call('POST', `/api/v1/feedback/boards/${aBoard}/ideas`, { advocate_id: aAdvocate, title: 'A idea' })).body.data.idea.id as number;
  for (const res of [
    await c.call('POST', '/api/v1/testimonials', { advocate_id: r.advocateId, rating: 5, text: 'as B' }),
    await c.call('POST', `/api/v1/feedback/boards/${aBoard}/ideas`, { advocate_id: r.advocateId, title: 'as B' }),
    await c.call('POST', `/api/v1/feedback/ideas/${aIdea}/votes`, { advocate_id: r.advocateId }),
  ]) {
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.ok(res.body.details.some((d: { field: string }) => d.field === 'advocate_id'), JSON.stringify(res.body));
  }
  assert.equal((await c.call('DELETE', `/api/v1/feedback/ideas/${aIdea}/votes/${r.advocateId}`)).status, 404);
  const pk = { 'Content-Type': 'application/json', 'X-API-Key': a.publishable_key, 'X-Brand-ID': a.brand_id, Origin: TEST_ORIGIN };
  const read = await c.request('GET', '/api/v1/testimonials/public', { headers: pk });
  assert.deepEqual([read.status, read.body.data.testimonials], [200, []], "B's approved testimonial is not A's");
  const sent = await c.request('POST', '/api/v1/testimonials', { headers: pk, body: JSON.stringify({ name: 'A fan', email: 'fan@a.example', rating: 4, text: 'A' }) });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.deepEqual((await c.call('GET', '/api/v1/testimonials')).body.data.testimonials.map((x: { id: number }) => x.id), [sent.body.data.testimonial.id]);
  assert.deepEqual((await c.call('GET', '/api/v1/feedback/boards')).body.data.boards.map((x: { id: number }) => x.id), [aBoard]);
  assert.deepEqual(await snapshotOf(c, b), before);
});

test('management routes: 401 without a key, 403 with X-Brand-ID of another brand or with a publishable key', async (t) => {
  const r = await bRecords(t);
  const { c, a, b } = r;
  for (const [method, path, body] of [...BRAND_ROUTES, ...routesOnB(r)]) {
    const payload = body === undefined ? {} : { body: JSON.stringify(body) };
    const json: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    const none = await c.request(method, path, { headers: json, ...payload });
    assert.equal(none.status, 401, `${method} ${path} without a key`);
    const mismatch = await c.request(method, path, { headers: { ...json, 'X-API-Key': a.secret_key, 'X-Brand-ID': b.brand_id }, ...payload });
    assert.equal(mismatch.status, 403, `${method} ${path} with X-Brand-ID of B`);
    assert.equal(mismatch.body.code, 'brand_mismatch');
    const publishable = await c.request(method, path, { headers: { ...json, 'X-API-Key': a.publishable_key, 'X-Brand-ID': a.brand_id, Origin: TEST_ORIGIN }, ...payload });
    assert.equal(publishable.status, 403, `${method} ${path} with a publishable key`);
    assert.equal(publishable.body.code, 'secret_key_required');
  }
});

test("management lists paged by cursor, searched or counted with A's key never reach B's rows, whatever the cursor", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  const lists: Array<[string, string]> = [['/api/v1/advocates', 'advocates'], ['/api/v1/referrals', 'referrals'],
    ['/api/v1/commissions', 'commissions'], ['/api/v1/visits', 'visits'], ['/api/v1/claims', 'claims'], ['/api/v1/conversions', 'conversions'],
    ['/api/v1/webhooks', 'webhooks'], ['/api/v1/redemptions', 'redemptions'], ['/api/v1/testimonials', 'testimonials']];
  const cursorAt = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');
  for (const [path, name] of lists) {
    const ids = async (brand: typeof b | undefined, query: Record<string, string | number>) => {
      const res = await c.call('GET', path, undefined, { ...(brand ? { brand } : {}), query });
      assert.equal(res.status, 200, `${path} ${JSON.stringify(res.body)}`);
      return res.body.data as { [k: string]: any };
    };
    const own = (await ids(undefined, { limit: 100 }))[name].map((x: { id: number }) => x.id);
    const theirs = (await ids(b, { limit: 100 }))[name].map((x: { id: number }) => x.id);
    assert.ok(theirs.length > 0, `${path}: B has rows`);
    // A walk from above every id, one row a page, and pages from each of B's ids: only A's rows.
    const seen: number[] = [];
    for (let cursor = cursorAt(Number.MAX_SAFE_INTEGER); ;) {
      const page = await ids(undefined, { limit: 1, cursor });
      seen.push(...page[name].map((x: { id: number }) => x.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    assert.deepEqual(seen, own, path);
    for (const id of theirs) {
      const page = await ids(undefined, { cursor: cursorAt(id + 1), limit: 100 });
      assert.deepEqual(page[name].map((x: { id: number }) => x.id), own.filter((x: number) => x <= id), `${path} from B's id ${id}`);
    }
    const counted = await ids(undefined, { total: 'true' });
    assert.equal(counted.total, own.length, `${path} total counts A's rows only`);
  }
  for (const search of ['bea', 'sarah', 'BONLY', 'BTWO', 'b.example']) {
    for (const path of ['/api/v1/advocates', '/api/v1/referrals']) {
      const res = await c.call('GET', path, undefined, { query: { search, total: 'true' } });
      const text = JSON.stringify(res.body);
      for (const secret of ['bea@b.example', 'sarah@b.example', 'bo@b.example', 'BONLY', 'BTWO']) assert.ok(!text.includes(secret), `${path}?search=${search} shows ${secret}`);
    }
  }
});

test("webhooks: A's endpoint never reaches B's deliveries (by path, by cursor), and B's events never fan out to A's endpoint", async (t) => {
  const r = await bRecords(t);
  const { c, b } = r;
  const before = await snapshotOf(c, b);
  const own = `/api/v1/webhooks/${r.aWebhookId}`;
  assertNotFound(await c.call('GET', `${own}/deliveries/${r.bDeliveryId}`));
  assertNotFound(await c.call('POST', `${own}/deliveries/${r.bDeliveryId}/resend`));
  const cursorAt = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');
  const queries: Array<Record<string, string | number>> = [
    { limit: 100 }, { cursor: cursorAt(r.bDeliveryId + 1) }, { cursor: cursorAt(Number.MAX_SAFE_INTEGER), status: 'pending' }, { total: 'true' },
  ];
  for (const query of queries) {
    const page = await c.call('GET', `${own}/deliveries`, undefined, { query });
    assert.equal(page.status, 200);
    const ids = page.body.data.deliveries.map((d: { id: number }) => d.id);
    assert.ok(ids.every((id: number) => id === r.aDeliveryId), `${JSON.stringify(query)}: ${JSON.stringify(ids)}`);
    if (query.total) assert.equal(page.body.data.total, 1);
  }
  // B's conversion: B's endpoint gets it, A's never does.
  const at = new Date().toISOString();
  const written = await c.deps.queue.run(async () => c.deps.q.webhooks.fanOut([{
    brandId: b.brand_id, endpointIds: await c.deps.q.webhooks.receivers(b.brand_id, 'conversion.created'),
    eventId: 'msg_isolation', type: 'conversion.created', payload: '{}', at,
  }]));
  assert.equal(written, 1);
  const fanned = await c.deps.db.prepare('SELECT brand_id, endpoint_id FROM webhook_deliveries WHERE event_id = ?').all('msg_isolation');
  assert.deepEqual(fanned, [{ brand_id: b.brand_id, endpoint_id: r.bWebhookId }]);
  // Nothing else of B's changed: its deliveries are those it had, and the one just written.
  const withoutThatOne = (snapshot: Record<string, unknown>) => ({
    ...snapshot,
    webhook_deliveries: (snapshot.webhook_deliveries as Array<{ event_id: string }>).filter((d) => d.event_id !== 'msg_isolation'),
  });
  assert.deepEqual(withoutThatOne(await snapshotOf(c, b)), withoutThatOne(before));
});

function assertNotFound(res: { status: number; body: { success: boolean } }) {
  assert.equal(res.status, 404, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
}

test("the widget's reads: A's publishable key with B's code answers nothing; B's session token reads only B's advocate, never from A's origin", async (t) => {
  const { c, a, b } = await twoBrands(t);
  const referrer = (brand: TestBrand, code: string) => c.request('GET', `/api/v1/track/referrer?code=${code}`,
    { headers: { 'X-API-Key': brand.publishable_key, 'X-Brand-ID': brand.brand_id, Origin: TEST_ORIGIN } });
  // B's own key on its codes first (its use touches B's key row): then B must stay as it is.
  assert.equal((await referrer(b, 'V2AVMRDJ')).body.data.referrer_first_name, 'Sarah');
  assert.equal((await referrer(b, 'BONLY')).body.data.referrer_first_name, 'Bea');
  const before = await snapshotOf(c, b);
  const crossed = await referrer(a, 'BONLY');
  assert.deepEqual([crossed.status, crossed.body.code], [404, 'invalid_code']);
  assert.ok(!JSON.stringify(crossed.body).includes('Bea'));
  // The same code in both brands: A's key answers A's advocate.
  assert.equal((await referrer(a, 'V2AVMRDJ')).body.data.referrer_first_name, 'Sarah');

  // B's session for Sarah of B (advocate ids differ from A's Sarah).
  const bSarah = (await c.deps.q.advocates.findByCode(b.brand_id, 'V2AVMRDJ'))!.id;
  const token = 'rl_st_isolation-test-token-of-brand-b';
  await c.deps.q.sso.insertSession(b.brand_id, bSarah, hashKey(token), '2999-01-01T00:00:00.000Z', new Date().toISOString());
  const me = (origin?: string) => c.request('GET', '/api/v1/sso/me', { headers: { Authorization: `Bearer ${token}`, ...(origin ? { Origin: origin } : {}) } });
  const own = await me();
  assert.equal(own.status, 200, JSON.stringify(own.body));
  assert.equal(own.body.data.advocate_id, bSarah);
  assert.notEqual(bSarah, (await c.deps.q.advocates.findByCode(a.brand_id, 'V2AVMRDJ'))!.id);
  // An origin B does not allow: refused.
  assert.deepEqual([(await me('http://a-only.example')).status, (await me('http://a-only.example')).body.code], [403, 'origin_not_allowed']);
  const sessions = await c.deps.db.prepare('DELETE FROM sso_sessions WHERE brand_id = ?').run(b.brand_id);
  assert.equal(sessions.changes, 1);
  assert.deepEqual(await snapshotOf(c, b), before);
});
