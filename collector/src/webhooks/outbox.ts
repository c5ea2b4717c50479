// The outbox: a change's events are written in the transaction of the change (the use case's job), as one queued row
// naming, per event, the enabled endpoints of the brand that receive its type, with its body as it will be signed and
// sent. A rolled-back change leaves nothing; a committed one is turned into one delivery per endpoint (expandOutbox) by
// the deliverer (webhooks/deliverer.ts) in the background after COMMIT, and by a read of the deliveries or an erasure
// before they look, and then sent by the deliverer.
import type { Queries } from '../db/queries.ts';
import type { JobOptions, WriteQueue } from '../db/port.ts';
import { uuidv7 } from '../domain/ids.ts';
import type { QueuedEvent } from '../db/webhooks.ts';
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
 * it, all of them in one queued row.
 */
export async function publishAll(ctx: Ctx, events: readonly Published[]): Promise<void> {
  const { q, brand, now } = ctx;
  const queued: QueuedEvent[] = [];
  let bodies = '';
  let at: string | undefined;
  for (const e of events) {
    const endpoints = await q.webhooks.receivers(brand.id, e.type);
    if (endpoints.length === 0) continue;
    at ??= now.toISOString();
    const body = eventBody(e.type, at, await e.data());
    queued.push({ id: newEventId(now), type: e.type, subject: e.subject ?? null, endpoints, length: body.length });
    bodies += body;
  }
  if (queued.length === 0) return;
  await q.webhooks.append(brand.id, queued, bodies, at!);
  await q.webhooks.published();
}

/** Queued changes turned into deliveries per job: about 10 ms of work on SQLite for three events each. */
export const EXPAND_BATCH = 500;

/**
 * The expansion's jobs commit without waiting for the disk: the queued rows they take were committed durably with
 * their change, and a power cut that loses such a job leaves its rows queued, to be taken again (the same event ids).
 */
export const EXPAND_JOB: JobOptions = { durable: false };

/**
 * Every change queued at the call turned into its deliveries, EXPAND_BATCH at a time, each batch a job of its own
 * (nothing is asked of the write queue when nothing is queued): after it, every event committed before the call is a
 * delivery (what a read of the deliveries needs). Changes queued meanwhile are left to the deliverer, so a read under a
 * steady load ends. Rows another process is taking (PostgreSQL) are waited for. Answers how many changes it expanded.
 */
export async function expandOutbox(deps: { q: Queries; rq: Queries; queue: WriteQueue }): Promise<number> {
  const upTo = await deps.rq.webhooks.lastQueued();
  let changes = 0;
  while (upTo !== null && await deps.rq.webhooks.hasQueued(upTo)) {
    changes += (await deps.queue.run(() => deps.q.webhooks.expand(EXPAND_BATCH, { wait: true, upTo }), EXPAND_JOB)).changes;
  }
  return changes;
}

/**
 * Inside a job: every queued change turned into its deliveries, rows another process is taking waited for (an
 * erasure, which must find every delivery naming the person; the CLI's reads of the deliveries). Answers how many.
 */
export async function expandInJob(q: Queries): Promise<number> {
  const upTo = await q.webhooks.lastQueued();
  let changes = 0;
  while (upTo !== null && await q.webhooks.hasQueued(upTo)) changes += (await q.webhooks.expand(EXPAND_BATCH, { wait: true, upTo })).changes;
  return changes;
}
