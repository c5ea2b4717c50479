// Use cases of outgoing webhooks' endpoints (the API, the CLI and the dashboard all come here): create, list, get,
// update (events, enable/disable), rotate the secret, delete; an endpoint's deliveries and their attempts, a resend, a
// test event; and Zapier's REST Hooks (an endpoint per Zap, one event each).
//
// Every write runs inside the caller's job (the commit queue, or the CLI's transaction) and calls
// q.webhooks.subscriptionsChanged() there, so the outbox's cache and other processes see it at COMMIT; after the job,
// committed or not, the caller calls it once more on the write connection's queries (routes/webhooks.ts does), so a
// cache filled from a batch that did not commit is not kept.
import { encryptSecret } from '../domain/keys.ts';
import { ApiError, badField, notFound } from '../errors.ts';
import type { AttemptRecord, DeliveryFilter, DeliveryRecord, EndpointRecord, EndpointSource } from '../db/webhookEndpoints.ts';
import type { ScannedPage, Slice } from '../db/keyset.ts';
import type { CreateWebhookRequest, UpdateWebhookRequest } from '../schemas/webhooks.ts';
import type { Ctx } from './context.ts';
import { endpointUrlProblem } from '../webhooks/address.ts';
import { ALL_EVENTS, type EventType } from '../webhooks/events.ts';
import { eventBody, newEventId } from '../webhooks/outbox.ts';
import { sampleEvent } from '../webhooks/samples.ts';
import { generateSecret } from '../webhooks/signature.ts';

/** Endpoints a brand may have at once (deleted ones do not count); Zapier's subscriptions count too. */
export const MAX_ENDPOINTS = 20;

/** How long a rotated secret still signs beside the new one. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000;

/** What an endpoint receives when `events` is left out: every type but visit.created and share.created. */
export const DEFAULT_EVENTS: readonly string[] = [ALL_EVENTS];

/** The test event's type when none is given. */
export const DEFAULT_TEST_EVENT: EventType = 'conversion.created';

/** What the writes need beyond the context: the master key (secrets are sealed with it) and the operator's setting. */
export interface WebhookSettings {
  masterKey: Buffer;
  /** REFERLOOP_WEBHOOK_ALLOW_PRIVATE: http:// and private addresses allowed (config.webhooks.allowPrivate) */
  allowPrivate: boolean;
}

/** An endpoint as the API answers it: never its secret. */
export interface EndpointView {
  id: number;
  url: string;
  description: string | null;
  events: string[];
  status: 'enabled' | 'disabled';
  disabled_reason: 'operator' | 'gone' | 'failing' | null;
  disabled_at: string | null;
  failing_since: string | null;
  source: EndpointSource;
  created_at: string;
  updated_at: string;
}

/** The answer of a create or a rotation: the endpoint and its new secret, the only time it is shown. */
export type EndpointWithSecret = EndpointView & { secret: string };

const endpointView = (e: EndpointRecord, events: string[]): EndpointView => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events,
  status: e.status,
  disabled_reason: e.disabledReason,
  disabled_at: e.disabledAt,
  failing_since: e.failingSince,
  source: e.source,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

const viewOf = async ({ q, brand }: Ctx, e: EndpointRecord) => endpointView(e, await q.webhookEndpoints.eventsOf(brand.id, e.id));

/** A delivery in a list: where it stands and its last attempt's answer. */
const deliveryView = (d: DeliveryRecord) => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  attempting: d.attemptingSince !== null,
  last_status_code: d.lastStatusCode,
  last_duration_ms: d.lastDurationMs,
  last_error: d.lastError,
  last_attempt_at: d.lastAttemptAt,
  // while an attempt is under way next_attempt_at is its claim's end, not a due time
  next_attempt_at: d.status === 'pending' && d.attemptingSince === null ? d.nextAttemptAt : null,
  created_at: d.createdAt,
  delivered_at: d.deliveredAt,
});

export type DeliveryView = ReturnType<typeof deliveryView>;

const attemptView = (a: AttemptRecord) => ({
  attempt: a.attempt,
  started_at: a.startedAt,
  webhook_timestamp: a.webhookTimestamp,
  outcome: a.outcome,
  status_code: a.statusCode,
  duration_ms: a.durationMs,
  error: a.error,
  response_body: a.responseBody,
});

