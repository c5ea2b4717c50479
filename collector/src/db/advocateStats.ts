// Queries that read advocates and referral codes with their figures (clicks, conversions, revenue, earnings):
// an advocate's are counters on its row (migration 007) and its codes' clicks, a code's are indexed subqueries
// per row of the page; visits are never scanned.
import type { Conn, Dialect } from './port.ts';
import type { AdvocateRecord, AdvocateStatus, CodeStatus } from './advocates.ts';
import { keysetList, type ListSql, type Slice } from './keyset.ts';
import { perEngine } from './port.ts';

/** An advocate with its figures; money in cents (cash rewards only). */
export interface AdvocateStatsRow extends AdvocateRecord {
  pointsBalance: number;
  createdAt: string;
  updatedAt: string;
  /** the oldest active code, or null */
  primaryCode: string | null;
  /** JSON array of every code, oldest first */
  codes: string;
  clickCount: number;
  conversionCount: number;
  pendingCents: number;
  approvedCents: number;
  paidCents: number;
  /** every clawback, netted off by a payout or not */
  clawedBackCents: number;
  /** the part of the clawbacks not netted off by a payout yet */
  clawbackDueCents: number;
}

export interface AdvocateFilter {
  status: AdvocateStatus | null;
  tier: string | null;
  /** advocates of one campaign (served by advocates_campaign) */
  campaignId?: number | null;
  /** words that begin words of the name, the email or one of the codes (see searchQuery) */
  search: string | null;
}

/** A referral code with its advocate and figures; money in cents. */
export interface ReferralStatsRow {
  id: number;
  code: string;
  advocateId: number;
  advocateName: string;
  status: CodeStatus;
  clicks: number;
  conversions: number;
  grossCents: number;
  /** net of refunds, see REVENUE */
  revenueCents: number;
  createdAt: string;
  deactivatedAt: string | null;
}

export interface ReferralFilter {
  advocateId: number | null;
  status: CodeStatus | null;
  /** words that begin words of the code, the advocate's name or email (see searchQuery) */
  search: string | null;
}

/** An FTS5 string: the text taken literally, never as FTS5 syntax. */
const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * A search as an FTS5 query (migration 005) over `columns`, within the brand's rows (the `brand` column first, so
 * other brands' matches are never walked): each word of the text must begin a word of one of the columns ("jo"
 * finds Jo and John; "doe@ex" finds doe@example.com; "JANE" finds JANE10). Null when the text holds no letter or
 * digit: such a search matches nothing.
 */
export function searchQuery(brandId: string, text: string, columns: string): string | null {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return `brand : ${ftsString(brandId.replace(/-/g, ''))} AND {${columns}} : (${words.map((w) => `${ftsString(w)}*`).join(' ')})`;
}

/** The advocate's codes as a JSON array's text, in id order: SQLite's json_group_array, PostgreSQL's json_agg. */
const CODES_JSON: Record<Dialect, string> = {
  sqlite: 'json_group_array(c.code ORDER BY c.id)',
  pg: `coalesce(json_agg(c.code ORDER BY c.id)::text, '[]')`,
};

// The conversion and money figures are counters on the advocate's row (migration 007, kept by triggers on
// conversions and rewards); the codes and clicks are served by referral_codes_advocate.
const advocateColumns = (d: Dialect) => `a.id, a.email, a.name, a.status, a.tier, a.metadata, a.referred_by AS referredBy,
  a.points_balance AS pointsBalance, a.payment_method AS paymentMethod, a.payment_details AS paymentDetails,
  a.campaign_id AS campaignId, a.created_at AS createdAt, a.updated_at AS updatedAt,
  (SELECT c.code FROM referral_codes c WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id AND c.status = 'active'
     ORDER BY c.id LIMIT 1) AS primaryCode,
  (SELECT ${CODES_JSON[d]} FROM referral_codes c
     WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id) AS codes,
  (SELECT coalesce(sum(c.click_count), 0) FROM referral_codes c
     WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id) AS clickCount,
  a.conversion_count AS conversionCount, a.pending_cents AS pendingCents, a.approved_cents AS approvedCents,
  a.paid_cents AS paidCents, a.clawed_back_cents AS clawedBackCents, a.clawback_due_cents AS clawbackDueCents`;

/**
 * Revenue net of refunds, per conversion: order_value − round(order_value × refunded / paid), rounded half away
 * from zero in integer arithmetic (all terms are non-negative), as domain/money.ts `prorate` does for rewards.
 */
const REVENUE = `coalesce(sum(v.order_value_cents - CASE WHEN v.refunded_cents > 0 AND v.paid_cents > 0
    THEN (2 * v.order_value_cents * v.refunded_cents + v.paid_cents) / (2 * v.paid_cents) ELSE 0 END), 0)`;

