// Opens the SQLite file with the pragmas the collector's promises rest on, and refuses to run without them.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

// synchronous=FULL (2): a 2xx is answered after the commit is on disk, surviving power loss.
const REQUIRED_PRAGMAS: ReadonlyArray<[name: string, set: string, expect: string | number]> = [
  ['journal_mode', 'WAL', 'wal'],
  ['synchronous', 'FULL', 2],
  ['foreign_keys', 'ON', 1],
  ['busy_timeout', '5000', 5000],
];

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    for (const [name, value] of REQUIRED_PRAGMAS) db.pragma(`${name} = ${value}`);
    migrate(db);
    verifyPragmas(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Reads every required pragma back; throws when SQLite did not take one (e.g. WAL on a filesystem without it). */
export function verifyPragmas(db: Db): void {
  for (const [name, , expect] of REQUIRED_PRAGMAS) {
    const actual = db.pragma(name, { simple: true });
    if (actual !== expect) {
      throw new Error(`SQLite pragma ${name} is ${String(actual)}, expected ${String(expect)}: refusing to start`);
    }
  }
}
