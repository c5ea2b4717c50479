// Both engines end with the same schema: a fresh SQLite file (migrations 001-012...) and a fresh PostgreSQL database
// (pg/migrations) hold the same tables, columns, types, constraints, indexes and triggers, as far as the dialects
// allow (each difference is the documented PostgreSQL form, pg/migrations/012_baseline.sql); and migratePg applies
// each migration once, also when three processes start together.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../src/db/open.ts';
import { migratePg, migrationFiles } from '../src/db/pg/migrate.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';

/** Without a PostgreSQL server (a developer's machine without one) these say why they did not run; CI fails instead. */
const skip = pgTestSkip() ?? false;

interface Column { name: string; type: string; notNull: boolean; default: string | null }
interface Index { table: string; columns: string[]; unique: boolean; partial: boolean }
interface Table {
  columns: Column[];
  primaryKey: string[];
  /** each UNIQUE constraint's columns */
  unique: string[][];
  /** column -> table.column */
  foreignKeys: string[];
  checks: number;
}
interface Schema {
  tables: Map<string, Table>;
  /** named indexes (not those of a primary key or UNIQUE constraint) */
  indexes: Map<string, Index>;
  /** table.trigger */
  triggers: string[];
}

/** The FTS5 tables of migration 005: on PostgreSQL ordinary tables of the same names (id, brand_id, doc). */
const SEARCH_TABLES = ['advocate_search', 'referral_search'];
/** Migration 009's INSTEAD OF views: on PostgreSQL functions of the same names. */
const PART_VIEWS = ['daily_conversion_part', 'daily_reward_part'];
const SQLITE_TYPES: Record<string, string> = { INTEGER: 'bigint', TEXT: 'text', REAL: 'double precision', BLOB: 'bytea' };

/** json_extract(response, '$.data.claim_id') and (response::jsonb #>> '{data,claim_id}') both read json:data.claim_id. */
const sqliteExpression = (sql: string) => sql.match(/json_extract\(\s*response\s*,\s*'\$\.([^']+)'\s*\)/g)
  ?.map((e) => `json:${/'\$\.([^']+)'/.exec(e)![1]}`) ?? [];
const pgExpression = (def: string) => {
  const path = /#>>\s*'\{([^}]*)\}'/.exec(def);
  return path ? `json:${path[1]!.split(',').join('.')}` : def;
};

function sqliteSchema(db: Db): Schema {
  const objects = db.prepare(`SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`)
    .all() as Array<{ type: string; name: string; tableName: string; sql: string | null }>;
  const virtual = objects.filter((o) => o.type === 'table' && /^CREATE VIRTUAL TABLE/i.test(o.sql ?? '')).map((o) => o.name);
  const shadow = (name: string) => virtual.some((v) => new RegExp(`^${v}_(config|content|data|docsize|idx)$`).test(name));
  const tables = new Map<string, Table>();
  for (const o of objects.filter((o) => o.type === 'table' && !virtual.includes(o.name) && !shadow(o.name))) {
    const info = db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`).all(o.name) as
      Array<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>;
    const indexes = db.prepare(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`).all(o.name) as
      Array<{ name: string; unique: number; origin: string; partial: number }>;
    const keyColumns = (index: string) => (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(index) as Array<{ name: string }>).map((c) => c.name);
    tables.set(o.name, {
      // A PRIMARY KEY column of a STRICT or WITHOUT ROWID table is NOT NULL (an INTEGER PRIMARY KEY is the rowid).
      columns: info.map((c) => ({ name: c.name, type: SQLITE_TYPES[c.type] ?? `? ${c.type}`, notNull: c.notnull === 1 || c.pk > 0, default: c.dflt_value })),
      primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      unique: indexes.filter((i) => i.origin === 'u').map((i) => keyColumns(i.name)).sort(),
      foreignKeys: (db.prepare(`SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)`).all(o.name) as Array<{ from: string; table: string; to: string }>)
        .map((f) => `${f.from} -> ${f.table}.${f.to}`).sort(),
      checks: (o.sql!.match(/\bCHECK\s*\(/gi) ?? []).length,
    });
  }
  const indexes = new Map<string, Index>();
  for (const o of objects.filter((o) => o.type === 'index' && o.sql)) {
    const list = db.prepare(`SELECT "unique", partial FROM pragma_index_list(?) WHERE name = ?`).get(o.tableName, o.name) as { unique: number; partial: number };
    const expressions = sqliteExpression(o.sql!.split(/\bWHERE\b/i)[0]!);
    const columns = (db.prepare(`SELECT cid, name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`).all(o.name) as Array<{ cid: number; name: string | null; desc: number }>)
      .map((c) => (c.cid === -2 ? expressions.shift()! : `${c.name}${c.desc ? ' DESC' : ''}`));
    indexes.set(o.name, { table: o.tableName, columns, unique: list.unique === 1, partial: list.partial === 1 });
  }
  // Triggers on views (INSTEAD OF) are the views' bodies: PostgreSQL has them as the functions of the views' names.
  const views = objects.filter((o) => o.type === 'view').map((o) => o.name);
  const triggers = objects.filter((o) => o.type === 'trigger' && !views.includes(o.tableName)).map((o) => `${o.tableName}.${o.name}`).sort();
  return { tables, indexes, triggers };
}

