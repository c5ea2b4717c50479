// /dashboard/payouts: what is due now per advocate (GET /payouts' grouping, a page of advocates at a time), the payout
// CSV (GET /payouts/export's columns, streamed), marking selected advocates paid (POST /payouts' use case, all or
// none) and the past payouts, grouped by the moment they were marked paid.
import { Router, type RequestHandler } from 'express';
import type { AppDeps } from '../../app.ts';
import { toHundredths } from '../../domain/money.ts';
import { streamCsv } from '../../http/csv.ts';
import { batchSnapshots, settledBrand } from '../../http/manage.ts';
import { parseQuery } from '../../http/query.ts';
import { PAYOUT_MAX_COMMISSIONS, zPayoutPageQuery, zPayoutRequest } from '../../schemas/commissions.ts';
import { pastPayouts } from '../../services/commissionBatch.ts';
import {
  PAYOUT_CSV_COLUMNS, markPaid, payoutAnswer, payoutChunks, payoutCsvRows, type PayoutAdvocateView,
} from '../../services/commissions.ts';
import { count, money, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, fields, optional, page, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH, viewerOf } from '../session.ts';
import { input, pager, problemSummary, table } from '../ui.ts';
import { COMMISSIONS_PATH, ctxOf } from './commissions.ts';

export const PAYOUTS_PATH = `${DASHBOARD_PATH}/payouts`;
/** About this many payout lines a page (payoutChunks' chunk: whole advocates, one advocate is never split). */
const PAGE_LINES = 100;
/** A page reads at most this many chunks that rolled everyone over, looking for an advocate to list. */
const MAX_CHUNKS = 10;
const RUNS_PER_PAGE = 10;
/** Lines shown per advocate and type: one advocate may have thousands (all of them are paid, and in the CSV). */
const LINES_SHOWN = 10;


/**
 * One advocate's lines as their checkbox carries them back: the commission ids, then each clawback netted off as
 * `id:amount` ("101 102 55:4.00"), what POST /payouts takes as commission_ids and clawbacks.
 */
export const encodeLines = (a: PayoutAdvocateView): string =>
  a.lines.map((l) => (l.type === 'commission' ? String(l.commission_id) : `${l.commission_id}:${Math.abs(l.amount).toFixed(2)}`)).join(' ');

/** The checked advocates' lines as POST /payouts' body (a malformed token is passed on, for the schema to name). */
export function payoutInput(form: FormBody) {
  const commissionIds: string[] = [];
  const clawbacks: Array<{ commission_id: string; amount: string }> = [];
  for (const token of fields(form, 'pay').flatMap((v) => v.split(/\s+/)).filter(Boolean)) {
    const [id, amount] = token.split(':');
    if (amount === undefined) commissionIds.push(token);
    else clawbacks.push({ commission_id: id!, amount });
  }
  return { commission_ids: commissionIds, clawbacks, note: optional(field(form, 'note')) };
}

/**
 * A page of the payout: whole advocates after `after`, read in one read transaction (one moment's figures), from
 * the first chunk that lists anyone; whether more follow is one index probe, not another chunk.
 */
async function duePage(p: PageCtx, after: number) {
  return await p.deps.read.transaction(async () => {
    const advocates: PayoutAdvocateView[] = [];
    let rolledOver = 0;
    let chunks = 0;
    for await (const chunk of payoutChunks(ctxOf(p), PAGE_LINES, after)) {
      advocates.push(...chunk.advocates);
      rolledOver += chunk.rolledOver;
      if (advocates.length > 0) break;
      // An empty step is part of one long advocate's lines (read on); a chunk that rolled everyone over counts.
      if (chunk.rolledOver > 0 && ++chunks >= MAX_CHUNKS) break;
    }
    const last = advocates.at(-1)?.advocate_id;
    return { advocates, rolledOver, next: last !== undefined && await p.q.payoutPages.payableAfter(p.brand.id, last) ? last : null };
  }, { mode: 'read' });
}

/** More commission or clawback lines than POST /payouts records at once (its bound on one job). */
const tooLong = (a: PayoutAdvocateView): boolean =>
  a.lines.filter((l) => l.type === 'commission').length > PAYOUT_MAX_COMMISSIONS || a.lines.filter((l) => l.type === 'clawback').length > PAYOUT_MAX_COMMISSIONS;

