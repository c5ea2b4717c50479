// Group commit: write jobs queued in one turn of the event loop share one transaction and one fsync.
import type { Db } from './open.ts';

interface Job {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * With synchronous=FULL every COMMIT waits for the disk. Running each queued job in its own SAVEPOINT
 * inside one shared transaction keeps jobs isolated (a job that throws rolls back alone) while the batch
 * pays for one fsync. Promises settle only after COMMIT returned: a 2xx is never answered before that.
 * Jobs run one after another on the single connection, so a job sees every write of the jobs before it.
 */
export class CommitQueue {
  private pending: Job[] = [];
  private scheduled = false;
  private idle: Array<() => void> = [];

  /** Built once, not per flush and per job: each db.transaction() call makes four new wrapper functions. */
  private readonly runBatch: (jobs: Job[]) => Array<{ ok: boolean; value: unknown }>;

  constructor(db: Db) {
    // Called inside runBatch's BEGIN, this runs as a SAVEPOINT: a job that throws rolls back alone.
    const runIsolated = db.transaction((fn: () => unknown) => fn());
    this.runBatch = db.transaction((jobs: Job[]) => jobs.map((job) => {
      try {
        return { ok: true, value: runIsolated(job.fn) };
      } catch (error) {
        return { ok: false, value: error };
      }
    }));
  }

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once every queued job has been committed (graceful shutdown). */
  drained(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.pending;
    this.pending = [];
    let outcomes: Array<{ ok: boolean; value: unknown }>;
    try {
      outcomes = this.runBatch(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      this.settleIdle();
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.value);
    });
    this.settleIdle();
  }

  private settleIdle(): void {
    if (this.scheduled) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
