// Answer schemas of the tracking API: /track/* and the signed /convert (services/visits.ts, claims.ts, conversions.ts,
// refunds.ts, eligibility.ts).
import { z } from 'zod';
import type { recordClaim } from '../../services/claims.ts';
import type { recordConversion } from '../../services/conversions.ts';
import type { checkEligibility } from '../../services/eligibility.ts';
import type { recordRefund } from '../../services/refunds.ts';
import type { recordVisit } from '../../services/visits.ts';
import { INELIGIBLE_MESSAGES, type IneligibleReason } from '../../domain/eligibility.ts';
import { zSettings } from './settings.ts';
import { zLevel, zRewardStatus } from './commissions.ts';
import { zAttribution, zRewardSummary } from './records.ts';
import { zCashOrPoints, zInstant, zMoney, zRecordId, zWarnings, type Fits, type Same } from './common.ts';

/** POST /track/visit: what the tracker keeps on the device. */
export const zVisitAnswer = z.strictObject({
  store_code: z.boolean().meta({ description: 'Whether the device should store `code` (false: it keeps its existing code)' }),
  clear_existing: z.boolean().meta({ description: 'Whether the device should forget the code it held (unknown or inactive)' }),
  code: z.string().meta({ description: 'The code the device should hold after this visit' }),
  referrer_first_name: z.string(),
  visitor_id: z.string(),
  attribution_window_days: z.number().int().positive().meta({ description: 'How long the tracker keeps the code' }),
  referee_discount: z.strictObject({ type: zSettings.shape.referee_discount_type, value: zMoney })
    .meta({ description: 'The brand\'s discount for the referred customer: a percentage, or an amount in the currency' }),
}).meta({ id: 'VisitAnswer', description: 'The code a device should keep after a referral link\'s visit' });

/** The amounts of a claim as its answers give them. */
const claimAmounts = {
  raw_value: zMoney.nullable().meta({ description: 'The value before the discount, as sent' }),
  claim_value: zMoney.nullable(),
  discount_applied: zMoney,
};

/** POST /track/claim. */
export const zClaimAnswer = z.strictObject({
  id: zRecordId,
  claim_id: zRecordId.meta({ description: 'The same as `id`' }),
  referral_code: z.string(),
  status: z.literal('pending'),
  ...claimAmounts,
  created_at: zInstant,
}).meta({ id: 'ClaimAnswer', description: 'The claim recorded' });

/** POST /convert: the claim recorded from a signed webhook. */
export const zConvertAnswer = z.strictObject({ claim_id: zRecordId, referral_code: z.string(), ...claimAmounts, created_at: zInstant })
  .meta({ id: 'ConvertAnswer', description: 'The claim recorded from a signed webhook' });

/** POST /track/conversion (conversionView): 201 for a new order, 200 with `duplicate: true` for an order_id seen before. */
export const zConversionAnswer = z.strictObject({
  id: zRecordId,
  conversion_id: zRecordId.meta({ description: 'The same as `id`' }),
  order_id: z.string().nullable(),
  status: z.string().meta({ description: 'completed, or the status sent' }),
  order_value: zMoney.meta({ description: 'The attributable revenue' }),
  discount_applied: zMoney,
  total_discount: zMoney,
  order_subtotal: zMoney.meta({ description: 'order_value + total_discount' }),
  claim_id: zRecordId.nullable(),
  referral_code: z.string().nullable(),
  attribution: zAttribution,
  reward: zRewardSummary.omit({ advocate_id: true, level: true }).nullable()
    .meta({ description: 'The level-1 reward; null when the order is unattributed' }),
  rewards: z.array(zRewardSummary).meta({ description: 'Every level\'s reward' }),
  duplicate: z.literal(true).optional().meta({ description: 'Only when this order_id was recorded before: nothing was written' }),
}).meta({ id: 'ConversionAnswer', description: 'The order recorded, its attribution and its rewards' });

/** A reward after a refund. */
const zRefundedReward = z.strictObject({
  id: zRecordId, level: zLevel, advocate_id: zRecordId, status: zRewardStatus, amount: zCashOrPoints, clawed_back: zCashOrPoints,
});

/** What both refund answers say. */
const refundFields = {
  status: z.string().meta({ description: 'The order\'s status after the refund: refunded, partial_refund, or the new_status sent' }),
  claim_updated: z.boolean(),
  conversion_updated: z.boolean(),
  claim_id: zRecordId.nullable(),
  conversion_id: zRecordId.nullable(),
  total_refunded: zMoney,
};

/** POST /track/refund: the refund recorded, or (a refund_id seen before) the first one's result with `duplicate: true`. */
export const zRefundAnswer = z.union([
  z.strictObject({
    ...refundFields,
    reward: zRefundedReward.pick({ id: true, status: true, amount: true }).nullable().meta({ description: 'The level-1 reward after the refund' }),
    rewards: z.array(zRefundedReward).meta({ description: 'Every level\'s reward after the refund' }),
  }),
  z.strictObject({ ...refundFields, duplicate: z.literal(true).meta({ description: 'This refund_id was recorded before: nothing changed' }) }),
]).meta({ id: 'RefundAnswer', description: 'The order after a refund, and its rewards' });

const INELIGIBLE = Object.keys(INELIGIBLE_MESSAGES) as [IneligibleReason, ...IneligibleReason[]];

/** POST /track/check-eligibility: answered without the envelope. */
export const zEligibilityAnswer = z.discriminatedUnion('eligible', [
  z.strictObject({ eligible: z.literal(true), warnings: zWarnings }),
  z.strictObject({ eligible: z.literal(false), error: z.enum(INELIGIBLE), message: z.string(), warnings: zWarnings }),
]).meta({ id: 'EligibilityAnswer', description: 'Whether this email may use this code, and why not (not wrapped in {success, data})' });

type Unwarned<T> = T extends unknown ? Omit<T, 'warnings'> : never;
const _visit: Fits<z.output<typeof zVisitAnswer>, Awaited<ReturnType<typeof recordVisit>>> = true;
const _claim: Fits<z.output<typeof zClaimAnswer>, Awaited<ReturnType<typeof recordClaim>>> = true;
const _conversion: Fits<z.output<typeof zConversionAnswer>, Awaited<ReturnType<typeof recordConversion>>['data']> = true;
const _refund: Fits<z.output<typeof zRefundAnswer>, Awaited<ReturnType<typeof recordRefund>>> = true;
const _eligibility: Same<Unwarned<z.output<typeof zEligibilityAnswer>>, Awaited<ReturnType<typeof checkEligibility>>> = true;
