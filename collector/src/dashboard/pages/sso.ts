// /dashboard/sso: single sign-on's customer mappings (the use cases of /api/v1/sso/mappings and `referloop sso mapping`,
// services/sso.ts): the mappings newest first (50 a page by cursor), an owner's new mapping and its deletion, and how a
// site signs its recognitions.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { pageOf, parseQuery, pathId } from '../../http/query.ts';
import { zCreateMappingRequest, zMappingListQuery } from '../../schemas/sso.ts';
import { zNoFields } from '../../schemas/common.ts';
import { createMapping, deleteMapping, listMappings, type MappingView } from '../../services/sso.ts';
import { when } from '../format.ts';
import { html } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { input, pager, problemSummary, table } from '../ui.ts';
import { ADVOCATES_PATH, isOwner, queryValues } from './advocates.ts';
import { SETTINGS_PATH, settingsTabs } from './settingsTabs.ts';

export const SSO_PATH = `${DASHBOARD_PATH}/sso`;
const MAPPINGS_PER_PAGE = 50;

async function ssoPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const ctx = { q: p.q, brand: p.brand, now: p.now };
  const owner = isOwner(p);
  const { data: query } = parseQuery(zMappingListQuery, { ...p.req.query, limit: String(MAPPINGS_PER_PAGE) });
  const list = await listMappings(ctx, query.advocate_id, pageOf(query));
  const mappings = list.mappings as MappingView[];
  const rows = mappings.map((m) => html`<tr>
<td><code>${m.external_customer_id}</code></td>
<td><a href="${ADVOCATES_PATH}/${m.advocate_id}">advocate ${m.advocate_id}</a></td>
<td>${m.external_email ?? html`<span class="muted">—</span>`}</td>
<td>${m.external_name ?? html`<span class="muted">—</span>`}</td>
<td>${when(m.created_at)}</td>
${owner ? html`<td><form method="post" action="${SSO_PATH}/${m.id}/delete" class="inline" data-confirm="Delete the mapping of ${m.external_customer_id}? The customer is recognised again only by enrolment or a new mapping.">
${csrfField(p.viewer)}<button type="submit" class="danger">Delete<span class="visually-hidden"> the mapping of ${m.external_customer_id}</span></button></form></td>` : ''}
</tr>`);
  const head = html`<tr><th scope="col">Customer of the site</th><th scope="col">Advocate</th><th scope="col">Email on the site</th>
<th scope="col">Name on the site</th><th scope="col">Mapped</th>${owner ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : ''}</tr>`;
  return {
    title: 'Single sign-on',
    nav: 'settings',
    body: html`${settingsTabs(p, 'sso')}
<p>A site recognises its logged-in customer as an advocate without a second login: its server signs the customer's id
with one of this brand's secret keys, and <code>POST /api/v1/sso/recognize</code> answers the advocate and a session token of one hour
(the README's "Single sign-on" says how to sign). A customer is found by their mapping below; one with no mapping but an email is
${p.brand.ssoAutoEnrol ? 'enrolled and mapped' : 'refused (auto-enrolment is off)'}: see <a href="${SETTINGS_PATH}">Settings</a>.
The same mappings as <code>GET /api/v1/sso/mappings</code> and <code>referloop sso mapping list</code>.</p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the mappings, and only an owner of this brand can change them.</p>`}
${table('Customer mappings, newest first', head, rows, 'No mapping yet.')}
${pager(SSO_PATH, queryValues(p.req), list.next_cursor, query.cursor === undefined, { label: 'Mapping pages' })}
${owner ? html`<h2 id="new-mapping-title">New mapping</h2>
<form method="post" action="${SSO_PATH}" aria-labelledby="new-mapping-title" class="card" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'external_customer_id', label: "The site's id of its customer", required: true, problem, attrs: html` maxlength="255" autocomplete="off"` })}
${input({ name: 'advocate_id', label: 'Advocate id', type: 'number', required: true, problem, attrs: html` min="1" step="1"` })}
${input({ name: 'external_email', label: 'Email on the site (optional)', type: 'email', problem })}
${input({ name: 'external_name', label: 'Name on the site (optional)', problem, attrs: html` maxlength="200"` })}
<p><button type="submit">Map the customer</button></p>
</form>` : ''}`,
  };
}

export function ssoPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/sso', page(deps, (p) => ssoPage(p)));
  r.post('/sso', action(deps, zCreateMappingRequest, (form) => ({
    advocate_id: field(form, 'advocate_id'), external_customer_id: field(form, 'external_customer_id'),
    external_email: optional(field(form, 'external_email')), external_name: optional(field(form, 'external_name')),
  }), async (ctx, data) => {
    const m = await createMapping(ctx, data);
    return { redirect: SSO_PATH, notice: `${m.external_customer_id} is mapped to advocate ${m.advocate_id}.` };
  }, ssoPage));
  r.post('/sso/:id/delete', action(deps, zNoFields, () => ({}), async (ctx, _data, req) => {
    const { id } = await deleteMapping(ctx, pathId(req.params.id, 'mapping'));
    return { redirect: SSO_PATH, notice: `Mapping ${id} deleted.` };
  }, ssoPage));
  return r;
}
