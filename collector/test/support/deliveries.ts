// Webhook endpoints and deliveries as another process sees them: an endpoint subscribed straight in the database (its
// secret sealed with the master key the collectors are given), for tests whose collectors run as `referloop serve`
// children, and the deliveries read back. (In-process collectors: webhookFixtures.ts.)
import { createQueries } from '../../src/db/queries.ts';
import type { Store } from '../../src/db/store.ts';
import { insertEndpoint as insertFixtureEndpoint } from './webhookFixtures.ts';

/** An enabled endpoint of `brandId` at `url` receiving `events` (webhookFixtures.ts's, on a store of its own); answers its id and secret. */
export const insertEndpoint = (store: Store, masterKey: Buffer, brandId: string, url: string, events: string[]): Promise<{ id: number; secret: string }> =>
  insertFixtureEndpoint({ db: store.db, queue: store.queue, q: createQueries(store.db) }, masterKey, brandId, events, { url });

export interface DeliveryRow {
  id: number;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  payload: string;
}

/** Every delivery of the endpoint, oldest first (the tests' few thousand rows). */
export async function deliveryRows(store: Store, brandId: string, endpointId: number): Promise<DeliveryRow[]> {
  const all = await store.db.prepare(
    `SELECT id, event_id AS "eventId", event_type AS "type", status, attempts, payload FROM webhook_deliveries
     WHERE brand_id = ? AND endpoint_id = ? ORDER BY id`).all(brandId, endpointId) as DeliveryRow[];
  return all.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }));
}

export interface AttemptRow {
  deliveryId: number;
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
}

/** Every attempt of the endpoint's deliveries, in the order they were written. */
export async function attemptRows(store: Store, brandId: string, endpointId: number): Promise<AttemptRow[]> {
  const all = await store.db.prepare(
    `SELECT a.delivery_id AS "deliveryId", a.attempt, a.started_at AS "startedAt", a.duration_ms AS "durationMs", a.status_code AS "statusCode"
     FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
     WHERE d.brand_id = ? AND d.endpoint_id = ? ORDER BY a.id`).all(brandId, endpointId) as AttemptRow[];
  return all.map((r) => ({ ...r, deliveryId: Number(r.deliveryId), attempt: Number(r.attempt), durationMs: Number(r.durationMs) }));
}

/** Polls `check` every 100 ms until it holds, failing after `ms` with `what`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!await check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
