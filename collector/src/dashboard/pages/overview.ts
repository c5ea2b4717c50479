// GET /dashboard: the overview of a range of UTC days (7/30/90 or custom, a GET form) beside the previous period, of
// every campaign or of one (?campaign=id, in the same form): the figures, the daily figures (a table, which
// client/overview.ts also draws as a chart), the funnel, the top advocates, products, channels and sources, and the
// latest conversions; all from services/overview.ts.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import type { Campaign } from '../../db/campaigns.ts';
import { ApiError, notFound } from '../../errors.ts';
import { parseBody } from '../../http/parse.ts';
import { pathId } from '../../http/query.ts';
import { MAX_RANGE_DAYS, RANGE_PRESETS } from '../../domain/overview.ts';
import { zOverviewQuery, type OverviewQuery } from '../../schemas/overview.ts';
import { overview, rangeOf, type Compared, type Overview } from '../../services/overview.ts';
import { count, day, money, percent, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Page } from '../layout.ts';
import { page, problemOf, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, input, problemSummary, select, table } from '../ui.ts';

const RANGE_OPTIONS = [...RANGE_PRESETS.map((n) => [String(n), `Last ${n} days`] as const), ['custom', 'Custom range'] as const];

/** The query string's fields as strings (the form's values). */
const queryValues = (p: PageCtx): Record<string, string> =>
  Object.fromEntries(Object.entries(p.req.query).filter(([, v]) => typeof v === 'string')) as Record<string, string>;

/** The campaign the query names (`campaign`, a campaign id; empty or absent: all); another brand's or none: 404. */
function chosenCampaign(value: string | undefined, campaigns: Campaign[]): Campaign | null {
  if (value === undefined || value === '') return null;
  const id = pathId(value, 'campaign');
  const campaign = campaigns.find((c) => c.id === id);
  if (!campaign) throw notFound('campaign');
  return campaign;
}

const campaignLabel = (c: Campaign) => (c.status === 'archived' ? `${c.name} (archived)` : c.name);

/** The period and the campaign, one GET form: changing either keeps the other. */
function rangeForm(values: Record<string, string>, campaigns: Campaign[], problem?: FormProblem): SafeHtml {
  const custom = values.range === 'custom' || (!values.range && !!values.from);
  const campaignOptions = [['', 'All campaigns'] as const, ...campaigns.map((c) => [String(c.id), campaignLabel(c)] as const)];
  return html`<form class="card row" method="get" action="${DASHBOARD_PATH}" aria-label="Date range and campaign">
${select({ name: 'campaign', label: 'Campaign', value: values.campaign ?? '', options: campaignOptions, problem })}
${select({ name: 'range', label: 'Period', value: custom ? 'custom' : (values.range ?? '30'), options: RANGE_OPTIONS, problem })}
${input({ name: 'from', label: 'From (custom)', type: 'date', value: values.from, problem })}
${input({ name: 'to', label: 'To (custom)', type: 'date', value: values.to, problem, hint: `at most ${MAX_RANGE_DAYS} days` })}
<div class="field"><button type="submit">Show</button></div>
</form>`;
}

const days = (n: number) => (n === 1 ? '1 day' : `${count(n)} days`);

/** "+12% on the previous period", or what stands in for it when there is nothing to compare with (the portal's too). */
export function change(c: Compared): string {
  if (c.current === c.previous) return 'no change';
  if (c.previous === 0) return 'new';
  const delta = (c.current - c.previous) / Math.abs(c.previous);
  return `${delta >= 0 ? '+' : '−'}${percent(Math.abs(delta), 1)}`;
}

function figure(label: string, c: Compared, show: (n: number) => string): SafeHtml {
  return html`<li><span class="label">${label}</span><span class="value">${show(c.current)}</span>
<span class="previous">previous period ${show(c.previous)} (${change(c)})</span></li>`;
}

