// Management API, /visits, /claims, /conversions lists and the conversions CSV export (secret key only).
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zClaimListQuery, zConversionExportQuery, zConversionListQuery, zVisitListQuery } from '../../schemas/records.ts';
import {
  exportConversions, getClaim, getConversion, listClaims, listConversions, listVisits, totalClaims, totalConversions, totalVisits,
  type ConversionRow,
} from '../../services/records.ts';
import type { CsvColumn } from '../csv.ts';
import { exportCase, manageGuard, readCase } from '../manage.ts';
import { listPage, pageOf, pathId } from '../query.ts';

/** The export's columns, named like the JSON fields; money as decimals (products, coupons, metadata left out). */
const CONVERSION_CSV_COLUMNS: CsvColumn<ConversionRow>[] = (
  ['id', 'created_at', 'order_id', 'email', 'name', 'status', 'attribution', 'advocate_id', 'code', 'claim_id',
    'order_value', 'order_total', 'tax', 'shipping', 'discount', 'discount_applied', 'total_discount', 'paid',
    'refunded', 'currency', 'type', 'source', 'visitor_id'] as const
).map((field): CsvColumn<ConversionRow> => [field, (row) => row[field]]);

export function recordRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/visits', ...guard, readCase(deps, zVisitListQuery, (ctx, query) =>
    listPage('visits', pageOf(query), (slice) => listVisits(ctx, query, slice), () => totalVisits(ctx, query))));

  router.get('/claims', ...guard, readCase(deps, zClaimListQuery, (ctx, query) =>
    listPage('claims', pageOf(query), (slice) => listClaims(ctx, query, slice), () => totalClaims(ctx, query))));
  router.get('/claims/:id', ...guard,
    readCase(deps, zNoFields, (ctx, _query, req) => getClaim(ctx, pathId(req.params.id, 'claim'))));

  router.get('/conversions', ...guard, readCase(deps, zConversionListQuery, (ctx, query) =>
    listPage('conversions', pageOf(query), (slice) => listConversions(ctx, query, slice), () => totalConversions(ctx, query))));
  // Before /conversions/:id, which would take "export" for an id.
  router.get('/conversions/export', ...guard,
    exportCase(deps, zConversionExportQuery, 'conversions.csv', CONVERSION_CSV_COLUMNS, exportConversions));
  router.get('/conversions/:id', ...guard,
    readCase(deps, zNoFields, (ctx, _query, req) => getConversion(ctx, pathId(req.params.id, 'conversion'))));

  return router;
}
