// What a refund does to an order: the new refunded total, and the status it leaves.
import { ApiError } from '../errors.ts';
import { toDecimal } from './money.ts';

export interface RefundInput {
  refundAmountCents: number;
  isFullRefund: boolean;
  /** cumulative total refunded so far, authoritative when given */
  totalRefundedCents?: number | undefined;
  newStatus?: string | undefined;
}

export interface RefundDecision {
  totalRefundedCents: number;
  status: string;
  full: boolean;
}

export function decideRefund(paidCents: number, alreadyRefundedCents: number, input: RefundInput): RefundDecision {
  const total = input.totalRefundedCents ?? (input.isFullRefund ? paidCents : alreadyRefundedCents + input.refundAmountCents);
  const field = input.totalRefundedCents !== undefined ? 'total_refunded' : 'refund_amount';
  if (input.refundAmountCents > paidCents || total > paidCents) {
    throw new ApiError(400, 'refund_exceeds_payment', `${field}: refunds would total more than the ${toDecimal(paidCents)} paid`, [
      { field, message: `refunds may total at most ${toDecimal(paidCents)}` },
    ]);
  }
  const full = input.isFullRefund || total >= paidCents;
  return {
    totalRefundedCents: full ? paidCents : total,
    status: input.newStatus ?? (full ? 'refunded' : 'partial_refund'),
    full,
  };
}
