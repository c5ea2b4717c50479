// Start-up guarantees: pragmas verified, migrations recorded once, STRICT tables, and logs that never hold a key.
import { asConn } from '../src/db/sqlite/conn.ts';
import { sqliteStore } from '../src/db/store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { COLLECTOR_BUSY_TIMEOUT_MS, openDatabase, TOOL_BUSY_TIMEOUT_MS, verifyPragmas } from '../src/db/open.ts';
import { createQueries } from '../src/db/queries.ts';
import { createAdvocate, createBrand } from '../src/services/brands.ts';

function tempDir(t: { after(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-startup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('openDatabase sets and verifies WAL, synchronous=FULL, foreign keys and busy_timeout', (t) => {
  const db = openDatabase(join(tempDir(t), 'referloop.db'));
  t.after(() => db.close());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 2);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), TOOL_BUSY_TIMEOUT_MS);
  assert.doesNotThrow(() => verifyPragmas(db));
  // The collector's connection waits briefly (its commit queue retries a locked batch from a timer).
  const collector = openDatabase(join(tempDir(t), 'referloop.db'), { busyTimeoutMs: COLLECTOR_BUSY_TIMEOUT_MS });
  t.after(() => collector.close());
  assert.equal(collector.pragma('busy_timeout', { simple: true }), COLLECTOR_BUSY_TIMEOUT_MS);
  assert.doesNotThrow(() => verifyPragmas(collector, COLLECTOR_BUSY_TIMEOUT_MS));
  assert.throws(() => verifyPragmas(collector), /pragma busy_timeout is 20, expected 30000: refusing to start/);
});

test('verifyPragmas refuses a connection where a required pragma is not in force', (t) => {
  const dir = tempDir(t);
  const cases: Array<[name: string, set: string]> = [
    ['journal_mode', 'journal_mode = DELETE'],
    ['synchronous', 'synchronous = NORMAL'],
    ['foreign_keys', 'foreign_keys = OFF'],
    ['busy_timeout', 'busy_timeout = 0'],
  ];
  for (const [name, set] of cases) {
    const db = openDatabase(join(dir, `${name}.db`));
    try {
      db.pragma(set);
      assert.throws(() => verifyPragmas(db), new RegExp(`pragma ${name} .*refusing to start`));
    } finally {
      db.close();
    }
  }
});

test('openDatabase refuses a database that cannot take WAL (an in-memory one)', () => {
  assert.throws(() => openDatabase(':memory:'), /journal_mode is memory, expected wal: refusing to start/);
});

test('migrations are recorded in schema_migrations; applying them again is a no-op', (t) => {
  const path = join(tempDir(t), 'referloop.db');
  const db = openDatabase(path);
  const recorded = db.prepare('SELECT name, applied_at AS appliedAt FROM schema_migrations ORDER BY name').all() as Array<{ name: string; appliedAt: string }>;
  assert.ok(recorded.length >= 1);
  assert.equal(recorded[0]!.name, '001_init.sql');
  for (const r of recorded) assert.match(r.name, /^\d{3}_[a-z0-9_]+\.sql$/);
  const schema = () => db.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name").all();
  const before = schema();
  db.prepare("INSERT INTO brands (id, name, plan, created_at) VALUES ('b1', 'Kept', 'premier', '2026-01-01T00:00:00.000Z')").run();

  assert.deepEqual(migrate(db), []);
  assert.deepEqual(db.prepare('SELECT name, applied_at AS appliedAt FROM schema_migrations ORDER BY name').all(), recorded);
  assert.deepEqual(schema(), before);
  db.close();

  // Reopening the file (a restart) applies nothing either, and keeps the data.
  const again = openDatabase(path);
  t.after(() => again.close());
  assert.deepEqual(again.prepare('SELECT name, applied_at AS appliedAt FROM schema_migrations ORDER BY name').all(), recorded);
  assert.equal(again.prepare("SELECT name FROM brands WHERE id = 'b1'").pluck().get(), 'Kept');
});

test('migrate applies NNN_name.sql files in order, once each; a failing one is rolled back and not recorded', (t) => {
  const dir = tempDir(t);
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '002_fill.sql'), "INSERT INTO a (v) VALUES ('from 002');");
  writeFileSync(join(migrations, '001_create.sql'), 'CREATE TABLE a (v TEXT NOT NULL) STRICT;');
  writeFileSync(join(migrations, 'README.txt'), 'not a migration');
  const db = new Database(join(dir, 'm.db'));
  t.after(() => db.close());
  assert.deepEqual(migrate(db, migrations + '/'), ['001_create.sql', '002_fill.sql']);
  assert.deepEqual(migrate(db, migrations + '/'), []);
  assert.deepEqual(db.prepare('SELECT v FROM a').pluck().all(), ['from 002']);

  writeFileSync(join(migrations, '003_broken.sql'), 'CREATE TABLE b (v TEXT) STRICT; INSERT INTO nowhere VALUES (1);');
  assert.throws(() => migrate(db, migrations + '/'), /no such table: nowhere/);
  assert.deepEqual(db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all(), ['001_create.sql', '002_fill.sql']);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").pluck().get(), 0);
});

