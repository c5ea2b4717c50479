// Use case: a paid order. Idempotent by order_id; attributed, linked to its claim, and the rewards recorded (levels 1 and 2).
import { ApiError } from '../errors.ts';
import { resolveAttribution } from '../domain/attribution.ts';
import { ineligibleReason } from '../domain/eligibility.ts';
import { daysAfter, daysBefore } from '../domain/time.ts';
import { toDecimal } from '../domain/money.ts';
import { earnsLevel2, rewardFor } from '../domain/rewards.ts';
import type { Conversion } from '../db/conversions.ts';
import type { ConversionRecord } from '../db/records.ts';
import type { Reward } from '../db/rewards.ts';
import type { ConversionRequest } from '../schemas/track.ts';
import { conversionSubject, publish, publishAll, type Published } from '../webhooks/outbox.ts';
import { earnedEvents, earnReward } from './actions.ts';
import { programmeOf } from './campaigns.ts';
import { attributionLookups, jsonOrNull, type Ctx } from './context.ts';
import { conversionDetailView } from './records.ts';

/** A conversion event: the conversion as GET /conversions/:id answers it (with its rewards), read now. */
export const publishConversion = (ctx: Ctx, type: 'conversion.created' | 'conversion.refunded', id: number): Promise<void> =>
  publish(ctx, type, async () => conversionDetailView(ctx, (await ctx.q.records.conversion(ctx.brand.id, id))!,
    await ctx.q.rewards.findByConversion(ctx.brand.id, id)), conversionSubject(id));

/** Attributable revenue: order_value as sent (000_*), or order_total − tax − shipping − discount (001_*). */
function attributableCents(req: ConversionRequest): number {
  if (req.order_value !== undefined) return req.order_value;
  const value = req.order_total! - (req.tax ?? 0) - (req.shipping ?? 0) - (req.discount ?? 0);
  if (value < 0) {
    throw new ApiError(400, 'invalid_request', 'order_total: must be at least tax + shipping + discount', [
      { field: 'order_total', message: 'must be at least tax + shipping + discount' },
    ]);
  }
  return value;
}

const rewardSummary = (r: Reward) => ({
  id: r.id,
  level: r.level,
  advocate_id: r.advocateId,
  status: r.status,
  kind: r.kind,
  amount: r.kind === 'cash' ? toDecimal(r.amount) : r.amount,
  available_at: r.availableAt,
});

/** `reward`: the level-1 reward (the shape peers expect); `rewards`: every level's (read unless given). */
export async function conversionView(ctx: Ctx, c: Conversion, given?: Reward[]) {
  const rewards = given ?? await ctx.q.rewards.findByConversion(ctx.brand.id, c.id);
  const reward = rewards.find((r) => r.level === 1);
  return {
    id: c.id,
    conversion_id: c.id,
    order_id: c.orderId,
    status: c.status,
    order_value: toDecimal(c.orderValueCents),
    discount_applied: toDecimal(c.discountAppliedCents),
    total_discount: toDecimal(c.totalDiscountCents),
    order_subtotal: toDecimal(c.orderValueCents + c.totalDiscountCents),
    claim_id: c.claimId,
    referral_code: c.code,
    attribution: c.attribution,
    reward: reward
      ? {
          id: reward.id,
          status: reward.status,
          kind: reward.kind,
          amount: reward.kind === 'cash' ? toDecimal(reward.amount) : reward.amount,
          available_at: reward.availableAt,
        }
      : null,
    rewards: rewards.map(rewardSummary),
  };
}

