// Management API, /advocates, their codes and points (secret key only).
import { zNoFields } from '../../schemas/common.ts';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import type { Ctx } from '../../services/context.ts';
import type { Answer } from '../idempotency.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { countedList, listPage, pageOf, pathId } from '../query.ts';
import { ok } from '../useCase.ts';
import {
  zAddCodeRequest, zAdvocateListQuery, zCreateAdvocateRequest, zPageQuery, zPointsRequest, zUpdateAdvocateRequest,
} from '../../schemas/advocates.ts';
import { createAdvocate, findAdvocate, getAdvocate, listAdvocates, totalAdvocates, updateAdvocate } from '../../services/advocates.ts';
import { addCode } from '../../services/referralCodes.ts';
import { pointsLedger, recordPointsRequest } from '../../services/points.ts';
import { createPortalLink } from '../../services/portal.ts';
import { publicUrlOf } from '../../config.ts';
import { decryptSecret, encryptSecret } from '../../domain/keys.ts';

const advocateIdOf = (req: Request) => pathId(req.params.id, 'advocate');

export function advocateRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/advocates', guard, readCase(deps, zAdvocateListQuery, (ctx, query) => {
    const filter = { status: query.status ?? null, tier: query.tier ?? null, campaignId: query.campaign_id ?? null, search: query.search ?? null };
    return listPage('advocates', pageOf(query), (slice) => listAdvocates(ctx, filter, slice), () => totalAdvocates(ctx, filter));
  }));

  router.post('/advocates', guard, writeCase(deps, zCreateAdvocateRequest,
    async (ctx, data) => ok(201, { advocate: await createAdvocate(ctx, data) })));

  router.get('/advocates/:id', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ advocate: await getAdvocate(ctx, advocateIdOf(req)) })));

  router.patch('/advocates/:id', guard, writeCase(deps, zUpdateAdvocateRequest,
    async (ctx, data, req) => ok(200, { advocate: await updateAdvocate(ctx, advocateIdOf(req), data) })));

  router.post('/advocates/:id/codes', guard, writeCase(deps, zAddCodeRequest, async (ctx, data, req) => {
    const advocate = await findAdvocate(ctx, advocateIdOf(req));
    return ok(201, { referral: await addCode(ctx, advocate, data.code) });
  }));

  router.post('/advocates/:id/points', guard, writeCase(deps, zPointsRequest, async (ctx, data, req) => {
    const advocate = await findAdvocate(ctx, advocateIdOf(req));
    return ok(200, await recordPointsRequest(ctx, advocate.id, data));
  }));

  router.get('/advocates/:id/points', guard, readCase(deps, zPageQuery, async (ctx, query, req) => {
    const advocate = await findAdvocate(ctx, advocateIdOf(req));
    const page = pageOf(query);
    const { balance, items, total } = await pointsLedger(ctx, advocate.id, page);
    return { balance, ...countedList('transactions', items, total, page) };
  }));

  // The advocate portal's entry: a single-use link, valid for an hour (services/portal.ts). Its token opens the
  // portal, so an Idempotency-Key's stored answer keeps the link sealed with the master key (as a webhook's new secret)
  // and it is unsealed as it is sent, the first time and on a replay alike.
  router.post('/advocates/:id/portal-link', guard, writeCase(deps, zNoFields, async (ctx, _data, req) => {
    const { url, expires_at } = await createPortalLink(ctx, advocateIdOf(req), publicUrlOf(deps.config));
    return ok(201, { url_sealed: encryptSecret(url, deps.masterKey), expires_at });
  }, {
    committed: (answer) => {
      const { url_sealed: sealed, ...rest } = (answer.body as { data: { url_sealed: string; expires_at: string } }).data;
      (answer.body as { data: unknown }).data = { url: decryptSecret(sealed, deps.masterKey), ...rest };
    },
  }));

  return router;
}
