// The collector's storage as one object, whichever engine: the write connection and its queue, the read connection,
// a health check and close. The engine is chosen by the configuration (REFERLOOP_DATABASE_URL, else the SQLite file).
import type Database from 'better-sqlite3';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { CommitQueue } from './commitQueue.ts';
import { databaseFileProblem, openDatabase, openReadOnly } from './open.ts';
import type { Conn, Dialect, WriteQueue } from './port.ts';
import { asConn } from './sqlite/conn.ts';

export interface Store {
  readonly engine: Dialect;
  /** every write goes through `queue`, on this connection */
  readonly db: Conn;
  readonly queue: WriteQueue;
  /**
   * Where management reads and exports run, beside the write queue (SQLite: a read-only connection to the same file,
   * which in WAL mode neither blocks the writer nor waits for it). A 2xx write has committed before it answers, so a
   * read that starts after it sees it.
   */
  readonly read: Conn;
  /** why the database cannot be written safely (SQLite: its file was deleted or replaced), or null */
  problem(): string | null;
  /**
   * Where a rate-limit budget named `prefix` counts, when the processes of this engine share it (PostgreSQL: a table);
   * undefined: in this process's memory (SQLite has one collector process).
   */
  limitStore?(prefix: string): RateLimitStore;
  /**
   * Calls `listener` whenever any collector of the database committed webhook deliveries (PostgreSQL: a notification
   * at their COMMIT); undefined on SQLite, where the process that writes them is the one that delivers.
   */
  onDeliveries?(listener: () => void): void;
  /** what the log says the collector runs on (never a password) */
  readonly describe: string;
  close(): Promise<void>;
}

/**
 * The store over an open, migrated SQLite file (db/open.ts openDatabase): the group commit queue and a second,
 * read-only connection (an in-memory database has no file to open twice: it reads on the write connection).
 */
export function sqliteStore(handle: Database.Database): Store {
  const db = asConn(handle);
  const readHandle = handle.memory ? handle : openReadOnly(handle.name);
  const read = asConn(readHandle);
  return {
    engine: 'sqlite',
    db,
    queue: new CommitQueue(handle),
    read,
    problem: () => databaseFileProblem(handle),
    describe: handle.name,
    async close() {
      if (readHandle !== handle) readHandle.close();
      handle.close();
    },
  };
}

/** The store the configuration names: PostgreSQL at REFERLOOP_DATABASE_URL, else the SQLite file. */
export async function openStore(config: { dbPath: string; databaseUrl?: string | undefined }, opts: { busyTimeoutMs?: number } = {}): Promise<Store> {
  if (config.databaseUrl) {
    const { openPgStore } = await import('./pg/store.ts');
    return openPgStore(config.databaseUrl);
  }
  return sqliteStore(openDatabase(config.dbPath, opts));
}
