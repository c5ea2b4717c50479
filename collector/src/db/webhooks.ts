// Queries of the outbox (webhooks/outbox.ts writes, webhooks/deliverer.ts sends): which event types a brand's enabled
// endpoints receive (cached), a change's events as one queued row (webhook_events), that row turned into one delivery
// per receiving endpoint (`expand`), and the deliverer's claims and results. The endpoints' own management (create,
// list, rotate...) is db/webhookEndpoints.ts.
import { inJson, perEngine, type Conn } from './port.ts';
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

/** One event as the outbox writes it: its body, and the endpoints that receive it. */
export interface OutboxEvent {
  brandId: string;
  endpointIds: readonly number[];
  eventId: string;
  type: EventType;
  payload: string;
  subject?: string | null;
  at: string;
}

/** One event of a queued change (webhook_events.events): its body is the next `length` characters of the row's bodies. */
export interface QueuedEvent {
  id: string;
  type: EventType;
  subject: string | null;
  endpoints: readonly number[];
  length: number;
}

/** What one `expand` did: the queued rows (changes) it took, and the deliveries it wrote for them. */
export interface Expanded {
  changes: number;
  deliveries: number;
}

/** One pending delivery to one endpoint (a test event). */
export type NewDelivery = Omit<OutboxEvent, 'endpointIds'> & { endpointId: number };

/** The parameters of one delivery's row in the outbox's insert, and the rows one insert writes at most. */
const DELIVERY_PARAMS = 8;
const FAN_OUT_ROWS = 32;

/** An endpoint whose old deliveries the prune walks (every endpoint, deleted ones too: their rows stay until then). */
export interface PruneTarget {
  id: number;
  brandId: string;
  /** a deleted endpoint's pending deliveries will never be sent: they go too, once as old */
  deleted?: boolean;
}

/** Endpoints read per page of the prune's walk over them. */
const PRUNE_ENDPOINT_PAGE = 500;

/** How many brands' subscriptions the cache holds before it starts again. */
const CACHE_MAX = 10_000;

