// Queries for referral records (003_*): each commission is one record, read with what its conversion, its referred
// advocate or its operator's entry says about the referral.
import { keysetList, type ScannedPage, type Slice } from './keyset.ts';
import type { Conn } from './port.ts';
import { rewardListSql, type RewardAction, type RewardFilters, type RewardStatus } from './rewards.ts';

export interface RecordRow {
  id: number;
  uuid: string;
  campaignId: number;
  advocateId: number;
  conversionId: number | null;
  action: RewardAction;
  qualifiedAmount: number | null;
  level: 1 | 2;
  kind: 'cash' | 'points';
  amount: number;
  status: RewardStatus;
  availableAt: string;
  createdAt: string;
  origin: 'tracked' | 'entered';
  orderId: string | null;
  /** '' or 'erased:…' once erased: the view shows none */
  referredEmail: string | null;
  referredAdvocateId: number | null;
  shortCode: string | null;
  incentiveUsed: string | null;
  incentiveType: 'code' | 'coupon' | null;
  incentiveCents: number | null;
}

// A tracked purchase's referred customer, order, code and incentive are its conversion's (the referee's discount:
// the referral code when a discount came with it, a coupon when it came through a claim); an enrolment's customer is
// the new advocate; an entered record's are its own columns. The referred customer is an advocate when one has their
// email (a probe of the brand + email key per row).
const RECORD_COLUMNS = `r.id, r.uuid, r.campaign_id AS campaignId, r.advocate_id AS advocateId, r.conversion_id AS conversionId,
  r.action, r.qualified_amount AS qualifiedAmount, r.level, r.kind, r.amount, r.status, r.available_at AS availableAt,
  r.created_at AS createdAt, r.origin, coalesce(c.order_id, r.order_id) AS orderId,
  coalesce(c.email, ra.email, r.referred_email) AS referredEmail,
  coalesce(r.referred_advocate_id,
    (SELECT ca.id FROM advocates ca WHERE ca.brand_id = r.brand_id AND ca.email = coalesce(c.email, r.referred_email))) AS referredAdvocateId,
  coalesce(r.short_code, c.code) AS shortCode,
  CASE WHEN r.origin = 'entered' THEN r.incentive_used WHEN c.discount_applied_cents > 0 THEN c.code END AS incentiveUsed,
  CASE WHEN r.origin = 'entered' THEN r.incentive_type
    WHEN c.discount_applied_cents > 0 THEN CASE WHEN c.claim_id IS NULL THEN 'code' ELSE 'coupon' END END AS incentiveType,
  CASE WHEN r.origin = 'entered' THEN r.incentive_cents WHEN c.discount_applied_cents > 0 THEN c.discount_applied_cents END AS incentiveCents`;

const RECORD_FROM = `FROM rewards r
  LEFT JOIN conversions c ON c.brand_id = r.brand_id AND c.id = r.conversion_id
  LEFT JOIN advocates ra ON ra.brand_id = r.brand_id AND ra.id = r.referred_advocate_id`;

export function createReferralRecordQueries(db: Conn) {
  const byUuid = db.prepare(`SELECT ${RECORD_COLUMNS} ${RECORD_FROM} WHERE r.brand_id = ? AND r.uuid = ?`);
  const byId = db.prepare(`SELECT ${RECORD_COLUMNS} ${RECORD_FROM} WHERE r.brand_id = ? AND r.id = ?`);
  const lists = keysetList<RecordRow>(db);
  // A customer known by email: their first record, an entered one's or a tracked purchase's (each by its own index).
  const firstOfEmail = db.prepare(`SELECT min(id) FROM (
    SELECT er.id FROM rewards er WHERE er.brand_id = ? AND er.referred_email = ?
    UNION ALL SELECT cr.id FROM rewards cr WHERE cr.brand_id = ?
      AND cr.conversion_id IN (SELECT ce.id FROM conversions ce WHERE ce.brand_id = ? AND ce.email = ?)) AS ids`, { pluck: true });
  return {
    /** The id of the first record whose referred customer has this email (the Reverb adapter's customer), if any. */
    firstOfCustomer: async (brandId: string, email: string): Promise<number | null> => {
      const id = await firstOfEmail.get(brandId, email, brandId, brandId, email);
      return id === null || id === undefined ? null : Number(id);
    },
    findByUuid: async (brandId: string, uuid: string) => await byUuid.get(brandId, uuid) as RecordRow | undefined,
    /** The record of one commission. */
    findById: async (brandId: string, id: number) => await byId.get(brandId, id) as RecordRow | undefined,
    /** A list page, newest first (db/keyset.ts `page`), by the commissions' filters and walks. */
    async page(brandId: string, filters: RewardFilters, slice: Slice): Promise<ScannedPage<RecordRow>> {
      const { sql, params } = rewardListSql(filters, RECORD_COLUMNS, RECORD_FROM);
      return lists.page(sql, { ...params, brandId }, slice);
    },
    async total(brandId: string, filters: RewardFilters): Promise<number> {
      const { sql, params } = rewardListSql(filters, RECORD_COLUMNS, RECORD_FROM);
      return lists.total(sql, { ...params, brandId });
    },
  };
}
