// /dashboard/rewards: the rewards catalogue and its redemptions (the use cases of /api/v1/rewards and /redemptions and of
// `referloop reward` / `referloop redemption`, services/catalogue.ts): the catalogue with each reward's cost, stock and
// status, a new reward, archive or bring back; the redemptions newest first (by status, 20 a page by cursor), each
// pending one fulfilled with what was given, or cancelled (its points and unit returned).
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { pageOf, parseQuery, pathId } from '../../http/query.ts';
import { MAX_CATALOGUE_REWARDS } from '../../db/catalogueRewards.ts';
import {
  CATALOGUE_REWARD_TYPES, zCancelRedemptionRequest, zCreateCatalogueRewardRequest, zFulfilRequest, zRedemptionListQuery,
  zUpdateCatalogueRewardRequest,
} from '../../schemas/catalogue.ts';
import {
  cancelRedemption, createCatalogueReward, fulfilRedemption, listCatalogue, listRedemptions, updateCatalogueReward,
  type CatalogueRewardView, type RedemptionView,
} from '../../services/catalogue.ts';
import { count, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, input, pager, problemSummary, select, table, textarea } from '../ui.ts';
import { ADVOCATES_PATH, isOwner, queryValues } from './advocates.ts';

export const CATALOGUE_PATH = `${DASHBOARD_PATH}/rewards`;
const REDEMPTIONS_PER_PAGE = 20;
const TYPE_LABELS: Record<(typeof CATALOGUE_REWARD_TYPES)[number], string> = {
  discount_code: 'Discount code', gift_card: 'Gift card', product: 'Product', custom: 'Custom',
};

/** Which form a refusal belongs to: the new reward's, or one redemption's (its id). */
type Refusal = { form: 'new'; problem: FormProblem } | { form: 'redemption'; id: number; problem: FormProblem };

const stockText = (r: CatalogueRewardView): string => (r.stock === null ? 'unlimited' : count(r.stock));

function catalogueRow(p: PageCtx, r: CatalogueRewardView): SafeHtml {
  const archived = r.status === 'archived';
  return html`<tr>
<td>${r.name}${r.description ? html`<br><span class="muted">${r.description}</span>` : ''}</td>
<td>${TYPE_LABELS[r.type]}</td>
<td class="num">${count(r.points_cost)}</td>
<td class="num">${stockText(r)}</td>
<td>${badge(r.status)}</td>
${isOwner(p) ? html`<td><form method="post" action="${CATALOGUE_PATH}/${r.id}/status" class="inline"${archived ? '' : html` data-confirm="Archive ${r.name}? It can no longer be redeemed; past redemptions stay."`}>
${csrfField(p.viewer)}<input type="hidden" name="status" value="${archived ? 'active' : 'archived'}">
<button type="submit"${archived ? '' : html` class="danger"`}>${archived ? 'Bring back' : 'Archive'}<span class="visually-hidden"> ${r.name}</span></button></form></td>` : ''}
</tr>`;
}

/** A pending redemption's fulfil form and cancel button; a fulfilled one's cancel (what was given taken back). */
function redemptionActions(p: PageCtx, r: RedemptionView, refusal: Refusal | undefined): SafeHtml {
  if (!isOwner(p) || r.status === 'cancelled') return html``;
  const problem = refusal?.form === 'redemption' && refusal.id === r.id ? refusal.problem : undefined;
  const fulfil = r.status === 'pending' ? html`<form method="post" action="${CATALOGUE_PATH}/redemptions/${r.id}/fulfil" class="stack">
${csrfField(p.viewer)}${problemSummary(problem)}
${input({ name: 'fulfilment', label: `What was given for redemption ${r.id}`, problem, hint: 'e.g. the coupon code, a gift card number, a tracking number', attrs: html` maxlength="2000" autocomplete="off"` })}
<button type="submit">Fulfil</button></form>` : html``;
  return html`${fulfil}<form method="post" action="${CATALOGUE_PATH}/redemptions/${r.id}/cancel" class="inline"
 data-confirm="Cancel redemption ${r.id}? Its ${r.points_cost} points go back to the advocate, and a limited stock gets its unit back.">
${csrfField(p.viewer)}<button type="submit" class="danger">Cancel<span class="visually-hidden"> redemption ${r.id}</span></button></form>`;
}

