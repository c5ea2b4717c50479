// Use cases of the payouts one advocate received (the portal's payouts pages): their pages newest first, one payout,
// and the commissions it paid, each as GET /commissions/:id answers it. Always for one brand and one advocate.
import { notFound } from '../errors.ts';
import { toDecimal } from '../domain/money.ts';
import type { AdvocatePayout } from '../db/advocatePayouts.ts';
import type { Ctx } from './context.ts';
import { commissionView, type CommissionView } from './commissions.ts';

/** A payout as the advocate sees it: what it paid (its commissions less the clawbacks it netted off), how, its note. */
export function advocatePayoutView({ brand }: Ctx, p: AdvocatePayout) {
  return {
    paid_at: p.paidAt,
    commission_count: p.commissions,
    commissions_total: toDecimal(p.cents),
    clawbacks_netted: toDecimal(p.recovered),
    amount: toDecimal(p.cents - p.recovered),
    currency: brand.currency,
    payment_method: p.paymentMethod,
    reference: p.reference,
  };
}

export type AdvocatePayoutView = ReturnType<typeof advocatePayoutView>;

/** At most `limit` of the advocate's payouts recorded before `before` (null: the newest), newest first. */
export const advocatePayoutPage = async (ctx: Ctx, advocateId: number, before: string | null, limit: number): Promise<AdvocatePayoutView[]> =>
  (await ctx.q.advocatePayouts.page(ctx.brand.id, advocateId, before, limit)).map((p) => advocatePayoutView(ctx, p));

/** The advocate's payout recorded at `paidAt`; 404 when they have none then (another advocate's is none of theirs). */
export async function advocatePayout(ctx: Ctx, advocateId: number, paidAt: string): Promise<AdvocatePayoutView> {
  const p = await ctx.q.advocatePayouts.find(ctx.brand.id, advocateId, paidAt);
  if (!p) throw notFound('payout');
  return advocatePayoutView(ctx, p);
}

/** At most `limit` of the commissions that payout paid, below the id `before` (null: from the newest), newest first. */
export async function advocatePayoutCommissions(ctx: Ctx, advocateId: number, paidAt: string, before: number | null, limit: number): Promise<CommissionView[]> {
  const ids = await ctx.q.advocatePayouts.commissionIds(ctx.brand.id, advocateId, paidAt, before, limit);
  const out: CommissionView[] = [];
  for (const id of ids) out.push(commissionView(ctx, (await ctx.q.rewards.findDetail(ctx.brand.id, id))!));
  return out;
}
