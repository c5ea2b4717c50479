// /dashboard/advocates/:id: one advocate (figures, campaign, codes, commissions and their history, referral records,
// points, referrals, payment details) and the owner's changes to it: edit, block/unblock, move to another campaign, add or deactivate a
// code, award or deduct points.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { normalizeCode } from '../../domain/identity.ts';
import { encodeCursor, listPage, parseQuery, pathId, zOffsetPagination, zPagination } from '../../http/query.ts';
import {
  POINTS_TYPES, zAddCodeRequest, zCodeStatusRequest, zPointsRequest, zUpdateAdvocateRequest,
} from '../../schemas/advocates.ts';
import { findAdvocate, getAdvocate, updateAdvocate } from '../../services/advocates.ts';
import { getCommission, listCommissions } from '../../services/commissions.ts';
import { orderCell } from './commissions.ts';
import { mapInOrder, type Ctx } from '../../services/context.ts';
import { pointsLedger, recordPointsRequest } from '../../services/points.ts';
import { addCode, listReferrals, setCodeStatus } from '../../services/referralCodes.ts';
import { FROM_START } from '../../db/records.ts';
import { count, percent, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, input, pager, problemSummary, select, table, textarea } from '../ui.ts';
import { ADVOCATES_PATH, advocateFields, isOwner, moneyOf, orNull, queryValues } from './advocates.ts';
import { programmeOf } from '../../services/campaigns.ts';
import { programmeView } from '../../services/settings.ts';
import { campaignPath, rulesSummary } from './campaignParts.ts';
import { advocateRecordsPage, advocateRecordsPath } from './advocateRecords.ts';
import { approveButton, lastSeenLine } from './signups.ts';
import { portalLinkButton, portalLinkRoutes } from './portalLink.ts';

const COMMISSIONS_PER_PAGE = 10;
const POINTS_PER_PAGE = 10;
const REFERRED_PER_PAGE = 20;
/** An advocate's codes are few; past this many the page says so and links to the API's list. */
const CODES_SHOWN = 100;

/** The page's own paging: one cursor (or page) per list on it. */
const zAdvocatePageQuery = z.object({
  commissions_cursor: zPagination.cursor,
  referred_cursor: zPagination.cursor,
  points_page: zOffsetPagination.page,
});

/** Which form a refusal belongs to (its messages are shown there only). */
type FormKey = 'edit' | 'status' | 'campaign' | 'code' | 'code_status' | 'points';

interface Refusal { form: FormKey; problem: FormProblem }

const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });
const advocatePath = (id: number) => `${ADVOCATES_PATH}/${id}`;

/** A commission's amount: cash in the brand's currency, points as points. */
export const commissionValue = (p: PageCtx, kind: string, value: number): string =>
  kind === 'cash' ? moneyOf(p, value) : `${count(value)} points`;

/** A commission's history (reward_events), oldest change first, as a short list inside its row. */
export function historyList(p: PageCtx, kind: string, history: Awaited<ReturnType<typeof getCommission>>['history']): SafeHtml {
  return html`<details><summary>History (${history.length})</summary><ol class="history">
${history.map((e) => html`<li>${when(e.created_at)}: ${e.event.replace(/_/g, ' ')} ${e.delta === 0 ? '' : html`(${e.delta > 0 ? '+' : ''}${commissionValue(p, kind, e.delta)})`}
by ${e.actor}${e.note ? html` — ${e.note}` : ''}</li>`)}
</ol></details>`;
}

function figures(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>): SafeHtml {
  const item = (label: string, value: string | SafeHtml) => html`<li><span class="label">${label}</span><span class="value">${value}</span></li>`;
  return html`<ul class="figures" aria-label="Figures">
${item('Clicks', count(a.click_count))}
${item('Conversions', count(a.conversion_count))}
${item('Conversion rate', percent(a.conversion_count, a.click_count))}
${item('Pending', moneyOf(p, a.pending_earnings))}
${item('Approved', moneyOf(p, a.approved_earnings))}
${item('Paid', moneyOf(p, a.paid_earnings))}
${item('Clawback due', moneyOf(p, a.clawback_due))}
${item('Total earned', moneyOf(p, a.total_earnings))}
${item('Points', count(a.points_balance))}
</ul>`;
}

/**
 * The advocate's campaign (its rules in a line) and, for an owner, the form that moves them to another active campaign
 * (PATCH /advocates/:id {campaign_id}): their next conversions follow its rules, earned commissions stay.
 */
