// Request schemas of the /api/v1/track/* endpoints (fields and aliases of the Advocate Loop documents).
import { z } from 'zod';
import {
  zBoolean, zCents, zCode, zCoupons, zDiscountType, zEmail, zId, zMetadata, zProducts, zStatus, zText, zVisitorId,
} from './common.ts';

const emailOneOf = (v: { email?: string | undefined; customer_email?: string | undefined }, ctx: z.RefinementCtx) => {
  if (v.email === undefined && v.customer_email === undefined) {
    ctx.addIssue({ code: 'custom', path: ['customer_email'], message: 'is required (or email)' });
  }
};

export const zVisitRequest = z.object({
  referral_code: zCode,
  visitor_id: zVisitorId.optional(),
  existing_code: z.string().trim().max(64).optional(),
  share_channel: zText(64).optional(),
  landing_page: zText(2048).optional(),
  referrer: z.string().max(2048).optional(),
  utm_source: zText(255).optional(),
  utm_medium: zText(255).optional(),
  utm_campaign: zText(255).optional(),
  utm_term: zText(255).optional(),
  utm_content: zText(255).optional(),
  /** sent by al.js: the site's registrable domain, for the Set-Cookie of a same-site collector */
  cookie_domain: z.string().trim().max(253).regex(/^[a-z0-9.-]+$/i, 'must be a domain name').optional(),
});

/** POST /track/share: an advocate shared their link (from the widget, or the shop's backend), on a channel. */
export const zShareRequest = z.object({
  referral_code: zCode,
  channel: zText(64).regex(/^[a-z0-9_.-]+$/i, 'may contain only letters, digits, ".", "_" and "-", such as whatsapp or email'),
});

export const zClaimRequest = z
  .object({
    referral_code: zCode,
    email: zEmail.optional(),
    customer_email: zEmail.optional(),
    name: zText().optional(),
    customer_name: zText().optional(),
    phone: zText(64).optional(),
    visitor_id: zVisitorId.optional(),
    order_id: zText().optional(),
    raw_value: zCents.optional(),
    claim_value: zCents.optional(),
    discount_value: zCents.optional(),
    discount_type: zDiscountType.optional(),
    type: z.enum(['referral', 'advocate']).optional(),
    claim_type: z.enum(['referral', 'advocate']).optional(),
    products: zProducts.optional(),
    coupons_applied: zCoupons.optional(),
    metadata: zMetadata.optional(),
  })
  .superRefine(emailOneOf)
  .transform(({ email, customer_email, name, customer_name, type, claim_type, ...rest }) => ({
    ...rest,
    email: (customer_email ?? email)!,
    name: customer_name ?? name,
    type: type ?? claim_type ?? 'referral',
  }));

/** The fields of a conversion (POST /track/conversion), before the rules between them. */
const zConversionFields = z
  .object({
    email: zEmail.optional(),
    customer_email: zEmail.optional(),
    name: zText().optional(),
    customer_name: zText().optional(),
    order_id: zText().optional(),
    order_value: zCents.optional(),
    order_total: zCents.optional(),
    tax: zCents.optional(),
    shipping: zCents.optional(),
    discount: zCents.optional(),
    referral_code: zCode.optional(),
    visitor_id: zVisitorId.optional(),
    claim_id: zId.optional(),
    referrer_reward_paid: zCents.optional(),
    referee_reward_paid: zCents.optional(),
    discount_value: zCents.optional(),
    discount_type: zDiscountType.optional(),
    type: z.enum(['referral', 'advocate']).optional(),
    products: zProducts.optional(),
    coupons_applied: zCoupons.optional(),
    source: zText(64).optional(),
    status: zStatus.optional(),
    metadata: zMetadata.optional(),
  });

const orderValueGiven = (v: { order_value?: number | undefined; order_total?: number | undefined }, ctx: z.RefinementCtx) => {
  if (v.order_value === undefined && v.order_total === undefined) {
    ctx.addIssue({ code: 'custom', path: ['order_value'], message: 'is required (or order_total with tax, shipping and discount)' });
  }
};

export const zConversionRequest = zConversionFields
  .superRefine((v, ctx) => {
    emailOneOf(v, ctx);
    orderValueGiven(v, ctx);
  })
  .transform(({ email, customer_email, name, customer_name, ...rest }) => ({
    ...rest,
    email: (customer_email ?? email)!,
    name: customer_name ?? name,
  }));

