// Management API, /referral-records (003_*'s referral records): every commission as a record of who referred whom,
// and records entered for referrals made elsewhere (secret key only).
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zCreateReferralRecordRequest, zReferralRecordListQuery } from '../../schemas/referralRecords.ts';
import { createRecord, getRecord, recordPage, totalRecords } from '../../services/referralRecords.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { listPage, pageOf } from '../query.ts';
import { ok } from '../useCase.ts';

export function referralRecordRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/referral-records', ...guard, readCase(deps, zReferralRecordListQuery, (ctx, query) =>
    listPage('referral_records', pageOf(query), (slice) => recordPage(ctx, query, slice), () => totalRecords(ctx, query))));

  router.get('/referral-records/:uuid', ...guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ referral_record: await getRecord(ctx, String(req.params.uuid)) })));

  router.post('/referral-records', ...guard, writeCase(deps, zCreateReferralRecordRequest,
    async (ctx, data) => ok(201, { referral_record: await createRecord(ctx, data) })));

  return router;
}
