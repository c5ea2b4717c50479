// Every operation of the HTTP API, as the OpenAPI document (openapi/document.ts) describes it: its request schemas
// are the ones the routes parse with (schemas/*.ts), its answers the answer schemas (schemas/answers/*.ts). The
// route ↔ document test fails when a route is missing here or an operation here has no route.
//
// Each operation's example is a request that succeeds on a fresh collector whose brand has the advocates V2AVMRDJ
// (id 1), TESTCODE (2) and JOHN123 (3), when the examples run in this order with every DELETE after the rest (the
// contract test does exactly that): so the list is also a walk through the product.
import { z } from 'zod';
import { zAddCodeRequest, zAdvocateListQuery, zCodeStatusRequest, zCreateAdvocateRequest, zPageQuery, zPointsRequest, zReferralListQuery, zUpdateAdvocateRequest } from '../schemas/advocates.ts';
import { zCreateCampaignRequest, zUpdateCampaignRequest } from '../schemas/campaigns.ts';
import {
  zCancelRedemptionRequest, zCatalogueListQuery, zCreateCatalogueRewardRequest, zFulfilRequest, zRedeemRequest, zRedemptionListQuery,
  zUpdateCatalogueRewardRequest,
} from '../schemas/catalogue.ts';
import { zCommissionExportQuery, zCommissionListQuery, zCommissionStatusRequest, zPayoutRequest } from '../schemas/commissions.ts';
import { zNoFields } from '../schemas/common.ts';
import { zConvertRequest } from '../schemas/convert.ts';
import { zPersonQuery } from '../schemas/people.ts';
import { zClaimListQuery, zConversionExportQuery, zConversionListQuery, zVisitListQuery } from '../schemas/records.ts';
import { zSettingsPatch } from '../schemas/settings.ts';
import { zCreateReferralRecordRequest, zReferralRecordListQuery } from '../schemas/referralRecords.ts';
import { zCheckEligibilityRequest, zClaimRequest, zConversionRequest, zRefundRequest, zShareRequest, zVisitRequest } from '../schemas/track.ts';
import { zReferralConvertRequest, zReferralTrackRequest } from '../schemas/track.ts';
import { zCompleteTaskRequest, zCreateQuestRequest, zQuestListQuery, zQuestQuery, zUpdateQuestRequest } from '../schemas/quests.ts';
import { zQuest, zQuestDetail, zReferralConverted, zReferralTracked, zTaskCompleted } from '../schemas/answers/quests.ts';
import { zCreateWebhookRequest, zDeliveryListQuery, zHookSubscribeRequest, zTestEventRequest, zUpdateWebhookRequest, zWebhookListQuery } from '../schemas/webhooks.ts';
import { zAdvocate, zAdvocateListItem, zPointsLedger, zPointsRecorded, zReferral, zReferralStats } from '../schemas/answers/advocates.ts';
import { zCampaign } from '../schemas/answers/campaigns.ts';
import { zCatalogueReward, zRedeemed, zRedemption } from '../schemas/answers/catalogue.ts';
import { zCreateTestimonialRequest, zModerateTestimonialRequest, zPublicTestimonialQuery, zTestimonialListQuery } from '../schemas/testimonials.ts';
import { zPublicTestimonial, zTestimonial } from '../schemas/answers/testimonials.ts';
import { zCreateBoardRequest, zCreateIdeaRequest, zIdeaListQuery, zIdeaStatusRequest, zVoteRequest } from '../schemas/feedback.ts';
import { zBoard, zIdea, zUnvoted, zVoted } from '../schemas/answers/feedback.ts';
import { zCreateMappingRequest, zMappingListQuery, zRecognizeRequest } from '../schemas/sso.ts';
import { zMappingDeleted, zRecognized, zSsoMapping, zSsoSession } from '../schemas/answers/sso.ts';
import { zPortalLink } from '../schemas/answers/portal.ts';
import { zReferrerQuery } from '../schemas/widget.ts';
import { zReferrer, zSessionAdvocate } from '../schemas/answers/widget.ts';
import { zReferralRecord, zShare } from '../schemas/answers/referralRecords.ts';
import { zApproveDueAnswer, zCommission, zCommissionDetail, zPayout, zPayoutRecorded } from '../schemas/answers/commissions.ts';
import { listOf, named, zHealth } from '../schemas/answers/common.ts';
import { zErasure, zPersonExport } from '../schemas/answers/people.ts';
import { zClaim, zConversion, zConversionDetail, zVisit } from '../schemas/answers/records.ts';
import { zSettings } from '../schemas/answers/settings.ts';
import { zClaimAnswer, zConversionAnswer, zConvertAnswer, zEligibilityAnswer, zRefundAnswer, zVisitAnswer } from '../schemas/answers/track.ts';
import {
  zDelivery, zDeliveryDetail, zDeletedWebhookEndpoint, zHookSubscription, zHookUnsubscribed, zWebhookEndpoint,
  zWebhookEndpointWithSecret, zHookSample,
} from '../schemas/answers/webhooks.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: `secret`, the brand's secret key (X-API-Key + X-Brand-ID, or Bearer); `browser`, the secret key or
 * a publishable key from one of the brand's origins (the tracker's endpoints); `signed`, an HMAC of the body made
 * with a secret key (/convert); `none`.
 */
/** `sso`: the body is signed with a secret key (POST /sso/recognize); `session`: a session token from it as a Bearer. */
export type Auth = 'secret' | 'browser' | 'signed' | 'sso' | 'session' | 'none';

export const TAGS = {
  Tracking: 'What the site and its backend report: visits, claims, conversions, refunds (000_*, 001_*).',
  Advocates: 'The people who refer, their codes and their points.',
  Referrals: 'Every referral code and its figures.',
  Commissions: "Advocates' rewards: their lifecycle, approval and export.",
  Payouts: 'What to pay now, and recording a payment.',
  Records: 'Visits, claims and conversions as recorded.',
  Settings: "The brand's programme: its own fields, and its default campaign's rules.",
  Campaigns: "Sets of programme rules side by side (003_*): each advocate's referrals follow their campaign's.",
  'Rewards catalogue': 'What advocates spend points on (002_*\'s rewards), and its redemptions: not the commissions they earn.',
  'Single sign-on': 'A site recognises its logged-in customer as an advocate (002_*\'s SSO): a signed recognition, a short-lived session token, the customer mappings.',
  Quests: "Tasks advocates complete for points, and a reward in points or from the catalogue for completing them all (002_*'s quests).",
  Testimonials: "Ratings and texts by advocates or customers (002_*'s testimonials), pending until moderated; the approved ones for a site's pages.",
  Feedback: "Feedback boards (002_*'s): ideas advocates post, one vote per advocate and idea, each idea's status.",
  'Referral records': 'Who referred whom, for which action, with which reward and incentive (003_*): one record per commission.',
  People: "A person's data on request, and its erasure.",
  Webhooks: 'Outgoing webhooks: endpoints, deliveries, Zapier REST Hooks.',
  System: 'The collector itself.',
} as const;
export type Tag = keyof typeof TAGS;