// Served by conversions_brand_code.
const REFERRAL_COLUMNS = `c.id, c.code, c.advocate_id AS advocateId, a.name AS advocateName, c.status, c.click_count AS clicks,
  c.created_at AS createdAt, c.deactivated_at AS deactivatedAt,
  (SELECT count(*) FROM conversions v WHERE v.brand_id = c.brand_id AND v.code = c.code) AS conversions,
  (SELECT coalesce(sum(v.order_value_cents), 0) FROM conversions v WHERE v.brand_id = c.brand_id AND v.code = c.code) AS grossCents,
  (SELECT ${REVENUE} FROM conversions v WHERE v.brand_id = c.brand_id AND v.code = c.code) AS revenueCents`;

const REFERRAL_FROM = `referral_codes c JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id`;

/**
 * Where a list's ids come from: without a search, the table; with one, its search table (migration 005: FTS5 on
 * SQLite, a tsvector table on PostgreSQL, pg/migrations/012_baseline.sql).
 */
interface IdSource {
  from: string;
  /** the brand's condition (and the search's) */
  where: string;
  /** the id, in whose order the source is read */
  id: string;
}

interface ListShape {
  /** `SELECT <figures> FROM <rows> WHERE <brand> AND`, followed by the condition on the page's ids */
  select: Record<Dialect, string>;
  /** the id of the rows of `select` */
  id: string;
  plain: IdSource;
  /**
   * SQLite matches `@search`, the FTS5 query of searchQuery; PostgreSQL `@words`, the text as typed, through
   * search_query() (the same words, the same prefixes).
   */
  searched: Record<Dialect, IdSource>;
  /** the FTS5 columns a search looks in */
  searchColumns: string;
  /** each filter's condition, by the filter's field */
  conditions: Record<string, string>;
}

type Filter = Record<string, string | number | null>;

/**
 * A brand-sized list, newest first, read by keyset (`id < @before ORDER BY id DESC LIMIT`): first the ids of
 * the slice, then the figures of those rows only. Each filter given adds its condition (one statement per
 * combination, prepared on first use, db/keyset.ts), so the planner sees plain equalities and walks the index whose
 * rows are already in id order (brand + status, + tier, + advocate, migration 005), never `(? IS NULL OR ...)`,
 * which no index serves; a search is driven by the search table, which answers in id order (FTS5's rowid). Offset
 * pages and totals are bounded (db/keyset.ts WALK_BUDGET); `size`, when given, is the unfiltered list's exact size,
 * kept for free, so pages past the middle are read from the other end and the total costs nothing.
 */
function slicedList<R extends { id: number }>(db: Conn, shape: ListShape, size?: (brandId: string) => Promise<number>) {
  const list = keysetList<R>(db);
  const statements = async (brandId: string, filter: Filter) => {
    const used = Object.keys(shape.conditions).filter((k) => filter[k] != null);
    const searching = filter.search != null;
    const over = (d: Dialect): ListSql => {
      const src = searching ? shape.searched[d] : shape.plain;
      return {
        from: src.from,
        id: src.id,
        indexed: [src.where, ...used.map((k) => shape.conditions[k]!)],
        residual: [],
        page: (where, order) => `${shape.select[d]}
          ${shape.id} IN (SELECT ${src.id} FROM ${src.from} WHERE ${where} ORDER BY ${src.id} ${order} LIMIT @limit OFFSET @offset)
          ORDER BY ${shape.id} ${order}`,
      };
    };
    const sql = perEngine(over);
    const params: Record<string, string | number> = { brandId };
    for (const k of used) params[k] = filter[k]!;
    const match = searching ? searchQuery(brandId, String(filter.search), shape.searchColumns) : null;
    if (searching && match !== null) Object.assign(params, { search: match, words: String(filter.search) });
    const unfiltered = !searching && used.length === 0;
    return { sql, params, nothing: searching && match === null, size: unfiltered && size ? await size(brandId) : null };
  };
  return {
    async page(brandId: string, filter: Filter, slice: Slice): Promise<R[]> {
      const { sql, params, nothing, size: known } = await statements(brandId, filter);
      return nothing ? [] : (await list.page(sql, params, slice, known)).rows;
    },
    /** Exact, however many rows that counts (the CLI). */
    async count(brandId: string, filter: Filter): Promise<number> {
      const { sql, params, nothing } = await statements(brandId, filter);
      return nothing ? 0 : await list.count(sql, params);
    },
    /** `total=true`: exact; free for the unfiltered list with a kept size, else counted within WALK_BUDGET rows (else a 400). */
    async total(brandId: string, filter: Filter): Promise<number> {
      const { sql, params, nothing, size: known } = await statements(brandId, filter);
      return nothing ? 0 : known ?? await list.total(sql, params);
    },
  };
}

