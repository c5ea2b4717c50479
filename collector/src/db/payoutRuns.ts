// Queries of past payouts: the brand's paid cash commissions grouped by the moment a payout marked them paid.
import type { Db } from './open.ts';

/** One past payout: the moment it was recorded, how many commissions it paid and their amount (cents). */
export interface PayoutRun {
  paidAt: string;
  commissions: number;
  cents: number;
}

export function createPayoutRunQueries(db: Db) {
  // rewards_paid (migration 012) serves it from the index alone, newest run first; GROUP BY follows the index, so
  // LIMIT stops after the page's runs (each run's rows are read once, to add them up).
  const runs = db.prepare(
    `SELECT paid_at AS paidAt, count(*) AS commissions, sum(amount) AS cents
     FROM rewards INDEXED BY rewards_paid
     WHERE brand_id = ? AND status = 'paid' AND kind = 'cash' AND paid_at < ?
     GROUP BY paid_at ORDER BY paid_at DESC LIMIT ?`,
  );
  return {
    /** At most `limit` runs recorded before `before` (an ISO time; null: the newest), newest first. */
    runs: (brandId: string, before: string | null, limit: number) => runs.all(brandId, before ?? '\uffff', limit) as PayoutRun[],
  };
}
