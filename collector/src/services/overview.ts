// Use case: the overview of a range of UTC days beside the previous period of the same length, of one campaign or of
// all of them, and a campaign's figures over every day; read from the per-day totals of migrations 009 and 016 (never
// from visits, conversions or rewards as a whole).
import type { DayTotals, LatestConversion, StandingTotals, TopAdvocate, TopProduct, TopSource } from '../db/dailyTotals.ts';
import {
  advocatePlan, dayRange, eachDay, instants, lastDays, previousRange, topWithinBounds, type DayRange,
} from '../domain/overview.ts';
import { notFound } from '../errors.ts';
import type { OverviewQuery } from '../schemas/overview.ts';
import { mapInOrder, type Ctx } from './context.ts';

/** How many rows each top list and the latest conversions show. */
export const TOP = 10;

type Summed = Omit<DayTotals, 'day'>;
const FIELDS = ['clicks', 'claims', 'conversions', 'revenueCents', 'netRevenueCents', 'refundedCents', 'pendingCents',
  'approvedCents', 'paidCents', 'clawedBackCents', 'clawbackDueCents'] as const satisfies ReadonlyArray<keyof Summed>;
const zero = (): Summed => Object.fromEntries(FIELDS.map((f) => [f, 0])) as Summed;

/** A figure of the range and the same figure of the previous period. */
export interface Compared { current: number; previous: number }
/** A share (conversions per click); null when there was nothing to divide by. */
export interface ComparedRate { current: number | null; previous: number | null }

export interface Overview {
  /** the campaign whose figures these are; null: every campaign of the brand, summed */
  campaignId: number | null;
  range: DayRange;
  previous: DayRange;
  /** the period's figures: events of the period, and the commissions created in it by their status today */
  figures: Record<(typeof FIELDS)[number], Compared> & { conversionRate: ComparedRate };
  /** the commissions' current state over every day (of the campaign), whatever the range */
  standing: StandingTotals;
  /** every day of the range, days without events as zeros */
  series: DayTotals[];
  funnel: { visits: number; claims: number; conversions: number };
  topAdvocates: TopAdvocate[];
  topProducts: TopProduct[];
  topChannels: TopSource[];
  topSources: TopSource[];
  latestConversions: LatestConversion[];
}

/** The range a query asks for: a preset of the last N days (today, in UTC, included) or the custom days. */
export function rangeOf(query: OverviewQuery, now: Date): DayRange {
  return query.kind === 'custom' ? dayRange(query.from, query.to) : lastDays(now, query.days);
}

/** Each day of `r` with its figures: the day's totals rows (one per campaign, summed) and its clicks summed over its sources. */
async function series({ q, brand }: Ctx, r: DayRange, campaignId: number | null): Promise<DayTotals[]> {
  const rows = new Map((await q.dailyTotals.days(brand.id, r, campaignId)).map((d) => [d.day, d]));
  const clicks = new Map((await q.dailyTotals.clicks(brand.id, r, campaignId)).map((d) => [d.day, d.clicks]));
  return eachDay(r).map((day) => ({ ...zero(), ...rows.get(day), day, clicks: clicks.get(day) ?? 0 }));
}

function sum(days: DayTotals[]): Summed {
  const total = zero();
  for (const d of days) for (const f of FIELDS) total[f] += d[f];
  return total;
}

/** Candidates scored per page of the walk. */
const WALK_PAGE = 100;
/**
 * Scoring one candidate (an index probe) costs about as much as summing 20 rows of the range (measured at 100,000
 * advocates: 1,801 probes in 39 ms, 14,000 rows in 15 ms), so a walk may score one candidate per 40 of the range's
 * conversions (at most half of what the sum costs) before it gives way to the sum.
 */
const ROWS_PER_PROBE_BUDGET = 40;
/**
 * Below this many conversions in the range the sum is cheap (7 days of the bench's brand: 12,900 rows, 15 ms) and a
 * walk rarely stops early (short ranges leave totals far above the tenth best: 1,801 probes there), so it is summed.
 */
const WALK_FROM_CONVERSIONS = 20_000;

