// Which status changes an operator may make to a commission (reward), and what each one does.
import { ApiError } from '../errors.ts';
import type { RewardStatus } from '../db/rewards.ts';

/** The statuses an operator may ask for. */
export const OPERATOR_STATUSES = ['approved', 'paid', 'rejected'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** From which statuses each operator status may be reached. */
const REACHABLE_FROM: Record<OperatorStatus, RewardStatus[]> = {
  approved: ['pending'],
  paid: ['approved'],
  rejected: ['pending', 'approved'],
};

/**
 * 'unchanged' when the commission already has the status asked for (a retry is safe), 'change' when the move
 * is allowed, else 409 invalid_transition naming both states. A points reward is paid (credited) the moment it
 * is approved, so approving a paid points reward again is a retry too.
 */
export function statusChange(from: RewardStatus, to: OperatorStatus, kind: 'cash' | 'points'): 'unchanged' | 'change' {
  if (from === to || (kind === 'points' && to === 'approved' && from === 'paid')) return 'unchanged';
  if (REACHABLE_FROM[to].includes(from)) return 'change';
  throw new ApiError(409, 'invalid_transition', `A ${from} commission cannot become ${to}`, [
    { field: 'status', message: `${from} -> ${to} is not allowed; ${to} is reached only from ${REACHABLE_FROM[to].join(' or ')}` },
  ]);
}

/** The value a commission still carries: 0 when rejected or reversed, else its amount less what was clawed back. */
export function netValue(r: { status: RewardStatus; amount: number; clawedBack: number }): number {
  return r.status === 'rejected' || r.status === 'reversed' ? 0 : r.amount - r.clawedBack;
}
