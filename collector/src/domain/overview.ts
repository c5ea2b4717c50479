// The overview's pure decisions: which UTC days a range covers, the previous period of the same length, and how the
// top advocates are found (a walk bounded by their totals, or a sum over the range).
import { DAY_MS } from './time.ts';

/** A range of whole UTC days, both ends included (YYYY-MM-DD). */
export interface DayRange { from: string; to: string; days: number }

export const RANGE_PRESETS = [7, 30, 90] as const;
export const DEFAULT_PRESET = 30;
/** A custom range may cover at most this many days (a daily series, and a chart, of that length). */
export const MAX_RANGE_DAYS = 366;

const dayMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
export const utcDay = (t: Date | number): string => new Date(t).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => utcDay(dayMs(day) + n * DAY_MS);
const span = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;

export const dayRange = (from: string, to: string): DayRange => ({ from, to, days: span(from, to) });

/** The last `days` UTC days, today (the day of `now`) included. */
export const lastDays = (now: Date, days: number): DayRange => dayRange(addDays(utcDay(now), -(days - 1)), utcDay(now));

/** The period of the same length that ends the day before `r` starts. */
export const previousRange = (r: DayRange): DayRange => dayRange(addDays(r.from, -r.days), addDays(r.from, -1));

/** Every day of `r`, in order. */
export const eachDay = (r: DayRange): string[] => Array.from({ length: r.days }, (_, i) => addDays(r.from, i));

/** The instants the range covers, [since, until): for filters on created_at. */
export const instants = (r: DayRange) => ({ since: `${r.from}T00:00:00.000Z`, until: `${addDays(r.to, 1)}T00:00:00.000Z` });

/** A candidate for a top list and the most its figure can be (an advocate's revenue over every day). */
export interface Bounded { id: number; total: number }
/** A candidate's figure over the range. */
export interface Scored { id: number; conversions: number; netRevenueCents: number }

/**
 * The exact top `k` of a range (by netRevenueCents, highest first, then id) when no candidate's figure can exceed its
 * bound, walking candidates in bound order (`pages`: highest bound first, then id) and scoring each (`score`). Stops
 * once the kth best found is above every bound left: a candidate not walked could not enter, not even on a tie
 * (which the lower id would win). A candidate without conversions in the range does not count. Answers null once
 * `budget` candidates were scored without that: the walk would cost more than summing the range.
 */
export async function topWithinBounds(
  pages: (after: Bounded | null) => Promise<Bounded[]>, score: (id: number) => Promise<Omit<Scored, 'id'>>, k: number, budget: number,
): Promise<Scored[] | null> {
  const best: Scored[] = [];
  let scored = 0;
  let after: Bounded | null = null;
  for (;;) {
    const page = await pages(after);
    if (page.length === 0) return best;
    for (const c of page) {
      if (best.length === k && c.total < best[k - 1]!.netRevenueCents) return best;
      if (++scored > budget) return null;
      const s = { id: c.id, ...(await score(c.id)) };
      if (s.conversions === 0) continue;
      best.push(s);
      best.sort((a, b) => b.netRevenueCents - a.netRevenueCents || a.id - b.id);
      if (best.length > k) best.pop();
    }
    after = page[page.length - 1]!;
  }
}

/**
 * When the walk gives way: summing the top advocates over the range's days costs per row of the range (a temporary
 * b-tree of its advocates); streaming every row of the brand in advocate order costs less per row but reads them all
 * (the bench's brand, 288,000 rows over 150 days, on a loaded machine: 30 days 113 vs 151 ms, 90 days 276 vs 287 ms,
 * 150 days 467 vs 273 ms). So the range's days are read while the range holds at most a third of the brand's
 * attributed conversions (each row of daily_advocates holds at least one).
 */
export const advocatePlan = (rangeConversions: number, allConversions: number): 'days' | 'advocates' =>
  rangeConversions * 3 <= allConversions ? 'days' : 'advocates';