/**
 * The top advocates of the range by revenue net of refunds: walked from the highest revenue over every day (and every
 * campaign: a bound of an advocate's revenue in one campaign too) down, which stops within a few candidates when a few
 * advocates bring most of the revenue (the usual shape), else summed over the range (domain/overview.ts says which sum
 * is cheaper). One campaign's walk scores the other campaigns' advocates too (as nothing, within the budget): for a
 * campaign with a small part of the brand's revenue it gives way to the sum of the campaign's range, which is small.
 * `allConversions`: the brand's, every campaign's (the sum by advocate reads the brand's rows whatever the campaign).
 */
async function topAdvocates({ q, brand }: Ctx, range: DayRange, campaignId: number | null, rangeConversions: number,
  allConversions: number, walkFrom: number): Promise<TopAdvocate[]> {
  const walked = rangeConversions < walkFrom ? null : await topWithinBounds(
    (after) => q.dailyTotals.advocatesByRevenue(brand.id, after, WALK_PAGE),
    (id) => q.dailyTotals.advocateInRange(brand.id, id, range, campaignId),
    TOP, Math.max(WALK_PAGE, Math.floor(rangeConversions / ROWS_PER_PROBE_BUDGET)),
  );
  if (walked === null) return q.dailyTotals.topAdvocates(brand.id, range, TOP, advocatePlan(rangeConversions, allConversions), campaignId);
  return mapInOrder(walked, async (s) => {
    const a = await q.advocates.findRecord(brand.id, s.id);
    return { advocateId: s.id, name: a?.name ?? null, email: a?.email ?? null, conversions: s.conversions, netRevenueCents: s.netRevenueCents };
  });
}

const rate = (t: Summed): number | null => (t.clicks === 0 ? null : t.conversions / t.clicks);

/**
 * `campaignId`: that campaign's figures only (the records of its advocates while they were in it; a campaign of this
 * brand, which the caller has checked), or (absent, null) every campaign's, summed. `walkFrom`: the range's
 * conversions from which the top advocates are walked (tests set 0 to walk small data).
 */
export async function overview(ctx: Ctx, range: DayRange,
  { walkFrom = WALK_FROM_CONVERSIONS, campaignId = null }: { walkFrom?: number; campaignId?: number | null } = {}): Promise<Overview> {
  const { q, brand } = ctx;
  const previous = previousRange(range);
  const days = await series(ctx, range, campaignId);
  const current = sum(days);
  const before = sum(await series(ctx, previous, campaignId));
  const standing = await q.dailyTotals.standing(brand.id, campaignId);
  const figures = {
    ...Object.fromEntries(FIELDS.map((f) => [f, { current: current[f], previous: before[f] }])) as Record<(typeof FIELDS)[number], Compared>,
    conversionRate: { current: rate(current), previous: rate(before) },
  };
  const bounds = await q.dailyTotals.conversionBounds(brand.id, range, campaignId);
  const { since, until } = instants(range);
  const latest = bounds.first === null || bounds.last === null ? []
    : await q.dailyTotals.latestConversions(brand.id, { first: bounds.first, last: bounds.last }, since, until, TOP, campaignId);
  const brandConversions = async () => (campaignId === null ? standing : await q.dailyTotals.standing(brand.id)).conversions;
  return {
    campaignId,
    range,
    previous,
    figures,
    standing,
    series: days,
    funnel: { visits: current.clicks, claims: current.claims, conversions: current.conversions },
    topAdvocates: current.conversions === 0 ? []
      : await topAdvocates(ctx, range, campaignId, current.conversions, await brandConversions(), walkFrom),
    topProducts: await q.dailyTotals.topProducts(brand.id, range, TOP, campaignId),
    topChannels: await q.dailyTotals.topChannels(brand.id, range, TOP, campaignId),
    topSources: await q.dailyTotals.topSources(brand.id, range, TOP, campaignId),
    latestConversions: latest,
  };
}

/**
 * A campaign's figures over every day: what its advocates brought while they were in it (a day's figures summed over
 * its days: clicks, claims, attributed conversions and their revenue, its cash commissions by status). Money in cents.
 */
export type CampaignFigures = Summed;

/**
 * The figures of one campaign of the brand over every day (its rows of the per-day tables: about one per day, and per
 * day and source for the clicks); 404 for a campaign that is not the brand's.
 */
export async function campaignFigures(ctx: Ctx, campaignId: number): Promise<CampaignFigures> {
  const { q, brand } = ctx;
  if (!await q.campaigns.find(brand.id, campaignId)) throw notFound('campaign');
  return q.dailyTotals.campaignTotals(brand.id, campaignId);
}
