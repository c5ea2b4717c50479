// The deliverer: the collector's background sender of the outbox. It runs beside the requests, never on their path:
// woken when a job queued events (this process's, and on PostgreSQL any collector's, at COMMIT) and every second for
// the retries that come due. It first turns the changes queued in the outbox into their deliveries (db/webhooks.ts
// expand: jobs of its own, a small batch at a time while the collector is saturated). Per enabled endpoint it claims
// due deliveries (a commit-queue job; on PostgreSQL FOR UPDATE SKIP LOCKED, so each attempt is made by one process),
// has them signed and sent by the sender thread (sender.ts), up to SOCKETS_PER_ORIGIN at once, and writes each
// attempt's answer and what follows from it (delivered; the next attempt by the schedule; failed for good; the endpoint
// disabled) in a job shared with the answers of the same few milliseconds.
import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { WebhookConfig } from '../config.ts';
import type { WriteQueue } from '../db/port.ts';
import type { Queries } from '../db/queries.ts';
import type { Store } from '../db/store.ts';
import type { ClaimedDelivery, DeliveryTarget, PruneTarget } from '../db/webhooks.ts';
import { daysBefore } from '../domain/time.ts';
import { decryptSecret } from '../domain/keys.ts';
import { EXPAND_BATCH, EXPAND_JOB } from './outbox.ts';
import { FAILING_DISABLE_MS, nextAttemptAt } from './schedule.ts';
import { Sender } from './sender.ts';
import { notSent, SOCKETS_PER_ORIGIN, type AttemptAnswer } from './send.ts';

export interface DelivererDeps {
  /** the write connection's queries: claims and results run there, in the commit queue */
  q: Queries;
  /** the read connection's queries: "is anything due?" is asked there, without a job when nothing is */
  rq: Queries;
  queue: WriteQueue;
  store: Store;
  config: { webhooks: WebhookConfig };
  masterKey: Buffer;
  logger: Logger;
  now: () => Date;
}

/** How often the deliverer looks for due retries (a new delivery wakes it at once). */
export const POLL_INTERVAL_MS = 1_000;

/** Finished deliveries (delivered or failed) are kept this many days after their last attempt, then pruned. */
export const KEEP_FINISHED_DAYS = 30;

/** The prune runs at most this often (from the deliverer's rounds). */
export const PRUNE_INTERVAL_MS = 60 * 60_000;

/** Deliveries read (and the finished old ones among them deleted, attempts first) per prune job. */
export const PRUNE_BATCH = 500;

/**
 * Batches one endpoint gets per prune run: 20 × 500 = 10,000 deliveries an hour, 240,000 a day, far above what the
 * big brand's conversions make (README, "Delivery"); an endpoint with more left goes on from there at the next run.
 */
export const PRUNE_BATCHES_PER_ENDPOINT = 20;

/** Endpoints with something due read per page of a round. */
const TARGETS_PER_PAGE = 500;

/**
 * The deliverer's writes (claims, answers, prunes) commit without waiting for the disk (JobOptions): nobody was
 * promised them, and a power cut that loses some means at worst an attempt made again, which at-least-once allows.
 * A commit each would otherwise wait for an fsync each (on SQLite, on the event loop).
 */
const LAX = { durable: false };

/** Answers that come within this many milliseconds of the first are written in one job (one commit). */
const RECORD_GATHER_MS = 5;

/** A claim lasts this many attempt timeouts: an attempt cut by a crash is tried again once its claim lapses. */
const CLAIM_TIMEOUTS = 2;

/**
 * Requests first: while at least this many HTTP requests are being answered at once (the collector is saturated),
 * an endpoint's pump claims at most once per BUSY_CLAIM_PAUSE_MS (at most SOCKETS_PER_ORIGIN deliveries in that time),
 * so deliveries take a small share of the event loop until the load falls, then catch up.
 */
export const BUSY_REQUESTS = 16;
export const BUSY_CLAIM_PAUSE_MS = 250;

/**
 * The collector counts as saturated for this long after it was last seen so: under a steady load the requests under
 * way dip below BUSY_REQUESTS for moments between answers, and a deliverer that went full speed in each dip would take
 * the event loop from the load it is meant to give way to.
 */
