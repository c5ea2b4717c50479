// Queries for the referrer's rewards and their history.
import type { Db } from './open.ts';

export type RewardStatus = 'pending' | 'approved' | 'paid' | 'rejected' | 'reversed';

export interface Reward {
  id: number;
  advocateId: number;
  conversionId: number;
  kind: 'cash' | 'points';
  originalAmount: number;
  amount: number;
  status: RewardStatus;
  availableAt: string;
  createdAt: string;
}

const COLUMNS = `id, advocate_id AS advocateId, conversion_id AS conversionId, kind,
  original_amount AS originalAmount, amount, status, available_at AS availableAt, created_at AS createdAt`;

export function createRewardQueries(db: Db) {
  const insert = db.prepare(
    `INSERT INTO rewards (brand_id, advocate_id, conversion_id, kind, original_amount, amount, status,
       available_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byConversion = db.prepare(`SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND conversion_id = ?`);
  const update = db.prepare(`UPDATE rewards SET amount = ?, status = ? WHERE brand_id = ? AND id = ?`);
  const insertEvent = db.prepare(
    `INSERT INTO reward_events (brand_id, reward_id, event, delta, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const sumEvents = db.prepare(
    `SELECT coalesce(sum(delta), 0) FROM reward_events WHERE brand_id = ? AND reward_id = ? AND event = ?`,
  ).pluck();
  return {
    insert(brandId: string, r: Omit<Reward, 'id'>): number {
      return Number(
        insert.run(brandId, r.advocateId, r.conversionId, r.kind, r.originalAmount, r.amount, r.status, r.availableAt,
          r.createdAt).lastInsertRowid,
      );
    },
    findByConversion: (brandId: string, conversionId: number) =>
      byConversion.get(brandId, conversionId) as Reward | undefined,
    update(brandId: string, id: number, amount: number, status: RewardStatus): void {
      update.run(amount, status, brandId, id);
    },
    addEvent(brandId: string, rewardId: number, event: string, delta: number, note: string | null, now: string): void {
      insertEvent.run(brandId, rewardId, event, delta, note, now);
    },
    sumEvents: (brandId: string, rewardId: number, event: string) => sumEvents.get(brandId, rewardId, event) as number,
  };
}
