// The storage port over one better-sqlite3 connection: every statement runs synchronously and its promise is already
// settled, so a transaction whose function awaits only this port runs without yielding to the event loop, exactly as
// the synchronous code did (no other request's statement can slip into it).
import type Database from 'better-sqlite3';
import { sqlFor, type Conn, type PrepareOptions, type RunResult, type Sql, type Statement, type TransactionOptions } from '../port.ts';

type Db = Database.Database;

/** The better-sqlite3 connection behind a port, for what only SQLite has (pragmas, file checks, the tests' peeks). */
const handles = new WeakMap<Conn, Db>();
export const sqliteHandle = (conn: Conn): Db => {
  const db = handles.get(conn);
  if (!db) throw new Error('not a SQLite connection');
  return db;
};

class SqliteStatement<Row> implements Statement<Row> {
  constructor(private readonly stmt: Database.Statement) {}
  get(...params: unknown[]): Promise<Row | undefined> {
    return Promise.resolve(this.stmt.get(...params) as Row | undefined);
  }
  all(...params: unknown[]): Promise<Row[]> {
    return Promise.resolve(this.stmt.all(...params) as Row[]);
  }
  run(...params: unknown[]): Promise<RunResult> {
    const r = this.stmt.run(...params);
    return Promise.resolve({ changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) });
  }
}

function sqliteConn(db: Db): Conn {
  let depth = 0;
  const begin = { write: db.prepare('BEGIN IMMEDIATE'), read: db.prepare('BEGIN') };
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const conn: Conn = {
    dialect: 'sqlite',
    prepare<Row>(sql: Sql, opts: PrepareOptions = {}): Statement<Row> {
      const stmt = db.prepare(sqlFor(sql, 'sqlite'));
      if (opts.pluck) stmt.pluck();
      return new SqliteStatement<Row>(stmt);
    },
    exec(sql: Sql): Promise<void> {
      db.exec(sqlFor(sql, 'sqlite'));
      return Promise.resolve();
    },
    async transaction<T>(fn: () => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      if (db.inTransaction) {
        // A transaction inside one is a savepoint: it rolls back alone.
        const name = `sp${++depth}`;
        db.exec(`SAVEPOINT ${name}`);
        try {
          const value = await fn();
          db.exec(`RELEASE ${name}`);
          return value;
        } catch (error) {
          db.exec(`ROLLBACK TO ${name}`);
          db.exec(`RELEASE ${name}`);
          throw error;
        } finally {
          depth--;
        }
      }
      begin[opts.mode ?? 'write'].run();
      try {
        const value = await fn();
        commit.run();
        return value;
      } catch (error) {
        if (db.inTransaction) rollback.run();
        throw error;
      }
    },
    keyVersion: () => Promise.resolve(dataVersion.get() as number),
    announceKeyChange: () => Promise.resolve(),
    announceDeliveries: () => Promise.resolve(),
    close(): Promise<void> {
      db.close();
      return Promise.resolve();
    },
  };
  handles.set(conn, db);
  return conn;
}

const wrapped = new WeakMap<Db, Conn>();
/** The port over a better-sqlite3 connection, one per connection (its transactions nest by the connection's state). */
export function asConn(db: Db | Conn): Conn {
  if ('dialect' in db) return db;
  let conn = wrapped.get(db);
  if (!conn) wrapped.set(db, (conn = sqliteConn(db)));
  return conn;
}
