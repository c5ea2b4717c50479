// 004_* (Refgrow)'s shapes of Referloop's answers: an advocate is an affiliate, a reward a commission, camelCase
// fields exactly as the document shows them, prefixed ids (errors.ts).
import type { advocateView } from '../../services/advocates.ts';
import type { CommissionView } from '../../services/commissions.ts';
import { prefixed, prefixedOrNull } from './errors.ts';

type Advocate = ReturnType<typeof advocateView>;

/** Two decimal amounts added without a float's tail (350.25 + 0.1). */
const plus = (a: number, b: number): number => Math.round((a + b) * 100) / 100;

/**
 * An affiliate as GET /affiliates lists it. 004_* knows no "approved, not yet paid": pendingEarnings is every
 * earning not paid yet (our pending and approved), so totalEarnings = pendingEarnings + paidEarnings as its example
 * shows (less what refunds clawed back).
 */
export const affiliateListView = (a: Advocate) => ({
  id: prefixed('aff', a.id),
  email: a.email,
  name: a.name,
  status: a.status,
  createdAt: a.created_at,
  totalEarnings: a.total_earnings,
  pendingEarnings: plus(a.pending_earnings, a.approved_earnings),
  paidEarnings: a.paid_earnings,
  conversionRate: a.conversion_rate,
  clickCount: a.click_count,
  conversionCount: a.conversion_count,
});

/** GET /affiliates/:id: the list's fields, its referral code and how it is paid. */
export const affiliateView = (a: Advocate) => ({
  ...affiliateListView(a),
  referralCode: a.referral_code,
  paymentMethod: a.payment_method,
  paymentDetails: a.payment_details,
});

/** POST /affiliates' answer. */
export const createdAffiliateView = (a: Advocate) => ({
  id: prefixed('aff', a.id),
  email: a.email,
  name: a.name,
  status: a.status,
  createdAt: a.created_at,
  referralCode: a.referral_code,
});

/** A commission as GET /commissions lists it; `conversionId` (not in 004_*) links it to /referrals/convert's answer. */
export const commissionListView = (c: CommissionView) => ({
  id: prefixed('comm', c.id),
  affiliateId: prefixed('aff', c.advocate_id),
  conversionId: prefixedOrNull('conv', c.conversion_id),
  orderId: c.order_id,
  amount: c.amount,
  status: c.status,
  createdAt: c.created_at,
  paidAt: c.paid_at,
  conversionAmount: c.conversion_amount,
});

/** PUT /commissions/:id/status's answer: the list's fields and updatedAt. */
export const commissionView = (c: CommissionView) => {
  const { paidAt, conversionAmount, ...head } = commissionListView(c);
  return { ...head, updatedAt: c.updated_at, paidAt, conversionAmount };
};
