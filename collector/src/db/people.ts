// Queries for a person's data (export) and its erasure, by email and visitor id; every one filters by brand.
import { inJson, perEngine, type Conn, type Sql } from './port.ts';
import { sqliteHandle } from './sqlite/conn.ts';

/** A stored row as it is, without its brand_id (the answer is the brand's own). */
export type Row = Record<string, unknown>;

/** The erasure record: never the email, its keyed hash. */
export interface ErasureRecord {
  id: number;
  emailHash: string;
  actor: string;
  keyId: number | null;
  counts: Record<string, number>;
  createdAt: string;
}

/** The rows found by a JSON array of ids bound as one parameter, in the given table and column. */
const byIds = (db: Conn, table: string, column: string) =>
  db.prepare(perEngine((d) => `SELECT * FROM ${table} WHERE brand_id = ? AND ${inJson(d, column, '?', 'bigint')}`));

/** By id, without brand_id. Sorted here, not by ORDER BY id: that would let SQLite walk the brand's rows in id order
 * (brand_id's index) instead of seeking the person's (the email's index) and sorting those few. */
const withoutBrand = (rows: unknown[]): Row[] => rows.map((r) => {
  const { brand_id: _brand, ...rest } = r as Row;
  return rest;
}).sort((a, b) => (a.id as number) - (b.id as number));

