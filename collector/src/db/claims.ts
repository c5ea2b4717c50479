// Queries for claims (a customer taking a referral discount).
import type { Conn } from './port.ts';

export interface Claim {
  id: number;
  brandId: string;
  advocateId: number;
  code: string;
  email: string;
  status: string;
  rawValueCents: number | null;
  claimValueCents: number | null;
  discountAppliedCents: number;
  conversionId: number | null;
  createdAt: string;
}

export interface NewClaim {
  brandId: string;
  advocateId: number;
  code: string;
  email: string;
  name: string | null;
  phone: string | null;
  visitorId: string | null;
  orderId: string | null;
  type: string;
  source: string;
  rawValueCents: number | null;
  claimValueCents: number | null;
  discountAppliedCents: number;
  discountType: string | null;
  discountValue: string | null;
  products: string | null;
  couponsApplied: string | null;
  metadata: string | null;
  createdAt: string;
}

const COLUMNS = `id, brand_id AS brandId, advocate_id AS advocateId, code, email, status,
  raw_value_cents AS rawValueCents, claim_value_cents AS claimValueCents,
  discount_applied_cents AS discountAppliedCents, conversion_id AS conversionId, created_at AS createdAt`;

export function createClaimQueries(db: Conn) {
  const insert = db.prepare(
    `INSERT INTO claims (brand_id, advocate_id, code, email, name, phone, visitor_id, order_id, type, source,
       raw_value_cents, claim_value_cents, discount_applied_cents, discount_type, discount_value,
       products, coupons_applied, metadata, created_at, campaign_id)
     VALUES (@brandId, @advocateId, @code, @email, @name, @phone, @visitorId, @orderId, @type, @source,
       @rawValueCents, @claimValueCents, @discountAppliedCents, @discountType, @discountValue,
       @products, @couponsApplied, @metadata, @createdAt, @campaignId)`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM claims WHERE brand_id = ? AND id = ?`);
  const recentForCodeAndEmail = db.prepare(
    `SELECT ${COLUMNS} FROM claims WHERE brand_id = ? AND code = ? AND email = ? AND created_at >= ?
     ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const newestPending = db.prepare(
    `SELECT ${COLUMNS} FROM claims WHERE brand_id = ? AND email = ? AND status = 'pending' AND created_at >= ?
     ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const newestPendingForAdvocate = db.prepare(
    `SELECT ${COLUMNS} FROM claims
     WHERE brand_id = ? AND email = ? AND status = 'pending' AND advocate_id = ? AND created_at >= ?
     ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const markConverted = db.prepare(
    `UPDATE claims SET status = 'converted', conversion_id = ? WHERE brand_id = ? AND id = ?`,
  );
  const setStatus = db.prepare(`UPDATE claims SET status = ? WHERE brand_id = ? AND id = ?`);
  return {
    /** `campaignId`: the claim's advocate's campaign as it is now (migration 016: the campaign the claim counts for). */
    insert: async (c: NewClaim, campaignId: number | null): Promise<number> => Number((await insert.run({ ...c, campaignId })).lastInsertRowid),
    findById: async (brandId: string, id: number) => await byId.get(brandId, id) as Claim | undefined,
    findRecent: async (brandId: string, code: string, email: string, since: string) =>
      await recentForCodeAndEmail.get(brandId, code, email, since) as Claim | undefined,
    newestPending: async (brandId: string, email: string, since: string) =>
      await newestPending.get(brandId, email, since) as Claim | undefined,
    newestPendingForAdvocate: async (brandId: string, email: string, advocateId: number, since: string) =>
      await newestPendingForAdvocate.get(brandId, email, advocateId, since) as Claim | undefined,
    async markConverted(brandId: string, id: number, conversionId: number): Promise<void> {
      await markConverted.run(conversionId, brandId, id);
    },
    async setStatus(brandId: string, id: number, status: string): Promise<void> {
      await setStatus.run(status, brandId, id);
    },
  };
}
