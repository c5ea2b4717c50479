// Queries for the advocates' rewards (commissions: one per conversion and level, and one per other action earned; each is
// a referral record too, db/referralRecords.ts) and their history.
import { uuidv7 } from '../domain/ids.ts';
import type { Conn } from './port.ts';
import { keysetList, type ListSql, type ListSqls, type ScannedPage, type Slice } from './keyset.ts';
import { perEngine } from './port.ts';

export type RewardStatus = 'pending' | 'approved' | 'paid' | 'rejected' | 'reversed';
/** Who changed a reward: the collector itself, a secret key, the CLI, or a dashboard user (`dashboard:` and their email). */
export type Actor = 'system' | 'api' | 'cli' | `dashboard:${string}`;

/** 003_*'s reward_action_type: 1 referred purchase, 2 referred enrolment, 3 clicks reached, 4 shares reached. */
export type RewardAction = 1 | 2 | 3 | 4;

export interface Reward {
  id: number;
  /** the referral record's stable id */
  uuid: string;
  advocateId: number;
  /** the referred purchase (action 1, tracked); null for the other actions and for an entered order made elsewhere */
  conversionId: number | null;
  action: RewardAction;
  /** the clicks or shares that earned it (actions 3 and 4) */
  qualifiedAmount: number | null;
  /** the referred customer when they are an advocate (action 2: the new advocate) */
  referredAdvocateId: number | null;
  level: 1 | 2;
  kind: 'cash' | 'points';
  /** the campaign whose rules made it: the referring advocate's when the conversion was recorded */
  campaignId: number;
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
  /** the order's value, when the reward has a conversion */
  conversionAmount: number | null;
  advocateName: string;
  advocateEmail: string;
}

