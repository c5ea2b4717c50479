// Management API, /referrals: every referral code and its stats; deactivating a code (secret key only).
import { zNoFields } from '../../schemas/common.ts';
import express, { type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { listPage, pageOf } from '../query.ts';
import { ok } from '../useCase.ts';
import { zCodeStatusRequest, zReferralListQuery } from '../../schemas/advocates.ts';
import { getReferral, getReferralStats, listReferrals, setCodeStatus, totalReferrals } from '../../services/referralCodes.ts';

const codeOf = (req: Request) => String(req.params.code);

export function referralRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/referrals', guard, readCase(deps, zReferralListQuery, (ctx, query) => {
    const filter = { advocateId: query.advocate_id ?? null, status: query.status ?? null, search: query.search ?? null };
    return listPage('referrals', pageOf(query), (slice) => listReferrals(ctx, filter, slice), () => totalReferrals(ctx, filter));
  }));

  router.get('/referrals/:code', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ referral: await getReferral(ctx, codeOf(req)) })));

  router.get('/referrals/:code/stats', guard, readCase(deps, zNoFields,
    (ctx, _query, req) => getReferralStats(ctx, codeOf(req))));

  router.patch('/referrals/:code', guard, writeCase(deps, zCodeStatusRequest,
    async (ctx, data, req) => ok(200, { referral: await setCodeStatus(ctx, codeOf(req), data.status) })));

  // Codes are never deleted (visits and conversions refer to them): DELETE deactivates.
  router.delete('/referrals/:code', guard, writeCase(deps, zNoFields,
    async (ctx, _data, req) => ok(200, { referral: await setCodeStatus(ctx, codeOf(req), 'inactive') })));

  return router;
}
