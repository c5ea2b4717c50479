// Queries of the payouts one advocate received (the portal's /portal/payouts): advocate_payouts (migration 026, one
// row per advocate and payout, kept by triggers), and the commissions one of them paid (rewards_advocate_paid).
import { FROM_START } from './keyset.ts';
import { perEngine, type Conn } from './port.ts';

/** One payout of one advocate: when it was recorded, its commissions and their sum, the clawbacks it netted off, how and with what note. */
export interface AdvocatePayout {
  paidAt: string;
  commissions: number;
  /** the commissions' sum (cents) */
  cents: number;
  /** clawbacks netted off in this payout (cents, positive) */
  recovered: number;
  /** the advocate's payment method when the payout was recorded */
  paymentMethod: string | null;
  /** the payout's note */
  reference: string | null;
}

const COLUMNS = `paid_at AS paidAt, commissions, cents, recovered, payment_method AS paymentMethod, reference`;

/**
 * The advocate's payouts before the cursor (a paid_at), newest first, read by the primary key: a page reads the rows it
 * shows (a payout all of whose commissions left it stays at 0 and is skipped).
 */
export const ADVOCATE_PAYOUTS_SQL = `SELECT ${COLUMNS} FROM advocate_payouts
  WHERE brand_id = ? AND advocate_id = ? AND paid_at < ? AND commissions > 0 ORDER BY paid_at DESC LIMIT ?`;

/** The ids of one payout's commissions below the cursor, newest first, from rewards_advocate_paid alone. */
export const PAYOUT_COMMISSIONS_SQL = perEngine((d) => `SELECT id FROM rewards${d === 'sqlite' ? ' INDEXED BY rewards_advocate_paid' : ''}
  WHERE brand_id = ? AND advocate_id = ? AND status = 'paid' AND kind = 'cash' AND paid_at = ? AND id < ? ORDER BY id DESC LIMIT ?`);

export function createAdvocatePayoutQueries(db: Conn) {
  const page = db.prepare(ADVOCATE_PAYOUTS_SQL);
  const one = db.prepare(`SELECT ${COLUMNS} FROM advocate_payouts WHERE brand_id = ? AND advocate_id = ? AND paid_at = ? AND commissions > 0`);
  const commissionIds = db.prepare(PAYOUT_COMMISSIONS_SQL, { pluck: true });
  return {
    /** At most `limit` payouts of the advocate recorded before `before` (an ISO time; null: the newest), newest first. */
    page: async (brandId: string, advocateId: number, before: string | null, limit: number) =>
      await page.all(brandId, advocateId, before ?? '\uffff', limit) as AdvocatePayout[],
    /** The advocate's payout recorded at `paidAt`, if there is one. */
    find: async (brandId: string, advocateId: number, paidAt: string) => await one.get(brandId, advocateId, paidAt) as AdvocatePayout | undefined,
    /** At most `limit` ids of that payout's commissions below `before` (null: from the newest), newest first. */
    commissionIds: async (brandId: string, advocateId: number, paidAt: string, before: number | null, limit: number) =>
      await commissionIds.all(brandId, advocateId, paidAt, before ?? FROM_START, limit) as number[],
  };
}