async function campaignSection(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>, refusal?: Refusal): Promise<SafeHtml> {
  // A brand has at most MAX_CAMPAIGNS (db/campaigns.ts): one indexed read of them all, without their advocate counts.
  const campaigns = await p.q.campaigns.list(p.brand.id);
  const current = campaigns.find((c) => c.id === a.campaign_id);
  const others = campaigns.filter((c) => c.status === 'active' && c.id !== a.campaign_id);
  const problem = problemFor(refusal, 'campaign');
  const isDefault = a.campaign_id === p.brand.defaultCampaignId;
  const move = !isOwner(p) ? ''
    : others.length === 0 ? html`<p class="muted">No other active campaign to move ${a.name} to: <a href="${DASHBOARD_PATH}/campaigns">create one</a>.</p>`
      : html`<form class="card row" method="post" action="${advocatePath(a.id)}/campaign">
${csrfField(p.viewer)}
${problemSummary(problem)}
${select({ name: 'campaign_id', label: 'Move to campaign', value: '', problem, options: others.map((c) => [String(c.id), c.name] as const),
    hint: 'Active campaigns only. The next conversions follow its rules; commissions already earned stay as they are.' })}
<div class="field"><button type="submit">Move</button></div>
</form>`;
  return html`<section aria-labelledby="campaign-h"><h2 id="campaign-h">Campaign</h2>
<p>${current ? html`<a href="${campaignPath(current.id)}">${current.name}</a>${isDefault ? ' (the default campaign)' : ''}${current.status === 'archived' ? ' (archived: it takes no new advocate, its own keep its rules)' : ''}:
${rulesSummary(programmeView(current), p.brand.currency)}.` : html`Campaign ${a.campaign_id}.`}</p>
${move}
</section>`;
}

/** Only the refused form gets the problem (several forms on this page share field names such as status). */
const problemFor = (refusal: Refusal | undefined, form: FormKey) => (refusal?.form === form ? refusal.problem : undefined);

async function codesSection(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>, refusal?: Refusal): Promise<SafeHtml> {
  const ctx = ctxOf(p);
  // As GET /api/v1/referrals?advocate_id= answers them: clicks, conversions, revenue (net of refunds) per code.
  const codes = await listReferrals(ctx, { advocateId: a.id, status: null, search: null }, { before: null, limit: CODES_SHOWN + 1, offset: 0 });
  const owner = isOwner(p);
  const rows = codes.slice(0, CODES_SHOWN).map((c) => html`<tr>
<td><code>${c.code}</code></td><td>${badge(c.status)}</td>
<td class="num">${count(c.clicks)}</td><td class="num">${count(c.conversions)}</td>
<td class="num">${moneyOf(p, c.revenue)}</td><td class="num">${percent(c.conversions, c.clicks)}</td>
<td>${when(c.created_at)}</td><td>${when(c.deactivated_at)}</td>
${owner ? html`<td><form class="inline" method="post" action="${advocatePath(a.id)}/codes/${c.code}/status">
${csrfField(p.viewer)}<input type="hidden" name="status" value="${c.status === 'active' ? 'inactive' : 'active'}">
<button type="submit" class="secondary" aria-label="${c.status === 'active' ? 'Deactivate' : 'Reactivate'} ${c.code}">${c.status === 'active' ? 'Deactivate' : 'Reactivate'}</button>
</form></td>` : ''}
</tr>`);
  const head = html`<tr><th scope="col">Code</th><th scope="col">Status</th><th scope="col" class="num">Clicks</th>
<th scope="col" class="num">Conversions</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Rate</th>
<th scope="col">Created</th><th scope="col">Deactivated</th>${owner ? html`<th scope="col">Change</th>` : ''}</tr>`;
  const problem = problemFor(refusal, 'code');
  return html`<section aria-labelledby="codes-h"><h2 id="codes-h">Referral codes</h2>
${problemFor(refusal, 'code_status') ? problemSummary(problemFor(refusal, 'code_status')) : ''}
${table('Referral codes (revenue net of refunds)', head, rows)}
${codes.length > CODES_SHOWN ? html`<p class="muted">The first ${CODES_SHOWN} codes are shown.</p>` : ''}
${owner ? html`<form class="card row" method="post" action="${advocatePath(a.id)}/codes">
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'referral_code', label: 'New code', problem, hint: 'Empty: one is generated from the name' })}
<div class="field"><button type="submit">Add code</button></div>
</form>` : ''}
</section>`;
}

