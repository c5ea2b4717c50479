// The retention sweep, in the background: for every brand with `visit_retention_days`, visits older than that are
// deleted in bounded batches, each its own commit-queue job (other requests' jobs run in between); then the SSO
// sessions past their expiry (POST /sso/recognize hands out one an hour per recognition), batch by batch too.
import type { Logger } from 'pino';
import type { WriteQueue } from '../db/port.ts';
import type { Queries } from '../db/queries.ts';
import { daysBefore } from '../domain/time.ts';
import { PeriodicSweep } from './sweep.ts';

export interface RetentionDeps {
  /** the write connection's queries: batches run there, inside the commit queue */
  q: Queries;
  /** the read connection's queries: "is anything past the window?" is asked there, without a job when nothing is */
  rq: Queries;
  queue: WriteQueue;
  now: () => Date;
  logger: Logger;
}

/**
 * Visits deleted per job. A batch of 500 deletes of a brand's oldest visits (three index entries each, in pages next to
 * each other) costs a few milliseconds of the event loop (see README, "Privacy").
 */
export const RETENTION_BATCH = 500;

/** How often the background sweep looks for visits past their brand's window. */
export const RETENTION_INTERVAL_MS = 60_000;

/**
 * One batch: the brand's `limit` oldest visits by id, of which those created before `cutoff` are deleted. `more` when
 * the whole batch was past the window (the next one may be too); a visit inside the window ends the brand's sweep,
 * since every later id is a later visit.
 */
export async function deleteExpiredBatch(q: Queries, brandId: string, cutoff: string, limit = RETENTION_BATCH): Promise<{ deleted: number; more: boolean }> {
  const rows = await q.retention.oldestVisits(brandId, limit);
  const last = rows.at(-1);
  if (!last) return { deleted: 0, more: false };
  const deleted = await q.retention.deleteExpiredUpTo(brandId, last.id, cutoff);
  return { deleted, more: deleted === rows.length && rows.length === limit };
}

export class Retention {
  private readonly sweep: PeriodicSweep<number>;

  constructor(private readonly deps: RetentionDeps) {
    this.sweep = new PeriodicSweep(() => this.sweepBrands(), deps.logger, 'deleting visits past their retention failed');
  }

  /** Deletes the brand's visits created before `cutoff`, batch after batch; answers how many. */
  /** Deletes the SSO sessions, portal links and portal sessions that expired before `now`, batch after batch; answers how many. */
  async sweepSessions(now: Date, batch = RETENTION_BATCH): Promise<number> {
    const at = now.toISOString();
    let total = 0;
    if (await this.deps.rq.sso.hasExpiredSessions(at)) {
      for (let deleted = batch; deleted >= batch; total += deleted) {
        deleted = await this.deps.queue.run(() => this.deps.q.sso.removeExpiredSessions(at, batch));
      }
    }
    if (!await this.deps.rq.portal.hasExpired(at)) return total;
    for (let deleted = batch; deleted >= batch; total += deleted) {
      // (links and sessions: up to `batch` of each a job)
      deleted = await this.deps.queue.run(() => this.deps.q.portal.removeExpired(at, batch));
    }
    return total;
  }

  async sweepBrand(brandId: string, cutoff: string, batch = RETENTION_BATCH): Promise<number> {
    let total = 0;
    if (!await this.deps.rq.retention.hasExpired(brandId, cutoff)) return total;
    for (;;) {
      const { deleted, more } = await this.deps.queue.run(() => deleteExpiredBatch(this.deps.q, brandId, cutoff, batch));
      total += deleted;
      if (!more) return total;
    }
  }

  /**
   * One sweep at the injected clock's now: every brand with a retention setting, then the expired SSO sessions; answers
   * how many visits were deleted.
   */
  sweepOnce(): Promise<number> {
    return this.sweep.once();
  }

  private async sweepBrands(): Promise<number> {
    const now = this.deps.now();
    let count = 0;
    for (const brand of await this.deps.rq.retention.retainingBrands()) count += await this.sweepBrand(brand.id, daysBefore(now, brand.days));
    await this.sweepSessions(now);
    return count;
  }

  start(intervalMs = RETENTION_INTERVAL_MS): void {
    this.sweep.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }
}
