// /portal/payouts and /portal/payout-details: the payouts the advocate received, and where to be paid (the advocate
// API's payment_method and payment_details, changed through its own update use case and its advocate.updated event).
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { PAYMENT_METHODS, zUpdateAdvocateRequest } from '../../schemas/advocates.ts';
import { updateAdvocate } from '../../services/advocates.ts';
import {
  advocatePayout, advocatePayoutCommissions, advocatePayoutPage, type AdvocatePayoutView,
} from '../../services/advocatePayouts.ts';
import type { PortalViewer } from '../../services/portalSessions.ts';
import { count, day, when } from '../../dashboard/format.ts';
import { html } from '../../dashboard/html.ts';
import { field, type FormBody, type FormProblem } from '../../dashboard/page.ts';
import { pager, problemSummary, select, table, textarea } from '../../dashboard/ui.ts';
import { portalAction, portalPage, type PortalCtx } from '../forms.ts';
import { portalCsrfField, type PortalPage } from '../layout.ts';
import { PORTAL_PATH } from '../session.ts';
import { earnedFor, moneyOf, payoutPath, queryValue, settledCtx, statusWords } from './commissions.ts';

export const PORTAL_PAYOUTS_PATH = `${PORTAL_PATH}/payouts`;
const PER_PAGE = 20;
const COMMISSIONS_PER_PAGE = 50;

export const PORTAL_PAYOUT_DETAILS_PATH = `${PORTAL_PATH}/payout-details`;

/** The payment methods in words (the API's values are what is stored and sent). */
export const METHOD_NAMES: Record<(typeof PAYMENT_METHODS)[number], string> = {
  paypal: 'PayPal', bank_transfer: 'Bank transfer', wise: 'Wise', stripe: 'Stripe', check: 'Check', other: 'Other',
};
export const methodName = (method: string | null): string =>
  (method === null ? 'not set' : METHOD_NAMES[method as keyof typeof METHOD_NAMES] ?? method);

/**
 * A payout's moment from its path or cursor: the milliseconds of its paid_at (what payoutPath writes); anything else
 * names no payout (a 404 on a payout's page, the first page of the list).
 */
