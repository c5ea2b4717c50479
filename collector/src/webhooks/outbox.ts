// The outbox: an event is written in the transaction of the change it describes (the use case's job), one delivery per
// enabled endpoint of the brand that receives its type. A rolled-back change leaves no delivery; a committed one is
// sent by the deliverer (webhooks/deliverer.ts), in the background, after COMMIT.
import { uuidv7 } from '../domain/ids.ts';
import type { Ctx } from '../services/context.ts';
import type { EventType } from './events.ts';

/** Whom an event's data names (webhook_deliveries.subject): the person an erasure looks for. */
export const advocateSubject = (id: number): string => `advocate:${id}`;
export const claimSubject = (id: number): string => `claim:${id}`;
export const conversionSubject = (id: number): string => `conversion:${id}`;
export const visitorSubject = (visitorId: string): string => `visitor:${visitorId}`;

/** The webhook-id of a new event: msg_ and a UUIDv7 without dashes (time-ordered, unique). */
export const newEventId = (now: Date): string => 'msg_' + uuidv7(now.getTime()).replaceAll('-', '');

/** The body as sent and signed: {"type","timestamp","data"}. */
export const eventBody = (type: EventType, at: Date, data: unknown): string =>
  JSON.stringify({ type, timestamp: at.toISOString(), data });

/**
 * Writes the event `type` for every endpoint of the brand that receives it, inside the caller's job. `data` is built
 * only when one does (most brands have no endpoint, and then an event costs one look-up in memory): the object as the
 * API answers it, read inside the same transaction, so it is exactly what was committed. `subject`: whom the data
 * names (`advocate:ID`, `claim:ID`, `conversion:ID`, `visitor:ID`), so an erasure can take it out of the outbox.
 */
export async function publish(ctx: Ctx, type: EventType, data: () => unknown, subject: string | null = null): Promise<void> {
  const { q, brand, now } = ctx;
  const endpointIds = await q.webhooks.receivers(brand.id, type);
  if (endpointIds.length === 0) return;
  const at = now.toISOString();
  await q.webhooks.fanOut({ brandId: brand.id, endpointIds, eventId: newEventId(now), type, payload: eventBody(type, now, await data()), subject, at });
  await q.webhooks.published();
}