/** 400 naming `field` when the URL cannot be an endpoint (https only, no private address unless allowed). */
function checkUrl(url: string, allowPrivate: boolean, field = 'url'): void {
  const problem = endpointUrlProblem(url, allowPrivate);
  if (problem) throw badField(field, problem);
}

/** The endpoint, or 404 (unknown, another brand's, or deleted). */
export async function findEndpoint({ q, brand }: Ctx, id: number): Promise<EndpointRecord> {
  const e = await q.webhookEndpoints.find(brand.id, id);
  if (!e) throw notFound('webhook endpoint');
  return e;
}

/** `findEndpoint` inside a write job, the row locked against another job's change (PostgreSQL). */
async function endpointForUpdate({ q, brand }: Ctx, id: number): Promise<EndpointRecord> {
  const e = await q.webhookEndpoints.findForUpdate(brand.id, id);
  if (!e) throw notFound('webhook endpoint');
  return e;
}

/** Refuses a write that would send nothing: the endpoint is disabled. */
function checkEnabled(e: EndpointRecord, what: string): void {
  if (e.status !== 'enabled') {
    throw new ApiError(409, 'endpoint_disabled', `Webhook endpoint ${e.id} is disabled (${e.disabledReason ?? 'operator'}): enable it first `
      + `(PATCH status "enabled") to ${what}`, [{ field: 'status', message: 'is disabled' }]);
  }
}

/**
 * A new endpoint, enabled, with a new secret shown this once (stored sealed with the master key). `events` left
 * out: DEFAULT_EVENTS. At most MAX_ENDPOINTS per brand (409 endpoint_limit).
 */
export async function createEndpoint(
  ctx: Ctx, req: CreateWebhookRequest, settings: WebhookSettings, source: EndpointSource = 'api',
): Promise<EndpointWithSecret> {
  const { q, brand, now } = ctx;
  checkUrl(req.url, settings.allowPrivate, source === 'zapier' ? 'target_url' : 'url');
  // The brand's row locked: two creates at once (PostgreSQL) cannot both pass the limit.
  await q.brands.getBrandForUpdate(brand.id);
  if (await q.webhookEndpoints.countLive(brand.id) >= MAX_ENDPOINTS) {
    throw new ApiError(409, 'endpoint_limit', `This brand already has ${MAX_ENDPOINTS} webhook endpoints, the most it may have: delete one first`);
  }
  const secret = generateSecret();
  const id = await q.webhookEndpoints.insert(brand.id, {
    url: req.url, description: req.description ?? null, source, secretSealed: encryptSecret(secret, settings.masterKey),
  }, now.toISOString());
  await q.webhookEndpoints.setEvents(brand.id, id, req.events ?? DEFAULT_EVENTS);
  await q.webhooks.subscriptionsChanged();
  return { ...await viewOf(ctx, await findEndpoint(ctx, id)), secret };
}

/** The single view. */
export const getEndpoint = async (ctx: Ctx, id: number): Promise<EndpointView> => viewOf(ctx, await findEndpoint(ctx, id));

/** One slice of the brand's endpoints, newest first (read only). */
export async function listEndpoints(ctx: Ctx, slice: Slice): Promise<ScannedPage<EndpointView>> {
  const { rows, resumeAt } = await ctx.q.webhookEndpoints.endpoints(ctx.brand.id, slice);
  const views: EndpointView[] = [];
  for (const e of rows) views.push(await viewOf(ctx, e));
  return { rows: views, resumeAt };
}

/** `total=true` of the list: exact (db/keyset.ts `total`). */
export const totalEndpoints = (ctx: Ctx): Promise<number> => ctx.q.webhookEndpoints.totalEndpoints(ctx.brand.id);

/**
 * Changes the fields given. `status: "disabled"` stops deliveries (they wait, pending, reason `operator`);
 * `"enabled"` clears disabled_reason, disabled_at and failing_since (the 5 days of failing start again).
 */
