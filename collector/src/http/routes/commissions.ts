// Management API, /commissions: rewards, their status changes and history, the CSV export (secret key only).
import { zNoFields } from '../../schemas/common.ts';
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { exportCase, manageGuard, readCase, settledBefore, writeCase } from '../manage.ts';
import { listPage, pageOf, pathId } from '../query.ts';
import type { CsvColumn } from '../csv.ts';
import { ok } from '../useCase.ts';
import {
  zCommissionExportQuery, zCommissionListQuery, zCommissionStatusRequest,
} from '../../schemas/commissions.ts';
import {
  commissionPage, exportCommissions, getCommission, setCommissionStatus, totalCommissions, type CommissionExportRow,
} from '../../services/commissions.ts';

const CSV_COLUMNS: CsvColumn<CommissionExportRow>[] = [
  ['id', (r) => r.id],
  ['advocate_id', (r) => r.advocate_id],
  ['advocate_name', (r) => r.advocate_name],
  ['advocate_email', (r) => r.advocate_email],
  ['level', (r) => r.level],
  ['kind', (r) => r.kind],
  ['status', (r) => r.status],
  ['amount', (r) => r.amount],
  ['clawed_back', (r) => r.clawed_back],
  ['clawback_recovered', (r) => r.clawback_recovered],
  ['net_amount', (r) => r.net_amount],
  ['currency', (r) => r.currency],
  ['order_id', (r) => r.order_id],
  ['conversion_id', (r) => r.conversion_id],
  ['conversion_amount', (r) => r.conversion_amount],
  ['reason', (r) => r.reason],
  ['available_at', (r) => r.available_at],
  ['approved_at', (r) => r.approved_at],
  ['paid_at', (r) => r.paid_at],
  ['created_at', (r) => r.created_at],
];

export function commissionRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/commissions', ...guard, readCase(deps, zCommissionListQuery, (ctx, query) =>
    listPage('commissions', pageOf(query), (slice) => commissionPage(ctx, query, slice), () => totalCommissions(ctx, query))));

  // Before /commissions/:id, which would take "export" for an id.
  router.get('/commissions/export', ...guard,
    exportCase(deps, zCommissionExportQuery, 'commissions.csv', CSV_COLUMNS, exportCommissions));

  router.get('/commissions/:id', ...guard, readCase(deps, zNoFields, async (ctx, _query, req) =>
    ({ commission: await getCommission(ctx, pathId(req.params.id, 'commission')) })));

  const changeStatus = writeCase(deps, zCommissionStatusRequest, async (ctx, data, req) =>
    ok(200, { commission: await setCommissionStatus(ctx, pathId(req.params.id, 'commission'), data.status, data.reason ?? null, 'api') }));
  router.put('/commissions/:id/status', ...guard, changeStatus);
  router.patch('/commissions/:id/status', ...guard, changeStatus);

  // writeCase settles the backlog batch by batch before the answer's job: the answer says what that approved. The
  // ids are bounded: the first SETTLED_IDS_KEPT (oldest due first), and `truncated` when there were more. A backlog
  // longer than a request waits for (SETTLE_WAIT_BATCHES) goes on in the background: `remaining` says so.
  router.post('/commissions/approve-due', ...guard, writeCase(deps, zNoFields, (_ctx, _data, _req, res) => {
    const { count, ids, remaining } = settledBefore(res);
    return ok(200, { approved: count, commissions: ids, truncated: count > ids.length, remaining });
  }, { partialSettle: true }));

  return router;
}
