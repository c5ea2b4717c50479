// /dashboard/advocates: the brand's advocates (the API's search, filters and keyset paging), and creating one.
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { toHundredths } from '../../domain/money.ts';
import { ApiError } from '../../errors.ts';
import { toApiError } from '../../http/errors.ts';
import { listPage, pageOf, parseQuery } from '../../http/query.ts';
import { PAYMENT_METHODS, zAdvocateListQuery, zCreateAdvocateRequest } from '../../schemas/advocates.ts';
import { createAdvocate, listAdvocates } from '../../services/advocates.ts';
import { count, money, percent, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, problemOf, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, input, pager, problemSummary, select, table, textarea } from '../ui.ts';
import { approveButton, PENDING_PATH, signUpRoutes } from './signups.ts';

export const ADVOCATES_PATH = `${DASHBOARD_PATH}/advocates`;

/** Decimal amounts as the API answers them (12.5) back to the hundredths format.ts takes. */

/** The brand's currency, from a decimal as the API answers it. */
export const moneyOf = (p: PageCtx, decimal: number): string => money(toHundredths(decimal), p.brand.currency);

export const isOwner = (p: PageCtx): boolean => p.viewer.user.role === 'owner';

export const ADVOCATE_STATUSES = [['active', 'Active'], ['pending', 'Pending'], ['blocked', 'Blocked']] as const;
export const PAYMENT_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['', 'Not set'], ...PAYMENT_METHODS.map((m) => [m, m.replace(/_/g, ' ')] as const),
];

/** The query string as posted form values (to fill the filter form in again); a repeated one counts its last value, as in the API. */
export const queryValues = (req: Request): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? String(v[v.length - 1]) : typeof v === 'string' ? v : undefined]));

/** The filters a GET form sent, without its empty fields: an empty filter is "any", not a value the API refuses. */
export const givenFilters = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));

/** A list read with the API's query schema: its page, or the filter's problem (shown beside the field, as a 400). */
export async function filteredList<T>(values: Record<string, string | undefined>, read: () => Promise<T>): Promise<{ list?: T; problem?: FormProblem }> {
  try {
    return { list: await read() };
  } catch (err) {
    const e = toApiError(err);
    if (!e || e.status >= 500) throw err;
    return { problem: problemOf(e, values as FormBody) };
  }
}

