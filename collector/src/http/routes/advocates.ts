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

const advocateIdOf = (req: Request) => pathId(req.params.id, 'advocate');

export function advocateRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/advocates', guard, readCase(deps, zAdvocateListQuery, (ctx, query) => {
    const filter = { status: query.status ?? null, tier: query.tier ?? null, search: query.search ?? null };
    return listPage('advocates', pageOf(query), (slice) => listAdvocates(ctx, filter, slice), () => totalAdvocates(ctx, filter));
  }));

  router.post('/advocates', guard, writeCase(deps, zCreateAdvocateRequest,
    (ctx, data) => ok(201, { advocate: createAdvocate(ctx, data) })));

  router.get('/advocates/:id', guard, readCase(deps, zNoFields,
    (ctx, _query, req) => ({ advocate: getAdvocate(ctx, advocateIdOf(req)) })));

  router.patch('/advocates/:id', guard, writeCase(deps, zUpdateAdvocateRequest,
    (ctx, data, req) => ok(200, { advocate: updateAdvocate(ctx, advocateIdOf(req), data) })));

  router.post('/advocates/:id/codes', guard, writeCase(deps, zAddCodeRequest, (ctx, data, req) => {
    const advocate = findAdvocate(ctx, advocateIdOf(req));
    return ok(201, { referral: addCode(ctx, advocate, data.code) });
  }));

  router.post('/advocates/:id/points', guard, writeCase(deps, zPointsRequest, (ctx, data, req) => {
    const advocate = findAdvocate(ctx, advocateIdOf(req));
    return ok(200, recordPointsRequest(ctx, advocate.id, data));
  }));

  router.get('/advocates/:id/points', guard, readCase(deps, zPageQuery, (ctx, query, req) => {
    const advocate = findAdvocate(ctx, advocateIdOf(req));
    const page = pageOf(query);
    const { balance, items, total } = pointsLedger(ctx, advocate.id, page);
    return { balance, ...countedList('transactions', items, total, page) };
  }));

  return router;
}