const momentOf = (text: string): string | null => {
  if (!/^\d{1,15}$/.test(text)) return null;
  const d = new Date(Number(text));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

/** What the advocate received, and of what when a clawback was netted off it. */
const received = (p: AdvocatePayoutView) => html`${moneyOf(p.amount, p.currency)}${p.clawbacks_netted > 0
  ? html` <span class="muted">(${moneyOf(p.commissions_total, p.currency)} of commissions less ${moneyOf(p.clawbacks_netted, p.currency)} clawed back)</span>` : ''}`;

const whereToBePaid = (viewer: PortalViewer) => html`<section class="card" aria-labelledby="details-h">
<h2 id="details-h">Where you are paid</h2>
<p>${viewer.advocate.paymentMethod === null && viewer.advocate.paymentDetails === null ? 'You have not said yet: the shop needs it to pay you.'
  : html`${methodName(viewer.advocate.paymentMethod)}${viewer.advocate.paymentDetails ? html`: ${viewer.advocate.paymentDetails}` : ''}`}</p>
<p><a href="${PORTAL_PAYOUT_DETAILS_PATH}">Change your payout details</a></p>
</section>`;

async function payoutsPage(deps: AppDeps, p: PortalCtx): Promise<PortalPage> {
  const ctx = await settledCtx(deps, p);
  const before = momentOf(queryValue(p.req, 'before'));
  const page = await advocatePayoutPage(ctx, p.advocateId, before, PER_PAGE + 1);
  const shown = page.slice(0, PER_PAGE);
  const next = page.length > PER_PAGE ? Date.parse(shown[shown.length - 1]!.paid_at) : null;
  const head = html`<tr><th scope="col">Date</th><th scope="col" class="num">Amount</th><th scope="col">Method</th><th scope="col">Reference</th><th scope="col">Commissions it paid</th></tr>`;
  const rows = shown.map((x) => html`<tr data-payout="${Date.parse(x.paid_at)}">
<td>${when(x.paid_at)}</td>
<td class="num">${received(x)}</td>
<td>${methodName(x.payment_method)}</td>
<td>${x.reference ?? html`<span class="muted">none</span>`}</td>
<td><a href="${payoutPath(x.paid_at)}">${count(x.commission_count)} commission${x.commission_count === 1 ? '' : 's'}</a></td>
</tr>`);
  const body = html`${whereToBePaid(p.viewer)}
${table(`Payouts you received, newest first, ${PER_PAGE} a page`, head, rows, 'No payouts yet: the shop pays your approved commissions.')}
${pager(PORTAL_PAYOUTS_PATH, {}, next, before === null, { param: 'before', label: 'Payout pages' })}`;
  return { title: 'Your payouts', nav: 'payouts', body };
}

async function payoutPage(deps: AppDeps, p: PortalCtx): Promise<PortalPage> {
  const ctx = await settledCtx(deps, p);
  const paidAt = momentOf(String(p.req.params.at));
  if (paidAt === null) throw notFound('payout');
  const payout = await advocatePayout(ctx, p.advocateId, paidAt);
  const cursor = queryValue(p.req, 'cursor');
  const before = /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
  const list = await advocatePayoutCommissions(ctx, p.advocateId, paidAt, before, COMMISSIONS_PER_PAGE + 1);
  const shown = list.slice(0, COMMISSIONS_PER_PAGE);
  const next = list.length > COMMISSIONS_PER_PAGE ? shown[shown.length - 1]!.id : null;
  const facts = html`<dl class="card facts">
<dt>Date</dt><dd>${when(payout.paid_at)}</dd>
<dt>Amount</dt><dd>${received(payout)}</dd>
<dt>Method</dt><dd>${methodName(payout.payment_method)}</dd>
<dt>Reference</dt><dd>${payout.reference ?? 'none'}</dd>
<dt>Commissions</dt><dd>${count(payout.commission_count)}</dd>
</dl>`;
  const head = html`<tr><th scope="col">Date</th><th scope="col">Earned for</th><th scope="col" class="num">Commission</th><th scope="col">Status</th></tr>`;
  const rows = shown.map((c) => html`<tr data-commission="${c.id}">
<td>${when(c.created_at)}</td><td>${earnedFor(c)}</td><td class="num">${moneyOf(c.amount, c.currency)}</td><td>${statusWords(c)}</td>
</tr>`);
  const path = payoutPath(payout.paid_at);
  const body = html`<p><a href="${PORTAL_PAYOUTS_PATH}">All your payouts</a></p>
${facts}
${table(`The commissions this payout paid, newest first, ${COMMISSIONS_PER_PAGE} a page`, head, rows)}
${pager(path, {}, next, before === null, { label: 'Pages of this payout\'s commissions' })}`;
  return { title: `Payout of ${day(payout.paid_at.slice(0, 10))}`, nav: 'payouts', body };
}

const SAVED_NOTICE = 'Your payout details were saved.';

function detailsPage(viewer: PortalViewer, problem?: FormProblem): PortalPage {
  const a = viewer.advocate;
  const body = html`<p>The shop pays your approved commissions to what you give here. Only the shop's team sees it.</p>
<form method="post" action="${PORTAL_PAYOUT_DETAILS_PATH}" class="card stack">
${portalCsrfField(viewer)}
${problemSummary(problem)}
${select({ name: 'payment_method', label: 'How to pay you', value: a.paymentMethod ?? '', problem,
    options: [['', 'Not set'], ...PAYMENT_METHODS.map((m) => [m, METHOD_NAMES[m]] as const)] })}
${textarea({ name: 'payment_details', label: 'Where to pay you', value: a.paymentDetails ?? '', problem,
    hint: 'Your PayPal address, your IBAN and the account holder\'s name, …: at most 500 characters. Leave it empty to clear it.' })}
<div class="field"><button type="submit">Save payout details</button></div>
</form>`;
  return { title: 'Your payout details', nav: 'payouts', body };
}

/** The posted form as the advocate API's PATCH body: these two fields and nothing else ('' clears one). */
const detailsInput = (form: FormBody) => {
  const value = (name: string) => (field(form, name).trim() === '' ? null : field(form, name));
  return { payment_method: value('payment_method'), payment_details: value('payment_details') };
};

export function payoutRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/payouts', portalPage(deps, (p) => payoutsPage(deps, p)));
  r.get('/payouts/:at', portalPage(deps, (p) => payoutPage(deps, p)));
  r.get('/payout-details', portalPage(deps, (p) => detailsPage(p.viewer)));
  // PATCH /advocates/:id's schema and use case, for the session's advocate: the advocate.updated event as the API's.
  r.post('/payout-details', portalAction(deps, zUpdateAdvocateRequest, detailsInput, async (ctx, data, p) => {
    await updateAdvocate(ctx, p.advocateId, data);
    return { redirect: PORTAL_PAYOUT_DETAILS_PATH, notice: SAVED_NOTICE };
  }, (p, problem) => detailsPage(p.viewer, problem)));
  return r;
}
