// Queries over the per-day totals of migrations 009 and 016 (daily_totals, daily_sources, daily_advocates,
// daily_products, keyed by brand, campaign and day; advocate_revenue, by brand and advocate): the overview's figures for
// a range of UTC days, of one campaign or of all of them, read without touching visits, conversions or rewards.
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

/** The commissions' current state over every day of the brand (or campaign), and its attributed conversions ever. */
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

/** An advocate and its revenue net of refunds over every day and campaign (advocate_revenue). */
export interface RankedAdvocate { id: number; total: number }

/**
 * Which campaign a read sums: one campaign's rows (its id), or (undefined or null) the rows of every campaign of the
 * brand, and those of records without a campaign (campaign 0, migration 016).
 */
export type CampaignScope = number | null | undefined;

const MAX_INT64 = 9_223_372_036_854_775_807n;

/** How the top advocates are summed: over the range's days (short ranges) or the brand's rows by advocate (long). */
export type AdvocatePlan = 'days' | 'advocates';

type Scope = 'one' | 'all';
const scopeOf = (campaignId: CampaignScope): Scope => (campaignId === undefined || campaignId === null ? 'all' : 'one');

/**
 * The condition on campaign_id that leads a primary key (brand_id, campaign_id, day, ...): one campaign, or each
 * campaign of the brand in turn (at most 100 seeks, one per campaign, then each campaign's days). PostgreSQL takes the
 * list as an array, which its index scan walks key by key (an IN over a subquery would be a join it may plan as one).
 */
const campaignIs = (scope: Scope) => (d: Dialect) => (scope === 'one' ? 'campaign_id = @campaignId'
  : d === 'sqlite' ? 'campaign_id IN (SELECT 0 UNION ALL SELECT id FROM campaigns WHERE brand_id = @brandId)'
    : 'campaign_id = ANY (ARRAY(SELECT 0 UNION ALL SELECT id FROM campaigns WHERE brand_id = @brandId))');

const DAY_SUMS = `sum(claims) AS claims, sum(conversions) AS conversions, sum(revenue_cents) AS revenueCents,
  sum(net_revenue_cents) AS netRevenueCents, sum(refunded_cents) AS refundedCents, sum(pending_cents) AS pendingCents,
  sum(approved_cents) AS approvedCents, sum(paid_cents) AS paidCents, sum(clawed_back_cents) AS clawedBackCents,
  sum(clawback_due_cents) AS clawbackDueCents`;
const IN_DAYS = 'day >= @from AND day <= @to';
const inRange = (scope: Scope) => (d: Dialect) => `brand_id = @brandId AND ${campaignIs(scope)(d)} AND ${IN_DAYS}`;

/** daily_advocates read through `index`: named on SQLite (INDEXED BY); PostgreSQL's planner picks by its statistics. */
const dailyAdvocatesBy = (index: string) => (d: Dialect) => (d === 'sqlite' ? `daily_advocates INDEXED BY ${index}` : 'daily_advocates');

/** One prepared statement per scope, `sql` written for both. */
function perScope<T>(make: (scope: Scope) => T): Record<Scope, T> {
  return { one: make('one'), all: make('all') };
}

