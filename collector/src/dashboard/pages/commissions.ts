// /dashboard/commissions: the commission queue (the API's GET /commissions filters and keyset paging), approving or
// rejecting many at once (one commit-queue job, all or none), and one commission's page with its history.
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { ACTION_NAMES } from '../../domain/actions.ts';
import { toHundredths } from '../../domain/money.ts';
import { toApiError } from '../../http/errors.ts';
import { listPage, pageOf, parseQuery, pathId } from '../../http/query.ts';
import { zCommissionBatchRequest, zCommissionListQuery } from '../../schemas/commissions.ts';
import { setCommissionsStatus } from '../../services/commissionBatch.ts';
import { commissionPage, getCommission, type CommissionView } from '../../services/commissions.ts';
import type { Ctx } from '../../services/context.ts';
import { count, money, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, fields, optional, page, problemOf, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH, viewerOf } from '../session.ts';
import { badge, input, pager, problemSummary, select, table } from '../ui.ts';

export const COMMISSIONS_PATH = `${DASHBOARD_PATH}/commissions`;
const PER_PAGE = 50;

/** The query parameters of the queue this page offers (the API's GET /commissions filters, and the cursor). */
const FILTERS = ['status', 'level', 'advocate_id', 'from', 'to', 'cursor'] as const;
type Values = Partial<Record<(typeof FILTERS)[number], string>>;

export const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });

/** A commission's value as the API answers it (a decimal of cash, or whole points) in the brand's currency. */
export const commissionValue = (p: PageCtx, kind: 'cash' | 'points', value: number): string =>
  kind === 'cash' ? money(toHundredths(value), p.brand.currency) : `${count(value)} points`;

const valuesOf = (query: Record<string, unknown>): Values => {
  const out: Values = {};
  for (const k of FILTERS) {
    const v = query[k];
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof one === 'string' && one !== '') out[k] = one;
  }
  return out;
};

/** Where a form of this page may send the browser back to: a queue or a commission page, nothing else. */
const safeReturn = (value: string): string =>
  /^\/dashboard\/commissions(\/\d{1,15})?(\?[A-Za-z0-9_.~%=&+:-]*)?$/.test(value) ? value : COMMISSIONS_PATH;

/** "becomes approved on" for a pending commission (created + the cooling period), else when it was approved / paid. */
function dueOrDone(c: CommissionView): SafeHtml {
  if (c.status === 'pending') return html`<span class="muted">due</span> ${when(c.available_at)}`;
  if (c.paid_at) return html`<span class="muted">paid</span> ${when(c.paid_at)}`;
  if (c.approved_at) return html`<span class="muted">approved</span> ${when(c.approved_at)}`;
  return html`—`;
}

/** The approve / reject controls: one form for many, or for one commission on its own page. */
function statusControls(problem: FormProblem | undefined, what: string, approve = true): SafeHtml {
  return html`<div class="row">
${input({ name: 'reason', label: 'Reason (kept in the history; a rejection\'s reason is shown with it)', value: '', problem })}
${approve ? html`<div class="field"><button type="submit" name="status" value="approved">Approve ${what}</button></div>` : ''}
<div class="field"><button type="submit" name="status" value="rejected" class="danger">Reject ${what}</button></div>
</div>${problem?.fields.status ? html`<p class="field-error">${problem.fields.status}</p>` : ''}`;
}

