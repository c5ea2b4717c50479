// Queries for the advocates' rewards (commissions, one per conversion and level) and their history.
import type { Db } from './open.ts';

export type RewardStatus = 'pending' | 'approved' | 'paid' | 'rejected' | 'reversed';
export type Actor = 'system' | 'api' | 'cli';

export interface Reward {
  id: number;
  advocateId: number;
  conversionId: number;
  level: 1 | 2;
  kind: 'cash' | 'points';
  originalAmount: number;
  amount: number;
  /** clawed back after payment (positive): the advocate owes it back */
  clawedBack: number;
  status: RewardStatus;
  reason: string | null;
  availableAt: string;
  approvedAt: string | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewReward = Pick<Reward, 'advocateId' | 'conversionId' | 'level' | 'kind' | 'originalAmount' | 'amount' | 'status' | 'reason' | 'availableAt' | 'createdAt'>;

const COLUMNS = `id, advocate_id AS advocateId, conversion_id AS conversionId, level, kind,
  original_amount AS originalAmount, amount, clawed_back AS clawedBack, status, reason, available_at AS availableAt,
  approved_at AS approvedAt, paid_at AS paidAt, created_at AS createdAt, updated_at AS updatedAt`;

export function createRewardQueries(db: Db) {
  const insert = db.prepare(
    `INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, status, reason,
       available_at, created_at, updated_at)
     VALUES (@brandId, @advocateId, @conversionId, @level, @kind, @originalAmount, @amount, @status, @reason,
       @availableAt, @createdAt, @createdAt)`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND id = ?`);
  const byConversion = db.prepare(`SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND conversion_id = ? ORDER BY level`);
  // Served by rewards_due: only the rows that are due are read.
  const due = db.prepare(
    `SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at <= ? ORDER BY available_at, id`,
  );
  const update = db.prepare(
    `UPDATE rewards SET amount = @amount, clawed_back = @clawedBack, status = @status, reason = @reason,
       approved_at = @approvedAt, paid_at = @paidAt, updated_at = @updatedAt
     WHERE brand_id = @brandId AND id = @id`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO reward_events (brand_id, reward_id, event, delta, note, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const events = db.prepare(
    `SELECT id, event, delta, note, actor, created_at AS createdAt FROM reward_events
     WHERE brand_id = ? AND reward_id = ? ORDER BY id`,
  );
  return {
    insert: (brandId: string, r: NewReward): number => Number(insert.run({ brandId, ...r }).lastInsertRowid),
    findById: (brandId: string, id: number) => byId.get(brandId, id) as Reward | undefined,
    /** The rewards of one conversion, level 1 first. */
    findByConversion: (brandId: string, conversionId: number) => byConversion.all(brandId, conversionId) as Reward[],
    /** Pending rewards whose cooling period ended at or before `now`. */
    findDue: (brandId: string, now: string) => due.all(brandId, now) as Reward[],
    /** Writes the reward's changeable fields as given. */
    save(brandId: string, r: Reward): void {
      update.run({ brandId, ...r });
    },
    addEvent(brandId: string, rewardId: number, e: { event: string; delta: number; note: string | null; actor: Actor; at: string }): void {
      insertEvent.run(brandId, rewardId, e.event, e.delta, e.note, e.actor, e.at);
    },
    history: (brandId: string, rewardId: number) =>
      events.all(brandId, rewardId) as Array<{ id: number; event: string; delta: number; note: string | null; actor: Actor; createdAt: string }>,
  };
}
