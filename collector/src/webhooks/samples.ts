// A realistic sample of each event's data (GET /api/v1/hooks/sample/:event for Zapier, and "send a test event"): made
// by the very view functions the events' data is made by, from made-up rows, so a sample has the real event's fields.
import type { ReferralCode } from '../db/advocates.ts';
import type { AdvocateStatsRow, ReferralStatsRow } from '../db/advocateStats.ts';
import type { PointsTransaction } from '../db/points.ts';
import type { ClaimRecord, ConversionRecord, VisitRecord } from '../db/records.ts';
import type { Reward, RewardDetail } from '../db/rewards.ts';
import { advocateView } from '../services/advocates.ts';
import { commissionView } from '../services/commissions.ts';
import type { Ctx } from '../services/context.ts';
import { pointsTransactionView } from '../services/points.ts';
import { claimView, conversionDetailView, visitView } from '../services/records.ts';
import { referralView } from '../services/referralCodes.ts';
import type { EventType } from './events.ts';
import type { Campaign } from '../db/campaigns.ts';
import { campaignView } from '../services/campaigns.ts';
import type { RecordRow } from '../db/referralRecords.ts';
import { recordView } from '../services/referralRecords.ts';
import { shareView } from '../services/shares.ts';
import type { Redemption } from '../db/redemptions.ts';
import { redemptionView } from '../services/catalogue.ts';
import type { Testimonial } from '../db/testimonials.ts';
import { testimonialView } from '../services/testimonials.ts';
import type { Idea } from '../db/feedback.ts';
import { ideaView } from '../services/feedback.ts';
import { completionView, questCompletionView } from '../services/quests.ts';

const AT = '2026-03-02T14:05:09.123Z';
const DUE = '2026-04-01T14:05:09.123Z';
const ADVOCATE_ID = 42;
const CAMPAIGN_ID = 1;
const CODE = 'JANEDO3F9A1C';

const code: ReferralCode = { id: 57, advocateId: ADVOCATE_ID, code: CODE, status: 'active', clickCount: 18, createdAt: AT, deactivatedAt: null };

const advocateRow: AdvocateStatsRow = {
  id: ADVOCATE_ID, email: 'jane.doe@example.com', name: 'Jane Doe', status: 'active', tier: 'gold',
  metadata: JSON.stringify({ crm_id: 'C-1042' }), referredBy: null, paymentMethod: 'paypal', paymentDetails: 'jane.doe@example.com', campaignId: CAMPAIGN_ID,
  pointsBalance: 250, createdAt: AT, updatedAt: AT, primaryCode: CODE, codes: JSON.stringify([CODE]), clickCount: 18,
  conversionCount: 3, pendingCents: 1500, approvedCents: 3000, paidCents: 4500, clawedBackCents: 0, clawbackDueCents: 0,
};

const referralRow: ReferralStatsRow = {
  id: code.id, code: CODE, advocateId: ADVOCATE_ID, advocateName: 'Jane Doe', status: 'active', clicks: 18, conversions: 3,
  grossCents: 45000, revenueCents: 45000, createdAt: AT, deactivatedAt: null,
};

const visit: VisitRecord = {
  id: 90125, visitorId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', code: CODE, advocateId: ADVOCATE_ID, shareChannel: 'email',
  landingPage: 'https://shop.example.com/?ref=JANEDO3F9A1C', referrer: 'https://mail.example.com/', utmSource: 'email',
  utmMedium: 'referral', utmCampaign: 'spring', utmTerm: null, utmContent: null, createdAt: AT,
};

const claim: ClaimRecord = {
  id: 3180, advocateId: ADVOCATE_ID, code: CODE, email: 'sam.buyer@example.com', name: 'Sam Buyer', phone: null,
  visitorId: visit.visitorId, orderId: null, type: 'referral', source: 'api', rawValueCents: 15000, claimValueCents: 13500,
  discountAppliedCents: 1500, discountType: null, discountValue: null, products: null, couponsApplied: null, metadata: null,
  createdAt: AT, status: 'pending', conversionId: null,
};

