// One advocate's figures per UTC day over a range of days (the portal's home page): clicks from daily_advocate_clicks
// (migration 028) and conversions from daily_advocates (through daily_advocates_by_advocate), at most a row per day
// (and campaign); earnings from the advocate's own cash commissions (rewards_advocate: its rows, whatever the brand's
// size). No read touches the advocate's visits or conversions.
import { perEngine, type Conn } from './port.ts';

export interface AdvocateDay { day: string; clicks: number; conversions: number; earnedCents: number }

type Range = { from: string; to: string; since: string; until: string };

export function createAdvocateDayQueries(db: Conn) {
  const clicks = db.prepare(
    `SELECT day, clicks AS n FROM daily_advocate_clicks WHERE brand_id = @brandId AND advocate_id = @advocateId AND day >= @from AND day <= @to`);
  // A commission's earning as the API's net_amount: nothing once rejected or reversed, else its amount less what was
  // clawed back (domain/commissions.ts netValue); summed by the day it was created, as GET /commissions filters it.
  const earned = db.prepare(
    `SELECT substr(created_at, 1, 10) AS day,
       sum(CASE WHEN status IN ('rejected', 'reversed') THEN 0 ELSE amount - clawed_back END) AS n FROM rewards
     WHERE brand_id = @brandId AND advocate_id = @advocateId AND kind = 'cash' AND created_at >= @since AND created_at < @until
     GROUP BY substr(created_at, 1, 10)`);
  // At most one row per day and campaign the advocate converted in.
  const conversions = db.prepare(perEngine((d) =>
    `SELECT day, sum(conversions) AS n FROM daily_advocates${d === 'sqlite' ? ' INDEXED BY daily_advocates_by_advocate' : ''}
     WHERE brand_id = @brandId AND advocate_id = @advocateId AND day >= @from AND day <= @to GROUP BY day`));
  const byDay = async (statement: typeof clicks, params: Record<string, unknown>) =>
    new Map((await statement.all(params) as Array<{ day: string; n: number | string }>).map((r) => [r.day, Number(r.n)]));
  return {
    /** The advocate's days of the range that hold anything, in day order (days with nothing are absent). */
    days: async (brandId: string, advocateId: number, r: Range): Promise<AdvocateDay[]> => {
      const params = { brandId, advocateId, ...r };
      const [c, v, e] = await Promise.all([byDay(clicks, params), byDay(conversions, params), byDay(earned, params)]);
      const days = [...new Set([...c.keys(), ...v.keys(), ...e.keys()])].sort();
      return days.map((day) => ({ day, clicks: c.get(day) ?? 0, conversions: v.get(day) ?? 0, earnedCents: e.get(day) ?? 0 }));
    },
  };
}