/** One advocate's lines of a type, the first LINES_SHOWN of them (the checkbox and the CSV carry them all). */
const lineList = (p: PageCtx, a: PayoutAdvocateView, type: 'commission' | 'clawback'): SafeHtml => {
  const lines = a.lines.filter((l) => l.type === type);
  if (lines.length === 0) return html`—`;
  const more = lines.length - LINES_SHOWN;
  return html`<ul class="lines">${lines.slice(0, LINES_SHOWN).map((l) => html`<li><a href="${COMMISSIONS_PATH}/${l.commission_id}">#${l.commission_id}</a>
${l.order_id ? html` <span class="muted">${l.order_id}</span>` : ''} ${money(toHundredths(l.amount), p.brand.currency)}</li>`)}
${more > 0 ? html`<li class="muted">and ${count(more)} more (${count(lines.length)} in all, each in the CSV)</li>` : ''}</ul>`;
};

async function payoutsPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const owner = p.viewer.user.role === 'owner';
  // A refused form shows again the page of advocates it was sent from (its hidden `after`).
  const after0 = problem ? optional(field(problem.values, 'after')) : typeof p.req.query.after === 'string' ? p.req.query.after : undefined;
  const values = { after: after0, runs_before: !problem && typeof p.req.query.runs_before === 'string' ? p.req.query.runs_before : undefined };
  const query = parseQuery(zPayoutPageQuery, values).data;
  const after = query.after ?? 0;
  const due = await duePage(p, after);
  const picked = problem ? new Set(fields(problem.values, 'pay')) : null;
  const pageCents = due.advocates.reduce((sum, a) => sum + toHundredths(a.subtotal), 0);
  // The form (and "select all") only when something here can be paid from this page; the column for an owner.
  const canPay = owner && due.advocates.some((a) => !tooLong(a));
  const rows = due.advocates.map((a) => {
    const id = `pay-${a.advocate_id}`;
    const value = encodeLines(a);
    return html`<tr>
${owner ? html`<td>${tooLong(a) ? html`<span class="muted">${count(a.lines.length)} lines: more than one payout records (${PAYOUT_MAX_COMMISSIONS}); pay them with the CSV and <code>referloop payout mark-paid --from</code></span>`
    : html`<input type="checkbox" name="pay" value="${value}" id="${id}"${!picked || picked.has(value) ? html` checked` : ''}><label class="visually-hidden" for="${id}">Pay ${a.advocate_name}</label>`}</td>` : ''}
<td><a href="${DASHBOARD_PATH}/advocates/${a.advocate_id}">${a.advocate_name}</a><br><span class="muted">${a.advocate_email}</span></td>
<td>${a.payment_method ? a.payment_method.replace(/_/g, ' ') : html`<span class="muted">not set</span>`}${a.payment_details ? html`<br><span class="muted">${a.payment_details}</span>` : ''}</td>
<td>${lineList(p, a, 'commission')}</td>
<td>${lineList(p, a, 'clawback')}</td>
<td class="num">${money(toHundredths(a.subtotal), p.brand.currency)}</td>
</tr>`;
  });
  const head = html`<tr>${canPay ? html`<th scope="col"><input type="checkbox" data-select-all="pay" id="pay-all" checked><label class="visually-hidden" for="pay-all">Select every advocate on this page</label></th>`
    : owner && rows.length ? html`<th scope="col"><span class="visually-hidden">How to pay</span></th>` : ''}
<th scope="col">Advocate</th><th scope="col">Paid by</th><th scope="col">Commissions</th><th scope="col">Clawbacks netted off</th><th scope="col" class="num">Subtotal</th></tr>`;
  const minPayout = p.brand.minPayout > 0
    ? html` Advocates whose subtotal is below the minimum payout (${money(p.brand.minPayout, p.brand.currency)}) roll over to the next run${due.rolledOver ? html`: ${count(due.rolledOver)} in the part of the list this page read` : ''}.`
    : '';
  const duePager = html`<nav class="pager" aria-label="Advocate pages">
${after > 0 ? html`<a href="${PAYOUTS_PATH}">First advocates</a>` : ''}
${due.next !== null ? html`<a href="${PAYOUTS_PATH}?after=${due.next}">Next advocates</a>` : html`<span class="muted">No more advocates</span>`}
</nav>`;
  const caption = `Due now, by advocate in id order${after > 0 ? ` (after advocate ${after})` : ''}: approved commissions, then the clawbacks each advocate owes netted off them`;
  const summary = html`<p>This page: ${count(due.advocates.length)} advocates, ${money(pageCents, p.brand.currency)}.${minPayout}
The whole payout, every advocate, is in the <a href="${PAYOUTS_PATH}/payout.csv" download>payout CSV</a> (the columns of <code>GET /api/v1/payouts/export</code>, what <code>referloop payout mark-paid --from</code> reads).</p>`;
  const dueTable = table(caption, head, rows, after > 0 ? 'No more advocates are due.' : 'Nothing is due: no approved commission waits for a payout.');
  const dueSection = canPay
    ? html`<form method="post" action="${PAYOUTS_PATH}/mark-paid" class="stack" data-confirm="Record the selected advocates as paid? Do this after sending the money.">
${csrfField(p.viewer)}
<input type="hidden" name="after" value="${after}">
${problemSummary(problem)}
${dueTable}
${duePager}
<div class="card row">
${input({ name: 'note', label: 'Note (kept in each commission\'s history, e.g. the bank batch)', value: '', problem })}
<div class="field"><button type="submit">Mark the selected advocates paid</button></div>
<p class="hint">All or none (at most ${PAYOUT_MAX_COMMISSIONS} commissions a payout): once you have paid them, this records their commissions paid and their clawbacks recovered, exactly as listed. If anything changed since this page was read, nothing is recorded and this page says what.</p>
</div>
</form>`
    : html`${problemSummary(problem)}${dueTable}${duePager}`;
  const runs = await pastPayouts(ctxOf(p), query.runs_before ?? null, RUNS_PER_PAGE + 1);
  const shown = runs.slice(0, RUNS_PER_PAGE);
  const runRows = shown.map((r) => html`<tr><td>${when(r.paid_at)}</td><td class="num">${count(r.commissions)}</td><td class="num">${money(toHundredths(r.amount), p.brand.currency)}</td></tr>`);
  const past = html`<h2 id="past">Past payouts</h2>
<p class="hint">The collector keeps no payout-run record: each payout stamps the commissions it pays with one time, so a run here is the cash commissions marked paid at the same moment (a commission marked paid on its own is a run of one). Clawbacks netted off in a run are in each commission's history.</p>
${table('Past payouts, newest first', html`<tr><th scope="col">Paid at</th><th scope="col" class="num">Commissions</th><th scope="col" class="num">Amount</th></tr>`, runRows, 'No payout has been recorded yet.')}
${pager(PAYOUTS_PATH, { runs_before: query.runs_before }, runs.length > RUNS_PER_PAGE ? shown.at(-1)!.paid_at : null, query.runs_before === undefined, { param: 'runs_before', label: 'Past payout pages' })}`;
  return { title: 'Payouts', nav: 'payouts', body: html`${summary}${dueSection}${past}` };
}

