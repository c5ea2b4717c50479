// The portal home's figures of one advocate: the last 30 UTC days (today included) beside the 30 before, and each day
// of the last 30, read through db/advocateDays.ts (an advocate's own rows in the range, by index). Equal to what the
// API answers for the same days: GET /visits, /conversions and /commissions with advocate_id, from and to (clicks and
// conversions counted, earnings the sum of the cash commissions' net_amount).
import type { AdvocateDay } from '../db/advocateDays.ts';
import { eachDay, instants, lastDays, previousRange, type DayRange } from '../domain/overview.ts';
import type { Ctx } from './context.ts';

export const PORTAL_FIGURE_DAYS = 30;

export interface PeriodTotals { clicks: number; conversions: number; earnedCents: number }

export interface PortalFigures {
  current: DayRange & PeriodTotals;
  previous: DayRange & PeriodTotals;
  /** every day of the current period, in order, days with nothing as zeros */
  days: AdvocateDay[];
}

const sum = (days: AdvocateDay[]): PeriodTotals => days.reduce((t, d) =>
  ({ clicks: t.clicks + d.clicks, conversions: t.conversions + d.conversions, earnedCents: t.earnedCents + d.earnedCents }),
{ clicks: 0, conversions: 0, earnedCents: 0 });

export async function portalFigures({ q, brand, now }: Ctx, advocateId: number): Promise<PortalFigures> {
  const current = lastDays(now, PORTAL_FIGURE_DAYS);
  const previous = previousRange(current);
  const both = { from: previous.from, to: current.to };
  const read = await q.advocateDays.days(brand.id, advocateId, { ...both, ...instants({ ...both, days: 0 }) });
  const byDay = new Map(read.map((d) => [d.day, d]));
  const days = eachDay(current).map((day) => byDay.get(day) ?? { day, clicks: 0, conversions: 0, earnedCents: 0 });
  return {
    current: { ...current, ...sum(days) },
    previous: { ...previous, ...sum(read.filter((d) => d.day <= previous.to)) },
    days,
  };
}