export const zRefundRequest = z
  .object({
    order_id: zText().optional(),
    conversion_id: zId.optional(),
    claim_id: zId.optional(),
    refund_amount: zCents,
    is_full_refund: zBoolean,
    referral_code: zCode.optional(),
    refund_id: zText().optional(),
    total_refunded: zCents.optional(),
    order_total: zCents.optional(),
    refund_reason: zText(1000).optional(),
    new_status: zStatus.optional(),
    source: zText(64).optional(),
    metadata: zMetadata.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.order_id === undefined && v.conversion_id === undefined && v.claim_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['order_id'], message: 'is required (or conversion_id or claim_id)' });
    }
  });

export const zCheckEligibilityRequest = z
  .object({
    referral_code: zCode,
    customer_email: zEmail.optional(),
    email: zEmail.optional(),
    type: z.enum(['referral', 'advocate']).optional(),
  })
  .superRefine(emailOneOf)
  .transform(({ email, customer_email, ...rest }) => ({ ...rest, email: (customer_email ?? email)! }));

/**
 * POST /referrals/track (002_*): a click on a referral link, reported by a backend (`code`, `visitor_id` or
 * `visitorId`; `referral_code` is an alias of `code`), recorded as POST /track/visit records a visit.
 */
export const zReferralTrackRequest = zVisitRequest.omit({ referral_code: true, existing_code: true, cookie_domain: true })
  .extend({ code: zCode.optional(), referral_code: zCode.optional(), visitorId: zVisitorId.optional() })
  .superRefine((v, ctx) => {
    if (v.code === undefined && v.referral_code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'is required' });
  })
  .transform(({ code, referral_code, visitor_id, visitorId, ...rest }): VisitRequest => ({
    ...rest, referral_code: (code ?? referral_code)!, ...(visitor_id ?? visitorId ? { visitor_id: (visitor_id ?? visitorId)! } : {}),
  }));

/**
 * The customer of an order reported without an email (002_*'s convert sends none): a stand-in of the order's own, on
 * the reserved `.invalid` domain, so it never matches a real customer (no claim found by email, no self-referral)
 * and two such orders are never one repeat customer.
 */
export const orderCustomer = (orderId: string): string => `order-${orderId}@referrals.invalid`;

/**
 * POST /referrals/convert (002_*): a conversion of a referral code (`code`, `order_id`, `order_value`, or 002_*'s
 * `orderId`, `orderValue`), recorded as POST /track/conversion records one, attributed by the code. `order_id` is
 * required: it keeps a retry from counting the order twice. The customer's email is optional here.
 */
export const zReferralConvertRequest = zConversionFields
  .extend({ code: zCode.optional(), orderId: zText().optional(), orderValue: zCents.optional(), visitorId: zVisitorId.optional() })
  .superRefine((v, ctx) => {
    if (v.code === undefined && v.referral_code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'is required' });
    if (v.order_id === undefined && v.orderId === undefined) ctx.addIssue({ code: 'custom', path: ['order_id'], message: 'is required' });
    orderValueGiven({ ...v, order_value: v.order_value ?? v.orderValue }, ctx);
  })
  .transform(({ code, referral_code, orderId, order_id, orderValue, order_value, visitorId, visitor_id, email, customer_email, name, customer_name, ...rest }):
    ConversionRequest => {
    const order = (order_id ?? orderId)!;
    const visitor = visitor_id ?? visitorId;
    const value = order_value ?? orderValue;
    return {
      ...rest, referral_code: (code ?? referral_code)!, order_id: order, email: customer_email ?? email ?? orderCustomer(order),
      name: customer_name ?? name, ...(value === undefined ? {} : { order_value: value }), ...(visitor === undefined ? {} : { visitor_id: visitor }),
    };
  });

export type VisitRequest = z.infer<typeof zVisitRequest>;
export type ShareRequest = z.infer<typeof zShareRequest>;
export type ClaimRequest = z.infer<typeof zClaimRequest>;
export type ConversionRequest = z.infer<typeof zConversionRequest>;
export type RefundRequest = z.infer<typeof zRefundRequest>;
export type CheckEligibilityRequest = z.infer<typeof zCheckEligibilityRequest>;
