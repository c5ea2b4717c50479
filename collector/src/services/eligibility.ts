// Use case: may this customer take this code's referral discount?
import { ApiError } from '../errors.ts';
import { ineligibleReason, INELIGIBLE_MESSAGES } from '../domain/eligibility.ts';
import { normalizeCode } from '../domain/identity.ts';
import type { Advocate } from '../db/advocates.ts';
import type { Ctx } from './context.ts';

export async function checkEligibility({ q, brand }: Ctx, code: string, email: string) {
  const advocate = await q.advocates.findByCode(brand.id, normalizeCode(code));
  const reason = ineligibleReason(advocate, email, await q.conversions.hasAttributedConversion(brand.id, email));
  return reason === null
    ? { eligible: true as const }
    : { eligible: false as const, error: reason, message: INELIGIBLE_MESSAGES[reason] };
}

/** For claims: the advocate when eligible; 404 for an unknown code, 400 with the reason otherwise. */
export async function requireEligible(ctx: Ctx, code: string, email: string): Promise<Advocate> {
  const answer = await checkEligibility(ctx, code, email);
  if (!answer.eligible) {
    const status = answer.error === 'invalid_code' ? 404 : 400;
    throw new ApiError(status, answer.error, answer.message, [{ field: 'referral_code', message: answer.message }]);
  }
  return (await ctx.q.advocates.findByCode(ctx.brand.id, normalizeCode(code)))!;
}
