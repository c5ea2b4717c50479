// /portal/rewards: the advocate's points (balance and history, as GET /api/v1/advocates/:id/points answers them), the
// brand's active catalogue with a Redeem button per reward (POST /api/v1/rewards/:id/redeem's use case for this advocate),
// and the advocate's own redemptions (GET /redemptions?advocate_id=, newest first by cursor), each with its page.
// A Redeem form carries a one-off form id (forms.ts oncePerForm): the use case runs once per form, so the same form sent twice
// (a double press, a resent POST) redeems once and the second answer says so.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { ApiError, notFound } from '../../errors.ts';
import { toApiError } from '../../http/errors.ts';
import { pageOf, parseQuery, pathId, zPagination, zQueryInt } from '../../http/query.ts';
import { zRedeemRequest } from '../../schemas/catalogue.ts';
import {
  getRedemption, listCatalogue, listRedemptions, redeemCatalogueReward, type CatalogueRewardView, type RedemptionView,
} from '../../services/catalogue.ts';
import { pointsLedger } from '../../services/points.ts';
import type { Ctx } from '../../services/context.ts';
import { count, when } from '../../dashboard/format.ts';
import { html, type SafeHtml } from '../../dashboard/html.ts';
import type { FormProblem } from '../../dashboard/page.ts';
import { badge, pager, problemSummary, table } from '../../dashboard/ui.ts';
import { formIdField, oncePerForm, portalAction, portalPage, type PortalCtx } from '../forms.ts';
import { portalCsrfField, type PortalPage } from '../layout.ts';
import { PORTAL_PATH } from '../session.ts';

export const REWARDS_PATH = `${PORTAL_PATH}/rewards`;
const PER_PAGE = 20;

const zRewardsQuery = z.object({ points_page: zQueryInt(1, 5_000).optional(), cursor: zPagination.cursor });

const stockText = (r: CatalogueRewardView): string =>
  (r.stock === null ? 'In stock' : r.stock === 0 ? 'Out of stock' : `In stock (${count(r.stock)} left)`);

function rewardRow(p: PortalCtx, r: CatalogueRewardView, balance: number): SafeHtml {
  const short = r.points_cost - balance;
  return html`<tr>
<th scope="row">${r.name}</th>
<td>${r.description ?? ''}</td>
<td class="num">${count(r.points_cost)}</td>
<td>${stockText(r)}</td>
<td><form method="post" action="${REWARDS_PATH}/${r.id}/redeem" class="inline">
${portalCsrfField(p.viewer)}${formIdField()}
<button type="submit">Redeem<span class="visually-hidden"> ${r.name}</span></button></form>${short > 0 ? html` <span class="muted">${count(short)} more points needed</span>` : ''}</td>
</tr>`;
}

/** What a redemption gave, in words: pending, what was given, or why it was cancelled. */
const outcome = (r: RedemptionView): SafeHtml =>
  html`${badge(r.status)}${r.fulfilment ? html` <code>${r.fulfilment}</code>` : ''}${r.cancel_reason ? html` <span class="muted">${r.cancel_reason}</span>` : ''}`;

const costText = (r: RedemptionView): string => (r.quest_id !== null ? `quest ${r.quest_id}'s reward` : `${count(r.points_cost)} points`);

async function rewardsPage(p: PortalCtx, problem?: FormProblem): Promise<PortalPage> {
  const { data: query } = parseQuery(zRewardsQuery, p.req.query);
  const pointsPage = pageOf({ page: query.points_page ?? 1, limit: PER_PAGE });
  // The API's own reads for this advocate: the ledger, the whole catalogue (names of archived rewards too), their redemptions.
  const [ledger, catalogue, list] = await Promise.all([
    pointsLedger(p.ctx, p.advocateId, pointsPage),
    listCatalogue(p.ctx, {}),
    listRedemptions(p.ctx, { advocateId: p.advocateId }, pageOf({ cursor: query.cursor, limit: PER_PAGE })),
  ]);
  const names = new Map(catalogue.map((r) => [r.id, r.name]));
  const active = catalogue.filter((r) => r.status === 'active');
  const redemptions = list.redemptions as RedemptionView[];
  const keep = { points_page: query.points_page ? String(query.points_page) : undefined, cursor: p.req.query.cursor as string | undefined };
  const pointsNav = (n: number) => `${REWARDS_PATH}?${new URLSearchParams({ points_page: String(n), ...(keep.cursor ? { cursor: keep.cursor } : {}) })}`;
  const page = query.points_page ?? 1;
  const history = ledger.items.map((t) => html`<tr><td>${when(t.created_at)}</td><td>${t.type}</td>
<td class="num">${t.amount > 0 ? '+' : ''}${count(t.amount)}</td><td class="num">${count(t.balance_after)}</td><td>${t.description ?? ''}</td></tr>`);
  const redemptionRows = redemptions.map((r) => html`<tr>
<td><a href="${REWARDS_PATH}/redemptions/${r.id}">${names.get(r.reward_id) ?? `Reward ${r.reward_id}`}</a></td>
<td>${when(r.created_at)}</td><td>${costText(r)}</td><td>${outcome(r)}</td></tr>`);
  return {
    title: 'Points and rewards',
    nav: 'rewards',
    body: html`${problemSummary(problem)}
<section aria-labelledby="points-h">
<h2 id="points-h">Your points</h2>
<p>You have <strong data-figure="balance">${count(ledger.balance)}</strong> points.</p>
${table('Your points history, newest first', html`<tr><th scope="col">When</th><th scope="col">Type</th><th scope="col" class="num">Points</th>
<th scope="col" class="num">Balance after</th><th scope="col">What for</th></tr>`, history, 'No points yet.')}
<nav class="pager" aria-label="Points history pages">
${page > 1 ? html`<a href="${pointsNav(page - 1)}">Newer</a>` : ''}
${page * PER_PAGE < ledger.total ? html`<a href="${pointsNav(page + 1)}">Older</a>` : html`<span class="muted">No older entries</span>`}
</nav>
</section>
<section aria-labelledby="catalogue-h">
<h2 id="catalogue-h">Rewards to redeem</h2>
<p>A reward's points leave your balance when you redeem it; the shop then gives you the reward.</p>
${table('Rewards you can redeem', html`<tr><th scope="col">Reward</th><th scope="col">Description</th><th scope="col" class="num">Points</th>
<th scope="col">Stock</th><th scope="col"><span class="visually-hidden">Redeem</span></th></tr>`,
    active.map((r) => rewardRow(p, r, ledger.balance)), 'No reward to redeem yet.')}
</section>
<section aria-labelledby="redemptions-h">
<h2 id="redemptions-h">Your redemptions</h2>
${table('Your redemptions, newest first', html`<tr><th scope="col">Reward</th><th scope="col">Redeemed</th><th scope="col">Cost</th>
<th scope="col">Status and what you were given</th></tr>`, redemptionRows, 'You have redeemed nothing yet.')}
${pager(REWARDS_PATH, { points_page: keep.points_page }, list.next_cursor, query.cursor === undefined, { label: 'Redemption pages' })}
</section>`,
  };
}

