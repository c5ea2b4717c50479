// Use case: award or deduct an advocate's points; the ledger and the balance move together.
import { pointsChange } from '../domain/points.ts';
import type { PointsTransaction } from '../db/points.ts';
import type { Ctx } from './context.ts';

export interface PointsEntry {
  /** signed: positive awards, negative deducts */
  amount: number;
  type: string;
  description: string | null;
  rewardId?: number | null;
}

export const pointsTransactionView = (t: PointsTransaction) => ({
  id: t.id,
  advocate_id: t.advocateId,
  type: t.type,
  amount: t.amount,
  balance_after: t.balanceAfter,
  description: t.description,
  reward_id: t.rewardId,
  created_at: t.createdAt,
});

/**
 * Appends one ledger entry. 400 `insufficient_points` when the balance would go below zero and the brand does
 * not allow it; with `clamp`, only what the balance holds is deducted instead (the entry says how much).
 * The advocate must exist (callers look it up first: 404 is theirs to answer).
 */
export function postPoints({ q, brand, now }: Ctx, advocateId: number, entry: PointsEntry, opts: { clamp?: boolean } = {}) {
  const balance = q.points.balance(brand.id, advocateId) ?? 0;
  const amount = pointsChange(balance, entry.amount, brand.allowNegativePoints, opts.clamp);
  const t = {
    advocateId,
    type: entry.type,
    amount,
    balanceAfter: balance + amount,
    description: entry.description,
    rewardId: entry.rewardId ?? null,
    createdAt: now.toISOString(),
  };
  const id = q.points.append(brand.id, t);
  return { transaction: pointsTransactionView({ id, ...t }), new_balance: t.balanceAfter };
}
