// Answer schemas of the tracking records, /visits, /claims, /conversions (services/records.ts).
import { z } from 'zod';
import type { AttributionSource } from '../../domain/attribution.ts';
import type { claimView, conversionDetailView, conversionRecordView, visitView } from '../../services/records.ts';
import { zLevel, zRewardKind, zRewardStatus } from './commissions.ts';
import { zCashOrPoints, zCurrency, zInstant, zJsonObject, zMoney, zRecordId, type Fits, type Same } from './common.ts';

/** The attribution rule that matched (domain/attribution.ts; the list is checked against its type below). */
const ATTRIBUTIONS = ['claim_id', 'referral_code', 'coupon', 'email', 'visitor'] as const;
export const zAttribution = z.enum(ATTRIBUTIONS).nullable().meta({ description: 'The rule that attributed the order; null: unattributed' });

// Products and coupons as stored: every field sent is kept, beside the ones filled from their aliases (money in cents).
const zProducts = z.array(z.looseObject({ name: z.string(), quantity: z.number().int(), price_cents: z.number().int() }))
  .nullable().meta({ description: 'As sent, with name, quantity and price_cents (cents) filled from their aliases' });
const zCoupons = z.array(z.looseObject({
  code: z.string(), discount_amount_cents: z.number().int(), discount_tax_cents: z.number().int().optional(),
})).nullable().meta({ description: 'As sent, with the amounts in cents' });
const stored = { products: zProducts, coupons_applied: zCoupons, metadata: zJsonObject.nullable() };

/** An item of GET /visits, and the visit.created event's data. */
export const zVisit = z.strictObject({
  id: zRecordId,
  visitor_id: z.string(),
  code: z.string(),
  advocate_id: zRecordId.meta({ description: 'The advocate the visit counts for (first touch: maybe the code the device held)' }),
  share_channel: z.string().nullable(),
  landing_page: z.string().nullable(),
  referrer: z.string().nullable(),
  utm_source: z.string().nullable(),
  utm_medium: z.string().nullable(),
  utm_campaign: z.string().nullable(),
  utm_term: z.string().nullable(),
  utm_content: z.string().nullable(),
  created_at: zInstant,
}).meta({ id: 'Visit', description: 'A visit of a referral link' });

/** An item of GET /claims, GET /claims/:id's `claim`, and the claim.created event's data. */
export const zClaim = z.strictObject({
  id: zRecordId,
  code: z.string(),
  advocate_id: zRecordId,
  // empty once the person was erased
  email: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  visitor_id: z.string().nullable(),
  status: z.string().meta({ description: 'pending, converted, or the refund\'s status (refunded, partial_refund, ...)' }),
  type: z.string().meta({ description: 'referral or advocate' }),
  source: z.string().meta({ description: 'api (POST /track/claim) or webhook (POST /convert)' }),
  raw_value: zMoney.nullable(),
  claim_value: zMoney.nullable(),
  discount_applied: zMoney,
  discount_type: z.string().nullable(),
  discount_value: z.string().nullable().meta({ description: 'The discount sent with the claim, as a decimal string' }),
  currency: zCurrency,
  order_id: z.string().nullable(),
  conversion_id: zRecordId.nullable(),
  ...stored,
  created_at: zInstant,
}).meta({ id: 'Claim', description: 'A customer\'s claim of a referral discount' });

/** An item of GET /conversions. */
export const zConversion = z.strictObject({
  id: zRecordId,
  order_id: z.string().nullable(),
  // empty once the person was erased
  email: z.string(),
  name: z.string().nullable(),
  visitor_id: z.string().nullable(),
  claim_id: zRecordId.nullable(),
  advocate_id: zRecordId.nullable(),
  code: z.string().nullable(),
  attribution: zAttribution,
  status: z.string().meta({ description: 'completed, partial_refund, refunded, or the status sent' }),
  type: z.string(),
  source: z.string().nullable(),
  order_value: zMoney.meta({ description: 'The attributable revenue' }),
  order_total: zMoney.nullable(),
  tax: zMoney.nullable(),
  shipping: zMoney.nullable(),
  discount: zMoney.nullable(),
  discount_applied: zMoney,
  total_discount: zMoney,
  paid: zMoney.meta({ description: 'What the customer paid: order_total when sent, else order_value' }),
  refunded: zMoney,
  currency: zCurrency,
  ...stored,
  created_at: zInstant,
}).meta({ id: 'Conversion', description: 'A paid order' });

/** A conversion's reward at one level, as the conversion answers list it. */
export const zRewardSummary = z.strictObject({
  id: zRecordId.meta({ description: 'The commission\'s id' }),
  advocate_id: zRecordId,
  level: zLevel,
  kind: zRewardKind,
  status: zRewardStatus,
  amount: zCashOrPoints,
  available_at: zInstant,
}).meta({ id: 'RewardSummary', description: 'A conversion\'s commission at one level' });

/** GET /conversions/:id's `conversion`, and the conversion.* events' data. */
export const zConversionDetail = zConversion.extend({ rewards: z.array(zRewardSummary) })
  .meta({ id: 'ConversionDetail', description: 'A paid order with its commissions' });

/** The stored JSON fields, answered as they were sent: compared apart from the views' `unknown`. */
type Stored = keyof typeof stored;
type Without<T> = Omit<T, Stored>;
const _attribution: Same<(typeof ATTRIBUTIONS)[number], AttributionSource> = true;
const _visit: Same<z.output<typeof zVisit>, ReturnType<typeof visitView>> = true;
const _claim: Same<Without<z.output<typeof zClaim>>, Without<ReturnType<typeof claimView>>> = true;
const _conversion: Fits<Without<z.output<typeof zConversion>>, Without<ReturnType<typeof conversionRecordView>>> = true;
const _detail: Fits<Without<z.output<typeof zConversionDetail>>, Without<ReturnType<typeof conversionDetailView>>> = true;