export async function updateEndpoint(ctx: Ctx, id: number, req: UpdateWebhookRequest, settings: Pick<WebhookSettings, 'allowPrivate'>): Promise<EndpointView> {
  const { q, brand, now } = ctx;
  if (req.url !== undefined) checkUrl(req.url, settings.allowPrivate);
  const current = await endpointForUpdate(ctx, id);
  const at = now.toISOString();
  const status = req.status ?? current.status;
  const changedStatus = status !== current.status;
  // Only a disabled endpoint enabled again starts its 5 days afresh; "enabled" sent to an enabled one changes nothing.
  const enabling = req.status === 'enabled' && changedStatus;
  await q.webhookEndpoints.update(brand.id, {
    id,
    url: req.url ?? current.url,
    description: req.description === undefined ? current.description : req.description,
    status,
    disabledReason: status === 'enabled' ? null : changedStatus ? 'operator' : current.disabledReason,
    disabledAt: status === 'enabled' ? null : changedStatus ? at : current.disabledAt,
    failingSince: enabling ? null : current.failingSince,
  }, at);
  if (req.events !== undefined) await q.webhookEndpoints.setEvents(brand.id, id, req.events);
  await q.webhooks.subscriptionsChanged();
  return getEndpoint(ctx, id);
}

/**
 * A new secret, shown this once; the current one keeps signing beside it for PREVIOUS_SECRET_VALID_MS (both
 * signatures are sent), so receivers can switch without losing a delivery. A second rotation within that time
 * replaces the previous secret with the one it rotates out.
 */
export async function rotateEndpointSecret(ctx: Ctx, id: number, settings: Pick<WebhookSettings, 'masterKey'>): Promise<EndpointWithSecret & { previous_secret_expires_at: string }> {
  const { q, brand, now } = ctx;
  await endpointForUpdate(ctx, id);
  const current = (await q.webhookEndpoints.secrets(brand.id, id))!;
  const secret = generateSecret();
  const expiresAt = new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS).toISOString();
  await q.webhookEndpoints.rotate(brand.id, id, {
    secretSealed: encryptSecret(secret, settings.masterKey), previousSecretSealed: current.secretSealed, previousSecretExpiresAt: expiresAt,
  }, now.toISOString());
  await q.webhooks.subscriptionsChanged();
  return { ...await getEndpoint(ctx, id), secret, previous_secret_expires_at: expiresAt };
}

/**
 * Deletes the endpoint: nothing more is sent to it and it is a 404 from now on. Its subscriptions are removed; its
 * deliveries and attempts stay in the database, unreachable (pending ones are never sent).
 */
export async function deleteEndpoint(ctx: Ctx, id: number): Promise<EndpointView & { deleted_at: string }> {
  const { q, brand, now } = ctx;
  const view = await viewOf(ctx, await endpointForUpdate(ctx, id));
  const at = now.toISOString();
  await q.webhookEndpoints.softDelete(brand.id, id, at);
  await q.webhookEndpoints.removeEvents(brand.id, id);
  await q.webhooks.subscriptionsChanged();
  return { ...view, events: [], updated_at: at, deleted_at: at };
}

/** One slice of the endpoint's deliveries, newest first; 404 for an endpoint the brand does not have. */
export async function listDeliveries(ctx: Ctx, endpointId: number, filter: DeliveryFilter, slice: Slice): Promise<ScannedPage<DeliveryView>> {
  await findEndpoint(ctx, endpointId);
  const { rows, resumeAt } = await ctx.q.webhookEndpoints.deliveries(ctx.brand.id, endpointId, filter, slice);
  return { rows: rows.map(deliveryView), resumeAt };
}

/** `total=true` of the deliveries list: exact, within db/keyset.ts WALK_BUDGET rows (else a 400 naming total). */
export const totalDeliveries = (ctx: Ctx, endpointId: number, filter: DeliveryFilter): Promise<number> =>
  ctx.q.webhookEndpoints.totalDeliveries(ctx.brand.id, endpointId, filter);

/**
 * One delivery: where it stands, the body sent (`payload`, parsed; byte for byte the signed text is its JSON) and
 * its attempts with the receiver's answers (the newest ATTEMPTS_SHOWN, oldest first).
 */
export async function getDelivery(ctx: Ctx, endpointId: number, deliveryId: number) {
  await findEndpoint(ctx, endpointId);
  const d = await ctx.q.webhookEndpoints.delivery(ctx.brand.id, endpointId, deliveryId);
  if (!d) throw notFound('delivery');
  const attempts = await ctx.q.webhookEndpoints.attempts(ctx.brand.id, d.id);
  return { ...deliveryView(d), endpoint_id: endpointId, payload: JSON.parse(d.payload) as unknown, attempt_list: attempts.map(attemptView) };
}

