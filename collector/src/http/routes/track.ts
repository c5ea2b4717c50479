// POST /api/v1/track/*: route -> schema -> use case (in the commit queue) -> answer.
import express, { type Request, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { DAY_MS } from '../../domain/time.ts';
import { authenticate, browserEndpoint, corsPreflight, requirePlan } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { rateLimiter } from '../rateLimit.ts';
import { ok, useCase } from '../useCase.ts';
import {
  zCheckEligibilityRequest, zClaimRequest, zConversionRequest, zRefundRequest, zVisitRequest,
} from '../../schemas/track.ts';
import { recordVisit } from '../../services/visits.ts';
import { recordClaim } from '../../services/claims.ts';
import { recordConversion } from '../../services/conversions.ts';
import { recordRefund } from '../../services/refunds.ts';
import { checkEligibility } from '../../services/eligibility.ts';


/**
 * Safari keeps cookies written by script for 7 days at most. When this collector is served under the
 * site's own domain, the visit answer sets the same cookies from the server, which Safari keeps longer.
 */
function setTrackerCookies(req: Request, res: Response, cookieDomain: string | undefined, data: ReturnType<typeof recordVisit>) {
  const host = req.hostname;
  if (!cookieDomain || !(host === cookieDomain || host.endsWith(`.${cookieDomain}`))) return;
  const secure = req.secure || (req.get('Origin') ?? '').startsWith('https:');
  const base = { domain: cookieDomain, path: '/', sameSite: 'lax' as const, secure, httpOnly: false, encode: String };
  res.cookie('al_vid', data.visitor_id, { ...base, maxAge: 365 * DAY_MS });
  if (data.store_code) res.cookie('al_code', data.code, { ...base, maxAge: data.attribution_window_days * DAY_MS });
  else if (data.clear_existing) res.clearCookie('al_code', base);
}

export function trackRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const limits = deps.config.rateLimits;
  const body = jsonBody(deps.config.bodyLimit);
  const browserAuth = authenticate(deps.q, { browser: true });
  const serverAuth = authenticate(deps.q, { browser: false });

  router.options(['/track/visit', '/track/check-eligibility', '/track/claim'], corsPreflight);

  router.post('/track/visit', browserEndpoint, rateLimiter('track/visit', limits?.visit), body, browserAuth,
    requirePlan('premier', 'visit tracking'),
    useCase(deps, 'track/visit', zVisitRequest, (ctx, data, req, res) => {
      const visit = recordVisit(ctx, data);
      setTrackerCookies(req, res, data.cookie_domain, visit);
      return ok(200, visit);
    }));

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
