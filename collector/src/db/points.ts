// Queries for the advocates' points: the ledger, and the balance kept on the advocate row beside it.
import type { Db } from './open.ts';

export interface PointsTransaction {
  id: number;
  advocateId: number;
  type: string;
  amount: number;
  balanceAfter: number;
  description: string | null;
  rewardId: number | null;
  createdAt: string;
}

export type NewPointsTransaction = Omit<PointsTransaction, 'id'>;

const COLUMNS = `id, advocate_id AS advocateId, type, amount, balance_after AS balanceAfter, description,
  reward_id AS rewardId, created_at AS createdAt`;

export function createPointsQueries(db: Db) {
  const balance = db.prepare(`SELECT points_balance FROM advocates WHERE brand_id = ? AND id = ?`).pluck();
  const setBalance = db.prepare(`UPDATE advocates SET points_balance = ? WHERE brand_id = ? AND id = ?`);
  const insert = db.prepare(
    `INSERT INTO points_transactions (brand_id, advocate_id, type, amount, balance_after, description, reward_id, created_at)
     VALUES (@brandId, @advocateId, @type, @amount, @balanceAfter, @description, @rewardId, @createdAt)`,
  );
  const page = db.prepare(
    `SELECT ${COLUMNS} FROM points_transactions WHERE brand_id = ? AND advocate_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
  );
  const count = db.prepare(`SELECT count(*) FROM points_transactions WHERE brand_id = ? AND advocate_id = ?`).pluck();
  return {
    balance: (brandId: string, advocateId: number) => balance.get(brandId, advocateId) as number | undefined,
    /** Appends to the ledger and moves the balance with it (call inside the commit queue's transaction). */
    append(brandId: string, t: NewPointsTransaction): number {
      setBalance.run(t.balanceAfter, brandId, t.advocateId);
      return Number(insert.run({ brandId, ...t }).lastInsertRowid);
    },
    list: (brandId: string, advocateId: number, limit: number, offset: number) =>
      page.all(brandId, advocateId, limit, offset) as PointsTransaction[],
    count: (brandId: string, advocateId: number) => count.get(brandId, advocateId) as number,
  };
}
