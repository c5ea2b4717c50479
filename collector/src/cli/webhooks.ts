// referloop webhook add/list/update/enable/disable/rotate/remove/deliveries/delivery/resend/test: the API's own schemas
// and use cases (services/webhooks.ts), each in one transaction on the brand; a secret is printed once, by add and
// rotate, and is stored only sealed with the master key.
import { loadConfig } from '../config.ts';
import { listPage, pageOf } from '../http/query.ts';
import {
  zCreateWebhookRequest, zDeliveryListQuery, zTestEventRequest, zUpdateWebhookRequest, zWebhookListQuery,
} from '../schemas/webhooks.ts';
import {
  createEndpoint, deleteEndpoint, getDelivery, listDeliveries, listEndpoints, resendDelivery, rotateEndpointSecret,
  sendTestEvent, totalDeliveries, totalEndpoints, updateEndpoint, type EndpointView, type WebhookSettings,
} from '../services/webhooks.ts';
import { shownHeaders } from '../webhooks/signature.ts';
import { expandInJob } from '../webhooks/outbox.ts';
import { inBrand, readBrand } from './inBrand.ts';
import { masterKeyOf, parse, print, table, type BrandOpts } from './common.ts';

type EndpointOpts = BrandOpts & { id: string };
type DeliveryOpts = EndpointOpts & { delivery: string };
type PagingOpts = { limit?: string; page?: string; cursor?: string };

/** The operator's setting, as the collector reads it: REFERLOOP_WEBHOOK_ALLOW_PRIVATE=1 allows http:// and private addresses. */
const allowPrivate = (): boolean => loadConfig(process.env).webhooks.allowPrivate;

/** An id given on the command line: what the API's path takes, else refused by its option's name. */
function idOf(option: string, value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new Error(`${option} ${value} is not an id`);
  return Number(value);
}

/** An endpoint as a few lines: what it receives and where it stands. */
function endpointLines(w: EndpointView): string {
  const state = w.status === 'enabled' ? 'enabled' : `disabled (${w.disabled_reason ?? 'operator'}) since ${w.disabled_at}`;
  return [
    `webhook id   ${w.id}`,
    `url          ${w.url}`,
    `events       ${w.events.join(' ')}`,
    `status       ${state}${w.failing_since ? `, failing since ${w.failing_since}` : ''}`,
    ...(w.description ? [`description  ${w.description}`] : []),
  ].join('\n');
}

export async function webhookAdd(opts: BrandOpts & { url: string; event?: string[]; description?: string }): Promise<void> {
  const req = parse(zCreateWebhookRequest, { url: opts.url, events: opts.event, description: opts.description });
  const webhook = await inBrand(opts, (ctx) => {
    // The database first (inBrand opened it): a missing one is refused before a master key is made beside it.
    const settings: WebhookSettings = { masterKey: masterKeyOf(opts), allowPrivate: allowPrivate() };
    return createEndpoint(ctx, req, settings);
  });
  print(opts, { webhook }, `${endpointLines(webhook)}\nsecret       ${webhook.secret}\n`
    + '(the secret is shown once: the receiver checks each delivery\'s webhook-signature with it)');
}

export async function webhookList(opts: BrandOpts & PagingOpts): Promise<void> {
  const query = parse(zWebhookListQuery, { limit: opts.limit, page: opts.page, cursor: opts.cursor });
  const r = await readBrand(opts, (ctx) => listPage('webhooks', pageOf(query), (slice) => listEndpoints(ctx, slice), () => totalEndpoints(ctx)));
  const rows = r.webhooks.map((w) => ({
    ...w, events: w.events.join(' '), status: w.status === 'enabled' ? 'enabled' : `disabled (${w.disabled_reason ?? 'operator'})`,
  }));
  print(opts, r, `${table(rows, ['id', 'url', 'events', 'status', 'failing_since', 'source', 'created_at'])}`
    + `${r.next_cursor ? `\nmore: --cursor ${r.next_cursor}` : ''}`);
}

export async function webhookUpdate(opts: EndpointOpts & { url?: string; event?: string[]; description?: string }): Promise<void> {
  const id = idOf('--id', opts.id);
  const change = parse(zUpdateWebhookRequest, { url: opts.url, events: opts.event, description: opts.description === '' ? null : opts.description });
  const webhook = await inBrand(opts, (ctx) => updateEndpoint(ctx, id, change, { allowPrivate: allowPrivate() }));
  print(opts, { webhook }, endpointLines(webhook));
}

