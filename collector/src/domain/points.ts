// The points ledger's rule: a balance never goes below zero unless the brand allows it.
import { ApiError } from '../errors.ts';

/**
 * The signed change a ledger entry makes. `clamp`: take only what the balance holds (a clawback of points
 * already spent); otherwise an entry that would go below zero is refused.
 */
export function pointsChange(balance: number, amount: number, allowNegative: boolean, clamp = false): number {
  if (balance + amount >= 0 || allowNegative) return amount;
  if (clamp) return -Math.max(balance, 0);
  throw new ApiError(400, 'insufficient_points', `amount: the balance is ${balance} points; it may not go below zero`, [
    { field: 'amount', message: `exceeds the balance of ${balance} points` },
  ]);
}
