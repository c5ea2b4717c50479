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
import { createQueries } from '../src/db/queries.ts';
import { settingsView } from '../src/services/settings.ts';

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

test('a database of migration 013 upgrades to campaigns: each brand\'s programme is its default campaign, every advocate is in it, /settings answers the same', async (t) => {
  const { path, old } = olderDatabase(t, '014');
  const at = '2026-04-14T12:00:00.000Z';
  old.exec(`
    INSERT INTO brands (id, name, plan, attribution_window_days, referee_discount_type, referee_discount_value, referrer_reward_type,
      referrer_reward_value, cooling_period_days, level2_reward_type, level2_reward_value, min_payout, created_at)
    VALUES ('b1', 'Shop', 'premier', 45, 'fixed', 500, 'points', 250, 7, 'percentage', 300, 2000, '${at}'),
           ('b2', 'Other', 'growth', 30, 'percentage', 1000, 'percentage', 1000, 30, 'none', 0, 0, '${at}');
    INSERT INTO advocates (id, brand_id, email, name, created_at, updated_at) VALUES
      (1, 'b1', 'ann@a.example', 'Ann', '${at}', '${at}'), (2, 'b1', 'bo@a.example', 'Bo', '${at}', '${at}'),
      (3, 'b2', 'cy@b.example', 'Cy', '${at}', '${at}');
  `);
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  const q = createQueries(db);
  const b1 = (await q.brands.getBrand('b1'))!;
  // Every programme field answers as before the migration (the API's own view of it).
  assert.deepEqual(settingsView(b1), {
    brand_id: 'b1', name: 'Shop', plan: 'premier', currency: 'USD', allowed_origins: [], attribution_model: 'first_touch',
    attribution_window_days: 45, referee_discount_type: 'fixed', referee_discount_value: 5, referrer_reward_type: 'points',
    referrer_reward_value: 250, cooling_period_days: 7, level2_reward_type: 'percentage', level2_reward_value: 3,
    allow_negative_points: false, min_payout: 20, visit_retention_days: null, respect_gpc: false,
  });
  const campaigns = db.prepare('SELECT id, brand_id, name, is_default FROM campaigns ORDER BY id').all() as
    Array<{ id: number; brand_id: string; name: string; is_default: number }>;
  assert.deepEqual(campaigns.map(({ id: _, ...c }) => c),
    [{ brand_id: 'b1', name: 'Default', is_default: 1 }, { brand_id: 'b2', name: 'Default', is_default: 1 }]);
  assert.equal(b1.defaultCampaignId, campaigns[0]!.id);
  assert.deepEqual(db.prepare('SELECT id, campaign_id FROM advocates ORDER BY id').all(),
    [{ id: 1, campaign_id: campaigns[0]!.id }, { id: 2, campaign_id: campaigns[0]!.id }, { id: 3, campaign_id: campaigns[1]!.id }]);
  // The programme lives in the campaign alone now.
  const columns = (db.prepare('SELECT name FROM pragma_table_info(\'brands\')').pluck().all() as string[]);
  for (const gone of ['referee_discount_type', 'referrer_reward_value', 'cooling_period_days', 'attribution_window_days']) assert.ok(!columns.includes(gone), gone);
});
