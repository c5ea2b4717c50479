// /dashboard/conversions: the brand's conversions (the API's filters, keyset paging) and one conversion's page: its
// attribution in words, products, claim, refunds, commissions per level, and recording a refund.
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { toHundredths } from '../../domain/money.ts';
import { notFound } from '../../errors.ts';
import { listPage, pageOf, parseQuery, pathId } from '../../http/query.ts';
import { daysBefore } from '../../domain/time.ts';
import { zConversionListQuery, type ConversionFilterQuery } from '../../schemas/records.ts';
import { zRefundRequest } from '../../schemas/track.ts';
import { mapInOrder, type Ctx } from '../../services/context.ts';
import { getCommission } from '../../services/commissions.ts';
import { getClaim, getConversion, listConversions } from '../../services/records.ts';
import { recordRefund } from '../../services/refunds.ts';
import { count, money, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, input, pager, problemSummary, select, table, valueOf } from '../ui.ts';
import { commissionValue, historyList } from './advocate.ts';
import { ADVOCATES_PATH, filteredList, givenFilters, isOwner, moneyOf, queryValues } from './advocates.ts';
import { programmeOf } from '../../services/campaigns.ts';

export const CONVERSIONS_PATH = `${DASHBOARD_PATH}/conversions`;

const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });

type ConversionView = Awaited<ReturnType<typeof getConversion>>['conversion'];

/** The advocate's name as a link (one primary-key read per listed row). */
async function advocateLink(p: PageCtx, id: number | null): Promise<SafeHtml> {
  if (id === null) return html`<span class="muted">none</span>`;
  const a = await p.q.advocates.findRecord(p.brand.id, id);
  return a ? html`<a href="${ADVOCATES_PATH}/${id}">${a.name}</a>` : html`advocate ${id}`;
}

const STATUS_OPTIONS = [['', 'Any'], ['completed', 'completed'], ['partial_refund', 'partial refund'], ['refunded', 'refunded']] as const;
const ATTRIBUTED_OPTIONS = [['', 'Any'], ['true', 'Attributed'], ['false', 'Not attributed']] as const;

/** The page of GET /api/v1/conversions for the same query string (50 a page unless `limit` says otherwise). */
async function listConversionsPage(p: PageCtx, filters: Record<string, string>) {
  const { data: query } = parseQuery(zConversionListQuery, { limit: '50', ...filters });
  const list = await listPage('conversions', pageOf(query), (slice) => listConversions(ctxOf(p), query as ConversionFilterQuery, slice));
  return { rows: list.conversions as Awaited<ReturnType<typeof listConversions>>['rows'], limit: list.limit, next: list.next_cursor };
}

