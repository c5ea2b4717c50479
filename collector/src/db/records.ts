// Read-only list queries of the tracking records (visits, claims, conversions) for the management API.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import type { NewVisit } from './visits.ts';
import type { NewClaim } from './claims.ts';
import type { NewConversion } from './conversions.ts';

/** A row as recorded, read back: the insert's fields (db/visits.ts etc.) with the id and what changes later. */
export type VisitRecord = Omit<NewVisit, 'brandId'> & { id: number };
export type ClaimRecord = Omit<NewClaim, 'brandId'> & { id: number; status: string; conversionId: number | null };
export type ConversionRecord = Omit<NewConversion, 'brandId'> & { id: number; refundedCents: number };

/** Dates are ISO strings as stored: `from` inclusive, `to` exclusive. */
export interface VisitFilter { advocateId?: number; code?: string; visitorId?: string; from?: string; to?: string }
export interface ClaimFilter { status?: string; advocateId?: number; code?: string; email?: string; from?: string; to?: string }
export interface ConversionFilter {
  status?: string; advocateId?: number; code?: string; attributed?: boolean; from?: string; to?: string;
}

/**
 * The window a list statement reads: rows whose id is below `before` (a cursor's id; null: from the newest),
 * newest first, `limit` of them after skipping `offset` (0 when paging by cursor). Every brand-sized list takes it.
 */
export interface Slice {
  before: number | null;
  limit: number;
  offset: number;
}

/** Above every id: `before` of a list read from its newest row. */
export const FROM_START = Number.MAX_SAFE_INTEGER;

type Params = Record<string, string | number>;

/**
 * A filter's condition: fixed SQL with its parameter, or chosen by the value (IS NULL / IS NOT NULL take none),
 * or one served by an index whose rows are not in id order (`index`): the planner, left alone, would rather walk
 * the brand's rows in id order than sort, so it is told; it then sorts the rows of that one key (one visitor's
 * visits, one customer's claims, one code's claims), which stay few.
 */
type Condition = string | ((value: string | number) => string) | { sql: string; index: string };

const conditionSql = (c: Condition, value: string | number) => (typeof c === 'string' ? c : typeof c === 'function' ? c(value) : c.sql);

/**
 * At most this many of the brand's rows are examined for one list page whose filters no index serves (visits by
 * advocate, code or date; claims and conversions by date alone): about 10 ms, so a rare advocate's visits among
 * 2,000,000 cost a few pages of that instead of one 2-second page that blocks the process.
 */
export const SCAN_BUDGET = 10_000;

/** A list page: its rows and, when the examination stopped at its budget first, the id it stopped at (resume below it). */
export interface ScannedPage<R> {
  rows: R[];
  resumeAt: number | null;
}

/**
 * The list of one table for one brand, newest first (by id, the order of recording), read by keyset: `id <
 * @before ORDER BY id DESC LIMIT`, so a page costs the same at any depth (OFFSET, kept for compatibility, walks
 * what it skips). Each filter given adds its fixed condition, so the WHERE clause is one of a fixed set and only
 * ever carries parameters; one statement per combination of filters is prepared on first use, so the planner
 * sees plain equalities it can serve from an index (brand + status, brand + advocate, brand + code, brand +
 * visitor) whose rows are already in id order, instead of `(? IS NULL OR ...)` it cannot. `count` is the
 * exact total, run only when asked.
 *
 * `residual`: the filters no index serves (checked row by row while the brand's rows are walked). When those
 * are all a page has, `page` examines at most SCAN_BUDGET rows below the cursor (`window`), and says where it
 * stopped if it found fewer rows than asked.
 */
