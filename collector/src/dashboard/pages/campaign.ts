// /dashboard/campaigns/:id: one campaign (status, rules, how many advocates), its figures, an owner's changes to it
// (its rules through PATCH /campaigns/:id's schema and use case; archive, or bring back) and the advocates in it
// (GET /advocates?campaign_id=, 50 a page by cursor).
import { listPage, pageOf, parseQuery, pathId } from '../../http/query.ts';
import { zAdvocateListQuery } from '../../schemas/advocates.ts';
import { listAdvocates } from '../../services/advocates.ts';
import { getCampaign, type CampaignView } from '../../services/campaigns.ts';
import type { Ctx } from '../../services/context.ts';
import { campaignFigures } from '../../services/overview.ts';
import { count, money, percent, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import type { FormProblem, PageCtx } from '../page.ts';
import { badge, input, pager, problemSummary, table } from '../ui.ts';
import { ADVOCATES_PATH, givenFilters, isOwner, moneyOf, queryValues } from './advocates.ts';
import { CAMPAIGNS_PATH, campaignPath, campaignState, rulesSummary, signupField } from './campaignParts.ts';
import { joinPath } from '../../services/signups.ts';
import { publicUrlOf } from '../../config.ts';
import { actionFieldsets, ruleFieldsets } from './programmeFields.ts';
import { SETTINGS_PATH } from './settingsTabs.ts';

const ADVOCATES_PER_PAGE = 50;

/** Which form of the campaign's page a refusal belongs to (its message is shown there only). */
export type CampaignForm = 'edit' | 'status';
interface Refusal { form: CampaignForm; problem: FormProblem }

const problemFor = (refusal: Refusal | undefined, form: CampaignForm) => (refusal?.form === form ? refusal.problem : undefined);
const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });

// The figures a campaign's page shows (services/overview.ts campaignFigures): counts, money in cents (*Cents).
const FIGURE_LABELS = {
  clicks: 'Clicks', claims: 'Claims', conversions: 'Referred conversions', conversionRate: 'Conversions per click',
  netRevenueCents: 'Revenue net of refunds', revenueCents: 'Revenue before refunds', refundedCents: 'Refunded',
  pendingCents: 'Commissions pending', approvedCents: 'Commissions approved', paidCents: 'Commissions paid',
  clawedBackCents: 'Clawed back', clawbackDueCents: 'Clawbacks still due',
} as const;

/** One figure: a number, or the period's and the previous period's (a rate is null with nothing to divide by). */
export type FigureValue = number | null | { current: number | null; previous: number | null };
export type FigureSet = { readonly [K in keyof typeof FIGURE_LABELS]?: FigureValue };

/** The figures block of a campaign's page: each figure given, labelled, in the brand's currency where it is money. */
export function campaignFiguresBlock(p: PageCtx, figures: FigureSet | undefined, heading = 'Figures'): SafeHtml {
  if (!figures) return html``;
  const text = (name: string, v: number | null): string =>
    v === null ? '–' : name.endsWith('Cents') ? money(v, p.brand.currency) : name === 'conversionRate' ? percent(v, 1) : count(v);
  const items = Object.entries(FIGURE_LABELS).flatMap(([name, label]) => {
    const v = figures[name as keyof typeof FIGURE_LABELS];
    if (v === undefined) return [];
    const compared = v !== null && typeof v === 'object';
    return [html`<li><span class="label">${label}</span><span class="value">${text(name, compared ? v.current : v)}</span>${compared ? html`<span class="previous">previous period: ${text(name, v.previous)}</span>` : ''}</li>`];
  });
  return html`<section aria-labelledby="figures-h"><h2 id="figures-h">${heading}</h2>
<ul class="figures" aria-label="${heading}">${items}</ul>
</section>`;
}

// ---------------------------------------------------------------------------------------------------------------------

function statusSection(p: PageCtx, c: CampaignView, refusal: Refusal | undefined): SafeHtml {
  const problem = problemFor(refusal, 'status');
  const archived = c.status === 'archived';
  const form = c.is_default ? html`<p class="note" role="note">This is the brand's default campaign: every advocate created without a campaign joins it, its rules are
the programme on <a href="${SETTINGS_PATH}">Settings</a>, and it stays active.</p>`
    : html`<form method="post" action="${campaignPath(c.id)}/status" class="card row"${archived ? '' : html` data-confirm="${`Archive ${c.name}? It takes no new advocate; ${c.advocate_count === 1 ? 'its 1 advocate stays in it and keeps' : `its ${count(c.advocate_count)} advocates stay in it and keep`} its rules.`}"`}>
${csrfField(p.viewer)}
<input type="hidden" name="status" value="${archived ? 'active' : 'archived'}">
<div class="field"><button type="submit" class="${archived ? '' : 'danger'}">${archived ? 'Bring back' : 'Archive'}</button>
<span class="hint">${archived ? 'Active again: advocates can be put in it.' : 'An archived campaign takes no new advocate; its advocates stay and keep its rules.'}</span></div>
</form>`;
  return html`<section aria-labelledby="status-h"><h2 id="status-h">${archived ? 'Archived' : 'Archive'}</h2>
${problemSummary(problem)}
${form}
</section>`;
}

