// The storage port: what the query modules are written against, implemented once per engine (db/sqlite, db/pg).
// SQL is written once, in the placeholders SQLite understands (`?` and `@name`); an engine that needs others
// (PostgreSQL's `$1`) converts a statement once, when it is prepared. Where the dialects differ, a statement gives
// both texts.

export type Dialect = 'sqlite' | 'pg';

/** One SQL text for both engines, or one per engine where they differ. */
export type Sql = string | { readonly sqlite: string; readonly pg: string };

export interface RunResult {
  /** rows inserted, updated or deleted */
  changes: number;
  /** the id of the last row an INSERT wrote into a table with an `id` column (0 when it wrote none) */
  lastInsertRowid: number;
}

/**
 * A prepared statement. Parameters are positional (`?`), or one object for `@name` placeholders. Integers come back
 * as numbers on both engines (money is integer cents; ids stay below 2^53).
 */
export interface Statement<Row = any> {
  get(...params: unknown[]): Promise<Row | undefined>;
  all(...params: unknown[]): Promise<Row[]>;
  run(...params: unknown[]): Promise<RunResult>;
}

export interface PrepareOptions {
  /** each row is its first column's value, as better-sqlite3's pluck() */
  pluck?: boolean;
}

export interface TransactionOptions {
  /**
   * 'write' (default) takes the write lock at BEGIN on SQLite (BEGIN IMMEDIATE); 'read' is a read-only snapshot for
   * a multi-statement read that must be consistent (REPEATABLE READ READ ONLY on PostgreSQL).
   */
  mode?: 'write' | 'read';
}

/**
 * A connection (SQLite) or a pool (PostgreSQL). Inside `transaction`, every statement of this connection runs in that
 * transaction; a transaction inside a transaction is a savepoint.
 */
export interface Conn {
  readonly dialect: Dialect;
  prepare<Row = any>(sql: Sql, opts?: PrepareOptions): Statement<Row>;
  /** one or more statements without parameters (DDL, PRAGMA, the tests' fixtures) */
  exec(sql: Sql): Promise<void>;
  transaction<T>(fn: () => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * A number that moves when another process may have changed brands or API keys: the key cache (db/brands.ts) is
   * emptied when it does. SQLite: PRAGMA data_version (any other connection's commit); PostgreSQL: the notifications
   * of announceKeyChange, and the clock's second (a change made outside Referloop is seen within a second).
   */
  keyVersion(): Promise<number>;
  /** Tells every other process, at COMMIT, that brands or keys changed (SQLite: nothing to do, data_version moves). */
  announceKeyChange(): Promise<void>;
  /**
   * Tells every collector of the database, at COMMIT, that webhook events were written by a process that delivers
   * none itself (the CLI; Store.onDeliveries); SQLite: nothing to do, the collector finds them within a second.
   */
  announceDeliveries(): Promise<void>;
  close(): Promise<void>;
}

/** One value per engine, built by `f` (a statement's two texts, a list's pieces). */
export const perEngine = <T>(f: (d: Dialect) => T): { sqlite: T; pg: T } => ({ sqlite: f('sqlite'), pg: f('pg') });

/**
 * `column` is one of a JSON array bound as one parameter (`param`: `?` or `@name`): SQLite reads it with json_each,
 * PostgreSQL as an array of `type` (= ANY of an array: one index seek per element, as SQLite's IN).
 */
export const inJson = (d: Dialect, column: string, param: string, type: 'bigint' | 'text'): string => d === 'sqlite'
  ? `${column} IN (SELECT value FROM json_each(${param}))`
  : `${column} = ANY(ARRAY(SELECT json_array_elements_text(${param}::json))::${type}[])`;

/** The text of `sql` for a dialect. */
export const sqlFor = (sql: Sql, dialect: Dialect): string => (typeof sql === 'string' ? sql : sql[dialect]);

export interface JobOptions {
  /**
   * false: the job's commit need not wait for the disk (SQLite: a batch of such jobs only commits with
   * synchronous=NORMAL; PostgreSQL: synchronous_commit off for its transaction). A power cut may then lose it, but
   * never corrupts anything nor reorders it after a later durable commit. Only for what nobody was promised: the
   * webhook deliverer's claims and answers (at worst an attempt is made again, which at-least-once allows), and its
   * expansion of the queued events into deliveries (at worst a queued row is taken again). Default true.
   */
  durable?: boolean;
}

/**
 * Where every write runs: one job is one use case, committed before its promise settles (a 2xx is answered only
 * after that). SQLite: the group commit of db/commitQueue.ts; PostgreSQL: a transaction per job.
 */
export interface WriteQueue {
  run<T>(fn: () => T | Promise<T>, opts?: JobOptions): Promise<T>;
  /** resolves once every job queued so far has settled (graceful shutdown) */
  drained(): Promise<void>;
  /**
   * Whether the queue runs a job again after `error` (PostgreSQL: a deadlock, a serialization failure, a unique
   * violation), so a job that catches errors of its own parts (a savepoint each) must let such an error through.
   */
  retries(error: unknown): boolean;
}