async function advocateList(p: PageCtx): Promise<Page> {
  const values = queryValues(p.req);
  const { list, problem } = await filteredList(values, () => listAdvocatesPage(p, givenFilters(values)));
  const filters = html`<form class="card row" method="get" action="${ADVOCATES_PATH}" role="search" aria-label="Search and filter advocates">
${input({ name: 'search', label: 'Search', type: 'search', value: values.search, hint: 'Words that begin a name, an email or a code', problem })}
${select({ name: 'status', label: 'Status', value: values.status ?? '', options: [['', 'Any'], ...ADVOCATE_STATUSES], problem })}
${input({ name: 'tier', label: 'Tier', value: values.tier, problem })}
<div class="field"><button type="submit">Filter</button></div>
${values.search || values.status || values.tier ? html`<div class="field"><a href="${ADVOCATES_PATH}">Clear filters</a></div>` : ''}
</form>`;
  const rows = (list?.advocates ?? []).map((a) => html`<tr>
<td><a href="${ADVOCATES_PATH}/${a.id}">${a.name}</a><br><span class="muted">${a.email}</span></td>
<td>${a.referral_codes.join(', ')}</td>
<td>${badge(a.status)}${approveButton(p, a)}</td>
<td>${a.tier ?? '—'}</td>
<td class="num">${count(a.click_count)}</td>
<td class="num">${count(a.conversion_count)}</td>
<td class="num">${percent(a.conversion_count, a.click_count)}</td>
<td class="num">${moneyOf(p, a.pending_earnings)}</td>
<td class="num">${moneyOf(p, a.approved_earnings)}</td>
<td class="num">${moneyOf(p, a.paid_earnings)}</td>
<td class="num">${moneyOf(p, a.total_earnings)}</td>
<td class="num">${count(a.points_balance)}</td>
<td>${when(a.created_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Advocate</th><th scope="col">Codes</th><th scope="col">Status</th><th scope="col">Tier</th>
<th scope="col" class="num">Clicks</th><th scope="col" class="num">Conversions</th><th scope="col" class="num">Rate</th>
<th scope="col" class="num">Pending</th><th scope="col" class="num">Approved</th><th scope="col" class="num">Paid</th>
<th scope="col" class="num">Total earned</th><th scope="col" class="num">Points</th><th scope="col">Joined</th></tr>`;
  const body = html`${isOwner(p) ? html`<p><a class="button" href="${ADVOCATES_PATH}/new">New advocate</a> <a href="${PENDING_PATH}">Sign-ups waiting for approval</a></p>` : ''}
${problemSummary(problem)}
${filters}
${table('Advocates, newest first', head, rows, problem ? 'Fix the filter above.' : 'No advocate matches.')}
${list ? pager(ADVOCATES_PATH, values, list.next_cursor, values.cursor === undefined) : ''}`;
  return { title: 'Advocates', nav: 'advocates', body, ...(problem ? { status: 400 } : {}) };
}

/** The page of GET /api/v1/advocates for the same query string (50 a page unless `limit` says otherwise). */
async function listAdvocatesPage(p: PageCtx, filters: Record<string, string>) {
  const { data: query } = parseQuery(zAdvocateListQuery, { limit: '50', ...filters });
  const filter = { status: query.status ?? null, tier: query.tier ?? null, search: query.search ?? null };
  const ctx = { q: p.q, brand: p.brand, now: p.now };
  const list = await listPage('advocates', pageOf(query), (slice) => listAdvocates(ctx, filter, slice));
  return { advocates: list.advocates as Awaited<ReturnType<typeof listAdvocates>>, next_cursor: list.next_cursor };
}

/** The fields an advocate is created or edited with (the API's names, so its messages land beside them). */
export function advocateFields(problem: FormProblem | undefined, current: {
  name?: string; email?: string; status?: string; tier?: string | null; referred_by?: number | null;
  payment_method?: string | null; payment_details?: string | null;
} = {}, creating = false): SafeHtml {
  return html`${input({ name: 'name', label: 'Name', value: current.name, required: true, problem })}
${input({ name: 'email', label: 'Email', type: 'email', value: current.email, required: true, problem })}
${creating ? input({ name: 'referral_code', label: 'Referral code', hint: 'Letters, digits, _ and -; generated from the name when empty', problem }) : ''}
${select({ name: 'status', label: 'Status', value: current.status ?? 'active', options: ADVOCATE_STATUSES, problem, hint: 'Only an active advocate\'s codes attribute' })}
${input({ name: 'tier', label: 'Tier', value: current.tier, problem, hint: 'Free text, e.g. gold; empty for none' })}
${input({ name: 'referred_by', label: 'Referred by (advocate id)', value: current.referred_by, problem,
    hint: creating ? 'Empty: linked automatically when this email converted through a referral' : 'Empty for nobody',
    attrs: html` inputmode="numeric"` })}
${select({ name: 'payment_method', label: 'Payment method', value: current.payment_method ?? '', options: PAYMENT_OPTIONS, problem })}
${textarea({ name: 'payment_details', label: 'Payment details', value: current.payment_details, problem, hint: 'The PayPal address, an IBAN…; at most 500 characters' })}`;
}

/** An optional posted field: '' is "not set" (null clears on edit, and is omitted on create). */
export const orNull = (value: string): string | null => optional(value) ?? null;

function newAdvocatePage(p: PageCtx, problem?: FormProblem): Page {
  const body = html`<p><a href="${ADVOCATES_PATH}">Back to the advocates</a></p>
${problemSummary(problem)}
<form class="card stack" method="post" action="${ADVOCATES_PATH}">
${csrfField(p.viewer)}
${advocateFields(problem, {}, true)}
<button type="submit">Create advocate</button>
</form>`;
  return { title: 'New advocate', nav: 'advocates', body };
}

/** The create form's strings as POST /api/v1/advocates's body. */
function createInput(form: FormBody): Record<string, unknown> {
  const referredBy = optional(field(form, 'referred_by'));
  return {
    name: field(form, 'name'),
    email: field(form, 'email'),
    status: field(form, 'status') || undefined,
    referral_code: optional(field(form, 'referral_code')),
    tier: optional(field(form, 'tier')),
    ...(referredBy === undefined ? {} : { referred_by: referredBy }),
    payment_method: optional(field(form, 'payment_method')),
    payment_details: optional(field(form, 'payment_details')),
  };
}

export function advocateRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/advocates', page(deps, advocateList));
  r.use(signUpRoutes(deps));
  r.get('/advocates/new', page(deps, (p) => {
    if (!isOwner(p)) throw new ApiError(403, 'owner_only', 'Your role is viewer: only an owner of this brand can change it');
    return newAdvocatePage(p);
  }));
  r.post('/advocates', action(deps, zCreateAdvocateRequest, createInput, async (ctx, data) => {
    const advocate = await createAdvocate(ctx, data);
    return { redirect: `${ADVOCATES_PATH}/${advocate.id}`, notice: `Advocate ${advocate.name} created with the code ${advocate.referral_code ?? ''}` };
  }, newAdvocatePage));
  return r;
}
