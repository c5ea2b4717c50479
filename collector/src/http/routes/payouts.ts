// Management API, /payouts: what to pay now (approved commissions less clawbacks owed), and recording a payout.
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zPayoutRequest } from '../../schemas/commissions.ts';
import { markPaid, payoutList } from '../../services/commissions.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { ok } from '../useCase.ts';

export function payoutRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/payouts', ...guard, readCase(deps, zNoFields, (ctx) => payoutList(ctx)));

  router.post('/payouts', ...guard, writeCase(deps, zPayoutRequest, (ctx, data) => ok(200, markPaid(ctx, data.commission_ids, 'api',
    data.note ?? null, (data.clawbacks ?? []).map((c) => ({ commissionId: c.commission_id, cents: c.amount }))))));

  return router;
}
