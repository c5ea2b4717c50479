// The storage port over a pg Pool. Statements are written in SQLite's placeholders and converted once, when prepared
// (`?` -> $1..., `@name` -> $n, camelCase aliases quoted, since PostgreSQL folds unquoted names to lower case); a
// transaction holds one pooled client, which AsyncLocalStorage hands to every statement its function runs.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { sqlFor, type Conn, type PrepareOptions, type RunResult, type Sql, type Statement, type TransactionOptions } from '../port.ts';

/** int8 (ids, cents, counts) and numeric (sum() of int8) as numbers, as SQLite answers them: refused beyond 2^53. */
function toNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw new RangeError(`integer ${text} is beyond 2^53`);
  return n;
}
const toBit = (text: string): number => (text === 't' ? 1 : 0);
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return toNumber;
    // A comparison read as a value (`c.status = 'active' AS codeActive`) is 1 or 0, as SQLite answers it.
    if (oid === pg.types.builtins.BOOL) return toBit;
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

export interface PgText {
  text: string;
  /** `@name` placeholders, in the order of $1, $2...; null for positional ones */
  names: string[] | null;
}

/** Replaces outside quotes and comments; `at` gets each maximal word character run after `@`, or `?`. */
function convert(sql: string): PgText {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < sql.length;) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      out += `$${++positional}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let n = index.get(name);
      if (n === undefined) {
        names.push(name);
        index.set(name, (n = names.length));
      }
      out += `$${n}`;
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error(`a statement mixes ? and @name placeholders: ${sql}`);
  // An alias with capitals keeps them only quoted (PostgreSQL folds unquoted identifiers).
  out = out.replace(/\bAS\s+([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b/g, 'AS "$1"');
  return { text: out, names: names.length > 0 ? names : null };
}

const converted = new Map<string, PgText>();
/** The PostgreSQL text of a statement, converted once per distinct text. */
export function pgText(sql: Sql): PgText {
  const source = sqlFor(sql, 'pg');
  let c = converted.get(source);
  if (!c) converted.set(source, (c = convert(source)));
  return c;
}

interface Scope {
  client: pg.PoolClient;
  savepoints: number;
}

/** Retried by the write queue (db/pg/queue.ts): another transaction got there first, the next attempt sees it. */
export const RETRYABLE = new Set(['40001', '40P01', '23505']);

export interface PgConn extends Conn {
  readonly pool: pg.Pool;
}

/** The channel of announceKeyChange: NOTIFY is sent at COMMIT, and only if the transaction commits. */
export const KEY_CHANNEL = 'referloop_keys';
/** The channel of announceDeliveries (webhooks/deliverer.ts listens through Store.onDeliveries). */
export const DELIVERY_CHANNEL = 'referloop_deliveries';

export function pgConn(pool: pg.Pool, opts: { idTables: ReadonlySet<string>; keyNotices: () => number }): PgConn {
  const scope = new AsyncLocalStorage<Scope>();
  const runner = (): pg.Pool | pg.PoolClient => scope.getStore()?.client ?? pool;
  let statements = 0;

  class PgStatement<Row> implements Statement<Row> {
    private readonly name: string;
    private readonly text: string;
    private readonly names: string[] | null;
    constructor(sql: Sql, private readonly pluck: boolean) {
      const c = pgText(sql);
      const insert = /^\s*INSERT\s+INTO\s+([a-z_]+)/i.exec(c.text);
      // SQLite answers the new row's id of any insert; PostgreSQL when asked.
      const wantsId = insert && opts.idTables.has(insert[1]!) && !/\bRETURNING\b/i.test(c.text);
      this.text = wantsId ? `${c.text} RETURNING id` : c.text;
      this.names = c.names;
      this.name = `rl${++statements}`;
    }
    private values(params: unknown[]): unknown[] {
      if (!this.names) return params.map(bindable);
      const bag = (params[0] ?? {}) as Record<string, unknown>;
      return this.names.map((n) => bindable(bag[n]));
    }
    private query(params: unknown[], rowMode?: 'array') {
      return runner().query({ name: this.name, text: this.text, values: this.values(params), ...(rowMode ? { rowMode } : {}) });
    }
    async get(...params: unknown[]): Promise<Row | undefined> {
      const r = await this.query(params, this.pluck ? 'array' : undefined);
      const row = r.rows[0];
      return (this.pluck ? (row as unknown[] | undefined)?.[0] : row) as Row | undefined;
    }
    async all(...params: unknown[]): Promise<Row[]> {
      const r = await this.query(params, this.pluck ? 'array' : undefined);
      return (this.pluck ? r.rows.map((row) => (row as unknown[])[0]) : r.rows) as Row[];
    }
    async run(...params: unknown[]): Promise<RunResult> {
      const r = await this.query(params);
      const last = r.rows.at(-1) as { id?: number } | undefined;
      return { changes: r.rowCount ?? 0, lastInsertRowid: last?.id ?? 0 };
    }
  }

  return {
    dialect: 'pg',
    pool,
    prepare: <Row>(sql: Sql, o: PrepareOptions = {}) => new PgStatement<Row>(sql, o.pluck === true),
    async exec(sql: Sql): Promise<void> {
      await runner().query(sqlFor(sql, 'pg'));
    },
    async transaction<T>(fn: () => Promise<T>, o: TransactionOptions = {}): Promise<T> {
      const inside = scope.getStore();
      if (inside) {
        const name = `sp${++inside.savepoints}`;
        await inside.client.query(`SAVEPOINT ${name}`);
        try {
          const value = await fn();
          await inside.client.query(`RELEASE SAVEPOINT ${name}`);
          return value;
        } catch (error) {
          await inside.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
          throw error;
        }
      }
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // A read is one snapshot (REPEATABLE READ); a write is READ COMMITTED, its exactly-once rules held by unique
        // constraints, row locks and advisory locks (ARCHITECTURE.md, "Several collectors").
        await client.query(o.mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        try {
          const value = await scope.run({ client, savepoints: 0 }, fn);
          // A statement that failed inside fn (its error caught there) aborted the transaction: PostgreSQL then answers
          // COMMIT with ROLLBACK, and nothing of the job is kept; that must not become a 2xx.
          const done = await client.query('COMMIT');
          if (done.command === 'ROLLBACK') throw new Error('the transaction was aborted by a failed statement and rolled back');
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
          throw error;
        }
      } finally {
        client.release(broken);
      }
    },
    // Notifications counted by the store's listening client, and the second: a change made outside Referloop is seen
    // within a second, one changed by any collector or command at once.
    keyVersion: () => Promise.resolve(opts.keyNotices() * 1_000_000 + (Math.floor(Date.now() / 1000) % 1_000_000)),
    async announceKeyChange(): Promise<void> {
      await runner().query(`SELECT pg_notify('${KEY_CHANNEL}', '')`);
    },
    async announceDeliveries(): Promise<void> {
      // Notifications of one transaction with the same payload are delivered once, at COMMIT.
      await runner().query(`SELECT pg_notify('${DELIVERY_CHANNEL}', '')`);
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}

/** What pg binds as better-sqlite3 would: booleans as 1/0 (the schema's integers), undefined as NULL. */
const bindable = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

/** A pool for `url`, with int8/numeric as numbers. */
export function pgPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: TYPES });
  // An idle client whose connection the server ended (a restart, a terminated backend, a dropped test database while
  // pool.end() is still closing its clients) is already removed by the pool, and the next query takes a new one;
  // without a listener, pg-pool's 'error' event would be an uncaught exception that stops the process.
  pool.on('error', () => {});
  return pool;
}
