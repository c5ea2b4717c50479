// Management API, /payouts: what to pay now (approved commissions less clawbacks owed, per advocate), as JSON or
// CSV, and recording a payout.
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zPayoutRequest } from '../../schemas/commissions.ts';
import { PAYOUT_CHUNK, PAYOUT_CSV_COLUMNS, markPaid, payoutAnswer, payoutCsvRows } from '../../services/commissions.ts';
import { piecewise } from '../stream.ts';
import { exportCase, manageGuard, streamCase, writeCase } from '../manage.ts';
import { ok } from '../useCase.ts';

export function payoutRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  // The whole payout in one answer (one list a human pays from), streamed advocate chunk by advocate chunk; an
  // advocate with more lines than a chunk is written PAYOUT_CHUNK lines a piece.
  router.get('/payouts', ...guard, streamCase(deps, zNoFields, 'advocates', async (ctx) => {
    const { advocates, summary } = payoutAnswer(ctx);
    async function* batches() {
      for await (const chunk of advocates) {
        const long = chunk.length === 1 && chunk[0]!.lines.length > PAYOUT_CHUNK;
        yield long ? piecewise(chunk[0]!, 'lines', PAYOUT_CHUNK) : chunk;
      }
    }
    return { batches: batches(), tail: summary };
  }));

  // Before any /payouts/:id; the same lines as CSV, one per line with its advocate (what `payout mark-paid` reads),
  // at most PAYOUT_CHUNK lines a piece.
  router.get('/payouts/export', ...guard, exportCase(deps, zNoFields, 'payout.csv', PAYOUT_CSV_COLUMNS, async function* (ctx) {
    for await (const advocates of payoutAnswer(ctx).advocates) {
      const rows = payoutCsvRows(advocates);
      if (rows.length === 0) yield rows;
      for (let i = 0; i < rows.length; i += PAYOUT_CHUNK) yield rows.slice(i, i + PAYOUT_CHUNK);
    }
  }));

  router.post('/payouts', ...guard, writeCase(deps, zPayoutRequest, async (ctx, data) => ok(200, await markPaid(ctx, data.commission_ids, 'api',
    data.note ?? null, (data.clawbacks ?? []).map((c) => ({ commissionId: c.commission_id, cents: c.amount }))))));

  return router;
}