test('a migration that rebuilds a table runs with foreign keys off and is rolled back if it leaves a broken reference; others run with them on; foreign keys are on again', (t) => {
  const dir = tempDir(t);
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '001_tables.sql'),
    'CREATE TABLE p (id INTEGER PRIMARY KEY) STRICT; CREATE TABLE c (p_id INTEGER NOT NULL REFERENCES p (id)) STRICT; INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);');
  // A rebuild of the parent (what SQLite needs to change a constraint) passes the check...
  writeFileSync(join(migrations, '002_rebuild.sql'),
    'CREATE TABLE p_new (id INTEGER PRIMARY KEY, note TEXT) STRICT; INSERT INTO p_new (id) SELECT id FROM p; DROP TABLE p; ALTER TABLE p_new RENAME TO p;');
  const db = new Database(join(dir, 'fk.db'));
  t.after(() => db.close());
  db.pragma('foreign_keys = ON');
  assert.deepEqual(migrate(db, migrations), ['001_tables.sql', '002_rebuild.sql']);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  // ...a rebuild that loses the parent row of a child does not...
  writeFileSync(join(migrations, '003_orphan.sql'),
    'CREATE TABLE p_new (id INTEGER PRIMARY KEY, note TEXT) STRICT; DROP TABLE p; ALTER TABLE p_new RENAME TO p;');
  assert.throws(() => migrate(db, migrations), /003_orphan\.sql leaves 1 broken foreign keys/);
  assert.equal(db.prepare('SELECT count(*) FROM p').pluck().get(), 1);
  assert.deepEqual(db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all(), ['001_tables.sql', '002_rebuild.sql']);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  // ...and a migration that rebuilds nothing runs with foreign keys on: SQLite refuses the orphaning statement itself
  // (no whole-database check, which costs seconds on a big file).
  rmSync(join(migrations, '003_orphan.sql'));
  writeFileSync(join(migrations, '003_delete.sql'), 'DELETE FROM p;');
  assert.throws(() => migrate(db, migrations), /migration 003_delete\.sql: FOREIGN KEY constraint failed/);
  assert.equal(db.prepare('SELECT count(*) FROM p').pluck().get(), 1);
  assert.deepEqual(db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all(), ['001_tables.sql', '002_rebuild.sql']);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
});

test('every table is STRICT: a wrong type is refused, not silently stored', (t) => {
  const db = openDatabase(join(tempDir(t), 'referloop.db'));
  t.after(() => db.close());
  // The search indexes (migration 005) are FTS5 virtual tables with SQLite's own shadow tables: only triggers on
  // STRICT tables write them. Every other table is an ordinary one.
  const special = db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow') ORDER BY name").all();
  assert.deepEqual(special, ['advocate_search', 'referral_search'].flatMap((vt) => [
    { name: vt, type: 'virtual' },
    ...['config', 'content', 'data', 'docsize', 'idx'].map((s) => ({ name: `${vt}_${s}`, type: 'shadow' })),
  ]));
  const tables = (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; sql: string }>)
    .filter((t) => !special.some((v) => (v as { name: string }).name === t.name));
  assert.ok(tables.length >= 9);
  // STRICT among the table options (the per-day totals of migration 009 are also WITHOUT ROWID).
  for (const { name, sql } of tables) assert.match(sql, /\)\s*(?:WITHOUT ROWID\s*,\s*)?STRICT(?:\s*,\s*WITHOUT ROWID)?\s*$/i, `${name} is not STRICT`);
  // pragma_table_list says the same from SQLite's side.
  const notStrict = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND strict = 0").pluck().all();
  assert.deepEqual(notStrict, []);
  assert.throws(
    () => db.prepare("INSERT INTO brands (id, name, plan, min_payout, created_at) VALUES ('b', 'n', 'premier', 'thirty', 'now')").run(),
    /cannot store TEXT value in INTEGER column/,
  );
});

