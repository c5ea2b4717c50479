// Request schemas of /advocates (create, update, codes, points) and /referrals, bodies and query strings.
import { z } from 'zod';
import { zCode, zEmail, zId, zMetadata, zText } from './common.ts';
import { zOffsetPagination, zPagination, zQueryInt } from '../http/query.ts';

export const zAdvocateStatus = z.enum(['active', 'pending', 'blocked'], { error: 'must be active, pending or blocked' });
export const zCodeStatus = z.enum(['active', 'inactive'], { error: 'must be active or inactive' });

const zTier = zText(64);

/** How an advocate is paid (004_*'s paymentMethod); payouts list it beside each advocate's subtotal. */
export const PAYMENT_METHODS = ['paypal', 'bank_transfer', 'wise', 'stripe', 'check', 'other'] as const;
const zPaymentMethod = z.enum(PAYMENT_METHODS, { error: `must be one of ${PAYMENT_METHODS.join(', ')}` });
/** Where to pay (004_*'s paymentDetails): a PayPal email, an IBAN, a note; free text up to 500 characters. */
const zPaymentDetails = zText(500);

/** A search term: trimmed; an empty one searches nothing. Control characters (NUL...) are refused: FTS5 cannot take them. */
const zSearch = z.string().trim().max(255, 'must be at most 255 characters')
  .regex(/^[^\p{Cc}]*$/u, 'may not contain control characters').transform((s) => s || undefined);

/**
 * POST /advocates. The code may be sent as `referral_code`, `code` or `referralCode` (004_*), the first one
 * given wins; `customFields` (004_*) is an alias of `metadata`. `referred_by: null` says "referred by nobody"
 * (no automatic link, see services/advocates.ts).
 */
export const zCreateAdvocateRequest = z.object({
  email: zEmail,
  name: zText(),
  referral_code: zCode.optional(),
  code: zCode.optional(),
  referralCode: zCode.optional(),
  metadata: zMetadata.nullable().optional(),
  customFields: zMetadata.optional(),
  status: zAdvocateStatus.optional(),
  tier: zTier.nullable().optional(),
  referred_by: zId.nullable().optional(),
  payment_method: zPaymentMethod.nullable().optional(),
  paymentMethod: zPaymentMethod.nullable().optional(),
  payment_details: zPaymentDetails.nullable().optional(),
  paymentDetails: zPaymentDetails.nullable().optional(),
  /** the campaign the advocate joins (an active one of the brand); the default campaign when left out */
  campaign_id: zId.optional(),
}).transform(({
  referral_code, code, referralCode, metadata, customFields, referred_by, payment_method, paymentMethod,
  payment_details, paymentDetails, campaign_id, ...rest
}) => ({
  ...rest,
  campaignId: campaign_id,
  code: referral_code ?? code ?? referralCode,
  metadata: metadata ?? customFields,
  referredBy: referred_by,
  paymentMethod: payment_method ?? paymentMethod ?? null,
  paymentDetails: payment_details ?? paymentDetails ?? null,
}));

export type CreateAdvocateRequest = z.output<typeof zCreateAdvocateRequest>;

const UPDATABLE = ['name', 'email', 'status', 'tier', 'metadata', 'referred_by', 'payment_method', 'payment_details', 'campaign_id'] as const;

/**
 * PATCH /advocates/:id: only the fields given change; null clears tier, metadata, referred_by and the payment
 * fields. `paymentMethod` / `paymentDetails` (004_*) are aliases.
 */
export const zUpdateAdvocateRequest = z.object({
  name: zText().optional(),
  email: zEmail.optional(),
  status: zAdvocateStatus.optional(),
  tier: zTier.nullable().optional(),
  metadata: zMetadata.nullable().optional(),
  referred_by: zId.nullable().optional(),
  payment_method: zPaymentMethod.nullable().optional(),
  paymentMethod: zPaymentMethod.nullable().optional(),
  payment_details: zPaymentDetails.nullable().optional(),
  paymentDetails: zPaymentDetails.nullable().optional(),
  /** moves the advocate to another campaign (an active one): their next referrals follow its rules, past ones stay */
  campaign_id: zId.optional(),
}).transform(({ paymentMethod, paymentDetails, ...body }) => ({
  ...body,
  payment_method: body.payment_method !== undefined ? body.payment_method : paymentMethod,
  payment_details: body.payment_details !== undefined ? body.payment_details : paymentDetails,
})).refine((body) => UPDATABLE.some((k) => body[k] !== undefined), {
  message: `give at least one of ${UPDATABLE.join(', ')}`,
});

export type UpdateAdvocateRequest = z.output<typeof zUpdateAdvocateRequest>;

/** POST /advocates/:id/codes: the code to add (`code` or `referral_code`), generated when absent. */
export const zAddCodeRequest = z.object({
  code: zCode.optional(),
  referral_code: zCode.optional(),
}).transform((b) => ({ code: b.code ?? b.referral_code }));

/** PATCH /referrals/:code. */
export const zCodeStatusRequest = z.object({ status: zCodeStatus });

export const POINTS_TYPES = ['award', 'deduct', 'redeem', 'adjust', 'bonus'] as const;
export type PointsType = (typeof POINTS_TYPES)[number];

const MAX_POINTS = 1_000_000_000;

/** A non-zero whole number of points, signed, as a number or a digit string ("-50"). */
const zPointsAmount = z
  .union([z.number(), z.string().trim().regex(/^[+-]?\d{1,10}$/, 'must be a whole number').transform(Number)], {
    error: (iss) => (iss.input === undefined ? 'is required' : 'must be a whole number'),
  })
  .pipe(z.number()
    .int('must be a whole number')
    .refine((n) => n !== 0, 'must not be zero')
    .refine((n) => Math.abs(n) <= MAX_POINTS, `must be at most ${MAX_POINTS} in size`));

/** POST /advocates/:id/points (002_*): `type` defaults to award for a positive amount, deduct for a negative one. */
export const zPointsRequest = z.object({
  amount: zPointsAmount,
  description: zText(500).nullable().optional(),
  type: z.enum(POINTS_TYPES, { error: `must be one of ${POINTS_TYPES.join(', ')}` }).optional(),
});

export type PointsRequest = z.output<typeof zPointsRequest>;

export const zAdvocateListQuery = z.object({
  ...zPagination,
  search: zSearch.optional(),
  status: zAdvocateStatus.optional(),
  tier: zTier.optional(),
  campaign_id: zQueryInt(1, 999_999_999).optional(),
});

export const zReferralListQuery = z.object({
  ...zPagination,
  advocate_id: zQueryInt(1, 999_999_999).optional(),
  status: zCodeStatus.optional(),
  search: zSearch.optional(),
});

/** One advocate's points ledger: short, so offset pages with an exact total. */
export const zPageQuery = z.object({ ...zOffsetPagination });