export function createDailyTotalsQueries(db: Conn) {
  // Each campaign's rows of the range by primary key, summed per day (all campaigns: at most one row per day and
  // campaign, grouped in a small temporary b-tree; one campaign: one row per day, in day order).
  const days = perScope((s) => db.prepare(perEngine((d) =>
    `SELECT day, ${DAY_SUMS} FROM daily_totals WHERE ${inRange(s)(d)} GROUP BY day ORDER BY day`)));
  const clicks = perScope((s) => db.prepare(perEngine((d) =>
    `SELECT day, sum(clicks) AS clicks FROM daily_sources WHERE ${inRange(s)(d)} GROUP BY day ORDER BY day`)));
  const bounds = perScope((s) => db.prepare(perEngine((d) =>
    `SELECT min(first_conversion_id) AS first, max(last_conversion_id) AS last FROM daily_totals WHERE ${inRange(s)(d)}`)));
  // Every day of the brand (a row per day and campaign) or of the campaign.
  const standing = perScope((s) => db.prepare(
    `SELECT coalesce(sum(conversions), 0) AS conversions, coalesce(sum(pending_cents), 0) AS pendingCents,
       coalesce(sum(approved_cents), 0) AS approvedCents, coalesce(sum(clawback_due_cents), 0) AS clawbackDueCents
     FROM daily_totals WHERE brand_id = @brandId${s === 'one' ? ' AND campaign_id = @campaignId' : ''}`));
  // A campaign's figures over every day: its rows by primary key (one per day; clicks one per day and source).
  const campaignTotals = db.prepare(`SELECT coalesce(sum(claims), 0) AS claims, coalesce(sum(conversions), 0) AS conversions,
       coalesce(sum(revenue_cents), 0) AS revenueCents, coalesce(sum(net_revenue_cents), 0) AS netRevenueCents,
       coalesce(sum(refunded_cents), 0) AS refundedCents, coalesce(sum(pending_cents), 0) AS pendingCents,
       coalesce(sum(approved_cents), 0) AS approvedCents, coalesce(sum(paid_cents), 0) AS paidCents,
       coalesce(sum(clawed_back_cents), 0) AS clawedBackCents, coalesce(sum(clawback_due_cents), 0) AS clawbackDueCents
     FROM daily_totals WHERE brand_id = @brandId AND campaign_id = @campaignId`);
  const campaignClicks = db.prepare(
    `SELECT coalesce(sum(clicks), 0) FROM daily_sources WHERE brand_id = @brandId AND campaign_id = @campaignId`, { pluck: true });

  // The ten advocates are named after they are chosen (ten lookups by primary key). The derived table's columns
  // are lower case: PostgreSQL folds an unquoted name, so a camelCase one would need quotes wherever it is named.
  const topAdvocates = (source: (d: Dialect) => string, where: (d: Dialect) => string) => db.prepare(perEngine((d) =>
    `SELECT t.advocate_id AS advocateId, a.name, a.email, t.conversions, t.net AS netRevenueCents
     FROM (SELECT advocate_id, sum(conversions) AS conversions, sum(net_revenue_cents) AS net
           FROM ${source(d)} WHERE ${where(d)} GROUP BY advocate_id HAVING sum(conversions) > 0
           ORDER BY net DESC, advocate_id LIMIT @limit) t
     LEFT JOIN advocates a ON a.brand_id = @brandId AND a.id = t.advocate_id
     ORDER BY t.net DESC, t.advocate_id`));
  // Short range: each campaign's rows of the range (primary key by campaign and day), grouped in a temporary b-tree.
  // Long range: every row of the brand in advocate order (a covering index), each advocate summed as it streams by
  // (one campaign: the other campaigns' rows skipped); cheaper once the range holds a good part of the brand's rows.
  // Which is cheaper is decided by domain/overview.ts from the conversion counts.
  const byAdvocate = (s: Scope) => (d: Dialect) => `brand_id = @brandId AND ${IN_DAYS}${s === 'one' ? ' AND campaign_id = @campaignId' : ''}`;
  const topByPlan = perScope((s): Record<AdvocatePlan, Awaited<ReturnType<typeof topAdvocates>>> => ({
    days: topAdvocates(dailyAdvocatesBy('sqlite_autoindex_daily_advocates_1'), inRange(s)),
    advocates: topAdvocates(dailyAdvocatesBy('daily_advocates_by_advocate'), byAdvocate(s)),
  }));
  // The brand's advocates by their revenue over every day and campaign, highest first, a page after (net, id).
  const byRevenue = db.prepare(
    `SELECT advocate_id AS id, net_revenue_cents AS total FROM advocate_revenue
     WHERE brand_id = @brandId AND net_revenue_cents <= @total AND (net_revenue_cents < @total OR advocate_id > @id)
     ORDER BY net_revenue_cents DESC, advocate_id LIMIT @limit`,
  );
  // One advocate's range: its rows of the range's days (the advocate-order index), at most one per day and campaign.
  const advocateRange = perScope((s) => db.prepare(perEngine((d) =>
    `SELECT coalesce(sum(conversions), 0) AS conversions, coalesce(sum(net_revenue_cents), 0) AS netRevenueCents
     FROM ${dailyAdvocatesBy('daily_advocates_by_advocate')(d)} WHERE ${byAdvocate(s)(d)} AND advocate_id = @advocateId`)));
  const topProducts = perScope((s) => db.prepare(perEngine((d) =>
    `SELECT name, sum(units) AS units, sum(revenue_cents) AS revenueCents, sum(net_revenue_cents) AS netRevenueCents
     FROM daily_products WHERE ${inRange(s)(d)} GROUP BY name ORDER BY sum(net_revenue_cents) DESC, name LIMIT @limit`)));
  const topBy = (column: 'share_channel' | 'utm_source') => perScope((s) => db.prepare(perEngine((d) =>
    `SELECT ${column} AS name, sum(clicks) AS clicks FROM daily_sources WHERE ${inRange(s)(d)}
     GROUP BY ${column} ORDER BY clicks DESC, name LIMIT @limit`)));
  const topChannels = topBy('share_channel');
  const topSources = topBy('utm_source');
  // The brand's attributed conversions in id order (conversions_brand_attributed; one campaign's:
  // conversions_brand_campaign), between the range's bounds: the walk stops after `limit` rows of the range whatever
  // the brand's size.
  // (SQLite would walk the brand's attributed ids for one campaign too, without statistics telling it otherwise.)
  const latest = perScope((s) => db.prepare(perEngine((d) =>
    `SELECT c.id, c.order_id AS orderId, c.advocate_id AS advocateId, a.name AS advocateName, c.code, c.status,
       c.order_value_cents AS orderValueCents, c.paid_cents AS paidCents, c.refunded_cents AS refundedCents, c.created_at AS createdAt
     FROM conversions c${s === 'one' && d === 'sqlite' ? ' INDEXED BY conversions_brand_campaign' : ''}
     LEFT JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id
     WHERE c.brand_id = @brandId${s === 'one' ? ' AND c.campaign_id = @campaignId' : ''} AND c.advocate_id IS NOT NULL
       AND c.id >= @first AND c.id <= @last AND c.created_at >= @since AND c.created_at < @until
     ORDER BY c.id DESC LIMIT @limit`)));

  type Range = { from: string; to: string };
  const at = (brandId: string, campaignId: CampaignScope, r: Range, limit?: number) =>
    ({ brandId, campaignId: campaignId ?? 0, from: r.from, to: r.to, ...(limit === undefined ? {} : { limit }) });
  return {
    /** The range's days that have a row, in day order (days with nothing are absent), summed over the campaigns. */
    days: async (brandId: string, r: Range, campaignId?: CampaignScope) =>
      await days[scopeOf(campaignId)].all(at(brandId, campaignId, r)) as Omit<DayTotals, 'clicks'>[],
    /** Clicks per day of the range (days with none are absent). */
    clicks: async (brandId: string, r: Range, campaignId?: CampaignScope) =>
      await clicks[scopeOf(campaignId)].all(at(brandId, campaignId, r)) as Array<{ day: string; clicks: number }>,
    /** min and max id of the range's attributed conversions (null when it has none). */
    conversionBounds: async (brandId: string, r: Range, campaignId?: CampaignScope) =>
      await bounds[scopeOf(campaignId)].get(at(brandId, campaignId, r)) as ConversionBounds,
    standing: async (brandId: string, campaignId?: CampaignScope) =>
      await standing[scopeOf(campaignId)].get({ brandId, campaignId: campaignId ?? 0 }) as StandingTotals,
    /** One campaign's figures over every day (clicks: its visits', claims, conversions, their commissions). */
    campaignTotals: async (brandId: string, campaignId: number) => ({
      ...await campaignTotals.get({ brandId, campaignId }) as Omit<DayTotals, 'day' | 'clicks'>,
      clicks: Number(await campaignClicks.get({ brandId, campaignId })),
    }),
    topAdvocates: async (brandId: string, r: Range, limit: number, plan: AdvocatePlan, campaignId?: CampaignScope) =>
      await topByPlan[scopeOf(campaignId)][plan].all(at(brandId, campaignId, r, limit)) as TopAdvocate[],
    /**
     * A page of the brand's advocates by revenue over every day and campaign (highest first), after `after` (null: from
     * the top): a bound of each one's revenue in any range, of one campaign or all.
     */
    advocatesByRevenue: async (brandId: string, after: RankedAdvocate | null, limit: number) =>
      await byRevenue.all({ brandId, total: after?.total ?? MAX_INT64, id: after?.id ?? 0, limit }) as RankedAdvocate[],
    advocateInRange: async (brandId: string, advocateId: number, r: Range, campaignId?: CampaignScope) =>
      await advocateRange[scopeOf(campaignId)].get({ ...at(brandId, campaignId, r), advocateId }) as { conversions: number; netRevenueCents: number },
    topProducts: async (brandId: string, r: Range, limit: number, campaignId?: CampaignScope) =>
      await topProducts[scopeOf(campaignId)].all(at(brandId, campaignId, r, limit)) as TopProduct[],
    topChannels: async (brandId: string, r: Range, limit: number, campaignId?: CampaignScope) =>
      await topChannels[scopeOf(campaignId)].all(at(brandId, campaignId, r, limit)) as TopSource[],
    topSources: async (brandId: string, r: Range, limit: number, campaignId?: CampaignScope) =>
      await topSources[scopeOf(campaignId)].all(at(brandId, campaignId, r, limit)) as TopSource[],
    /** The newest attributed conversions created in [since, until), ids within `bounds` (of the campaign, or all). */
    latestConversions: async (brandId: string, bounds: { first: number; last: number }, since: string, until: string, limit: number,
      campaignId?: CampaignScope) =>
      await latest[scopeOf(campaignId)].all({ brandId, campaignId: campaignId ?? 0, first: bounds.first, last: bounds.last, since, until, limit }) as LatestConversion[],
  };
}
