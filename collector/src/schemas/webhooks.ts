// Request schemas of /webhooks (the endpoints, their deliveries, a test event) and /hooks (Zapier REST Hooks).
// Where a URL may point is checked by the service (webhooks/address.ts: it depends on the operator's setting).
import { z } from 'zod';
import { NO_NUL, zText } from './common.ts';
import { zPagination } from '../http/query.ts';
import { ALL_EVENTS, EVENT_TYPES, isEventType, type EventType } from '../webhooks/events.ts';

/** An endpoint URL: its form and address are checked by services/webhooks.ts (endpointUrlProblem). */
const zUrl = z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
  .trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters')
  .regex(NO_NUL, 'must not contain a NUL character (U+0000)');

const TYPES_RULE = `${EVENT_TYPES.join(', ')}, or "${ALL_EVENTS}" (every type but visit.created and share.created)`;

/** One event type (not `*`): the test event's and a REST Hook's. */
export const zEventType = z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
  .refine(isEventType, { message: `must be one of ${EVENT_TYPES.join(', ')}` }) as unknown as z.ZodType<EventType>;

/**
 * What an endpoint receives: event types and/or `*`, at least one, duplicates dropped. An unknown type is a 400
 * naming `events` (the message names the type).
 */
export const zEvents = z.array(z.string({ error: 'must be an array of event types' }), { error: `must be an array of event types: ${TYPES_RULE}` })
  .min(1, `must name at least one event type: ${TYPES_RULE}`)
  .max(EVENT_TYPES.length + 1, `must name at most ${EVENT_TYPES.length + 1} event types`)
  .superRefine((events, ctx) => {
    const unknown = events.filter((e) => e !== ALL_EVENTS && !isEventType(e));
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown event type ${unknown.map((e) => JSON.stringify(e.slice(0, 64))).join(', ')}: use ${TYPES_RULE}` });
  })
  .transform((events) => [...new Set(events)].sort());

const zDescription = zText(500).nullable();

/** POST /webhooks. `events` left out: ["*"], every type but visit.created and share.created. */
export const zCreateWebhookRequest = z.object({
  url: zUrl,
  events: zEvents.optional(),
  description: zDescription.optional(),
});
export type CreateWebhookRequest = z.output<typeof zCreateWebhookRequest>;

export const zWebhookStatus = z.enum(['enabled', 'disabled'], { error: 'must be enabled or disabled' });

const UPDATABLE = ['url', 'events', 'description', 'status'] as const;

/** PATCH /webhooks/:id: only the fields given change; `description: null` clears it. */
export const zUpdateWebhookRequest = z.object({
  url: zUrl.optional(),
  events: zEvents.optional(),
  description: zDescription.optional(),
  status: zWebhookStatus.optional(),
}).refine((body) => UPDATABLE.some((k) => body[k] !== undefined), { message: `give at least one of ${UPDATABLE.join(', ')}` });
export type UpdateWebhookRequest = z.output<typeof zUpdateWebhookRequest>;

export const zDeliveryStatus = z.enum(['pending', 'delivered', 'failed'], { error: 'must be pending, delivered or failed' });

/** GET /webhooks/:id/deliveries: newest first, keyset-paged like the other lists, by status. */
export const zDeliveryListQuery = z.object({ ...zPagination, status: zDeliveryStatus.optional() });

/** GET /webhooks: keyset-paged like the other lists. */
export const zWebhookListQuery = z.object({ ...zPagination });

/** POST /webhooks/:id/test: the type of the sample event sent (conversion.created when left out). */
export const zTestEventRequest = z.object({ event: zEventType.optional() });

/** POST /hooks/subscribe (Zapier REST Hooks): Zapier's target URL and the one event type the Zap triggers on. */
export const zHookSubscribeRequest = z.object({ target_url: zUrl, event: zEventType });
export type HookSubscribeRequest = z.output<typeof zHookSubscribeRequest>;
