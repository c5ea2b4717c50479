// Use case: a customer claims a referral discount (track/claim and the signed /convert webhook).
import { ApiError } from '../errors.ts';
import { claimAmounts, type Discount } from '../domain/discounts.ts';
import { daysBefore } from '../domain/time.ts';
import { toDecimal } from '../domain/money.ts';
import type { Coupons, Products } from '../schemas/common.ts';
import { jsonOrNull, type Ctx } from './context.ts';
import { requireEligible } from './eligibility.ts';
import { claimView } from './records.ts';
import { claimSubject, publish } from '../webhooks/outbox.ts';
import { programmeOf } from './campaigns.ts';

export interface ClaimInput {
  referralCode: string;
  email: string;
  name?: string | undefined;
  phone?: string | undefined;
  visitorId?: string | undefined;
  orderId?: string | undefined;
  type: string;
  source: 'api' | 'webhook';
  rawValueCents?: number | undefined;
  claimValueCents?: number | undefined;
  discountType?: 'percentage' | 'fixed' | 'custom' | undefined;
  discountValue?: number | undefined;
  products?: Products | undefined;
  couponsApplied?: Coupons | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/** The request's discount when it names a percentage or fixed one, else the advocate's campaign's. */
async function discountFor(ctx: Ctx, input: ClaimInput, campaignId: number): Promise<Discount> {
  if ((input.discountType === 'percentage' || input.discountType === 'fixed') && input.discountValue !== undefined) {
    return { type: input.discountType, value: input.discountValue };
  }
  const rules = await programmeOf(ctx, campaignId);
  return { type: rules.refereeDiscountType, value: rules.refereeDiscountValue };
}

export async function recordClaim(ctx: Ctx, input: ClaimInput) {
  const { q, brand, now } = ctx;
  const advocate = await requireEligible(ctx, input.referralCode, input.email);
  // Across collector processes, the look-up and the insert are one step per (code, email).
  await q.locks.hold({ claimsOf: brand.id, code: advocate.code, email: input.email });
  const duplicate = await q.claims.findRecent(brand.id, advocate.code, input.email, daysBefore(now, 1));
  if (duplicate) {
    throw new ApiError(409, 'duplicate_claim', 'A claim for this referral code and email was made in the last 24 hours',
      [{ field: 'email', message: `already claimed this code within 24 hours (claim ${duplicate.id})` }],
      { claim_id: duplicate.id });
  }
  const amounts = claimAmounts(input.rawValueCents ?? null, await discountFor(ctx, input, advocate.campaignId), input.claimValueCents ?? null);
  const createdAt = now.toISOString();
  const id = await q.claims.insert({
    brandId: brand.id,
    advocateId: advocate.id,
    code: advocate.code,
    email: input.email,
    name: input.name ?? null,
    phone: input.phone ?? null,
    visitorId: input.visitorId ?? null,
    orderId: input.orderId ?? null,
    type: input.type,
    source: input.source,
    rawValueCents: input.rawValueCents ?? null,
    claimValueCents: amounts.claimValueCents,
    discountAppliedCents: amounts.discountAppliedCents,
    discountType: input.discountType ?? null,
    discountValue: input.discountValue === undefined ? null : String(toDecimal(input.discountValue)),
    products: jsonOrNull(input.products),
    couponsApplied: jsonOrNull(input.couponsApplied),
    metadata: jsonOrNull(input.metadata),
    createdAt,
  }, advocate.campaignId);
  await publish(ctx, 'claim.created', async () => claimView(ctx, (await q.records.claim(brand.id, id))!), claimSubject(id));
  return {
    id,
    claim_id: id,
    referral_code: advocate.code,
    status: 'pending',
    raw_value: input.rawValueCents === undefined ? null : toDecimal(input.rawValueCents),
    discount_applied: toDecimal(amounts.discountAppliedCents),
    claim_value: amounts.claimValueCents === null ? null : toDecimal(amounts.claimValueCents),
    created_at: createdAt,
  };
}
