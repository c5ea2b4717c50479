// Settling due rewards in the collector: batch by batch, each batch its own commit-queue job, for a brand before
// a management request reads it (settle-on-read) and for every brand in a periodic background sweep.
import type { Logger } from 'pino';
import type { Brand } from '../db/brands.ts';
import type { WriteQueue } from '../db/port.ts';
import type { Queries } from '../db/queries.ts';
import { SETTLE_BATCH, settleDueBatch } from '../services/commissions.ts';
import { PeriodicSweep } from './sweep.ts';

export interface SettlementDeps {
  /** the write connection's queries: batches run there, inside the commit queue */
  q: Queries;
  /** the read connection's queries: "is anything due?" is asked there, without a job when nothing is */
  rq: Queries;
  queue: WriteQueue;
  now: () => Date;
  logger: Logger;
}

/**
 * What one settling of a brand approved: how many, and the first ids (at most `keep`), oldest due first;
 * `remaining`: rewards were still due after the batches the caller may wait for (they go on in the background).
 */
export interface Settled {
  count: number;
  ids: number[];
  remaining: boolean;
}

/** How often the background sweep looks for due rewards. */
export const SWEEP_INTERVAL_MS = 60_000;

/**
 * The most batches one request waits for (1,000 rewards, tens of ms): a longer backlog (a collector that was down
 * for days) is settled on in the background, and the request is told so (http/manage.ts: a 503 to retry) instead
 * of waiting for all of it (105,000 due rewards took 22-32 s).
 */
export const SETTLE_WAIT_BATCHES = 40;

export class Settlement {
  /** The batch a brand is settling now: concurrent requests of the brand wait for it instead of adding their own. */
  private readonly running = new Map<string, Promise<number[]>>();
  /** Backlogs longer than a request waits for, being settled on in the background, per brand. */
  private readonly draining = new Map<string, Promise<unknown>>();
  /** The sweep over every brand: one at a time (a sweep still under way is the answer to another). */
  private readonly sweeper: PeriodicSweep<number>;

  constructor(private readonly deps: SettlementDeps) {
    this.sweeper = new PeriodicSweep(() => this.sweep(), deps.logger, 'settling due rewards failed');
  }

  /**
   * Brings the brand's rewards up to date at `now`: batches of at most SETTLE_BATCH until nothing is due, each its
   * own job (the loop yields between them, so other requests' jobs and reads run in between). Resolves once every
   * batch has committed, so a read after it sees them. Nothing due: one index probe on the read connection, no job.
   * At most `batches` batches are waited for: if rewards are still due then, the rest is settled in the background
   * (one drain per brand) and the answer says `remaining`.
   */
  async settleBrand(brand: Brand, now: Date, keep = 0, batches = Infinity): Promise<Settled> {
    const settled: Settled = { count: 0, ids: [], remaining: false };
    const at = now.toISOString();
    for (let waited = 0; await this.deps.rq.rewards.hasDue(brand.id, at); waited++) {
      if (waited >= batches) {
        settled.remaining = true;
        this.drain(brand, now);
        break;
      }
      // A batch of another request may be under way (perhaps at an earlier clock): wait for it, then ask again.
      const joined = this.running.get(brand.id);
      const ids = await (joined ?? this.runBatch(brand, now));
      settled.count += ids.length;
      settled.ids.push(...ids.slice(0, Math.max(0, keep - settled.ids.length)));
      if (!joined && ids.length === 0) break;
    }
    return settled;
  }

  /** Settles the brand's whole backlog in the background, batch by batch (a drain under way is left to finish). */
  private drain(brand: Brand, now: Date): void {
    if (this.draining.has(brand.id)) return;
    const drained = this.settleBrand(brand, now)
      .catch((err: unknown) => this.deps.logger.error({ err, brand: brand.id }, 'settling due rewards failed'))
      .finally(() => this.draining.delete(brand.id));
    this.draining.set(brand.id, drained);
  }

  /** Resolves once no background drain is under way (tests; stop). */
  async drained(): Promise<void> {
    while (this.draining.size > 0) await Promise.all(this.draining.values());
  }

  private runBatch(brand: Brand, now: Date): Promise<number[]> {
    const batch = this.deps.queue.run(() => settleDueBatch({ q: this.deps.q, brand, now }, SETTLE_BATCH))
      .finally(() => this.running.delete(brand.id));
    this.running.set(brand.id, batch);
    return batch;
  }

  /** One sweep over every brand with a due backlog, at the injected clock's now; answers how many were approved. */
  sweepOnce(): Promise<number> {
    return this.sweeper.once();
  }

  private async sweep(): Promise<number> {
    const now = this.deps.now();
    let count = 0;
    for (const brandId of await this.deps.rq.rewards.brandsWithDue(now.toISOString())) {
      const brand = await this.deps.rq.brands.getBrand(brandId);
      if (brand) count += (await this.settleBrand(brand, now)).count;
    }
    return count;
  }

  /** Sweeps every `intervalMs` (the timer does not keep the process alive); a failed sweep is logged and retried. */
  start(intervalMs = SWEEP_INTERVAL_MS): void {
    this.sweeper.start(intervalMs);
  }

  /** Stops the timer and waits for a sweep or drain under way, so its last batch commits before the database closes. */
  async stop(): Promise<void> {
    await this.sweeper.stop();
    await this.drained();
  }
}
