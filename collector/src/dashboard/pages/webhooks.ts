// /dashboard/webhooks: the brand's outgoing webhook endpoints (the use cases of /api/v1/webhooks and `referloop
// webhook`, services/webhooks.ts): the list with each endpoint's events and status (and why it is disabled); register
// one (its signing secret shown once, on the page that answers the form); and every change an owner makes to one
// (edit, enable/disable, rotate the secret, remove, send a test event, resend a delivery), whose pages are webhook.ts.
import { Router, type Request, type RequestHandler } from 'express';
import type { AppDeps } from '../../app.ts';
import { afterEndpointWrite } from '../../http/routes/webhooks.ts';
import { expandOutbox } from '../../webhooks/outbox.ts';
import { listPage, pageOf, parseQuery, pathId } from '../../http/query.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zCreateWebhookRequest, zTestEventRequest, zUpdateWebhookRequest, zWebhookListQuery } from '../../schemas/webhooks.ts';
import {
  createEndpoint, deleteEndpoint, listEndpoints, MAX_ENDPOINTS, resendDelivery, rotateEndpointSecret, sendTestEvent, updateEndpoint,
  type WebhookSettings,
} from '../../services/webhooks.ts';
import { when } from '../format.ts';
import { html } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormProblem, type PageCtx } from '../page.ts';
import { input, pager, problemSummary, table } from '../ui.ts';
import { isOwner, orNull, queryValues } from './advocates.ts';
import { deliveryPage, endpointPage, type EndpointForm } from './webhook.ts';
import {
  ctxOf, deliveryPath, endpointPath, endpointState, eventsFieldset, eventsInput, eventsText, secretPage, WEBHOOKS_PATH,
} from './webhookParts.ts';

async function webhooksPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const values = queryValues(p.req);
  // GET /api/v1/webhooks's use case; a brand has at most MAX_ENDPOINTS, so one page holds them all.
  const { data: query } = parseQuery(zWebhookListQuery, { limit: String(MAX_ENDPOINTS), ...(values.cursor ? { cursor: values.cursor } : {}) });
  const list = await listPage('webhooks', pageOf(query), (slice) => listEndpoints(ctxOf(p), slice));
  const rows = list.webhooks.map((w) => html`<tr>
<td><a href="${endpointPath(w.id)}"><code>${w.url}</code></a>${w.description ? html`<br><span class="muted">${w.description}</span>` : ''}${w.source === 'zapier' ? html`<br><span class="muted">a Zapier REST Hook</span>` : ''}</td>
<td>${eventsText(w.events)}</td>
<td>${endpointState(w)}</td>
<td>${when(w.created_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Endpoint</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Registered</th></tr>`;
  return {
    title: 'Webhooks',
    nav: 'webhooks',
    body: html`<p>Each endpoint receives the events it names as signed POSTs (<a href="https://www.standardwebhooks.com">Standard
Webhooks</a>: <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), sent once the change they
describe is committed, and retried on a schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h) until the receiver answers
a 2xx or ten attempts have failed. A 410 disables an endpoint at once, 5 days of failures too. The same endpoints as <code>GET /api/v1/webhooks</code> and
<code>referloop webhook list</code>.</p>
${isOwner(p) ? '' : html`<p class="note" role="note">Your role is viewer: you see the endpoints and their deliveries, and only an owner of this brand can change them.</p>`}
${table('Webhook endpoints of this brand, newest first', head, rows, 'No endpoint yet.')}
${pager(WEBHOOKS_PATH, {}, list.next_cursor, query.cursor === undefined)}
${isOwner(p) ? html`<h2 id="new-webhook-title">Register an endpoint</h2>
<form method="post" action="${WEBHOOKS_PATH}" class="card stack" aria-labelledby="new-webhook-title" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'url', label: 'URL', type: 'url', required: true, problem, hint: 'https:// and a public address: where each event is POSTed', attrs: html` maxlength="2048" autocomplete="off"` })}
${input({ name: 'description', label: 'Description', problem, hint: 'Optional: what it is for, e.g. "CRM sync"', attrs: html` maxlength="500"` })}
${eventsFieldset(['*'], problem, 'new')}
<p><button type="submit">Register the endpoint</button></p>
<p class="muted">The next page shows its signing secret once. At most ${MAX_ENDPOINTS} endpoints a brand.</p>
</form>` : ''}`,
  };
}

