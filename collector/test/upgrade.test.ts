// Upgrading a database written before migration 002: every row kept, inactive advocates become blocked, each
// advocate's code moves to referral_codes with its clicks, clawbacks move onto the reward, foreign keys intact; and a
// database of campaigns before 016 (both engines) whose overview answers the same after 016 keyed its totals by campaign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open.ts';
import { migratePg, migrationFiles } from '../src/db/pg/migrate.ts';
import { openPgStore } from '../src/db/pg/store.ts';
import { sqlFor, type Conn, type Dialect } from '../src/db/port.ts';
import { asConn } from '../src/db/sqlite/conn.ts';
import { createQueries } from '../src/db/queries.ts';
import { lastDays } from '../src/domain/overview.ts';
import { getCommission } from '../src/services/commissions.ts';
import { overview } from '../src/services/overview.ts';
import { getRecord } from '../src/services/referralRecords.ts';
import { settingsView } from '../src/services/settings.ts';
import { DAILY_FROM_ROWS, DAILY_STORED } from './support/definitions.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';

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
    INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, status, available_at, created_at, updated_at,
        campaign_id, uuid)
      VALUES ('b2', 4, 6, 1, 'cash', 300, 300, 'pending', '${at}', '${at}', '${at}', (SELECT id FROM campaigns WHERE brand_id = 'b2'), 'u-1');`);
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
    // added since (migration 021), at its default
    sso_auto_enrol: true,
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

// ---- 016: the per-day totals keyed by campaign ----

const D1 = '2026-05-01T10:00:00.000Z';
const D2 = '2026-05-02T10:00:00.000Z';
/**
 * A brand with two campaigns as a collector before 016 wrote it (the same SQL on both engines): Ann in the default
 * campaign, Bo in Partners, Cy moved to Partners after a conversion the default campaign's rules made; visits, claims,
 * conversions (one unattributed, one refunded in part), commissions of every status, and another brand. One of Bo's
 * visits was deleted by retention: its click stays counted.
 */
const BEFORE_016 = `
  INSERT INTO brands (id, name, plan, created_at) VALUES ('b1', 'Shop', 'premier', '${D1}'), ('b2', 'Other', 'growth', '${D1}');
  INSERT INTO campaigns (id, brand_id, name, is_default, created_at, updated_at) VALUES
    (1, 'b1', 'Default', 1, '${D1}', '${D1}'), (2, 'b1', 'Partners', 0, '${D1}', '${D1}'), (3, 'b2', 'Default', 1, '${D1}', '${D1}');
  INSERT INTO advocates (id, brand_id, email, name, campaign_id, created_at, updated_at) VALUES
    (1, 'b1', 'ann@a.example', 'Ann', 1, '${D1}', '${D1}'), (2, 'b1', 'bo@a.example', 'Bo', 2, '${D1}', '${D1}'),
    (3, 'b1', 'cy@a.example', 'Cy', 2, '${D1}', '${D1}'), (4, 'b2', 'di@b.example', 'Di', 3, '${D1}', '${D1}');
  INSERT INTO visits (id, brand_id, visitor_id, code, advocate_id, share_channel, utm_source, created_at) VALUES
    (1, 'b1', 'v1', 'ANN', 1, 'whatsapp', 'wa', '${D1}'), (2, 'b1', 'v2', 'ANN', 1, NULL, NULL, '${D1}'),
    (3, 'b1', 'v3', 'BO', 2, 'whatsapp', 'wa', '${D1}'), (4, 'b1', 'v4', 'BO', 2, 'whatsapp', 'wa', '${D1}'),
    (5, 'b1', 'v5', 'CY', 3, 'sms', 'ads', '${D2}'), (6, 'b1', 'v6', 'ANN', 1, 'sms', 'ads', '${D2}'),
    (7, 'b2', 'v7', 'DI', 4, 'whatsapp', 'wa', '${D2}');
  DELETE FROM visits WHERE id = 4;
  INSERT INTO claims (id, brand_id, advocate_id, code, email, created_at) VALUES
    (1, 'b1', 1, 'ANN', 'c1@x.example', '${D1}'), (2, 'b1', 3, 'CY', 'c3@x.example', '${D2}'), (3, 'b2', 4, 'DI', 'c7@x.example', '${D2}');
  INSERT INTO conversions (id, brand_id, order_id, email, advocate_id, code, order_value_cents, paid_cents, refunded_cents, products, created_at) VALUES
    (1, 'b1', 'O-1', 'c1@x.example', 1, 'ANN', 10000, 10000, 2500, '[{"name":"Tee","price_cents":4000,"quantity":2},{"name":"Tote","price_cents":2000,"quantity":1}]', '${D1}'),
    (2, 'b1', 'O-2', 'c2@x.example', 2, 'BO', 5000, 5000, 0, '[{"name":"Tote","price_cents":5000,"quantity":1}]', '${D1}'),
    (3, 'b1', 'O-3', 'c3@x.example', 3, 'CY', 8000, 8000, 0, NULL, '${D2}'),
    (4, 'b1', 'O-4', 'c4@x.example', NULL, NULL, 9000, 9000, 0, NULL, '${D2}'),
    (5, 'b2', 'O-5', 'c7@x.example', 4, 'DI', 4000, 4000, 0, NULL, '${D2}'),
    (6, 'b1', 'O-6', 'c6@x.example', 3, 'CY', 2000, 2000, 0, '[{"name":"Tee","price_cents":2000,"quantity":1}]', '${D2}');
  INSERT INTO rewards (id, brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, clawed_back, clawback_recovered,
      status, available_at, campaign_id, created_at, updated_at) VALUES
    (1, 'b1', 1, 1, 1, 'cash', 1000, 750, 0, 0, 'pending', '${D2}', 1, '${D1}', '${D1}'),
    (2, 'b1', 2, 2, 1, 'cash', 1000, 1000, 0, 0, 'approved', '${D2}', 2, '${D1}', '${D1}'),
    (3, 'b1', 3, 3, 1, 'cash', 800, 800, 300, 100, 'paid', '${D2}', 1, '${D2}', '${D2}'),
    (4, 'b1', 1, 3, 2, 'points', 40, 40, 0, 0, 'pending', '${D2}', 1, '${D2}', '${D2}'),
    (5, 'b2', 4, 5, 1, 'cash', 400, 400, 0, 0, 'rejected', '${D2}', 3, '${D2}', '${D2}');