async function pgSchema(client: pg.Client): Promise<Schema & { collations: string[]; functions: string[]; searchIndexes: string[] }> {
  const rows = async <T>(sql: string): Promise<T[]> => (await client.query(sql)).rows as T[];
  const columns = await rows<{ table: string; name: string; type: string; notnull: boolean; dflt: string | null; collation: string | null }>(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
      pg_get_expr(d.adbin, d.adrelid) AS dflt, co.collname AS collation
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
    WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname, a.attnum`);
  const constraints = await rows<{ table: string; type: string; columns: string[]; target: string | null; targetColumns: string[] | null }>(`
    SELECT c.relname AS table, k.contype AS type,
      ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS columns,
      f.relname AS target,
      ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS "targetColumns"
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class f ON f.oid = k.confrelid
    WHERE n.nspname = current_schema()`);
  const indexRows = await rows<{ name: string; table: string; unique: boolean; partial: boolean; method: string; columns: string[] }>(`
    SELECT i.relname AS name, t.relname AS table, x.indisunique AS unique, x.indpred IS NOT NULL AS partial, am.amname AS method,
      ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) || CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
        FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS columns
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
    WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))`);
  const triggers = await rows<{ table: string; name: string }>(`
    SELECT c.relname AS table, g.tgname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT g.tgisinternal`);
  const functions = await rows<{ name: string }>(`SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`);

  const tables = new Map<string, Table>();
  for (const c of columns) {
    if (!tables.has(c.table)) tables.set(c.table, { columns: [], primaryKey: [], unique: [], foreignKeys: [], checks: 0 });
    // 'USD'::text is SQLite's 'USD'.
    tables.get(c.table)!.columns.push({ name: c.name, type: c.type, notNull: c.notnull, default: c.dflt?.replace(/::(text|bigint)$/, '') ?? null });
  }
  for (const k of constraints) {
    const table = tables.get(k.table)!;
    if (k.type === 'p') table.primaryKey = k.columns;
    else if (k.type === 'u') table.unique.push(k.columns);
    else if (k.type === 'f') table.foreignKeys.push(`${k.columns.join(', ')} -> ${k.target}.${k.targetColumns!.join(', ')}`);
    else if (k.type === 'c') table.checks += 1;
  }
  for (const table of tables.values()) {
    table.unique.sort();
    table.foreignKeys.sort();
  }
  const indexes = new Map<string, Index>();
  const searchIndexes: string[] = [];
  for (const i of indexRows) {
    if (SEARCH_TABLES.includes(i.table)) {
      searchIndexes.push(`${i.name} ON ${i.table} USING ${i.method} (${i.columns.join(', ')})`);
      continue;
    }
    indexes.set(i.name, { table: i.table, columns: i.columns.map(pgExpression), unique: i.unique, partial: i.partial });
  }
  return {
    tables,
    indexes,
    triggers: triggers.map((g) => `${g.table}.${g.name}`).sort(),
    collations: columns.filter((c) => c.type === 'text').map((c) => `${c.table}.${c.name} ${c.collation}`),
    functions: functions.map((f) => f.name),
    searchIndexes: searchIndexes.sort(),
  };
}

/** SQLite's index entries end with the rowid; PostgreSQL's end with id, written out: compared without it. */
function withoutTrailingId(indexes: Map<string, Index>, tables: Map<string, Table>): Map<string, Index> {
  const hasId = (table: string) => tables.get(table)?.columns.some((c) => c.name === 'id') ?? false;
  return new Map([...indexes].map(([name, i]) => [name,
    !i.unique && hasId(i.table) && i.columns.at(-1) === 'id' ? { ...i, columns: i.columns.slice(0, -1) } : i]));
}

/** A fresh PostgreSQL database for one test (dropped after it), or null when the test was skipped. */
async function pgDatabase(t: TestContext, opts: { migrated?: boolean } = {}) {
  const database = await createTestDatabase(opts);
  const clients: pg.Client[] = [];
  // The connections end before the database is dropped (a drop ends any still open, which fails their client).
  t.after(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await database.drop();
  });
  const connect = async () => {
    const client = new pg.Client({ connectionString: database.url });
    clients.push(client);
    await client.connect();
    return client;
  };
  return { ...database, connect };
}

test('SQLite and PostgreSQL end with the same tables, columns, types, constraints, indexes and triggers', { skip }, async (t) => {
  const database = await pgDatabase(t);
  const dir = mkdtempSync(join(tmpdir(), 'referloop-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'referloop.db'));
  t.after(() => db.close());
  const lite = sqliteSchema(db);
  const client = await database.connect();
  const post = await pgSchema(client);

  // The FTS5 tables by name; on PostgreSQL each is (id, brand_id, doc) with one GIN index over the brand and the words.
  const virtual = db.prepare(`SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name`).pluck().all();
  assert.deepEqual(virtual, SEARCH_TABLES);
  for (const name of SEARCH_TABLES) {
    assert.deepEqual(post.tables.get(name), {
      columns: [
        { name: 'id', type: 'bigint', notNull: true, default: null },
        { name: 'brand_id', type: 'text', notNull: true, default: null },
        { name: 'doc', type: 'tsvector', notNull: true, default: null },
      ],
      primaryKey: ['id'], unique: [], foreignKeys: [], checks: 0,
    }, name);
    post.tables.delete(name);
  }
  assert.deepEqual(post.searchIndexes, SEARCH_TABLES.map((name) => `${name}_doc ON ${name} USING gin (brand_id, doc)`));
  // Migration 009's views are functions of the same names there.
  assert.deepEqual(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`).pluck().all(), PART_VIEWS);
  for (const name of PART_VIEWS) assert.ok(post.functions.includes(name), `function ${name}`);

  // Every table, column by column in order, then the constraints of each.
  // The one table of PostgreSQL's own: the rate limits every collector process shares (SQLite's one process counts in
  // memory), in the baseline's last section.
  assert.deepEqual(post.tables.get('rate_limits')?.columns.map((c) => c.name), ['key', 'hits', 'reset_at']);
  post.tables.delete('rate_limits');
  assert.deepEqual([...post.tables.keys()].sort(), [...lite.tables.keys()].sort(), 'tables');
  for (const [name, table] of lite.tables) assert.deepEqual(post.tables.get(name), table, name);
  // Every text column compares bytewise, as SQLite's BINARY.
  assert.deepEqual(post.collations.filter((c) => !c.endsWith(' C')), []);

  // Named indexes: name, table, columns (json paths for the expressions), unique, partial; and on PostgreSQL every
  // non-unique index of a table with an id ends with it, as SQLite's end with the rowid.
  assert.deepEqual(withoutTrailingId(post.indexes, post.tables), withoutTrailingId(lite.indexes, lite.tables));
  const hasId = (table: string) => post.tables.get(table)!.columns.some((c) => c.name === 'id');
  assert.deepEqual([...post.indexes].filter(([, i]) => !i.unique && hasId(i.table) && i.columns.at(-1) !== 'id').map(([n]) => n), []);
  assert.ok(lite.indexes.size > 40, `${lite.indexes.size} indexes compared`);

  // The same triggers, of the same names, on the same tables.
  assert.deepEqual(post.triggers, lite.triggers);
  assert.ok(lite.triggers.length > 20);
});