const endpointIdOf = (req: Request): number => pathId(req.params.id, 'webhook endpoint');
const deliveryIdOf = (req: Request): number => pathId(req.params.deliveryId, 'delivery');

/** A form whose refusal is shown on the endpoint's page, beside that form. */
const refusedOn = (form: EndpointForm) => (p: PageCtx, problem: FormProblem) => endpointPage(p, { form, problem });

export function webhookRoutes(deps: AppDeps): Router {
  const r = Router();
  const settings: WebhookSettings = { masterKey: deps.masterKey, allowPrivate: deps.config.webhooks.allowPrivate };
  const endpointWrite = (handler: RequestHandler): RequestHandler => afterEndpointWrite(deps, handler);

  r.get('/webhooks', page(deps, (p) => webhooksPage(p)));
  r.post('/webhooks', endpointWrite(action(deps, zCreateWebhookRequest,
    (form) => ({ url: field(form, 'url'), description: optional(field(form, 'description')), events: eventsInput(form) }),
    async (ctx, data) => ({ redirect: WEBHOOKS_PATH, answer: secretPage(await createEndpoint(ctx, data, settings), true) }),
    webhooksPage)));

  // The pages of deliveries: the outbox's queued changes become deliveries first (once signed in), as the API's reads.
  const expandedPage = (build: (p: PageCtx) => Promise<Page>) => page(deps, async (p) => {
    await expandOutbox(deps);
    return build(p);
  });
  r.get('/webhooks/:id', expandedPage((p) => endpointPage(p)));
  r.post('/webhooks/:id', endpointWrite(action(deps, zUpdateWebhookRequest,
    (form) => ({ url: field(form, 'url'), description: orNull(field(form, 'description')), events: eventsInput(form) }),
    async (ctx, data, req) => {
      const w = await updateEndpoint(ctx, endpointIdOf(req), data, settings);
      return { redirect: endpointPath(w.id), notice: 'Changes to the endpoint saved: the next events follow them.' };
    }, refusedOn('edit'))));
  for (const [verb, status] of [['enable', 'enabled'], ['disable', 'disabled']] as const) {
    r.post(`/webhooks/:id/${verb}`, endpointWrite(action(deps, zUpdateWebhookRequest, () => ({ status }), async (ctx, data, req) => {
      const w = await updateEndpoint(ctx, endpointIdOf(req), data, settings);
      return {
        redirect: endpointPath(w.id),
        notice: status === 'enabled' ? 'The endpoint is enabled: its waiting deliveries are sent, oldest first.'
          : 'The endpoint is disabled: nothing is sent to it, deliveries already queued wait until it is enabled again, and events meanwhile are not kept for it.',
      };
    }, refusedOn('status'))));
  }
  r.post('/webhooks/:id/rotate', endpointWrite(action(deps, zNoFields, () => ({}),
    async (ctx, _data, req) => ({ redirect: WEBHOOKS_PATH, answer: secretPage(await rotateEndpointSecret(ctx, endpointIdOf(req), settings), false) }),
    refusedOn('status'))));
  r.post('/webhooks/:id/delete', endpointWrite(action(deps, zNoFields, () => ({}), async (ctx, _data, req) => {
    const w = await deleteEndpoint(ctx, endpointIdOf(req));
    return { redirect: WEBHOOKS_PATH, notice: `The endpoint ${w.url} is removed: nothing more is sent to it.` };
  }, refusedOn('status'))));
  r.post('/webhooks/:id/test', action(deps, zTestEventRequest, (form) => ({ event: optional(field(form, 'event')) }), async (ctx, data, req) => {
    const id = endpointIdOf(req);
    const d = await sendTestEvent(ctx, id, data.event);
    return { redirect: deliveryPath(id, d.id), notice: `A sample ${d.event_type} event is on its way (webhook-id ${d.event_id}).` };
  }, refusedOn('test')));

  r.get('/webhooks/:id/deliveries/:deliveryId', expandedPage((p) => deliveryPage(p)));
  r.post('/webhooks/:id/deliveries/:deliveryId/resend', action(deps, zNoFields, () => ({}), async (ctx, _data, req) => {
    const id = endpointIdOf(req);
    const d = await resendDelivery(ctx, id, deliveryIdOf(req));
    return { redirect: deliveryPath(id, d.id), notice: `Delivery ${d.id} is sent again now, with the same webhook-id ${d.event_id}.` };
  }, (p, problem) => deliveryPage(p, problem)));
  return r;
}