const conversion: ConversionRecord = {
  id: 2077, orderId: 'ORDER-10482', email: 'sam.buyer@example.com', name: 'Sam Buyer', visitorId: visit.visitorId,
  claimId: claim.id, advocateId: ADVOCATE_ID, code: CODE, attribution: 'claim_id', status: 'completed', orderValueCents: 13500,
  orderTotalCents: 14850, taxCents: 1350, shippingCents: 0, discountCents: 1500, discountAppliedCents: 1500,
  totalDiscountCents: 1500, paidCents: 14850, referrerRewardPaidCents: null, refereeRewardPaidCents: null,
  discountType: null, discountValue: null, type: 'referral', source: 'shopify', products: null, couponsApplied: null,
  metadata: null, createdAt: AT, refundedCents: 0,
};

const reward: Reward = {
  id: 1893, uuid: '0b6f3c2e-5d1a-4c8e-9f3b-2a7d6e1c4b90', advocateId: ADVOCATE_ID, conversionId: conversion.id, action: 1, qualifiedAmount: null,
  referredAdvocateId: null, level: 1, campaignId: CAMPAIGN_ID, kind: 'cash', originalAmount: 1350, amount: 1350,
  clawedBack: 0, clawbackRecovered: 0, status: 'pending', reason: null, availableAt: DUE, approvedAt: null, paidAt: null,
  createdAt: AT, updatedAt: AT,
};

const detail = (r: Partial<Reward>): RewardDetail => ({
  ...reward, ...r, orderId: conversion.orderId, conversionAmount: conversion.orderValueCents, advocateName: 'Jane Doe',
  advocateEmail: 'jane.doe@example.com',
});

const campaign: Campaign = {
  id: CAMPAIGN_ID + 1, brandId: 'sample', name: 'Partners 20%', status: 'active', signup: 'approval', attributionWindowDays: 60, refereeDiscountType: 'percentage',
  refereeDiscountValue: 1500, referrerRewardType: 'percentage', referrerRewardValue: 2000, coolingPeriodDays: 14, level2RewardType: 'none',
  level2RewardValue: 0, enrolmentRewardType: 'fixed', enrolmentRewardValue: 500, clicksRewardType: 'points', clicksRewardValue: 100,
  clicksThreshold: 100, clicksRewardRepeats: false, sharesRewardType: 'none', sharesRewardValue: 0, sharesThreshold: 10,
  sharesRewardRepeats: false, createdAt: AT, updatedAt: AT,
};

const record: RecordRow = {
  id: reward.id, uuid: reward.uuid, campaignId: CAMPAIGN_ID, advocateId: ADVOCATE_ID, conversionId: conversion.id, action: 1, qualifiedAmount: null,
  level: 1, kind: 'cash', amount: 1350, status: 'pending', availableAt: DUE, createdAt: AT, origin: 'tracked', orderId: conversion.orderId,
  referredEmail: conversion.email, referredAdvocateId: null, shortCode: CODE, incentiveUsed: CODE, incentiveType: 'code', incentiveCents: 1500,
};

const points: PointsTransaction = {
  id: 711, advocateId: ADVOCATE_ID, type: 'award', amount: 50, balanceAfter: 250, description: 'Review bonus', rewardId: null, createdAt: AT,
};

const redemption: Redemption = {
  id: 318, catalogueRewardId: 7, advocateId: ADVOCATE_ID, pointsCost: 200, status: 'pending', fulfilment: null, cancelReason: null,
  pointsTransactionId: 712, refundTransactionId: null, createdAt: AT, updatedAt: AT, fulfilledAt: null, cancelledAt: null, questId: null,
};

const testimonial: Testimonial = {
  id: 264, advocateId: null, name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already, and my sister too.',
  product: 'Trail runner', status: 'pending', source: 'browser', createdAt: AT, updatedAt: AT, moderatedAt: null,
};

const idea: Idea = {
  id: 88, boardId: 3, advocateId: ADVOCATE_ID, title: 'Share links for WhatsApp', body: 'One tap to send my link to a chat.', status: 'open',
  voteCount: 0, createdAt: AT, updatedAt: AT, statusChangedAt: null,
};