function editSection(p: PageCtx, c: CampaignView, refusal: Refusal | undefined): SafeHtml {
  const problem = problemFor(refusal, 'edit');
  return html`<section aria-labelledby="edit-h"><h2 id="edit-h">Rules</h2>
<form method="post" action="${campaignPath(c.id)}" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
<div class="card">${input({ name: 'name', label: 'Name', value: c.name, required: true, problem, hint: 'Unique within the brand; at most 100 characters', attrs: html` maxlength="100" autocomplete="off"` })}
${signupField(c.signup, problem)}</div>
${ruleFieldsets(c, p.brand.currency, problem, false)}
${actionFieldsets(c, p.brand.currency, problem, false)}
<p><button type="submit">Save the campaign</button></p>
<p class="muted">The next conversions of its advocates follow the rules saved; commissions already earned keep their amounts and dates.</p>
</form></section>`;
}

async function advocatesSection(p: PageCtx, c: CampaignView): Promise<SafeHtml> {
  const { limit, cursor } = givenFilters(queryValues(p.req));
  const kept = { limit, cursor };
  // GET /api/v1/advocates?campaign_id= for the same cursor (and limit, 50 unless given), served by advocates_campaign.
  const { data: query } = parseQuery(zAdvocateListQuery, { limit: String(ADVOCATES_PER_PAGE), ...givenFilters(kept) });
  const filter = { status: null, tier: null, search: null, campaignId: c.id };
  const list = await listPage('advocates', pageOf(query), (slice) => listAdvocates(ctxOf(p), filter, slice));
  const advocates = list.advocates as Awaited<ReturnType<typeof listAdvocates>>;
  const rows = advocates.map((a) => html`<tr>
<td><a href="${ADVOCATES_PATH}/${a.id}">${a.name}</a><br><span class="muted">${a.email}</span></td>
<td>${a.referral_codes.join(', ')}</td>
<td>${badge(a.status)}</td>
<td class="num">${count(a.click_count)}</td>
<td class="num">${count(a.conversion_count)}</td>
<td class="num">${moneyOf(p, a.total_earnings)}</td>
<td>${when(a.created_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Advocate</th><th scope="col">Codes</th><th scope="col">Status</th><th scope="col" class="num">Clicks</th>
<th scope="col" class="num">Conversions</th><th scope="col" class="num">Total earned</th><th scope="col">Joined</th></tr>`;
  return html`<section aria-labelledby="advocates-h"><h2 id="advocates-h">Advocates: ${count(c.advocate_count)}</h2>
<p class="muted">An advocate is moved to another campaign from their own page.</p>
${table('Advocates in this campaign, newest first', head, rows, 'No advocate in this campaign yet.')}
${pager(campaignPath(c.id), kept, list.next_cursor, query.cursor === undefined, { label: 'Advocate pages' })}
</section>`;
}

export async function campaignPage(p: PageCtx, refusal?: Refusal): Promise<Page> {
  const c = await getCampaign(ctxOf(p), pathId(p.req.params.id, 'campaign'));
  const owner = isOwner(p);
  const figures = await campaignFigures(ctxOf(p), c.id);
  const body = html`<p><a href="${CAMPAIGNS_PATH}">Back to the campaigns</a></p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the campaign and its advocates, and only an owner of this brand can change it.</p>`}
<dl class="card facts">
<dt>Status</dt><dd>${campaignState(c)}</dd>
<dt>Rules</dt><dd>${rulesSummary(c, p.brand.currency)}</dd>
<dt>Advocates</dt><dd>${count(c.advocate_count)}</dd>
<dt>Self sign-up</dt><dd>${c.signup === 'closed' || c.status === 'archived' ? `closed${c.signup === 'closed' ? '' : ' (archived)'}`
    : html`${c.signup === 'open' ? 'open' : 'with approval'}: <a href="${joinPath(p.brand.id, c.id)}">${publicUrlOf(p.deps.config)}${joinPath(p.brand.id, c.id)}</a>`}</dd>
<dt>Created</dt><dd>${when(c.created_at)} · id ${c.id}</dd>
<dt>Changed</dt><dd>${when(c.updated_at)}</dd>
</dl>
${campaignFiguresBlock(p, figures)}
${owner ? statusSection(p, c, refusal) : ''}
${await advocatesSection(p, c)}
${owner ? editSection(p, c, refusal) : ''}`;
  return { title: c.name, nav: 'campaigns', body };
}
