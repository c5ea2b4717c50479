// /dashboard/webhooks/:id: one endpoint (URL, events, status and why it is disabled), an owner's changes to it (edit,
// enable/disable, rotate the secret, send a test event, remove) and its deliveries (GET /webhooks/:id/deliveries:
// status, attempts, the last answer and its duration, keyset-paged); /dashboard/webhooks/:id/deliveries/:deliveryId:
// one delivery, the body sent and each attempt's request headers and answer, and resending it.
import { ATTEMPTS_SHOWN } from '../../db/webhookEndpoints.ts';
import { listPage, pageOf, parseQuery, pathId } from '../../http/query.ts';
import { zDeliveryListQuery } from '../../schemas/webhooks.ts';
import { DEFAULT_TEST_EVENT, getDelivery, getEndpoint, listDeliveries, type EndpointView } from '../../services/webhooks.ts';
import { EVENT_TYPES } from '../../webhooks/events.ts';
import { shownHeaders } from '../../webhooks/signature.ts';
import { count, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import type { FormProblem, PageCtx } from '../page.ts';
import { badge, input, pager, problemSummary, select, table } from '../ui.ts';
import { filteredList, givenFilters, isOwner, queryValues } from './advocates.ts';
import { ctxOf, deliveryPath, endpointPath, endpointState, eventsFieldset, eventsText, WEBHOOKS_PATH } from './webhookParts.ts';

/** Which form of the endpoint's page a refusal belongs to (its message is shown there only). */
export type EndpointForm = 'edit' | 'status' | 'test';
interface Refusal { form: EndpointForm; problem: FormProblem }

const DELIVERIES_PER_PAGE = 25;
const STATUS_OPTIONS = [['', 'Any'], ['pending', 'pending'], ['delivered', 'delivered'], ['failed', 'failed']] as const;

const problemFor = (refusal: Refusal | undefined, form: EndpointForm) => (refusal?.form === form ? refusal.problem : undefined);

/** The last answer of a delivery (or attempt): the status code, or why none came. */
const answerOf = (statusCode: number | null, error: string | null): SafeHtml =>
  statusCode !== null ? html`<code>${statusCode}</code>${error ? html` <span class="muted">${error}</span>` : ''}` : error ? html`<span>${error}</span>` : html`—`;

const ms = (value: number | null): string => (value === null ? '—' : `${count(value)} ms`);

function actions(p: PageCtx, w: EndpointView, refusal: Refusal | undefined): SafeHtml {
  const enabled = w.status === 'enabled';
  const statusProblem = problemFor(refusal, 'status');
  const testProblem = problemFor(refusal, 'test');
  return html`<section aria-labelledby="actions-h"><h2 id="actions-h">Change it</h2>
${problemSummary(statusProblem)}
<div class="card row">
<form method="post" action="${endpointPath(w.id)}/${enabled ? 'disable' : 'enable'}" class="inline">${csrfField(p.viewer)}
<button type="submit" class="${enabled ? 'secondary' : ''}">${enabled ? 'Disable' : 'Enable'}</button></form>
<form method="post" action="${endpointPath(w.id)}/rotate" class="inline" data-confirm="Make a new signing secret? The current one keeps signing beside it for 24 hours.">${csrfField(p.viewer)}
<button type="submit" class="secondary">Rotate the secret</button></form>
<form method="post" action="${endpointPath(w.id)}/delete" class="inline" data-confirm="${`Remove the endpoint ${w.url}? Nothing more is sent to it, and its deliveries are no longer listed.`}">${csrfField(p.viewer)}
<button type="submit" class="danger">Remove</button></form>
</div>
<form method="post" action="${endpointPath(w.id)}/test" class="card row" aria-label="Send a test event">${csrfField(p.viewer)}
${problemSummary(testProblem)}
${select({ name: 'event', label: 'Sample event type', value: DEFAULT_TEST_EVENT, options: EVENT_TYPES.map((t) => [t, t] as const), problem: testProblem,
    hint: 'A sample of this type, to this endpoint only, signed and retried like any delivery' })}
<div class="field"><button type="submit"${enabled ? '' : html` disabled`}>Send a test event</button></div>
</form>
</section>`;
}

async function deliveriesSection(p: PageCtx, w: EndpointView): Promise<SafeHtml> {
  const values = queryValues(p.req);
  const given = givenFilters(values);
  // GET /api/v1/webhooks/:id/deliveries for the same status and cursor.
  const { list, problem } = await filteredList(values, async () => {
    const { data: query } = parseQuery(zDeliveryListQuery, { limit: String(DELIVERIES_PER_PAGE), ...given });
    return listPage('deliveries', pageOf(query), (slice) => listDeliveries(ctxOf(p), w.id, { status: query.status }, slice));
  });
  const rows = (list?.deliveries ?? []).map((d) => html`<tr>
<td><a href="${deliveryPath(w.id, d.id)}">${d.id}</a></td>
<td><code>${d.event_type}</code><br><span class="muted">${d.event_id}</span></td>
<td>${badge(d.status)}${d.attempting ? html` <span class="muted">attempt under way</span>` : ''}</td>
<td class="num">${d.attempts}</td>
<td>${answerOf(d.last_status_code, d.last_error)}</td>
<td class="num">${ms(d.last_duration_ms)}</td>
<td>${when(d.last_attempt_at)}</td>
<td>${d.status === 'delivered' ? when(d.delivered_at) : when(d.next_attempt_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">#</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th>
<th scope="col">Last answer</th><th scope="col" class="num">Duration</th><th scope="col">Last attempt</th><th scope="col">Delivered / next attempt</th></tr>`;
  const partial = list && list.deliveries.length < DELIVERIES_PER_PAGE && list.next_cursor !== null;
  return html`<section aria-labelledby="deliveries-h"><h2 id="deliveries-h">Deliveries</h2>
${problemSummary(problem)}
<form class="card row" method="get" action="${endpointPath(w.id)}" role="search" aria-label="Filter deliveries">
${select({ name: 'status', label: 'Status', value: values.status ?? '', options: STATUS_OPTIONS, problem })}
<div class="field"><button type="submit">Filter</button></div>
${values.status ? html`<div class="field"><a href="${endpointPath(w.id)}">Clear the filter</a></div>` : ''}
</form>
${table('Deliveries, newest first', head, rows, partial ? 'None in this stretch: look further with "Older".' : 'No delivery yet.')}
${pager(endpointPath(w.id), { status: values.status }, list?.next_cursor, values.cursor === undefined)}
</section>`;
}

function editSection(p: PageCtx, w: EndpointView, refusal: Refusal | undefined): SafeHtml {
  const problem = problemFor(refusal, 'edit');
  return html`<section aria-labelledby="edit-h"><h2 id="edit-h">Edit</h2>
<form class="card stack" method="post" action="${endpointPath(w.id)}" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'url', label: 'URL', type: 'url', value: w.url, required: true, problem, attrs: html` maxlength="2048" autocomplete="off"` })}
${input({ name: 'description', label: 'Description', value: w.description, problem, hint: 'Empty for none', attrs: html` maxlength="500"` })}
${eventsFieldset(w.events, problem, 'edit')}
<p><button type="submit">Save changes</button></p>
</form></section>`;
}

export async function endpointPage(p: PageCtx, refusal?: Refusal): Promise<Page> {
  const w = await getEndpoint(ctxOf(p), pathId(p.req.params.id, 'webhook endpoint'));
  const owner = isOwner(p);
  const body = html`<p><a href="${WEBHOOKS_PATH}">Back to the webhooks</a></p>
<dl class="card facts">
<dt>URL</dt><dd><code>${w.url}</code></dd>
<dt>Description</dt><dd>${w.description ?? html`<span class="muted">none</span>`}</dd>
<dt>Events</dt><dd>${eventsText(w.events)}</dd>
<dt>Status</dt><dd>${endpointState(w)}</dd>
<dt>Registered</dt><dd>${when(w.created_at)}${w.source === 'zapier' ? ' by a Zapier REST Hook subscription' : ''} · id ${w.id}</dd>
<dt>Changed</dt><dd>${when(w.updated_at)}</dd>
</dl>
${owner ? actions(p, w, refusal) : ''}
${await deliveriesSection(p, w)}
${owner ? editSection(p, w, refusal) : ''}`;
  return { title: `Webhook endpoint ${w.id}`, nav: 'webhooks', body };
}

export async function deliveryPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const ctx = ctxOf(p);
  const endpointId = pathId(p.req.params.id, 'webhook endpoint');
  const w = await getEndpoint(ctx, endpointId);
  const d = await getDelivery(ctx, endpointId, pathId(p.req.params.deliveryId, 'delivery'));
  // The body as sent, byte for byte: the stored text is JSON.stringify's, which parsing and writing again gives back.
  const sent = JSON.stringify(d.payload);
  const attempts = d.attempt_list.map((a) => html`<section class="card" aria-labelledby="attempt-${a.attempt}">
<h3 id="attempt-${a.attempt}">Attempt ${a.attempt}: ${badge(a.outcome)} ${when(a.started_at)}</h3>
<p class="copy-label">Request: POST, these headers and the body above</p>
<pre class="copy">${Object.entries(shownHeaders(d.event_id, a.webhook_timestamp)).map(([k, v]) => `${k}: ${v}\n`).join('')}</pre>
<p class="copy-label">Answer</p>
<dl class="facts">
<dt>Status</dt><dd>${answerOf(a.status_code, a.error)}</dd>
<dt>Duration</dt><dd>${ms(a.duration_ms)}</dd>
<dt>Body</dt><dd>${a.response_body === null ? html`<span class="muted">none</span>` : html`<pre class="copy">${a.response_body}</pre><span class="hint">the first 2 KB at most</span>`}</dd>
</dl>
</section>`);
  const canResend = isOwner(p) && !d.attempting;
  const body = html`<p><a href="${endpointPath(w.id)}">Back to endpoint ${w.id}</a> (<code>${w.url}</code>)</p>
${problemSummary(problem)}
<dl class="card facts">
<dt>Event</dt><dd><code>${d.event_type}</code></dd>
<dt>webhook-id</dt><dd><code>${d.event_id}</code> <span class="muted">(the same on every attempt: receivers drop repeats by it)</span></dd>
<dt>Status</dt><dd>${badge(d.status)}${d.attempting ? ' an attempt is under way' : ''}</dd>
<dt>Attempts</dt><dd>${d.attempts}</dd>
<dt>Created</dt><dd>${when(d.created_at)}</dd>
${d.delivered_at ? html`<dt>Delivered</dt><dd>${when(d.delivered_at)}</dd>` : ''}
${d.next_attempt_at ? html`<dt>Next attempt</dt><dd>${when(d.next_attempt_at)}</dd>` : ''}
</dl>
${canResend ? html`<form method="post" action="${deliveryPath(w.id, d.id)}/resend" class="card row">${csrfField(p.viewer)}
<div class="field"><button type="submit">Resend now</button>
<span class="hint">The same body and webhook-id, due at once${w.status === 'enabled' ? '' : ': enable the endpoint first'}.</span></div>
</form>` : ''}
<h2 id="body-h">Body</h2>
<pre class="copy">${sent}</pre>
<p class="hint">${count(Buffer.byteLength(sent))} bytes of JSON, <code>content-type: application/json</code>, signed as they are.</p>
<h2>Attempts</h2>
${attempts.length ? attempts : html`<p class="muted">None yet.</p>`}
${d.attempt_list.length === ATTEMPTS_SHOWN ? html`<p class="muted">The newest ${ATTEMPTS_SHOWN} attempts are shown.</p>` : ''}`;
  return { title: `Delivery ${d.id}`, nav: 'webhooks', body };
}