/** A success answer: JSON in the {success, data} envelope (the default), JSON as it is (`bare`), or CSV. */
export type Answer =
  | { description: string; data: z.ZodType }
  | { description: string; bare: z.ZodType }
  | { description: string; csv: true };

/** The request an example sends: path parameters, query string, JSON body. */
export interface Example {
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface Operation {
  method: Method;
  /** OpenAPI's spelling: {id} where Express has :id */
  path: string;
  id: string;
  tag: Tag;
  summary: string;
  description?: string;
  auth: Auth;
  /** the query string's schema (an object: each field is a parameter) */
  query?: z.ZodType<unknown, Record<string, unknown>>;
  body?: z.ZodType;
  /** the operation's own answers by status: its successes, and an answer of its own where it has one (/healthz's 503) */
  answers: Record<number, Answer>;
  /** error statuses beyond those of every operation of its kind (400 for a bad field, 401/403, 429, 503) */
  errors?: number[];
  /** the write takes an Idempotency-Key (a repeat with the same key and body answers the first answer again) */
  idempotent?: boolean;
  example: Example;
}

const API = '/api/v1';
const data = (description: string, schema: z.ZodType): Answer => ({ description, data: schema });

// The seeds' own payloads (000_* and 001_*): what real clients send.
const SHOPIFY_PRODUCTS = [
  { name: 'Classic T-Shirt', price: 29.99, quantity: 1, sku: 'TSH-001' },
  { name: 'Canvas Tote', price: 27.01, quantity: 1, sku: 'BAG-010' },
];

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get', path: '/healthz', id: 'health', tag: 'System', auth: 'none', summary: 'Whether the collector and its database answer',
    answers: { 200: { description: 'Up', bare: zHealth }, 503: { description: 'The database does not answer, or its file was replaced', bare: zHealth } },
    example: {},
  },
  // ---- Tracking
  {
    method: 'post', path: `${API}/track/visit`, id: 'trackVisit', tag: 'Tracking', auth: 'browser', body: zVisitRequest, idempotent: true,
    summary: 'Record a visit through a referral link',
    description: 'The tracker (al.js) calls it when a page opens with ?ref=CODE; a backend may too. Also accepted as a text/plain body '
      + 'carrying `key` and `brand_id` (no preflight). Sets the visitor cookies when the caller is the tracker.',
    answers: { 200: data('The visit, or the visitor it was counted for', zVisitAnswer) },
    errors: [404], example: { body: { referral_code: 'V2AVMRDJ', landing_page: 'https://yourstore.com/?ref=V2AVMRDJ' } },
  },
  {
    method: 'post', path: `${API}/track/share`, id: 'trackShare', tag: 'Tracking', auth: 'browser', body: zShareRequest, idempotent: true,
    summary: 'Record that an advocate shared their link on a channel (counted on the code like a click)',
    description: 'From the widget (publishable key) or a backend (secret key); limited per IP like a visit. A campaign with a shares '
      + 'reward earns it when the advocate\'s shares over all their codes reach its threshold.',
    answers: { 201: data('The share', named('share', zShare)) },
    errors: [404], example: { body: { referral_code: 'V2AVMRDJ', channel: 'whatsapp' } },
  },
  {
    method: 'post', path: `${API}/track/check-eligibility`, id: 'checkEligibility', tag: 'Tracking', auth: 'browser', body: zCheckEligibilityRequest, idempotent: true,
    summary: 'Whether a customer may use a referral code (before showing the discount)',
    answers: { 200: { description: 'The verdict and the discount', bare: zEligibilityAnswer } },
    example: { body: { referral_code: 'V2AVMRDJ', email: 'buyer@example.com' } },
  },
  {
    method: 'get', path: `${API}/track/referrer`, id: 'getReferrer', tag: 'Tracking', auth: 'browser', query: zReferrerQuery,
    summary: "Who referred the visitor holding a code (first name only) and the referee discount of that advocate's campaign",
    description: 'The site widget (widget.js) reads it for the code in the al_code cookie, with the publishable key from one of the brand\'s origins '
      + '(X-API-Key and X-Brand-ID headers: a GET needs no body; a preflight is answered like track/*), limited like a visit per client IP '
      + '(REFERLOOP_RATE_LIMIT_VISIT), or with the secret key. An unknown, inactive or other brand\'s code: 404, naming nothing. Writes nothing.',
    answers: { 200: data('The referrer and the offer', zReferrer) }, errors: [404], example: { query: { code: 'TESTCODE' } },
  },
  {
    method: 'post', path: `${API}/track/claim`, id: 'trackClaim', tag: 'Tracking', auth: 'browser', body: zClaimRequest, idempotent: true,
    summary: 'Record that a customer claimed the referral discount (premier plan)',
    answers: { 201: data('The claim and the discount applied', zClaimAnswer) }, errors: [404, 409],
    example: {
      body: {
        referral_code: 'V2AVMRDJ', customer_email: 'buyer@example.com', order_id: 'ORD-12345', raw_value: 57.00,
        coupons_applied: [{ code: 'V2AVMRDJ', discount_amount: 5.70 }], products: SHOPIFY_PRODUCTS,
      },
    },
  },
  {
    method: 'post', path: `${API}/convert`, id: 'convert', tag: 'Tracking', auth: 'signed', body: zConvertRequest, idempotent: true,
    summary: 'Record a claim from a signed webhook (Zapier, Make, n8n; premier plan)',
    description: 'Signed with one of the brand\'s secret keys: `X-AL-Signature` is the hex HMAC-SHA256 of `<X-AL-Timestamp>.<raw body>` '
      + '(or of the raw body alone, without a timestamp), with `X-Brand-ID`.',
    answers: { 201: data('The claim', zConvertAnswer) }, errors: [404, 409],
    example: { body: { referral_code: 'V2AVMRDJ', email: 'booker@example.com', value: 99.00 } },
  },
  {
    method: 'post', path: `${API}/track/conversion`, id: 'trackConversion', tag: 'Tracking', auth: 'secret', body: zConversionRequest, idempotent: true,
    summary: 'Record a paid order, attribute it and credit the advocate',
    description: 'An order already recorded answers 200 with `duplicate: true` and the first record.',
    answers: {
      201: data('The conversion, its attribution and its rewards', zConversionAnswer),
      200: data('This order was recorded before: the first record, with duplicate: true', zConversionAnswer),
    },
    errors: [409],
    example: {
      body: {
        customer_email: 'buyer@example.com', order_id: 'ORD-12345', order_value: 51.30,
        coupons_applied: [{ code: 'V2AVMRDJ', discount_amount: 5.70 }], products: SHOPIFY_PRODUCTS,
      },
    },
  },
  // ---- Advocates
  {
    method: 'get', path: `${API}/advocates`, id: 'listAdvocates', tag: 'Advocates', auth: 'secret', query: zAdvocateListQuery,
    summary: 'List advocates, newest first', answers: { 200: data('A page of advocates', listOf('advocates', zAdvocateListItem)) },
    example: { query: { limit: '2', total: 'true' } },
  },
  {
    method: 'post', path: `${API}/advocates`, id: 'createAdvocate', tag: 'Advocates', auth: 'secret', body: zCreateAdvocateRequest, idempotent: true,
    summary: 'Create an advocate and their referral code', answers: { 201: data('The advocate', named('advocate', zAdvocate)) }, errors: [409],
    example: { body: { email: 'jane@example.com', name: 'Jane Doe', referral_code: 'JANE2026', referred_by: 1, metadata: { source: 'newsletter' } } },
  },
  {
    method: 'get', path: `${API}/advocates/{id}`, id: 'getAdvocate', tag: 'Advocates', auth: 'secret',
    summary: 'One advocate, with their codes and figures', answers: { 200: data('The advocate', named('advocate', zAdvocate)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'patch', path: `${API}/advocates/{id}`, id: 'updateAdvocate', tag: 'Advocates', auth: 'secret', body: zUpdateAdvocateRequest, idempotent: true,
    summary: 'Change an advocate (only the fields given)', answers: { 200: data('The advocate', named('advocate', zAdvocate)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { tier: 'gold', payment_method: 'paypal', payment_details: 'sarah@advocate.example' } },
  },
  {
    method: 'post', path: `${API}/advocates/{id}/codes`, id: 'addCode', tag: 'Advocates', auth: 'secret', body: zAddCodeRequest, idempotent: true,
    summary: 'Give an advocate another referral code (generated when none is given)',
    answers: { 201: data('The new code', named('referral', zReferral)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { code: 'SARAH-SUMMER' } },
  },
  {
    method: 'post', path: `${API}/advocates/{id}/points`, id: 'recordPoints', tag: 'Advocates', auth: 'secret', body: zPointsRequest, idempotent: true,
    summary: 'Award or deduct points (002_*)', answers: { 200: data('The transaction and the new balance', zPointsRecorded) }, errors: [404],
    example: { params: { id: 1 }, body: { amount: 100, description: 'Wrote a review', type: 'award' } },
  },
  {
    method: 'get', path: `${API}/advocates/{id}/points`, id: 'pointsLedger', tag: 'Advocates', auth: 'secret', query: zPageQuery,
    summary: "An advocate's points balance and transactions", answers: { 200: data('The balance and a page of transactions', zPointsLedger) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'post', path: `${API}/advocates/{id}/portal-link`, id: 'createPortalLink', tag: 'Advocates', auth: 'secret', body: zNoFields, idempotent: true,
    summary: "A single-use link into the advocate's portal, valid for an hour",
    answers: { 201: data('The link (shown once: only its hash is kept)', zPortalLink) }, errors: [403, 404],
    example: { params: { id: 1 }, body: {} },
  },
  // ---- Referrals
  {
    method: 'get', path: `${API}/referrals`, id: 'listReferrals', tag: 'Referrals', auth: 'secret', query: zReferralListQuery,
    summary: 'List referral codes with their figures', answers: { 200: data('A page of referral codes', listOf('referrals', zReferral)) },
    example: { query: { advocate_id: '1' } },
  },
  {
    method: 'get', path: `${API}/referrals/{code}`, id: 'getReferral', tag: 'Referrals', auth: 'secret',
    summary: 'One referral code with its figures', answers: { 200: data('The code', named('referral', zReferral)) }, errors: [404],
    example: { params: { code: 'V2AVMRDJ' } },
  },
  {
    method: 'get', path: `${API}/referrals/{code}/stats`, id: 'referralStats', tag: 'Referrals', auth: 'secret',
    summary: "A code's visits, claims, conversions and revenue", answers: { 200: data('The figures', zReferralStats) }, errors: [404],
    example: { params: { code: 'V2AVMRDJ' } },
  },
  {
    method: 'post', path: `${API}/referrals/track`, id: 'trackReferralClick', tag: 'Referrals', auth: 'secret', body: zReferralTrackRequest,
    idempotent: true, summary: "Record a click on a referral link from a backend (002_*): a visit of the code, as POST /track/visit records one",
    description: 'Premier plan, like visits. `visitor_id` (or `visitorId`) is generated when absent; an unknown or inactive code is a 404 naming `code`.',
    answers: { 200: data('Tracked', zReferralTracked) }, errors: [404],
    example: { body: { code: 'V2AVMRDJ', visitorId: 'visitor_abc123' } },
  },
  {
    method: 'post', path: `${API}/referrals/convert`, id: 'convertReferral', tag: 'Referrals', auth: 'secret', body: zReferralConvertRequest,
    idempotent: true, summary: "Record a conversion of a referral code (002_*), as POST /track/conversion records one, attributed by the code",
    description: 'An order_id seen before answers the first conversion with `duplicate: true` (the same amount; another is a 409 order_conflict). '
      + 'The customer\'s email is optional: without one, the order is its own customer (never a repeat customer, never a self-referral). '
      + '`points_awarded`: the points commission the code\'s advocate earned by it (pending until its cooling period ends), 0 for cash.',
    answers: { 200: data('The conversion and the points it awarded', zReferralConverted) }, errors: [404, 409],
    example: { body: { code: 'V2AVMRDJ', orderId: 'ORD-20931', orderValue: 120.00 } },
  },
  {
    method: 'patch', path: `${API}/referrals/{code}`, id: 'setReferralStatus', tag: 'Referrals', auth: 'secret', body: zCodeStatusRequest, idempotent: true,
    summary: 'Activate or deactivate a code', answers: { 200: data('The code', named('referral', zReferral)) }, errors: [404],
    example: { params: { code: 'SARAH-SUMMER' }, body: { status: 'inactive' } },
  },
  {
    method: 'delete', path: `${API}/referrals/{code}`, id: 'deactivateReferral', tag: 'Referrals', auth: 'secret', idempotent: true,
    summary: 'Deactivate a code (codes are never deleted: visits and conversions name them)',
    answers: { 200: data('The code, inactive', named('referral', zReferral)) }, errors: [404],
    example: { params: { code: 'JANE2026' } },
  },
  // ---- Commissions
  {
    method: 'get', path: `${API}/commissions`, id: 'listCommissions', tag: 'Commissions', auth: 'secret', query: zCommissionListQuery,
    summary: 'List commissions, newest first', answers: { 200: data('A page of commissions', listOf('commissions', zCommission)) },
    example: { query: { status: 'pending' } },
  },
  {
    method: 'get', path: `${API}/commissions/export`, id: 'exportCommissions', tag: 'Commissions', auth: 'secret', query: zCommissionExportQuery,
    summary: 'Every commission as CSV (streamed)', answers: { 200: { description: 'commissions.csv', csv: true } }, example: {},
  },
  {
    method: 'get', path: `${API}/commissions/{id}`, id: 'getCommission', tag: 'Commissions', auth: 'secret',
    summary: 'One commission with its history', answers: { 200: data('The commission', named('commission', zCommissionDetail)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'put', path: `${API}/commissions/{id}/status`, id: 'setCommissionStatus', tag: 'Commissions', auth: 'secret', body: zCommissionStatusRequest, idempotent: true,
    summary: 'Approve, reject or mark a commission paid', answers: { 200: data('The commission', named('commission', zCommissionDetail)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { status: 'approved' } },
  },
  {
    method: 'patch', path: `${API}/commissions/{id}/status`, id: 'changeCommissionStatus', tag: 'Commissions', auth: 'secret', body: zCommissionStatusRequest, idempotent: true,
    summary: 'The same as PUT (asking for the status it has is a safe retry)', answers: { 200: data('The commission', named('commission', zCommissionDetail)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { status: 'approved' } },
  },
  {
    method: 'post', path: `${API}/commissions/approve-due`, id: 'approveDue', tag: 'Commissions', auth: 'secret', idempotent: true,
    summary: 'Approve every pending commission whose cooling period has ended', answers: { 200: data('What it approved', zApproveDueAnswer) },
    example: {},
  },
  // ---- Payouts
  {
    method: 'get', path: `${API}/payouts`, id: 'getPayout', tag: 'Payouts', auth: 'secret',
    summary: 'What to pay now: approved commissions less clawbacks owed, per advocate (streamed)',
    answers: { 200: data('The payout', zPayout) }, example: {},
  },
  {
    method: 'get', path: `${API}/payouts/export`, id: 'exportPayout', tag: 'Payouts', auth: 'secret',
    summary: 'The payout as CSV, one line per commission or clawback', answers: { 200: { description: 'payout.csv', csv: true } }, example: {},
  },
  {
    method: 'post', path: `${API}/payouts`, id: 'recordPayout', tag: 'Payouts', auth: 'secret', body: zPayoutRequest, idempotent: true,
    summary: 'Mark commissions paid (and clawbacks recovered)', answers: { 200: data('What was paid', zPayoutRecorded) }, errors: [404, 409],
    example: { body: { commission_ids: [1], note: 'PayPal batch 2026-12' } },
  },
  // ---- Records
  {
    method: 'get', path: `${API}/visits`, id: 'listVisits', tag: 'Records', auth: 'secret', query: zVisitListQuery,
    summary: 'List visits, newest first', answers: { 200: data('A page of visits', listOf('visits', zVisit)) }, example: { query: { code: 'V2AVMRDJ' } },
  },
  {
    method: 'get', path: `${API}/claims`, id: 'listClaims', tag: 'Records', auth: 'secret', query: zClaimListQuery,
    summary: 'List claims, newest first', answers: { 200: data('A page of claims', listOf('claims', zClaim)) }, example: {},
  },
  {
    method: 'get', path: `${API}/claims/{id}`, id: 'getClaim', tag: 'Records', auth: 'secret',
    summary: 'One claim', answers: { 200: data('The claim', named('claim', zClaim)) }, errors: [404], example: { params: { id: 1 } },
  },
  {
    method: 'get', path: `${API}/conversions`, id: 'listConversions', tag: 'Records', auth: 'secret', query: zConversionListQuery,
    summary: 'List conversions, newest first', answers: { 200: data('A page of conversions', listOf('conversions', zConversion)) },
    example: { query: { status: 'completed' } },
  },
  {
    method: 'get', path: `${API}/conversions/export`, id: 'exportConversions', tag: 'Records', auth: 'secret', query: zConversionExportQuery,
    summary: 'Every conversion as CSV (streamed)', answers: { 200: { description: 'conversions.csv', csv: true } }, example: {},
  },
  {
    method: 'get', path: `${API}/conversions/{id}`, id: 'getConversion', tag: 'Records', auth: 'secret',
    summary: 'One conversion with its rewards', answers: { 200: data('The conversion', named('conversion', zConversionDetail)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  // ---- Tracking, after the payout (a full refund claws the reward back)
  {
    method: 'post', path: `${API}/track/refund`, id: 'trackRefund', tag: 'Tracking', auth: 'secret', body: zRefundRequest, idempotent: true,
    summary: "Record a refund: the advocate's reward is reduced or clawed back",
    answers: { 200: data('The conversion after the refund', zRefundAnswer) }, errors: [404],
    example: { body: { order_id: 'ORD-12345', refund_amount: 51.30, is_full_refund: true } },
  },
  // ---- Settings
  {
    method: 'get', path: `${API}/settings`, id: 'getSettings', tag: 'Settings', auth: 'secret',
    summary: "The brand's programme", answers: { 200: data('The settings', named('settings', zSettings)) }, example: {},
  },
  {
    method: 'patch', path: `${API}/settings`, id: 'updateSettings', tag: 'Settings', auth: 'secret', body: zSettingsPatch, idempotent: true,
    summary: 'Change the programme (only the fields given)', answers: { 200: data('The settings', named('settings', zSettings)) },
    example: { body: { referrer_reward_value: 12 } },
  },
  {
    method: 'put', path: `${API}/settings`, id: 'replaceSettings', tag: 'Settings', auth: 'secret', body: zSettingsPatch, idempotent: true,
    summary: 'The same partial update as PATCH (a client may send back the whole GET answer)',
    answers: { 200: data('The settings', named('settings', zSettings)) }, example: { body: { cooling_period_days: 30 } },
  },
  // ---- Campaigns
  {
    method: 'post', path: `${API}/campaigns`, id: 'createCampaign', tag: 'Campaigns', auth: 'secret', body: zCreateCampaignRequest, idempotent: true,
    summary: 'Create a campaign (rules not given start as the default campaign\'s)',
    answers: { 201: data('The campaign', named('campaign', zCampaign)) }, errors: [409],
    example: { body: { name: 'Partners 20%', referrer_reward_type: 'percentage', referrer_reward_value: 20, cooling_period_days: 14 } },
  },
  {
    method: 'get', path: `${API}/campaigns`, id: 'listCampaigns', tag: 'Campaigns', auth: 'secret',
    summary: 'Every campaign, oldest first (at most 100)', answers: { 200: data('The campaigns', z.strictObject({ campaigns: z.array(zCampaign) })) },
    example: {},
  },
  {
    method: 'get', path: `${API}/campaigns/{id}`, id: 'getCampaign', tag: 'Campaigns', auth: 'secret',
    summary: 'One campaign, with how many advocates it has', answers: { 200: data('The campaign', named('campaign', zCampaign)) }, errors: [404],
    example: { params: { id: 2 } },
  },
  {
    method: 'patch', path: `${API}/campaigns/{id}`, id: 'updateCampaign', tag: 'Campaigns', auth: 'secret', body: zUpdateCampaignRequest, idempotent: true,
    summary: 'Change a campaign (only the fields given): later conversions follow the new rules, past ones keep theirs',
    answers: { 200: data('The campaign', named('campaign', zCampaign)) }, errors: [404, 409],
    example: { params: { id: 2 }, body: { referrer_reward_value: 25 } },
  },
  {
    method: 'post', path: `${API}/campaigns/{id}/archive`, id: 'archiveCampaign', tag: 'Campaigns', auth: 'secret', idempotent: true,
    summary: 'Archive a campaign: it takes no new advocate; its advocates stay and keep its rules (not the default campaign)',
    answers: { 200: data('The campaign, archived', named('campaign', zCampaign)) }, errors: [404, 409],
    example: { params: { id: 2 } },
  },
  // ---- Single sign-on (the mapping first: the recognition's example customer is then advocate 1's)
  {
    method: 'post', path: `${API}/sso/mappings`, id: 'createSsoMapping', tag: 'Single sign-on', auth: 'secret', body: zCreateMappingRequest,
    idempotent: true, summary: "Tie a customer of the site (its own id) to an advocate of the brand",
    answers: { 201: data('The mapping', named('mapping', zSsoMapping)) }, errors: [404, 409],
    example: { body: { advocateId: 1, externalCustomerId: 'cus_8f2k1', externalEmail: 'sarah@advocate.example', externalName: 'Sarah Jones' } },
  },
  {
    method: 'post', path: `${API}/sso/recognize`, id: 'recognizeCustomer', tag: 'Single sign-on', auth: 'sso', body: zRecognizeRequest, idempotent: true,
    summary: "Recognise the site's logged-in customer as an advocate: a session token for the portal and the widget (1 hour)",
    description: 'No API key: `signature` is the hex HMAC-SHA256, with one of the brand\'s secret keys, of the five fields as sent, each on its own '
      + 'line: business_id, external_customer_id, timestamp, external_email, external_name (absent ones as empty lines). The timestamp (unix '
      + 'seconds) must be within 300 s of the server\'s clock. A wrong signature, another brand\'s id or an old timestamp is a 401. A customer '
      + 'with no mapping but an email is enrolled in the default campaign (or tied to the advocate with that email) and mapped, unless the '
      + "brand's sso_auto_enrol is false (then a 404 naming external_customer_id); a blocked advocate is a 403.",
    answers: { 200: data('The advocate and the session token (shown once)', zRecognized) }, errors: [404],
    example: { body: { businessId: 'BRAND_ID', externalCustomerId: 'cus_8f2k1', timestamp: 1767225600, signature: '0'.repeat(64) } },
  },
  {
    method: 'get', path: `${API}/sso/session`, id: 'getSsoSession', tag: 'Single sign-on', auth: 'session',
    summary: 'What a session token opens: the advocate it acts as, until it expires (401 once expired)',
    answers: { 200: data('The session', zSsoSession) }, example: {},
  },
  {
    method: 'get', path: `${API}/sso/me`, id: 'getSsoAdvocate', tag: 'Single sign-on', auth: 'session',
    summary: "A session token's own advocate, as the site widget shows them: their referral link, code and figures",
    description: 'Authorization: Bearer with the session token; only the advocate the token was opened for. Called from a page (an Origin '
      + 'header), the origin must be one of the brand\'s allowed origins (403 origin_not_allowed), and only those may read the answer (CORS, '
      + 'preflight like track/*). A blocked advocate: 403 advocate_blocked.',
    answers: { 200: data('The advocate', zSessionAdvocate) }, example: {},
  },
  {
    method: 'get', path: `${API}/sso/mappings`, id: 'listSsoMappings', tag: 'Single sign-on', auth: 'secret', query: zMappingListQuery,
    summary: "The customer mappings, newest first; one advocate's with advocate_id",
    answers: { 200: data('A page of mappings', listOf('mappings', zSsoMapping)) }, example: { query: { advocate_id: '1' } },
  },
  {
    method: 'delete', path: `${API}/sso/mappings/{id}`, id: 'deleteSsoMapping', tag: 'Single sign-on', auth: 'secret', idempotent: true,
    summary: 'Delete a customer mapping: the customer is recognised again only by enrolment or a new mapping',
    answers: { 200: data('Deleted', zMappingDeleted) }, errors: [404], example: { params: { id: 1 } },
  },
  // ---- Rewards catalogue (advocate 1 has 100 points from recordPoints)
  {
    method: 'post', path: `${API}/rewards`, id: 'createCatalogueReward', tag: 'Rewards catalogue', auth: 'secret', body: zCreateCatalogueRewardRequest,
    idempotent: true, summary: 'Add a reward to the catalogue: its cost in points, its type, its stock (unlimited unless given)',
    answers: { 201: data('The reward', named('reward', zCatalogueReward)) }, errors: [409],
    example: { body: { name: '$10 gift card', description: 'A gift card for the shop', pointsCost: 50, type: 'gift_card', stock: 20 } },
  },
  {
    method: 'get', path: `${API}/rewards`, id: 'listCatalogueRewards', tag: 'Rewards catalogue', auth: 'secret', query: zCatalogueListQuery,
    summary: 'The whole catalogue, oldest first (at most 500 rewards)',
    answers: { 200: data('The rewards', z.strictObject({ rewards: z.array(zCatalogueReward) })) }, example: { query: { status: 'active' } },
  },
  {
    method: 'get', path: `${API}/rewards/{id}`, id: 'getCatalogueReward', tag: 'Rewards catalogue', auth: 'secret',
    summary: 'One catalogue reward', answers: { 200: data('The reward', named('reward', zCatalogueReward)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'patch', path: `${API}/rewards/{id}`, id: 'updateCatalogueReward', tag: 'Rewards catalogue', auth: 'secret',
    body: zUpdateCatalogueRewardRequest, idempotent: true,
    summary: 'Change a catalogue reward (only the fields given; stock "unlimited" lifts the limit): past redemptions keep their cost',
    answers: { 200: data('The reward', named('reward', zCatalogueReward)) }, errors: [404], example: { params: { id: 1 }, body: { stock: 25 } },
  },
  {
    method: 'post', path: `${API}/rewards/{id}/redeem`, id: 'redeemCatalogueReward', tag: 'Rewards catalogue', auth: 'secret', body: zRedeemRequest,
    idempotent: true, summary: "Redeem a reward with an advocate's points: the points, one unit of stock and a pending redemption, all or none",
    description: 'The balance never goes below zero here, whatever allow_negative_points says (400 insufficient_points naming advocate_id). '
      + 'An archived reward is a 409 reward_archived, a stock of 0 a 409 out_of_stock; an unknown advocate a 404 naming advocate_id.',
    answers: { 200: data('The redemption and the balance after it', zRedeemed) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { advocateId: 1 } },
  },
  {
    method: 'get', path: `${API}/redemptions`, id: 'listRedemptions', tag: 'Rewards catalogue', auth: 'secret', query: zRedemptionListQuery,
    summary: 'List redemptions, newest first, by advocate, reward or status',
    answers: { 200: data('A page of redemptions', listOf('redemptions', zRedemption)) }, example: { query: { status: 'pending' } },
  },
  {
    method: 'get', path: `${API}/redemptions/{id}`, id: 'getRedemption', tag: 'Rewards catalogue', auth: 'secret',
    summary: 'One redemption', answers: { 200: data('The redemption', named('redemption', zRedemption)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'post', path: `${API}/redemptions/{id}/fulfil`, id: 'fulfilRedemption', tag: 'Rewards catalogue', auth: 'secret', body: zFulfilRequest,
    idempotent: true, summary: 'Mark a pending redemption fulfilled, with what was given (a coupon code, a gift card number)',
    answers: { 200: data('The redemption', named('redemption', zRedemption)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { fulfilment: 'GIFT-7Q2M-XK4D' } },
  },
  {
    method: 'post', path: `${API}/redemptions/{id}/cancel`, id: 'cancelRedemption', tag: 'Rewards catalogue', auth: 'secret',
    body: zCancelRedemptionRequest, idempotent: true,
    summary: 'Cancel a pending or fulfilled redemption: its points come back to the advocate, its unit to the stock',
    answers: { 200: data('The redemption', named('redemption', zRedemption)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { reason: 'The gift card was never activated' } },
  },
  {
    method: 'post', path: `${API}/rewards/{id}/archive`, id: 'archiveCatalogueReward', tag: 'Rewards catalogue', auth: 'secret', idempotent: true,
    summary: 'Archive a catalogue reward: still listed and readable, no longer redeemable (its redemptions stay)',
    answers: { 200: data('The reward, archived', named('reward', zCatalogueReward)) }, errors: [404], example: { params: { id: 1 } },
  },
  // ---- Quests
  {
    method: 'post', path: `${API}/quests`, id: 'createQuest', tag: 'Quests', auth: 'secret', body: zCreateQuestRequest, idempotent: true,
    summary: 'Create a quest: its tasks in order (each a title and points), an optional reward (points or a catalogue reward), dates, a status (active unless given)',
    answers: { 201: data('The quest', named('quest', zQuest)) }, errors: [409],
    example: {
      body: {
        title: 'Spread the word', description: 'Three steps to your first referral',
        tasks: [{ title: 'Share your link on social media', points: 10 }, { title: 'Invite three friends by email', points: 20 }],
        reward: { type: 'points', points: 50 }, startsAt: '2026-01-01', endsAt: '2030-12-31',
      },
    },
  },
  {
    method: 'get', path: `${API}/quests`, id: 'listQuests', tag: 'Quests', auth: 'secret', query: zQuestListQuery,
    summary: "The brand's quests, oldest first (at most 500)",
    answers: { 200: data('The quests', z.strictObject({ quests: z.array(zQuest) })) }, example: { query: { status: 'active' } },
  },
  {
    method: 'post', path: `${API}/quests/{id}/complete`, id: 'completeQuestTask', tag: 'Quests', auth: 'secret', body: zCompleteTaskRequest,
    idempotent: true, summary: 'Mark a task of the quest complete for an advocate: its points once; with the last task, the quest and its reward once',
    description: 'A task completed before answers the first completion and its points with `duplicate: true`, awarding nothing again. '
      + 'A quest that is not active, not started or ended is a 409 quest_closed; an unknown task or advocate a 404 naming task_id or advocate_id.',
    answers: { 200: data('The completion and the points it awarded', zTaskCompleted) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { advocateId: 1, taskId: 1 } },
  },
  {
    method: 'get', path: `${API}/quests/{id}`, id: 'getQuest', tag: 'Quests', auth: 'secret', query: zQuestQuery,
    summary: "A quest with its tasks and its advocates' progress (100 at a time, highest advocate id first; or one advocate's)",
    answers: { 200: data('The quest, its tasks and progress', zQuestDetail) }, errors: [404],
    example: { params: { id: 1 }, query: { advocate_id: '1' } },
  },
  {
    method: 'patch', path: `${API}/quests/{id}`, id: 'updateQuest', tag: 'Quests', auth: 'secret', body: zUpdateQuestRequest, idempotent: true,
    summary: 'Change a quest (only the fields given; null clears the reward or a date): its tasks never change',
    answers: { 200: data('The quest', named('quest', zQuest)) }, errors: [404], example: { params: { id: 1 }, body: { status: 'archived' } },
  },
  // ---- Testimonials
  {
    method: 'post', path: `${API}/testimonials`, id: 'submitTestimonial', tag: 'Testimonials', auth: 'browser', body: zCreateTestimonialRequest,
    idempotent: true, summary: 'Submit a testimonial (pending until moderated): by an advocate (advocate_id) or a person (name and email)',
    description: 'With the publishable key, from one of the brand\'s origins (a site\'s form), limited per client IP (REFERLOOP_RATE_LIMIT_TESTIMONIAL, '
      + '20 an hour): name and email only; advocate_id there is a 403 secret_key_required naming it. An unknown advocate is a 404 naming advocate_id.',
    answers: { 201: data('The testimonial, pending', named('testimonial', zTestimonial)) }, errors: [404],
    example: { body: { name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already, and my sister too.', product: 'Trail runner' } },
  },
  {
    method: 'get', path: `${API}/testimonials`, id: 'listTestimonials', tag: 'Testimonials', auth: 'secret', query: zTestimonialListQuery,
    summary: 'List testimonials, newest first, by status and rating (total with total=true)',
    answers: { 200: data('A page of testimonials', listOf('testimonials', zTestimonial)) }, example: { query: { status: 'pending', total: 'true' } },
  },
  {
    method: 'get', path: `${API}/testimonials/{id}`, id: 'getTestimonial', tag: 'Testimonials', auth: 'secret', summary: 'One testimonial',
    answers: { 200: data('The testimonial', named('testimonial', zTestimonial)) }, errors: [404], example: { params: { id: 1 } },
  },
  {
    method: 'patch', path: `${API}/testimonials/{id}`, id: 'moderateTestimonial', tag: 'Testimonials', auth: 'secret', body: zModerateTestimonialRequest,
    idempotent: true, summary: 'Approve or reject a testimonial (either may be changed later; the same status again changes nothing)',
    answers: { 200: data('The testimonial', named('testimonial', zTestimonial)) }, errors: [404], example: { params: { id: 1 }, body: { status: 'approved' } },
  },
  {
    method: 'get', path: `${API}/testimonials/public`, id: 'listPublicTestimonials', tag: 'Testimonials', auth: 'browser', query: zPublicTestimonialQuery,
    summary: "The approved testimonials as a site's pages show them (no email, no advocate id), newest first",
    description: 'With the publishable key from one of the brand\'s origins (X-API-Key and X-Brand-ID headers: a GET needs no body), limited per client IP '
      + '(REFERLOOP_RATE_LIMIT_TESTIMONIAL_READ, 100 a minute), or with the secret key. Pending and rejected ones are never listed here.',
    answers: { 200: data('A page of approved testimonials', listOf('testimonials', zPublicTestimonial)) }, example: { query: { rating: '5' } },
  },
  // ---- Feedback boards (advocate 1 posts and votes)
  {
    method: 'post', path: `${API}/feedback/boards`, id: 'createBoard', tag: 'Feedback', auth: 'secret', body: zCreateBoardRequest, idempotent: true,
    summary: 'Create a feedback board (at most 100 a brand)', answers: { 201: data('The board', named('board', zBoard)) }, errors: [409],
    example: { body: { name: 'Product ideas', description: 'What should we build next?' } },
  },
  {
    method: 'get', path: `${API}/feedback/boards`, id: 'listBoards', tag: 'Feedback', auth: 'secret', summary: "Every board of the brand, oldest first",
    answers: { 200: data('The boards', z.strictObject({ boards: z.array(zBoard) })) }, example: {},
  },
  {
    method: 'get', path: `${API}/feedback/boards/{id}`, id: 'getBoard', tag: 'Feedback', auth: 'secret', summary: 'One board',
    answers: { 200: data('The board', named('board', zBoard)) }, errors: [404], example: { params: { id: 1 } },
  },
  {
    method: 'post', path: `${API}/feedback/boards/{id}/ideas`, id: 'postIdea', tag: 'Feedback', auth: 'secret', body: zCreateIdeaRequest, idempotent: true,
    summary: "Post an advocate's idea in a board (open, no votes)", answers: { 201: data('The idea', named('idea', zIdea)) }, errors: [404],
    example: { params: { id: 1 }, body: { advocateId: 1, title: 'Share links for WhatsApp', body: 'One tap to send my link to a chat.' } },
  },
  {
    method: 'get', path: `${API}/feedback/boards/{id}/ideas`, id: 'listIdeas', tag: 'Feedback', auth: 'secret', query: zIdeaListQuery,
    summary: "A board's ideas, by status; sort newest (default) or votes (most first, ties newest first)",
    description: 'Paged like every list: a next_cursor of a page by votes carries the vote count, and pages on by votes only.',
    answers: { 200: data('A page of ideas', listOf('ideas', zIdea)) }, errors: [404], example: { params: { id: 1 }, query: { sort: 'votes', total: 'true' } },
  },
  {
    method: 'get', path: `${API}/feedback/ideas/{id}`, id: 'getIdea', tag: 'Feedback', auth: 'secret', summary: 'One idea',
    answers: { 200: data('The idea', named('idea', zIdea)) }, errors: [404], example: { params: { id: 1 } },
  },
  {
    method: 'patch', path: `${API}/feedback/ideas/{id}`, id: 'setIdeaStatus', tag: 'Feedback', auth: 'secret', body: zIdeaStatusRequest, idempotent: true,
    summary: "Change an idea's status: open, planned, in_progress, done or declined (any to any)",
    answers: { 200: data('The idea', named('idea', zIdea)) }, errors: [404], example: { params: { id: 1 }, body: { status: 'planned' } },
  },
  {
    method: 'post', path: `${API}/feedback/ideas/{id}/votes`, id: 'voteForIdea', tag: 'Feedback', auth: 'secret', body: zVoteRequest, idempotent: true,
    summary: "An advocate's vote on an idea: one per advocate and idea, counted once however often or concurrently sent",
    answers: { 201: data('Counted', zVoted), 200: data('The advocate had voted: the first vote, nothing counted', zVoted) }, errors: [404],
    example: { params: { id: 1 }, body: { advocate_id: 1 } },
  },
  {
    method: 'delete', path: `${API}/feedback/ideas/{id}/votes/{advocate_id}`, id: 'unvoteIdea', tag: 'Feedback', auth: 'secret', idempotent: true,
    summary: "Take an advocate's vote back (removed false when there was none)",
    answers: { 200: data('The idea after it', zUnvoted) }, errors: [404], example: { params: { id: 1, advocate_id: 1 } },
  },
  // ---- Referral records
  {
    method: 'post', path: `${API}/referral-records`, id: 'createReferralRecord', tag: 'Referral records', auth: 'secret',
    body: zCreateReferralRecordRequest, idempotent: true,
    summary: 'Enter the record of a referral made elsewhere: it earns its commission (003_*\'s create)',
    description: 'The reward is reward_amount, or else the campaign\'s rule for the action and level; the record is pending until '
      + 'cooling_period_end (or the campaign\'s cooling period), and rejected at once with is_qualified_for_reward 0. A purchase (1) '
      + 'needs its order (conversion_id, or order_id: a conversion of that order id is linked), clicks (3) and shares (4) their '
      + 'qualified_amount. A uuid may be given (the record\'s id where it came from).',
    answers: { 201: data('The record', named('referral_record', zReferralRecord)) }, errors: [409],
    example: {
      body: {
        uuid: '4f1c9a3e-8b2d-4e6f-9a1b-3c5d7e9f0a2b', referrer_advocate_id: 1, reward_action_type: 2,
        referred_customer_email: 'friend@example.com', reward_amount: 5, share_code: 'V2AVMRDJ',
      },
    },
  },
  {
    method: 'get', path: `${API}/referral-records`, id: 'listReferralRecords', tag: 'Referral records', auth: 'secret',
    query: zReferralRecordListQuery, summary: 'List referral records, newest first (one per commission)',
    answers: { 200: data('A page of records', listOf('referral_records', zReferralRecord)) },
    example: { query: { advocate_id: '1' } },
  },
  {
    method: 'get', path: `${API}/referral-records/{uuid}`, id: 'getReferralRecord', tag: 'Referral records', auth: 'secret',
    summary: 'One referral record by its uuid', answers: { 200: data('The record', named('referral_record', zReferralRecord)) },
    errors: [404], example: { params: { uuid: '4f1c9a3e-8b2d-4e6f-9a1b-3c5d7e9f0a2b' } },
  },
  // ---- Webhooks
  {
    method: 'post', path: `${API}/webhooks`, id: 'createWebhook', tag: 'Webhooks', auth: 'secret', body: zCreateWebhookRequest, idempotent: true,
    summary: 'Register an endpoint; the answer shows its signing secret, once',
    answers: { 201: data('The endpoint and its secret', named('webhook', zWebhookEndpointWithSecret)) }, errors: [409],
    example: { body: { url: 'https://hooks.example.com/referloop', events: ['conversion.created', 'commission.approved'], description: 'Accounting' } },
  },
  {
    method: 'get', path: `${API}/webhooks`, id: 'listWebhooks', tag: 'Webhooks', auth: 'secret', query: zWebhookListQuery,
    summary: 'List endpoints', answers: { 200: data('A page of endpoints', listOf('webhooks', zWebhookEndpoint)) }, example: {},
  },
  {
    method: 'get', path: `${API}/webhooks/{id}`, id: 'getWebhook', tag: 'Webhooks', auth: 'secret',
    summary: 'One endpoint', answers: { 200: data('The endpoint', named('webhook', zWebhookEndpoint)) }, errors: [404], example: { params: { id: 1 } },
  },
  {
    method: 'patch', path: `${API}/webhooks/{id}`, id: 'updateWebhook', tag: 'Webhooks', auth: 'secret', body: zUpdateWebhookRequest, idempotent: true,
    summary: 'Change an endpoint: URL, events, description, enabled or disabled',
    answers: { 200: data('The endpoint', named('webhook', zWebhookEndpoint)) }, errors: [404],
    example: { params: { id: 1 }, body: { events: ['*'] } },
  },
  {
    method: 'delete', path: `${API}/webhooks/{id}`, id: 'deleteWebhook', tag: 'Webhooks', auth: 'secret', idempotent: true,
    summary: 'Delete an endpoint (its pending deliveries are dropped)',
    answers: { 200: data('The endpoint, deleted', named('webhook', zDeletedWebhookEndpoint)) }, errors: [404], example: { params: { id: 1 } },
  },
  {
    method: 'post', path: `${API}/webhooks/{id}/rotate-secret`, id: 'rotateWebhookSecret', tag: 'Webhooks', auth: 'secret', idempotent: true,
    summary: 'A new signing secret; the old one still signs beside it for 24 hours',
    answers: { 200: data('The endpoint and its new secret', named('webhook', zWebhookEndpointWithSecret)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'post', path: `${API}/webhooks/{id}/test`, id: 'sendTestEvent', tag: 'Webhooks', auth: 'secret', body: zTestEventRequest, idempotent: true,
    summary: 'Send a sample event to the endpoint (whatever it subscribes to)',
    answers: { 202: data('The delivery, queued', named('delivery', zDelivery)) }, errors: [404, 409],
    example: { params: { id: 1 }, body: { event: 'conversion.created' } },
  },
  {
    method: 'get', path: `${API}/webhooks/{id}/deliveries`, id: 'listDeliveries', tag: 'Webhooks', auth: 'secret', query: zDeliveryListQuery,
    summary: "An endpoint's deliveries, newest first", answers: { 200: data('A page of deliveries', listOf('deliveries', zDelivery)) }, errors: [404],
    example: { params: { id: 1 } },
  },
  {
    method: 'get', path: `${API}/webhooks/{id}/deliveries/{deliveryId}`, id: 'getDelivery', tag: 'Webhooks', auth: 'secret',
    summary: 'One delivery with its request and every attempt', answers: { 200: data('The delivery', named('delivery', zDeliveryDetail)) },
    errors: [404], example: { params: { id: 1, deliveryId: 1 } },
  },
  {
    method: 'post', path: `${API}/webhooks/{id}/deliveries/{deliveryId}/resend`, id: 'resendDelivery', tag: 'Webhooks', auth: 'secret', idempotent: true,
    summary: 'Send a delivery again, now (same webhook-id)', answers: { 202: data('The delivery, due now', named('delivery', zDelivery)) },
    errors: [404, 409], example: { params: { id: 1, deliveryId: 1 } },
  },
  {
    method: 'post', path: `${API}/hooks/subscribe`, id: 'subscribeHook', tag: 'Webhooks', auth: 'secret', body: zHookSubscribeRequest, idempotent: true,
    summary: 'Zapier REST Hook: subscribe a target URL to one event', answers: { 201: { description: 'The subscription', bare: zHookSubscription } },
    errors: [409], example: { body: { target_url: 'https://hooks.zapier.com/hooks/standard/123/abc', event: 'conversion.created' } },
  },
  {
    method: 'get', path: `${API}/hooks/sample/{event}`, id: 'hookSample', tag: 'Webhooks', auth: 'secret',
    summary: 'Zapier REST Hook: a realistic sample of an event', answers: { 200: { description: 'A one-event list, as Zapier reads a sample', bare: zHookSample } },
    errors: [404], example: { params: { event: 'conversion.created' } },
  },
  {
    method: 'delete', path: `${API}/hooks/{id}`, id: 'unsubscribeHook', tag: 'Webhooks', auth: 'secret', idempotent: true,
    summary: 'Zapier REST Hook: unsubscribe', answers: { 200: { description: 'Unsubscribed', bare: zHookUnsubscribed } }, errors: [404],
    example: { params: { id: 2 } },
  },
  // ---- People
  {
    method: 'get', path: `${API}/people`, id: 'exportPerson', tag: 'People', auth: 'secret', query: zPersonQuery,
    summary: 'Everything held about a person, by email', answers: { 200: data('The person', named('person', zPersonExport)) },
    example: { query: { email: 'buyer@example.com' } },
  },
  {
    method: 'delete', path: `${API}/people`, id: 'erasePerson', tag: 'People', auth: 'secret', query: zPersonQuery.partial(), body: zPersonQuery,
    summary: "Erase a person's data (the email in a JSON body, which keeps it out of URLs and logs, or in the query string)",
    description: 'Not behind Idempotency-Key: a repeated erasure changes nothing and answers the first one again.',
    answers: { 200: data('What was erased', zErasure) }, example: { body: { email: 'buyer@example.com' } },
  },
];
