// The referrer's reward: how much a conversion earns, and what a refund takes back.
import { applyBasisPoints, prorate } from './money.ts';
import type { RewardStatus } from '../db/rewards.ts';

export interface RewardRule {
  type: 'percentage' | 'fixed' | 'points';
  /** basis points, cents or points */
  value: number;
}

export function rewardFor(rule: RewardRule, attributableCents: number): { kind: 'cash' | 'points'; amount: number } {
  switch (rule.type) {
    case 'percentage':
      return { kind: 'cash', amount: applyBasisPoints(attributableCents, rule.value) };
    case 'fixed':
      return { kind: 'cash', amount: rule.value };
    case 'points':
      return { kind: 'points', amount: rule.value };
  }
}

export interface RefundEffect {
  amount: number;
  status: RewardStatus;
  /** change to the reward (negative), or for a paid reward the clawback still to record */
  delta: number;
  event: 'refund_adjustment' | 'reversed' | 'clawback' | null;
}

/**
 * A refund reduces the reward in proportion to the share of the order refunded; a full refund reverses an
 * unpaid reward. A paid reward keeps its amount and the refund is recorded as a negative adjustment
 * (clawback) of the part not clawed back yet. Rejected or reversed rewards are left alone.
 * `refundedCents` is the order's cumulative refunded total, so the same total twice changes nothing; the
 * target is always computed from the original amount and compared with what the reward still carries, so a
 * reduction made while unpaid is never taken again after payment, and a refund never raises a reward.
 * `clawedBack`: what was clawed back so far, as the (negative) sum of the clawback deltas.
 */
export function rewardAfterRefund(
  reward: { originalAmount: number; amount: number; status: RewardStatus },
  refundedCents: number,
  paidCents: number,
  clawedBack: number,
): RefundEffect {
  const full = refundedCents >= paidCents;
  const kept = full ? 0 : reward.originalAmount - prorate(reward.originalAmount, refundedCents, paidCents);
  if (reward.status === 'rejected' || reward.status === 'reversed') {
    return { amount: reward.amount, status: reward.status, delta: 0, event: null };
  }
  if (reward.status === 'paid') {
    const owed = Math.min(0, kept - (reward.amount + clawedBack));
    return { amount: reward.amount, status: 'paid', delta: owed, event: owed === 0 ? null : 'clawback' };
  }
  if (full) return { amount: 0, status: 'reversed', delta: -reward.amount, event: 'reversed' };
  const delta = Math.min(0, kept - reward.amount);
  return { amount: reward.amount + delta, status: reward.status, delta, event: delta === 0 ? null : 'refund_adjustment' };
}

/**
 * Whether the advocate who referred the level-1 advocate earns a level-2 reward: it must exist, be active,
 * and be neither the customer nor the level-1 advocate itself. `customerEmail` is normalised.
 */
export function earnsLevel2(
  referrer: { id: number; email: string; status: string } | undefined,
  level1AdvocateId: number,
  customerEmail: string,
): boolean {
  return referrer !== undefined && referrer.status === 'active' && referrer.id !== level1AdvocateId && referrer.email !== customerEmail;
}