test('logs never contain a key, and every request writes one line', async (t) => {
  const dir = tempDir(t);
  const db = openDatabase(join(dir, 'referloop.db'));
  const masterKey = Buffer.alloc(32, 9);
  const q = createQueries(db);
  const origin = 'http://shop.test';
  const brand = await createBrand(asConn(db), q, masterKey, { name: 'Logged', plan: 'premier', origins: [origin] });
  await createAdvocate(q, { brandId: brand.brand_id, email: 'sarah@advocate.example', name: 'Sarah', code: 'V2AVMRDJ' });

  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => { lines.push(line); } });
  const config = { ...loadConfig({}), dataDir: dir, dbPath: join(dir, 'referloop.db'), rateLimits: null };
  const { app, deps } = createApp({ store: sqliteStore(db), config, masterKey, logger });
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.queue.drained();
    await deps.store.close();
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const json = { 'Content-Type': 'application/json' };
  const sk = brand.secret_key;
  const pk = brand.publishable_key;
  const convertBody = JSON.stringify({ referral_code: 'V2AVMRDJ', email: 'hook@example.com', value: 10 });
  const requests: Array<[path: string, headers: Record<string, string>, body: string]> = [
    ['/api/v1/track/visit', { ...json, 'X-API-Key': sk, 'X-Brand-ID': brand.brand_id }, JSON.stringify({ referral_code: 'V2AVMRDJ' })],
    ['/api/v1/track/visit', { ...json, Authorization: `Bearer ${sk}` }, JSON.stringify({ referral_code: 'V2AVMRDJ' })],
    ['/api/v1/track/visit', { ...json, 'X-API-Key': pk, 'X-Brand-ID': brand.brand_id, Origin: origin }, JSON.stringify({ referral_code: 'V2AVMRDJ' })],
    ['/api/v1/track/visit', { 'Content-Type': 'text/plain', Origin: origin }, JSON.stringify({ brand_id: brand.brand_id, key: pk, referral_code: 'V2AVMRDJ' })],
    ['/api/v1/track/claim', { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin }, JSON.stringify({ brand_id: brand.brand_id, key: pk, referral_code: 'V2AVMRDJ', email: 'c@example.com' })],
    ['/api/v1/track/check-eligibility', { ...json, Authorization: `Bearer ${pk}`, Origin: origin }, JSON.stringify({ referral_code: 'V2AVMRDJ', email: 'd@example.com' })],
    ['/api/v1/track/conversion', { ...json, 'X-API-Key': sk, 'X-Brand-ID': brand.brand_id }, JSON.stringify({ customer_email: 'c@example.com', order_id: 'L-1', order_value: 9 })],
    // Refused calls are logged too, still without the key that was refused.
    ['/api/v1/track/conversion', { ...json, 'X-API-Key': pk, 'X-Brand-ID': brand.brand_id }, JSON.stringify({ customer_email: 'c@example.com', order_id: 'L-2', order_value: 9 })],
    ['/api/v1/track/visit', { ...json, 'X-API-Key': pk, 'X-Brand-ID': brand.brand_id, Origin: 'http://evil.test' }, JSON.stringify({ referral_code: 'V2AVMRDJ' })],
    ['/api/v1/track/visit', { ...json, 'X-API-Key': `${sk}x`, 'X-Brand-ID': brand.brand_id }, JSON.stringify({ referral_code: 'V2AVMRDJ' })],
    ['/api/v1/track/visit', { ...json, 'X-API-Key': sk, 'X-Brand-ID': brand.brand_id }, '{"referral_code": '],
    ['/api/v1/convert', { ...json, 'X-Brand-ID': brand.brand_id, 'X-AL-Signature': createHmac('sha256', sk).update(convertBody).digest('hex') }, convertBody],
    ['/api/v1/convert', { ...json, 'X-Brand-ID': brand.brand_id, 'X-AL-Signature': sk }, convertBody],
  ];
  const statuses: number[] = [];
  for (const [path, headers, body] of requests) {
    const res = await fetch(url + path, { method: 'POST', headers, body });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 201, 200, 201, 403, 403, 401, 400, 201, 401]);

  // A line is written when the response finishes; wait (a bounded number of turns) for the last one.
  for (let i = 0; i < 100 && lines.length < requests.length; i++) await new Promise((r) => setTimeout(r, 10));
  const log = lines.join('');
  const entries = lines.map((l) => JSON.parse(l) as { msg: string; path: string; status: number });
  assert.equal(entries.filter((e) => e.msg === 'request').length, requests.length, log);
  assert.deepEqual(entries.filter((e) => e.msg === 'request').map((e) => e.status), statuses);
  for (const key of [sk, pk]) {
    assert.equal(log.includes(key), false, 'a key appears in the log');
    assert.equal(log.includes(key.slice(6)), false, 'the secret part of a key appears in the log');
    assert.equal(log.includes(key.slice(-8)), false, 'the end of a key appears in the log');
  }
});
