// Upgrading a database written before migration 002: every row kept, inactive advocates become blocked, each
// advocate's code moves to referral_codes with its clicks, clawbacks move onto the reward, foreign keys intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open.ts';

const MIGRATIONS = fileURLToPath(new URL('../src/db/migrations/', import.meta.url));

/**
 * A database file written by the migrations before `upTo` alone (e.g. '002': 001 only), as an older release left it,
 * open with the pragmas it ran with; its folder is removed when the test ends.
 */
function olderDatabase(t: { after(fn: () => unknown): void }, upTo: string) {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-upgrade-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const older = join(dir, 'm');
  mkdirSync(older);
  for (const f of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql') && f < upTo)) copyFileSync(join(MIGRATIONS, f), join(older, f));
  const path = join(dir, 'old.db');
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  old.pragma('foreign_keys = ON');
  migrate(old, older);
  return { dir, path, old };
}

test('a database of migration 001 upgrades with its data, and the upgraded one is the same as a fresh one', (t) => {
  const { dir, path, old } = olderDatabase(t, '002');
  const at = '2026-04-14T12:00:00.000Z';
  old.exec(`
    INSERT INTO brands (id, name, plan, created_at) VALUES ('b1', 'Old brand', 'premier', '${at}');
    INSERT INTO advocates (id, brand_id, email, name, code, status, created_at) VALUES
      (1, 'b1', 'ann@a.example', 'Ann', 'ANN10', 'active', '${at}'),
      (2, 'b1', 'ivy@a.example', 'Ivy', 'IVY10', 'inactive', '${at}');
    INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at) VALUES
      ('b1', 'v1', 'ANN10', 1, '${at}'), ('b1', 'v2', 'ANN10', 1, '${at}'), ('b1', 'v3', 'IVY10', 2, '${at}');
    INSERT INTO conversions (id, brand_id, order_id, email, advocate_id, code, order_value_cents, paid_cents, created_at)
      VALUES (1, 'b1', 'O-1', 'c@x.example', 1, 'ANN10', 10000, 10000, '${at}');
    INSERT INTO rewards (id, brand_id, advocate_id, conversion_id, kind, original_amount, amount, status, available_at, created_at)
      VALUES (1, 'b1', 1, 1, 'cash', 1000, 1000, 'paid', '${at}', '${at}');
    INSERT INTO reward_events (brand_id, reward_id, event, delta, note, created_at) VALUES
      ('b1', 1, 'created', 1000, NULL, '${at}'), ('b1', 1, 'clawback', -400, 'partial refund', '${at}');
  `);
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  const migrations = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort();
  assert.deepEqual(migrations.slice(0, 3), ['001_init.sql', '002_programme.sql', '003_clawback_recovery.sql']);
  assert.deepEqual(db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all(), migrations);
  // 005 filled the search tables with the advocates and codes already there.
  assert.deepEqual(db.prepare(`SELECT rowid FROM advocate_search WHERE advocate_search MATCH 'brand : "b1" AND "ivy10"*'`).pluck().all(), [2]);
  assert.deepEqual(db.prepare(`SELECT rowid FROM referral_search WHERE referral_search MATCH 'brand : "b1" AND "ann"*'`).pluck().all(), [1]);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.deepEqual(db.prepare('SELECT id, email, status FROM advocates ORDER BY id').all(),
    [{ id: 1, email: 'ann@a.example', status: 'active' }, { id: 2, email: 'ivy@a.example', status: 'blocked' }]);
  assert.deepEqual(db.prepare('SELECT advocate_id, code, status, click_count FROM referral_codes ORDER BY id').all(), [
    { advocate_id: 1, code: 'ANN10', status: 'active', click_count: 2 },
    { advocate_id: 2, code: 'IVY10', status: 'active', click_count: 1 },
  ]);
  assert.deepEqual(db.prepare('SELECT level, amount, clawed_back, status FROM rewards').get(),
    { level: 1, amount: 1000, clawed_back: 400, status: 'paid' });
  assert.equal(db.prepare('SELECT count(*) FROM reward_events WHERE reward_id = 1').pluck().get(), 2);
  // Foreign keys still point at the rebuilt tables: a visit of a missing advocate is refused.
  assert.throws(() => db.prepare(`INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at) VALUES ('b1', 'v9', 'X', 99, '${at}')`).run(),
    /FOREIGN KEY/);

  // The upgraded schema is the fresh one.
  const fresh = openDatabase(join(dir, 'fresh.db'));
  t.after(() => fresh.close());
  const schema = (d: Database.Database) =>
    d.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all();
  assert.deepEqual(schema(db), schema(fresh));
});

test('a database of migration 006 with data upgrades to 007 with each advocate\'s counters backfilled from its rows', (t) => {
  const { path, old } = olderDatabase(t, '007');
  const at = '2026-04-14T12:00:00.000Z';
  old.exec(`
    INSERT INTO brands (id, name, plan, created_at) VALUES ('b1', 'One', 'premier', '${at}'), ('b2', 'Two', 'premier', '${at}');
    INSERT INTO advocates (id, brand_id, email, name, created_at, updated_at) VALUES
      (1, 'b1', 'ann@a.example', 'Ann', '${at}', '${at}'), (2, 'b1', 'bob@a.example', 'Bob', '${at}', '${at}'),
      (3, 'b2', 'cy@b.example', 'Cy', '${at}', '${at}'), (4, 'b2', 'di@b.example', 'Di', '${at}', '${at}');
    INSERT INTO conversions (id, brand_id, order_id, email, advocate_id, code, order_value_cents, paid_cents, created_at) VALUES
      (1, 'b1', 'O-1', 'c1@x.example', 1, 'ANN', 10000, 10000, '${at}'), (2, 'b1', 'O-2', 'c2@x.example', 1, 'ANN', 5000, 5000, '${at}'),
      (3, 'b1', 'O-3', 'c3@x.example', 2, 'BOB', 8000, 8000, '${at}'), (4, 'b1', 'O-4', 'c4@x.example', NULL, NULL, 9000, 9000, '${at}'),
      (5, 'b2', 'O-5', 'c5@x.example', 3, 'CY', 4000, 4000, '${at}');
    INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, clawed_back, clawback_recovered,
        status, available_at, created_at, updated_at) VALUES
      ('b1', 1, 1, 1, 'cash', 1000, 1000, 400, 150, 'paid', '${at}', '${at}', '${at}'),
      ('b1', 2, 1, 2, 'cash', 500, 500, 200, 0, 'paid', '${at}', '${at}', '${at}'),
      ('b1', 1, 2, 1, 'cash', 500, 500, 0, 0, 'approved', '${at}', '${at}', '${at}'),
      ('b1', 2, 3, 1, 'cash', 800, 800, 0, 0, 'pending', '${at}', '${at}', '${at}'),
      ('b1', 1, 3, 2, 'points', 40, 40, 0, 0, 'pending', '${at}', '${at}', '${at}'),
      ('b1', 2, 4, 1, 'cash', 900, 0, 0, 0, 'reversed', '${at}', '${at}', '${at}'),
      ('b2', 3, 5, 1, 'cash', 400, 400, 0, 0, 'rejected', '${at}', '${at}', '${at}');
  `);
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  assert.equal(db.prepare(`SELECT count(*) FROM schema_migrations WHERE name = '007_advocate_totals.sql'`).pluck().get(), 1);
  assert.deepEqual(db.prepare(`SELECT id, conversion_count AS n, pending_cents AS pending, approved_cents AS approved,
      paid_cents AS paid, clawed_back_cents AS clawedBack, clawback_due_cents AS due FROM advocates ORDER BY id`).all(), [
    { id: 1, n: 2, pending: 0, approved: 500, paid: 1000, clawedBack: 400, due: 250 },
    { id: 2, n: 1, pending: 800, approved: 0, paid: 500, clawedBack: 200, due: 200 },
    { id: 3, n: 1, pending: 0, approved: 0, paid: 0, clawedBack: 0, due: 0 },
    { id: 4, n: 0, pending: 0, approved: 0, paid: 0, clawedBack: 0, due: 0 },
  ]);
  // From now on the triggers keep them: a new conversion and reward of Di's count at once.
  db.exec(`INSERT INTO conversions (id, brand_id, order_id, email, advocate_id, code, order_value_cents, paid_cents, created_at)
      VALUES (6, 'b2', 'O-6', 'c6@x.example', 4, 'DI', 3000, 3000, '${at}');
    INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, status, available_at, created_at, updated_at)
      VALUES ('b2', 4, 6, 1, 'cash', 300, 300, 'pending', '${at}', '${at}', '${at}');`);
  assert.deepEqual(db.prepare('SELECT conversion_count AS n, pending_cents AS pending FROM advocates WHERE id = 4').get(), { n: 1, pending: 300 });
  assert.deepEqual(db.pragma('foreign_key_check'), []);
});
