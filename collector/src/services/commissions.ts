// Use cases of the rewards (commissions): the cooling period, status changes by the operator, payouts.
import type { Ctx } from './context.ts';

/**
 * Pending rewards whose cooling period has ended become approved, dated when it ended. Run before every
 * management read or write and by `referloop commissions approve-due`, so no timer is needed: the status is
 * brought up to date whenever someone can see it.
 */
export function settleDueRewards({ q, brand, now }: Ctx): number {
  const due = q.rewards.findDue(brand.id, now.toISOString());
  for (const reward of due) {
    q.rewards.save(brand.id, { ...reward, status: 'approved', approvedAt: reward.availableAt, updatedAt: reward.availableAt });
    q.rewards.addEvent(brand.id, reward.id, { event: 'approved', delta: 0, note: 'cooling period ended', actor: 'system', at: reward.availableAt });
  }
  return due.length;
}