async function commissionsSection(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>, cursor: number | undefined, values: Record<string, string | undefined>): Promise<SafeHtml> {
  const ctx = ctxOf(p);
  // GET /api/v1/commissions?advocate_id=, with each commission's history as GET /commissions/:id answers it.
  const list = await listPage('commissions', { before: cursor ?? null, limit: COMMISSIONS_PER_PAGE, offset: 0, withTotal: false },
    (slice) => listCommissions(ctx, { advocateId: a.id }, slice));
  const items = list.commissions as Awaited<ReturnType<typeof listCommissions>>;
  const rows = await mapInOrder(items, async (c) => {
    const { history } = await getCommission(ctx, c.id);
    return html`<tr>
<td>${c.id}</td>
<td>${orderCell(c)}</td>
<td>${c.level}</td><td>${badge(c.status)}${c.reason ? html`<br><span class="muted">${c.reason}</span>` : ''}</td>
<td class="num">${commissionValue(p, c.kind, c.amount)}</td>
<td class="num">${c.clawed_back ? commissionValue(p, c.kind, c.clawed_back) : '—'}</td>
<td class="num">${commissionValue(p, c.kind, c.net_amount)}</td>
<td>${c.status === 'pending' ? when(c.available_at) : c.paid_at ? when(c.paid_at) : when(c.approved_at)}</td>
<td>${historyList(p, c.kind, history)}</td>
</tr>`;
  });
  const head = html`<tr><th scope="col">#</th><th scope="col">Order</th><th scope="col">Level</th><th scope="col">Status</th>
<th scope="col" class="num">Amount</th><th scope="col" class="num">Clawed back</th><th scope="col" class="num">Net</th>
<th scope="col">Approved on / paid on</th><th scope="col">History</th></tr>`;
  return html`<section aria-labelledby="commissions-h"><h2 id="commissions-h">Commissions</h2>
${table('Commissions, newest first (pending ones show the date they become approved)', head, rows)}
${pager(advocatePath(a.id), values, list.next_cursor, cursor === undefined, { param: 'commissions_cursor', label: 'Commission pages' })}
</section>`;
}

async function pointsSection(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>, pageNo: number, refusal?: Refusal): Promise<SafeHtml> {
  const offset = (pageNo - 1) * POINTS_PER_PAGE;
  // GET /api/v1/advocates/:id/points.
  const ledger = await pointsLedger(ctxOf(p), a.id, { limit: POINTS_PER_PAGE, offset });
  const rows = ledger.items.map((t) => html`<tr><td>${when(t.created_at)}</td><td>${t.type}</td>
<td class="num">${t.amount > 0 ? '+' : ''}${count(t.amount)}</td><td class="num">${count(t.balance_after)}</td>
<td>${t.description ?? ''}${t.reward_id ? html` <span class="muted">(commission ${t.reward_id})</span>` : ''}</td></tr>`);
  const head = html`<tr><th scope="col">When</th><th scope="col">Type</th><th scope="col" class="num">Points</th>
<th scope="col" class="num">Balance after</th><th scope="col">Description</th></tr>`;
  const pageHref = (n: number) => `${advocatePath(a.id)}?points_page=${n}#points-h`;
  const problem = problemFor(refusal, 'points');
  return html`<section aria-labelledby="points-h"><h2 id="points-h">Points: ${count(ledger.balance)}</h2>
${table(`Points ledger, newest first (entries: ${count(ledger.total)})`, head, rows)}
<nav class="pager" aria-label="Points ledger pages">
${pageNo > 1 ? html`<a href="${pageHref(pageNo - 1)}">Newer</a>` : ''}
${offset + ledger.items.length < ledger.total ? html`<a href="${pageHref(pageNo + 1)}">Older</a>` : html`<span class="muted">No older entries</span>`}
</nav>
${isOwner(p) ? html`<form class="card row" method="post" action="${advocatePath(a.id)}/points">
${csrfField(p.viewer)}
${problemSummary(problem)}
${select({ name: 'type', label: 'Change', value: 'award', options: POINTS_TYPES.map((t) => [t, t] as const), problem,
    hint: 'deduct and redeem take points away; adjust takes the amount as signed' })}
${input({ name: 'amount', label: 'Points', type: 'number', required: true, problem, attrs: html` step="1"` })}
${input({ name: 'description', label: 'Reason', problem })}
<div class="field"><button type="submit">Record points</button></div>
</form>` : ''}
</section>`;
}

