// Queries for the advocates' points: the ledger, and the balance kept on the advocate row beside it.
import type { Conn } from './port.ts';

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

export function createPointsQueries(db: Conn) {
  const balance = db.prepare(`SELECT points_balance FROM advocates WHERE brand_id = ? AND id = ?`, { pluck: true });
  const setBalance = db.prepare(`UPDATE advocates SET points_balance = ? WHERE brand_id = ? AND id = ?`);
  const insert = db.prepare(
    `INSERT INTO points_transactions (brand_id, advocate_id, type, amount, balance_after, description, reward_id, created_at)
     VALUES (@brandId, @advocateId, @type, @amount, @balanceAfter, @description, @rewardId, @createdAt)`,
  );
  const page = db.prepare(
    `SELECT ${COLUMNS} FROM points_transactions WHERE brand_id = ? AND advocate_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
  );
  const count = db.prepare(`SELECT count(*) FROM points_transactions WHERE brand_id = ? AND advocate_id = ?`, { pluck: true });
  return {
    balance: async (brandId: string, advocateId: number) => await balance.get(brandId, advocateId) as number | undefined,
    /** Appends to the ledger and moves the balance with it (call inside the commit queue's transaction). */
    async append(brandId: string, t: NewPointsTransaction): Promise<number> {
      await setBalance.run(t.balanceAfter, brandId, t.advocateId);
      return Number((await insert.run({ brandId, ...t })).lastInsertRowid);
    },
    list: async (brandId: string, advocateId: number, limit: number, offset: number) =>
      await page.all(brandId, advocateId, limit, offset) as PointsTransaction[],
    count: async (brandId: string, advocateId: number) => await count.get(brandId, advocateId) as number,
  };
}