function figures(o: Overview, currency: string): SafeHtml {
  const f = o.figures;
  const cash = (n: number) => money(n, currency);
  const rate = (r: number | null) => (r === null ? '–' : percent(r, 1));
  return html`<h2 id="figures">Figures</h2>
<ul class="figures" aria-labelledby="figures">
${figure('Clicks', f.clicks, count)}
${figure('Claims', f.claims, count)}
${figure('Conversions', f.conversions, count)}
<li><span class="label">Conversion rate (conversions per click)</span><span class="value">${rate(f.conversionRate.current)}</span>
<span class="previous">previous period ${rate(f.conversionRate.previous)}</span></li>
${figure('Revenue, net of refunds', f.netRevenueCents, cash)}
${figure('Revenue before refunds', f.revenueCents, cash)}
${figure('Refunded', f.refundedCents, cash)}
</ul>
<h2 id="commissions">Commissions</h2>
<p class="hint">Cash commissions created in the period, by their status today (points rewards are not money and count in none).</p>
<ul class="figures" aria-labelledby="commissions">
${figure('Pending', f.pendingCents, cash)}
${figure('Approved', f.approvedCents, cash)}
${figure('Paid', f.paidCents, cash)}
${figure('Clawbacks due', f.clawbackDueCents, cash)}
</ul>
<p>Owed today, whatever the period: ${cash(o.standing.pendingCents)} pending, ${cash(o.standing.approvedCents)} approved,
${cash(o.standing.clawbackDueCents)} of clawbacks still due (<a href="${DASHBOARD_PATH}/commissions">commissions</a>,
<a href="${DASHBOARD_PATH}/payouts">payouts</a>).</p>`;
}

/** The daily figures: the page's table, and the data client/overview.ts draws (each cell carries its raw number). */
function daily(o: Overview, currency: string): SafeHtml {
  const rows = o.series.map((d) => html`<tr data-day="${d.day}" data-clicks="${d.clicks}" data-conversions="${d.conversions}" data-revenue="${d.netRevenueCents}">
<th scope="row">${day(d.day)}</th><td class="num">${count(d.clicks)}</td><td class="num">${count(d.claims)}</td>
<td class="num">${count(d.conversions)}</td><td class="num">${money(d.netRevenueCents, currency)}</td></tr>`);
  return html`<h2 id="daily">Per day</h2>
<figure class="card chart" id="overview-chart" data-currency="${currency}" hidden aria-label="Clicks, conversions and revenue per day (the table below holds the same figures)"></figure>
<div id="overview-daily">${table('Clicks, claims, conversions and revenue net of refunds per UTC day', html`<tr><th scope="col">Day (UTC)</th>
<th scope="col" class="num">Clicks</th><th scope="col" class="num">Claims</th><th scope="col" class="num">Conversions</th>
<th scope="col" class="num">Revenue, net</th></tr>`, rows)}</div>`;
}

function funnel(o: Overview): SafeHtml {
  const { visits, claims, conversions } = o.funnel;
  const max = Math.max(visits, claims, conversions, 1);
  const step = (label: string, n: number, note: string) => html`<li><span class="label">${label}</span>
<meter min="0" max="${max}" value="${n}" aria-label="${label}: ${count(n)}"></meter> <span class="value">${count(n)}</span> <span class="muted">${note}</span></li>`;
  return html`<h2 id="funnel">Funnel</h2>
<ol class="funnel card" aria-labelledby="funnel">
${step('Visits (clicks)', visits, '')}
${step('Claims', claims, `${percent(claims, visits)} of visits`)}
${step('Conversions', conversions, `${percent(conversions, visits)} of visits`)}
</ol>`;
}

function tops(o: Overview, currency: string): SafeHtml {
  const cash = (n: number) => money(n, currency);
  const num = (text: string) => html`<th scope="col" class="num">${text}</th>`;
  const clicks = o.figures.clicks.current;
  const sources = (caption: string, head: string, list: Overview['topChannels']) => table(caption,
    html`<tr><th scope="col">${head}</th>${num('Clicks')}${num('Share')}</tr>`,
    list.map((s) => html`<tr><td>${s.name === '' ? html`<span class="muted">none given</span>` : s.name}</td>
<td class="num">${count(s.clicks)}</td><td class="num">${percent(s.clicks, clicks)}</td></tr>`), 'No clicks in this period.');
  return html`<h2>Top lists</h2>
<div class="overview-tops">
${table('Top advocates by revenue, net of refunds', html`<tr><th scope="col">Advocate</th>${num('Conversions')}${num('Revenue')}</tr>`,
    o.topAdvocates.map((a) => html`<tr><td><a href="${DASHBOARD_PATH}/advocates/${a.advocateId}">${a.name ?? `Advocate ${a.advocateId}`}</a></td>
<td class="num">${count(a.conversions)}</td><td class="num">${cash(a.netRevenueCents)}</td></tr>`), 'No conversions in this period.')}
${table('Top products by revenue, net of refunds', html`<tr><th scope="col">Product</th>${num('Units')}${num('Revenue')}${num('Before refunds')}</tr>`,
    o.topProducts.map((pr) => html`<tr><td>${pr.name}</td><td class="num">${count(pr.units)}</td>
<td class="num">${cash(pr.netRevenueCents)}</td><td class="num">${cash(pr.revenueCents)}</td></tr>`),
    'No products in this period (conversions that send a products array are counted here).')}
${sources('Top share channels', 'Channel', o.topChannels)}
${sources('Top UTM sources', 'utm_source', o.topSources)}
</div>`;
}