/** The optional filters of the commission lists (undefined: not filtered); `from` inclusive, `to` exclusive. */
export interface RewardFilters {
  status?: RewardStatus | undefined;
  advocateId?: number | undefined;
  level?: 1 | 2 | undefined;
  kind?: 'cash' | 'points' | undefined;
  campaignId?: number | undefined;
  action?: RewardAction | undefined;
  /** a referred customer's email (the referral records' filter) */
  customerEmail?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A payout line's reward: the commission with its order and the advocate's name, email and how to pay them. */
export interface PayoutReward extends RewardDetail {
  paymentMethod: string | null;
  paymentDetails: string | null;
}

/** What an operator's entered record states beyond a commission's fields (POST /referral-records). */
export interface EnteredFields {
  referredEmail: string | null;
  orderId: string | null;
  incentiveUsed: string | null;
  incentiveType: 'code' | 'coupon' | null;
  incentiveCents: number | null;
}

export type NewReward = Pick<Reward, 'advocateId' | 'conversionId' | 'level' | 'kind' | 'campaignId' | 'originalAmount' | 'amount' | 'status' | 'reason' | 'availableAt' | 'createdAt'>
  & Partial<Pick<Reward, 'uuid' | 'action' | 'qualifiedAmount' | 'referredAdvocateId'>> & {
    /** the count reached (actions 3 and 4): one reward per advocate, action and milestone */
    milestone?: number | null;
    /** the code that was shared (an entered record's share_code), or whose click or share reached a milestone */
    shortCode?: string | null;
    entered?: EnteredFields;
  };

const COLUMNS = `id, uuid, advocate_id AS advocateId, conversion_id AS conversionId, action, qualified_amount AS qualifiedAmount,
  referred_advocate_id AS referredAdvocateId, level, kind, campaign_id AS campaignId,
  original_amount AS originalAmount, amount, clawed_back AS clawedBack, clawback_recovered AS clawbackRecovered, status,
  reason, available_at AS availableAt,
  approved_at AS approvedAt, paid_at AS paidAt, created_at AS createdAt, updated_at AS updatedAt`;

const DETAIL_COLUMNS = `r.id, r.uuid, r.advocate_id AS advocateId, r.conversion_id AS conversionId, r.action,
  r.qualified_amount AS qualifiedAmount, r.referred_advocate_id AS referredAdvocateId, r.level, r.kind, r.campaign_id AS campaignId,
  r.original_amount AS originalAmount, r.amount, r.clawed_back AS clawedBack, r.clawback_recovered AS clawbackRecovered,
  r.status, r.reason,
  r.available_at AS availableAt, r.approved_at AS approvedAt, r.paid_at AS paidAt, r.created_at AS createdAt,
  r.updated_at AS updatedAt, coalesce(c.order_id, r.order_id) AS orderId, c.order_value_cents AS conversionAmount,
  a.name AS advocateName, a.email AS advocateEmail`;

// A reward of another action than a tracked purchase has no conversion.
const DETAIL_FROM = `FROM rewards r
  LEFT JOIN conversions c ON c.brand_id = r.brand_id AND c.id = r.conversion_id
  JOIN advocates a ON a.brand_id = r.brand_id AND a.id = r.advocate_id`;

// One condition per filter given: the WHERE clause is one of a fixed set, prepared once per combination, so the
// planner sees plain equalities it serves from an index (brand + status, brand + advocate + status, brand + level)
// whose rows are in id order, instead of `(? IS NULL OR ...)` it cannot.
const CONDITIONS: Record<keyof RewardFilters, string> = {
  status: 'status = @status',
  advocateId: 'advocate_id = @advocateId',
  level: 'level = @level',
  kind: 'kind = @kind',
  campaignId: 'campaign_id = @campaignId',
  action: 'action = @action',
  // the referred customer: an entered record's, a tracked purchase's or an enrolled advocate's email, each found
  // through its own index (the few ids of one customer, then read by rowid)
  customerEmail: `id IN (
    SELECT er.id FROM rewards er WHERE er.brand_id = @brandId AND er.referred_email = @customerEmail
    UNION ALL SELECT cr.id FROM rewards cr WHERE cr.brand_id = @brandId
      AND cr.conversion_id IN (SELECT ce.id FROM conversions ce WHERE ce.brand_id = @brandId AND ce.email = @customerEmail)
    UNION ALL SELECT ar.id FROM advocates ae JOIN rewards ar ON ar.brand_id = ae.brand_id AND ar.referred_advocate_id = ae.id
      WHERE ae.brand_id = @brandId AND ae.email = @customerEmail AND ar.referred_advocate_id IS NOT NULL)`,
  from: 'created_at >= @from',
  to: 'created_at < @to',
};

/**
 * The index a combination of filters walks, most selective first, and the filters it serves: the others (the
 * dates, which no index holds; kind; the level beside an advocate or a status) are checked row by row, within a
 * window (db/keyset.ts), so a page examines a bounded number of rows whatever the filter matches.
 */
const WALKS: Array<{ index: string | null; when: keyof RewardFilters | null; serves: Array<keyof RewardFilters> }> = [
  // one customer's few records, found through the three indexes of the condition (no one index serves it)
  { index: null, when: 'customerEmail', serves: ['customerEmail'] },
  { index: 'rewards_advocate', when: 'advocateId', serves: ['advocateId', 'status'] },
  { index: 'rewards_brand_status', when: 'status', serves: ['status'] },
  { index: 'rewards_brand_campaign', when: 'campaignId', serves: ['campaignId'] },
  { index: 'rewards_brand_action', when: 'action', serves: ['action'] },
  { index: 'rewards_brand_level', when: 'level', serves: ['level'] },
  { index: 'rewards_brand', when: null, serves: [] },
];

/**
 * One combination of filters as a list's SQL (db/keyset.ts) answering `columns` of `from` (the rewards as `r`, and
 * what they join), and the parameters it names: the commission list's, and the referral records' (db/referralRecords.ts).
 */
export function rewardListSql(filters: RewardFilters, columns: string, from: string): { sql: ListSqls; params: Record<string, string | number> } {
  const used = (Object.keys(CONDITIONS) as Array<keyof RewardFilters>).filter((k) => filters[k] !== undefined);
  const walk = WALKS.find((w) => w.when === null || used.includes(w.when))!;
  // The page's ids first (from the index, newest first), then the join for those ids only; the IN list is read
  // in id order, so nothing is sorted. PostgreSQL has no INDEXED BY: there the equalities the walk serves lead
  // its index, which ends with id.
  const over = (source: string): ListSql => ({
    from: source,
    id: 'id',
    indexed: ['brand_id = @brandId', ...used.filter((k) => walk.serves.includes(k)).map((k) => CONDITIONS[k])],
    residual: used.filter((k) => !walk.serves.includes(k)).map((k) => CONDITIONS[k]),
    page: (where, order) => `SELECT ${columns} ${from}
      WHERE r.brand_id = @brandId AND r.id IN (SELECT id FROM ${source} WHERE ${where} ORDER BY id ${order} LIMIT @limit OFFSET @offset)
      ORDER BY r.id ${order}`,
  });
  const sql = perEngine((d) => over(d === 'sqlite' && walk.index ? `rewards INDEXED BY ${walk.index}` : 'rewards'));
  return { sql, params: Object.fromEntries(used.map((k) => [k, filters[k]!])) };
}

const PAYOUT_COLUMNS = `${DETAIL_COLUMNS}, a.payment_method AS paymentMethod, a.payment_details AS paymentDetails`;

export function createRewardQueries(db: Conn) {
  // Positional parameters: binding 25 named ones looks each name up on the object (measurably slower per conversion).
  const insert = db.prepare(
    `INSERT INTO rewards (brand_id, uuid, advocate_id, conversion_id, action, qualified_amount, milestone, referred_advocate_id, level,
       kind, campaign_id, original_amount, amount, status, reason, available_at, created_at, updated_at, referred_email, order_id,
       short_code, incentive_used, incentive_type, incentive_cents, origin)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     -- an enrolment or milestone already earned (another job got there first) is not earned twice
     ON CONFLICT DO NOTHING`,
  );
  // An entered record of this order (rewards_entered_order), taken over by its conversion recorded later. Looked for
  // first: a conversion of an order nobody entered (nearly every one) costs that index's seek, not an UPDATE's set-up.
  const enteredOrder = db.prepare(`SELECT 1 AS found FROM rewards WHERE brand_id = ? AND order_id = ? AND conversion_id IS NULL LIMIT 1`);
  const adoptOrder = db.prepare(
    `UPDATE rewards SET conversion_id = @conversionId, order_id = NULL
     WHERE brand_id = @brandId AND order_id = @orderId AND conversion_id IS NULL RETURNING id, level`,
  );
  // An entered enrolment known by email (rewards_entered_enrolment), taken over by the advocate of that email.
  const adoptEnrolment = db.prepare(
    `UPDATE rewards SET referred_advocate_id = @advocateId, referred_email = NULL
     WHERE brand_id = @brandId AND action = 2 AND referred_email = @email AND referred_advocate_id IS NULL RETURNING id`,
  );
  const NO_ENTRY: EnteredFields = { referredEmail: null, orderId: null, incentiveUsed: null, incentiveType: null, incentiveCents: null };
  const byId = db.prepare(`SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND id = ?`);
  const byConversion = db.prepare(`SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND conversion_id = ? ORDER BY level`);
  // Served by rewards_due (pending rows by brand and due date): only the rows that are due are read.
  const due = db.prepare(
    `SELECT ${COLUMNS} FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at <= ? ORDER BY available_at, id LIMIT ?`,
  );
  const anyDue = db.prepare(
    `SELECT 1 FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at <= ? LIMIT 1`,
  { pluck: true });
  // The background sweep's one cross-brand read: each brand's due backlog is probed through rewards_due.
  const brandsDue = db.prepare(
    `SELECT b.id FROM brands b WHERE EXISTS (
       SELECT 1 FROM rewards r WHERE r.brand_id = b.id AND r.status = 'pending' AND r.available_at <= ?)`,
  { pluck: true });
  const update = db.prepare(
    `UPDATE rewards SET amount = @amount, clawed_back = @clawedBack, clawback_recovered = @clawbackRecovered,
       status = @status, reason = @reason,
       approved_at = @approvedAt, paid_at = @paidAt, updated_at = @updatedAt
     WHERE brand_id = @brandId AND id = @id`,
  );
  const detailById = db.prepare(`SELECT ${DETAIL_COLUMNS} ${DETAIL_FROM} WHERE r.brand_id = ? AND r.id = ?`);
  const lists = keysetList<RewardDetail>(db);
  const listOf = (filters: RewardFilters) => rewardListSql(filters, DETAIL_COLUMNS, DETAIL_FROM);
  // A payout chunk: approved cash commissions by advocate then id (rewards_payable), after an advocate.
  // `a.id > ?` says again what the join implies: PostgreSQL does not carry an inequality across a join, and with the
  // statistics of migration 015 it merge-joined the advocates from the first (26.6 ms for the advocates after 90,000 of
  // 100,000, 1.4 ms with the bound).
  const payable = db.prepare(
    `SELECT ${PAYOUT_COLUMNS} ${DETAIL_FROM}
     WHERE r.brand_id = ? AND r.status = 'approved' AND r.kind = 'cash' AND r.advocate_id > ? AND a.id > ?
     ORDER BY r.advocate_id, r.id LIMIT ?`,
  );
  const payableOf = db.prepare(
    `SELECT ${PAYOUT_COLUMNS} ${DETAIL_FROM}
     WHERE r.brand_id = ? AND r.status = 'approved' AND r.kind = 'cash' AND r.advocate_id = ? AND r.id > ? ORDER BY r.id LIMIT ?`,
  );
  // Clawbacks exist on paid rewards only, and rewards_clawback_owed holds just those still owed.
  const owed = db.prepare(
    `SELECT ${PAYOUT_COLUMNS} ${DETAIL_FROM}
     WHERE r.brand_id = ? AND r.clawed_back > r.clawback_recovered AND r.status = 'paid' AND r.kind = 'cash'
       AND r.advocate_id > ? AND r.advocate_id <= ?
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
    /** The new reward's id; undefined when its enrolment or milestone was earned already (nothing written). */
    async insert(brandId: string, r: NewReward): Promise<number | undefined> {
      const e = r.entered ?? NO_ENTRY;
      // A time-ordered UUID: new records' entries land at the end of rewards_uuid, not on a random page each (a random
      // one cost a page written per commission in each commit).
      const result = await insert.run(brandId, r.uuid ?? uuidv7(), r.advocateId, r.conversionId, r.action ?? 1, r.qualifiedAmount ?? null,
        r.milestone ?? null, r.referredAdvocateId ?? null, r.level, r.kind, r.campaignId, r.originalAmount, r.amount, r.status, r.reason,
        r.availableAt, r.createdAt, r.createdAt, e.referredEmail, e.orderId, r.shortCode ?? null, e.incentiveUsed, e.incentiveType,
        e.incentiveCents, r.entered ? 'entered' : 'tracked');
      return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
    },
    findById: async (brandId: string, id: number) => await byId.get(brandId, id) as Reward | undefined,
    /** The entered records of `orderId` (no conversion yet) now `conversionId`'s: their ids and levels. */
    async adoptEnteredOrder(brandId: string, orderId: string, conversionId: number): Promise<Array<{ id: number; level: number }>> {
      if (await enteredOrder.get(brandId, orderId) === undefined) return [];
      return (await adoptOrder.all({ brandId, orderId, conversionId }) as Array<{ id: number; level: number }>).map((r) => ({ id: Number(r.id), level: Number(r.level) }));
    },
    /** The entered enrolment records of `email` now advocate `advocateId`'s: their ids. */
    adoptEnteredEnrolment: async (brandId: string, email: string, advocateId: number) =>
      (await adoptEnrolment.all({ brandId, email, advocateId }) as Array<{ id: number }>).map((r) => Number(r.id)),
    /** The rewards of one conversion, level 1 first. */
    findByConversion: async (brandId: string, conversionId: number) => await byConversion.all(brandId, conversionId) as Reward[],
    /** One reward with its order and advocate. */
    findDetail: async (brandId: string, id: number) => await detailById.get(brandId, id) as RewardDetail | undefined,
    /**
     * A slice of the brand's rewards, newest first (ids below `before`), with their order and advocate, however many
     * rows that examines (the CLI; a request reads `page`).
     */
    async list(brandId: string, filters: RewardFilters, slice: Slice): Promise<RewardDetail[]> {
      const { sql, params } = listOf(filters);
      return lists.rows(sql, { ...params, brandId }, slice);
    },
    /** A list page (db/keyset.ts `page`): by cursor at most SCAN_BUDGET rows examined for the date filters, by offset WALK_BUDGET. */
    async page(brandId: string, filters: RewardFilters, slice: Slice): Promise<ScannedPage<RewardDetail>> {
      const { sql, params } = listOf(filters);
      return lists.page(sql, { ...params, brandId }, slice);
    },
    /** How many rewards match: exact, O(matching rows) (the CLI). */
    async count(brandId: string, filters: RewardFilters): Promise<number> {
      const { sql, params } = listOf(filters);
      return lists.count(sql, { ...params, brandId });
    },
    /** How many rewards match, when that examines at most WALK_BUDGET rows (else a 400 naming total). */
    async total(brandId: string, filters: RewardFilters): Promise<number> {
      const { sql, params } = listOf(filters);
      return lists.total(sql, { ...params, brandId });
    },
    /** At most `limit` approved cash rewards of the advocates after `afterAdvocate`, by advocate then id. */
    payable: async (brandId: string, afterAdvocate: number, limit: number) => await payable.all(brandId, afterAdvocate, afterAdvocate, limit) as PayoutReward[],
    /** At most `limit` approved cash rewards of one advocate after the id `afterId`, oldest first. */
    payableOf: async (brandId: string, advocateId: number, afterId: number, limit: number) =>
      await payableOf.all(brandId, advocateId, afterId, limit) as PayoutReward[],
    /** Paid cash rewards with a clawback still due, of the advocates in (after, upTo], by advocate then id. */
    clawbacksDue: async (brandId: string, afterAdvocate: number, upToAdvocate: number) =>
      await owed.all(brandId, afterAdvocate, upToAdvocate) as PayoutReward[],
    /** At most `limit` pending rewards whose cooling period ended at or before `now`, oldest due first. */
    findDue: async (brandId: string, now: string, limit: number) => await due.all(brandId, now, limit) as Reward[],
    /** Whether any pending reward of the brand is due at `now` (one index probe). */
    hasDue: async (brandId: string, now: string) => await anyDue.get(brandId, now) !== undefined,
    /** The brands with a due backlog at `now` (the background sweep). */
    brandsWithDue: async (now: string) => await brandsDue.all(now) as string[],
    /** Writes the reward's changeable fields as given. */
    async save(brandId: string, r: Reward): Promise<void> {
      await update.run({ brandId, ...r });
    },
    async addEvent(brandId: string, rewardId: number, e: { event: string; delta: number; note: string | null; actor: Actor; at: string }): Promise<void> {
      await insertEvent.run(brandId, rewardId, e.event, e.delta, e.note, e.actor, e.at);
    },
    history: async (brandId: string, rewardId: number) =>
      await events.all(brandId, rewardId) as Array<{ id: number; event: string; delta: number; note: string | null; actor: Actor; createdAt: string }>,
  };
}