export function createPeopleQueries(db: Conn) {
  // ---- what the brand holds about an email (each one seek on an index: claims_email, conversions_email, the
  // brand + email unique key of advocates, visits_visitor, refunds_conversion / refunds_claim of migration 011)
  const claims = db.prepare('SELECT * FROM claims WHERE brand_id = ? AND email = ?');
  const conversions = db.prepare('SELECT * FROM conversions WHERE brand_id = ? AND email = ?');
  const refundsOfConversions = byIds(db, 'refunds', 'conversion_id');
  const refundsOfClaims = byIds(db, 'refunds', 'claim_id');
  // Entered referral records that name the person by email (rewards_referred_email); a tracked one is its conversion's.
  const enteredRecords = db.prepare('SELECT * FROM rewards WHERE brand_id = ? AND referred_email = ? ORDER BY id');
  const visits = db.prepare(perEngine((d) => `SELECT * FROM visits WHERE brand_id = ? AND ${inJson(d, 'visitor_id', '?', 'text')}`));
  const advocate = db.prepare('SELECT * FROM advocates WHERE brand_id = ? AND email = ?');
  const codes = db.prepare('SELECT * FROM referral_codes WHERE brand_id = ? AND advocate_id = ?');
  const rewards = db.prepare('SELECT * FROM rewards WHERE brand_id = ? AND advocate_id = ?');
  // CROSS JOIN keeps the advocate's rewards as the outer loop (SQLite does not reorder it): each one's events are a seek.
  // PostgreSQL has no CROSS JOIN ... ON; its planner picks the order from the statistics.
  const rewardEvents = db.prepare(perEngine((d) =>
    `SELECT e.* FROM rewards r ${d === 'sqlite' ? 'CROSS JOIN' : 'JOIN'} reward_events e ON e.brand_id = r.brand_id AND e.reward_id = r.id
     WHERE r.brand_id = ? AND r.advocate_id = ?`));
  const points = db.prepare('SELECT * FROM points_transactions WHERE brand_id = ? AND advocate_id = ?');
  const unpaidRewards = db.prepare(
    `SELECT id FROM rewards WHERE brand_id = ? AND advocate_id = ? AND status IN ('pending', 'approved')`,
  { pluck: true });
  const erasures = db.prepare(
    `SELECT id, email_hash AS emailHash, actor, key_id AS keyId, counts, created_at AS createdAt
     FROM erasures WHERE brand_id = ? AND email_hash = ? ORDER BY id`,
  );

  // ---- erasure: what identifies the person goes, the rows the books need stay (marked erased_at)
  const eraseClaims = db.prepare(
    `UPDATE claims SET email = '', name = NULL, phone = NULL, visitor_id = NULL, metadata = NULL, erased_at = ?
     WHERE brand_id = ? AND email = ?`,
  );
  const eraseConversions = db.prepare(
    `UPDATE conversions SET email = '', name = NULL, visitor_id = NULL, metadata = NULL, erased_at = ?
     WHERE brand_id = ? AND email = ?`,
  );
  // An entered referral record names its referred customer by email (rewards_referred_email); a tracked one reads its
  // conversion's, erased above.
  const recordsNaming = db.prepare(`SELECT id FROM rewards WHERE brand_id = ? AND referred_email = ?`, { pluck: true });
  const eraseRecords = db.prepare(`UPDATE rewards SET referred_email = NULL WHERE brand_id = ? AND referred_email = ?`);
  // By id: the refunds were found first on refunds_conversion and refunds_claim (an OR of both walks the brand's). The
  // + keeps SQLite from reading the brand's entries of a brand_id index instead of seeking each id (PostgreSQL has no
  // unary + on text; its planner seeks the primary key for each id unprompted).
  const eraseRefunds = db.prepare(perEngine((d) =>
    `UPDATE refunds SET metadata = NULL, reason = NULL WHERE ${d === 'sqlite' ? '+brand_id' : 'brand_id'} = ? AND ${inJson(d, 'id', '?', 'bigint')}`));
  // A refund's reason is also written into the notes of the history of the rewards it changed (services/refunds.ts).
  const eraseRefundNotes = db.prepare(perEngine((d) =>
    `UPDATE reward_events SET note = replace(note, @reason, '(reason erased)')
     WHERE brand_id = @brandId AND ${d === 'sqlite' ? 'instr' : 'strpos'}(note, @reason) > 0
       AND reward_id IN (SELECT id FROM rewards WHERE brand_id = @brandId AND ${inJson(d, 'conversion_id', '@conversions', 'bigint')})`));
  // visitor_id is NOT NULL: '' is no visitor (a sent visitor id has at least one character), so it never matches.
  const eraseVisits = db.prepare(perEngine((d) =>
    `UPDATE visits SET visitor_id = '', landing_page = NULL, referrer = NULL
     WHERE brand_id = ? AND ${inJson(d, 'visitor_id', '?', 'text')}`));
  // email stays unique per brand and is no email ('erased:' has no @), so no lookup by a real email finds it.
  const eraseAdvocate = db.prepare(
    `UPDATE advocates SET email = 'erased:' || id, name = '', metadata = NULL, payment_method = NULL, payment_details = NULL,
       status = 'blocked', erased_at = @at, updated_at = @at
     WHERE brand_id = @brandId AND id = @id`,
  );
  const deactivateCodes = db.prepare(
    `UPDATE referral_codes SET status = 'inactive', deactivated_at = @at WHERE brand_id = @brandId AND advocate_id = @id AND status = 'active'`,
  );
  // Stored Idempotency-Key answers that name the person, each kind on its expression index (migration 011; on
  // PostgreSQL the baseline's jsonb expression, written exactly as the index is, a text: ids are compared as text).
  const answersBy = (...path: string[]) => db.prepare({
    sqlite: `DELETE FROM idempotency_keys WHERE brand_id = ? AND ${inJson('sqlite', `json_extract(response, '$.${path.join('.')}')`, '?', 'text')}`,
    pg: `DELETE FROM idempotency_keys WHERE brand_id = ? AND ${inJson('pg', `(response::jsonb #>> '{${path.join(',')}}')`, '?', 'text')}`,
  });
  const answers = {
    advocate: [answersBy('data', 'advocate', 'id'), answersBy('data', 'referral', 'advocate_id'),
      answersBy('data', 'referral_record', 'referred_customer', 'advocate_id')],
    visitor: [answersBy('data', 'visitor_id')],
    claim: [answersBy('data', 'claim_id')],
    conversion: [answersBy('data', 'conversion_id'), answersBy('data', 'referral_record', 'order', 'conversion_id')],
    // an entered referral record naming the person by email (migration 015)
    record: [answersBy('data', 'referral_record', 'commission_id')],
  };
  const insertErasure = db.prepare(
    'INSERT INTO erasures (brand_id, email_hash, actor, key_id, counts, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );

  const json = (values: unknown[]) => JSON.stringify(values);
  return {
    claims: async (brandId: string, email: string): Promise<Row[]> => withoutBrand(await claims.all(brandId, email)),
    conversions: async (brandId: string, email: string): Promise<Row[]> => withoutBrand(await conversions.all(brandId, email)),
    /** The refunds of these conversions and of these claims, each once (a refund by claim_id names both), by id. */
    refunds: async (brandId: string, conversionIds: number[], claimIds: number[]): Promise<Row[]> => {
      const byId = new Map<number, unknown>();
      for (const r of [...await refundsOfConversions.all(brandId, json(conversionIds)), ...await refundsOfClaims.all(brandId, json(claimIds))]) {
        byId.set((r as { id: number }).id, r);
      }
      return withoutBrand([...byId.entries()].sort(([a], [b]) => a - b).map(([, r]) => r));
    },
    referralRecords: async (brandId: string, email: string): Promise<Row[]> => withoutBrand(await enteredRecords.all(brandId, email)),
    visits: async (brandId: string, visitorIds: string[]): Promise<Row[]> => withoutBrand(await visits.all(brandId, json(visitorIds))),
    advocate: async (brandId: string, email: string): Promise<Row | undefined> => withoutBrand([await advocate.get(brandId, email)].filter(Boolean))[0],
    codes: async (brandId: string, advocateId: number): Promise<Row[]> => withoutBrand(await codes.all(brandId, advocateId)),
    rewards: async (brandId: string, advocateId: number): Promise<Row[]> => withoutBrand(await rewards.all(brandId, advocateId)),
    rewardEvents: async (brandId: string, advocateId: number): Promise<Row[]> => withoutBrand(await rewardEvents.all(brandId, advocateId)),
    points: async (brandId: string, advocateId: number): Promise<Row[]> => withoutBrand(await points.all(brandId, advocateId)),
    unpaidRewardIds: async (brandId: string, advocateId: number): Promise<number[]> => (await unpaidRewards.all(brandId, advocateId) as number[]).sort((a, b) => a - b),
    erasures: async (brandId: string, emailHash: string): Promise<ErasureRecord[]> =>
      (await erasures.all(brandId, emailHash) as Array<Omit<ErasureRecord, 'counts'> & { counts: string }>)
        .map((e) => ({ ...e, counts: JSON.parse(e.counts) as Record<string, number> })),

    eraseClaims: async (brandId: string, email: string, at: string): Promise<number> => (await eraseClaims.run(at, brandId, email)).changes,
    eraseConversions: async (brandId: string, email: string, at: string): Promise<number> => (await eraseConversions.run(at, brandId, email)).changes,
    /** The ids of the entered referral records that named the email, which name it no more. */
    async eraseReferralRecords(brandId: string, email: string): Promise<number[]> {
      const ids = (await recordsNaming.all(brandId, email) as number[]).map(Number);
      if (ids.length) await eraseRecords.run(brandId, email);
      return ids;
    },
    eraseRefunds: async (brandId: string, refundIds: number[]): Promise<number> => (await eraseRefunds.run(brandId, json(refundIds))).changes,
    /** The notes of the conversions' reward histories that quote one of `reasons`, the quote replaced. */
    async eraseRefundNotes(brandId: string, conversionIds: number[], reasons: string[]): Promise<number> {
      let n = 0;
      for (const reason of reasons) n += (await eraseRefundNotes.run({ brandId, reason, conversions: json(conversionIds) })).changes;
      return n;
    },
    eraseVisits: async (brandId: string, visitorIds: string[]): Promise<number> => (await eraseVisits.run(brandId, json(visitorIds))).changes,
    eraseAdvocate: async (brandId: string, id: number, at: string): Promise<number> => (await eraseAdvocate.run({ brandId, id, at })).changes,
    deactivateCodes: async (brandId: string, id: number, at: string): Promise<number> => (await deactivateCodes.run({ brandId, id, at })).changes,
    /** Deletes the stored answers naming these advocates, visitor ids, claims or conversions; answers how many. */
    async eraseAnswers(brandId: string, of: { advocate: number[]; visitor: string[]; claim: number[]; conversion: number[]; record: number[] }): Promise<number> {
      let n = 0;
      for (const kind of ['advocate', 'visitor', 'claim', 'conversion', 'record'] as const) {
        if (of[kind].length) for (const statement of answers[kind]) n += (await statement.run(brandId, json(of[kind]))).changes;
      }
      return n;
    },
    /**
     * Empties the -wal file (a TRUNCATE checkpoint): until then it may still hold the pages an erasure overwrote.
     * false when a reader kept it from completing (tried again later, see services/people.ts).
     */
    truncateWal: (): boolean => db.dialect !== 'sqlite'
      || (sqliteHandle(db).pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>)[0]?.busy === 0,
    async recordErasure(brandId: string, e: Omit<ErasureRecord, 'id'>): Promise<number> {
      return Number((await insertErasure.run(brandId, e.emailHash, e.actor, e.keyId, JSON.stringify(e.counts), e.createdAt)).lastInsertRowid);
    },
  };
}
