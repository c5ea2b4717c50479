// Queries over the per-day totals of migration 009 (daily_totals, daily_sources, daily_advocates, daily_products):
// the overview's figures for a range of UTC days, read without touching visits, conversions or rewards.
import { perEngine, type Conn, type Dialect } from './port.ts';

/** One UTC day's figures (daily_totals; clicks from daily_sources), money in cents. */
export interface DayTotals {
  day: string;
  clicks: number;
  claims: number;
  conversions: number;
  revenueCents: number;
  netRevenueCents: number;
  refundedCents: number;
  pendingCents: number;
  approvedCents: number;
  paidCents: number;
  clawedBackCents: number;
  clawbackDueCents: number;
}

/** The commissions' current state over every day of the brand, and its attributed conversions ever. */
export interface StandingTotals {
  conversions: number;
  pendingCents: number;
  approvedCents: number;
  clawbackDueCents: number;
}

export interface TopAdvocate { advocateId: number; name: string | null; email: string | null; conversions: number; netRevenueCents: number }
export interface TopProduct { name: string; units: number; revenueCents: number; netRevenueCents: number }
export interface TopSource { name: string; clicks: number }
export interface ConversionBounds { first: number | null; last: number | null }
export interface LatestConversion {
  id: number; orderId: string | null; advocateId: number; advocateName: string | null; code: string | null; status: string;
  orderValueCents: number; paidCents: number; refundedCents: number; createdAt: string;
}

/** An advocate and its revenue net of refunds over every day (advocate_revenue). */
export interface RankedAdvocate { id: number; total: number }

const MAX_INT64 = 9_223_372_036_854_775_807n;

/** How the top advocates are summed: over the range's days (short ranges) or the brand's rows by advocate (long). */
export type AdvocatePlan = 'days' | 'advocates';

const DAY_COLUMNS = `day, claims, conversions, revenue_cents AS revenueCents, net_revenue_cents AS netRevenueCents,
  refunded_cents AS refundedCents, pending_cents AS pendingCents, approved_cents AS approvedCents, paid_cents AS paidCents,
  clawed_back_cents AS clawedBackCents, clawback_due_cents AS clawbackDueCents`;
const IN_RANGE = 'brand_id = @brandId AND day >= @from AND day <= @to';

/** daily_advocates read through `index`: named on SQLite (INDEXED BY); PostgreSQL's planner picks by its statistics. */
const dailyAdvocatesBy = (index: string) => (d: Dialect) => (d === 'sqlite' ? `daily_advocates INDEXED BY ${index}` : 'daily_advocates');

