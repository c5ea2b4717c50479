// Queries of the outbox (webhooks/outbox.ts writes, webhooks/deliverer.ts sends): which event types a brand's enabled
// endpoints receive (cached), one delivery per receiving endpoint, and the deliverer's claims and results. The
// endpoints' own management (create, list, rotate...) is db/webhookEndpoints.ts.
import type { Conn } from './port.ts';
import { ALL_EVENTS, NAMED_ONLY, type EventType } from '../webhooks/events.ts';

/** An enabled endpoint as the deliverer needs it. */
export interface DeliveryTarget {
  id: number;
  brandId: string;
  url: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: string | null;
  failingSince: string | null;
}

/** A delivery claimed for one attempt (its `attempts` already counts this one). */
export interface ClaimedDelivery {
  id: number;
  brandId: string;
  endpointId: number;
  eventId: string;
  eventType: string;
  payload: string;
  attempts: number;
}

export interface AttemptResult {
  deliveryId: number;
  brandId: string;
  attempt: number;
  webhookTimestamp: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  outcome: 'delivered' | 'failed';
  /** the delivery after this attempt: delivered, failed for good, or pending until `nextAttemptAt` */
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: string | null;
}

const TARGET_COLUMNS = `id, brand_id AS brandId, url, secret_sealed AS secretSealed, previous_secret_sealed AS previousSecretSealed,
  previous_secret_expires_at AS previousSecretExpiresAt, failing_since AS failingSince`;

const CLAIMED_COLUMNS = `id, brand_id AS brandId, endpoint_id AS endpointId, event_id AS eventId, event_type AS eventType, payload, attempts`;

/** How many brands' subscriptions the cache holds before it starts again. */
const CACHE_MAX = 10_000;

