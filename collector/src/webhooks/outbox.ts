// The outbox: an event is written in the transaction of the change it describes (the use case's job), one delivery per
// enabled endpoint of the brand that receives its type. A rolled-back change leaves no delivery; a committed one is
// sent by the deliverer (webhooks/deliverer.ts), in the background, after COMMIT.
import { uuidv7 } from '../domain/ids.ts';
import type { OutboxEvent } from '../db/webhooks.ts';
import type { Ctx } from '../services/context.ts';
import type { EventType } from './events.ts';

/** Whom an event's data names (webhook_deliveries.subject): the person an erasure looks for. */
export const advocateSubject = (id: number): string => `advocate:${id}`;
export const claimSubject = (id: number): string => `claim:${id}`;
export const conversionSubject = (id: number): string => `conversion:${id}`;
export const visitorSubject = (visitorId: string): string => `visitor:${visitorId}`;
/** An entered referral record naming its referred customer by email (a tracked one's subject is its conversion's or advocate's). */
export const recordSubject = (rewardId: number): string => `record:${rewardId}`;
/** A testimonial (its author's name and email, or its advocate's name). */
export const testimonialSubject = (id: number): string => `testimonial:${id}`;

/** The webhook-id of a new event: msg_ and a UUIDv7 without dashes (time-ordered, unique). */
export const newEventId = (now: Date): string => 'msg_' + uuidv7(now.getTime()).replaceAll('-', '');

/** The body as sent and signed: {"type","timestamp","data"}. */
export const eventBody = (type: EventType, at: string, data: unknown): string =>
  JSON.stringify({ type, timestamp: at, data });

/** One event of a change: its type, how to build its data (only when an endpoint receives it), whom it names. */
export interface Published {
  type: EventType;
  data: () => unknown;
  subject?: string | null;
}

/**
 * Writes the event `type` for every endpoint of the brand that receives it, inside the caller's job. `data` is built
 * only when one does (most brands have no endpoint, and then an event costs one look-up in memory): the object as the
 * API answers it, read inside the same transaction, so it is exactly what was committed. `subject`: whom the data
 * names (`advocate:ID`, `claim:ID`, `conversion:ID`, `visitor:ID`), so an erasure can take it out of the outbox.
 */
export const publish = (ctx: Ctx, type: EventType, data: () => unknown, subject: string | null = null): Promise<void> =>
  publishAll(ctx, [{ type, data, subject }]);

/**
 * A change's events, in order (a conversion's conversion.created, then its commissions'): each as `publish` writes
 * it, all of them in one insert.
 */
export async function publishAll(ctx: Ctx, events: readonly Published[]): Promise<void> {
  const { q, brand, now } = ctx;
  const written: OutboxEvent[] = [];
  let at: string | undefined;
  for (const e of events) {
    const endpointIds = await q.webhooks.receivers(brand.id, e.type);
    if (endpointIds.length === 0) continue;
    at ??= now.toISOString();
    written.push({ brandId: brand.id, endpointIds, eventId: newEventId(now), type: e.type, payload: eventBody(e.type, at, await e.data()), subject: e.subject ?? null, at });
  }
  if (written.length === 0) return;
  await q.webhooks.fanOut(written);
  await q.webhooks.published();
}
