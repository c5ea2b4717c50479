// Queries for conversions (paid orders) and the refunds recorded against them.
import type { Conn } from './port.ts';

export interface Conversion {
  id: number;
  brandId: string;
  orderId: string | null;
  email: string;
  claimId: number | null;
  advocateId: number | null;
  code: string | null;
  attribution: string | null;
  status: string;
  orderValueCents: number;
  discountAppliedCents: number;
  totalDiscountCents: number;
  paidCents: number;
  refundedCents: number;
  createdAt: string;
}

export interface NewConversion {
  brandId: string;
  orderId: string | null;
  email: string;
  name: string | null;
  visitorId: string | null;
  claimId: number | null;
  advocateId: number | null;
  code: string | null;
  attribution: string | null;
  status: string;
  orderValueCents: number;
  orderTotalCents: number | null;
  taxCents: number | null;
  shippingCents: number | null;
  discountCents: number | null;
  discountAppliedCents: number;
  totalDiscountCents: number;
  paidCents: number;
  referrerRewardPaidCents: number | null;
  refereeRewardPaidCents: number | null;
  discountType: string | null;
  discountValue: string | null;
  type: string;
  source: string | null;
  products: string | null;
  couponsApplied: string | null;
  metadata: string | null;
  createdAt: string;
}

export interface NewRefund {
  brandId: string;
  conversionId: number | null;
  claimId: number | null;
  refundId: string | null;
  amountCents: number;
  totalRefundedCents: number;
  isFullRefund: number;
  status: string;
  reason: string | null;
  source: string | null;
  metadata: string | null;
  createdAt: string;
}

export interface RefundRecord {
  conversionId: number | null;
  claimId: number | null;
  status: string;
  totalRefundedCents: number;
  amountCents: number;
}

/** A refund as a conversion's page lists it. */
export interface RefundSeen {
  id: number; refundId: string | null; amountCents: number; totalRefundedCents: number; isFullRefund: number;
  status: string; reason: string | null; source: string | null; createdAt: string;
}

const COLUMNS = `id, brand_id AS brandId, order_id AS orderId, email, claim_id AS claimId,
  advocate_id AS advocateId, code, attribution, status, order_value_cents AS orderValueCents,
  discount_applied_cents AS discountAppliedCents, total_discount_cents AS totalDiscountCents,
  paid_cents AS paidCents, refunded_cents AS refundedCents, created_at AS createdAt`;

export function createConversionQueries(db: Conn) {
  // Positional parameters: binding 29 named ones looks each name up on the object (measurably slower per conversion).
  const insert = db.prepare(
    `INSERT INTO conversions (brand_id, order_id, email, name, visitor_id, claim_id, advocate_id, code,
       attribution, status, order_value_cents, order_total_cents, tax_cents, shipping_cents, discount_cents,
       discount_applied_cents, total_discount_cents, paid_cents, referrer_reward_paid_cents,
       referee_reward_paid_cents, discount_type, discount_value, type, source, products, coupons_applied,
       metadata, created_at, campaign_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM conversions WHERE brand_id = ? AND id = ?`);
  const byOrderId = db.prepare(`SELECT ${COLUMNS} FROM conversions WHERE brand_id = ? AND order_id = ?`);
  const byClaimId = db.prepare(
    `SELECT ${COLUMNS} FROM conversions WHERE brand_id = ? AND claim_id = ? ORDER BY id DESC LIMIT 1`,
  );
  // `+advocate_id`: the lookup is by email (conversions_email); without the + the planner may walk the
  // brand's attributed conversions through conversions_brand_advocate instead, a cost that grows with them.
  const hasAttributed = db.prepare(
    `SELECT 1 FROM conversions WHERE brand_id = ? AND email = ? AND +advocate_id IS NOT NULL LIMIT 1`,
  { pluck: true });
  const setRefunded = db.prepare(
    `UPDATE conversions SET refunded_cents = ?, status = ? WHERE brand_id = ? AND id = ?`,
  );
  const insertRefund = db.prepare(
    `INSERT INTO refunds (brand_id, conversion_id, claim_id, refund_id, amount_cents, total_refunded_cents,
       is_full_refund, status, reason, source, metadata, created_at)
     VALUES (@brandId, @conversionId, @claimId, @refundId, @amountCents, @totalRefundedCents,
       @isFullRefund, @status, @reason, @source, @metadata, @createdAt)`,
  );
  const refundByRefundId = db.prepare(
    `SELECT conversion_id AS conversionId, claim_id AS claimId, status,
       total_refunded_cents AS totalRefundedCents, amount_cents AS amountCents
     FROM refunds WHERE brand_id = ? AND refund_id = ?`,
  );
  // ---- dashboard (a conversion's page): its refunds, oldest first; served by refunds_conversion (migration 011).
  const refundsOf = db.prepare(
    `SELECT id, refund_id AS refundId, amount_cents AS amountCents, total_refunded_cents AS totalRefundedCents,
       is_full_refund AS isFullRefund, status, reason, source, created_at AS createdAt
     FROM refunds WHERE brand_id = ? AND conversion_id = ? ORDER BY id`,
  );
  return {
    /** ---- dashboard: the refunds recorded against one conversion, oldest first. */
    refundsOf: async (brandId: string, conversionId: number) => await refundsOf.all(brandId, conversionId) as RefundSeen[],
    /**
     * `campaignId`: the attributing advocate's campaign as it is now, null when unattributed (migration 016: the
     * campaign the conversion counts for).
     */
    insert: async (c: NewConversion, campaignId: number | null): Promise<number> => Number((await insert.run(c.brandId, c.orderId, c.email,
      c.name, c.visitorId, c.claimId, c.advocateId, c.code, c.attribution, c.status, c.orderValueCents, c.orderTotalCents, c.taxCents,
      c.shippingCents, c.discountCents, c.discountAppliedCents, c.totalDiscountCents, c.paidCents, c.referrerRewardPaidCents,
      c.refereeRewardPaidCents, c.discountType, c.discountValue, c.type, c.source, c.products, c.couponsApplied, c.metadata, c.createdAt,
      campaignId)).lastInsertRowid),
    findById: async (brandId: string, id: number) => await byId.get(brandId, id) as Conversion | undefined,
    findByOrderId: async (brandId: string, orderId: string) => await byOrderId.get(brandId, orderId) as Conversion | undefined,
    findByClaimId: async (brandId: string, claimId: number) => await byClaimId.get(brandId, claimId) as Conversion | undefined,
    /** Whether this customer already converted through a referral with the brand. */
    hasAttributedConversion: async (brandId: string, email: string): Promise<boolean> => await hasAttributed.get(brandId, email) === 1,
    async setRefunded(brandId: string, id: number, refundedCents: number, status: string): Promise<void> {
      await setRefunded.run(refundedCents, status, brandId, id);
    },
    insertRefund: async (r: NewRefund): Promise<number> => Number((await insertRefund.run(r)).lastInsertRowid),
    findRefund: async (brandId: string, refundId: string) =>
      await refundByRefundId.get(brandId, refundId) as RefundRecord | undefined,
  };
}