export async function recordConversion(ctx: Ctx, req: ConversionRequest): Promise<{ created: boolean; data: Awaited<ReturnType<typeof conversionView>> & { duplicate?: true } }> {
  const { q, brand, now } = ctx;
  const orderValue = attributableCents(req);
  if (req.order_id !== undefined) {
    const existing = await q.conversions.findByOrderId(brand.id, req.order_id);
    if (existing) {
      if (existing.orderValueCents !== orderValue) {
        throw new ApiError(409, 'order_conflict',
          `order_id ${req.order_id} was already recorded with order value ${toDecimal(existing.orderValueCents)}`,
          [{ field: 'order_id', message: 'already recorded with a different amount' }], { conversion_id: existing.id });
      }
      return { created: false, data: { ...await conversionView(ctx, existing), duplicate: true } };
    }
  }

  const coupons = req.coupons_applied ?? [];
  const attribution = await resolveAttribution({
    claimId: req.claim_id,
    referralCode: req.referral_code,
    couponCodes: coupons.map((c) => c.code),
    email: req.email,
    visitorId: req.visitor_id,
    since: daysBefore(now, brand.longestWindowDays),
    windowStart: async (advocate) => daysBefore(now, (await programmeOf(ctx, advocate.campaignId)).attributionWindowDays),
  }, attributionLookups(ctx));

  // Decided before this conversion is stored: a customer's first referred order earns, a repeat one does not.
  const ineligible = attribution
    ? ineligibleReason(attribution.advocate, req.email, await q.conversions.hasAttributedConversion(brand.id, req.email))
    : null;
  const code = attribution?.advocate.code ?? null;
  const referralCoupon = code === null ? undefined : coupons.find((c) => c.code.toUpperCase() === code);
  const couponTotal = coupons.reduce((sum, c) => sum + c.discount_amount_cents, 0);
  const discountApplied = referralCoupon?.discount_amount_cents ?? attribution?.claim?.discountAppliedCents ?? req.discount ?? 0;
  const totalDiscount = coupons.length > 0 ? couponTotal : (req.discount ?? discountApplied);
  const createdAt = now.toISOString();

  const stored = {
    brandId: brand.id,
    orderId: req.order_id ?? null,
    email: req.email,
    name: req.name ?? null,
    visitorId: req.visitor_id ?? null,
    claimId: attribution?.claim?.id ?? null,
    advocateId: attribution?.advocate.id ?? null,
    code,
    attribution: attribution?.source ?? null,
    status: req.status ?? 'completed',
    orderValueCents: orderValue,
    orderTotalCents: req.order_total ?? null,
    taxCents: req.tax ?? null,
    shippingCents: req.shipping ?? null,
    discountCents: req.discount ?? null,
    discountAppliedCents: discountApplied,
    totalDiscountCents: totalDiscount,
    paidCents: req.order_total ?? orderValue,
    referrerRewardPaidCents: req.referrer_reward_paid ?? null,
    refereeRewardPaidCents: req.referee_reward_paid ?? null,
    discountType: req.discount_type ?? null,
    discountValue: req.discount_value === undefined ? null : String(toDecimal(req.discount_value)),
    type: req.type ?? 'referral',
    source: req.source ?? null,
    products: jsonOrNull(req.products),
    couponsApplied: jsonOrNull(req.coupons_applied),
    metadata: jsonOrNull(req.metadata),
    createdAt,
  };
  const id = await q.conversions.insert(stored, attribution?.advocate.campaignId ?? null);
  // A referral of this order entered before it was tracked (POST /referral-records) is this conversion's: its levels
  // are not earned again.
  const adopted = req.order_id === undefined ? [] : await q.rewards.adoptEnteredOrder(brand.id, req.order_id, id);
  const earns = (level: number) => !adopted.some((a) => a.level === level);

  if (attribution) {
    if (attribution.claim) await q.claims.markConverted(brand.id, attribution.claim.id, id);
    // The rules of the referring advocate's campaign, as they are now: the rewards are stored with their amounts and
    // dates, so a later change of the campaign or a move of the advocate changes no past conversion.
    const rules = await programmeOf(ctx, attribution.advocate.campaignId);
    // referrer_reward_paid: the shop states the reward itself; otherwise the campaign's rule decides.
    const reward = req.referrer_reward_paid !== undefined
      ? { kind: 'cash' as const, amount: req.referrer_reward_paid }
      : rewardFor({ type: rules.referrerRewardType, value: rules.referrerRewardValue }, orderValue);
    // Self-referrals and repeat customers stay attributed (for reporting) but earn nothing:
    // the reward is recorded as rejected with the reason in its history.
    const availableAt = daysAfter(now, rules.coolingPeriodDays);
    const level1 = attribution.advocate;
    if (earns(1)) await earnReward(ctx, {
      advocateId: level1.id, conversionId: id, level: 1, kind: reward.kind, campaignId: level1.campaignId, amount: reward.amount, availableAt, createdAt,
    }, ineligible, `conversion ${id}`);
    // Level 2: the advocate who referred the referrer earns by the level-2 rule of the referrer's campaign on the same
    // revenue, and nothing (a rejected reward, the same reason) when the level-1 reward is rejected.
    if (rules.level2RewardType !== 'none' && level1.referredBy !== null && earns(2)) {
      const referrer = await q.advocates.findRecord(brand.id, level1.referredBy);
      if (earnsLevel2(referrer, level1.id, req.email)) {
        const level2 = rewardFor({ type: rules.level2RewardType, value: rules.level2RewardValue }, orderValue);
        await earnReward(ctx, {
          advocateId: referrer!.id, conversionId: id, level: 2, kind: level2.kind, campaignId: level1.campaignId, amount: level2.amount, availableAt,
          createdAt,
        }, ineligible, `conversion ${id}`);
      }
    }
  }
  // The rewards as stored, read once for the answer and the events. The conversion first, then each reward it made:
  // created, and rejected at once when it earns nothing (self-referral, repeat customer): both events carry the
  // commission as committed, already rejected (its view made from the rewards read here and the order just stored).
  // The conversion's record is the row just inserted (nothing in this job changed it since), so not read back.
  const rewards = await q.rewards.findByConversion(brand.id, id);
  const { brandId: _, ...columns } = stored;
  const record: ConversionRecord = { ...columns, id, refundedCents: 0 };
  const events: Published[] = [
    { type: 'conversion.created', data: () => conversionDetailView(ctx, record, rewards), subject: conversionSubject(id) },
    ...earnedEvents(ctx, rewards.filter((r) => !adopted.some((a) => a.id === r.id)), { orderId: req.order_id ?? null, conversionAmount: orderValue }),
  ];
  await publishAll(ctx, events);
  return { created: true, data: await conversionView(ctx, (await q.conversions.findById(brand.id, id))!, rewards) };
}