`;

type Read = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;
/** Numbers as numbers (PostgreSQL's client answers bigint and sums as text). */
const numbers = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) =>
  [k, typeof v === 'string' && /^-?\d+$/.test(v) && !['day', 'name'].includes(k) ? Number(v) : v])));

/** What the overview of 2 May and 1 May read before 016: 009's statements, as db/dailyTotals.ts ran them then. */
async function overviewBefore016(read: Read) {
  const range = ['b1', '2026-05-01', '2026-05-02'];
  const all = async (sql: string, params = range) => numbers(await read(sql, params));
  return {
    days: await all(`SELECT day, claims, conversions, revenue_cents AS "revenueCents", net_revenue_cents AS "netRevenueCents",
      refunded_cents AS "refundedCents", pending_cents AS "pendingCents", approved_cents AS "approvedCents", paid_cents AS "paidCents",
      clawed_back_cents AS "clawedBackCents", clawback_due_cents AS "clawbackDueCents"
      FROM daily_totals WHERE brand_id = ? AND day >= ? AND day <= ? ORDER BY day`),
    clicks: await all(`SELECT day, sum(clicks) AS clicks FROM daily_sources WHERE brand_id = ? AND day >= ? AND day <= ? GROUP BY day ORDER BY day`),
    standing: (await all(`SELECT coalesce(sum(conversions), 0) AS conversions, coalesce(sum(pending_cents), 0) AS "pendingCents",
      coalesce(sum(approved_cents), 0) AS "approvedCents", coalesce(sum(clawback_due_cents), 0) AS "clawbackDueCents"
      FROM daily_totals WHERE brand_id = ?`, ['b1']))[0],
    topAdvocates: await all(`SELECT advocate_id AS "advocateId", sum(conversions) AS conversions, sum(net_revenue_cents) AS "netRevenueCents"
      FROM daily_advocates WHERE brand_id = ? AND day >= ? AND day <= ? GROUP BY advocate_id ORDER BY sum(net_revenue_cents) DESC, advocate_id`),
    topProducts: await all(`SELECT name, sum(units) AS units, sum(revenue_cents) AS "revenueCents", sum(net_revenue_cents) AS "netRevenueCents"
      FROM daily_products WHERE brand_id = ? AND day >= ? AND day <= ? GROUP BY name ORDER BY sum(net_revenue_cents) DESC, name`),
    topChannels: await all(`SELECT share_channel AS name, sum(clicks) AS clicks FROM daily_sources WHERE brand_id = ? AND day >= ? AND day <= ?
      GROUP BY share_channel ORDER BY sum(clicks) DESC, name`),
    revenue: await all(`SELECT advocate_id AS id, net_revenue_cents AS total FROM advocate_revenue WHERE brand_id = ? ORDER BY advocate_id`, ['b1']),
  };
}

/** After 016, on `db`: the overview of all campaigns answers what `before` read, and each campaign has its part. */
/**
 * After 015, the commissions of BEFORE_016 answer every field they answered before with the same value (the new ones:
 * each a purchase's, with a uuid of its own), each is one referral record saying the same, and an advocate needs a campaign.
 */
async function checkRecordsAfter015(db: Conn) {
  const q = createQueries(db);
  const ctx = { q, brand: (await q.brands.getBrand('b1'))!, now: new Date(D2) };
  const commissions = await Promise.all([1, 2, 3, 4].map((id) => getCommission(ctx, id)));
  assert.deepEqual(commissions.map((c) => [c.id, c.advocate_id, c.conversion_id, c.order_id, c.level, c.kind, c.campaign_id, c.amount,
    c.original_amount, c.clawed_back, c.clawback_recovered, c.net_amount, c.status, c.conversion_amount, c.available_at, c.created_at]), [
    [1, 1, 1, 'O-1', 1, 'cash', 1, 7.5, 10, 0, 0, 7.5, 'pending', 100, D2, D1],
    [2, 2, 2, 'O-2', 1, 'cash', 2, 10, 10, 0, 0, 10, 'approved', 50, D2, D1],
    [3, 3, 3, 'O-3', 1, 'cash', 1, 8, 8, 3, 1, 5, 'paid', 80, D2, D2],
    [4, 1, 3, 'O-3', 2, 'points', 1, 40, 40, 0, 0, 40, 'pending', 80, D2, D2],
  ]);
  assert.ok(commissions.every((c) => c.reward_action_type === 1 && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(c.referral_record_uuid)));
  assert.equal(new Set(commissions.map((c) => c.referral_record_uuid)).size, 4);
  for (const c of commissions) {
    const r = await getRecord(ctx, c.referral_record_uuid);
    assert.deepEqual([r.commission_id, r.referrer_advocate_id, r.order, r.reward_earned, r.status, r.reward_paid, r.level, r.campaign_id],
      [c.id, c.advocate_id, { conversion_id: c.conversion_id, order_id: c.order_id }, c.amount, c.status, c.status === 'paid', c.level, c.campaign_id]);
  }
  await assert.rejects(async () => db.prepare(`INSERT INTO advocates (brand_id, email, name, created_at, updated_at) VALUES ('b1', 'x@a.example', 'X', ?, ?)`)
    .run(D2, D2), /campaign_id/);
}

async function checkAfter016(db: Conn, dialect: Dialect, before: Awaited<ReturnType<typeof overviewBefore016>>) {
  const q = createQueries(db);
  const ctx = { q, brand: (await q.brands.getBrand('b1'))!, now: new Date(D2) };
  const range = lastDays(new Date(D2), 2);
  const o = await overview(ctx, range);
  assert.deepEqual(o.series.map(({ clicks: _c, ...d }) => d), before.days);
  assert.deepEqual(o.series.map((d) => ({ day: d.day, clicks: d.clicks })), before.clicks);
  assert.deepEqual(o.standing, before.standing);
  assert.deepEqual(o.topAdvocates.map(({ advocateId, conversions, netRevenueCents }) => ({ advocateId, conversions, netRevenueCents })), before.topAdvocates);
  assert.deepEqual(o.topProducts, before.topProducts);
  assert.deepEqual(o.topChannels, before.topChannels);
  // The walk's bounds are kept as they were: each advocate's revenue over every day and campaign.
  assert.deepEqual(numbers(await db.prepare(`SELECT advocate_id AS id, net_revenue_cents AS total FROM advocate_revenue WHERE brand_id = ?
    ORDER BY advocate_id`).all('b1')), before.revenue);
  assert.deepEqual(o.latestConversions.map((c) => c.orderId), ['O-6', 'O-3', 'O-2', 'O-1']);

  // Each record's campaign: its advocate's now; an attributed conversion's, its commission's when it has one.
  assert.deepEqual(numbers(await db.prepare('SELECT id, campaign_id AS campaign FROM visits ORDER BY id').all()),
    [[1, 1], [2, 1], [3, 2], [5, 2], [6, 1], [7, 3]].map(([id, campaign]) => ({ id, campaign })));
  assert.deepEqual(numbers(await db.prepare('SELECT id, campaign_id AS campaign FROM claims ORDER BY id').all()),
    [[1, 1], [2, 2], [3, 3]].map(([id, campaign]) => ({ id, campaign })));
  assert.deepEqual(numbers(await db.prepare('SELECT id, campaign_id AS campaign FROM conversions ORDER BY id').all()),
    [[1, 1], [2, 2], [3, 1], [4, null], [5, 3], [6, 2]].map(([id, campaign]) => ({ id, campaign })));
  // The tables are their definitions, but for the click retention deleted: it stays, in the default campaign.
  for (const table of Object.keys(DAILY_FROM_ROWS) as Array<keyof typeof DAILY_FROM_ROWS>) {
    if (table === 'daily_sources') continue;
    assert.deepEqual(numbers(await db.prepare(`SELECT * FROM ${table} ${DAILY_STORED[table]}`).all()),
      numbers(await db.prepare(sqlFor(DAILY_FROM_ROWS[table], dialect)).all()), table);
  }
  assert.deepEqual(numbers(await db.prepare(`SELECT campaign_id, day, share_channel, clicks FROM daily_sources WHERE brand_id = 'b1'
    ORDER BY campaign_id, day, share_channel`).all()), [
    { campaign_id: 1, day: '2026-05-01', share_channel: '', clicks: 1 },
    { campaign_id: 1, day: '2026-05-01', share_channel: 'whatsapp', clicks: 2 }, // Ann's, and Bo's deleted visit
    { campaign_id: 1, day: '2026-05-02', share_channel: 'sms', clicks: 1 },
    { campaign_id: 2, day: '2026-05-01', share_channel: 'whatsapp', clicks: 1 },
    { campaign_id: 2, day: '2026-05-02', share_channel: 'sms', clicks: 1 },
  ]);
  const partners = await overview(ctx, range, { campaignId: 2 });
  assert.deepEqual([partners.figures.clicks.current, partners.figures.conversions.current, partners.figures.netRevenueCents.current,
    partners.figures.approvedCents.current], [2, 2, 7000, 1000]);
  assert.deepEqual(partners.latestConversions.map((c) => c.orderId), ['O-6', 'O-2']);

  // The triggers keep them from then on.
  await db.prepare(`INSERT INTO visits (id, brand_id, visitor_id, code, advocate_id, campaign_id, created_at) VALUES (8, 'b1', 'v8', 'CY', 3, 2, ?)`).run(D2);
  assert.equal((await overview(ctx, range, { campaignId: 2 })).figures.clicks.current, 3);
  assert.equal((await overview(ctx, range)).figures.clicks.current, before.clicks.reduce((n, d) => n + Number(d.clicks), 0) + 1);
}

test('a database of campaigns before 016 upgrades: its overview answers the same for all campaigns, each campaign its part, retention\'s clicks kept', async (t) => {
  const { path, old } = olderDatabase(t, '015');
  old.exec(BEFORE_016);
  const read: Read = async (sql, params) => old.prepare(sql).all(...params) as Array<Record<string, unknown>>;
  const before = await overviewBefore016(read);
  assert.deepEqual(before.clicks, [{ day: '2026-05-01', clicks: 4 }, { day: '2026-05-02', clicks: 2 }]);
  old.close();
  const db = openDatabase(path);
  t.after(() => db.close());
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  await checkAfter016(asConn(db), 'sqlite', before);
  await checkRecordsAfter015(asConn(db));
});

test('on PostgreSQL a database of campaigns before 016 upgrades the same way', { skip: pgTestSkip() ?? false }, async (t) => {
  const database = await createTestDatabase({ migrated: false });
  const dir = mkdtempSync(join(tmpdir(), 'referloop-pg-upgrade-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pgMigrations = fileURLToPath(new URL('../src/db/pg/migrations/', import.meta.url));
  for (const f of migrationFiles().filter((f) => f < '015')) copyFileSync(join(pgMigrations, f), join(dir, f));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  let store: Awaited<ReturnType<typeof openPgStore>> | undefined;
  t.after(async () => {
    await client.end();
    await store?.close();
    await database.drop();
  });
  await migratePg(client, dir);
  await client.query(BEFORE_016);
  const read: Read = async (sql, params) => {
    let n = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
  };
  const before = await overviewBefore016(read);
  store = await openPgStore(database.url, { poolSize: 2, listen: false });
  await checkAfter016(store.db, 'pg', before);
  await checkRecordsAfter015(store.db);
});