async function referralsSection(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>, cursor: number | undefined, values: Record<string, string | undefined>): Promise<SafeHtml> {
  const referrer = a.referred_by === null ? undefined : await p.q.advocates.findRecord(p.brand.id, a.referred_by);
  const referred = await p.q.advocates.referredBy(p.brand.id, a.id, cursor ?? FROM_START, REFERRED_PER_PAGE + 1);
  const shown = referred.slice(0, REFERRED_PER_PAGE);
  const next = referred.length > REFERRED_PER_PAGE ? encodeCursor(shown[shown.length - 1]!.id) : null;
  const rows = shown.map((r) => html`<tr><td><a href="${advocatePath(r.id)}">${r.name}</a></td><td>${r.email}</td>
<td>${badge(r.status)}</td><td>${when(r.createdAt)}</td></tr>`);
  const head = html`<tr><th scope="col">Advocate</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Joined</th></tr>`;
  return html`<section aria-labelledby="referrals-h"><h2 id="referrals-h">Referrals</h2>
<p>Referred by: ${referrer ? html`<a href="${advocatePath(referrer.id)}">${referrer.name}</a> (${referrer.email})` : 'nobody'}.
${referrer && (await programmeOf(p, a.campaign_id)).level2RewardType !== 'none' ? html`This advocate's conversions also earn ${referrer.name} a level-2 commission (by the rules of this advocate's campaign).` : ''}</p>
${table('Advocates this advocate referred, newest first', head, rows, 'Nobody yet.')}
${pager(advocatePath(a.id), values, next, cursor === undefined, { param: 'referred_cursor', label: 'Referral pages' })}
</section>`;
}

function editSection(p: PageCtx, a: Awaited<ReturnType<typeof getAdvocate>>, refusal?: Refusal): SafeHtml {
  const problem = problemFor(refusal, 'edit');
  const metadata = a.metadata === null ? '' : JSON.stringify(a.metadata, null, 2);
  return html`<section aria-labelledby="edit-h"><h2 id="edit-h">Edit</h2>
<form class="card stack" method="post" action="${advocatePath(a.id)}">
${csrfField(p.viewer)}
${problemSummary(problem)}
${advocateFields(problem, a)}
${textarea({ name: 'metadata', label: 'Metadata (JSON object)', value: metadata, problem, hint: 'Empty for none' })}
<button type="submit">Save changes</button>
</form></section>`;
}

async function advocatePage(p: PageCtx, refusal?: Refusal): Promise<Page> {
  const id = pathId(p.req.params.id, 'advocate');
  const a = await getAdvocate(ctxOf(p), id);
  const { data: query } = parseQuery(zAdvocatePageQuery, p.req.query);
  const values = queryValues(p.req);
  const owner = isOwner(p);
  const blocked = a.status === 'blocked';
  const statusProblem = problemFor(refusal, 'status');
  const body = html`<p><a href="${ADVOCATES_PATH}">Back to the advocates</a></p>
<div class="card">
<p>${badge(a.status)} ${a.email}${a.tier ? html` · tier ${a.tier}` : ''} · joined ${when(a.created_at)} · id ${a.id}</p>
${await lastSeenLine(p, a.id)}
${approveButton(p, a)}
${portalLinkButton(p, a)}
<p>Payment: ${a.payment_method ? a.payment_method.replace(/_/g, ' ') : 'no method set'}${a.payment_details ? html` — <span class="payment-details">${a.payment_details}</span>` : ''}</p>
${owner ? html`<form method="post" action="${advocatePath(a.id)}/status"${blocked ? '' : html` data-confirm="Block ${a.name}? Their codes stop attributing at once."`}>
${csrfField(p.viewer)}
${problemSummary(statusProblem)}
<input type="hidden" name="status" value="${blocked ? 'active' : 'blocked'}">
<button type="submit" class="${blocked ? '' : 'danger'}">${blocked ? 'Unblock' : 'Block'}</button>
<span class="hint">${blocked ? 'Unblocking makes the advocate active: their active codes attribute again.' : 'A blocked advocate\'s codes stop attributing; commissions already earned stay as they are.'}</span>
</form>` : ''}
</div>
${figures(p, a)}
<p><a href="${DASHBOARD_PATH}/conversions?advocate_id=${a.id}">This advocate's conversions</a> · <a href="${advocateRecordsPath(a.id)}">Their referral records</a> (one per commission: whom they referred, for what, with which reward and incentive)</p>
${await campaignSection(p, a, refusal)}
${await codesSection(p, a, refusal)}
${await commissionsSection(p, a, query.commissions_cursor, values)}
${await pointsSection(p, a, query.points_page ?? 1, refusal)}
${await referralsSection(p, a, query.referred_cursor, values)}
${owner ? editSection(p, a, refusal) : ''}`;
  return { title: a.name, nav: 'advocates', body };
}

