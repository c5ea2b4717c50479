// The derived tables' definitions, shared by the tests on both engines: what each per-day table (migrations 009 and
// 016: by campaign too), the payout runs (012), the advocate counts (010) and the advocate counters (007) hold, as a
// GROUP BY over the rows they are derived from, and how each is read back as stored. The triggers (SQLite's and
// PostgreSQL's) must keep them equal.
import { perEngine } from '../../src/db/port.ts';
import type { Sql } from '../../src/db/port.ts';

const DAY = 'substr(created_at, 1, 10)';
/** A record's campaign (migration 016): its own campaign_id, 0 for one written without. */
const CAMPAIGN = 'coalesce(campaign_id, 0)';
const NET = (value: string) => `CASE WHEN paid_cents > 0 THEN ${value} * (paid_cents - refunded_cents) / paid_cents ELSE ${value} END`;

/**
 * The definitions: what each table holds, as a GROUP BY over the rows it is derived from (a derived table is named,
 * as PostgreSQL wants; a product line is read with each engine's JSON functions).
 */
export const DAILY_FROM_ROWS = {
  daily_totals: `SELECT brand_id, campaign_id, day, sum(claims) AS claims, sum(conversions) AS conversions, sum(revenue) AS revenue_cents,
      sum(net) AS net_revenue_cents, sum(refunded) AS refunded_cents, sum(pending) AS pending_cents, sum(approved) AS approved_cents,
      sum(paid) AS paid_cents, sum(clawed) AS clawed_back_cents, sum(due) AS clawback_due_cents,
      min(first) AS first_conversion_id, max(last) AS last_conversion_id
    FROM (
      SELECT brand_id, ${CAMPAIGN} AS campaign_id, ${DAY} AS day, count(*) AS claims, 0 AS conversions, 0 AS revenue, 0 AS net,
        0 AS refunded, 0 AS pending, 0 AS approved, 0 AS paid, 0 AS clawed, 0 AS due, NULL AS first, NULL AS last FROM claims GROUP BY 1, 2, 3
      UNION ALL
      SELECT brand_id, ${CAMPAIGN}, ${DAY}, 0, count(*), sum(order_value_cents), sum(${NET('order_value_cents')}), sum(refunded_cents), 0, 0, 0, 0, 0,
        min(id), max(id) FROM conversions WHERE advocate_id IS NOT NULL GROUP BY 1, 2, 3
      UNION ALL
      SELECT brand_id, ${CAMPAIGN}, ${DAY}, 0, 0, 0, 0, 0, sum(CASE status WHEN 'pending' THEN amount ELSE 0 END),
        sum(CASE status WHEN 'approved' THEN amount ELSE 0 END), sum(CASE status WHEN 'paid' THEN amount ELSE 0 END),
        sum(clawed_back), sum(clawed_back - clawback_recovered), NULL, NULL FROM rewards WHERE kind = 'cash' GROUP BY 1, 2, 3
    ) AS parts GROUP BY brand_id, campaign_id, day ORDER BY brand_id, campaign_id, day`,
  daily_sources: `SELECT brand_id, ${CAMPAIGN} AS campaign_id, ${DAY} AS day, coalesce(share_channel, '') AS share_channel,
      coalesce(utm_source, '') AS utm_source, count(*) AS clicks FROM visits GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  daily_advocates: `SELECT brand_id, ${CAMPAIGN} AS campaign_id, ${DAY} AS day, advocate_id, count(*) AS conversions,
      sum(order_value_cents) AS revenue_cents, sum(${NET('order_value_cents')}) AS net_revenue_cents FROM conversions
      WHERE advocate_id IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  // The portal's clicks per advocate and day (028): every campaign's.
  daily_advocate_clicks: `SELECT brand_id, advocate_id, ${DAY} AS day, count(*) AS clicks FROM visits GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  // Every campaign's: the top advocates' walk bounds an advocate's revenue in one campaign or in all by it (016).
  advocate_revenue: `SELECT brand_id, advocate_id, sum(${NET('order_value_cents')}) AS net_revenue_cents FROM conversions
      WHERE advocate_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  daily_products: perEngine((d) => `SELECT brand_id, campaign_id, day, name,
      sum(CASE WHEN paid_cents > 0 AND refunded_cents >= paid_cents THEN 0 ELSE quantity END) AS units,
      sum(price * quantity) AS revenue_cents, sum(${NET('price * quantity')}) AS net_revenue_cents
    FROM (SELECT c.brand_id, coalesce(c.campaign_id, 0) AS campaign_id, substr(c.created_at, 1, 10) AS day, c.paid_cents, c.refunded_cents, ${d === 'sqlite'
      ? `json_extract(p.value, '$.name') AS name, json_extract(p.value, '$.quantity') AS quantity, json_extract(p.value, '$.price_cents') AS price
          FROM conversions c, json_each(c.products) p`
      : `(p.value ->> 'name') COLLATE "C" AS name, (p.value ->> 'quantity')::bigint AS quantity, (p.value ->> 'price_cents')::bigint AS price
          FROM conversions c, jsonb_array_elements(c.products::jsonb) p`} WHERE c.advocate_id IS NOT NULL) AS lines
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
} satisfies Record<string, Sql>;
export const DAILY_STORED = {
  daily_totals: 'ORDER BY brand_id, campaign_id, day',
  daily_sources: 'ORDER BY brand_id, campaign_id, day, share_channel, utm_source',
  daily_advocates: 'ORDER BY brand_id, campaign_id, day, advocate_id',
  daily_advocate_clicks: 'ORDER BY brand_id, advocate_id, day',
  advocate_revenue: 'ORDER BY brand_id, advocate_id',
  daily_products: 'ORDER BY brand_id, campaign_id, day, name',
} as const;

/** The payout runs of migration 012 and the advocate counts of migration 010, as the per-day tables are defined. */
export const RUNS_AND_COUNTS_FROM_ROWS = {
  payout_runs: `SELECT brand_id, paid_at, count(*) AS commissions, sum(amount) AS cents FROM rewards
      WHERE status = 'paid' AND kind = 'cash' AND paid_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  brand_advocate_counts: 'SELECT brand_id, count(*) AS advocates FROM advocates GROUP BY 1 ORDER BY 1',
} as const;
export const RUNS_AND_COUNTS_STORED = {
  payout_runs: 'ORDER BY brand_id, paid_at',
  brand_advocate_counts: 'ORDER BY brand_id',
} as const;

/** Migration 007's counters of each advocate, as the sums over the rows they replace (the same SQL on both engines). */
export const COUNTERS_FROM_ROWS = `SELECT a.id,
  (SELECT count(*) FROM conversions v WHERE v.brand_id = a.brand_id AND v.advocate_id = a.id) AS "conversionCount",
  (SELECT coalesce(sum(r.amount), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.status = 'pending' AND r.kind = 'cash') AS "pendingCents",
  (SELECT coalesce(sum(r.amount), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.status = 'approved' AND r.kind = 'cash') AS "approvedCents",
  (SELECT coalesce(sum(r.amount), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.status = 'paid' AND r.kind = 'cash') AS "paidCents",
  (SELECT coalesce(sum(r.clawed_back), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.kind = 'cash') AS "clawedBackCents",
  (SELECT coalesce(sum(r.clawed_back - r.clawback_recovered), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.kind = 'cash') AS "clawbackDueCents"
  FROM advocates a ORDER BY a.id`;
/** The counters as stored on each advocate's row, named as COUNTERS_FROM_ROWS names them. */
export const COUNTERS_STORED = `SELECT id, conversion_count AS "conversionCount", pending_cents AS "pendingCents",
  approved_cents AS "approvedCents", paid_cents AS "paidCents", clawed_back_cents AS "clawedBackCents",
  clawback_due_cents AS "clawbackDueCents" FROM advocates ORDER BY id`;
