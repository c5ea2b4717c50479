// Opens the SQLite file with the pragmas the collector's promises rest on, and refuses to run without them.
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

/**
 * How long one statement waits for another process's write lock, blocking its thread. A one-shot command
 * (the CLI, the demo's set-up) may wait long. The collector must not block its event loop, so it waits
 * briefly and its commit queue retries the batch later, asynchronously (db/commitQueue.ts).
 */
export const TOOL_BUSY_TIMEOUT_MS = 30_000;
export const COLLECTOR_BUSY_TIMEOUT_MS = 20;

// synchronous=FULL (2): a 2xx is answered after the commit is on disk, surviving power loss. secure_delete: what a
// delete or update frees is overwritten with zeros, so an erased person's data does not stay in free space (issue 16).
const REQUIRED_PRAGMAS: ReadonlyArray<[name: string, set: string, expect: string | number]> = [
  ['journal_mode', 'WAL', 'wal'],
  ['synchronous', 'FULL', 2],
  ['foreign_keys', 'ON', 1],
  ['secure_delete', 'ON', 1],
];

/** The file a connection opened, by device and inode: a path can later name another file, or none. */
const openedFiles = new WeakMap<Db, { dev: number; ino: number }>();

export function openDatabase(path: string, opts: { busyTimeoutMs?: number } = {}): Db {
  const busyTimeoutMs = opts.busyTimeoutMs ?? TOOL_BUSY_TIMEOUT_MS;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // Migrations at start-up may wait for a running CLI as long as any tool; the connection's own wait after.
    db.pragma(`busy_timeout = ${TOOL_BUSY_TIMEOUT_MS}`);
    for (const [name, value] of REQUIRED_PRAGMAS) db.pragma(`${name} = ${value}`);
    if (path !== ':memory:') {
      const { dev, ino } = statSync(path);
      openedFiles.set(db, { dev, ino });
    }
    migrate(db);
    // After the migrations (whose statements rewrite whole tables, each page journaled once): the savepoint and
    // statement journals in memory. Each job of a commit batch runs in its own SAVEPOINT (db/commitQueue.ts), which
    // journals the original of every page the job changes; past 64 KiB (a conversion with its commission changes
    // some 60 pages) SQLite spills that journal to a temporary file: measured, 67 of every conversion's 75 page
    // writes went there, a fifth of its CPU. In memory, the journal is freed at each RELEASE: one job's pages at most.
    db.pragma('temp_store = MEMORY');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    verifyPragmas(db, busyTimeoutMs);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * Reads every required pragma back; throws when SQLite did not take one (e.g. WAL on a filesystem without
 * it). busy_timeout must be in force (not 0, which fails at once on another process's lock).
 */
export function verifyPragmas(db: Db, busyTimeoutMs: number = TOOL_BUSY_TIMEOUT_MS): void {
  for (const [name, , expect] of [...REQUIRED_PRAGMAS, ['busy_timeout', '', busyTimeoutMs] as const]) {
    const actual = db.pragma(name, { simple: true });
    if (actual !== expect || (name === 'busy_timeout' && !(Number(actual) > 0))) {
      throw new Error(`SQLite pragma ${name} is ${String(actual)}, expected ${String(expect)}: refusing to start`);
    }
  }
}

/**
 * Why the database path no longer names the file this connection opened (deleted, or replaced by another
 * file), or null while it does. Writes into an unlinked file would answer 2xx and be lost at the next start.
 * The reason names no path: it is answered over HTTP (the log adds the path).
 */
export function databaseFileProblem(db: Db): string | null {
  const opened = openedFiles.get(db);
  if (!opened) return null;
  let now;
  try {
    now = statSync(db.name);
  } catch (err) {
    return `the database file is gone (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  if (now.dev !== opened.dev || now.ino !== opened.ino) {
    return 'the database path no longer names the file this process opened (it was replaced)';
  }
  return null;
}

/**
 * A read-only connection to a database the collector has opened (and migrated) with openDatabase: the long reads
 * (management lists, exports, payouts) run there, beside the write connection. In WAL mode a reader never blocks
 * the writer nor waits for it; its short busy_timeout covers only WAL recovery.
 */
export function openReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 50');
  return db;
}
