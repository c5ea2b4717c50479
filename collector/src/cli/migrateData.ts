// referloop migrate-data: copies a SQLite install into an empty PostgreSQL database in one transaction, ids kept,
// every table's rows counted on both sides before COMMIT (README, "Moving an install to PostgreSQL").
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../db/open.ts';
import { migratePg } from '../db/pg/migrate.ts';
import { redactedUrl } from '../db/pg/store.ts';

export interface MigrateDataOpts { from: string; to: string; json?: boolean }

/** PostgreSQL takes at most 65,535 parameters a statement: a batch is 1,000 rows, fewer for a wide table. */
const BATCH_ROWS = 1000;
const MAX_PARAMETERS = 65_535;

/** A table as both engines hold it: its columns in PostgreSQL's order, and how its rows get there. */
interface TablePlan {
  name: string;
  columns: string[];
  /**
   * 'copy': its rows are copied as they are (base tables, and the tables SQLite's triggers derive from them);
   * 'rebuilt': SQLite holds it as an FTS5 table, which has no PostgreSQL form: PostgreSQL's own triggers (the ones
   * named as SQLite's that write it) rebuild it from the copied rows.
   */
  how: 'copy' | 'rebuilt';
  /** a column referring to the table's own id (advocates.referred_by), or null */
  selfRef: string | null;
}

interface Checked { table: string; sqlite: number; postgresql: number }

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const migrationNumber = (name: string | undefined): number => Number(/^(\d+)_/.exec(name ?? '')?.[1] ?? 0);
const grouped = (n: number): string => n.toLocaleString('en-US');
const rowsOf = (n: number): string => `${grouped(n)} row${n === 1 ? '' : 's'}`;

/** Why a copy was refused or undone: the message says what to do, and that nothing was written. */
class Refused extends Error {}

