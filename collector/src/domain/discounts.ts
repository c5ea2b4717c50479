// The referee's discount on a claim: discount_applied and claim_value from raw_value.
import { applyBasisPoints } from './money.ts';

export interface Discount {
  type: 'percentage' | 'fixed';
  /** basis points for percentage, cents for fixed */
  value: number;
}

export interface ClaimAmounts {
  discountAppliedCents: number;
  claimValueCents: number | null;
}

/**
 * 10% of 57.00 is 5.70 off and 51.30 left. A claim_value sent by the caller wins (the shop knows what it
 * charged); a fixed discount never exceeds the order. Without raw_value there is nothing to compute.
 */
export function claimAmounts(rawValueCents: number | null, discount: Discount, claimValueCents: number | null): ClaimAmounts {
  if (rawValueCents === null) return { discountAppliedCents: 0, claimValueCents };
  if (claimValueCents !== null) {
    return { discountAppliedCents: Math.max(0, rawValueCents - claimValueCents), claimValueCents };
  }
  const off = discount.type === 'percentage'
    ? applyBasisPoints(rawValueCents, Math.min(discount.value, 10_000))
    : Math.min(discount.value, rawValueCents);
  return { discountAppliedCents: off, claimValueCents: rawValueCents - off };
}