export const BUSY_HOLD_MS = 1_000;

/**
 * While the collector is saturated, the queued changes are turned into deliveries at most this many per
 * BUSY_CLAIM_PAUSE_MS (40 changes a second, about 120 events: what three endpoints' pumps then send), the rest once
 * the load falls. More would only make deliveries that wait for the load to fall anyway: each costs the event loop
 * its insert and its share of a commit (a batch of 100, about 25 µs of every conversion at the bench's load).
 */
export const BUSY_EXPAND_BATCH = 10;

export class Deliverer {
  private timer: NodeJS.Timeout | undefined;
  /** the round's read of the endpoints with something due, and whether a call came during it */
  private reading: Promise<Array<Promise<number>>> | undefined;
  private reread = false;
  /** the expansion of the queued changes under way, whether a call came during it, and when its last batch ran */
  private expanding: Promise<number> | undefined;
  private reexpand = false;
  private expandedAt = -Infinity;
  /** when the collector was last seen saturated (the injected clock) */
  private busyAt = -Infinity;
  private wakeQueued = false;
  /** when the last round began (real time: the pause between rounds while saturated) */
  private roundAt = -Infinity;
  private stopping = false;
  /** one pump per endpoint with work under way: `again` when it was woken meanwhile; `target` its latest row */
  private readonly pumps = new Map<number, { again: boolean; target: DeliveryTarget; done: Promise<number> }>();
  /** attempts under way per endpoint */
  private readonly inFlight = new Map<number, number>();
  /** endpoints an answer disabled during their pump (410, or 5 days failing) */
  private readonly disabled = new Set<number>();
  /** when the last prune started (the injected clock), and the one under way */
  private prunedAt = -Infinity;
  private pruning: Promise<number> | undefined;
  /** per endpoint, the delivery id the prune goes on after when its last run ran out of batches */
  private readonly pruneFrom = new Map<number, number>();

  /** the HTTP exchanges, signed and made on a thread of their own (sender.ts) */
  private readonly sender: Sender;
  /** how many HTTP requests are being answered now (server.ts tells; none known: never busy) */
  private requestsUnderWay: () => number = () => 0;
  /** answers waiting for their job (record) */
  private answers: Array<{ write: () => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];
  /** the opened secrets of each endpoint, while its sealed ones are the same (opening costs ~45 us an attempt) */
  private readonly secrets = new Map<number, { sealed: string; previous: string | null; opened: { current: string; previous: string | null } | null }>();

  constructor(private readonly deps: DelivererDeps, private readonly random: () => number = Math.random) {
    this.sender = new Sender({ allowPrivate: deps.config.webhooks.allowPrivate });
  }

  /** How the deliverer knows the collector is saturated (server.ts: the requests not answered yet). */
  watchRequests(underWay: () => number): void {
    this.requestsUnderWay = underWay;
  }

  /** Whether the collector is saturated: BUSY_REQUESTS under way now, or within the last BUSY_HOLD_MS (the injected clock). */
  saturated(): boolean {
    const at = this.deps.now().getTime();
    if (this.requestsUnderWay() >= BUSY_REQUESTS) this.busyAt = at;
    return at - this.busyAt < BUSY_HOLD_MS;
  }

