// Answer schemas of /webhooks (endpoints, deliveries) and /hooks (Zapier REST Hooks), and the events' bodies
// (services/webhooks.ts, webhooks/events.ts; README "Events": an event's data is the object as the API answers it).
import { z } from 'zod';
import type {
  deleteEndpoint, DeliveryView, EndpointView, EndpointWithSecret, getDelivery, rotateEndpointSecret, subscribeHook,
} from '../../services/webhooks.ts';
import { ALL_EVENTS, EVENT_TYPES, type EventType } from '../../webhooks/events.ts';
import { zDeliveryStatus, zWebhookStatus } from '../webhooks.ts';
import { zAdvocate, zPointsTransaction, zReferral } from './advocates.ts';
import { zCommission, zPayoutRecorded } from './commissions.ts';
import { zInstant, zRecordId, zWarnings, type Fits, type Same } from './common.ts';
import { zClaim, zConversionDetail, zVisit } from './records.ts';
import { zCampaign } from './campaigns.ts';
import { zReferralRecord, zShare } from './referralRecords.ts';
import { zRedemption } from './catalogue.ts';
import { zTestimonial } from './testimonials.ts';
import { zIdea, zIdeaStatusChanged } from './feedback.ts';
import { zAdvocateRecognized } from './sso.ts';
import { zQuestCompletion, zTaskCompletion } from './quests.ts';

const zEventType = z.enum(EVENT_TYPES);

/** Each event type's `data`: the object as the API answers it right after the change. */
export const eventDataSchemas: Record<EventType, z.ZodType> = {
  'advocate.created': zAdvocate,
  'advocate.updated': zAdvocate,
  'advocate.recognized': zAdvocateRecognized,
  'advocate.signed_up': zAdvocate,
  'referral_code.created': zReferral,
  'visit.created': zVisit,
  'claim.created': zClaim,
  'conversion.created': zConversionDetail,
  'conversion.refunded': zConversionDetail,
  'commission.created': zCommission,
  'commission.approved': zCommission,
  'commission.paid': zCommission,
  'commission.rejected': zCommission,
  'commission.clawed_back': zCommission,
  'payout.created': zPayoutRecorded,
  'points.transaction.created': zPointsTransaction,
  'campaign.created': zCampaign,
  'campaign.updated': zCampaign,
  'share.created': zShare,
  'referral_record.created': zReferralRecord,
  'reward.redeemed': zRedemption,
  'redemption.fulfilled': zRedemption,
  'redemption.cancelled': zRedemption,
  'testimonial.created': zTestimonial,
  'testimonial.approved': zTestimonial,
  'idea.created': zIdea,
  'idea.status_changed': zIdeaStatusChanged,
  'quest.task_completed': zTaskCompletion,
  'quest.completed': zQuestCompletion,
};

/** The body of a delivery, signed and POSTed to an endpoint; `data` is eventDataSchemas[type]. */
export const zWebhookEvent = z.strictObject({
  type: zEventType,
  timestamp: zInstant.meta({ description: 'When the change was made' }),
  data: z.unknown().meta({ description: 'The object after the change, as the API answers it (by type: see the webhooks)' }),
}).meta({ id: 'WebhookEvent', description: 'An event as delivered: its type, when the change was made, and the object after it' });

/** zWebhookEvent with each type's data, one option per type, with `extra` fields (the REST Hook sample's `id`). */
function typedEvents<E extends z.core.$ZodShape>(extra: E = {} as E) {
  const options = EVENT_TYPES.map((type) => zWebhookEvent.extend({ ...extra, type: z.literal(type), data: eventDataSchemas[type] }));
  return z.discriminatedUnion('type', options as [(typeof options)[number], ...typeof options]);
}

/** GET /hooks/sample/:event: an array of one sample event (not enveloped), with the `id` Zapier wants in front. */
export const zHookSample = z.array(typedEvents({ id: z.string().meta({ description: 'A webhook-id (msg_…)' }) })).length(1)
  .meta({ id: 'HookSample', description: 'One sample event, as Zapier\'s perform-list reads it' });

/** An endpoint as the API answers it, never with its secret (EndpointView). */
export const zWebhookEndpoint = z.strictObject({
  id: zRecordId,
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.union([zEventType, z.literal(ALL_EVENTS)]))
    .meta({ description: 'Sorted; "*" is every type but visit.created and share.created' }),
  status: z.enum(zWebhookStatus.options),
  // the two lists below are db/webhookEndpoints.ts's types (DisabledReason, EndpointSource), held to them by _endpoint
  disabled_reason: z.enum(['operator', 'gone', 'failing']).nullable()
    .meta({ description: 'operator (PATCH), gone (the receiver answered 410), failing (every attempt failed for 5 days)' }),
  disabled_at: zInstant.nullable(),
  failing_since: zInstant.nullable().meta({ description: 'The first failed attempt since the last 2xx' }),
  source: z.enum(['api', 'zapier']).meta({ description: 'zapier: a REST Hook subscription' }),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'WebhookEndpoint', description: 'A URL that receives the brand\'s events, signed' });