function latest(o: Overview, currency: string): SafeHtml {
  const cash = (n: number) => money(n, currency);
  return html`<h2>Latest conversions</h2>
${table('The newest referred conversions of the period', html`<tr><th scope="col">When</th><th scope="col">Order</th><th scope="col">Advocate</th>
<th scope="col" class="num">Order value</th><th scope="col" class="num">Refunded</th><th scope="col">Status</th></tr>`,
    o.latestConversions.map((c) => html`<tr><td>${when(c.createdAt)}</td>
<td><a href="${DASHBOARD_PATH}/conversions/${c.id}">${c.orderId ?? `#${c.id}`}</a></td>
<td><a href="${DASHBOARD_PATH}/advocates/${c.advocateId}">${c.advocateName ?? c.code ?? `Advocate ${c.advocateId}`}</a></td>
<td class="num">${cash(c.orderValueCents)}</td><td class="num">${c.refundedCents > 0 ? cash(c.refundedCents) : '–'}</td>
<td>${badge(c.status)}</td></tr>`), 'No referred conversions in this period.')}
<p><a href="${DASHBOARD_PATH}/conversions">Every conversion</a></p>`;
}

/** What the figures are of: every campaign, or one (its records while their advocates were in it). */
function scopeNote(campaign: Campaign | null, count: number): SafeHtml {
  if (campaign === null) return count > 1 ? html`<p class="hint">Every campaign's figures, summed.</p>` : html``;
  return html`<p class="hint">Campaign ${campaignLabel(campaign)} only: the visits, claims, conversions and commissions of its
advocates while they were in it (an advocate moved to another campaign leaves what they brought here).</p>`;
}

/** The page for a valid query, or the form with the problem (400) for one that is not; an unknown campaign is a 404. */
async function overviewPage(p: PageCtx): Promise<Page> {
  const values = queryValues(p);
  const campaigns = await p.q.campaigns.list(p.brand.id);
  const campaign = chosenCampaign(values.campaign, campaigns);
  let query: OverviewQuery;
  try {
    const { campaign: _, ...range } = values;
    query = parseBody(zOverviewQuery, range).data;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
    const problem = problemOf(err, values);
    return { title: 'Overview', nav: 'overview', status: 400, body: html`${problemSummary(problem)}${rangeForm(values, campaigns, problem)}` };
  }
  const o = await overview(p, rangeOf(query, p.now), { campaignId: campaign?.id ?? null });
  const currency = p.brand.currency;
  return {
    title: 'Overview',
    nav: 'overview',
    scripts: ['overview.js'],
    styles: ['uplot.css'],
    body: html`${rangeForm(values, campaigns)}
${scopeNote(campaign, campaigns.length)}
<p class="note">${day(o.range.from)} to ${day(o.range.to)} (${days(o.range.days)}), compared with the ${days(o.previous.days)} before
(${day(o.previous.from)} to ${day(o.previous.to)}). Days are UTC days, midnight to midnight UTC; each figure belongs to the day its
visit, claim, conversion or commission was recorded, and a refund lowers the revenue of the day its order was placed.
Times of day are shown in <span data-time-zone>UTC</span>.</p>
${figures(o, currency)}
${daily(o, currency)}
${funnel(o)}
${tops(o, currency)}
${latest(o, currency)}`,
  };
}

export function overviewRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/', page(deps, overviewPage));
  return r;
}
