// Queries of the dashboard's payout page beside the payout use case's own (db/rewards.ts): the past payouts (paid cash
// commissions grouped by the moment a payout marked them paid, migration 012), and whether advocates after one have anything due.
import type { Conn } from './port.ts';

/** One past payout: the moment it was recorded, how many commissions it paid and their amount (cents). */
export interface PayoutRun {
  paidAt: string;
  commissions: number;
  cents: number;
}

/**
 * The past payouts, newest first: payout_runs (migration 012, one row per run kept by triggers), read by its
 * primary key from the newest run before the cursor, so a page reads as many rows as it shows.
 */
export const PAYOUT_RUNS_SQL = `SELECT paid_at AS paidAt, commissions, cents FROM payout_runs
  WHERE brand_id = ? AND paid_at < ? ORDER BY paid_at DESC LIMIT ?`;

export function createPayoutPageQueries(db: Conn) {
  const runs = db.prepare(PAYOUT_RUNS_SQL);
  // One probe of rewards_payable (the payout's own index): is there a next page of advocates to offer?
  const payableAfter = db.prepare(
    `SELECT 1 FROM rewards WHERE brand_id = ? AND status = 'approved' AND kind = 'cash' AND advocate_id > ? LIMIT 1`,
  { pluck: true });
  return {
    /** At most `limit` runs recorded before `before` (an ISO time; null: the newest), newest first. */
    runs: async (brandId: string, before: string | null, limit: number) => await runs.all(brandId, before ?? '\uffff', limit) as PayoutRun[],
    /** Whether an advocate after `advocateId` has an approved cash commission (one may still roll over). */
    payableAfter: async (brandId: string, advocateId: number) => await payableAfter.get(brandId, advocateId) !== undefined,
  };
}