async function queuePage(p: PageCtx, values: Values, problem?: FormProblem): Promise<Page> {
  const owner = p.viewer.user.role === 'owner';
  let filterProblem: FormProblem | undefined;
  let list: { commissions: CommissionView[]; next_cursor: string | null } | undefined;
  try {
    // GET /api/v1/commissions with these filters, PER_PAGE a page, newest first.
    const query = parseQuery(zCommissionListQuery, { ...values, limit: String(PER_PAGE) }).data;
    const ctx = ctxOf(p);
    const answer = await listPage('commissions', pageOf(query), (slice) => commissionPage(ctx, query, slice));
    // The list sits under the name given to listPage.
    list = { commissions: (answer as unknown as { commissions: CommissionView[] }).commissions, next_cursor: answer.next_cursor };
  } catch (err) {
    const e = toApiError(err);
    if (!e || e.status >= 500) throw err;
    filterProblem = problemOf(e, values as FormBody);
  }
  const names = new Map<number, string>();
  for (const c of list?.commissions ?? []) {
    if (!names.has(c.advocate_id)) names.set(c.advocate_id, (await p.q.advocates.findById(p.brand.id, c.advocate_id))?.name ?? `advocate ${c.advocate_id}`);
  }
  const picked = new Set(problem ? fields(problem.values, 'commission_ids') : []);
  const filtered = FILTERS.some((k) => k !== 'cursor' && values[k]);
  const filters = html`<form class="card row" method="get" action="${COMMISSIONS_PATH}" role="search" aria-label="Filter commissions">
${select({ name: 'status', label: 'Status', value: values.status ?? '', problem: filterProblem, options: [
    ['', 'Any'], ['pending', 'Pending'], ['approved', 'Approved'], ['paid', 'Paid'], ['rejected', 'Rejected'], ['reversed', 'Reversed']] })}
${select({ name: 'level', label: 'Level', value: values.level ?? '', problem: filterProblem, options: [['', 'Any'], ['1', '1 (referrer)'], ['2', '2 (their referrer)']] })}
${input({ name: 'advocate_id', label: 'Advocate id', type: 'number', value: values.advocate_id, problem: filterProblem, attrs: html` min="1" step="1"` })}
${input({ name: 'from', label: 'Created from', type: 'date', value: values.from, problem: filterProblem })}
${input({ name: 'to', label: 'Created through', type: 'date', value: values.to, problem: filterProblem })}
<div class="field"><button type="submit">Filter</button></div>
${filtered ? html`<div class="field"><a href="${COMMISSIONS_PATH}">Clear filters</a></div>` : ''}
</form>
${problemSummary(filterProblem)}`;
  const rows = (list?.commissions ?? []).map((c) => html`<tr>
${owner ? html`<td><input type="checkbox" name="commission_ids" value="${c.id}" id="pick-${c.id}"${picked.has(String(c.id)) ? html` checked` : ''}><label class="visually-hidden" for="pick-${c.id}">Select commission ${c.id}</label></td>` : ''}
<td><a href="${COMMISSIONS_PATH}/${c.id}">${c.id}</a></td>
<td><a href="${DASHBOARD_PATH}/advocates/${c.advocate_id}">${names.get(c.advocate_id)}</a></td>
<td>${orderCell(c)}</td>
<td>${c.level}</td>
<td>${badge(c.status)}${c.reason ? html`<br><span class="muted">${c.reason}</span>` : ''}</td>
<td class="num">${commissionValue(p, c.kind, c.net_amount)}</td>
<td>${when(c.created_at)}</td>
<td>${dueOrDone(c)}</td>
</tr>`);
  const head = html`<tr>${owner ? html`<th scope="col"><input type="checkbox" data-select-all="commission_ids" id="pick-all"><label class="visually-hidden" for="pick-all">Select every commission on this page</label></th>` : ''}
<th scope="col">#</th><th scope="col">Advocate</th><th scope="col">Order</th><th scope="col">Level</th><th scope="col">Status</th>
<th scope="col" class="num">Net amount</th><th scope="col">Created</th><th scope="col">Approved (due) / paid</th></tr>`;
  const returnTo = `${COMMISSIONS_PATH}${Object.keys(values).length ? `?${new URLSearchParams(values as Record<string, string>)}` : ''}`;
  const caption = `Commissions, newest first, ${PER_PAGE} a page (a pending one is approved when its cooling period ends, on the date shown)`;
  // A date filter no index serves looks at a bounded window of the brand's commissions a page (as the API does).
  const short = list && list.commissions.length < PER_PAGE && list.next_cursor !== null
    ? html`<p class="hint">This page looked at a bounded window of the brand's commissions; "Older" goes on from where it stopped.</p>` : '';
  const listHtml = html`${table(caption, head, rows, filtered ? 'No commission matches these filters.' : 'No commissions yet.')}${short}
${pager(COMMISSIONS_PATH, values, list?.next_cursor, values.cursor === undefined, { label: 'Commission pages' })}`;
  const body = owner
    ? html`${filters}
<form method="post" action="${COMMISSIONS_PATH}/status" class="stack">
${csrfField(p.viewer)}
<input type="hidden" name="return_to" value="${returnTo}">
${problemSummary(problem)}
${listHtml}
<div class="card"><h2>Selected commissions</h2>
<p class="hint">All or none: if one of them cannot move (already paid, reversed…), nothing changes and this page says which.</p>
${statusControls(problem, 'selected')}</div>
</form>`
    : html`${filters}${listHtml}`;
  return { title: 'Commissions', nav: 'commissions', body, status: filterProblem ? 400 : 200 };
}

/** A commission's order, linked to its conversion; what else earned it when it has none. */
export const orderCell = (c: CommissionView): SafeHtml => (c.conversion_id !== null
  ? html`<a href="${DASHBOARD_PATH}/conversions/${c.conversion_id}">${c.order_id ?? `conversion ${c.conversion_id}`}</a>`
  : html`${c.order_id ?? ACTION_NAMES[c.reward_action_type]}`);

