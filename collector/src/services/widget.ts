// Use cases of the site widget (dist/widget.js, widget/src): what a referred visitor is shown (who referred them and
// the offer of that advocate's campaign), and what a recognised advocate is shown (their link and figures).
import { ApiError } from '../errors.ts';
import { firstName } from '../domain/identity.ts';
import { toDecimal } from '../domain/money.ts';
import { getAdvocate } from './advocates.ts';
import { programmeOf } from './campaigns.ts';
import type { Ctx } from './context.ts';
import { referralLink } from './portal.ts';
import { followedCode } from './visits.ts';

/**
 * GET /track/referrer: the advocate of an active code of this brand by their first name only (what track/visit answers
 * already: a page learns no surname, email or id), and the referee discount of that advocate's campaign. Another
 * brand's code, an unknown or an inactive one: 404, naming nothing.
 */
export async function referrerOf(ctx: Ctx, code: string) {
  const advocate = await followedCode(ctx, code);
  const rules = await programmeOf(ctx, advocate.campaignId);
  return {
    code: advocate.code,
    referrer_first_name: firstName(advocate.name),
    referee_discount: { type: rules.refereeDiscountType, value: toDecimal(rules.refereeDiscountValue) },
    currency: ctx.brand.currency,
  };
}

/**
 * GET /sso/me: the session's own advocate (never another: the id comes from the token's row), their primary code, the
 * link to share and their figures. A blocked advocate's session opens nothing (403), as recognition refuses them.
 */
export async function advocateSummaryOf(ctx: Ctx, advocateId: number) {
  const a = await getAdvocate(ctx, advocateId);
  if (a.status === 'blocked') throw new ApiError(403, 'advocate_blocked', `Advocate ${a.id} is blocked: the widget shows them nothing`);
  return {
    advocate_id: a.id,
    first_name: firstName(a.name),
    referral_code: a.referral_code,
    referral_link: a.referral_code ? referralLink(ctx.brand, a.referral_code) : null,
    click_count: a.click_count,
    share_count: await ctx.q.advocates.shareTotal(ctx.brand.id, a.id),
    conversion_count: a.conversion_count,
    total_earnings: a.total_earnings,
    pending_earnings: a.pending_earnings,
    paid_earnings: a.paid_earnings,
    currency: a.currency,
  };
}