  /** Starts the background deliveries: claims left by a stopped SQLite collector are given back first. */
  async start(): Promise<void> {
    if (this.timer) return;
    const { q, queue, store, now } = this.deps;
    // One collector writes a SQLite file: a claim under way there was this process's predecessor's.
    if (store.engine === 'sqlite') await queue.run(() => q.webhooks.releaseAllClaims(now().toISOString()), LAX);
    // Bound to this context: `published` calls it from inside a job, whose async context (on PostgreSQL the job's
    // client, handed out by AsyncLocalStorage) would otherwise carry into every claim this round makes, nesting them as
    // savepoints of a transaction that has already committed.
    const wake = AsyncResource.bind(() => this.wake());
    q.webhooks.onPublished(wake);
    store.onDeliveries?.(wake);
    this.timer = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due deliveries soon, without waiting for them. */
  wake(): void {
    if (this.stopping || this.wakeQueued) return;
    // Every wake-up of one turn of the event loop (a burst of committed jobs) is one round; while the collector is
    // saturated, at most one round per BUSY_CLAIM_PAUSE_MS (each commit wakes it, and a round's reads are a few
    // queries: on PostgreSQL round trips, a commit each).
    this.wakeQueued = true;
    const round = () => {
      this.wakeQueued = false;
      this.roundAt = Date.now();
      this.wakeNow();
    };
    const wait = this.saturated() ? this.roundAt + BUSY_CLAIM_PAUSE_MS - Date.now() : 0;
    if (wait > 0) setTimeout(round, wait).unref();
    else setImmediate(round);
  }

  private wakeNow(): void {
    if (this.stopping) return;
    // Nothing waits for the pumps here: a pump that goes on under steady traffic must not gather a waiter per wake-up.
    const pumpsAgain = () => { this.startPumps().catch((err: unknown) => this.deps.logger.error({ err }, 'webhook deliveries failed; trying again')); };
    this.expandQueued(pumpsAgain).catch((err: unknown) => this.deps.logger.error({ err }, 'queued webhook events could not be expanded; trying again'));
    this.startPumps().catch((err: unknown) => this.deps.logger.error({ err }, 'webhook deliveries failed; trying again'));
    this.pruneIfDue()?.catch((err: unknown) => this.deps.logger.error({ err }, 'pruning old webhook deliveries failed; trying again in an hour'));
  }

  /**
   * The changes queued in the outbox turned into their deliveries, batch by batch (each a job), `onBatch` called after
   * each batch that wrote some (a round's: the pumps started); one run at a time, a call during it makes it look once
   * more. While the collector is saturated, one batch of BUSY_EXPAND_BATCH per BUSY_CLAIM_PAUSE_MS: requests first, as
   * the claims. Rows another process is taking (PostgreSQL) are skipped: that process delivers them. Answers how many
   * changes this run expanded.
   */
  private expandQueued(onBatch?: () => void): Promise<number> {
    if (this.expanding) {
      this.reexpand = true;
      return this.expanding;
    }
    const { q, rq, queue } = this.deps;
    this.expanding = (async () => {
      let changes = 0;
      do {
        this.reexpand = false;
        while (!this.stopping && await rq.webhooks.hasQueued()) {
          const busy = this.saturated();
          const wait = this.expandedAt + BUSY_CLAIM_PAUSE_MS - Date.now();
          if (busy && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
          if (this.stopping) break;
          const limit = busy ? BUSY_EXPAND_BATCH : EXPAND_BATCH;
          this.expandedAt = Date.now();
          const done = await queue.run(() => q.webhooks.expand(limit), EXPAND_JOB);
          changes += done.changes;
          if (done.deliveries > 0) onBatch?.();
          if (done.changes < limit) break;
        }
      } while (this.reexpand && !this.stopping);
      return changes;
    })().finally(() => { this.expanding = undefined; });
    return this.expanding;
  }

  /**
   * Deletes finished deliveries idle for KEEP_FINISHED_DAYS (and their attempts) when the last prune started an hour
   * ago or more by the injected clock: answers how many deliveries, or null when it is not due (or already under way).
   */
  pruneIfDue(): Promise<number> | null {
    const at = this.deps.now();
    if (this.pruning || this.stopping || at.getTime() - this.prunedAt < PRUNE_INTERVAL_MS) return null;
    this.prunedAt = at.getTime();
    this.pruning = this.prune(daysBefore(at, KEEP_FINISHED_DAYS)).finally(() => { this.pruning = undefined; });
    return this.pruning;
  }

  /** Every endpoint's finished deliveries idle since before `cutoff`, batch by batch, each batch a job of its own. */
  private async prune(cutoff: string): Promise<number> {
    const { q, rq, queue } = this.deps;
    let deleted = 0;
    for (let after = 0; !this.stopping;) {
      const page: PruneTarget[] = await rq.webhooks.pruneTargets(after);
      for (const target of page) {
        let from = this.pruneFrom.get(target.id) ?? 0;
        this.pruneFrom.delete(target.id);
        if (!await rq.webhooks.hasPrunable(target, from, cutoff)) continue;
        for (let batch = 0; !this.stopping; batch++) {
          if (batch === PRUNE_BATCHES_PER_ENDPOINT) {
            this.pruneFrom.set(target.id, from);
            break;
          }
          const done = await queue.run(() => q.webhooks.pruneBatch(target, from, cutoff, PRUNE_BATCH), LAX);
          deleted += done.deleted;
          if (done.last === null) break;
          from = done.last;
        }
      }
      if (page.length === 0) break;
      after = page.at(-1)!.id;
    }
    return deleted;
  }

  /**
   * Every enabled endpoint's due deliveries at the injected clock's now (the queued changes expanded first), attempted
   * once each: resolves when their answers are written, with how many attempts were made. An endpoint's pump already under way goes on with what came
   * due meanwhile; one endpoint's slow answers never hold up another's.
   */
  deliverDue(): Promise<number> {
    return this.expandQueued().then(() => this.startPumps()).then(async (pumps) => (await Promise.all(pumps)).reduce((a, b) => a + b, 0));
  }

  /**
   * The pumps of every endpoint with something due, started (or told to look again). Reading which endpoints have
   * something due is shared by the calls made meanwhile (one more read after it, when one came).
   */
  private startPumps(): Promise<Array<Promise<number>>> {
    if (this.reading) this.reread = true;
    else {
      this.reading = (async () => {
        const pumps: Array<Promise<number>> = [];
        do {
          this.reread = false;
          const at = this.deps.now().toISOString();
          for (let after = 0; !this.stopping;) {
            const page = await this.deps.rq.webhooks.dueTargets(at, after, TARGETS_PER_PAGE);
            pumps.push(...page.map((t) => this.pump(t)));
            if (page.length < TARGETS_PER_PAGE) break;
            after = page.at(-1)!.id;
          }
        } while (this.reread && !this.stopping);
        return pumps;
      })().finally(() => { this.reading = undefined; });
    }
    return this.reading;
  }

  /** No more rounds; attempts under way are cut and their claims given back. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sender.abort();
    await Promise.all([this.expanding, this.reading, this.pruning, ...[...this.pumps.values()].map((p) => p.done)].map((p) => p?.catch(() => undefined)));
    await this.sender.close();
  }

  /** The endpoint's pump: started, or told to look again when it is already under way. */
  private pump(target: DeliveryTarget): Promise<number> {
    const running = this.pumps.get(target.id);
    if (running) {
      // It goes on with what came due (counted by the call that started it); this call waits for it too.
      running.again = true;
      running.target = target;
      return running.done.then(() => 0, () => 0);
    }
    this.disabled.delete(target.id);
    const state = { again: false, target, done: Promise.resolve(0) };
    state.done = (async () => {
      let attempts = 0;
      try {
        do {
          state.again = false;
          attempts += await this.drain(state.target);
        } while (state.again && !this.stopping && !this.disabled.has(target.id));
      } finally {
        this.pumps.delete(target.id);
      }
      return attempts;
    })();
    this.pumps.set(target.id, state);
    return state.done;
  }

  /** The endpoint's due deliveries, claimed and sent with at most SOCKETS_PER_ORIGIN under way at once. */
  private async drain(target: DeliveryTarget): Promise<number> {
    const { q, rq, queue, config, now } = this.deps;
    let attempts = 0;
    // Attempts whose answer has not come (each holds a socket), and those whose answer is not written yet.
    const sending = new Set<Promise<void>>();
    const recording = new Set<Promise<void>>();
    while (!this.stopping && !this.disabled.has(target.id)) {
      const free = SOCKETS_PER_ORIGIN - (this.inFlight.get(target.id) ?? 0);
      if (free > 0) {
        if (this.saturated()) await new Promise((resolve) => setTimeout(resolve, BUSY_CLAIM_PAUSE_MS).unref());
        if (this.stopping) break;
        const at = now();
        const claimed = await rq.webhooks.hasDue(target.id, at.toISOString())
          ? await queue.run(() => q.webhooks.claimDue(target, at.toISOString(),
            new Date(at.getTime() + CLAIM_TIMEOUTS * config.webhooks.timeoutMs).toISOString(), free), LAX)
          : [];
        for (const delivery of claimed) {
          attempts++;
          this.inFlight.set(target.id, (this.inFlight.get(target.id) ?? 0) + 1);
          let answered!: () => void;
          const sent = new Promise<void>((resolve) => { answered = resolve; });
          const socketFree = () => {
            if (!sending.delete(sent)) return;
            this.inFlight.set(target.id, this.inFlight.get(target.id)! - 1);
            answered();
          };
          sending.add(sent);
          const p: Promise<void> = this.attempt(target, delivery, socketFree)
            .catch((err: unknown) => this.deps.logger.error({ err, endpoint_id: target.id }, 'webhook attempt could not be recorded'))
            .finally(() => {
              socketFree();
              recording.delete(p);
            });
          recording.add(p);
        }
        if (claimed.length === 0 && sending.size === 0) break;
        if (claimed.length === 0) {
          await Promise.race(sending);
          continue;
        }
      }
      // Claim again once half the sockets are free (or nothing is under way), not per answer: fewer claim jobs.
      while (sending.size > 0 && SOCKETS_PER_ORIGIN - (this.inFlight.get(target.id) ?? 0) < SOCKETS_PER_ORIGIN / 2) await Promise.race(sending);
    }
    await Promise.all(recording);
    return attempts;
  }

  /**
   * One attempt of one delivery, and its answer written: `answered` is called once the answer came (its socket is
   * free for the next attempt while the answer waits for its job).
   */
  private async attempt(target: DeliveryTarget, d: ClaimedDelivery, answered: () => void): Promise<void> {
    const { q, queue, masterKey, now, logger } = this.deps;
    const startedAt = now();
    const webhookTimestamp = Math.floor(startedAt.getTime() / 1000);
    const answer = await this.send(target, d, this.secretsOf(target, startedAt, masterKey), webhookTimestamp);
    // The socket is free for the next attempt now, unless this answer may disable the endpoint (a 410; a failure once
    // it has failed for 5 days): then only once that is written, so no claim is made for it meanwhile.
    if (!this.mayDisable(target, answer, startedAt)) answered();
    else if (answer.statusCode === 410) this.disabled.add(target.id);
    if (this.stopping && !answer.delivered && answer.statusCode === null) {
      // Cut by the shutdown: not the receiver's failure. The claim is given back, due at once for the next start.
      await queue.run(() => q.webhooks.releaseClaim(d.id, d.attempts, now().toISOString()), LAX);
      return;
    }
    const finishedAt = now();
    const next = answer.delivered ? null : nextAttemptAt(d.attempts, finishedAt, this.random());
    const disabled = await this.record(async () => {
      await q.webhooks.recordAttempt({
        deliveryId: d.id, brandId: d.brandId, attempt: d.attempts, webhookTimestamp, startedAt: startedAt.toISOString(),
        durationMs: answer.durationMs, statusCode: answer.statusCode, error: answer.error, responseBody: answer.responseBody,
        outcome: answer.delivered ? 'delivered' : 'failed',
        status: answer.delivered ? 'delivered' : next ? 'pending' : 'failed', nextAttemptAt: next?.toISOString() ?? null,
      }, finishedAt.toISOString());
      return this.endpointAfter(target, answer, startedAt);
    });
    if (disabled) {
      logger.warn({ endpoint_id: target.id, brand_id: target.brandId, reason: disabled, status: answer.statusCode },
        disabled === 'gone' ? 'webhook endpoint disabled: it answered 410 Gone' : 'webhook endpoint disabled: every attempt failed for 5 days');
    }
  }

  /**
   * An answer's writes, in one job with the other answers (of every endpoint) that came within RECORD_GATHER_MS, each
   * in a savepoint of its own so that one that fails fails alone; settled once that job committed. A job per answer
   * would be a commit per answer.
   */
  private record<T>(write: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.answers.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.answers.length === 1) setTimeout(() => this.writeAnswers(), RECORD_GATHER_MS);
    });
  }

  private writeAnswers(): void {
    const answers = this.answers;
    this.answers = [];
    const { queue, store } = this.deps;
    queue.run(async () => {
      const outcomes: Array<{ ok: boolean; value: unknown }> = [];
      for (const a of answers) {
        try {
          outcomes.push({ ok: true, value: await store.db.transaction(a.write) });
        } catch (error) {
          // A deadlock or serialization failure (PostgreSQL) is the whole job's to retry, every answer again.
          if (queue.retries(error)) throw error;
          outcomes.push({ ok: false, value: error });
        }
      }
      return outcomes;
    }, LAX).then(
      (outcomes) => answers.forEach((a, i) => (outcomes[i]!.ok ? a.resolve(outcomes[i]!.value) : a.reject(outcomes[i]!.value))),
      (error: unknown) => { for (const a of answers) a.reject(error); });
  }

  /**
   * One attempt's exchange, never throwing: a secret the master key cannot open (the database moved without its
   * master.key) sends nothing, and anything that throws is a failed attempt with its message, so the delivery follows
   * the schedule and the endpoint's failing days count, instead of its claim lapsing again and again unrecorded.
   */
  private async send(target: DeliveryTarget, d: ClaimedDelivery, secrets: string[] | null, webhookTimestamp: number): Promise<AttemptAnswer> {
    if (!secrets) return notSent('the signing secret cannot be unsealed with this master key');
    return this.sender.send({
      endpointId: target.id, url: target.url, secrets, eventId: d.eventId, webhookTimestamp, payload: d.payload, timeoutMs: this.deps.config.webhooks.timeoutMs,
    });
  }

  /**
   * The secrets an attempt at `at` is signed with (the current one, and a rotated one still valid), or null when the
   * master key opens neither; opened once per endpoint and sealed value.
   */
  private secretsOf(target: DeliveryTarget, at: Date, masterKey: Buffer): string[] | null {
    let known = this.secrets.get(target.id);
    if (!known || known.sealed !== target.secretSealed || known.previous !== target.previousSecretSealed) {
      let opened: { current: string; previous: string | null } | null;
      try {
        opened = {
          current: decryptSecret(target.secretSealed, masterKey),
          previous: target.previousSecretSealed ? decryptSecret(target.previousSecretSealed, masterKey) : null,
        };
      } catch {
        opened = null;
      }
      known = { sealed: target.secretSealed, previous: target.previousSecretSealed, opened };
      this.secrets.set(target.id, known);
    }
    if (!known.opened) return null;
    const valid = known.opened.previous !== null && target.previousSecretExpiresAt !== null && target.previousSecretExpiresAt > at.toISOString();
    return valid ? [known.opened.current, known.opened.previous!] : [known.opened.current];
  }

  /** Whether this answer can disable the endpoint (endpointAfter): a 410, or a failure 5 days after the first one. */
  private mayDisable(target: DeliveryTarget, answer: AttemptAnswer, startedAt: Date): boolean {
    if (answer.delivered) return false;
    if (answer.statusCode === 410) return true;
    return target.failingSince !== null && target.failingSince <= new Date(startedAt.getTime() - FAILING_DISABLE_MS).toISOString();
  }

  /** What an answer does to its endpoint (inside the answer's job): answers why it was disabled, if it was. */
  private async endpointAfter(target: DeliveryTarget, answer: AttemptAnswer, startedAt: Date): Promise<'gone' | 'failing' | null> {
    const { q } = this.deps;
    if (answer.delivered) {
      // Always: another process may have marked it failing since this pump read it.
      await q.webhooks.markHealthy(target.id);
      target.failingSince = null;
      return null;
    }
    let why: 'gone' | 'failing' | null = null;
    if (answer.statusCode === 410) {
      if (await q.webhooks.disable(target.id, 'gone', startedAt.toISOString())) why = 'gone';
    } else {
      await q.webhooks.markFailing(target.id, startedAt.toISOString());
      target.failingSince ??= startedAt.toISOString();
      const cutoff = new Date(startedAt.getTime() - FAILING_DISABLE_MS).toISOString();
      if (await q.webhooks.disableIfFailingSince(target.id, cutoff, startedAt.toISOString())) why = 'failing';
    }
    if (why) this.disabled.add(target.id);
    return why;
  }
}
