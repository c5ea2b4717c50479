// Use cases of points: award or deduct an advocate's points (the ledger and the balance move together), read the ledger.
import { pointsChange } from '../domain/points.ts';
import type { PointsTransaction } from '../db/points.ts';
import { badField } from '../errors.ts';
import type { PointsRequest, PointsType } from '../schemas/advocates.ts';
import { publish } from '../webhooks/outbox.ts';
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
 * not allow it (or `neverNegative` says no brand setting allows it: a redemption); with `clamp`, only what the
 * balance holds is deducted instead (the entry says how much).
 * The advocate must exist (callers look it up first: 404 is theirs to answer).
 */
export async function postPoints(ctx: Ctx, advocateId: number, entry: PointsEntry, opts: { clamp?: boolean; neverNegative?: boolean } = {}) {
  const { q, brand, now } = ctx;
  // The balance read and the entry written are one step per advocate, across collector processes too.
  await q.locks.hold({ pointsOf: brand.id, advocateId });
  const balance = await q.points.balance(brand.id, advocateId) ?? 0;
  const amount = pointsChange(balance, entry.amount, brand.allowNegativePoints && !opts.neverNegative, opts.clamp);
  const t = {
    advocateId,
    type: entry.type,
    amount,
    balanceAfter: balance + amount,
    description: entry.description,
    rewardId: entry.rewardId ?? null,
    createdAt: now.toISOString(),
  };
  const id = await q.points.append(brand.id, t);
  const transaction = pointsTransactionView({ id, ...t });
  await publish(ctx, 'points.transaction.created', () => transaction);
  return { transaction, new_balance: t.balanceAfter };
}

/**
 * The signed change a POST /advocates/:id/points request asks for. deduct and redeem subtract the amount
 * whatever its sign; award and bonus must be positive (400 otherwise); adjust is taken as signed. Without
 * a type: award for a positive amount, deduct for a negative one.
 */
function signedPoints(amount: number, type: PointsType | undefined): { amount: number; type: PointsType } {
  const kind = type ?? (amount > 0 ? 'award' : 'deduct');
  if (kind === 'deduct' || kind === 'redeem') return { amount: -Math.abs(amount), type: kind };
  if ((kind === 'award' || kind === 'bonus') && amount < 0) {
    throw badField('amount', `must be positive for type ${kind} (use deduct, redeem or adjust to take points away)`);
  }
  return { amount, type: kind };
}

/** POST /advocates/:id/points: one ledger entry; the advocate must exist (404 is the caller's). */
export function recordPointsRequest(ctx: Ctx, advocateId: number, req: PointsRequest) {
  const { amount, type } = signedPoints(req.amount, req.type);
  return postPoints(ctx, advocateId, { amount, type, description: req.description ?? null });
}

/** The balance and a page of the ledger, newest first. */
export async function pointsLedger({ q, brand }: Ctx, advocateId: number, page: { limit: number; offset: number }) {
  return {
    balance: await q.points.balance(brand.id, advocateId) ?? 0,
    items: (await q.points.list(brand.id, advocateId, page.limit, page.offset)).map(pointsTransactionView),
    total: await q.points.count(brand.id, advocateId),
  };
}