/** GET /dashboard/payouts/payout.csv: GET /payouts/export's lines, streamed chunk by chunk, each chunk one snapshot. */
function payoutCsv(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const brand = viewerOf(res).brand;
    const now = deps.now();
    await settledBrand(deps, brand, now);
    const ctx = { q: deps.rq, brand, now };
    async function* batches() {
      for await (const advocates of payoutAnswer(ctx).advocates) yield payoutCsvRows(advocates);
    }
    await streamCsv(res, 'payout.csv', PAYOUT_CSV_COLUMNS, batchSnapshots(deps.read, batches()));
  };
}

export function payoutPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/payouts', page(deps, (p) => payoutsPage(p)));
  r.get('/payouts/payout.csv', payoutCsv(deps));
  r.post('/payouts/mark-paid', action(deps, zPayoutRequest, payoutInput, async (ctx, data, req) => {
    const actor = `dashboard:${viewerOf(req.res!).user.email}` as const;
    const paid = await markPaid(ctx, data.commission_ids, actor, data.note ?? null,
      (data.clawbacks ?? []).map((c) => ({ commissionId: c.commission_id, cents: c.amount })));
    const advocates = new Set(paid.paid.map((c) => c.advocate_id)).size;
    const recovered = paid.recovered.reduce((sum, c) => sum + toHundredths(c.amount), 0);
    return {
      redirect: PAYOUTS_PATH,
      notice: `Recorded as paid: ${count(paid.paid.length)} commissions of ${count(advocates)} advocates, ${money(toHundredths(paid.total), ctx.brand.currency)}`
        + `${recovered ? ` (${money(recovered, ctx.brand.currency)} of clawbacks netted off)` : ''}.`,
    };
  }, (p, problem) => payoutsPage(p, problem)));
  return r;
}