test('migratePg applies each migration once: a second call applies nothing', { skip }, async (t) => {
  const database = await pgDatabase(t, { migrated: false });
  const client = await database.connect();
  assert.deepEqual(await migratePg(client), migrationFiles());
  assert.deepEqual(await migratePg(client), []);
  const recorded = (await client.query('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
  assert.deepEqual(recorded, migrationFiles());
});

test('three migratePg calls at once on one fresh database end with every migration applied exactly once', { skip }, async (t) => {
  const database = await pgDatabase(t, { migrated: false });
  // The real migrations, and two more whose data steps would show a second application (a second CREATE TABLE
  // fails, a second INSERT counts twice).
  const dir = mkdtempSync(join(tmpdir(), 'referloop-pg-migrations-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of migrationFiles()) copyFileSync(new URL(`../src/db/pg/migrations/${file}`, import.meta.url), join(dir, file));
  writeFileSync(join(dir, '900_probe.sql'), 'CREATE TABLE migration_probe (step text NOT NULL);\nINSERT INTO migration_probe VALUES (\'900\');\n');
  writeFileSync(join(dir, '901_probe_again.sql'), 'INSERT INTO migration_probe VALUES (\'901\');\n');
  const files = migrationFiles(dir);
  const clients = await Promise.all([1, 2, 3].map(() => database.connect()));
  const applied = await Promise.all(clients.map((c) => migratePg(c, dir)));
  assert.deepEqual(applied.flat().sort(), files, JSON.stringify(applied));
  const client = clients[0]!;
  assert.deepEqual((await client.query('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name), files);
  assert.deepEqual((await client.query('SELECT step FROM migration_probe ORDER BY step')).rows.map((r) => r.step), ['900', '901']);
  assert.deepEqual(await Promise.all(clients.map((c) => migratePg(c, dir))), [[], [], []]);
});

test('on PostgreSQL a keyset page (filter, id < ?, ORDER BY id DESC) reads its index in order, sorting nothing', { skip }, async (t) => {
  const database = await pgDatabase(t);
  const client = await database.connect();
  // Empty tables: without this the planner reads them whole; with it, only an index that serves the ORDER BY
  // spares the Sort.
  await client.query('SET enable_seqscan = off');
  await client.query('SET enable_bitmapscan = off');
  const pages: Array<[index: string, sql: string]> = [
    ['rewards_brand_status', `SELECT id FROM rewards WHERE brand_id = 'b' AND status = 'paid' AND id < 100 ORDER BY id DESC LIMIT 50`],
    ['advocates_referred_by', `SELECT id FROM advocates WHERE brand_id = 'b' AND referred_by = 7 AND id < 100 ORDER BY id DESC LIMIT 50`],
    ['conversions_brand_attributed', `SELECT id FROM conversions WHERE brand_id = 'b' AND advocate_id IS NOT NULL AND id < 100 ORDER BY id DESC LIMIT 50`],
    ['rewards_payable', `SELECT id FROM rewards WHERE brand_id = 'b' AND advocate_id = 3 AND status = 'approved' AND kind = 'cash' ORDER BY id LIMIT 50`],
  ];
  for (const [index, sql] of pages) {
    const plan = (await client.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(plan, new RegExp(`Index (Only )?Scan( Backward)? using ${index} `), plan);
    assert.doesNotMatch(plan, /Sort/, plan);
  }
});