export function createAdvocateStatsQueries(db: Conn) {
  // A search matches the brand's word in the FTS5 table and checks the joined row's brand_id as well.
  // The brand's number of advocates, kept by triggers (migration 010).
  const advocateCount = db.prepare('SELECT advocates FROM brand_advocate_counts WHERE brand_id = ?', { pluck: true });
  const advocates = slicedList<AdvocateStatsRow>(db, {
    select: perEngine((d) => `SELECT ${advocateColumns(d)} FROM advocates a WHERE a.brand_id = @brandId AND`),
    id: 'a.id',
    plain: { from: 'advocates a', where: 'a.brand_id = @brandId', id: 'a.id' },
    searched: {
      sqlite: {
        from: 'advocate_search s JOIN advocates a ON a.id = s.rowid',
        where: 'advocate_search MATCH @search AND a.brand_id = @brandId',
        id: 's.rowid',
      },
      pg: {
        from: 'advocate_search s JOIN advocates a ON a.id = s.id',
        where: 's.brand_id = @brandId AND s.doc @@ search_query(@words) AND a.brand_id = @brandId',
        id: 's.id',
      },
    },
    searchColumns: 'name email codes',
    conditions: { status: 'a.status = @status', tier: 'a.tier = @tier', campaignId: 'a.campaign_id = @campaignId' },
  }, async (brandId) => (await advocateCount.get(brandId) as number | undefined) ?? 0);
  const referrals = slicedList<ReferralStatsRow>(db, {
    select: perEngine(() => `SELECT ${REFERRAL_COLUMNS} FROM ${REFERRAL_FROM} WHERE c.brand_id = @brandId AND`),
    id: 'c.id',
    plain: { from: 'referral_codes c', where: 'c.brand_id = @brandId', id: 'c.id' },
    searched: {
      sqlite: {
        from: 'referral_search s JOIN referral_codes c ON c.id = s.rowid',
        where: 'referral_search MATCH @search AND c.brand_id = @brandId',
        id: 's.rowid',
      },
      pg: {
        from: 'referral_search s JOIN referral_codes c ON c.id = s.id',
        where: 's.brand_id = @brandId AND s.doc @@ search_query(@words) AND c.brand_id = @brandId',
        id: 's.id',
      },
    },
    searchColumns: 'code name email',
    conditions: { advocateId: 'c.advocate_id = @advocateId', status: 'c.status = @status' },
  });
  const advocateById = db.prepare(perEngine((d) => `SELECT ${advocateColumns(d)} FROM advocates a WHERE a.brand_id = ? AND a.id = ?`));
  const referralByCode = db.prepare(`SELECT ${REFERRAL_COLUMNS} FROM ${REFERRAL_FROM} WHERE c.brand_id = ? AND c.code = ?`);
  // Served by conversions_email: the customer's first referred order is the referral that brought them.
  const firstReferrerOf = db.prepare(
    `SELECT advocate_id FROM conversions WHERE brand_id = ? AND email = ? AND +advocate_id IS NOT NULL ORDER BY id LIMIT 1`,
  { pluck: true });

  const advocateFilter = (f: AdvocateFilter): Filter => ({ status: f.status, tier: f.tier, campaignId: f.campaignId ?? null, search: f.search });
  const referralFilter = (f: ReferralFilter): Filter => ({ advocateId: f.advocateId, status: f.status, search: f.search });
  return {
    /**
     * One slice, newest first (offset pages bounded, db/keyset.ts); `countAdvocates`: the exact number matching
     * (O(matches), the CLI); `totalAdvocates`: the same for `total=true` (free unfiltered, else bounded).
     */
    advocates: (brandId: string, f: AdvocateFilter, s: Slice) => advocates.page(brandId, advocateFilter(f), s),
    countAdvocates: (brandId: string, f: AdvocateFilter) => advocates.count(brandId, advocateFilter(f)),
    totalAdvocates: (brandId: string, f: AdvocateFilter) => advocates.total(brandId, advocateFilter(f)),
    advocate: async (brandId: string, id: number) => await advocateById.get(brandId, id) as AdvocateStatsRow | undefined,
    /** One slice, newest first; `countReferrals`: the exact number matching (O(matches)). */
    referrals: (brandId: string, f: ReferralFilter, s: Slice) => referrals.page(brandId, referralFilter(f), s),
    countReferrals: (brandId: string, f: ReferralFilter) => referrals.count(brandId, referralFilter(f)),
    totalReferrals: (brandId: string, f: ReferralFilter) => referrals.total(brandId, referralFilter(f)),
    /** `code` must already be normalised. */
    referral: async (brandId: string, code: string) => await referralByCode.get(brandId, code) as ReferralStatsRow | undefined,
    /** The advocate of the customer's first attributed conversion with the brand (`email` normalised). */
    firstReferrerOf: async (brandId: string, email: string) => await firstReferrerOf.get(brandId, email) as number | undefined,
  };
}
