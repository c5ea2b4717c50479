// POST /api/v1/track/*: route -> schema -> use case (in the commit queue) -> answer.
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { authenticate, browserEndpoint, corsPreflight, requirePlan } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { rateLimiter } from '../rateLimit.ts';
import { ok, useCase } from '../useCase.ts';
import {
  zCheckEligibilityRequest, zClaimRequest, zConversionRequest, zRefundRequest,
} from '../../schemas/track.ts';
import { recordClaim } from '../../services/claims.ts';
import { recordConversion } from '../../services/conversions.ts';
import { recordRefund } from '../../services/refunds.ts';
import { checkEligibility } from '../../services/eligibility.ts';


export function trackRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const limits = deps.config.rateLimits;
  const body = jsonBody(deps.config.bodyLimit);
  const browserAuth = authenticate(deps.q, { browser: true });
  const serverAuth = authenticate(deps.q, { browser: false });

  router.options(['/track/visit', '/track/check-eligibility', '/track/claim'], corsPreflight);

  // POST /track/visit is mounted before every other layer of the app: see visit.ts.

  router.post('/track/claim', browserEndpoint, rateLimiter('track/claim', limits?.claim), body, browserAuth,
    requirePlan('premier', 'claim tracking'),
    useCase(deps, 'track/claim', zClaimRequest, (ctx, data) => ok(201, recordClaim(ctx, {
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

  router.post('/track/conversion', rateLimiter('track/conversion', limits?.conversion), body, serverAuth,
    useCase(deps, 'track/conversion', zConversionRequest, (ctx, data) => {
      const result = recordConversion(ctx, data);
      return ok(result.created ? 201 : 200, result.data);
    }));

  router.post('/track/refund', rateLimiter('track/refund', limits?.refund), body, serverAuth,
    useCase(deps, 'track/refund', zRefundRequest, (ctx, data) => ok(200, recordRefund(ctx, data))));

  router.post('/track/check-eligibility', browserEndpoint, rateLimiter('track/check-eligibility', limits?.check_eligibility), body,
    browserAuth,
    useCase(deps, 'track/check-eligibility', zCheckEligibilityRequest, (ctx, data) => ({
      status: 200,
      body: checkEligibility(ctx, data.referral_code, data.email),
    })));

  return router;
}
