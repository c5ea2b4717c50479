// What the webhooks pages share: their addresses, an endpoint's status in words, the events' checkboxes (the API's
// `events`), and the page that shows a new signing secret once (after a create or a rotation).
import type { Ctx } from '../../services/context.ts';
import type { EndpointView, EndpointWithSecret } from '../../services/webhooks.ts';
import { ALL_EVENTS, EVENT_TYPES, NAMED_ONLY } from '../../webhooks/events.ts';
import { when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Page } from '../layout.ts';
import { fields, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge } from '../ui.ts';
import { copyBlock } from './settingsSnippets.ts';

export const WEBHOOKS_PATH = `${DASHBOARD_PATH}/webhooks`;
export const endpointPath = (id: number): string => `${WEBHOOKS_PATH}/${id}`;
export const deliveryPath = (endpointId: number, deliveryId: number): string => `${endpointPath(endpointId)}/deliveries/${deliveryId}`;

export const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });

/** Why an endpoint is disabled, as its owner reads it. */
const REASONS: Record<NonNullable<EndpointView['disabled_reason']>, string> = {
  operator: 'disabled by an owner, the API or the CLI',
  gone: 'disabled at once: the receiver answered 410 Gone',
  failing: 'disabled: every attempt failed for 5 days',
};

/** The endpoint's status: the badge, why it is disabled and since when, or since when it has been failing. */
export function endpointState(e: EndpointView): SafeHtml {
  if (e.status === 'disabled') {
    return html`${badge('disabled')} <span class="reason">${REASONS[e.disabled_reason ?? 'operator']}${e.disabled_at ? html`, ${when(e.disabled_at)}` : ''}</span>`;
  }
  return html`${badge('enabled')}${e.failing_since ? html` <span class="reason">failing since ${when(e.failing_since)}: disabled after 5 days of failures</span>` : ''}`;
}

/** An endpoint's events as words: `*` is "every event but visit.created". */
export const eventsText = (events: readonly string[]): string =>
  events.map((e) => (e === ALL_EVENTS ? `every event but ${[...NAMED_ONLY].join(', ')}` : e)).join(', ');

/** The events' checkboxes as posted (none checked: [], which the API's schema refuses beside `events`). */
export const eventsInput = (form: FormBody): string[] => fields(form, 'events');

/** The `events` checkboxes of the create and edit forms: `*`, then each type; what was posted when refused. */
export function eventsFieldset(checked: readonly string[], problem: FormProblem | undefined, idPrefix: string): SafeHtml {
  const posted = problem ? (problem.values.events === undefined ? [] : ([] as string[]).concat(problem.values.events)) : checked;
  const error = problem?.fields.events;
  const errorId = `${idPrefix}-events-error`;
  const box = (value: string, label: SafeHtml | string) =>
    html`<label><input type="checkbox" name="events" value="${value}"${posted.includes(value) ? html` checked` : ''}> ${label}</label>`;
  return html`<fieldset class="card"${error ? html` aria-describedby="${errorId}"` : ''}>
<legend>Events it receives</legend>
${error ? html`<p class="field-error" id="${errorId}">${error}</p>` : ''}
${box(ALL_EVENTS, html`Every event but <code>visit.created</code> (<code>*</code>: also event types added later)`)}
${EVENT_TYPES.map((t) => box(t, html`<code>${t}</code>${NAMED_ONLY.has(t) ? ' (one per visit: the high-volume one, only when named)' : ''}`))}
</fieldset>`;
}

/**
 * The answer to a create or a rotation: the secret, this once (no-store, like every dashboard page; never in a
 * cookie, a redirect or a log), and what the receiver does with it.
 */
export const secretPage = (w: EndpointWithSecret & { previous_secret_expires_at?: string }, made: boolean) => (): Page => ({
  title: made ? 'Webhook endpoint registered' : 'New signing secret',
  nav: 'webhooks',
  status: made ? 201 : 200,
  body: html`<div class="card">
<p>${made ? html`The endpoint <code>${w.url}</code> is registered and enabled: events are sent to it from now on. ` : ''}<strong>Copy its signing
secret now: it is shown this once</strong>, never again on any page (it is kept only sealed with the collector's master key). If it is
lost, rotate it.</p>
${copyBlock('webhook-secret', `The signing secret of endpoint ${w.id}`, w.secret, 'Copy the secret')}
${w.previous_secret_expires_at ? html`<p>The previous secret keeps signing beside this one until ${when(w.previous_secret_expires_at)}: each
delivery carries both signatures in <code>webhook-signature</code> until then, so the receiver can switch without losing one.</p>` : ''}
<p>The receiver checks each delivery with it as <a href="https://www.standardwebhooks.com">Standard Webhooks</a> says: the
<code>webhook-signature</code> header holds <code>v1,</code> and the base64 HMAC-SHA256 of
<code>webhook-id.webhook-timestamp.body</code>, keyed with the secret's base64 part after <code>whsec_</code> (the spec's
libraries do exactly this). <em>Send a test event</em> on the endpoint's page to try it.</p>
<p><a href="${endpointPath(w.id)}">I have kept it: to the endpoint</a></p>
</div>`,
});
