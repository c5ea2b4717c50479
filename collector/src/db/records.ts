// Read-only list queries of the tracking records (visits, claims, conversions) for the management API.
import type { Conn } from './port.ts';
import { keysetList, type ListSql, type ListSqls, type ScannedPage, type Slice } from './keyset.ts';
import { perEngine } from './port.ts';
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

export { FROM_START, SCAN_BUDGET, WALK_BUDGET, type ScannedPage, type Slice } from './keyset.ts';

type Params = Record<string, string | number>;

/** A filter's condition: fixed SQL with its parameter, or chosen by the value (IS NULL / IS NOT NULL take none). */
type Condition = string | ((value: string | number) => string);

const conditionSql = (c: Condition, value: string | number) => (typeof c === 'string' ? c : c(value));

/**
 * An index a list may walk: taken when the filter `when` is given (null: the brand's rows, the last resort), it
 * serves the filters `serves`; an index named by the value (`attributed`: true or false) is a function of it.
 * Indexes whose rows are not in id order (one visitor's visits, one customer's or one code's claims, one advocate's
 * rewards) sort the rows of that one key, which stay few.
 */
export interface Walk<F> {
  index: string | ((value: string | number) => string);
  when: (keyof F & string) | null;
  serves: Array<keyof F & string>;
}

/**
 * The list of one table for one brand, newest first (by id, the order of recording), read by keyset: `id <
 * @before ORDER BY id DESC LIMIT`, so a page costs the same at any depth (db/keyset.ts bounds what OFFSET and
 * totals examine). Each filter given adds its fixed condition, so the WHERE clause is one of a fixed set and only
 * ever carries parameters; one statement per combination of filters is prepared on first use. The list walks the
 * first of `walks` whose filter is given, named (INDEXED BY) so that a page and its window walk the same rows
 * whatever the planner would guess: the filters it serves are its keys, the others are checked row by row, and a
 * page with any of those examines at most SCAN_BUDGET rows of the walk below the cursor and says where it stopped
 * if it found fewer rows than asked.
 */
