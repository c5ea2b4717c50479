// express-rate-limit's Store on the PostgreSQL pool: the budgets are shared by every collector process on the database
// (each in-memory store would give a client one budget per process behind the load balancer).
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type pg from 'pg';

/** The server's clock in ms: every process counts windows on the same clock. */
const NOW = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

// One statement per request: a new window when the row's has ended, else one more hit in it.
const INCREMENT = `INSERT INTO rate_limits AS r (key, hits, reset_at) VALUES ($1, 1, ${NOW} + $2)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN r.reset_at <= ${NOW} THEN 1 ELSE r.hits + 1 END,
    reset_at = CASE WHEN r.reset_at <= ${NOW} THEN ${NOW} + $2 ELSE r.reset_at END
  RETURNING hits, reset_at`;

/** How often a process deletes the counters whose window has ended (any process may: the rows are shared). */
const SWEEP_MS = 60_000;

export class PgRateLimitStore implements Store {
  localKeys = false;
  private windowMs = 60_000;
  private sweptAt = Date.now();

  constructor(private readonly pool: pg.Pool, readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key = (key: string) => `${this.prefix}${key}`;

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const r = await this.pool.query<{ hits: number; reset_at: number }>(
      `SELECT hits, reset_at FROM rate_limits WHERE key = $1 AND reset_at > ${NOW}`, [this.key(key)]);
    const row = r.rows[0];
    return row && { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    this.sweep();
    const r = await this.pool.query<{ hits: number; reset_at: number }>(INCREMENT, [this.key(key), this.windowMs]);
    const row = r.rows[0]!;
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.pool.query('UPDATE rate_limits SET hits = greatest(hits - 1, 0) WHERE key = $1', [this.key(key)]);
  }

  async resetKey(key: string): Promise<void> {
    await this.pool.query('DELETE FROM rate_limits WHERE key = $1', [this.key(key)]);
  }

  /** Ended windows are deleted now and then, off the request's path (a failure only leaves them for the next sweep). */
  private sweep(): void {
    if (Date.now() - this.sweptAt < SWEEP_MS) return;
    this.sweptAt = Date.now();
    this.pool.query(`DELETE FROM rate_limits WHERE reset_at <= ${NOW}`).catch(() => {});
  }
}
