// What every referloop command shares: where the database is (--db, else REFERLOOP_DB / REFERLOOP_DATA_DIR as the
// server reads them), opening it (a missing file is refused, never silently created), and printing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { openDatabase } from '../db/open.ts';
import type { Conn } from '../db/port.ts';
import { asConn } from '../db/sqlite/conn.ts';
import { parseBody } from '../http/parse.ts';
import { loadMasterKey } from '../masterKey.ts';
import { databasePaths } from '../paths.ts';

export interface CommonOpts { db?: string; json?: boolean }
export type BrandOpts = CommonOpts & { brand: string };

/** The database file and the data folder of its master key: `--db` (its folder), else the environment's. */
export function locate(opts: CommonOpts): { dbPath: string; dataDir: string } {
  return opts.db !== undefined ? { dbPath: opts.db, dataDir: dirname(opts.db) } : databasePaths(process.env);
}

/**
 * A command that reads or changes a brand: the database must exist. Run from another folder, the default
 * ./data/referloop.db would otherwise be created there, empty, and every brand would look lost.
 */
export async function openExisting(opts: CommonOpts): Promise<Conn> {
  const url = databaseUrlOf(opts);
  if (url) return openCommandStore(url);
  const { dbPath } = locate(opts);
  if (dbPath !== ':memory:' && !existsSync(dbPath)) {
    const from = opts.db !== undefined ? '--db' : process.env.REFERLOOP_DB ? 'REFERLOOP_DB'
      : process.env.REFERLOOP_DATA_DIR ? 'REFERLOOP_DATA_DIR' : 'the default ./data/referloop.db';
    throw new Error(`no database at ${resolve(dbPath)} (from ${from}); nothing was created. Run referloop from the folder `
      + 'that holds data/, or name the file with --db PATH, or its folder with REFERLOOP_DATA_DIR.');
  }
  return asConn(openDatabase(dbPath));
}

/** `brand create` (and `serve`) may start a new database; every other command opens an existing one. */
export const openOrCreate = async (opts: CommonOpts): Promise<Conn> => {
  const url = databaseUrlOf(opts);
  return url ? openCommandStore(url) : asConn(openDatabase(locate(opts).dbPath));
};

/** REFERLOOP_DATABASE_URL, as the server reads it, unless `--db` names a SQLite file for this command. */
const databaseUrlOf = (opts: CommonOpts): string | undefined => (opts.db === undefined ? process.env.REFERLOOP_DATABASE_URL || undefined : undefined);

/** A command on PostgreSQL: a small pool, no key-change listener (a command's caches live as long as it does). */
async function openCommandStore(url: string): Promise<Conn> {
  // require, not import(): the one-shot commands run under tsx's CommonJS hooks (bin/referloop.mjs), without its ESM loader.
  const { openPgStore, redactedUrl } = createRequire(import.meta.url)('../db/pg/store.ts') as typeof import('../db/pg/store.ts');
  try {
    return (await openPgStore(url, { poolSize: 2, listen: false })).db;
  } catch (error) {
    // Which database was meant, as the log shows it (never its password), with what PostgreSQL said.
    throw new Error(`cannot open the PostgreSQL database ${redactedUrl(url)} (from REFERLOOP_DATABASE_URL): ${(error as Error).message}`);
  }
}

/** The master key that seals secret keys, kept beside the database (or REFERLOOP_MASTER_KEY). */
export const masterKeyOf = (opts: CommonOpts): Buffer => loadMasterKey(process.env.REFERLOOP_MASTER_KEY, locate(opts).dataDir);

/** Runs `fn` on the database and closes it whatever happens. */
export async function withDb<T>(opening: Promise<Conn>, fn: (db: Conn) => T | Promise<T>): Promise<T> {
  const db = await opening;
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function print(opts: CommonOpts, result: object, human: string): void {
  process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : human + '\n');
}

/** Fixed-width columns for a terminal. */
export function table(rows: ReadonlyArray<object>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = [columns, ...rows.map((r) => columns.map((c) => String((r as Record<string, unknown>)[c] ?? '')))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** Input given on the command line goes through the API's own schema: the same 400 message names the field. */
export const parse = <S extends Parameters<typeof parseBody>[0]>(schema: S, input: Record<string, unknown>) =>
  parseBody(schema, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))).data;