function brandList<F extends object, R extends { id: number }>(
  db: Conn, table: string, columns: string, conditions: Record<keyof F & string, Condition>, walks: Array<Walk<F>>,
) {
  const list = keysetList<R>(db);
  const sqlOf = (filter: F): { sql: ListSqls; params: Params } => {
    const params = paramsOf(filter);
    const used = (Object.keys(conditions) as Array<keyof F & string>).filter((k) => params[k] !== undefined);
    const walk = walks.find((w) => w.when === null || used.includes(w.when))!;
    const index = typeof walk.index === 'string' ? walk.index : walk.index(params[walk.when!]!);
    const clause = (k: keyof F & string) => conditionSql(conditions[k], params[k]!);
    // PostgreSQL has no INDEXED BY: there the equalities the walk serves lead its index, which ends with id.
    const over = (from: string): ListSql => ({
      from,
      id: 'id',
      indexed: ['brand_id = @brandId', ...used.filter((k) => walk.serves.includes(k)).map(clause)],
      residual: used.filter((k) => !walk.serves.includes(k)).map(clause),
      page: (where, order) => `SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY id ${order} LIMIT @limit OFFSET @offset`,
    });
    const sql = perEngine((d) => over(d === 'sqlite' ? `${table} INDEXED BY ${index}` : table));
    const named = used.filter((k) => clause(k).includes(`@${k}`));
    return { sql, params: Object.fromEntries(named.map((k) => [k, params[k]!])) as Params };
  };
  return {
    /** Every row of the slice, however many rows that examines (the CLI). */
    async rows(brandId: string, filter: F, slice: Slice): Promise<R[]> {
      const { sql, params } = sqlOf(filter);
      return list.rows(sql, { ...params, brandId }, slice);
    },
    /** A list page (db/keyset.ts `page`): bounded by cursor and by offset. */
    async page(brandId: string, filter: F, slice: Slice): Promise<ScannedPage<R>> {
      const { sql, params } = sqlOf(filter);
      return list.page(sql, { ...params, brandId }, slice);
    },
    async count(brandId: string, filter: F): Promise<number> {
      const { sql, params } = sqlOf(filter);
      return list.count(sql, { ...params, brandId });
    },
    async total(brandId: string, filter: F): Promise<number> {
      const { sql, params } = sqlOf(filter);
      return list.total(sql, { ...params, brandId });
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

export function createRecordQueries(db: Conn) {
  // Filtering visits by advocate, code or date walks the brand's visits in id order within a window: no extra index
  // on the hottest insert path (README, "Lists").
  const visits = brandList<VisitFilter, VisitRecord>(db, 'visits', VISIT_COLUMNS, {
    visitorId: 'visitor_id = @visitorId', advocateId: 'advocate_id = @advocateId', code: 'code = @code', ...DATES,
  }, [
    { index: 'visits_visitor', when: 'visitorId', serves: ['visitorId'] },
    { index: 'visits_brand', when: null, serves: [] },
  ]);
  // The most selective walk first: a customer's claims are fewer than a code's, a code's than an advocate's.
  const claims = brandList<ClaimFilter, ClaimRecord>(db, 'claims', CLAIM_COLUMNS, {
    email: 'email = @email', status: 'status = @status', advocateId: 'advocate_id = @advocateId', code: 'code = @code', ...DATES,
  }, [
    { index: 'claims_email', when: 'email', serves: ['email'] },
    { index: 'claims_code_email', when: 'code', serves: ['code'] },
    { index: 'claims_brand_advocate', when: 'advocateId', serves: ['advocateId'] },
    { index: 'claims_brand_status', when: 'status', serves: ['status'] },
    { index: 'claims_brand', when: null, serves: [] },
  ]);
  const conversions = brandList<ConversionFilter, ConversionRecord>(db, 'conversions', CONVERSION_COLUMNS, {
    status: 'status = @status', advocateId: 'advocate_id = @advocateId', code: 'code = @code',
    attributed: (v) => (v ? 'advocate_id IS NOT NULL' : 'advocate_id IS NULL'), ...DATES,
  }, [
    { index: 'conversions_brand_advocate', when: 'advocateId', serves: ['advocateId'] },
    { index: 'conversions_brand_code', when: 'code', serves: ['code'] },
    { index: 'conversions_brand_status', when: 'status', serves: ['status'] },
    // Attributed ones from the partial index (migration 005), the others as advocate_id IS NULL.
    { index: (v) => (v ? 'conversions_brand_attributed' : 'conversions_brand_advocate'), when: 'attributed', serves: ['attributed'] },
    { index: 'conversions_brand', when: null, serves: [] },
  ]);
  const claimById = db.prepare(`SELECT ${CLAIM_COLUMNS} FROM claims WHERE brand_id = ? AND id = ?`);
  const conversionById = db.prepare(`SELECT ${CONVERSION_COLUMNS} FROM conversions WHERE brand_id = ? AND id = ?`);
  return {
    /** A list page of the brand's visits, newest first (see brandList `page`); `countVisits`: how many match (exact, O(matches)). */
    visits: (brandId: string, filter: VisitFilter, slice: Slice) => visits.page(brandId, filter, slice),
    countVisits: (brandId: string, filter: VisitFilter) => visits.count(brandId, filter),
    /** How many visits match, when counting them examines at most WALK_BUDGET rows (else a 400 naming total). */
    totalVisits: (brandId: string, filter: VisitFilter) => visits.total(brandId, filter),
    claims: (brandId: string, filter: ClaimFilter, slice: Slice) => claims.page(brandId, filter, slice),
    countClaims: (brandId: string, filter: ClaimFilter) => claims.count(brandId, filter),
    totalClaims: (brandId: string, filter: ClaimFilter) => claims.total(brandId, filter),
    conversions: (brandId: string, filter: ConversionFilter, slice: Slice) => conversions.page(brandId, filter, slice),
    countConversions: (brandId: string, filter: ConversionFilter) => conversions.count(brandId, filter),
    totalConversions: (brandId: string, filter: ConversionFilter) => conversions.total(brandId, filter),
    /**
     * Every conversion of a slice, newest first, however far that walks (the CLI). The streaming export reads
     * bounded pages instead (`conversions`, through http/query.ts keysetBatches).
     */
    conversionRows: (brandId: string, filter: ConversionFilter, slice: Slice) => conversions.rows(brandId, filter, slice),
    claim: async (brandId: string, id: number) => await claimById.get(brandId, id) as ClaimRecord | undefined,
    conversion: async (brandId: string, id: number) => await conversionById.get(brandId, id) as ConversionRecord | undefined,
  };
}
