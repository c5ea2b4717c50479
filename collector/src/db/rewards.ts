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
  /** how much of clawedBack later payouts have netted off; the rest is still due */
  clawbackRecovered: number;
  status: RewardStatus;
  reason: string | null;
  availableAt: string;
  approvedAt: string | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A reward with what its list and export show beside it: the order and the advocate. */
export interface RewardDetail extends Reward {
  orderId: string | null;
  conversionAmount: number;
  advocateName: string;
  advocateEmail: string;
}

/** The optional filters of the commission lists (null: not filtered); `from` inclusive, `to` exclusive. */
export interface RewardFilters {
  status: RewardStatus | null;
  advocateId: number | null;
  level: 1 | 2 | null;
  kind: 'cash' | 'points' | null;
  from: string | null;
  to: string | null;
}

export type NewReward = Pick<Reward, 'advocateId' | 'conversionId' | 'level' | 'kind' | 'originalAmount' | 'amount' | 'status' | 'reason' | 'availableAt' | 'createdAt'>;

const COLUMNS = `id, advocate_id AS advocateId, conversion_id AS conversionId, level, kind,
  original_amount AS originalAmount, amount, clawed_back AS clawedBack, clawback_recovered AS clawbackRecovered, status,
  reason, available_at AS availableAt,
  approved_at AS approvedAt, paid_at AS paidAt, created_at AS createdAt, updated_at AS updatedAt`;

const DETAIL_COLUMNS = `r.id, r.advocate_id AS advocateId, r.conversion_id AS conversionId, r.level, r.kind,
  r.original_amount AS originalAmount, r.amount, r.clawed_back AS clawedBack, r.clawback_recovered AS clawbackRecovered,
  r.status, r.reason,
  r.available_at AS availableAt, r.approved_at AS approvedAt, r.paid_at AS paidAt, r.created_at AS createdAt,
  r.updated_at AS updatedAt, c.order_id AS orderId, c.order_value_cents AS conversionAmount,
  a.name AS advocateName, a.email AS advocateEmail`;

const DETAIL_FROM = `FROM rewards r
  JOIN conversions c ON c.brand_id = r.brand_id AND c.id = r.conversion_id
  JOIN advocates a ON a.brand_id = r.brand_id AND a.id = r.advocate_id`;

const FILTERED = `WHERE r.brand_id = @brandId
  AND (@status IS NULL OR r.status = @status)
  AND (@advocateId IS NULL OR r.advocate_id = @advocateId)
  AND (@level IS NULL OR r.level = @level)
  AND (@kind IS NULL OR r.kind = @kind)
  AND (@from IS NULL OR r.created_at >= @from)
  AND (@to IS NULL OR r.created_at < @to)`;

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
    `UPDATE rewards SET amount = @amount, clawed_back = @clawedBack, clawback_recovered = @clawbackRecovered,
       status = @status, reason = @reason,
       approved_at = @approvedAt, paid_at = @paidAt, updated_at = @updatedAt
     WHERE brand_id = @brandId AND id = @id`,
  );
  const detailById = db.prepare(`SELECT ${DETAIL_COLUMNS} ${DETAIL_FROM} WHERE r.brand_id = ? AND r.id = ?`);
  // Newest first; LIMIT -1 reads them all (the exports).
  const list = db.prepare(
    `SELECT ${DETAIL_COLUMNS} ${DETAIL_FROM} ${FILTERED} ORDER BY r.created_at DESC, r.id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare(`SELECT count(*) FROM rewards r ${FILTERED}`).pluck();
  // Clawbacks exist on paid rewards only: served by rewards_due (brand_id, status).
  const owed = db.prepare(
    `SELECT ${DETAIL_COLUMNS} ${DETAIL_FROM}
     WHERE r.brand_id = ? AND r.status = 'paid' AND r.kind = 'cash' AND r.clawed_back > r.clawback_recovered
     ORDER BY r.advocate_id, r.id`,
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
    /** One reward with its order and advocate. */
    findDetail: (brandId: string, id: number) => detailById.get(brandId, id) as RewardDetail | undefined,
    /** A page of the brand's rewards, newest first; `limit` -1 for all of them. */
    list: (brandId: string, filters: RewardFilters, limit: number, offset: number) =>
      list.all({ brandId, ...filters, limit, offset }) as RewardDetail[],
    count: (brandId: string, filters: RewardFilters) => count.get({ brandId, ...filters }) as number,
    /** Paid cash rewards with a clawback still due, by advocate, oldest first. */
    clawbacksDue: (brandId: string) => owed.all(brandId) as RewardDetail[],
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
