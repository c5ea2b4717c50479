// The adapter for the clients of 002_* (the advocate platform) (issue 15), under /compat/platform/api/v1: Bearer with
// the brand's secret key, each of the document's paths over the use case /api/v1's same path calls (its camelCase
// request names are aliases our schemas accept), answered bare and camelCase (answers.ts), its per-plan quotas
// (quotas.ts) and its error body for every refusal. No business rule here: the use cases decide.
import { Router, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { notFoundHandler } from '../../http/errors.ts';
import { verifySsoSignature, type SsoClaim } from '../../domain/sso.ts';
import { ApiError } from '../../errors.ts';
import { callerOf, requirePlan } from '../../http/auth.ts';
import { manageGuard } from '../../http/manage.ts';
import { parseBody } from '../../http/parse.ts';
import { listPage, pageOf, pathId, type Page } from '../../http/query.ts';
import { failAuthentication } from '../../http/rateLimit.ts';
import { signingSecrets } from '../../http/routes/convert.ts';
import { useCase } from '../../http/useCase.ts';
import { zAdvocateListQuery, zCreateAdvocateRequest, zPointsRequest, zReferralListQuery, zUpdateAdvocateRequest } from '../../schemas/advocates.ts';
import { zCatalogueListQuery, zCreateCatalogueRewardRequest, zRedeemRequest } from '../../schemas/catalogue.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zIdeaListQuery, zIdeaStatusRequest } from '../../schemas/feedback.ts';
import { zCompleteTaskRequest, zCreateQuestRequest, zQuestListQuery } from '../../schemas/quests.ts';
import { zCreateMappingRequest, zMappingListQuery, zRecognizeRequest } from '../../schemas/sso.ts';
import { zModerateTestimonialRequest, zTestimonialListQuery } from '../../schemas/testimonials.ts';
import { zReferralConvertRequest, zReferralTrackRequest } from '../../schemas/track.ts';
import { createAdvocate, findAdvocate, getAdvocate, listAdvocates, totalAdvocates, updateAdvocate } from '../../services/advocates.ts';
import { createCatalogueReward, getCatalogueReward, listCatalogue, redeemCatalogueReward } from '../../services/catalogue.ts';
import { listBoards, listIdeas, setIdeaStatus } from '../../services/feedback.ts';
import { recordPointsRequest } from '../../services/points.ts';
import { completeTask, createQuest, getQuest, listQuests } from '../../services/quests.ts';
import { getReferralStats, listReferrals, totalReferrals } from '../../services/referralCodes.ts';
import { convertReferral, trackReferral } from '../../services/referralTracking.ts';
import { createMapping, listMappings, recognize } from '../../services/sso.ts';
import { listTestimonials, moderateTestimonial, testimonialView } from '../../services/testimonials.ts';
import { bare, platformErrors, platformRead, platformWrite } from './answers.ts';
import { platformQuotas } from './quotas.ts';

export const PLATFORM_PREFIX = '/compat/platform/api/v1';

const idOf = (req: Request, what: string) => pathId(req.params.id, what);
/** The document's lists that answer a `total`: counted as /api/v1's `total=true` counts (bounded: db/keyset.ts). */
const counted = (page: Page): Page => ({ ...page, withTotal: true });

/** The signed fields as the request sent them, under either name (domain/sso.ts ssoMessage signs these, as /api/v1's recognize). */
function ssoClaimOf(body: Record<string, unknown>): SsoClaim {
  const raw = (snake: string, camel: string): string | null => {
    const v = body[snake] ?? body[camel];
    return v === undefined || v === null ? null : String(v);
  };
  return {
    businessId: raw('business_id', 'businessId')!, externalCustomerId: raw('external_customer_id', 'externalCustomerId')!,
    timestamp: String(body.timestamp), externalEmail: raw('external_email', 'externalEmail'), externalName: raw('external_name', 'externalName'),
  };
}

export function platformRoutes(deps: AppDeps): Router {
  const r = Router();
  const read = <S extends z.ZodType>(schema: S, run: Parameters<typeof platformRead<S>>[2]) => platformRead(deps, schema, run);
  const write = <S extends z.ZodType>(schema: S, status: number, run: Parameters<typeof platformWrite<S>>[3]) => platformWrite(deps, schema, status, run);

  // Every request: the body, the Bearer secret key (http/auth.ts: a publishable key is a 403), the key's own budget,
  // then the document's per-plan quotas with their usage headers. A path this prefix does not serve is a 404 after them.
  r.use(manageGuard(deps), ...platformQuotas(deps));

  // ---- Advocates
  r.get('/advocates', read(zAdvocateListQuery, async (ctx, query) => {
    const filter = { status: query.status ?? null, tier: query.tier ?? null, campaignId: query.campaign_id ?? null, search: query.search ?? null };
    const list = await listPage('advocates', counted(pageOf(query)), (slice) => listAdvocates(ctx, filter, slice), () => totalAdvocates(ctx, filter));
    return { advocates: list.advocates, total: list.total, page: list.page ?? null };
  }));
  r.get('/advocates/:id', read(zNoFields, async (ctx, _query, req) => ({ advocate: await getAdvocate(ctx, idOf(req, 'advocate')) })));
  r.post('/advocates', write(zCreateAdvocateRequest, 201, async (ctx, data) => ({ advocate: await createAdvocate(ctx, data) })));
  r.patch('/advocates/:id', write(zUpdateAdvocateRequest, 200, async (ctx, data, req) => ({ advocate: await updateAdvocate(ctx, idOf(req, 'advocate'), data) })));
  r.post('/advocates/:id/points', write(zPointsRequest, 200, async (ctx, data, req) => {
    const advocate = await findAdvocate(ctx, idOf(req, 'advocate'));
    const { transaction, new_balance } = await recordPointsRequest(ctx, advocate.id, data);
    return { transaction, new_balance };
  }));

  // ---- Rewards
  r.get('/rewards', read(zCatalogueListQuery, async (ctx, query) => ({ rewards: await listCatalogue(ctx, query) })));
  r.get('/rewards/:id', read(zNoFields, async (ctx, _query, req) => ({ reward: await getCatalogueReward(ctx, idOf(req, 'reward')) })));
  r.post('/rewards', write(zCreateCatalogueRewardRequest, 201, async (ctx, data) => ({ reward: await createCatalogueReward(ctx, data) })));
  r.post('/rewards/:id/redeem', write(zRedeemRequest, 200, async (ctx, data, req) =>
    ({ redemption: (await redeemCatalogueReward(ctx, idOf(req, 'reward'), data)).redemption })));

  // ---- Quests
  r.get('/quests', read(zQuestListQuery, async (ctx, query) => ({ quests: await listQuests(ctx, query.status) })));
  r.get('/quests/:id', read(zNoFields, async (ctx, _query, req) => {
    const { quest, tasks } = await getQuest(ctx, idOf(req, 'quest'), { limit: 1 });
    return { quest, tasks };
  }));
  r.post('/quests', write(zCreateQuestRequest, 201, async (ctx, data) => ({ quest: await createQuest(ctx, data) })));
  r.post('/quests/:id/complete', write(zCompleteTaskRequest, 200, async (ctx, data, req) => {
    const { completion, points_awarded } = await completeTask(ctx, idOf(req, 'quest'), data);
    return { completion, points_awarded };
  }));

  // ---- Referrals (a click is a visit: the plan visits need, as /api/v1's /referrals/track)
  r.get('/referrals', read(zReferralListQuery, async (ctx, query) => {
    const filter = { advocateId: query.advocate_id ?? null, status: query.status ?? null, search: query.search ?? null };
    return { referrals: (await listPage('referrals', pageOf(query), (slice) => listReferrals(ctx, filter, slice), () => totalReferrals(ctx, filter))).referrals };
  }));
  r.get('/referrals/:code/stats', read(zNoFields, async (ctx, _query, req) => {
    const { clicks, conversions, revenue } = await getReferralStats(ctx, String(req.params.code));
    return { clicks, conversions, revenue };
  }));
  r.post('/referrals/track', requirePlan('premier', 'visit tracking'), useCase(deps, 'platform referrals/track', zReferralTrackRequest,
    async (ctx, data) => bare(200, { tracked: (await trackReferral(ctx, data)).tracked })));
  r.post('/referrals/convert', useCase(deps, 'platform referrals/convert', zReferralConvertRequest, async (ctx, data) => {
    const { conversion, points_awarded } = await convertReferral(ctx, data);
    return bare(200, { conversion, points_awarded });
  }));

  // ---- Testimonials
  r.get('/testimonials', read(zTestimonialListQuery, async (ctx, query) => {
    const { testimonials, total } = await listTestimonials(ctx, { status: query.status, rating: query.rating }, counted(pageOf(query)), testimonialView);
    return { testimonials, total };
  }));
  r.patch('/testimonials/:id', write(zModerateTestimonialRequest, 200, async (ctx, data, req) =>
    ({ testimonial: await moderateTestimonial(ctx, idOf(req, 'testimonial'), data.status) })));

  // ---- Feedback
  r.get('/feedback/boards', read(zNoFields, async (ctx) => ({ boards: await listBoards(ctx) })));
  r.get('/feedback/boards/:id/ideas', read(zIdeaListQuery, async (ctx, query, req) => {
    const { ideas, total } = await listIdeas(ctx, idOf(req, 'board'), { status: query.status, sort: query.sort ?? 'newest', votes: query.cursor?.votes },
      counted(pageOf({ ...query, cursor: query.cursor?.id })));
    return { ideas, total };
  }));
  r.patch('/feedback/ideas/:id', write(zIdeaStatusRequest, 200, async (ctx, data, req) => ({ idea: await setIdeaStatus(ctx, idOf(req, 'idea'), data.status) })));

  // ---- SSO: the Bearer key says the brand; the signature still proves the customer, as /api/v1's recognize.
  r.post('/sso/recognize', verifyRecognition(deps), useCase(deps, 'platform sso_recognize', zRecognizeRequest, async (ctx, data) => {
    const { advocate_id, session_token } = await recognize(ctx, data);
    return bare(200, { advocate_id, session_token });
  }));
  r.get('/sso/mappings', read(zMappingListQuery, async (ctx, query) => ({ mappings: (await listMappings(ctx, query.advocate_id, pageOf(query))).mappings })));
  r.post('/sso/mappings', write(zCreateMappingRequest, 201, async (ctx, data) => ({ mapping: await createMapping(ctx, data) })));

  r.use(notFoundHandler);
  r.use(platformErrors(deps));
  return r;
}

/**
 * /sso/recognize's signature: `businessId` must be the Bearer key's brand (another brand's is a 403), and the HMAC one
 * of that brand's secret keys made over the claim, within 300 s (domain/sso.ts), else a 401 naming `signature` or
 * `timestamp`, counted against the client IP's failed-authentication budget as /api/v1's.
 */
function verifyRecognition(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { data } = parseBody(zRecognizeRequest, body);
    const { brand } = callerOf(res);
    if (data.businessId !== brand.id) {
      throw new ApiError(403, 'brand_mismatch', 'businessId is not the brand of this API key', [{ field: 'businessId', message: 'is not the brand of this API key' }]);
    }
    try {
      verifySsoSignature((await signingSecrets(deps, brand.id)).map((k) => k.secret), ssoClaimOf(body), data.signature, deps.now().getTime());
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      const field = error.code === 'timestamp_out_of_range' ? 'timestamp' : 'signature';
      return failAuthentication(deps, req, res, next, new ApiError(401, error.code, error.message, [{ field, message: error.message }]));
    }
    next();
  };
}