async function cataloguePage(p: PageCtx, refusal?: Refusal): Promise<Page> {
  const ctx = { q: p.q, brand: p.brand, now: p.now };
  const owner = isOwner(p);
  // GET /rewards's use case: the whole catalogue (at most MAX_CATALOGUE_REWARDS), oldest first.
  const catalogue = await listCatalogue(ctx, {});
  const names = new Map(catalogue.map((r) => [r.id, r.name]));
  const { data: query } = parseQuery(zRedemptionListQuery, { ...p.req.query, limit: String(REDEMPTIONS_PER_PAGE) });
  const list = await listRedemptions(ctx, { status: query.status }, pageOf(query));
  const redemptions = list.redemptions as RedemptionView[];
  const values = queryValues(p.req);
  const catalogueHead = html`<tr><th scope="col">Reward</th><th scope="col">Type</th><th scope="col" class="num">Points</th>
<th scope="col" class="num">Stock left</th><th scope="col">Status</th>${owner ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : ''}</tr>`;
  const redemptionRows = redemptions.map((r) => html`<tr>
<td>${r.id}</td>
<td>${when(r.created_at)}</td>
<td><a href="${ADVOCATES_PATH}/${r.advocate_id}">advocate ${r.advocate_id}</a></td>
<td>${names.get(r.reward_id) ?? `reward ${r.reward_id}`}</td>
<td class="num">${count(r.points_cost)}</td>
<td>${badge(r.status)}${r.fulfilment ? html`<br><code>${r.fulfilment}</code>` : ''}${r.cancel_reason ? html`<br><span class="muted">${r.cancel_reason}</span>` : ''}</td>
${owner ? html`<td>${redemptionActions(p, r, refusal)}</td>` : ''}
</tr>`);
  const redemptionHead = html`<tr><th scope="col">Id</th><th scope="col">Redeemed</th><th scope="col">Advocate</th><th scope="col">Reward</th>
<th scope="col" class="num">Points</th><th scope="col">Status</th>${owner ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : ''}</tr>`;
  const newProblem = refusal?.form === 'new' ? refusal.problem : undefined;
  const statusFilter = html`<form method="get" action="${CATALOGUE_PATH}" class="inline" aria-label="Filter the redemptions">
${select({ name: 'status', label: 'Redemptions', value: query.status ?? '', options: [['', 'all'], ['pending', 'pending'], ['fulfilled', 'fulfilled'], ['cancelled', 'cancelled']] })}
<button type="submit">Show</button></form>`;
  return {
    title: 'Rewards catalogue',
    nav: 'rewards',
    body: html`<p>What advocates spend their points on. A redemption takes the reward's points from the advocate (never below zero)
and one unit of a limited stock, all at once; fulfil it with what you gave, or cancel it to give the points and the unit back.
The same catalogue as <code>GET /api/v1/rewards</code> and <code>referloop reward list</code>; advocates redeem through
<code>POST /api/v1/rewards/:id/redeem</code>.</p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the catalogue and the redemptions, and only an owner of this brand can change them.</p>`}
${table('The catalogue, oldest first', catalogueHead, catalogue.map((r) => catalogueRow(p, r)), 'No reward yet.')}
${owner ? html`<h2 id="new-reward-title">New reward</h2>
<form method="post" action="${CATALOGUE_PATH}" aria-labelledby="new-reward-title" class="card" novalidate>
${csrfField(p.viewer)}
${problemSummary(newProblem)}
${input({ name: 'name', label: 'Name', required: true, problem: newProblem, hint: 'e.g. "$10 gift card"; at most 200 characters', attrs: html` maxlength="200" autocomplete="off"` })}
${textarea({ name: 'description', label: 'Description (optional)', problem: newProblem })}
${input({ name: 'points_cost', label: 'Points it costs', type: 'number', required: true, problem: newProblem, attrs: html` min="1" step="1"` })}
${select({ name: 'type', label: 'Type', problem: newProblem, options: CATALOGUE_REWARD_TYPES.map((t) => [t, TYPE_LABELS[t]] as const) })}
${input({ name: 'stock', label: 'Units in stock (optional)', problem: newProblem, hint: 'a whole number; empty or "unlimited" for no limit', attrs: html` autocomplete="off"` })}
<p><button type="submit">Add the reward</button></p>
<p class="muted">At most ${MAX_CATALOGUE_REWARDS} rewards a brand, archived ones included.</p>
</form>` : ''}
<h2 id="redemptions-h">Redemptions</h2>
${statusFilter}
${table('Redemptions, newest first', redemptionHead, redemptionRows, 'No redemption yet.')}
${pager(CATALOGUE_PATH, values, list.next_cursor, query.cursor === undefined, { label: 'Redemption pages' })}`,
  };
}

const rewardIdOf = (req: Request): number => pathId(req.params.id, 'reward');
const redemptionIdOf = (req: Request): number => pathId(req.params.id, 'redemption');
const newRewardInput = (form: FormBody) => ({
  name: field(form, 'name'),
  description: optional(field(form, 'description')),
  points_cost: field(form, 'points_cost'),
  type: field(form, 'type'),
  stock: optional(field(form, 'stock')),
});
/** A redemption's form refused: the page again, its message beside that redemption's form. */
const refusedOnRedemption = (p: PageCtx, problem: FormProblem) => cataloguePage(p, { form: 'redemption', id: redemptionIdOf(p.req), problem });

export function catalogueRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/rewards', page(deps, (p) => cataloguePage(p)));
  r.post('/rewards', action(deps, zCreateCatalogueRewardRequest, newRewardInput, async (ctx, data) => {
    const reward = await createCatalogueReward(ctx, data);
    return { redirect: CATALOGUE_PATH, notice: `${reward.name} is in the catalogue: advocates can redeem it for ${count(reward.points_cost)} points.` };
  }, (p, problem) => cataloguePage(p, { form: 'new', problem })));
  // Archive or bring back: PATCH /rewards/:id {status}, as the API's archive route is.
  r.post('/rewards/:id/status', action(deps, zUpdateCatalogueRewardRequest, (form) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const reward = await updateCatalogueReward(ctx, rewardIdOf(req), data);
    return { redirect: CATALOGUE_PATH, notice: reward.status === 'archived' ? `${reward.name} is archived: it can no longer be redeemed.` : `${reward.name} can be redeemed again.` };
  }, (p, problem) => cataloguePage(p, { form: 'new', problem })));
  r.post('/rewards/redemptions/:id/fulfil', action(deps, zFulfilRequest, (form) => ({ fulfilment: optional(field(form, 'fulfilment')) }), async (ctx, data, req) => {
    const redemption = await fulfilRedemption(ctx, redemptionIdOf(req), data);
    return { redirect: CATALOGUE_PATH, notice: `Redemption ${redemption.id} is fulfilled.` };
  }, refusedOnRedemption));
  r.post('/rewards/redemptions/:id/cancel', action(deps, zCancelRedemptionRequest, () => ({}), async (ctx, data, req) => {
    const redemption = await cancelRedemption(ctx, redemptionIdOf(req), data);
    return { redirect: CATALOGUE_PATH, notice: `Redemption ${redemption.id} is cancelled: ${count(redemption.points_cost)} points went back to advocate ${redemption.advocate_id}.` };
  }, refusedOnRedemption));
  return r;
}