export function createWebhookQueries(db: Conn) {
  const subscriptions = db.prepare(
    `SELECT s.event_type AS type, s.endpoint_id AS endpointId FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id
     WHERE s.brand_id = ? AND e.status = 'enabled' AND e.deleted_at IS NULL`);
  // One row per receiving endpoint, the endpoints named by the cache (`receivers`): a plain insert, no join. A job's
  // events (a conversion's conversion.created and commission.created) are one statement: `rows` rows of VALUES.
  const insertStatements = new Map<number, ReturnType<typeof db.prepare>>();
  const insertRows = (rows: number) => {
    let stmt = insertStatements.get(rows);
    if (!stmt) {
      stmt = db.prepare(
        `INSERT INTO webhook_deliveries (brand_id, endpoint_id, event_id, event_type, payload, subject, status, attempts, next_attempt_at, created_at)
         VALUES ${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)").join(', ')}`);
      insertStatements.set(rows, stmt);
    }
    return stmt;
  };
  // The queue of changes (webhook_events, migration 029): appended by the change's job, taken oldest first by the
  // sender's (on PostgreSQL FOR UPDATE: another process's rows are skipped by the sender, waited for by a read that
  // must see every committed event), and deleted in the job that wrote their deliveries.
  const appendChange = db.prepare('INSERT INTO webhook_events (brand_id, events, bodies, created_at) VALUES (?, ?, ?, ?)');
  const queuedColumns = 'SELECT id, brand_id AS "brandId", events, bodies, created_at AS "createdAt" FROM webhook_events WHERE id <= ? ORDER BY id LIMIT ?';
  const takeQueued = db.prepare(perEngine((d) => `${queuedColumns}${d === 'pg' ? ' FOR UPDATE SKIP LOCKED' : ''}`));
  const awaitQueued = db.prepare(perEngine((d) => `${queuedColumns}${d === 'pg' ? ' FOR UPDATE' : ''}`));
  const dequeue = db.prepare(perEngine((d) => `DELETE FROM webhook_events WHERE ${inJson(d, 'id', '?', 'bigint')}`));
  const anyQueued = db.prepare('SELECT 1 FROM webhook_events WHERE id <= ? LIMIT 1', { pluck: true });
  const lastQueued = db.prepare('SELECT max(id) FROM webhook_events', { pluck: true });
  const enabledTargets = db.prepare(
    `SELECT ${TARGET_COLUMNS} FROM webhook_endpoints WHERE status = 'enabled' AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?`);
  // The deliverer's round: a page of the enabled endpoints (webhook_endpoints_enabled, in id order) that have a delivery
  // due (a step on webhook_deliveries_due each), so endpoints with nothing to send cost no query of their own.
  const dueTargets = db.prepare(
    `SELECT ${TARGET_COLUMNS} FROM webhook_endpoints e WHERE status = 'enabled' AND deleted_at IS NULL AND id > @after
       AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= @now)
     ORDER BY id LIMIT @limit`);
  const hasDue = db.prepare(
    `SELECT 1 FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ? LIMIT 1`, { pluck: true });
  // The claim: the due deliveries' next_attempt_at moves to the end of the claim, so no other process takes them
  // while this attempt runs, and they come back by themselves if this process dies. On PostgreSQL, rows another
  // process is claiming at this moment are skipped rather than waited for. Nothing is claimed once the endpoint was
  // disabled, deleted or changed since the deliverer read it (another URL; a rotation, which always seals anew): the
  // next round reads it again.
  const claimable = `endpoint_id = @endpointId AND status = 'pending' AND next_attempt_at <= @now
      AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = @endpointId AND e.status = 'enabled' AND e.deleted_at IS NULL
        AND (CAST(@url AS TEXT) IS NULL OR (e.url = @url AND e.secret_sealed = @secretSealed)))`;
  const claim = db.prepare(perEngine((d) =>
    `UPDATE webhook_deliveries SET attempts = attempts + 1, attempting_since = @now, next_attempt_at = @leaseUntil
      WHERE id IN (SELECT id FROM webhook_deliveries WHERE ${claimable} ORDER BY next_attempt_at, id LIMIT @limit${d === 'pg' ? ' FOR UPDATE SKIP LOCKED' : ''})
      RETURNING ${CLAIMED_COLUMNS}`));
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
  // The prune: endpoints by primary key, then one endpoint's oldest deliveries by webhook_deliveries_endpoint (brand_id,
  // endpoint_id[, id]) in id order. A delivery's id and created_at grow together, so the walk ends at the first one
  // inside the window; of those before it, the finished ones whose last attempt (else creation) is older than the
  // window go, their attempts first (webhook_attempts_delivery).
  const pruneTargets = db.prepare(
    `SELECT id, brand_id AS brandId, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS deleted FROM webhook_endpoints
     WHERE id > ? ORDER BY id LIMIT ${PRUNE_ENDPOINT_PAGE}`);
  const oldestDeliveries = db.prepare(perEngine((d) =>
    `SELECT id, created_at AS "createdAt" FROM webhook_deliveries${d === 'sqlite' ? ' INDEXED BY webhook_deliveries_endpoint' : ''}
     WHERE brand_id = @brandId AND endpoint_id = @endpointId AND id > @after ORDER BY id LIMIT @limit`));
  // (The deliveries' DELETE names the range itself: `brand_id = ? AND id IN (subquery)` reads the brand's whole index.)
  const prunable = `brand_id = @brandId AND endpoint_id = @endpointId AND id > @after AND id <= @last
       AND (status IN ('delivered', 'failed') OR @deleted = 1) AND COALESCE(last_attempt_at, created_at) < @cutoff`;
  const pruneAttempts = db.prepare(
    `DELETE FROM webhook_attempts WHERE brand_id = @brandId AND delivery_id IN (SELECT id FROM webhook_deliveries WHERE ${prunable})`);
  const pruneDeliveries = db.prepare(`DELETE FROM webhook_deliveries WHERE ${prunable}`);
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

  // An erasure's deliveries (services/people.ts): those naming the person keep only their type and name nobody any
  // more, and one not delivered yet is never sent. Found by the subject index: the person's own rows, not the brand's.
  const forget = db.prepare(
    `UPDATE webhook_deliveries
     SET payload = '{"type":"' || event_type || '","timestamp":null,"data":null}', subject = NULL,
       last_error = CASE WHEN status = 'pending' THEN 'not sent: the person it names was erased' ELSE last_error END,
       next_attempt_at = CASE WHEN status = 'pending' THEN NULL ELSE next_attempt_at END,
       status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END
     WHERE brand_id = ? AND subject = ?`);

  // brand -> the event types (and `*`) its enabled endpoints receive. Valid while neither this connection
  // (generation: an endpoint written here) nor another process (the engine's keyVersion) has changed them.
  const cache = new Map<string, Map<string, number[]>>();
  let filledAt = { generation: -1, version: -1 };
  let generation = 0;
  let version = -1;
  let versionCheckedThisTurn = false;
  let onPublished: (() => void) | undefined;

  /**
   * The enabled endpoints of the brand that receive `type`, from memory: most brands have none, and then an event
   * costs nothing more. Filled per brand from its subscriptions, emptied when this connection writes endpoints
   * (subscriptionsChanged) or another process's changes are seen (keyVersion, checked once per turn).
   */
  const receivers = async (brandId: string, type: EventType): Promise<number[]> => {
    if (!versionCheckedThisTurn) {
      versionCheckedThisTurn = true;
      setImmediate(() => { versionCheckedThisTurn = false; });
      version = await db.keyVersion();
    }
    if (version !== filledAt.version || generation !== filledAt.generation || cache.size >= CACHE_MAX) {
      cache.clear();
      filledAt = { generation, version };
    }
    let byType = cache.get(brandId);
    if (!byType) {
      byType = new Map();
      for (const s of await subscriptions.all(brandId) as Array<{ type: string; endpointId: number }>) {
        const ids = byType.get(s.type) ?? [];
        ids.push(Number(s.endpointId));
        byType.set(s.type, ids);
      }
      cache.set(brandId, byType);
    }
    const named = byType.get(type) ?? [];
    const all = NAMED_ONLY.has(type) ? [] : byType.get(ALL_EVENTS) ?? [];
    return all.length === 0 ? named : named.length === 0 ? all : [...new Set([...named, ...all])];
  };

  // Endpoints or subscriptions written: this connection's cache is emptied at once, the other processes' at COMMIT.
  const subscriptionsChanged = async (): Promise<void> => {
    generation++;
    await db.announceKeyChange();
  };

  const insertOne = async (d: NewDelivery): Promise<number> =>
    Number((await insertRows(1).run(d.brandId, d.endpointId, d.eventId, d.type, d.payload, d.subject ?? null, d.at, d.at)).lastInsertRowid);

  // Events' deliveries, one per endpoint of each event's `endpointIds`, FAN_OUT_ROWS rows a statement, in order (so
  // the deliveries' ids follow the events'); answers how many.
  const fanOut = async (events: readonly OutboxEvent[]): Promise<number> => {
    const values: unknown[] = [];
    for (const e of events) {
      for (const endpointId of e.endpointIds) values.push(e.brandId, endpointId, e.eventId, e.type, e.payload, e.subject ?? null, e.at, e.at);
    }
    const rows = values.length / DELIVERY_PARAMS;
    for (let from = 0; from < rows; from += FAN_OUT_ROWS) {
      const n = Math.min(FAN_OUT_ROWS, rows - from);
      await insertRows(n).run(...values.slice(from * DELIVERY_PARAMS, (from + n) * DELIVERY_PARAMS));
    }
    return rows;
  };

  return {
    receivers,
    /** Whether any enabled endpoint of the brand receives `type` (receivers, as a yes or no). */
    receives: async (brandId: string, type: EventType): Promise<boolean> => (await receivers(brandId, type)).length > 0,
    /**
     * After any write to endpoints or subscriptions (inside its job): this connection's cache is emptied at once (and
     * again after COMMIT by the caller, see webhookEndpoints), the other processes' at COMMIT.
     */
    subscriptionsChanged,
    /**
     * A change's events, queued in one row (inside the change's job): `events` in order, their bodies one after another
     * in `bodies`, made at `at`. Their deliveries are written by `expand`.
     */
    append: async (brandId: string, events: readonly QueuedEvent[], bodies: string, at: string): Promise<void> => {
      await appendChange.run(brandId, JSON.stringify(events), bodies, at);
    },
    /** Whether any change (up to id `upTo`) waits in the queue for its deliveries (one step on the primary key). */
    hasQueued: async (upTo = Number.MAX_SAFE_INTEGER): Promise<boolean> => (await anyQueued.get(upTo)) !== undefined,
    /** The newest queued change's id (null when none is): every change committed before the call is at or below it. */
    lastQueued: async (): Promise<number | null> => {
      const id = await lastQueued.get() as number | string | null | undefined;
      return id === null || id === undefined ? null : Number(id);
    },
    /**
     * Inside a job: up to `limit` queued changes (up to id `upTo`), oldest first, turned into their deliveries (one per
     * receiving endpoint, in the events' order, as the change's transaction decided them) and taken off the queue.
     * `wait` (PostgreSQL): rows another process is taking are waited for instead of skipped (they are gone once it
     * committed), so that what follows sees every event committed before as a delivery (a read of the deliveries, an
     * erasure).
     */
    async expand(limit: number, { wait = false, upTo = Number.MAX_SAFE_INTEGER }: { wait?: boolean; upTo?: number } = {}): Promise<Expanded> {
      const rows = await (wait ? awaitQueued : takeQueued).all(upTo, limit) as Array<{ id: number; brandId: string; events: string; bodies: string; createdAt: string }>;
      if (rows.length === 0) return { changes: 0, deliveries: 0 };
      const events: OutboxEvent[] = [];
      for (const row of rows) {
        let from = 0;
        for (const e of JSON.parse(row.events) as QueuedEvent[]) {
          const payload = row.bodies.slice(from, from + e.length);
          from += e.length;
          events.push({ brandId: row.brandId, endpointIds: e.endpoints, eventId: e.id, type: e.type, payload, subject: e.subject, at: row.createdAt });
        }
      }
      const deliveries = await fanOut(events);
      await dequeue.run(JSON.stringify(rows.map((r) => Number(r.id))));
      return { changes: rows.length, deliveries };
    },
    /** Deliveries written straight, one per endpoint of each event's `endpointIds` (the tests' fixtures); answers how many. */
    fanOut,
    /** One pending delivery to one endpoint, whatever it subscribes to (a test event); answers its id. */
    insertDelivery: insertOne,
    /**
     * After a job queued events or wrote deliveries (inside it): this process's deliverer is told soon after (its jobs
     * run once this one's batch has committed on SQLite), and takes them from there; a process without one (the CLI)
     * tells every collector's at COMMIT instead (PostgreSQL; a SQLite collector finds them within its second's poll).
     * (A NOTIFY per change would be a round trip per conversion, and on PostgreSQL commits that notify take turns.)
     */
    async published(): Promise<void> {
      if (onPublished) setImmediate(onPublished);
      else await db.announceDeliveries();
    },
    /** The deliverer of this connection: told by `published`. */
    onPublished: (listener: () => void): void => { onPublished = listener; },
    /** A page (after id `after`) of every brand's enabled endpoints, as the deliverer reads them. */
    enabledTargets: async (after = 0, limit = 500): Promise<DeliveryTarget[]> =>
      (await enabledTargets.all(after, limit) as DeliveryTarget[]).map((t) => ({ ...t, id: Number(t.id) })),
    /** A page (after id `after`) of the enabled endpoints, of every brand, with a delivery due at `now`: the deliverer's round. */
    dueTargets: async (now: string, after: number, limit: number): Promise<DeliveryTarget[]> =>
      (await dueTargets.all({ now, after, limit }) as DeliveryTarget[]).map((t) => ({ ...t, id: Number(t.id) })),
    /** Whether the endpoint has a delivery due at `now` (asked on the read connection before a claim is queued). */
    hasDue: async (endpointId: number, now: string): Promise<boolean> => (await hasDue.get(endpointId, now)) !== undefined,
    /**
     * Claims up to `limit` due deliveries of the endpoint until `leaseUntil`, oldest due first; none when the endpoint
     * is no longer enabled or was changed since `target` was read.
     */
    async claimDue(target: Pick<DeliveryTarget, 'id' | 'url' | 'secretSealed'> | number, now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
      // (An endpoint id alone: claimed while it is enabled, whatever its URL and secret; the tests' claims.)
      const t = typeof target === 'number' ? { id: target, url: null, secretSealed: null } : target;
      const rows = await claim.all({ endpointId: t.id, url: t.url, secretSealed: t.secretSealed, now, leaseUntil, limit }) as ClaimedDelivery[];
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
    /** A page of every endpoint (deleted and disabled ones too) after id `after`: the prune's walk. */
    pruneTargets: async (after: number): Promise<PruneTarget[]> =>
      (await pruneTargets.all(after) as Array<{ id: number; brandId: string; deleted: number }>)
        .map((t) => ({ id: Number(t.id), brandId: t.brandId, deleted: Number(t.deleted) === 1 })),
    /**
     * One batch of the prune (inside a job): the endpoint's `limit` oldest deliveries after id `after`, of which the
     * finished ones idle since before `cutoff` are deleted with their attempts. `last`: the id to go on after, when the
     * whole batch was older than the window (the next one may be too); null when the walk of this endpoint is done.
     */
    async pruneBatch(t: PruneTarget, after: number, cutoff: string, limit: number): Promise<{ deleted: number; attempts: number; last: number | null }> {
      const rows = await oldestDeliveries.all({ brandId: t.brandId, endpointId: t.id, after, limit }) as Array<{ id: number; createdAt: string }>;
      const inWindow = rows.findIndex((r) => r.createdAt >= cutoff);
      const old = inWindow === -1 ? rows : rows.slice(0, inWindow);
      const lastOld = old.at(-1);
      if (!lastOld) return { deleted: 0, attempts: 0, last: null };
      const range = { brandId: t.brandId, endpointId: t.id, after, last: Number(lastOld.id), cutoff, deleted: t.deleted ? 1 : 0 };
      const attempts = (await pruneAttempts.run(range)).changes;
      const deleted = (await pruneDeliveries.run(range)).changes;
      return { deleted, attempts, last: inWindow === -1 && rows.length === limit ? Number(lastOld.id) : null };
    },
    /** Whether the endpoint's oldest delivery after `after` was made before `cutoff` (one step on the index, no job). */
    async hasPrunable(t: PruneTarget, after: number, cutoff: string): Promise<boolean> {
      const [first] = await oldestDeliveries.all({ brandId: t.brandId, endpointId: t.id, after, limit: 1 }) as Array<{ createdAt: string }>;
      return first !== undefined && first.createdAt < cutoff;
    },
    markFailing: async (endpointId: number, since: string): Promise<void> => { await markFailing.run(since, endpointId); },
    markHealthy: async (endpointId: number): Promise<void> => { await markHealthy.run(endpointId); },
    /** Disables the endpoint ('failing') if it is enabled and has failed since `cutoff` or before; answers whether it did. */
    async disableIfFailingSince(endpointId: number, cutoff: string, at: string): Promise<boolean> {
      const done = (await disableIfFailing.run(at, at, endpointId, cutoff)).changes === 1;
      if (done) await subscriptionsChanged();
      return done;
    },
    /**
     * An erasure, inside its job: every delivery of the brand naming one of `subjects` (advocate:ID, claim:ID,
     * conversion:ID, visitor:ID) keeps only its type; one not delivered yet is never sent (failed). Answers how many.
     */
    async forget(brandId: string, subjects: Iterable<string>): Promise<number> {
      let n = 0;
      for (const subject of subjects) n += (await forget.run(brandId, subject)).changes;
      return n;
    },
    /** Disables an enabled endpoint; false when it was not enabled. */
    async disable(endpointId: number, reason: 'operator' | 'gone' | 'failing', at: string): Promise<boolean> {
      const done = (await disable.run(reason, at, at, endpointId)).changes === 1;
      if (done) await subscriptionsChanged();
      return done;
    },
  };
}
