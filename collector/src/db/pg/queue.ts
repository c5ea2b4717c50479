// The write queue on PostgreSQL: each job is its own transaction on a pooled client (jobs of one process run side by
// side, as those of several processes do), retried from the start when another transaction got there first.
import type { JobOptions, WriteQueue } from '../port.ts';
import { RETRYABLE, type PgConn } from './conn.ts';

/**
 * How often a job is tried in all. A retry happens after a unique violation (a concurrent job inserted the same
 * order_id, Idempotency-Key, refund_id...: the next attempt's look-up finds that row and answers as for a repeat), a
 * deadlock or a serialization failure; each attempt starts a new transaction, so it sees what the other committed.
 */
export const PG_JOB_ATTEMPTS = 5;

const code = (error: unknown): string | undefined => (error as { code?: unknown } | null)?.code as string | undefined;

export class PgQueue implements WriteQueue {
  private inFlight = new Set<Promise<unknown>>();

  /** A non-durable job's transaction commits without waiting for the WAL's flush (JobOptions). */
  private readonly lax;

  constructor(private readonly conn: PgConn) {
    this.lax = conn.prepare(`SELECT set_config('synchronous_commit', 'off', true)`);
  }

  run<T>(fn: () => T | Promise<T>, opts: JobOptions = {}): Promise<T> {
    const durable = opts.durable ?? true;
    const job = this.attempt(durable ? fn : async () => { await this.lax.run(); return fn(); }, 1);
    this.inFlight.add(job);
    const done = () => { this.inFlight.delete(job); };
    job.then(done, done);
    return job;
  }

  private async attempt<T>(fn: () => T | Promise<T>, n: number): Promise<T> {
    try {
      return await this.conn.transaction(async () => await fn());
    } catch (error) {
      const c = code(error);
      if (c === undefined || !RETRYABLE.has(c) || n >= PG_JOB_ATTEMPTS) throw error;
      // A few milliseconds, growing and jittered, so that two jobs that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * n));
      return this.attempt(fn, n + 1);
    }
  }

  retries(error: unknown): boolean {
    const c = code(error);
    return c !== undefined && RETRYABLE.has(c);
  }

  async drained(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