async function detailPage(p: PageCtx, id: number, problem?: FormProblem): Promise<Page> {
  const c = await getCommission(ctxOf(p), id);
  const advocate = await p.q.advocates.findById(p.brand.id, c.advocate_id);
  const v = (value: number) => commissionValue(p, c.kind, value);
  const facts = html`<dl class="card facts">
<dt>Status</dt><dd>${badge(c.status)}${c.reason ? html` <span class="muted">${c.reason}</span>` : ''}</dd>
<dt>Advocate</dt><dd><a href="${DASHBOARD_PATH}/advocates/${c.advocate_id}">${advocate?.name ?? `advocate ${c.advocate_id}`}</a>${advocate ? html` <span class="muted">${advocate.email}</span>` : ''}</dd>
${c.conversion_id !== null && c.conversion_amount !== null
    ? html`<dt>Order</dt><dd><a href="${DASHBOARD_PATH}/conversions/${c.conversion_id}">${c.order_id ?? `conversion ${c.conversion_id}`}</a> (${money(toHundredths(c.conversion_amount), p.brand.currency)})</dd>`
    : html`<dt>Earned for</dt><dd>${ACTION_NAMES[c.reward_action_type]}${c.order_id ? html` (order ${c.order_id}, entered)` : ''}</dd>`}
<dt>Level</dt><dd>${c.level === 1 ? '1 (the referrer)' : '2 (the referrer\'s referrer)'}, ${c.kind}</dd>
<dt>Amount</dt><dd>${v(c.amount)}${c.original_amount !== c.amount ? html` <span class="muted">(first ${v(c.original_amount)})</span>` : ''}</dd>
<dt>Clawed back</dt><dd>${v(c.clawed_back)}${c.clawed_back ? html` <span class="muted">(${v(c.clawback_recovered)} of it netted off payouts)</span>` : ''}</dd>
<dt>Net</dt><dd>${v(c.net_amount)}</dd>
<dt>Created</dt><dd>${when(c.created_at)}</dd>
<dt>${c.status === 'pending' ? 'Becomes approved' : 'Approved'}</dt><dd>${c.status === 'pending' ? when(c.available_at) : when(c.approved_at)}</dd>
<dt>Paid</dt><dd>${when(c.paid_at)}</dd>
</dl>`;
  const rows = c.history.map((e) => html`<tr>
<td>${when(e.created_at)}</td><td>${badge(e.event)}</td><td class="num">${e.delta ? v(e.delta) : '—'}</td><td>${e.actor}</td><td>${e.note ?? ''}</td>
</tr>`);
  const history = table('History, oldest first (the deltas add up to the net amount)',
    html`<tr><th scope="col">When</th><th scope="col">What</th><th scope="col" class="num">Change</th><th scope="col">Who</th><th scope="col">Note</th></tr>`, rows);
  const movable = c.status === 'pending' || c.status === 'approved';
  const controls = p.viewer.user.role === 'owner' && movable ? html`<form method="post" action="${COMMISSIONS_PATH}/status" class="card stack">
${csrfField(p.viewer)}
<input type="hidden" name="return_to" value="${COMMISSIONS_PATH}/${c.id}">
<input type="hidden" name="commission_ids" value="${c.id}">
<h2>Change its status</h2>
${problemSummary(problem)}
${statusControls(problem, 'this commission', c.status === 'pending')}
</form>` : problemSummary(problem);
  return {
    title: `Commission ${c.id}`,
    nav: 'commissions',
    body: html`<p><a href="${COMMISSIONS_PATH}">All commissions</a></p>${facts}${controls}<h2>History</h2>${history}`,
  };
}

/** The posted checkboxes and buttons as the batch schema's input. */
const batchInput = (form: FormBody) => ({
  commission_ids: fields(form, 'commission_ids'),
  status: field(form, 'status'),
  reason: optional(field(form, 'reason')),
});

function refusedBatch(p: PageCtx, problem: FormProblem): Promise<Page> {
  const back = safeReturn(field(problem.values, 'return_to'));
  const [path, query] = back.split('?');
  const detail = /\/(\d+)$/.exec(path!);
  if (detail) return detailPage(p, Number(detail[1]), problem);
  return queuePage(p, valuesOf(Object.fromEntries(new URLSearchParams(query ?? ''))), problem);
}

export function commissionPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/commissions', page(deps, (p) => queuePage(p, valuesOf(p.req.query as Record<string, unknown>))));
  r.get('/commissions/:id', page(deps, (p) => detailPage(p, pathId(p.req.params.id, 'commission'))));
  r.post('/commissions/status', action(deps, zCommissionBatchRequest, batchInput, async (ctx, data, req: Request) => {
    const actor = `dashboard:${viewerOf(req.res!).user.email}` as const;
    const done = await setCommissionsStatus(ctx, data.commission_ids, data.status, data.reason ?? null, actor);
    const verb = data.status === 'approved' ? 'Approved' : 'Rejected';
    const ids = (list: number[]) => list.map((id) => `#${id}`).join(', ');
    const notice = [
      done.changed.length ? `${verb} ${done.changed.length === 1 ? 'commission' : `${done.changed.length} commissions`} ${ids(done.changed)}` : '',
      done.unchanged.length ? `${ids(done.unchanged)} ${done.unchanged.length === 1 ? 'was' : 'were'} already ${data.status}` : '',
    ].filter(Boolean).join('; ');
    return { redirect: safeReturn(field((req.body ?? {}) as FormBody, 'return_to')), notice: `${notice}.` };
  }, refusedBatch));
  return r;
}
