// The adapter for the clients of 004_* (Refgrow) (issue 15), under /compat/refgrow/v1: Bearer (the brand's secret
// key, as /api/v1 takes it), its routes onto the same use cases as /api/v1, its shapes (views.ts) and ids and error
// body (errors.ts). No business rule here: names, ids and shapes only.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { notFoundHandler } from '../../http/errors.ts';
import { uuidv7 } from '../../domain/ids.ts';
import { ApiError } from '../../errors.ts';
import { requirePlan } from '../../http/auth.ts';
import { manageGuard, readCase, writeCase } from '../../http/manage.ts';
import { listPage, pageOf, zQueryInt } from '../../http/query.ts';
import { ok, useCase } from '../../http/useCase.ts';
import { zAdvocateStatus, zCreateAdvocateRequest } from '../../schemas/advocates.ts';
import { zCommissionStatus, zCommissionStatusRequest } from '../../schemas/commissions.ts';
import { zCents, zCode, zEmail, zNoFields, zProducts, zText } from '../../schemas/common.ts';
import { orderCustomer } from '../../schemas/track.ts';
import { createAdvocate, findAdvocate, getAdvocate, listAdvocates, totalAdvocates } from '../../services/advocates.ts';
import { commissionPage, setCommissionStatus, totalCommissions } from '../../services/commissions.ts';
import type { Ctx } from '../../services/context.ts';
import { recordConversion } from '../../services/conversions.ts';
import { getConversion, listVisits } from '../../services/records.ts';
import { recordVisit } from '../../services/visits.ts';
import {
  CLICK_ID, clickIdOf, parseId, prefixed, prefixedOrNull, refgrowErrors, refgrowNotFound, visitorOfClick,
} from './errors.ts';
import { affiliateListView, affiliateView, commissionListView, commissionView, createdAffiliateView } from './views.ts';

/** Every route this adapter serves (the tenant matrix test walks them all). */
export const REFGROW_ROUTES = [
  'GET /affiliates', 'POST /affiliates', 'GET /affiliates/:id',
  'POST /referrals/track', 'POST /referrals/convert',
  'GET /commissions', 'PUT /commissions/:id/status',
] as const;

const zLimitOffset = { limit: zQueryInt(1, 100).optional(), offset: zQueryInt(0, 1_000_000_000).optional() };

const zAffiliateListQuery = z.object({ ...zLimitOffset, status: zAdvocateStatus.optional() });
const zCommissionListQuery = z.object({ ...zLimitOffset, affiliateId: z.string().optional(), status: zCommissionStatus.optional() });

const zTrackRequest = z.object({
  referralCode: zCode,
  sourceUrl: zText(2048).optional(),
  userAgent: zText(1024).optional(),
  ipAddress: zText(64).optional(),
});

const zClickId = z.string().regex(CLICK_ID, "must be a string beginning with 'click_' as POST /referrals/track answered it")
  .transform(visitorOfClick);

const zConvertRequest = z.object({
  clickId: zClickId.optional(),
  referralCode: zCode.optional(),
  amount: zCents,
  orderId: zText().optional(),
  customer: z.looseObject({ email: zEmail.optional(), name: zText().optional() }, { error: 'must be an object' }).optional(),
  products: zProducts.optional(),
}).superRefine((v, ctx) => {
  if (v.clickId === undefined && v.referralCode === undefined) {
    ctx.addIssue({ code: 'custom', path: ['clickId'], message: 'is required (or referralCode)' });
  }
});

/** The brand's visit of a click (the one visit of its visitor), or 404 naming clickId. */
async function clickVisit(ctx: Ctx, visitorId: string) {
  const { rows } = await listVisits(ctx, { visitor_id: visitorId }, { before: null, limit: 1, offset: 0 });
  if (!rows[0]) throw refgrowNotFound('click', 'clickId');
  return rows[0];
}