function brandList<F extends object, R>(
  db: Db, table: string, columns: string, conditions: Record<keyof F & string, Condition>, residual: Array<keyof F & string> = [],
) {
  const prepared = new Map<string, { rows: Statement; windowed: Statement | null; count: Statement; all: Statement }>();
  // The lowest id among the SCAN_BUDGET rows below the cursor, and how many there are (fewer: the brand's end).
  const window = db.prepare(`SELECT count(*) AS n, min(id) AS floor FROM
    (SELECT id FROM ${table} WHERE brand_id = @brandId AND id < @before ORDER BY id DESC LIMIT @scan)`);
  const statements = (filter: F) => {
    const params = paramsOf(filter);
    const used = (Object.keys(conditions) as Array<keyof F & string>).filter((k) => params[k] !== undefined);
    const clauses = used.map((k) => conditionSql(conditions[k], params[k]!));
    const key = clauses.join(' AND ');
    let s = prepared.get(key);
    if (!s) {
      const where = ['brand_id = @brandId', ...clauses].join(' AND ');
      const hinted = used.map((k) => conditions[k]).find((c): c is { sql: string; index: string } => typeof c === 'object');
      const from = hinted ? `${table} INDEXED BY ${hinted.index}` : table;
      const page = (floor: string) =>
        db.prepare(`SELECT ${columns} FROM ${from} WHERE ${where} AND id < @before${floor} ORDER BY id DESC LIMIT @limit OFFSET @offset`);
      const scanned = used.length > 0 && used.every((k) => residual.includes(k));
      s = {
        rows: page(''),
        windowed: scanned ? page(' AND id >= @floor') : null,
        count: db.prepare(`SELECT count(*) FROM ${from} WHERE ${where}`).pluck(),
        all: db.prepare(`SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY id DESC`),
      };
      prepared.set(key, s);
    }
    const named = used.filter((k) => clauses[used.indexOf(k)]!.includes(`@${k}`));
    return { s, params: Object.fromEntries(named.map((k) => [k, params[k]!])) as Params };
  };
  const rows = (brandId: string, filter: F, slice: Slice): R[] => {
    const { s, params } = statements(filter);
    return s.rows.all({ ...params, brandId, before: slice.before ?? FROM_START, limit: slice.limit, offset: slice.offset }) as R[];
  };
  return {
    /** Every row of the slice, however many rows that examines (the exports walk everything anyway). */
    rows,
    /**
     * A list page. Paging by cursor (offset 0) with residual filters only, it examines at most SCAN_BUDGET rows:
     * fewer rows than asked then come with `resumeAt`, unless the brand's rows ended. OFFSET paging keeps its
     * meaning (the offset-th matching row), so it walks as far as that takes.
     */
    page(brandId: string, filter: F, slice: Slice): ScannedPage<R> {
      const { s, params } = statements(filter);
      if (!s.windowed || slice.offset > 0) return { rows: rows(brandId, filter, slice), resumeAt: null };
      const before = slice.before ?? FROM_START;
      const w = window.get({ brandId, before, scan: SCAN_BUDGET }) as { n: number; floor: number | null };
      const found = s.windowed.all({ ...params, brandId, before, floor: w.floor ?? 0, limit: slice.limit, offset: 0 }) as R[];
      const ended = w.n < SCAN_BUDGET;
      return { rows: found, resumeAt: found.length < slice.limit && !ended ? w.floor : null };
    },
    count(brandId: string, filter: F): number {
      const { s, params } = statements(filter);
      return s.count.get({ ...params, brandId }) as number;
    },
    all(brandId: string, filter: F): R[] {
      const { s, params } = statements(filter);
      return s.all.all({ ...params, brandId }) as R[];
    },
  };
}

/** The filter's defined values as statement parameters (booleans as 1/0). */
function paramsOf(filter: object): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number);
  }
  return out;
}

const VISIT_COLUMNS = `id, visitor_id AS visitorId, code, advocate_id AS advocateId, share_channel AS shareChannel,
  landing_page AS landingPage, referrer, utm_source AS utmSource, utm_medium AS utmMedium, utm_campaign AS utmCampaign,
  utm_term AS utmTerm, utm_content AS utmContent, created_at AS createdAt`;

const CLAIM_COLUMNS = `id, advocate_id AS advocateId, code, email, name, phone, visitor_id AS visitorId,
  order_id AS orderId, type, source, status, raw_value_cents AS rawValueCents, claim_value_cents AS claimValueCents,
  discount_applied_cents AS discountAppliedCents, discount_type AS discountType, discount_value AS discountValue,
  products, coupons_applied AS couponsApplied, metadata, conversion_id AS conversionId, created_at AS createdAt`;