/** The sample data of `type`, for the brand of `ctx` (its currency). */
export function sampleEvent(type: EventType, ctx: Ctx): unknown {
  switch (type) {
    case 'advocate.created': return advocateView({ ...advocateRow, pendingCents: 0, approvedCents: 0, paidCents: 0, pointsBalance: 0, clickCount: 0, conversionCount: 0 }, ctx.brand.currency, [{ ...code, clickCount: 0 }]);
    case 'advocate.updated': return advocateView({ ...advocateRow, tier: 'platinum', updatedAt: DUE }, ctx.brand.currency, [code]);
    case 'advocate.signed_up': return advocateView({ ...advocateRow, status: 'pending', campaignId: campaign.id, pendingCents: 0, approvedCents: 0, paidCents: 0, pointsBalance: 0, clickCount: 0, conversionCount: 0 }, ctx.brand.currency, [{ ...code, clickCount: 0 }]);
    case 'advocate.recognized': return { advocate_id: 42, external_customer_id: 'cus_8f2k1', mapping_id: 17, enrolled: false, expires_at: DUE };
    case 'referral_code.created': return referralView({ ...referralRow, clicks: 0, conversions: 0, grossCents: 0, revenueCents: 0 }, ctx.brand.currency);
    case 'visit.created': return visitView(visit);
    case 'claim.created': return claimView(ctx, claim);
    case 'conversion.created': return conversionDetailView(ctx, conversion, [reward]);
    case 'conversion.refunded':
      return conversionDetailView(ctx, { ...conversion, status: 'refunded', refundedCents: conversion.paidCents }, [
        { ...reward, amount: 0, status: 'reversed', updatedAt: DUE },
      ]);
    case 'commission.created': return commissionView(ctx, detail({}));
    case 'commission.approved': return commissionView(ctx, detail({ status: 'approved', approvedAt: DUE, updatedAt: DUE }));
    case 'commission.paid': return commissionView(ctx, detail({ status: 'paid', approvedAt: DUE, paidAt: DUE, updatedAt: DUE }));
    case 'commission.rejected': return commissionView(ctx, detail({ status: 'rejected', reason: 'self_referral', updatedAt: DUE }));
    case 'commission.clawed_back': return commissionView(ctx, detail({ status: 'paid', approvedAt: DUE, paidAt: DUE, clawedBack: 1350, updatedAt: DUE }));
    case 'payout.created': {
      const paid = commissionView(ctx, detail({ status: 'paid', approvedAt: DUE, paidAt: DUE, updatedAt: DUE }));
      return { paid: [paid], recovered: [], total: paid.amount, currency: ctx.brand.currency };
    }
    case 'points.transaction.created': return pointsTransactionView(points);
    case 'campaign.created': return campaignView(ctx, campaign, 0);
    case 'campaign.updated': return campaignView(ctx, { ...campaign, referrerRewardValue: 2500, updatedAt: DUE }, 12);
    case 'share.created': return shareView({ id: 3071, advocateId: ADVOCATE_ID, code: CODE, channel: 'whatsapp', campaignId: CAMPAIGN_ID, createdAt: AT });
    case 'referral_record.created': return recordView(ctx, record);
    case 'reward.redeemed': return redemptionView(redemption);
    case 'redemption.fulfilled': return redemptionView({ ...redemption, status: 'fulfilled', fulfilment: 'GIFT-7Q2M-XK4D', fulfilledAt: DUE, updatedAt: DUE });
    case 'redemption.cancelled':
      return redemptionView({ ...redemption, status: 'cancelled', cancelReason: 'Ordered by mistake', refundTransactionId: 713, cancelledAt: DUE, updatedAt: DUE });
    case 'testimonial.created': return testimonialView(testimonial);
    case 'testimonial.approved': return testimonialView({ ...testimonial, status: 'approved', moderatedAt: DUE, updatedAt: DUE });
    case 'idea.created': return ideaView(idea);
    case 'idea.status_changed':
      return { ...ideaView({ ...idea, status: 'planned', voteCount: 37, statusChangedAt: DUE, updatedAt: DUE }), previous_status: 'open' };
    case 'quest.task_completed':
      return completionView({ id: 905, questId: 12, taskId: 41, advocateId: ADVOCATE_ID, pointsAwarded: 25, pointsTransactionId: 714, createdAt: AT });
    case 'quest.completed':
      return questCompletionView({ id: 77, questId: 12, advocateId: ADVOCATE_ID, taskCompletionId: 905, rewardPoints: 0, pointsTransactionId: null, createdAt: AT,
        catalogueRewardId: 7, redemptionId: 319, rewardNotGranted: null });
  }
}
