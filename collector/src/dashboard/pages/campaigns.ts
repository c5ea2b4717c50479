// /dashboard/campaigns: the brand's campaigns (the use cases of /api/v1/campaigns and `referloop campaign`,
// services/campaigns.ts): the list with each one's status, rules and advocates; a new campaign (POST /campaigns's
// schema and use case); and every change an owner makes to one (its rules, archive or bring back), whose page is
// campaign.ts.
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { pathId } from '../../http/query.ts';
import { MAX_CAMPAIGNS } from '../../db/campaigns.ts';
import { zCreateCampaignRequest, zUpdateCampaignRequest } from '../../schemas/campaigns.ts';
import { actionsView, createCampaign, listCampaigns, updateCampaign } from '../../services/campaigns.ts';
import { programmeView } from '../../services/settings.ts';
import { count, when } from '../format.ts';
import { html } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, page, type FormProblem, type PageCtx } from '../page.ts';
import { input, problemSummary, table } from '../ui.ts';
import { isOwner } from './advocates.ts';
import { campaignPage, type CampaignForm } from './campaign.ts';
import { CAMPAIGNS_PATH, campaignInput, campaignPath, campaignState, rulesSummary, signupField } from './campaignParts.ts';
import { actionFieldsets, ruleFieldsets } from './programmeFields.ts';

async function campaignsPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  // GET /api/v1/campaigns's use case: every campaign at once (at most MAX_CAMPAIGNS), each with its advocates counted
  // on advocates_campaign (an index range per campaign: about 10 ms for 100,000 advocates on SQLite).
  const campaigns = await listCampaigns({ q: p.q, brand: p.brand, now: p.now });
  const rows = campaigns.map((c) => html`<tr>
<td><a href="${campaignPath(c.id)}">${c.name}</a></td>
<td>${campaignState(c)}</td>
<td>${rulesSummary(c, p.brand.currency)}</td>
<td class="num">${count(c.advocate_count)}</td>
<td>${when(c.created_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Rules</th>
<th scope="col" class="num">Advocates</th><th scope="col">Created</th></tr>`;
  const owner = isOwner(p);
  return {
    title: 'Campaigns',
    nav: 'campaigns',
    body: html`<p>Each campaign is a set of rules (the referred customer's discount, the advocate's reward, level 2, the cooling period and
the attribution window), and every advocate belongs to one: their conversions earn by their campaign's rules as they are when
recorded. The default campaign's rules are the programme on Settings, and advocates created without a campaign join it. The same
campaigns as <code>GET /api/v1/campaigns</code> and <code>referloop campaign list</code>.</p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the campaigns, and only an owner of this brand can change them.</p>`}
${table('Campaigns of this brand, oldest first', head, rows)}
${owner ? html`<h2 id="new-campaign-title">New campaign</h2>
<form method="post" action="${CAMPAIGNS_PATH}" aria-labelledby="new-campaign-title" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
<div class="card">${input({ name: 'name', label: 'Name', required: true, problem, hint: 'Unique within the brand, e.g. "Partners 20%"; at most 100 characters', attrs: html` maxlength="100" autocomplete="off"` })}
${signupField('closed', problem)}</div>
<p class="muted">The rules start as the default campaign has them now: change the ones this campaign does differently.</p>
${ruleFieldsets(programmeView(p.brand), p.brand.currency, problem, false)}
${actionFieldsets(actionsView(p.brand), p.brand.currency, problem, false)}
<p><button type="submit">Create the campaign</button></p>
<p class="muted">At most ${MAX_CAMPAIGNS} campaigns a brand, archived ones included.</p>
</form>` : ''}`,
  };
}

const campaignIdOf = (req: Request): number => pathId(req.params.id, 'campaign');

/** A form whose refusal is shown on the campaign's page, beside that form. */
const refusedOn = (form: CampaignForm) => (p: PageCtx, problem: FormProblem) => campaignPage(p, { form, problem });

export function campaignRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/campaigns', page(deps, (p) => campaignsPage(p)));
  r.post('/campaigns', action(deps, zCreateCampaignRequest, campaignInput, async (ctx, data) => {
    const c = await createCampaign(ctx, data);
    return { redirect: campaignPath(c.id), notice: `Campaign ${c.name} created: move advocates to it from their pages.` };
  }, campaignsPage));

  r.get('/campaigns/:id', page(deps, (p) => campaignPage(p)));
  r.post('/campaigns/:id', action(deps, zUpdateCampaignRequest, campaignInput, async (ctx, data, req) => {
    const c = await updateCampaign(ctx, campaignIdOf(req), data);
    return { redirect: campaignPath(c.id), notice: `${c.name} is saved: the next conversions of its advocates follow these rules.` };
  }, refusedOn('edit')));
  // Archive or bring back: PATCH /campaigns/:id {status}, as the API's archive route is.
  r.post('/campaigns/:id/status', action(deps, zUpdateCampaignRequest, (form) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const c = await updateCampaign(ctx, campaignIdOf(req), data);
    return {
      redirect: campaignPath(c.id),
      notice: c.status === 'archived' ? `${c.name} is archived: it takes no new advocate, and its advocates keep its rules.` : `${c.name} is active again.`,
    };
  }, refusedOn('status')));
  return r;
}