/** One of the advocate's redemptions (another advocate's, or another brand's: 404, as an unknown one). */
async function redemptionPage(p: PortalCtx, id: number): Promise<PortalPage> {
  const r = await getRedemption(p.ctx, id);
  if (r.advocate_id !== p.advocateId) throw notFound('redemption');
  const reward = (await listCatalogue(p.ctx, {})).find((c) => c.id === r.reward_id);
  const rows: Array<[string, SafeHtml | string]> = [
    ['Reward', reward?.name ?? `Reward ${r.reward_id}`],
    ['Redeemed', when(r.created_at)],
    ['Cost', costText(r)],
    ['Status', badge(r.status)],
    ...(r.fulfilment ? [['What you were given', html`<code>${r.fulfilment}</code>`] as [string, SafeHtml]] : []),
    ...(r.fulfilled_at ? [['Fulfilled', when(r.fulfilled_at)] as [string, SafeHtml]] : []),
    ...(r.cancelled_at ? [['Cancelled', html`${when(r.cancelled_at)}${r.cancel_reason ? html` (${r.cancel_reason})` : ''}`] as [string, SafeHtml]] : []),
  ];
  return {
    title: `Redemption ${r.id}`,
    nav: 'rewards',
    body: html`<dl class="figures">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
${r.status === 'pending' ? html`<p>The shop has not given it yet: this page shows what you were given once it has.</p>` : ''}
<p><a href="${REWARDS_PATH}">Back to points and rewards</a></p>`,
  };
}

/** The use case's refusals as an advocate reads them (the API's words name advocate_id and ids); nothing was written. */
async function refusalInWords(ctx: Ctx, rewardId: number, advocateId: number, err: unknown): Promise<never> {
  const e = toApiError(err);
  const reward = e && await ctx.q.catalogueRewards.find(ctx.brand.id, rewardId);
  if (!e || !reward) throw err;
  const nothing = 'Nothing was taken from your points';
  if (e.code === 'insufficient_points') {
    const balance = await ctx.q.points.balance(ctx.brand.id, advocateId) ?? 0;
    throw new ApiError(e.status, e.code, `Not enough points for ${reward.name}: it costs ${count(reward.pointsCost)} and you have ${count(balance)}. ${nothing}`, e.details);
  }
  if (e.code === 'out_of_stock') throw new ApiError(e.status, e.code, `${reward.name} is out of stock. ${nothing}`, e.details);
  if (e.code === 'reward_archived') throw new ApiError(e.status, e.code, `${reward.name} is no longer offered. ${nothing}`, e.details);
  throw err;
}

const rewardIdOf = (req: Request): number => pathId(req.params.id, 'reward');

export function rewardRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/rewards', portalPage(deps, (p) => rewardsPage(p)));
  r.get('/rewards/redemptions/:id', portalPage(deps, (p) => redemptionPage(p, pathId(p.req.params.id, 'redemption'))));
  // POST /api/v1/rewards/:id/redeem {advocate_id} for the session's advocate, under the form's id as Idempotency-Key.
  r.post('/rewards/:id/redeem', portalAction(deps, zRedeemRequest, (_form, p) => ({ advocate_id: p.advocateId }), async (ctx, data, p) => {
    const id = rewardIdOf(p.req);
    const { data: { redemption, new_balance }, replayed } = await oncePerForm(ctx, p, 'rewards/:id/redeem', { reward_id: id }, () =>
      redeemCatalogueReward(ctx, id, data).catch((err: unknown) => refusalInWords(ctx, id, data.advocateId, err)));
    return {
      redirect: REWARDS_PATH,
      notice: !replayed
        ? `Redeemed for ${count(redemption.points_cost)} points: you have ${count(new_balance)} left. Redemption ${redemption.id} is pending until the shop gives you the reward.`
        : `This form was already sent: redemption ${redemption.id} was made once, and nothing more was taken.`,
    };
  }, (p, problem) => rewardsPage(p, problem)));
  return r;
}