/** The brand's advocate of an `aff_` id, or 404 naming `field`. */
async function ownAdvocate(ctx: Ctx, id: number, field: string) {
  try {
    return await findAdvocate(ctx, id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw refgrowNotFound('affiliate', field);
    throw error;
  }
}

const pathIdOf = (req: Request, kind: 'aff' | 'comm') => parseId(kind, req.params.id, 'id');

export function refgrowRoutes(deps: AppDeps): Router {
  const r = Router();
  // Every route, and an unknown one: the body, the secret key (Bearer or X-API-Key, as /api/v1), the key's budget.
  r.use(manageGuard(deps));

  r.get('/affiliates', readCase(deps, zAffiliateListQuery, async (ctx, query) => {
    const filter = { status: query.status ?? null, tier: null, campaignId: null, search: null };
    const page = pageOf(query);
    const { advocates } = await listPage('advocates', page, (slice) => listAdvocates(ctx, filter, slice));
    return { affiliates: advocates.map(affiliateListView), total: await totalAdvocates(ctx, filter), limit: page.limit, offset: page.offset };
  }));

  r.get('/affiliates/:id', readCase(deps, zNoFields, async (ctx, _query, req) => {
    const id = pathIdOf(req, 'aff');
    await ownAdvocate(ctx, id, 'id');
    return { affiliate: affiliateView(await getAdvocate(ctx, id)) };
  }));

  r.post('/affiliates', writeCase(deps, zCreateAdvocateRequest,
    async (ctx, data) => ok(201, { affiliate: createdAffiliateView(await createAdvocate(ctx, data)) })));

  // A click is a visit (so it needs the plan visits need), of a visitor of its own: its clickId names that visitor.
  r.post('/referrals/track', requirePlan('premier', 'click tracking'), useCase(deps, 'refgrow/referrals/track', zTrackRequest, async (ctx, data) => {
    const visitorId = uuidv7(ctx.now.getTime());
    await recordVisit(ctx, { referral_code: data.referralCode, visitor_id: visitorId, ...(data.sourceUrl ? { referrer: data.sourceUrl } : {}) });
    const visit = await clickVisit(ctx, visitorId);
    return ok(200, { clickId: clickIdOf(visitorId), referralCode: visit.code, affiliateId: prefixed('aff', visit.advocate_id), timestamp: visit.created_at });
  }));

  // A conversion as /track/conversion records one, attributed by the click's visitor (its visit's advocate) or the code.
  r.post('/referrals/convert', useCase(deps, 'refgrow/referrals/convert', zConvertRequest, async (ctx, data) => {
    if (data.clickId !== undefined) await clickVisit(ctx, data.clickId);
    const { email, name, ...customer } = data.customer ?? {};
    const { data: converted } = await recordConversion(ctx, {
      email: email ?? orderCustomer(data.orderId ?? uuidv7(ctx.now.getTime())),
      name,
      order_value: data.amount,
      ...(data.orderId === undefined ? {} : { order_id: data.orderId }),
      ...(data.referralCode === undefined ? {} : { referral_code: data.referralCode }),
      ...(data.clickId === undefined ? {} : { visitor_id: data.clickId }),
      ...(data.products === undefined ? {} : { products: data.products }),
      ...(Object.keys(customer).length ? { metadata: { customer } } : {}),
      source: 'refgrow',
    });
    const { conversion } = await getConversion(ctx, converted.id);
    const reward = converted.reward;
    return ok(200, {
      conversionId: prefixed('conv', conversion.id),
      affiliateId: prefixedOrNull('aff', conversion.advocate_id),
      referralCode: conversion.code,
      amount: conversion.order_value,
      commission: reward && reward.kind === 'cash' && reward.status !== 'rejected' ? reward.amount : 0,
      orderId: conversion.order_id,
      timestamp: conversion.created_at,
    });
  }));

  r.get('/commissions', readCase(deps, zCommissionListQuery, async (ctx, query) => {
    // The document's own example error: an affiliateId without `aff_` is "Invalid affiliate ID format".
    const advocateId = query.affiliateId === undefined ? undefined : parseId('aff', query.affiliateId, 'affiliateId');
    if (advocateId !== undefined) await ownAdvocate(ctx, advocateId, 'affiliateId');
    const filters = { status: query.status, advocateId };
    const page = pageOf(query);
    const { commissions } = await listPage('commissions', page, (slice) => commissionPage(ctx, filters, slice));
    return { commissions: commissions.map(commissionListView), total: await totalCommissions(ctx, filters), limit: page.limit, offset: page.offset };
  }));

  r.put('/commissions/:id/status', writeCase(deps, zCommissionStatusRequest, async (ctx, data, req) => {
    const id = pathIdOf(req, 'comm');
    try {
      return ok(200, { commission: commissionView(await setCommissionStatus(ctx, id, data.status, data.reason ?? null, 'api')) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw refgrowNotFound('commission', 'id');
      throw error;
    }
  }));

  r.use(notFoundHandler);
  r.use(refgrowErrors(deps.logger));
  return r;
}
