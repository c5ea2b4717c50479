// Group commit: write jobs queued in one turn of the event loop share one transaction and one fsync.
import { ApiError } from '../errors.ts';
import type Database from 'better-sqlite3';
import { databaseFileProblem, type Db } from './open.ts';
import type { JobOptions, WriteQueue } from './port.ts';

interface Job {
  fn: () => unknown;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** SQLITE_BUSY and its extended codes: another process (the CLI) holds the write lock. */
export const isBusyError = (error: unknown): boolean =>
  typeof (error as { code?: unknown } | null)?.code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');

/** What a job gets when the database stayed locked by another process for the whole retry budget. */
export const databaseBusy = (): ApiError =>
  new ApiError(503, 'database_busy', 'The database is busy with another process (such as a referloop command); retry shortly');

/** What a job gets when the database file was deleted or replaced under the running collector. */
const databaseGone = (reason: string): ApiError =>
  new ApiError(503, 'database_unavailable', `The collector's database is unavailable (${reason}); its operator must restart it`);

/**
 * Waits between attempts at a batch whose BEGIN found the database locked: short at first (another process's
 * transaction usually lasts milliseconds), then every 250 ms, about 15 s in all before the batch gets a 503.
 */
export const BUSY_RETRY_DELAYS_MS: readonly number[] = [5, 10, 20, 40, 80, 160, ...Array<number>(58).fill(250)];

export interface CommitQueueOptions {
  retryDelaysMs?: readonly number[];
  /** how a retry is scheduled (tests run it by hand); default setTimeout */
  schedule?: (fn: () => void, ms: number) => void;
}

/**
 * With synchronous=FULL every COMMIT waits for the disk. Running each queued job in its own SAVEPOINT
 * inside one shared transaction keeps jobs isolated (a job that throws rolls back alone) while the batch
 * pays for one fsync. Promises settle only after COMMIT returned: a 2xx is never answered before that.
 * Jobs run one after another on the single connection, so a job sees every write of the jobs before it.
 * A job may be asynchronous, but it awaits only the storage port, whose SQLite statements are settled at once
 * (db/sqlite/conn.ts): the batch runs from BEGIN to COMMIT without giving the event loop a turn, so nothing else
 * runs a statement on this connection in between.
 *
 * The batch transaction is BEGIN IMMEDIATE: it takes the write lock before its first read, so it never has
 * to upgrade a read snapshot that another process's commit made stale (which fails at once, whatever
 * busy_timeout says). When another process holds the lock, the connection's short busy_timeout expires and
 * the whole batch is tried again later from a timer, never by blocking the event loop; jobs queued meanwhile
 * join it, in order.
 */
export class CommitQueue implements WriteQueue {
  private pending: Job[] = [];
  private scheduled = false;
  private busyAttempts = 0;
  /** the connection's synchronous level: FULL as opened (db/open.ts), NORMAL for a batch of non-durable jobs only */
  private level: 'FULL' | 'NORMAL' = 'FULL';
  private idle: Array<() => void> = [];
  private readonly retryDelaysMs: readonly number[];
  private readonly schedule: (fn: () => void, ms: number) => void;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackJob: Database.Statement;

  constructor(private readonly db: Db, opts: CommitQueueOptions = {}) {
    this.retryDelaysMs = opts.retryDelaysMs ?? BUSY_RETRY_DELAYS_MS;
    this.schedule = opts.schedule ?? ((fn, ms) => { setTimeout(fn, ms); });
    // Prepared once: a job pays for its SAVEPOINT and RELEASE, not for parsing them.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT job');
    this.release = db.prepare('RELEASE job');
    this.rollbackJob = db.prepare('ROLLBACK TO job');
  }

  run<T>(fn: () => T | Promise<T>, opts: JobOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, durable: opts.durable ?? true, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** SQLite's lock is met at BEGIN, before any job runs (the whole batch is tried again), never inside a job. */
  retries(): boolean {
    return false;
  }

  /** Resolves once every queued job has been committed (graceful shutdown). */
  drained(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** After BEGIN IMMEDIATE: each job in its savepoint, COMMIT; a job that throws is rolled back to its savepoint alone. */
  private async runBatch(jobs: Job[]): Promise<Array<{ ok: boolean; value: unknown }>> {
    try {
      const outcomes: Array<{ ok: boolean; value: unknown }> = [];
      for (const job of jobs) {
        this.savepoint.run();
        try {
          const value = await job.fn();
          this.release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.rollbackJob.run();
          this.release.run();
          outcomes.push({ ok: false, value: error });
        }
      }
      this.commit.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }

  private flush(): void {
    const jobs = this.pending;
    this.pending = [];
    const failAll = (failure: unknown) => this.settle(jobs, jobs.map(() => ({ ok: false, value: failure })));
    // A commit into a deleted (or replaced) file would answer 2xx for data no later start can read: one
    // stat per batch, not per job.
    const gone = databaseFileProblem(this.db);
    if (gone) {
      failAll(databaseGone(gone));
      return;
    }
    // BEGIN IMMEDIATE (or COMMIT) found the lock taken: nothing of the batch was kept, so it can run again. The retry
    // is scheduled at once when BEGIN fails (synchronously, as the lock is met).
    const retryOrFail = (error: unknown) => {
      if (isBusyError(error) && this.busyAttempts < this.retryDelaysMs.length) {
        this.pending = jobs.concat(this.pending);
        this.schedule(() => this.flush(), this.retryDelaysMs[this.busyAttempts++]!);
        return;
      }
      failAll(isBusyError(error) ? databaseBusy() : error);
    };
    try {
      // Durable when any of its jobs is: a job that must survive a power cut never shares a lax commit. The level is
      // set before BEGIN (SQLite refuses to change it inside a transaction) whenever the batch needs the other one, so
      // a durable batch always commits at FULL, whatever an earlier batch did. (By db.pragma each time: SQLite applies
      // a PRAGMA when it is prepared, so a statement prepared once would not set it again.)
      const level = jobs.some((job) => job.durable) ? 'FULL' : 'NORMAL';
      if (level !== this.level) {
        this.db.pragma(`synchronous = ${level}`);
        this.level = level;
      }
      this.begin.run();
    } catch (error) {
      retryOrFail(error);
      return;
    }
    // Between batches the connection is at FULL again, for any write made outside the queue (a one-off transaction at
    // start-up); should that fail, the next durable batch sets FULL before its BEGIN anyway.
    const settled = () => {
      if (this.level === 'FULL') return;
      try {
        this.db.pragma('synchronous = FULL');
        this.level = 'FULL';
      } catch {
        // (left at NORMAL: see above)
      }
    };
    this.runBatch(jobs).then(
      (outcomes) => { settled(); this.settle(jobs, outcomes); },
      (error: unknown) => { settled(); retryOrFail(error); });
  }

  private settle(jobs: Job[], outcomes: Array<{ ok: boolean; value: unknown }>): void {
    this.busyAttempts = 0;
    this.scheduled = false;
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.value);
    });
    this.afterFlush();
  }

  /** Jobs queued while the batch ran (or waited) go next; then anyone waiting for the queue to drain. */
  private afterFlush(): void {
    if (this.pending.length) {
      this.scheduled = true;
      setImmediate(() => this.flush());
      return;
    }
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