const CONVERSION_COLUMNS = `id, order_id AS orderId, email, name, visitor_id AS visitorId, claim_id AS claimId,
  advocate_id AS advocateId, code, attribution, status, order_value_cents AS orderValueCents,
  order_total_cents AS orderTotalCents, tax_cents AS taxCents, shipping_cents AS shippingCents,
  discount_cents AS discountCents, discount_applied_cents AS discountAppliedCents,
  total_discount_cents AS totalDiscountCents, paid_cents AS paidCents, refunded_cents AS refundedCents,
  referrer_reward_paid_cents AS referrerRewardPaidCents, referee_reward_paid_cents AS refereeRewardPaidCents,
  discount_type AS discountType, discount_value AS discountValue, type, source, products,
  coupons_applied AS couponsApplied, metadata, created_at AS createdAt`;

const DATES = { from: 'created_at >= @from', to: 'created_at < @to' };

export function createRecordQueries(db: Db) {
  // Filtering visits by advocate or code walks the brand's visits in id order: no extra index on the hottest
  // insert path (README, "Lists").
  const visits = brandList<VisitFilter, VisitRecord>(db, 'visits', VISIT_COLUMNS, {
    visitorId: { sql: 'visitor_id = @visitorId', index: 'visits_visitor' },
    advocateId: 'advocate_id = @advocateId', code: 'code = @code', ...DATES,
  }, ['advocateId', 'code', 'from', 'to']);
  // The first hinted condition in this order names the index: a customer's claims are fewer than a code's.
  const claims = brandList<ClaimFilter, ClaimRecord>(db, 'claims', CLAIM_COLUMNS, {
    email: { sql: 'email = @email', index: 'claims_email' },
    status: 'status = @status', advocateId: 'advocate_id = @advocateId',
    code: { sql: 'code = @code', index: 'claims_code_email' }, ...DATES,
  }, ['from', 'to']);
  const conversions = brandList<ConversionFilter, ConversionRecord>(db, 'conversions', CONVERSION_COLUMNS, {
    status: 'status = @status', advocateId: 'advocate_id = @advocateId', code: 'code = @code',
    // Served by conversions_brand_attributed (partial, migration 005) and conversions_brand_advocate (IS NULL).
    attributed: (v) => (v ? 'advocate_id IS NOT NULL' : 'advocate_id IS NULL'), ...DATES,
  }, ['from', 'to']);
  const claimById = db.prepare(`SELECT ${CLAIM_COLUMNS} FROM claims WHERE brand_id = ? AND id = ?`);
  const conversionById = db.prepare(`SELECT ${CONVERSION_COLUMNS} FROM conversions WHERE brand_id = ? AND id = ?`);
  return {
    /** A list page of the brand's visits, newest first (see brandList `page`); `countVisits`: how many match (exact, O(matches)). */
    visits: (brandId: string, filter: VisitFilter, slice: Slice) => visits.page(brandId, filter, slice),
    countVisits: (brandId: string, filter: VisitFilter) => visits.count(brandId, filter),
    claims: (brandId: string, filter: ClaimFilter, slice: Slice) => claims.page(brandId, filter, slice),
    countClaims: (brandId: string, filter: ClaimFilter) => claims.count(brandId, filter),
    conversions: (brandId: string, filter: ConversionFilter, slice: Slice) => conversions.page(brandId, filter, slice),
    countConversions: (brandId: string, filter: ConversionFilter) => conversions.count(brandId, filter),
    /**
     * Every conversion of a slice, newest first, however far that walks: the page fetcher of the streaming export,
     * `(before, limit) => conversionRows(brandId, filter, { before, limit, offset: 0 })` (http/query.ts keysetBatches).
     */
    conversionRows: (brandId: string, filter: ConversionFilter, slice: Slice) => conversions.rows(brandId, filter, slice),
    /** Every conversion of the filter, for the CSV export. */
    allConversions: (brandId: string, filter: ConversionFilter) => conversions.all(brandId, filter),
    claim: (brandId: string, id: number) => claimById.get(brandId, id) as ClaimRecord | undefined,
    conversion: (brandId: string, id: number) => conversionById.get(brandId, id) as ConversionRecord | undefined,
  };
}