/** enable / disable: PATCH's status. While disabled, queued deliveries wait (pending) and new events are not written for it. */
export async function webhookSetStatus(opts: EndpointOpts, status: 'enabled' | 'disabled'): Promise<void> {
  const id = idOf('--id', opts.id);
  const change = parse(zUpdateWebhookRequest, { status });
  const webhook = await inBrand(opts, (ctx) => updateEndpoint(ctx, id, change, { allowPrivate: allowPrivate() }));
  print(opts, { webhook }, endpointLines(webhook));
}

export async function webhookRotate(opts: EndpointOpts): Promise<void> {
  const id = idOf('--id', opts.id);
  const webhook = await inBrand(opts, (ctx) => rotateEndpointSecret(ctx, id, { masterKey: masterKeyOf(opts) }));
  print(opts, { webhook }, `webhook id   ${webhook.id}\nsecret       ${webhook.secret}\n`
    + `(shown once; the old secret keeps signing beside it until ${webhook.previous_secret_expires_at})`);
}

export async function webhookRemove(opts: EndpointOpts): Promise<void> {
  const id = idOf('--id', opts.id);
  const webhook = await inBrand(opts, (ctx) => deleteEndpoint(ctx, id));
  print(opts, { webhook }, `webhook ${webhook.id} (${webhook.url}) removed: nothing more is sent to it`);
}

/** Before a read of deliveries: the outbox's queued changes become their deliveries (as the API's reads do). */
const expandQueued = (opts: BrandOpts): Promise<number> => inBrand(opts, (ctx) => expandInJob(ctx.q));

export async function webhookDeliveries(opts: EndpointOpts & PagingOpts & { status?: string }): Promise<void> {
  const id = idOf('--id', opts.id);
  const query = parse(zDeliveryListQuery, { status: opts.status, limit: opts.limit, page: opts.page, cursor: opts.cursor });
  const filter = { status: query.status };
  await expandQueued(opts);
  const r = await readBrand(opts, (ctx) => listPage('deliveries', pageOf(query), (slice) => listDeliveries(ctx, id, filter, slice),
    () => totalDeliveries(ctx, id, filter)));
  const rows = r.deliveries.map((d) => ({ ...d, answer: d.last_status_code ?? d.last_error ?? '', duration_ms: d.last_duration_ms ?? '' }));
  print(opts, r, `${table(rows, ['id', 'event_type', 'event_id', 'status', 'attempts', 'answer', 'duration_ms', 'last_attempt_at', 'next_attempt_at'])}`
    + `${r.next_cursor ? `\nmore: --cursor ${r.next_cursor}` : ''}`);
}

export async function webhookDelivery(opts: DeliveryOpts): Promise<void> {
  const [id, deliveryId] = [idOf('--id', opts.id), idOf('--delivery', opts.delivery)];
  await expandQueued(opts);
  const delivery = await readBrand(opts, (ctx) => getDelivery(ctx, id, deliveryId));
  const attempts = delivery.attempt_list.map((a) => [
    `attempt ${a.attempt}  ${a.started_at}  ${a.outcome}  ${a.status_code ?? a.error}  ${a.duration_ms} ms`,
    ...Object.entries(shownHeaders(delivery.event_id, a.webhook_timestamp)).map(([k, v]) => `  > ${k}: ${v}`),
    ...(a.status_code !== null && a.error ? [`  < ${a.error}`] : []),
    ...(a.response_body ? [`  < ${a.response_body}`] : []),
  ].join('\n'));
  print(opts, { delivery }, [
    `delivery ${delivery.id}  ${delivery.event_type}  ${delivery.status}  ${delivery.attempts} attempt(s)`,
    `webhook-id ${delivery.event_id}${delivery.next_attempt_at ? `, next attempt ${delivery.next_attempt_at}` : ''}`,
    `body ${JSON.stringify(delivery.payload)}`,
    ...attempts,
  ].join('\n'));
}

export async function webhookResend(opts: DeliveryOpts): Promise<void> {
  const [id, deliveryId] = [idOf('--id', opts.id), idOf('--delivery', opts.delivery)];
  const delivery = await inBrand(opts, (ctx) => resendDelivery(ctx, id, deliveryId));
  print(opts, { delivery }, `delivery ${delivery.id} (${delivery.event_id}) is due again: the collector sends it with the same webhook-id`);
}

export async function webhookTest(opts: EndpointOpts & { event?: string }): Promise<void> {
  const id = idOf('--id', opts.id);
  const { event } = parse(zTestEventRequest, { event: opts.event });
  const delivery = await inBrand(opts, (ctx) => sendTestEvent(ctx, id, event));
  print(opts, { delivery }, `test event ${delivery.event_type} queued as delivery ${delivery.id} (${delivery.event_id}): `
    + `see referloop webhook delivery --id ${id} --delivery ${delivery.id}`);
}
