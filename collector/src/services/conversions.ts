// Use case: a paid order. Idempotent by order_id; attributed, linked to its claim, and the reward recorded.
import { ApiError } from '../errors.ts';
import { resolveAttribution } from '../domain/attribution.ts';
import { ineligibleReason } from '../domain/eligibility.ts';
import { daysAfter, daysBefore } from '../domain/time.ts';
import { toDecimal } from '../domain/money.ts';
import { rewardFor } from '../domain/rewards.ts';
import type { Conversion } from '../db/conversions.ts';
import type { ConversionRequest } from '../schemas/track.ts';
import { attributionLookups, jsonOrNull, type Ctx } from './context.ts';

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

export function conversionView(ctx: Ctx, c: Conversion) {
  const [reward] = ctx.q.rewards.findByConversion(ctx.brand.id, c.id);
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
  };
}

export function recordConversion(ctx: Ctx, req: ConversionRequest): { created: boolean; data: ReturnType<typeof conversionView> & { duplicate?: true } } {
  const { q, brand, now } = ctx;
  const orderValue = attributableCents(req);
  if (req.order_id !== undefined) {
    const existing = q.conversions.findByOrderId(brand.id, req.order_id);
    if (existing) {
      if (existing.orderValueCents !== orderValue) {
        throw new ApiError(409, 'order_conflict',
          `order_id ${req.order_id} was already recorded with order value ${toDecimal(existing.orderValueCents)}`,
          [{ field: 'order_id', message: 'already recorded with a different amount' }], { conversion_id: existing.id });
      }
      return { created: false, data: { ...conversionView(ctx, existing), duplicate: true } };
    }
  }

  const coupons = req.coupons_applied ?? [];
  const attribution = resolveAttribution({
    claimId: req.claim_id,
    referralCode: req.referral_code,
    couponCodes: coupons.map((c) => c.code),
    email: req.email,
    visitorId: req.visitor_id,
    since: daysBefore(now, brand.attributionWindowDays),
  }, attributionLookups(ctx));

  // Decided before this conversion is stored: a customer's first referred order earns, a repeat one does not.
  const ineligible = attribution
    ? ineligibleReason(attribution.advocate, req.email, q.conversions.hasAttributedConversion(brand.id, req.email))
    : null;
  const code = attribution?.advocate.code ?? null;
  const referralCoupon = code === null ? undefined : coupons.find((c) => c.code.toUpperCase() === code);
  const couponTotal = coupons.reduce((sum, c) => sum + c.discount_amount_cents, 0);
  const discountApplied = referralCoupon?.discount_amount_cents ?? attribution?.claim?.discountAppliedCents ?? req.discount ?? 0;
  const totalDiscount = coupons.length > 0 ? couponTotal : (req.discount ?? discountApplied);
  const createdAt = now.toISOString();

  const id = q.conversions.insert({
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
  });

  if (attribution) {
    if (attribution.claim) q.claims.markConverted(brand.id, attribution.claim.id, id);
    // referrer_reward_paid: the shop states the reward itself; otherwise the brand's rule decides.
    const reward = req.referrer_reward_paid !== undefined
      ? { kind: 'cash' as const, amount: req.referrer_reward_paid }
      : rewardFor({ type: brand.referrerRewardType, value: brand.referrerRewardValue }, orderValue);
    // Self-referrals, inactive advocates and repeat customers stay attributed (for reporting) but earn nothing:
    // the reward is recorded as rejected with the reason in its history.
    const rewardId = q.rewards.insert(brand.id, {
      advocateId: attribution.advocate.id,
      conversionId: id,
      level: 1,
      kind: reward.kind,
      originalAmount: reward.amount,
      amount: reward.amount,
      status: ineligible ? 'rejected' : 'pending',
      reason: ineligible,
      availableAt: daysAfter(now, brand.coolingPeriodDays),
      createdAt,
    });
    q.rewards.addEvent(brand.id, rewardId, { event: 'created', delta: reward.amount, note: `conversion ${id}`, actor: 'system', at: createdAt });
    if (ineligible) q.rewards.addEvent(brand.id, rewardId, { event: 'rejected', delta: -reward.amount, note: ineligible, actor: 'system', at: createdAt });
  }
  return { created: true, data: conversionView(ctx, q.conversions.findById(brand.id, id)!) };
}