const idOf = (req: Request) => pathId(req.params.id, 'advocate');

/** The edit form's strings as PATCH /api/v1/advocates/:id's body: every field given, an empty one clears it. */
function editInput(form: FormBody): Record<string, unknown> {
  const metadata = field(form, 'metadata').trim();
  let parsed: unknown = null;
  if (metadata !== '') {
    try {
      parsed = JSON.parse(metadata);
    } catch {
      parsed = metadata; // not JSON: the schema says "must be an object" beside the field
    }
  }
  return {
    name: field(form, 'name'),
    email: field(form, 'email'),
    status: field(form, 'status'),
    tier: orNull(field(form, 'tier')),
    referred_by: orNull(field(form, 'referred_by')),
    payment_method: orNull(field(form, 'payment_method')),
    payment_details: orNull(field(form, 'payment_details')),
    metadata: parsed,
  };
}

const refusedOn = (form: FormKey) => (p: PageCtx, problem: FormProblem) => advocatePage(p, { form, problem });

export function advocatePageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/advocates/:id', page(deps, (p) => advocatePage(p)));
  r.get('/advocates/:id/records', page(deps, advocateRecordsPage));

  r.post('/advocates/:id', action(deps, zUpdateAdvocateRequest, editInput, async (ctx, data, req) => {
    const a = await updateAdvocate(ctx, idOf(req), data);
    return { redirect: advocatePath(a.id), notice: `Changes to ${a.name} saved` };
  }, refusedOn('edit')));

  r.post('/advocates/:id/status', action(deps, zUpdateAdvocateRequest, (form) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const a = await updateAdvocate(ctx, idOf(req), data);
    return { redirect: advocatePath(a.id), notice: a.status === 'blocked' ? `${a.name} is blocked: their codes no longer attribute` : `${a.name} is ${a.status}` };
  }, refusedOn('status')));

  r.post('/advocates/:id/campaign', action(deps, zUpdateAdvocateRequest, (form) => ({ campaign_id: field(form, 'campaign_id') }), async (ctx, data, req) => {
    const a = await updateAdvocate(ctx, idOf(req), data);
    const campaign = await ctx.q.campaigns.find(ctx.brand.id, a.campaign_id);
    return { redirect: advocatePath(a.id), notice: `${a.name} is in ${campaign?.name ?? `campaign ${a.campaign_id}`}: their next conversions follow its rules` };
  }, refusedOn('campaign')));

  r.post('/advocates/:id/codes', action(deps, zAddCodeRequest, (form) => ({ referral_code: optional(field(form, 'referral_code')) }), async (ctx, data, req) => {
    const advocate = await findAdvocate(ctx, idOf(req));
    const referral = await addCode(ctx, advocate, data.code);
    return { redirect: advocatePath(advocate.id), notice: `Code ${referral.code} added` };
  }, refusedOn('code')));

  r.post('/advocates/:id/codes/:code/status', action(deps, zCodeStatusRequest, (form) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const advocate = await findAdvocate(ctx, idOf(req));
    // The code must be this advocate's: another advocate's code through this path names nothing.
    const code = await ctx.q.advocates.findCode(ctx.brand.id, normalizeCode(String(req.params.code)));
    if (!code || code.advocateId !== advocate.id) throw notFound('referral code of this advocate');
    const referral = await setCodeStatus(ctx, code.code, data.status);
    return { redirect: advocatePath(advocate.id), notice: `Code ${referral.code} is ${referral.status}` };
  }, refusedOn('code_status')));

  r.post('/advocates/:id/points', action(deps, zPointsRequest, (form) => ({
    amount: field(form, 'amount'),
    type: optional(field(form, 'type')),
    description: optional(field(form, 'description')),
  }), async (ctx, data, req) => {
    const advocate = await findAdvocate(ctx, idOf(req));
    const { transaction, new_balance } = await recordPointsRequest(ctx, advocate.id, data);
    const verb = transaction.amount > 0 ? `${transaction.amount} points added` : `${-transaction.amount} points taken`;
    return { redirect: `${advocatePath(advocate.id)}#points-h`, notice: `${verb}; balance ${new_balance}` };
  }, refusedOn('points')));
  r.use(portalLinkRoutes(deps));
  return r;
}