/** POST /webhooks (201) and POST /webhooks/:id/rotate-secret: the endpoint and its new secret. */
export const zWebhookEndpointWithSecret = zWebhookEndpoint.extend({
  secret: z.string().meta({ description: 'The signing secret (whsec_…), shown this once' }),
  previous_secret_expires_at: zInstant.optional().meta({ description: 'After a rotation: until when the old secret still signs' }),
}).meta({ id: 'WebhookEndpointWithSecret', description: 'An endpoint with its new secret, shown this once' });

/** DELETE /webhooks/:id. */
export const zDeletedWebhookEndpoint = zWebhookEndpoint.extend({ deleted_at: zInstant })
  .meta({ id: 'DeletedWebhookEndpoint', description: 'The endpoint deleted: its events are empty' });

/** An item of GET /webhooks/:id/deliveries, and the `delivery` of a resend or a test event (deliveryView). */
export const zDelivery = z.strictObject({
  id: zRecordId,
  event_id: z.string().meta({ description: 'The webhook-id header: msg_ and 32 hex digits' }),
  event_type: zEventType,
  status: z.enum(zDeliveryStatus.options),
  attempts: z.number().int().min(0),
  attempting: z.boolean().meta({ description: 'An attempt is under way' }),
  last_status_code: z.number().int().nullable(),
  last_duration_ms: z.number().int().min(0).nullable(),
  last_error: z.string().nullable(),
  last_attempt_at: zInstant.nullable(),
  next_attempt_at: zInstant.nullable().meta({ description: 'When the next attempt is due; null unless pending and idle' }),
  created_at: zInstant,
  delivered_at: zInstant.nullable(),
}).meta({ id: 'Delivery', description: 'An event on its way to an endpoint' });

/** What is left of a delivery's body once an erasure emptied it: only its type. */
const zErasedEvent = z.strictObject({ type: zEventType, timestamp: z.null(), data: z.null() });

/** GET /webhooks/:id/deliveries/:deliveryId: the delivery, its body and its attempts (the newest 100, oldest first). */
export const zDeliveryDetail = zDelivery.extend({
  endpoint_id: zRecordId,
  payload: z.union([typedEvents(), zErasedEvent]).meta({ description: 'The body sent; only its type after an erasure' }),
  attempt_list: z.array(z.strictObject({
    attempt: z.number().int().positive(),
    started_at: zInstant,
    webhook_timestamp: z.number().int().meta({ description: 'The webhook-timestamp header (Unix seconds)' }),
    outcome: z.enum(['delivered', 'failed']),
    status_code: z.number().int().nullable(),
    duration_ms: z.number().int().min(0),
    error: z.string().nullable().meta({ description: 'timeout, redirect, refused: …, or a network error' }),
    response_body: z.string().nullable().meta({ description: 'The answer\'s first 2 KB' }),
  })),
}).meta({ id: 'DeliveryDetail', description: 'A delivery with its body and each attempt\'s answer' });

/** POST /hooks/subscribe (201) and DELETE /hooks/:id: answered as Zapier reads them, not enveloped. */
const hookAnswer = (id: string, description: string) =>
  z.strictObject({ id: zRecordId, warnings: zWarnings }).meta({ id, description });
export const zHookSubscription = hookAnswer('HookSubscription', 'The REST Hook subscription made (an endpoint\'s id)');
export const zHookUnsubscribed = hookAnswer('HookUnsubscribed', 'The REST Hook subscription deleted');

type Detail = Awaited<ReturnType<typeof getDelivery>>;
const _endpoint: Fits<z.output<typeof zWebhookEndpoint>, EndpointView> = true;
const _created: Fits<Omit<z.output<typeof zWebhookEndpointWithSecret>, 'previous_secret_expires_at'>, EndpointWithSecret> = true;
const _rotated: Fits<Required<z.output<typeof zWebhookEndpointWithSecret>>, Awaited<ReturnType<typeof rotateEndpointSecret>>> = true;
const _deleted: Fits<z.output<typeof zDeletedWebhookEndpoint>, Awaited<ReturnType<typeof deleteEndpoint>>> = true;
const _delivery: Fits<z.output<typeof zDelivery>, DeliveryView> = true;
const _detail: Fits<Omit<z.output<typeof zDeliveryDetail>, 'payload'>, Omit<Detail, 'payload'>> = true;
const _hook: Same<Omit<z.output<typeof zHookSubscription>, 'warnings'>, Awaited<ReturnType<typeof subscribeHook>>> = true;
