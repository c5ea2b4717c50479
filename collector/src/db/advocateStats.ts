// Queries that read advocates and referral codes with their figures (clicks, conversions, revenue, earnings),
// each figure an indexed subquery per row of the page: visits are never scanned.
import type { Db } from './open.ts';
import type { AdvocateRecord, AdvocateStatus, CodeStatus } from './advocates.ts';
import { FROM_START, type Slice } from './records.ts';

const window = (s: Slice) => ({ before: s.before ?? FROM_START, limit: s.limit, offset: s.offset });

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
  /** a case-insensitive substring of the name, the email or one of the codes */
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
  /** a case-insensitive substring of the code, the advocate's name or email */
  search: string | null;
}

/** `text` as a LIKE pattern matching it anywhere, its own % and _ taken literally (ESCAPE '\'). */
const containing = (text: string | null): string | null =>
  text === null ? null : `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const cashOf = (status: string) =>
  `(SELECT coalesce(sum(r.amount), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.status = '${status}' AND r.kind = 'cash')`;

// Served by referral_codes_advocate, conversions_brand_advocate and rewards_advocate.
const ADVOCATE_COLUMNS = `a.id, a.email, a.name, a.status, a.tier, a.metadata, a.referred_by AS referredBy,
  a.points_balance AS pointsBalance, a.created_at AS createdAt, a.updated_at AS updatedAt,
  (SELECT c.code FROM referral_codes c WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id AND c.status = 'active'
     ORDER BY c.id LIMIT 1) AS primaryCode,
  (SELECT json_group_array(c.code ORDER BY c.id) FROM referral_codes c
     WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id) AS codes,
  (SELECT coalesce(sum(c.click_count), 0) FROM referral_codes c
     WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id) AS clickCount,
  (SELECT count(*) FROM conversions v WHERE v.brand_id = a.brand_id AND v.advocate_id = a.id) AS conversionCount,
  ${cashOf('pending')} AS pendingCents,
  ${cashOf('approved')} AS approvedCents,
  ${cashOf('paid')} AS paidCents,
  (SELECT coalesce(sum(r.clawed_back), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.kind = 'cash') AS clawedBackCents,
  (SELECT coalesce(sum(r.clawed_back - r.clawback_recovered), 0) FROM rewards r
     WHERE r.brand_id = a.brand_id AND r.advocate_id = a.id AND r.kind = 'cash') AS clawbackDueCents`;

const ADVOCATE_FILTER = `a.brand_id = @brandId
  AND (@status IS NULL OR a.status = @status)
  AND (@tier IS NULL OR a.tier = @tier)
  AND (@search IS NULL OR a.name LIKE @search ESCAPE '\\' OR a.email LIKE @search ESCAPE '\\'
    OR EXISTS (SELECT 1 FROM referral_codes c
      WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id AND c.code LIKE @search ESCAPE '\\'))`;

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

const REFERRAL_FILTER = `c.brand_id = @brandId
  AND (@advocateId IS NULL OR c.advocate_id = @advocateId)
  AND (@status IS NULL OR c.status = @status)
  AND (@search IS NULL OR c.code LIKE @search ESCAPE '\\' OR a.name LIKE @search ESCAPE '\\' OR a.email LIKE @search ESCAPE '\\')`;

export function createAdvocateStatsQueries(db: Db) {
  // The page's ids first, so the figures are computed for the rows of the page only, not for every row sorted.
  const advocatePage = db.prepare(
    `SELECT ${ADVOCATE_COLUMNS}
     FROM (SELECT a.id FROM advocates a WHERE ${ADVOCATE_FILTER} AND a.id < @before ORDER BY a.id DESC LIMIT @limit OFFSET @offset) p
     JOIN advocates a ON a.brand_id = @brandId AND a.id = p.id
     ORDER BY a.id DESC`,
  );
  const advocateCount = db.prepare(`SELECT count(*) FROM advocates a WHERE ${ADVOCATE_FILTER}`).pluck();
  const advocateById = db.prepare(`SELECT ${ADVOCATE_COLUMNS} FROM advocates a WHERE a.brand_id = ? AND a.id = ?`);
  const referralPage = db.prepare(
    `SELECT ${REFERRAL_COLUMNS}
     FROM (SELECT c.id FROM ${REFERRAL_FROM} WHERE ${REFERRAL_FILTER} AND c.id < @before ORDER BY c.id DESC LIMIT @limit OFFSET @offset) p
     JOIN referral_codes c ON c.brand_id = @brandId AND c.id = p.id
     JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id
     ORDER BY c.id DESC`,
  );
  const referralCount = db.prepare(`SELECT count(*) FROM ${REFERRAL_FROM} WHERE ${REFERRAL_FILTER}`).pluck();
  const referralByCode = db.prepare(`SELECT ${REFERRAL_COLUMNS} FROM ${REFERRAL_FROM} WHERE c.brand_id = ? AND c.code = ?`);
  // Served by conversions_email: the customer's first referred order is the referral that brought them.
  const firstReferrerOf = db.prepare(
    `SELECT advocate_id FROM conversions WHERE brand_id = ? AND email = ? AND +advocate_id IS NOT NULL ORDER BY id LIMIT 1`,
  ).pluck();

  const advocateParams = (brandId: string, f: AdvocateFilter) => ({ brandId, status: f.status, tier: f.tier, search: containing(f.search) });
  const referralParams = (brandId: string, f: ReferralFilter) => ({ brandId, advocateId: f.advocateId, status: f.status, search: containing(f.search) });
  return {
    /** Newest first. */
    advocates: (brandId: string, f: AdvocateFilter, s: Slice) =>
      advocatePage.all({ ...advocateParams(brandId, f), ...window(s) }) as AdvocateStatsRow[],
    countAdvocates: (brandId: string, f: AdvocateFilter) => advocateCount.get(advocateParams(brandId, f)) as number,
    advocate: (brandId: string, id: number) => advocateById.get(brandId, id) as AdvocateStatsRow | undefined,
    /** Newest first. */
    referrals: (brandId: string, f: ReferralFilter, s: Slice) =>
      referralPage.all({ ...referralParams(brandId, f), ...window(s) }) as ReferralStatsRow[],
    countReferrals: (brandId: string, f: ReferralFilter) => referralCount.get(referralParams(brandId, f)) as number,
    /** `code` must already be normalised. */
    referral: (brandId: string, code: string) => referralByCode.get(brandId, code) as ReferralStatsRow | undefined,
    /** The advocate of the customer's first attributed conversion with the brand (`email` normalised). */
    firstReferrerOf: (brandId: string, email: string) => firstReferrerOf.get(brandId, email) as number | undefined,
  };
}