export function createDailyTotalsQueries(db: Conn) {
  // Both read their primary key in day order: at most one row per day (and per source), nothing sorted.
  const days = db.prepare(`SELECT ${DAY_COLUMNS} FROM daily_totals WHERE ${IN_RANGE} ORDER BY day`);
  const clicks = db.prepare(`SELECT day, sum(clicks) AS clicks FROM daily_sources WHERE ${IN_RANGE} GROUP BY day ORDER BY day`);
  const bounds = db.prepare(
    `SELECT min(first_conversion_id) AS first, max(last_conversion_id) AS last FROM daily_totals WHERE ${IN_RANGE}`,
  );
  const standing = db.prepare(
    `SELECT coalesce(sum(conversions), 0) AS conversions, coalesce(sum(pending_cents), 0) AS pendingCents,
       coalesce(sum(approved_cents), 0) AS approvedCents, coalesce(sum(clawback_due_cents), 0) AS clawbackDueCents
     FROM daily_totals WHERE brand_id = @brandId`,
  );
  // The ten advocates are named after they are chosen (ten lookups by primary key). The derived table's columns
  // are lower case: PostgreSQL folds an unquoted name, so a camelCase one would need quotes wherever it is named.
  const topAdvocates = (source: (d: Dialect) => string) => db.prepare(perEngine((d) =>
    `SELECT t.advocate_id AS advocateId, a.name, a.email, t.conversions, t.net AS netRevenueCents
     FROM (SELECT advocate_id, sum(conversions) AS conversions, sum(net_revenue_cents) AS net
           FROM ${source(d)} WHERE ${IN_RANGE} GROUP BY advocate_id HAVING sum(conversions) > 0
           ORDER BY net DESC, advocate_id LIMIT @limit) t
     LEFT JOIN advocates a ON a.brand_id = @brandId AND a.id = t.advocate_id
     ORDER BY t.net DESC, t.advocate_id`));
  // Short range: the range's rows (primary key by day), grouped in a temporary b-tree. Long range: every row of the
  // brand in advocate order (a covering index), each advocate summed as it streams by; cheaper once the range holds
  // a good part of the brand's rows. Which is cheaper is decided by domain/overview.ts from the conversion counts.
  const topByPlan: Record<AdvocatePlan, Awaited<ReturnType<typeof topAdvocates>>> = {
    days: topAdvocates(dailyAdvocatesBy('sqlite_autoindex_daily_advocates_1')),
    advocates: topAdvocates(dailyAdvocatesBy('daily_advocates_by_advocate')),
  };
  // The brand's advocates by their revenue over every day, highest first, a page after (net, id).
  const byRevenue = db.prepare(
    `SELECT advocate_id AS id, net_revenue_cents AS total FROM advocate_revenue
     WHERE brand_id = @brandId AND net_revenue_cents <= @total AND (net_revenue_cents < @total OR advocate_id > @id)
     ORDER BY net_revenue_cents DESC, advocate_id LIMIT @limit`,
  );
  // One advocate's range: its rows of the range's days (the advocate-order index), at most one per day.
  const advocateRange = db.prepare(perEngine((d) =>
    `SELECT coalesce(sum(conversions), 0) AS conversions, coalesce(sum(net_revenue_cents), 0) AS netRevenueCents
     FROM ${dailyAdvocatesBy('daily_advocates_by_advocate')(d)} WHERE ${IN_RANGE} AND advocate_id = @advocateId`));
  const topProducts = db.prepare(
    `SELECT name, sum(units) AS units, sum(revenue_cents) AS revenueCents, sum(net_revenue_cents) AS netRevenueCents
     FROM daily_products WHERE ${IN_RANGE} GROUP BY name ORDER BY sum(net_revenue_cents) DESC, name LIMIT @limit`,
  );
  const topBy = (column: 'share_channel' | 'utm_source') => db.prepare(
    `SELECT ${column} AS name, sum(clicks) AS clicks FROM daily_sources WHERE ${IN_RANGE}
     GROUP BY ${column} ORDER BY clicks DESC, name LIMIT @limit`,
  );
  const topChannels = topBy('share_channel');
  const topSources = topBy('utm_source');
  // The brand's attributed conversions in id order (conversions_brand_attributed), between the range's bounds: the
  // walk stops after `limit` rows of the range whatever the brand's size.
  const latest = db.prepare(
    `SELECT c.id, c.order_id AS orderId, c.advocate_id AS advocateId, a.name AS advocateName, c.code, c.status,
       c.order_value_cents AS orderValueCents, c.paid_cents AS paidCents, c.refunded_cents AS refundedCents, c.created_at AS createdAt
     FROM conversions c LEFT JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id
     WHERE c.brand_id = @brandId AND c.advocate_id IS NOT NULL AND c.id >= @first AND c.id <= @last
       AND c.created_at >= @since AND c.created_at < @until
     ORDER BY c.id DESC LIMIT @limit`,
  );

  type Range = { from: string; to: string };
  const at = (brandId: string, r: Range, limit?: number) => ({ brandId, from: r.from, to: r.to, ...(limit === undefined ? {} : { limit }) });
  return {
    /** The range's days that have a row, in day order (days with nothing are absent). */
    days: async (brandId: string, r: Range) => await days.all(at(brandId, r)) as Omit<DayTotals, 'clicks'>[],
    /** Clicks per day of the range (days with none are absent). */
    clicks: async (brandId: string, r: Range) => await clicks.all(at(brandId, r)) as Array<{ day: string; clicks: number }>,
    /** min and max id of the range's attributed conversions (null when it has none). */
    conversionBounds: async (brandId: string, r: Range) => await bounds.get(at(brandId, r)) as ConversionBounds,
    standing: async (brandId: string) => await standing.get({ brandId }) as StandingTotals,
    topAdvocates: async (brandId: string, r: Range, limit: number, plan: AdvocatePlan) =>
      await topByPlan[plan].all(at(brandId, r, limit)) as TopAdvocate[],
    /** A page of the brand's advocates by revenue over every day (highest first), after `after` (null: from the top). */
    advocatesByRevenue: async (brandId: string, after: RankedAdvocate | null, limit: number) =>
      await byRevenue.all({ brandId, total: after?.total ?? MAX_INT64, id: after?.id ?? 0, limit }) as RankedAdvocate[],
    advocateInRange: async (brandId: string, advocateId: number, r: Range) =>
      await advocateRange.get({ ...at(brandId, r), advocateId }) as { conversions: number; netRevenueCents: number },
    topProducts: async (brandId: string, r: Range, limit: number) => await topProducts.all(at(brandId, r, limit)) as TopProduct[],
    topChannels: async (brandId: string, r: Range, limit: number) => await topChannels.all(at(brandId, r, limit)) as TopSource[],
    topSources: async (brandId: string, r: Range, limit: number) => await topSources.all(at(brandId, r, limit)) as TopSource[],
    /** The newest attributed conversions created in [since, until), ids within `bounds`. */
    latestConversions: async (brandId: string, bounds: { first: number; last: number }, since: string, until: string, limit: number) =>
      await latest.all({ brandId, first: bounds.first, last: bounds.last, since, until, limit }) as LatestConversion[],
  };
}