async function conversionList(p: PageCtx): Promise<Page> {
  const values = queryValues(p.req);
  const { list, problem } = await filteredList(values, () => listConversionsPage(p, givenFilters(values)));
  const filtered = ['status', 'advocate_id', 'code', 'attributed', 'from', 'to'].some((k) => values[k]);
  const filters = html`<form class="card row" method="get" action="${CONVERSIONS_PATH}" role="search" aria-label="Filter conversions">
${select({ name: 'status', label: 'Status', value: values.status ?? '', options: STATUS_OPTIONS, problem })}
${select({ name: 'attributed', label: 'Attribution', value: values.attributed ?? '', options: ATTRIBUTED_OPTIONS, problem })}
${input({ name: 'advocate_id', label: 'Advocate id', value: values.advocate_id, problem, attrs: html` inputmode="numeric"` })}
${input({ name: 'code', label: 'Code', value: values.code, problem })}
${input({ name: 'from', label: 'From (UTC day)', type: 'date', value: values.from, problem })}
${input({ name: 'to', label: 'To (UTC day, inclusive)', type: 'date', value: values.to, problem })}
<div class="field"><button type="submit">Filter</button></div>
${filtered ? html`<div class="field"><a href="${CONVERSIONS_PATH}">Clear filters</a></div>` : ''}
</form>`;
  const rows = await mapInOrder(list?.rows ?? [], async (c) => html`<tr>
<td><a href="${CONVERSIONS_PATH}/${c.id}">${c.order_id ?? `#${c.id}`}</a></td>
<td>${when(c.created_at)}</td>
<td>${c.email}</td>
<td>${await advocateLink(p, c.advocate_id)}</td>
<td>${c.code ? html`<code>${c.code}</code>` : '—'}</td>
<td>${c.attribution ? ATTRIBUTION_LABELS[c.attribution] ?? c.attribution : '—'}</td>
<td>${badge(c.status)}</td>
<td class="num">${moneyOf(p, c.order_value)}</td>
<td class="num">${c.refunded ? moneyOf(p, c.refunded) : '—'}</td>
</tr>`);
  const head = html`<tr><th scope="col">Order</th><th scope="col">When</th><th scope="col">Customer</th><th scope="col">Advocate</th>
<th scope="col">Code</th><th scope="col">Attributed by</th><th scope="col">Status</th><th scope="col" class="num">Order value</th>
<th scope="col" class="num">Refunded</th></tr>`;
  // A date filter alone is served by no index: a page looks at a bounded window of the newest rows (db/records.ts).
  const partial = list && list.rows.length < list.limit && list.next !== null;
  const body = html`${problemSummary(problem)}
${filters}
${table('Conversions, newest first', head, rows, problem ? 'Fix the filter above.' : partial ? 'None in this stretch: look further with "Older".' : 'No conversion matches.')}
${partial ? html`<p class="muted">This page looked at a stretch of the newest conversions only; "Older" goes on from where it stopped.</p>` : ''}
${list ? pager(CONVERSIONS_PATH, values, list.next, values.cursor === undefined) : ''}`;
  return { title: 'Conversions', nav: 'conversions', body, ...(problem ? { status: 400 } : {}) };
}

const ATTRIBUTION_LABELS: Record<string, string> = {
  claim_id: 'claim id', referral_code: 'referral code', coupon: 'coupon', email: 'customer\'s claim', visitor: 'visit',
};

/** Which rule attributed the conversion, on what, in words (domain/attribution.ts's rules, in its order). */
async function attributionStory(p: PageCtx, c: ConversionView): Promise<SafeHtml> {
  // The window of the advocate's campaign (as it is now); an unattributed order was looked for in the longest one.
  const advocateRow = c.advocate_id === null ? undefined : await p.q.advocates.findRecord(p.brand.id, c.advocate_id);
  const window = advocateRow ? (await programmeOf(p, advocateRow.campaignId)).attributionWindowDays : p.brand.longestWindowDays;
  const code = html`<code>${c.code ?? ''}</code>`;
  const advocate = html`advocate ${await advocateLink(p, c.advocate_id)}`;
  const claim = c.claim_id === null ? undefined : await p.q.records.claim(p.brand.id, c.claim_id);
  const claimWords = claim
    ? html`the claim #${claim.id} made by ${claim.email} on ${when(claim.createdAt)} with the discount code <code>${claim.code}</code>`
    : html`a claim`;
  switch (c.attribution) {
    case 'claim_id':
      // A claim_id whose claim was no longer pending still attributes, but that claim is not linked to the order.
      return claim
        ? html`<p>Rule 1 of 5, <strong>claim id</strong>: the order was sent with <code>claim_id</code> ${claim.id}, ${claimWords}; it belongs to ${advocate} through the code ${code}.</p>`
        : html`<p>Rule 1 of 5, <strong>claim id</strong>: the order was sent with the <code>claim_id</code> of a claim with the code ${code}, of ${advocate}; that claim was no longer pending, so it is not linked to this order.</p>`;
    case 'referral_code':
      return html`<p>Rule 2 of 5, <strong>referral code</strong>: the referral code ${code} was given with the order (<code>referral_code</code>); it is ${advocate}'s.${claim ? html` It converted ${claimWords}.` : ''}</p>`;
    case 'coupon':
      return html`<p>Rule 3 of 5, <strong>coupon</strong>: the coupon ${code} applied to the order (<code>coupons_applied</code>) is ${advocate}'s referral code.${claim ? html` It converted ${claimWords}.` : ''}</p>`;
    case 'email':
      return html`<p>Rule 4 of 5, <strong>the customer's claim</strong>: no claim id, referral code or referral coupon came with the order; ${claimWords} (discount code) was the newest pending claim of ${c.email} within the ${window}-day attribution window, so the order is ${advocate}'s.</p>`;
    case 'visitor':
      return visitStory(p, c, advocate, window);
    default:
      return html`<p><strong>Not attributed</strong>: no rule matched. The order came without a claim id, a referral code or a referral coupon; ${c.email} had no pending claim within the ${window}-day window${c.visitor_id ? html`; visitor <code>${c.visitor_id}</code> had no visit through an active code within it` : ' and no visitor id was sent'}. (A rule that found a deactivated code, or a blocked or pending advocate, does not match.)</p>`;
  }
}

/** Rule 5: the visitor's newest visit before the conversion, within the window, and what the attribution model did with it. */
async function visitStory(p: PageCtx, c: ConversionView, advocate: SafeHtml, window: number): Promise<SafeHtml> {
  const at = new Date(c.created_at);
  const visit = c.visitor_id === null ? undefined : await p.q.visits.newestBetween(p.brand.id, c.visitor_id, daysBefore(at, window), c.created_at);
  if (!visit) {
    return html`<p>Rule 5 of 5, <strong>visit</strong>: a visit of visitor <code>${c.visitor_id ?? ''}</code> brought the order to ${advocate} with the code <code>${c.code ?? ''}</code> (the visit is no longer within today's ${window}-day window).</p>`;
  }
  const model = p.brand.attributionModel === 'first_touch' ? 'first touch' : 'last touch';
  const kept = visit.code !== c.code;
  const where = [visit.landingPage ? html` on ${visit.landingPage}` : '', visit.shareChannel ? html` (shared on ${visit.shareChannel})` : ''];
  return html`<p>Rule 5 of 5, <strong>visit</strong>: no claim id, referral code, referral coupon or pending claim of ${c.email}; the newest visit of visitor <code>${c.visitor_id}</code>, on ${when(visit.createdAt)} via the link <code>?ref=${visit.code}</code>${where}, is within the ${window}-day attribution window, ${model}.
${kept
    ? html`That device already held the code <code>${c.code ?? ''}</code>, which ${model === 'first touch' ? 'first touch keeps' : 'was kept'}, so the visit counted for ${advocate}.`
    : html`The code <code>${visit.code}</code> is ${advocate}'s.`}</p>`;
}

function productsTable(p: PageCtx, c: ConversionView): SafeHtml {
  const products = (Array.isArray(c.products) ? c.products : []) as Array<{ name?: unknown; quantity?: unknown; price_cents?: unknown; sku?: unknown }>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  let total = 0;
  const rows = products.map((item) => {
    const price = num(item.price_cents);
    const quantity = num(item.quantity);
    total += price * quantity;
    return html`<tr><td>${String(item.name ?? '')}${item.sku ? html` <span class="muted">${String(item.sku)}</span>` : ''}</td>
<td class="num">${money(price, p.brand.currency)}</td><td class="num">${count(quantity)}</td>
<td class="num">${money(price * quantity, p.brand.currency)}</td></tr>`;
  });
  if (rows.length) {
    rows.push(html`<tr><th scope="row" colspan="3">Products total</th><td class="num">${money(total, p.brand.currency)}</td></tr>`);
  }
  const head = html`<tr><th scope="col">Product</th><th scope="col" class="num">Price</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Line revenue</th></tr>`;
  return table('Products (line revenue = price × quantity)', head, rows, 'No products were sent with this order.');
}

function amounts(p: PageCtx, c: ConversionView): SafeHtml {
  const row = (label: string, value: number | null) => (value === null ? '' : html`<tr><th scope="row">${label}</th><td class="num">${moneyOf(p, value)}</td></tr>`);
  const net = toHundredths(c.order_value) - Math.round((toHundredths(c.order_value) * toHundredths(c.refunded)) / Math.max(toHundredths(c.paid), 1));
  return html`<div class="table-wrap"><table><caption>Amounts</caption><tbody>
${row('Order value (attributable revenue)', c.order_value)}
${row('Order total', c.order_total)}${row('Tax', c.tax)}${row('Shipping', c.shipping)}${row('Discount', c.discount)}
${row('Referral discount applied', c.discount_applied)}${row('All discounts', c.total_discount)}
${row('Paid', c.paid)}${row('Refunded', c.refunded)}
<tr><th scope="row">Revenue net of refunds</th><td class="num">${money(net, p.brand.currency)}</td></tr>
</tbody></table></div>`;
}

async function claimSection(p: PageCtx, c: ConversionView): Promise<SafeHtml> {
  if (c.claim_id === null) return html`<p>No claim: the customer did not claim the discount before this order (or the claim was not linked to it).</p>`;
  const { claim } = await getClaim(ctxOf(p), c.claim_id);
  return html`<dl class="pairs">
<dt>Claim</dt><dd>#${claim.id}, ${badge(claim.status)}, ${when(claim.created_at)}</dd>
<dt>Customer</dt><dd>${claim.email}${claim.name ? html` (${claim.name})` : ''}</dd>
<dt>Code</dt><dd><code>${claim.code}</code> of ${await advocateLink(p, claim.advocate_id)}</dd>
<dt>Discount applied</dt><dd>${moneyOf(p, claim.discount_applied)}${claim.claim_value !== null ? html` on a claim value of ${moneyOf(p, claim.claim_value)}` : ''}</dd>
<dt>Source</dt><dd>${claim.source}${claim.type !== 'referral' ? html`, ${claim.type}` : ''}</dd>
</dl>`;
}

async function refundsSection(p: PageCtx, c: ConversionView, problem?: FormProblem): Promise<SafeHtml> {
  const refunds = await p.q.conversions.refundsOf(p.brand.id, c.id);
  const rows = refunds.map((r) => html`<tr><td>${when(r.createdAt)}</td><td class="num">${money(r.amountCents, p.brand.currency)}</td>
<td class="num">${money(r.totalRefundedCents, p.brand.currency)}</td><td>${r.isFullRefund ? 'full' : 'partial'}</td>
<td>${r.reason ?? html`<span class="muted">no reason given</span>`}</td><td>${r.refundId === null || r.refundId.startsWith(FORM_REFUND_ID) ? '—' : r.refundId}${r.source ? html` <span class="muted">(${r.source})</span>` : ''}</td></tr>`);
  const head = html`<tr><th scope="col">When</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Refunded in all</th>
<th scope="col">Kind</th><th scope="col">Reason</th><th scope="col">Refund id</th></tr>`;
  const left = toHundredths(c.paid) - toHundredths(c.refunded);
  const form = isOwner(p) && left > 0 ? html`<form class="card stack" method="post" action="${CONVERSIONS_PATH}/${c.id}/refunds"
 data-confirm="Record this refund? It reduces or claws back the commissions of this order.">
${csrfField(p.viewer)}
${problemSummary(problem)}
<p>${moneyOf(p, c.paid)} paid, ${moneyOf(p, c.refunded)} refunded so far: at most ${money(left, p.brand.currency)} more.</p>
${input({ name: 'refund_amount', label: `Amount refunded now (${p.brand.currency})`, problem, attrs: html` inputmode="decimal"`,
    hint: 'e.g. 12.50; with "Refund everything" it may stay empty' })}
<div class="field"><label><input type="checkbox" name="is_full_refund" value="true"${problem?.values.is_full_refund === 'true' ? html` checked` : ''}> Refund everything that is left</label></div>
${input({ name: 'refund_reason', label: 'Reason', problem, hint: 'Shown here and kept in each commission\'s history' })}
${input({ name: 'refund_id', label: 'Refund id (optional)', problem, hint: 'Your shop\'s id for it: the same id twice records it once' })}
<input type="hidden" name="form_id" value="${valueOf('form_id', randomUUID(), problem)}">
<button type="submit" class="danger">Record refund</button>
</form>` : '';
  return html`<section aria-labelledby="refunds-h"><h2 id="refunds-h">Refunds</h2>
${table('Refunds, oldest first', head, rows, 'No refund.')}
${form}</section>`;
}

async function commissionsSection(p: PageCtx, c: ConversionView): Promise<SafeHtml> {
  const ctx = ctxOf(p);
  const rows = await mapInOrder(c.rewards, async (r) => {
    const full = await getCommission(ctx, r.id);
    return html`<tr><td>${full.level}</td><td>${await advocateLink(p, full.advocate_id)}</td>
<td>${badge(full.status)}${full.reason ? html`<br><span class="muted">${full.reason}</span>` : ''}</td>
<td class="num">${commissionValue(p, full.kind, full.original_amount)}</td>
<td class="num">${commissionValue(p, full.kind, full.amount)}</td>
<td class="num">${full.clawed_back ? commissionValue(p, full.kind, full.clawed_back) : '—'}${full.clawback_recovered ? html`<br><span class="muted">${commissionValue(p, full.kind, full.clawback_recovered)} recovered</span>` : ''}</td>
<td class="num">${commissionValue(p, full.kind, full.net_amount)}</td>
<td>${full.status === 'pending' ? html`approved on ${when(full.available_at)}` : full.paid_at ? html`paid ${when(full.paid_at)}` : full.approved_at ? html`approved ${when(full.approved_at)}` : '—'}</td>
<td>${historyList(p, full.kind, full.history)}</td></tr>`;
  });
  const head = html`<tr><th scope="col">Level</th><th scope="col">Advocate</th><th scope="col">Status</th>
<th scope="col" class="num">At first</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Clawed back</th>
<th scope="col" class="num">Net</th><th scope="col">Dates</th><th scope="col">History</th></tr>`;
  return html`<section aria-labelledby="commissions-h"><h2 id="commissions-h">Commissions</h2>
${table('Commissions per level', head, rows, c.advocate_id === null ? 'None: the order is not attributed.' : 'None.')}</section>`;
}

async function conversionPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const id = pathId(p.req.params.id, 'conversion');
  const { conversion: c } = await getConversion(ctxOf(p), id);
  const body = html`<p><a href="${CONVERSIONS_PATH}">Back to the conversions</a></p>
<div class="card">
<p>${badge(c.status)} ${c.email}${c.name ? html` (${c.name})` : ''} · ${when(c.created_at)} · conversion ${c.id}${c.order_id ? html` · order <code>${c.order_id}</code>` : ''}${c.source ? html` · from ${c.source}` : ''}</p>
</div>
<section aria-labelledby="attribution-h"><h2 id="attribution-h">Attribution</h2>
${await attributionStory(p, c)}
</section>
<section aria-labelledby="products-h"><h2 id="products-h">Order</h2>
${productsTable(p, c)}
${amounts(p, c)}
</section>
<section aria-labelledby="claim-h"><h2 id="claim-h">Claim</h2>
${await claimSection(p, c)}
</section>
${await refundsSection(p, c, problem)}
${await commissionsSection(p, c)}`;
  return { title: `Conversion ${c.order_id ?? `#${c.id}`}`, nav: 'conversions', body };
}

/** The refund id of a form sent without one: the form's own id, so the same form sent twice (a double click, a resend) records one refund. */
const FORM_REFUND_ID = 'dashboard-form:';

/**
 * The refund form as POST /api/v1/track/refund's body, for this conversion. "Refund everything" with no amount is
 * sent as 0 and becomes what is left (paid − refunded so far) inside the write, where that is read.
 */
const refundInput = (form: FormBody, req: Request): Record<string, unknown> => ({
  conversion_id: req.params.id,
  refund_amount: optional(field(form, 'refund_amount')) ?? (field(form, 'is_full_refund') === 'true' ? '0' : undefined),
  is_full_refund: field(form, 'is_full_refund') === 'true',
  refund_reason: optional(field(form, 'refund_reason')),
  refund_id: optional(field(form, 'refund_id')) ?? (/^[0-9a-f-]{36}$/.test(field(form, 'form_id')) ? FORM_REFUND_ID + field(form, 'form_id') : undefined),
  source: 'dashboard',
});

export function conversionRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/conversions', page(deps, conversionList));
  r.get('/conversions/:id', page(deps, (p) => conversionPage(p)));
  r.post('/conversions/:id/refunds', action(deps, zRefundRequest, refundInput, async (ctx, data, req) => {
    // The path names the conversion: 404 unless it is this brand's.
    const id = pathId(req.params.id, 'conversion');
    const conversion = await ctx.q.conversions.findById(ctx.brand.id, id);
    if (!conversion) throw notFound('conversion');
    const everything = data.is_full_refund && data.refund_amount === 0;
    const amount = everything ? conversion.paidCents - conversion.refundedCents : data.refund_amount;
    const result = await recordRefund(ctx, { ...data, conversion_id: id, refund_amount: amount });
    const total = money(toHundredths(result.total_refunded), ctx.brand.currency);
    return {
      redirect: `${CONVERSIONS_PATH}/${id}`,
      notice: 'duplicate' in result ? 'This refund was already recorded: nothing changed' : `Refund recorded: ${total} refunded in all (${result.status.replace(/_/g, ' ')})`,
    };
  }, conversionPage));
  return r;
}