export async function migrateData(opts: MigrateDataOpts): Promise<void> {
  const say = (line: string) => (opts.json ? process.stderr : process.stdout).write(line + '\n');
  if (!/^postgres(ql)?:\/\//.test(opts.to)) throw new Refused(`--to must be a postgres:// URL (postgres://user:password@host/database); nothing was copied`);
  const source = openSource(opts.from);
  const client = new pg.Client({ connectionString: opts.to });
  const started = performance.now();
  try {
    await client.connect();
    await refuseIfHoldsBrands(client, false);
    await migratePg(client);
    const result = await copyAll(source, client, say);
    // The planner's statistics for the tables just filled: else the first reads plan without them until autovacuum's
    // analyze comes round.
    await client.query('ANALYZE');
    const seconds = (performance.now() - started) / 1000;
    const rows = result.checked.reduce((n, c) => n + c.sqlite, 0);
    const keyNote = masterKeyNote(opts.from);
    const to = redactedUrl(opts.to);
    if (opts.json) {
      process.stdout.write(JSON.stringify({
        from: resolve(opts.from), to, migration: result.migration, tables: result.checked, rows,
        seconds: Math.round(seconds * 10) / 10, rows_per_second: Math.round(rows / seconds), master_key: keyNote,
      }) + '\n');
    } else {
      const width = Math.max(...result.checked.map((c) => c.table.length));
      say(`\nchecked before COMMIT (rows in SQLite = rows in PostgreSQL):`);
      for (const c of result.checked) say(`  ${c.table.padEnd(width)}  ${grouped(c.sqlite).padStart(11)} = ${grouped(c.postgresql)}`);
      say(`committed: ${grouped(rows)} rows into ${to} at migration ${result.migration} in ${seconds.toFixed(1)} s `
        + `(${grouped(Math.round(rows / seconds))} rows/s), analyzed; ids and API keys kept.`);
      say(keyNote);
    }
  } finally {
    source.close();
    await client.end().catch(() => {});
  }
}

/** The source file, opened and migrated as the collector opens it; a missing one is refused, never created. */
function openSource(path: string): Database.Database {
  if (!existsSync(path)) throw new Refused(`no SQLite database at ${resolve(path)} (--from); nothing was created or copied`);
  return openDatabase(path);
}

/**
 * What the copy cannot carry: the master key. The secret keys' sealed copies (the signed /convert) open only with the
 * key they were sealed with, and erasures are recorded under an HMAC keyed from it (GET /people finds them by it).
 */
function masterKeyNote(from: string): string {
  const where = process.env.REFERLOOP_MASTER_KEY ? 'REFERLOOP_MASTER_KEY (as set for this command)'
    : join(resolve(dirname(from)), 'master.key');
  return `The master key is not in the database: the signed /convert (the secret keys' sealed copies) and earlier erasures `
    + `need the same one. Give the collectors on PostgreSQL ${where}, as REFERLOOP_MASTER_KEY or as master.key in their REFERLOOP_DATA_DIR.`;
}

/** Refuses a target that already holds a brand: a copy goes into an empty database only (ids are kept). */
async function refuseIfHoldsBrands(client: pg.Client, locked: boolean): Promise<void> {
  if (!locked) {
    const exists = await client.query(`SELECT to_regclass('brands') IS NOT NULL AS exists`);
    if (!exists.rows[0].exists) return;
  }
  const r = await client.query<{ n: string; example: string }>('SELECT count(*) AS n, min(id) AS example FROM brands');
  const n = Number(r.rows[0]!.n);
  if (n > 0) {
    throw new Refused(`the PostgreSQL database already holds ${n} brand${n === 1 ? '' : 's'} (e.g. ${r.rows[0]!.example}): `
      + 'migrate-data copies into an empty database only, keeping every id; nothing was changed');
  }
}

/** Copies every table in one PostgreSQL transaction and checks the counts before COMMIT; any failure rolls back. */
async function copyAll(source: Database.Database, client: pg.Client, say: (line: string) => void): Promise<{ migration: string; checked: Checked[] }> {
  // One read transaction: every count and every row come from one snapshot of the file, whatever writes to it.
  source.exec('BEGIN');
  try {
    const sqliteMigration = source.prepare('SELECT max(name) FROM schema_migrations').pluck().get() as string | undefined;
    const pgMigration = (await client.query<{ name: string }>('SELECT max(name) AS name FROM schema_migrations')).rows[0]?.name;
    if (migrationNumber(sqliteMigration) !== migrationNumber(pgMigration)) {
      throw new Refused(`the SQLite file is at migration ${sqliteMigration ?? 'none'} and the PostgreSQL database at `
        + `${pgMigration ?? 'none'}: both must be at the same latest migration (run one Referloop version on both); nothing was copied`);
    }
    const plans = await planTables(source, client);
    const counts = new Map(plans.map((p) => [p.name, source.prepare(`SELECT count(*) FROM ${ident(p.name)}`).pluck().get() as number]));

    await client.query('BEGIN');
    try {
      // Held to COMMIT: a collector or a second migrate-data cannot write a brand between the check and the copy.
      await client.query('LOCK TABLE brands IN EXCLUSIVE MODE');
      await refuseIfHoldsBrands(client, true);
      for (const p of plans) {
        const any = await client.query(`SELECT 1 FROM ${ident(p.name)} LIMIT 1`);
        if (any.rowCount) throw new Refused(`the PostgreSQL table ${p.name} already holds rows: migrate-data copies into an empty database only; nothing was changed`);
      }
      const disabled = await disableDerivingTriggers(source, client, plans);
      for (const p of plans.filter((t) => t.how === 'copy')) {
        const t0 = performance.now();
        const n = await copyTable(source, client, p, counts.get(p.name)!);
        const s = (performance.now() - t0) / 1000;
        say(`copied ${p.name}: ${rowsOf(n)} in ${s.toFixed(1)} s${n > 0 ? ` (${grouped(Math.round(n / s))} rows/s)` : ''}`);
      }
      for (const p of plans.filter((t) => t.how === 'rebuilt')) {
        const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(p.name)}`);
        say(`rebuilt ${p.name}: ${rowsOf(Number(r.rows[0]!.n))} (PostgreSQL's search table, by its triggers from the copied rows)`);
      }
      for (const [table, trigger] of disabled) await client.query(`ALTER TABLE ${ident(table)} ENABLE TRIGGER ${ident(trigger)}`);
      await advanceIdentities(client);
      const checked: Checked[] = [];
      for (const p of plans) {
        const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(p.name)}`);
        checked.push({ table: p.name, sqlite: counts.get(p.name)!, postgresql: Number(r.rows[0]!.n) });
      }
      const differ = checked.filter((c) => c.sqlite !== c.postgresql);
      if (differ.length > 0) {
        throw new Refused(`the row counts differ, so nothing was committed: ${differ.map((c) => `${c.table} ${c.sqlite} in SQLite, ${c.postgresql} in PostgreSQL`).join('; ')}`);
      }
      await client.query('COMMIT');
      return { migration: pgMigration!, checked };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (!(error instanceof Refused)) (error as Error).message = `${(error as Error).message}; rolled back: the PostgreSQL database is as it was`;
      throw error;
    }
  } finally {
    source.exec('ROLLBACK');
  }
}

/**
 * The tables to fill, in foreign-key order (a table after every table it refers to), refused unless both engines
 * hold the same tables with the same columns.
 */
async function planTables(source: Database.Database, client: pg.Client): Promise<TablePlan[]> {
  const sqliteTables = source.prepare(
    `SELECT l.name, l.type FROM pragma_table_list AS l JOIN sqlite_schema AS s ON s.name = l.name
      WHERE l.schema = 'main' AND l.type IN ('table', 'virtual') AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
        AND l.name <> 'schema_migrations'
      ORDER BY s.rowid`).all() as Array<{ name: string; type: string }>;
  const columns = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
      ORDER BY c.table_name, c.ordinal_position`);
  const pgColumns = new Map<string, string[]>();
  for (const r of columns.rows) pgColumns.set(r.table_name, [...(pgColumns.get(r.table_name) ?? []), r.column_name]);

  // A table only PostgreSQL has is its engine's own (rate_limits: the collectors' shared windows) and stays as it is;
  // one only SQLite has would be lost.
  const onlySqlite = sqliteTables.filter((t) => !pgColumns.has(t.name)).map((t) => t.name);
  if (onlySqlite.length > 0) {
    throw new Refused(`the PostgreSQL schema has no table ${onlySqlite.join(', ')} of the SQLite file; nothing was copied`);
  }
  const fks = await client.query<{ child: string; parent: string; column: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS column
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`);

  const plans: TablePlan[] = sqliteTables.map((t) => {
    const cols = pgColumns.get(t.name)!;
    if (t.type === 'table') {
      const inSqlite = (source.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t.name) as string[]).sort();
      if (inSqlite.join() !== [...cols].sort().join()) {
        throw new Refused(`the table ${t.name} has columns (${inSqlite.join(', ')}) in SQLite but (${[...cols].sort().join(', ')}) in PostgreSQL; nothing was copied`);
      }
    }
    const self = fks.rows.find((f) => f.child === t.name && f.parent === t.name);
    return { name: t.name, columns: cols, how: t.type === 'table' ? 'copy' : 'rebuilt', selfRef: self?.column ?? null };
  });

  // Kahn's order over the foreign keys between tables (a self-reference is handled within its table).
  const ordered: TablePlan[] = [];
  const pending = [...plans];
  while (pending.length > 0) {
    const i = pending.findIndex((p) => !fks.rows.some((f) => f.child === p.name && f.parent !== p.name
      && pending.some((q) => q.name === f.parent)));
    if (i < 0) throw new Error(`the foreign keys between ${pending.map((p) => p.name).join(', ')} form a cycle`);
    ordered.push(...pending.splice(i, 1));
  }
  // A rebuilt table comes after the copied tables its triggers read.
  return [...ordered.filter((p) => p.how === 'copy'), ...ordered.filter((p) => p.how === 'rebuilt')];
}

/**
 * Switches off, until the copy's end (inside its transaction: a rollback switches them back on), every PostgreSQL
 * trigger of the copied tables except those that keep a rebuilt table. The derived tables (per-day totals,
 * advocate counters, brand_advocate_counts, payout_runs) are copied as SQLite holds them; with their triggers on,
 * they would be counted twice, or wrong (see the README: payout_runs is written by an UPDATE to paid only, and a
 * day's clicks stay counted after retention deleted its visits). ALTER TABLE ... DISABLE TRIGGER needs the tables'
 * owner (who ran the migrations), not a superuser as session_replication_role does, and keeps foreign keys checked.
 * The triggers kept are the ones whose SQLite namesake writes a table SQLite holds as FTS5.
 */
async function disableDerivingTriggers(source: Database.Database, client: pg.Client, plans: TablePlan[]): Promise<Array<[string, string]>> {
  const rebuilt = plans.filter((p) => p.how === 'rebuilt').map((p) => p.name);
  const sqliteTriggers = source.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'`).all() as Array<{ name: string; sql: string }>;
  const keep = new Set(sqliteTriggers.filter((t) => rebuilt.some((name) => new RegExp(`\\b${name}\\b`).test(t.sql))).map((t) => t.name));
  const copied = plans.filter((p) => p.how === 'copy').map((p) => p.name);
  const r = await client.query<{ table: string; trigger: string }>(
    `SELECT tgrelid::regclass::text AS table, tgname AS trigger FROM pg_trigger
      WHERE NOT tgisinternal AND tgenabled <> 'D' AND tgrelid::regclass::text = ANY($1) ORDER BY 1, 2`, [copied]);
  const off = r.rows.filter((t) => !keep.has(t.trigger)).map((t): [string, string] => [t.table, t.trigger]);
  for (const [table, trigger] of off) await client.query(`ALTER TABLE ${ident(table)} DISABLE TRIGGER ${ident(trigger)}`);
  return off;
}

/**
 * Streams one table's rows from SQLite into PostgreSQL in multi-row INSERTs (never the whole table in memory: one
 * batch being sent while the next is read). A self-reference to a row not yet copied is set after the table.
 */
async function copyTable(source: Database.Database, client: pg.Client, p: TablePlan, expected: number): Promise<number> {
  const width = p.columns.length;
  const perBatch = Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / width));
  const columnList = p.columns.map(ident).join(', ');
  const insertText = (rows: number) => `INSERT INTO ${ident(p.name)} (${columnList}) VALUES ${Array.from({ length: rows },
    (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ')}`;
  const full = { name: `migrate_${p.name}`, text: insertText(perBatch) };
  // Integers as BigInt: every one arrives exact, whatever its size (pg sends it as its decimal text).
  const select = source.prepare(`SELECT ${columnList} FROM ${ident(p.name)}${p.selfRef ? ' ORDER BY id' : ''}`).raw(true).safeIntegers(true);
  const selfAt = p.selfRef ? p.columns.indexOf(p.selfRef) : -1;
  const idAt = p.columns.indexOf('id');
  const later: Array<[id: bigint, ref: bigint]> = [];

  let copied = 0;
  let values: unknown[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();
  const send = async (rows: number, first: number) => {
    await inFlight;
    const batch = values;
    values = [];
    inFlight = client.query(rows === perBatch ? { ...full, values: batch } : { text: insertText(rows), values: batch })
      .catch((error: Error) => { throw explainRefusal(error, p, batch, first); });
    // Awaited before the next batch or after the last; until then its failure must not count as unhandled.
    inFlight.catch(() => {});
  };
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    // Rows come in id order: a referred row with a greater id is not there yet.
    if (selfAt >= 0 && row[selfAt] !== null && (row[selfAt] as bigint) >= (row[idAt] as bigint)) {
      later.push([row[idAt] as bigint, row[selfAt] as bigint]);
      row[selfAt] = null;
    }
    for (const v of row) values.push(v);
    copied++;
    if (copied % perBatch === 0) await send(perBatch, copied - perBatch);
  }
  if (values.length > 0) await send(values.length / width, copied - values.length / width);
  await inFlight;
  for (const [id, ref] of later) await client.query(`UPDATE ${ident(p.name)} SET ${ident(p.selfRef!)} = $2 WHERE id = $1`, [id, ref]);
  if (copied !== expected) throw new Error(`${p.name}: read ${copied} rows from SQLite, which counted ${expected} in the same snapshot`);
  return copied;
}

/** PostgreSQL's refusal of a batch, naming the table, and the row and column when it names a parameter. */
function explainRefusal(error: Error & { where?: string; detail?: string }, p: TablePlan, batch: unknown[], first: number): Error {
  const width = p.columns.length;
  const param = /parameter \$(\d+)/.exec(error.where ?? '');
  let at = `a row of ${p.name} (rows ${first + 1}-${first + batch.length / width} of the table)`;
  if (param) {
    const index = Number(param[1]) - 1;
    const row = Math.floor(index / width);
    const id = p.columns.includes('id') ? ` id ${String(batch[row * width + p.columns.indexOf('id')])}` : ` ${first + row + 1}`;
    at = `${p.name} row${id}, column ${p.columns[index % width]}`;
  }
  error.message = `PostgreSQL refused ${at}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`;
  return error;
}

/** Every identity continues after the greatest id copied (SQLite's next rowid), so new rows never collide. */
async function advanceIdentities(client: pg.Client): Promise<void> {
  const r = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'`);
  for (const { table_name: table, column_name: column } of r.rows) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${ident(column)}), 0) + 1, false) FROM ${ident(table)}`,
      [table, column]);
  }
}
