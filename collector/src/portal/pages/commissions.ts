// /portal/commissions: the advocate's own commissions, newest first, as GET /api/v1/commissions?advocate_id= answers
// them for the session's advocate (its schema, its keyset pages, its status filter), with their status in words. The
// shared steps of the portal's own pages that read money (settled first, the figures' formats) are here too.
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { ACTION_NAMES } from '../../domain/actions.ts';
import { toApiError } from '../../http/errors.ts';
import { settledBrand } from '../../http/manage.ts';
import { listPage, pageOf, parseQuery } from '../../http/query.ts';
import { zCommissionListQuery } from '../../schemas/commissions.ts';
import { commissionPage, type CommissionView } from '../../services/commissions.ts';
import type { Ctx } from '../../services/context.ts';
import { count, when } from '../../dashboard/format.ts';
import { html, type SafeHtml } from '../../dashboard/html.ts';
import { problemOf, type FormBody, type FormProblem } from '../../dashboard/page.ts';
import { pager, problemSummary, select, table } from '../../dashboard/ui.ts';
import { portalPage, type PortalCtx } from '../forms.ts';
import type { PortalPage } from '../layout.ts';
import { PORTAL_PATH } from '../session.ts';

export const PORTAL_COMMISSIONS_PATH = `${PORTAL_PATH}/commissions`;
const PER_PAGE = 25;

/** Money as the home page shows it: the API's decimal in the brand's currency ("$1,234.50"). */
export const moneyOf = (amount: number | string, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amount));

/** A commission's value as the API answers it: cash in the brand's currency, or whole points. */
const valueOf = (c: CommissionView, value: number): string => (c.kind === 'cash' ? moneyOf(value, c.currency) : `${count(value)} points`);

/**
 * A portal page's read context once the brand's due commissions are approved (as the API's reads do first), so a
 * status is the one GET /commissions answers now.
 */
export async function settledCtx(deps: AppDeps, p: PortalCtx): Promise<Ctx> {
  await settledBrand(deps, p.ctx.brand, p.ctx.now);
  return p.ctx;
}

/** The last value of a query parameter ('' when absent). */
export const queryValue = (req: Request, name: string): string => {
  const v = (req.query as Record<string, unknown>)[name];
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof one === 'string' ? one : '';
};

/** A payout's page: its moment's milliseconds (portal/pages/payouts.ts reads them back). */
export const payoutPath = (paidAt: string): string => `${PORTAL_PATH}/payouts/${Date.parse(paidAt)}`;

/** The status in words, for the advocate (with why, when the API says why). */
export function statusWords(c: CommissionView): SafeHtml {
  switch (c.status) {
    case 'pending': return html`<span class="status status-pending">Pending</span>: approved on ${when(c.available_at)}${c.conversion_id !== null ? ' unless the order is refunded' : ''}`;
    case 'approved': return html`<span class="status status-approved">Approved</span>, to be paid`;
    case 'paid': return c.clawed_back > 0
      ? html`<span class="status status-rejected">Clawed back</span>: paid ${when(c.paid_at)}, then ${valueOf(c, c.clawed_back)} taken back (the order was refunded)`
      : html`<span class="status status-paid">Paid</span> ${c.kind === 'cash' && c.paid_at ? html`<a href="${payoutPath(c.paid_at)}">${when(c.paid_at)}</a>` : when(c.paid_at)}`;
    case 'rejected': return html`<span class="status status-rejected">Rejected</span>${c.reason ? html`: ${c.reason}` : ''}`;
    case 'reversed': return html`<span class="status status-rejected">Reversed</span>: the order was refunded before payment`;
  }
}

/** What earned it: the order and its amount (no customer data), or the action. */
export function earnedFor(c: CommissionView): SafeHtml {
  if (c.conversion_id !== null) {
    return html`Order ${c.order_id ?? `#${c.conversion_id}`}${c.conversion_amount !== null ? html` of ${moneyOf(c.conversion_amount, c.currency)}` : ''}`;
  }
  return html`${ACTION_NAMES[c.reward_action_type]}${c.order_id ? html` (order ${c.order_id})` : ''}`;
}

const LEVELS = { 1: 'Your referral', 2: 'Referred by someone you referred' } as const;

export const STATUS_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['', 'Any status'], ['pending', 'Pending'], ['approved', 'Approved, to be paid'], ['paid', 'Paid'],
  ['rejected', 'Rejected'], ['reversed', 'Reversed (refunded before payment)'],
];

async function commissionsPage(deps: AppDeps, p: PortalCtx): Promise<PortalPage> {
  const { req, viewer } = p;
  const values: Record<string, string> = {};
  for (const k of ['status', 'cursor']) if (queryValue(req, k) !== '') values[k] = queryValue(req, k);
  let problem: FormProblem | undefined;
  let list: { commissions: CommissionView[]; next_cursor: string | null } = { commissions: [], next_cursor: null };
  try {
    // GET /api/v1/commissions?advocate_id=<the session's advocate>&status=&cursor=, PER_PAGE a page, newest first.
    const query = parseQuery(zCommissionListQuery, { ...values, advocate_id: String(viewer.advocate.id), limit: String(PER_PAGE) }).data;
    const ctx = await settledCtx(deps, p);
    const answer = await listPage('commissions', pageOf(query), (slice) => commissionPage(ctx, query, slice));
    list = { commissions: answer.commissions as CommissionView[], next_cursor: answer.next_cursor };
  } catch (err) {
    const e = toApiError(err);
    if (!e || e.status >= 500) throw err;
    problem = problemOf(e, values as FormBody);
  }
  const filter = html`<form class="card row" method="get" action="${PORTAL_COMMISSIONS_PATH}" role="search" aria-label="Filter your commissions">
${select({ name: 'status', label: 'Status', value: values.status ?? '', problem, options: STATUS_OPTIONS })}
<div class="field"><button type="submit">Show</button></div>
${values.status ? html`<div class="field"><a href="${PORTAL_COMMISSIONS_PATH}">Every status</a></div>` : ''}
</form>
${problemSummary(problem)}${problem?.fields.cursor ? html`<p class="field-error">This page of the list no longer exists: <a href="${PORTAL_COMMISSIONS_PATH}">start from the newest</a>.</p>` : ''}`;
  const head = html`<tr><th scope="col">Date</th><th scope="col">Earned for</th><th scope="col">Level</th><th scope="col" class="num">Commission</th><th scope="col">Status</th></tr>`;
  const rows = list.commissions.map((c) => html`<tr data-commission="${c.id}">
<td>${when(c.created_at)}</td>
<td>${earnedFor(c)}</td>
<td>${LEVELS[c.level]}</td>
<td class="num">${valueOf(c, c.amount)}</td>
<td>${statusWords(c)}</td>
</tr>`);
  const short = list.commissions.length < PER_PAGE && list.next_cursor !== null
    ? html`<p class="hint">This page looked at a bounded part of the list; "Older" goes on from where it stopped.</p>` : '';
  const body = html`${filter}
${table(`Your commissions, newest first, ${PER_PAGE} a page`, head, rows, values.status ? 'No commission with this status.' : 'No commissions yet: they appear here when someone buys through your link.')}${short}
${pager(PORTAL_COMMISSIONS_PATH, { status: values.status }, list.next_cursor, values.cursor === undefined, { label: 'Commission pages' })}`;
  return { title: 'Your commissions', nav: 'commissions', body, status: problem ? 400 : 200 };
}

export function commissionRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/commissions', portalPage(deps, (p) => commissionsPage(deps, p)));
  return r;
}
