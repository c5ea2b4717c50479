// POST /api/v1/track/*, and 002_*'s POST /referrals/track and /referrals/convert (a visit and a conversion by other names):
// route -> schema -> use case (in the commit queue) -> answer.
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { authenticate, browserEndpoint, corsPreflight, requirePlan } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { limitCaller } from '../rateLimit.ts';
import { ok, useCase } from '../useCase.ts';
import {
  zCheckEligibilityRequest, zClaimRequest, zConversionRequest, zReferralConvertRequest, zReferralTrackRequest, zRefundRequest, zShareRequest,
} from '../../schemas/track.ts';
import { convertReferral, trackReferral } from '../../services/referralTracking.ts';
import { recordShare } from '../../services/shares.ts';
import { recordClaim } from '../../services/claims.ts';
import { recordConversion } from '../../services/conversions.ts';
import { recordRefund } from '../../services/refunds.ts';
import { checkEligibility } from '../../services/eligibility.ts';


export function trackRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const body = jsonBody(deps.config.bodyLimit);
  // Limits after authentication: a secret key per key, a publishable key per client IP (rateLimit.ts).
  const browserAuth = authenticate(deps, { browser: true });
  const serverAuth = [authenticate(deps, { browser: false }), ...limitCaller(deps)];

  router.options(['/track/visit', '/track/share', '/track/check-eligibility', '/track/claim'], corsPreflight);

  // POST /track/visit is mounted before every other layer of the app: see visit.ts.

  // A share: from the browser (the widget, a publishable key) or a backend (a secret key), limited like a visit.
  router.post('/track/share', browserEndpoint, body, browserAuth, ...limitCaller(deps, 'share'),
    useCase(deps, 'track/share', zShareRequest, async (ctx, data) => ok(201, { share: await recordShare(ctx, data) })));

  router.post('/track/claim', browserEndpoint, body, browserAuth, ...limitCaller(deps, 'claim'),
    requirePlan('premier', 'claim tracking'),
    useCase(deps, 'track/claim', zClaimRequest, async (ctx, data) => ok(201, await recordClaim(ctx, {
      referralCode: data.referral_code,
      email: data.email,
      name: data.name,
      phone: data.phone,
      visitorId: data.visitor_id,
      orderId: data.order_id,
      type: data.type,
      source: 'api',
      rawValueCents: data.raw_value,
      claimValueCents: data.claim_value,
      discountType: data.discount_type,
      discountValue: data.discount_value,
      products: data.products,
      couponsApplied: data.coupons_applied,
      metadata: data.metadata,
    }))));

  router.post('/track/conversion', body, ...serverAuth,
    useCase(deps, 'track/conversion', zConversionRequest, async (ctx, data) => {
      const result = await recordConversion(ctx, data);
      return ok(result.created ? 201 : 200, result.data);
    }));

  // 002_*'s referral calls, from a backend (secret key): mounted before /referrals/:code (routes/referrals.ts). A click is a
  // visit, so it needs the plan visits need.
  router.post('/referrals/track', body, ...serverAuth, requirePlan('premier', 'visit tracking'),
    useCase(deps, 'referrals/track', zReferralTrackRequest, async (ctx, data) => ok(200, await trackReferral(ctx, data))));

  router.post('/referrals/convert', body, ...serverAuth,
    useCase(deps, 'referrals/convert', zReferralConvertRequest, async (ctx, data) => ok(200, await convertReferral(ctx, data))));

  router.post('/track/refund', body, ...serverAuth,
    useCase(deps, 'track/refund', zRefundRequest, async (ctx, data) => ok(200, await recordRefund(ctx, data))));

  router.post('/track/check-eligibility', browserEndpoint, body, browserAuth, ...limitCaller(deps, 'check_eligibility'),
    useCase(deps, 'track/check-eligibility', zCheckEligibilityRequest, async (ctx, data) => ({
      status: 200,
      body: await checkEligibility(ctx, data.referral_code, data.email),
    })));

  return router;
}