/** Whether a delivery's body was emptied by an erasure (db/webhooks.ts `forget`: only its type is left). */
const erasedBody = (payload: string): boolean => {
  const body = JSON.parse(payload) as { timestamp?: unknown; data?: unknown };
  return body.timestamp === null && body.data === null;
};

/**
 * Sends the delivery again: the same body and webhook-id, due now (the deliverer is woken). A delivered or failed
 * one becomes pending; its attempts go on counting (a failure is retried on the schedule from where it stood). 409
 * while an attempt of it is under way, or when the endpoint is disabled.
 */
export async function resendDelivery(ctx: Ctx, endpointId: number, deliveryId: number) {
  const { q, brand, now } = ctx;
  const endpoint = await endpointForUpdate(ctx, endpointId);
  const d = await q.webhookEndpoints.delivery(brand.id, endpointId, deliveryId);
  if (!d) throw notFound('delivery');
  checkEnabled(endpoint, 'resend a delivery');
  if (erasedBody(d.payload)) {
    throw new ApiError(409, 'delivery_erased', `Delivery ${deliveryId} named a person who was erased since: its data is gone, and it is not sent again`);
  }
  if (!await q.webhookEndpoints.resend(brand.id, endpointId, deliveryId, now.toISOString())) {
    throw new ApiError(409, 'delivery_in_progress', `An attempt of delivery ${deliveryId} is under way: resend it once it has ended`);
  }
  await q.webhooks.published();
  return deliveryView((await q.webhookEndpoints.delivery(brand.id, endpointId, deliveryId))!);
}

/**
 * A sample event of `type` (webhooks/samples.ts) sent to this endpoint only, whatever it subscribes to: a delivery
 * like any other (signed, retried, listed), with a new webhook-id. 409 when the endpoint is disabled.
 */
export async function sendTestEvent(ctx: Ctx, endpointId: number, type: EventType = DEFAULT_TEST_EVENT) {
  const { q, brand, now } = ctx;
  checkEnabled(await endpointForUpdate(ctx, endpointId), 'send a test event');
  const at = now.toISOString();
  const id = await q.webhooks.insertDelivery({
    brandId: brand.id, endpointId, eventId: newEventId(now), type, payload: eventBody(type, now.toISOString(), sampleEvent(type, ctx)), at,
  });
  await q.webhooks.published();
  return deliveryView((await q.webhookEndpoints.delivery(brand.id, endpointId, id))!);
}

// ---- Zapier REST Hooks: Zapier subscribes a Zap's target URL to one event, and unsubscribes it when the Zap is off.

/** POST /hooks/subscribe: an endpoint with source 'zapier' receiving `event` at `targetUrl`; answers its id. */
export async function subscribeHook(ctx: Ctx, req: { targetUrl: string; event: EventType }, settings: WebhookSettings): Promise<{ id: number }> {
  const e = await createEndpoint(ctx, { url: req.targetUrl, events: [req.event], description: `Zapier: ${req.event}` }, settings, 'zapier');
  return { id: e.id };
}

/** DELETE /hooks/:id: deletes a Zapier subscription of this brand (an endpoint made otherwise is a 404 here). */
export async function unsubscribeHook(ctx: Ctx, id: number): Promise<{ id: number }> {
  const e = await endpointForUpdate(ctx, id);
  if (e.source !== 'zapier') throw notFound('REST Hook subscription');
  await deleteEndpoint(ctx, id);
  return { id };
}

/**
 * GET /hooks/sample/:event: what a Zap shows while it is built, as Zapier's perform-list wants it: an array of
 * bodies exactly as delivered ({"type","timestamp","data"}), each with an `id` (Zapier requires one; a live delivery
 * carries it as the webhook-id header).
 */
export function hookSample(ctx: Ctx, type: EventType) {
  const body = JSON.parse(eventBody(type, ctx.now.toISOString(), sampleEvent(type, ctx))) as Record<string, unknown>;
  return [{ id: newEventId(ctx.now), ...body }];
}
