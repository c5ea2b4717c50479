// Use cases of the dashboard's commission queue: several commissions approved or rejected in one job, all or none;
// and the past payouts (runs grouped by the moment they were marked paid).
import { ApiError } from '../errors.ts';
import { toDecimal } from '../domain/money.ts';
import type { Actor } from '../db/rewards.ts';
import { toApiError } from '../http/errors.ts';
import { setCommissionStatus } from './commissions.ts';
import type { Ctx } from './context.ts';

/**
 * Each commission of `ids` becomes `status` through the API's own use case (setCommissionStatus: the same rules,
 * history and override note), in the caller's one job. Every id is tried, so the refusal names each one that
 * cannot move and why; if any cannot, the whole job throws and the commit queue rolls all of it back (its
 * SAVEPOINT): nothing changes. A commission already in that status is left alone, as the API does.
 */
export async function setCommissionsStatus(ctx: Ctx, ids: number[], status: 'approved' | 'rejected', reason: string | null, actor: Actor) {
  const unique = [...new Set(ids)];
  const problems: Array<{ id: number; error: ApiError }> = [];
  const changed: number[] = [];
  for (const id of unique) {
    const before = (await ctx.q.rewards.findById(ctx.brand.id, id))?.status;
    try {
      if ((await setCommissionStatus(ctx, id, status, reason, actor)).status !== before) changed.push(id);
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      problems.push({ id, error: e });
    }
  }
  if (problems.length > 0) {
    const details = problems.map(({ id, error }) => ({ field: 'commission_ids', message: `commission ${id}: ${error.message}` }));
    const first = problems.find((p) => p.error.status === 409) ?? problems[0]!;
    throw new ApiError(first.error.status, first.error.code,
      `Nothing was changed: ${problems.length} of the ${unique.length} selected cannot become ${status} (${details.map((d) => d.message).join('; ')})`,
      details);
  }
  return { status, changed, unchanged: unique.filter((id) => !changed.includes(id)) };
}

/** A past payout as the dashboard lists it: when, how many commissions, their amount. */
export const pastPayouts = async (ctx: Ctx, before: string | null, limit: number) =>
  (await ctx.q.payoutPages.runs(ctx.brand.id, before, limit)).map((r) => ({
    paid_at: r.paidAt,
    commissions: r.commissions,
    amount: toDecimal(r.cents),
  }));
