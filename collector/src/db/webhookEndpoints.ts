// Queries of the endpoints' management (services/webhooks.ts): create, list, get, update, rotate, delete, and the
// deliveries and attempts an owner reads. Every write to endpoints or subscriptions calls
// q.webhooks.subscriptionsChanged() in the same job (the outbox's cache, db/webhooks.ts); the service does.
import type { Conn } from './port.ts';
import { perEngine } from './port.ts';
import { keysetList, type ListSql, type ScannedPage, type Slice } from './keyset.ts';
import type { AttemptResult } from './webhooks.ts';

export type EndpointStatus = 'enabled' | 'disabled';
export type DisabledReason = 'operator' | 'gone' | 'failing';
export type EndpointSource = 'api' | 'zapier';
export type DeliveryStatus = AttemptResult['status'];

/** An endpoint as stored, without its secrets. */
export interface EndpointRecord {
  id: number;
  url: string;
  description: string | null;
  source: EndpointSource;
  status: EndpointStatus;
  disabledReason: DisabledReason | null;
  disabledAt: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The sealed secrets of an endpoint (rotation keeps the current one as the previous one). */
export interface EndpointSecrets {
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: string | null;
}

/** A delivery as the list shows it. */
export interface DeliveryRecord {
  id: number;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  attemptingSince: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** One attempt of a delivery and the receiver's answer (its first 2 KB), as the deliverer recorded it. */
export type AttemptRecord = { id: number } & Pick<AttemptResult,
  'attempt' | 'webhookTimestamp' | 'startedAt' | 'durationMs' | 'statusCode' | 'error' | 'responseBody' | 'outcome'>;

export interface DeliveryFilter { status?: DeliveryStatus | undefined }

/** At most this many attempts of one delivery are read for its detail: the newest (resends add attempts without end). */
export const ATTEMPTS_SHOWN = 100;

const ENDPOINT = `id, url, description, source, status, disabled_reason AS disabledReason, disabled_at AS disabledAt,
  failing_since AS failingSince, created_at AS createdAt, updated_at AS updatedAt`;

const DELIVERY = `id, event_id AS eventId, event_type AS eventType, status, attempts, next_attempt_at AS nextAttemptAt,
  attempting_since AS attemptingSince, last_attempt_at AS lastAttemptAt, last_status_code AS lastStatusCode,
  last_duration_ms AS lastDurationMs, last_error AS lastError, delivered_at AS deliveredAt, created_at AS createdAt`;

const ATTEMPT = `id, attempt, webhook_timestamp AS webhookTimestamp, started_at AS startedAt, duration_ms AS durationMs,
  status_code AS statusCode, error, response_body AS responseBody, outcome`;

/**
 * A list read by keyset on `index` (SQLite names it; PostgreSQL's ends with id): the brand's rows and the equalities
 * the index serves, `residual` checked row by row within db/keyset.ts's bounded windows.
 */
const listSql = (table: string, index: string, columns: string, indexed: string[], residual: string[]) =>
  perEngine((d): ListSql => {
    const from = d === 'sqlite' ? `${table} INDEXED BY ${index}` : table;
    return {
      from, id: 'id', indexed: ['brand_id = @brandId', ...indexed], residual,
      page: (where, order) => `SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY id ${order} LIMIT @limit OFFSET @offset`,
    };
  });

// The brand's endpoints by webhook_endpoints_brand; deleted ones are skipped row by row (they are few).
const ENDPOINT_LIST = listSql('webhook_endpoints', 'webhook_endpoints_brand', ENDPOINT, [], ['deleted_at IS NULL']);
// One endpoint's deliveries by webhook_deliveries_endpoint (brand_id, endpoint_id), in id order: O(page) at any size.
const DELIVERY_LIST = listSql('webhook_deliveries', 'webhook_deliveries_endpoint', DELIVERY, ['endpoint_id = @endpointId'], []);
const DELIVERY_LIST_BY_STATUS = listSql('webhook_deliveries', 'webhook_deliveries_endpoint', DELIVERY,
  ['endpoint_id = @endpointId'], ['status = @status']);

export function createWebhookEndpointQueries(db: Conn) {
  const insert = db.prepare(
    `INSERT INTO webhook_endpoints (brand_id, url, description, source, status, secret_sealed, created_at, updated_at)
     VALUES (@brandId, @url, @description, @source, 'enabled', @secretSealed, @now, @now)`);
  const find = db.prepare(`SELECT ${ENDPOINT} FROM webhook_endpoints WHERE brand_id = ? AND id = ? AND deleted_at IS NULL`);
  // Inside a write job: no other job changes this endpoint (nor its subscriptions) until this one ends (PostgreSQL,
  // where jobs run side by side; SQLite's jobs run one at a time).
  const findForUpdate = db.prepare({
    sqlite: `SELECT ${ENDPOINT} FROM webhook_endpoints WHERE brand_id = ? AND id = ? AND deleted_at IS NULL`,
    pg: `SELECT ${ENDPOINT} FROM webhook_endpoints WHERE brand_id = ? AND id = ? AND deleted_at IS NULL FOR UPDATE`,
  });
  const secrets = db.prepare(
    `SELECT secret_sealed AS secretSealed, previous_secret_sealed AS previousSecretSealed,
       previous_secret_expires_at AS previousSecretExpiresAt
     FROM webhook_endpoints WHERE brand_id = ? AND id = ? AND deleted_at IS NULL`);
  const countLive = db.prepare(
    `SELECT count(*) FROM webhook_endpoints WHERE brand_id = ? AND deleted_at IS NULL`, { pluck: true });
  const update = db.prepare(
    `UPDATE webhook_endpoints SET url = @url, description = @description, status = @status, disabled_reason = @disabledReason,
       disabled_at = @disabledAt, failing_since = @failingSince, updated_at = @now
     WHERE brand_id = @brandId AND id = @id AND deleted_at IS NULL`);
  const rotate = db.prepare(
    `UPDATE webhook_endpoints SET secret_sealed = @secretSealed, previous_secret_sealed = @previousSecretSealed,
       previous_secret_expires_at = @previousSecretExpiresAt, updated_at = @now
     WHERE brand_id = @brandId AND id = @id AND deleted_at IS NULL`);
  const softDelete = db.prepare(
    `UPDATE webhook_endpoints SET deleted_at = ?, updated_at = ? WHERE brand_id = ? AND id = ? AND deleted_at IS NULL`);
  const eventsOf = db.prepare(
    `SELECT event_type FROM webhook_subscriptions WHERE brand_id = ? AND endpoint_id = ? ORDER BY event_type`, { pluck: true });
  const subscribe = db.prepare(`INSERT INTO webhook_subscriptions (brand_id, event_type, endpoint_id) VALUES (?, ?, ?)`);
  const unsubscribeAll = db.prepare(`DELETE FROM webhook_subscriptions WHERE brand_id = ? AND endpoint_id = ?`);
  const delivery = db.prepare(
    `SELECT ${DELIVERY}, payload FROM webhook_deliveries WHERE brand_id = ? AND id = ? AND endpoint_id = ?`);
  // The newest ATTEMPTS_SHOWN attempts by webhook_attempts_delivery (delivery_id, [id]).
  const attempts = db.prepare(
    `SELECT ${ATTEMPT} FROM webhook_attempts WHERE delivery_id = ? AND brand_id = ? ORDER BY id DESC LIMIT ${ATTEMPTS_SHOWN}`);
  // Due now, again, with the same event id; an attempt under way keeps its claim (no second attempt at once).
  const resend = db.prepare(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = @now, delivered_at = NULL
     WHERE brand_id = @brandId AND endpoint_id = @endpointId AND id = @id AND attempting_since IS NULL`);
  const endpointList = keysetList<EndpointRecord>(db);
  const deliveryList = keysetList<DeliveryRecord>(db);

  return {
    /** A new enabled endpoint; answers its id. Its subscriptions are written with `subscribe`. */
    async insert(brandId: string, e: { url: string; description: string | null; source: EndpointSource; secretSealed: string }, now: string): Promise<number> {
      return Number((await insert.run({ brandId, ...e, now })).lastInsertRowid);
    },
    /** The endpoint, unless unknown, another brand's or deleted. */
    find: async (brandId: string, id: number) => await find.get(brandId, id) as EndpointRecord | undefined,
    /** `find` inside a write job, locking the endpoint's row on PostgreSQL. */
    findForUpdate: async (brandId: string, id: number) => await findForUpdate.get(brandId, id) as EndpointRecord | undefined,
    secrets: async (brandId: string, id: number) => await secrets.get(brandId, id) as EndpointSecrets | undefined,
    /** The brand's endpoints that are not deleted (the per-brand limit). */
    countLive: async (brandId: string): Promise<number> => await countLive.get(brandId) as number,
    /** Writes every changeable field as given. */
    async update(brandId: string, e: Omit<EndpointRecord, 'source' | 'createdAt' | 'updatedAt'>, now: string): Promise<void> {
      await update.run({ brandId, id: e.id, url: e.url, description: e.description, status: e.status,
        disabledReason: e.disabledReason, disabledAt: e.disabledAt, failingSince: e.failingSince, now });
    },
    async rotate(brandId: string, id: number, s: EndpointSecrets, now: string): Promise<void> {
      await rotate.run({ brandId, id, ...s, now });
    },
    /** Marks the endpoint deleted (its deliveries and attempts stay, unreachable); false when it was not there. */
    softDelete: async (brandId: string, id: number, now: string): Promise<boolean> =>
      (await softDelete.run(now, now, brandId, id)).changes === 1,
    /** The event types (or `*`) the endpoint subscribes to, sorted. */
    eventsOf: async (brandId: string, endpointId: number) => await eventsOf.all(brandId, endpointId) as string[],
    /** Replaces the endpoint's subscriptions with `events` (distinct). */
    async setEvents(brandId: string, endpointId: number, events: readonly string[]): Promise<void> {
      await unsubscribeAll.run(brandId, endpointId);
      for (const type of events) await subscribe.run(brandId, type, endpointId);
    },
    removeEvents: async (brandId: string, endpointId: number): Promise<void> => { await unsubscribeAll.run(brandId, endpointId); },
    /** A page of the brand's endpoints, newest first. */
    endpoints: (brandId: string, slice: Slice): Promise<ScannedPage<EndpointRecord>> =>
      endpointList.page(ENDPOINT_LIST, { brandId }, slice),
    /** How many endpoints the brand has (db/keyset.ts `total`). */
    totalEndpoints: (brandId: string): Promise<number> => endpointList.total(ENDPOINT_LIST, { brandId }),
    /** A page of one endpoint's deliveries, newest first; by status, within db/keyset.ts's bounded windows. */
    deliveries: (brandId: string, endpointId: number, filter: DeliveryFilter, slice: Slice): Promise<ScannedPage<DeliveryRecord>> =>
      filter.status === undefined
        ? deliveryList.page(DELIVERY_LIST, { brandId, endpointId }, slice)
        : deliveryList.page(DELIVERY_LIST_BY_STATUS, { brandId, endpointId, status: filter.status }, slice),
    /** How many of the endpoint's deliveries match (db/keyset.ts `total`: within WALK_BUDGET rows, else a 400 naming total). */
    totalDeliveries: (brandId: string, endpointId: number, filter: DeliveryFilter): Promise<number> =>
      filter.status === undefined
        ? deliveryList.total(DELIVERY_LIST, { brandId, endpointId })
        : deliveryList.total(DELIVERY_LIST_BY_STATUS, { brandId, endpointId, status: filter.status }),
    /** One delivery of the endpoint, with its payload. */
    delivery: async (brandId: string, endpointId: number, id: number) =>
      await delivery.get(brandId, id, endpointId) as (DeliveryRecord & { payload: string }) | undefined,
    /** The delivery's newest ATTEMPTS_SHOWN attempts, oldest first. */
    attempts: async (brandId: string, deliveryId: number): Promise<AttemptRecord[]> =>
      (await attempts.all(deliveryId, brandId) as AttemptRecord[]).reverse(),
    /** Makes the delivery due at `now` again; false while an attempt of it is under way. */
    resend: async (brandId: string, endpointId: number, id: number, now: string): Promise<boolean> =>
      (await resend.run({ brandId, endpointId, id, now })).changes === 1,
  };
}
