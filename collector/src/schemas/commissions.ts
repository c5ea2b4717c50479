// Request schemas of /commissions and /payouts: the list and export filters (query string), the status change and a payout (bodies).
import { z } from 'zod';
import { OPERATOR_STATUSES } from '../domain/commissions.ts';
import { zPagination, zDateRange, zQueryDate, zQueryInt } from '../http/query.ts';
import { zCents, zId, zText } from './common.ts';

export const zCommissionStatus = z.enum(['pending', 'approved', 'paid', 'rejected', 'reversed'], {
  error: 'must be pending, approved, paid, rejected or reversed',
});

const zAdvocateFilter = zQueryInt(1, 999_999_999_999_999).optional();

/**
 * The filters of GET /commissions and its CSV export. The advocate may be named `advocate_id`, or as in
 * 004_* `affiliate_id` / `affiliateId`; the first one given wins.
 */
const filterFields = {
  status: zCommissionStatus.optional(),
  advocate_id: zAdvocateFilter,
  affiliate_id: zAdvocateFilter,
  affiliateId: zAdvocateFilter,
  level: z.enum(['1', '2'], { error: 'must be 1 or 2' }).transform((v) => (v === '1' ? 1 : 2) as 1 | 2).optional(),
  ...zDateRange,
};

const toFilters = <T extends { advocate_id?: number | undefined; affiliate_id?: number | undefined; affiliateId?: number | undefined }>(
  { advocate_id, affiliate_id, affiliateId, ...rest }: T,
) => ({ ...rest, advocateId: advocate_id ?? affiliate_id ?? affiliateId });

export const zCommissionExportQuery = z.object(filterFields).transform(toFilters);

export const zCommissionListQuery = z.object({ ...filterFields, ...zPagination }).transform(toFilters);

/** PUT|PATCH /commissions/:id/status (004_*): the new status, and a reason (kept as the rejection reason). */
export const zCommissionStatusRequest = z.object({
  status: z.enum(OPERATOR_STATUSES, { error: 'must be approved, paid or rejected' }),
  reason: zText(500).nullable().optional(),
});

/**
 * The most commissions (and clawback lines) one POST /payouts records: one commit-queue job, about 100-170 µs a
 * commission on a quiet machine (its update, history row, the counters' triggers and its line in the answer), so
 * ~25-45 ms of the event loop; 5,000 took 0.8-1.6 s, and 500 took 240 ms on the shared machine under load, holding
 * every other request. A longer payout is recorded in several.
 */
export const PAYOUT_MAX_COMMISSIONS = 250;

const payoutMax = (what: string) => `must hold at most ${PAYOUT_MAX_COMMISSIONS} ${what}: record a longer payout in several`
  + ' requests, best of whole advocates as GET /payouts lists them (a clawback line nets only against its advocate\'s commissions in the same request)';

/**
 * POST /payouts: what a payout paid, as GET /payouts listed it: the commission lines' ids, and the clawback
 * lines (commission_id and the amount netted off, negative as listed or positive).
 */
export const zPayoutRequest = z.object({
  commission_ids: z.array(zId, { error: 'must be an array of commission ids' }).min(1, 'must name at least one commission')
    .max(PAYOUT_MAX_COMMISSIONS, payoutMax('commission ids')),
  clawbacks: z.array(z.object({
    commission_id: zId,
    amount: z.union([z.number(), z.string()], { error: 'must be a number' })
      .transform((v) => (typeof v === 'number' ? Math.abs(v) : v.replace(/^-/, '')))
      .pipe(zCents),
  }), { error: 'must be an array of {commission_id, amount}' }).max(PAYOUT_MAX_COMMISSIONS, payoutMax('clawback lines')).optional(),
  note: zText(500).optional(),
});

// The dashboard's commission queue and payout page (collector/src/dashboard/pages/commissions.ts, payouts.ts).

/**
 * Several commissions approved or rejected at once, all or none: the ids selected (at most a list page's 100: one
 * job of that many status changes stays a few milliseconds), and the API's status and reason.
 */
export const zCommissionBatchRequest = z.object({
  commission_ids: z.array(zId, { error: 'must be a list of commission ids' }).min(1, 'select at least one commission')
    .max(100, 'may hold at most 100 commissions (a page of the list): change more in several'),
  status: z.enum(['approved', 'rejected'], { error: 'must be approved or rejected' }),
  reason: zText(500).optional(),
});

/** The payout page's query: the advocate its page of advocates follows, and the past payouts' cursor (a paid_at). */
export const zPayoutPageQuery = z.object({
  after: zQueryInt(0, 999_999_999_999_999).optional(),
  runs_before: zQueryDate.optional(),
});