export function createWebhookQueries(db: Conn) {
  const subscribedTypes = db.prepare(
    `SELECT DISTINCT s.event_type FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id
     WHERE s.brand_id = ? AND e.status = 'enabled' AND e.deleted_at IS NULL`, { pluck: true });
  // One row per receiving endpoint; `*` stands for every type but the named-only ones (the caller passes the type
  // twice for those, so `*` never matches).
  const fanOut = db.prepare(
    `INSERT INTO webhook_deliveries (brand_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
     SELECT DISTINCT s.brand_id, s.endpoint_id, @eventId, @type, @payload, 'pending', 0, @at, @at
     FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id
     WHERE s.brand_id = @brandId AND s.event_type IN (@type, @pattern) AND e.status = 'enabled' AND e.deleted_at IS NULL`);
  const enabledTargets = db.prepare(
    `SELECT ${TARGET_COLUMNS} FROM webhook_endpoints WHERE status = 'enabled' AND deleted_at IS NULL ORDER BY id`);
  const hasDue = db.prepare(
    `SELECT 1 FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ? LIMIT 1`, { pluck: true });
  // The claim: the due deliveries' next_attempt_at moves to the end of the claim, so no other process takes them
  // while this attempt runs, and they come back by themselves if this process dies. On PostgreSQL, rows another
  // process is claiming at this moment are skipped rather than waited for.
  const claim = db.prepare({
    sqlite: `UPDATE webhook_deliveries SET attempts = attempts + 1, attempting_since = @now, next_attempt_at = @leaseUntil
      WHERE id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = @endpointId AND status = 'pending' AND next_attempt_at <= @now
                   ORDER BY next_attempt_at, id LIMIT @limit)
      RETURNING ${CLAIMED_COLUMNS}`,
    pg: `UPDATE webhook_deliveries SET attempts = attempts + 1, attempting_since = @now, next_attempt_at = @leaseUntil
      WHERE id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = @endpointId AND status = 'pending' AND next_attempt_at <= @now
                   ORDER BY next_attempt_at, id LIMIT @limit FOR UPDATE SKIP LOCKED)
      RETURNING ${CLAIMED_COLUMNS}`,
  });
  const insertAttempt = db.prepare(
    `INSERT INTO webhook_attempts (brand_id, delivery_id, attempt, webhook_timestamp, started_at, duration_ms, status_code, error, response_body, outcome)
     VALUES (@brandId, @deliveryId, @attempt, @webhookTimestamp, @startedAt, @durationMs, @statusCode, @error, @responseBody, @outcome)`);
  // The delivery moves on only if the claim is still this attempt's: a claim that lapsed (the attempt outlived it) and
  // was taken again belongs to the newer attempt. A delivered answer always counts.
  const settleDelivery = db.prepare(
    `UPDATE webhook_deliveries SET status = @status, next_attempt_at = @nextAttemptAt, attempting_since = NULL,
       last_attempt_at = @startedAt, last_status_code = @statusCode, last_duration_ms = @durationMs, last_error = @error,
       delivered_at = CASE WHEN @status = 'delivered' THEN @finishedAt ELSE delivered_at END
     WHERE id = @deliveryId AND status = 'pending' AND (attempts = @attempt OR @status = 'delivered')`);
  const release = db.prepare(
    `UPDATE webhook_deliveries SET attempts = attempts - 1, attempting_since = NULL, next_attempt_at = ?
     WHERE id = ? AND status = 'pending' AND attempts = ? AND attempting_since IS NOT NULL`);
  const releaseAll = db.prepare(
    `UPDATE webhook_deliveries SET attempting_since = NULL, next_attempt_at = ? WHERE attempting_since IS NOT NULL AND status = 'pending'`);
  const markFailing = db.prepare(
    `UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL`);
  const markHealthy = db.prepare(
    `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL`);
  const disableIfFailing = db.prepare(
    `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'failing', disabled_at = ?, updated_at = ?
     WHERE id = ? AND status = 'enabled' AND failing_since <= ?`);
  const disable = db.prepare(
    `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ?, disabled_at = ?, updated_at = ?
     WHERE id = ? AND status = 'enabled'`);

  // brand -> the event types (and `*`) its enabled endpoints receive. Valid while neither this connection
  // (generation: an endpoint written here) nor another process (the engine's keyVersion) has changed them.
  const cache = new Map<string, Set<string>>();
  let filledAt = { generation: -1, version: -1 };
  let generation = 0;
  let version = -1;
  let versionCheckedThisTurn = false;
  let onPublished: (() => void) | undefined;

  return {
    /** Whether any enabled endpoint of the brand receives `type`: most brands have none, and then an event costs nothing. */
    async receives(brandId: string, type: EventType): Promise<boolean> {
      if (!versionCheckedThisTurn) {
        versionCheckedThisTurn = true;
        setImmediate(() => { versionCheckedThisTurn = false; });
        version = await db.keyVersion();
      }
      if (version !== filledAt.version || generation !== filledAt.generation || cache.size >= CACHE_MAX) {
        cache.clear();
        filledAt = { generation, version };
      }
      let types = cache.get(brandId);
      if (!types) {
        types = new Set(await subscribedTypes.all(brandId) as string[]);
        cache.set(brandId, types);
      }
      return types.has(type) || (types.has(ALL_EVENTS) && !NAMED_ONLY.has(type));
    },
    /**
     * After any write to endpoints or subscriptions (inside its job): this connection's cache is emptied at once (and
     * again after COMMIT by the caller, see webhookEndpoints), the other processes' at COMMIT.
     */
    async subscriptionsChanged(): Promise<void> {
      generation++;
      await db.announceKeyChange();
    },
    /** The event's deliveries, one per enabled endpoint of the brand receiving it; answers how many. */
    async fanOut(e: { brandId: string; eventId: string; type: EventType; payload: string; at: string }): Promise<number> {
      const pattern = NAMED_ONLY.has(e.type) ? e.type : ALL_EVENTS;
      return (await fanOut.run({ ...e, pattern })).changes;
    },
    /**
     * After a job wrote deliveries (inside it): every collector's deliverer is told at COMMIT (PostgreSQL), this
     * process's soon after (its claim, a job of its own, runs once this one's batch has committed on SQLite).
     */
    async published(): Promise<void> {
      await db.announceDeliveries();
      if (onPublished) setImmediate(onPublished);
    },
    /** The deliverer of this connection: told by `published`. */
    onPublished: (listener: () => void): void => { onPublished = listener; },
    /** Every enabled endpoint of every brand (the deliverer's round). */
    enabledTargets: async (): Promise<DeliveryTarget[]> => await enabledTargets.all() as DeliveryTarget[],
    /** Whether the endpoint has a delivery due at `now` (asked on the read connection before a claim is queued). */
    hasDue: async (endpointId: number, now: string): Promise<boolean> => (await hasDue.get(endpointId, now)) !== undefined,
    /** Claims up to `limit` due deliveries of one endpoint until `leaseUntil`, oldest due first. */
    async claimDue(endpointId: number, now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
      const rows = await claim.all({ endpointId, now, leaseUntil, limit }) as ClaimedDelivery[];
      return rows.sort((a, b) => a.id - b.id);
    },
    /** An attempt's row, and the delivery moved on by it (unless its claim was taken again meanwhile). */
    async recordAttempt(r: AttemptResult, finishedAt: string): Promise<void> {
      await insertAttempt.run({
        brandId: r.brandId, deliveryId: r.deliveryId, attempt: r.attempt, webhookTimestamp: r.webhookTimestamp, startedAt: r.startedAt,
        durationMs: r.durationMs, statusCode: r.statusCode, error: r.error, responseBody: r.responseBody, outcome: r.outcome,
      });
      await settleDelivery.run({
        deliveryId: r.deliveryId, status: r.status, nextAttemptAt: r.nextAttemptAt, startedAt: r.startedAt, statusCode: r.statusCode,
        durationMs: r.durationMs, error: r.error, finishedAt, attempt: r.attempt,
      });
    },
    /** Gives back a claim whose attempt never started or was cut by a shutdown: due at `at`, not counted. */
    releaseClaim: async (deliveryId: number, attempt: number, at: string): Promise<void> => { await release.run(at, deliveryId, attempt); },
    /** Every claim under way, due at `at` (SQLite at start-up: only this process delivers from its file). */
    releaseAllClaims: async (at: string): Promise<number> => (await releaseAll.run(at)).changes,
    markFailing: async (endpointId: number, since: string): Promise<void> => { await markFailing.run(since, endpointId); },
    markHealthy: async (endpointId: number): Promise<void> => { await markHealthy.run(endpointId); },
    /** Disables the endpoint ('failing') if it is enabled and has failed since `cutoff` or before; answers whether it did. */
    async disableIfFailingSince(endpointId: number, cutoff: string, at: string): Promise<boolean> {
      const done = (await disableIfFailing.run(at, at, endpointId, cutoff)).changes === 1;
      if (done) {
        generation++;
        await db.announceKeyChange();
      }
      return done;
    },
    /** Disables an enabled endpoint; false when it was not enabled. */
    async disable(endpointId: number, reason: 'operator' | 'gone' | 'failing', at: string): Promise<boolean> {
      const done = (await disable.run(reason, at, at, endpointId)).changes === 1;
      if (done) {
        generation++;
        await db.announceKeyChange();
      }
      return done;
    },
  };
}
