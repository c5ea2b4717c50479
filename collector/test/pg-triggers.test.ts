// PostgreSQL's triggers (pg/migrations/012_baseline.sql) keep what SQLite's keep: after every step of a scenario of
// rows written with SQL, the advocate counters, per-day tables, payout runs and advocate counts equal the GROUP BYs
// that define them (those of daily-totals.test.ts and http/advocate-totals.test.ts, written for PostgreSQL here); the
// search tables find what FTS5 finds, their words split and folded as FTS5's; a product line reads as SQLite's JSON
// functions read it; and two transactions writing one day's row both commit.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlFor } from '../src/db/port.ts';
import {
  COUNTERS_FROM_ROWS, COUNTERS_STORED, DAILY_FROM_ROWS, DAILY_STORED, RUNS_AND_COUNTS_FROM_ROWS, RUNS_AND_COUNTS_STORED,
} from './support/definitions.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';

/** Without a PostgreSQL server (a developer's machine without one) these say why they did not run; CI fails instead. */
const skip = pgTestSkip() ?? false;

/** The definitions, as daily-totals.test.ts and http/advocate-totals.test.ts check them, in PostgreSQL's text. */
const FROM_ROWS = { ...Object.fromEntries(Object.entries(DAILY_FROM_ROWS).map(([t, q]) => [t, sqlFor(q, 'pg')])), ...RUNS_AND_COUNTS_FROM_ROWS } as
  Record<keyof typeof DAILY_FROM_ROWS | keyof typeof RUNS_AND_COUNTS_FROM_ROWS, string>;
const STORED = { ...DAILY_STORED, ...RUNS_AND_COUNTS_STORED };

/** A fresh migrated database and connections to it (ended before it is dropped), or null when skipped. */
async function pgDatabase(t: TestContext) {
  const database = await createTestDatabase();
  const clients: pg.Client[] = [];
  t.after(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await database.drop();
  });
  return async () => {
    const client = new pg.Client({ connectionString: database.url });
    clients.push(client);
    await client.connect();
    return client;
  };
}

/** Each table's key: the other columns are its figures (and daily_totals' id bounds). */
const KEYS: Record<keyof typeof FROM_ROWS, string[]> = {
  daily_totals: ['brand_id', 'campaign_id', 'day', 'first_conversion_id', 'last_conversion_id'],
  daily_sources: ['brand_id', 'campaign_id', 'day', 'share_channel', 'utm_source'],
  daily_advocates: ['brand_id', 'campaign_id', 'day', 'advocate_id'],
  daily_advocate_clicks: ['brand_id', 'advocate_id', 'day'],
  advocate_revenue: ['brand_id', 'advocate_id'],
  daily_products: ['brand_id', 'campaign_id', 'day', 'name'],
  payout_runs: ['brand_id', 'paid_at'],
  brand_advocate_counts: ['brand_id'],
};

// Values compare as pg returns them: bigint and numeric (a sum) both as decimal strings.
const normalise = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));
/**
 * Rows whose every figure is 0 left out on both sides: a row whose records all moved to another day, advocate or
 * source stays at 0 (on SQLite too, by the same triggers), where the GROUP BY has no group.
 */
const withFigures = (table: keyof typeof FROM_ROWS, rows: Array<Record<string, string | null>>) =>
  rows.filter((r) => Object.entries(r).some(([k, v]) => !KEYS[table].includes(k) && v !== '0'));

const D1 = '2026-04-14T23:59:59.990Z';
const D2 = '2026-04-15T00:00:00.010Z';
const TSHIRT = { name: 'Classic T-Shirt', quantity: 2, price_cents: 2999, sku: 'TSH-001' };
const TOTE = { name: 'Canvas Tote', quantity: 1, price_cents: 1500 };

test('the counters, per-day tables, payout runs and advocate counts equal their definitions after every step', { skip }, async (t) => {
  const connect = await pgDatabase(t);
  const client = await connect();
  const sql = async (text: string, params: unknown[] = []) => (await client.query(text, params)).rows;
  const id = async (text: string, params: unknown[]) => Number((await sql(`${text} RETURNING id`, params))[0].id);
  const check = async (step: string) => {
    for (const table of Object.keys(FROM_ROWS) as Array<keyof typeof FROM_ROWS>) {
      assert.deepEqual(withFigures(table, normalise(await sql(`SELECT * FROM ${table} ${STORED[table]}`))),
        withFigures(table, normalise(await sql(FROM_ROWS[table]))), `${table} after ${step}`);
    }
    assert.deepEqual(normalise(await sql(COUNTERS_STORED)), normalise(await sql(COUNTERS_FROM_ROWS)), `advocate counters after ${step}`);
  };

  for (const b of ['brand-1', 'brand-2']) await sql(`INSERT INTO brands (id, name, plan, created_at) VALUES ($1, $1, 'growth', $2)`, [b, D1]);
  // Each brand's default campaign, and a second one of brand-1's (migration 016: every record in its advocate's).
  const campaign = (brand: string, name: string, isDefault: number) =>
    id('INSERT INTO campaigns (brand_id, name, is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [brand, name, isDefault, D1]);
  const defaults: Record<string, number> = { 'brand-1': await campaign('brand-1', 'Default', 1), 'brand-2': await campaign('brand-2', 'Default', 1) };
  const partners = await campaign('brand-1', 'Partners', 0);
  const advocate = (brand: string, email: string, name: string, referredBy: number | null = null) =>
    id('INSERT INTO advocates (brand_id, email, name, referred_by, campaign_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
      [brand, email, name, referredBy, defaults[brand], D1]);
  /** The record's campaign as the write paths give it: its advocate's now. */
  const campaignOf = (advocateParam: string) => `(SELECT campaign_id FROM advocates WHERE id = ${advocateParam})`;
  const code = (brand: string, advocateId: number, text: string) =>
    id('INSERT INTO referral_codes (brand_id, advocate_id, code, created_at) VALUES ($1, $2, $3, $4)', [brand, advocateId, text, D1]);
  const jane = await advocate('brand-1', 'jane.doe@example.com', 'José Doe');
  const ann = await advocate('brand-1', 'john@x.com', 'Ann Smith', jane);
  const other = await advocate('brand-2', 'jo@other.example', 'Jo Other');
  const leaving = await advocate('brand-1', 'leaving@advocate.example', 'Lee Ving');
  const moving = await advocate('brand-1', 'moving@advocate.example', 'Mo Ving');
  await check('advocates');
  await code('brand-1', jane, 'JANE10');
  await code('brand-1', jane, 'V2AVMRDJ');
  await code('brand-1', ann, 'SMITH');
  await code('brand-2', other, 'OTHER');
  const leavingCode = await code('brand-1', leaving, 'LEE1');
  await check('codes');

  // Visits on both sides of midnight UTC, then a source changed; the day keeps a visit of its old source.
  const visit = (brand: string, advocateId: number, at: string, channel: string | null, source: string | null) =>
    id(`INSERT INTO visits (brand_id, visitor_id, code, advocate_id, share_channel, utm_source, created_at, campaign_id)
        VALUES ($1, 'v', 'C', $2, $3, $4, $5, ${campaignOf('$2::bigint')})`,
      [brand, advocateId, channel, source, at]);
  await visit('brand-1', jane, D1, 'whatsapp', 'newsletter');
  const changed = await visit('brand-1', jane, D1, 'whatsapp', 'newsletter');
  await visit('brand-1', ann, D1, null, null);
  await visit('brand-1', ann, D2, 'copy_link', null);
  await visit('brand-2', other, D2, 'sms', 'ads');
  await check('visits');
  await sql(`UPDATE visits SET utm_source = 'ads' WHERE id = $1`, [changed]);
  await check('a visit source changed');

  const claim = (advocateId: number, at: string, email: string) =>
    id(`INSERT INTO claims (brand_id, advocate_id, code, email, created_at, campaign_id) VALUES ('brand-1', $1, 'JANE10', $2, $3, ${campaignOf('$1::bigint')})`,
      [advocateId, email, at]);
  await claim(jane, D1, 'a@customer.example');
  const movedClaim = await claim(jane, D1, 'b@customer.example');
  const deletedClaim = await claim(ann, D1, 'c@customer.example');
  await claim(ann, D2, 'd@customer.example');
  await check('claims');
  await sql('UPDATE claims SET created_at = $1 WHERE id = $2', [D2, movedClaim]);
  await sql('DELETE FROM claims WHERE id = $1', [deletedClaim]);
  await check('a claim moved a day, one deleted');

  const conversion = (brand: string, advocateId: number | null, at: string, order: string, cents: number, products: unknown[] | null) =>
    id(`INSERT INTO conversions (brand_id, order_id, email, advocate_id, order_value_cents, paid_cents, products, created_at, campaign_id)
        VALUES ($1, $2, $2 || '@customer.example', $3, $4, $4, $5, $6, ${campaignOf('$3::bigint')})`, [brand, order, advocateId, cents, products && JSON.stringify(products), at]);
  const c1 = await conversion('brand-1', jane, D1, 'O-1', 12000, [TSHIRT, TOTE]);
  // One product twice in an order: its two lines meet in one row.
  const c2 = await conversion('brand-1', ann, D1, 'O-2', 8000, [{ ...TSHIRT, quantity: 1 }, { ...TSHIRT, quantity: 1 }]);
  const c3 = await conversion('brand-1', jane, D1, 'O-3', 5000, [TOTE]);
  const c4 = await conversion('brand-1', null, D1, 'O-4', 7000, [TOTE]); // not attributed: in no figure
  const c5 = await conversion('brand-1', jane, D2, 'O-5', 7000, null);
  await conversion('brand-2', other, D2, 'O-6', 4000, [{ name: 'Widget', quantity: 3, price_cents: 1000 }]);
  await check('conversions');

  // Refunds restate the order's day: partial, then the rest; half of another.
  await sql('UPDATE conversions SET refunded_cents = 3000 WHERE id = $1', [c1]);
  await check('a partial refund');
  await sql('UPDATE conversions SET refunded_cents = 12000 WHERE id = $1', [c1]);
  await sql('UPDATE conversions SET refunded_cents = 4000 WHERE id = $1', [c2]);
  await check('a full refund and a half');
  await sql('UPDATE conversions SET created_at = $1 WHERE id = $2', [D2, c2]);
  await sql('UPDATE conversions SET advocate_id = $1 WHERE id = $2', [ann, c5]);
  await sql(`UPDATE conversions SET advocate_id = $1, campaign_id = ${campaignOf('$1::bigint')} WHERE id = $2`, [ann, c4]); // now attributed
  await check('a conversion moved a day, one to another advocate, one attributed');

  const reward = (conversionId: number, advocateId: number, level: number, kind: string, status: string, amount: number) =>
    id(`INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, status, available_at, created_at, updated_at,
        campaign_id, uuid) SELECT 'brand-1', $1, $2, $3, $4, $5, $5, $6, $7, created_at, created_at, campaign_id, gen_random_uuid()::text
        FROM conversions WHERE id = $2`,
    [advocateId, conversionId, level, kind, amount, status, D2]);
  const r1 = await reward(c1, jane, 1, 'cash', 'pending', 1200);
  const r2 = await reward(c2, ann, 1, 'cash', 'pending', 800);
  const r3 = await reward(c2, jane, 2, 'cash', 'pending', 400);
  const r4 = await reward(c3, jane, 1, 'points', 'pending', 50);
  const r5 = await reward(c3, ann, 2, 'cash', 'approved', 250);
  const r6 = await reward(c5, ann, 1, 'cash', 'pending', 700);
  await check('rewards');

  const status = (rewardId: number, to: string, paidAt: string | null = null) =>
    sql('UPDATE rewards SET status = $1, paid_at = coalesce($2, paid_at) WHERE id = $3', [to, paidAt, rewardId]);
  await status(r1, 'approved');
  await status(r2, 'approved');
  await status(r6, 'approved');
  await status(r3, 'rejected');
  await check('approvals, a rejection');
  await status(r1, 'paid', '2026-05-20T10:00:00.000Z');
  await status(r2, 'paid', '2026-05-20T10:00:00.000Z');
  await status(r6, 'paid', '2026-05-21T10:00:00.000Z');
  await check('two payouts');
  await sql('UPDATE rewards SET clawed_back = 300 WHERE id = $1', [r6]);
  await check('a clawback');
  await sql('UPDATE rewards SET clawback_recovered = 100, amount = 650 WHERE id = $1', [r6]);
  await sql('UPDATE rewards SET advocate_id = $1 WHERE id = $2', [jane, r6]);
  await sql(`UPDATE rewards SET kind = 'points' WHERE id = $1`, [r5]);
  await check('a clawback netted in part, an amount changed, a commission moved to another advocate, one made points');
  await status(r1, 'reversed');
  await check('a paid commission reversed');

  // Ann moves to Partners: her records so far stay in the default campaign, her next ones count there.
  await sql('UPDATE advocates SET campaign_id = $1 WHERE id = $2', [partners, ann]);
  await check('an advocate moved to another campaign');
  await visit('brand-1', ann, D2, 'copy_link', null);
  await claim(ann, D2, 'e@customer.example');
  const c7 = await conversion('brand-1', ann, D2, 'O-7', 3000, [TOTE]);
  const r7 = await reward(c7, ann, 1, 'cash', 'pending', 600);
  await check('records of the moved advocate');
  assert.deepEqual(await sql('SELECT day, claims, conversions, pending_cents FROM daily_totals WHERE brand_id = $1 AND campaign_id = $2', ['brand-1', partners]),
    [{ day: '2026-04-15', claims: '1', conversions: '1', pending_cents: '600' }]);
  // A record's campaign corrected: its part moves from the old campaign's row to the new one's. (The moved conversion
  // is not the only one of its day in its campaign, so the day's bounds stay exact.)
  await sql('UPDATE visits SET campaign_id = $1 WHERE brand_id = $2 AND advocate_id = $3', [partners, 'brand-1', jane]);
  await sql('UPDATE claims SET campaign_id = $1 WHERE id = $2', [partners, movedClaim]);
  await sql('UPDATE rewards SET campaign_id = $1 WHERE id = $2', [defaults['brand-1'], r7]);
  await check('a visit, a claim and a commission in another campaign');

  // Deletes: a conversion in the middle of its day's ids (the day's bounds stay bounds), its rewards first.
  await sql('DELETE FROM rewards WHERE id = ANY($1)', [[r4, r5]]);
  await sql('DELETE FROM conversions WHERE id = $1', [c3]);
  await check('a conversion and its rewards deleted');
  assert.ok(c1 < c3 && c3 < c4);

  // The brand's advocates: one deleted (its code first), one moved to the other brand.
  await sql('DELETE FROM referral_codes WHERE id = $1', [leavingCode]);
  await sql('DELETE FROM advocates WHERE id = $1', [leaving]);
  await sql(`UPDATE advocates SET brand_id = 'brand-2' WHERE id = $1`, [moving]);
  await check('an advocate deleted, one moved');

  // Retention deletes visits; the day's clicks stay (no delete trigger, as SQLite's 011).
  const before = await sql('SELECT * FROM daily_sources ORDER BY brand_id, day, share_channel, utm_source');
  await sql(`DELETE FROM visits WHERE brand_id = 'brand-2'`);
  assert.deepEqual(await sql('SELECT * FROM daily_sources ORDER BY brand_id, day, share_channel, utm_source'), before);

  // Figures the scenario was built for.
  const day = async (d: string) => (await sql(`SELECT * FROM daily_totals WHERE brand_id = 'brand-1' AND day = $1`, [d]))[0];
  assert.deepEqual([(await day('2026-04-14')).conversions, (await day('2026-04-14')).net_revenue_cents], ['2', '7000']);
  assert.deepEqual(await sql(`SELECT day, name, units, revenue_cents AS revenue, net_revenue_cents AS net FROM daily_products
    WHERE brand_id = 'brand-1' ORDER BY day, name`), [
    // O-1 fully refunded gives its units back; O-4's tote counts once it is attributed; O-3 deleted (every campaign's).
    { day: '2026-04-14', name: 'Canvas Tote', units: '1', revenue: '3000', net: '1500' },
    { day: '2026-04-14', name: 'Classic T-Shirt', units: '0', revenue: '5998', net: '0' },
    { day: '2026-04-15', name: 'Canvas Tote', units: '1', revenue: '1500', net: '1500' }, // O-7, in Partners
    { day: '2026-04-15', name: 'Classic T-Shirt', units: '2', revenue: '5998', net: '2998' },
  ]);
});

test('the search tables find word prefixes in one brand, phrases within one column, accents and case folded', { skip }, async (t) => {
  const connect = await pgDatabase(t);
  const client = await connect();
  const sql = async (text: string, params: unknown[] = []) => (await client.query(text, params)).rows;
  for (const b of ['brand-1', 'brand-2']) {
    await sql(`INSERT INTO brands (id, name, plan, created_at) VALUES ($1, $1, 'growth', $2)`, [b, D1]);
    await sql(`INSERT INTO campaigns (brand_id, name, is_default, created_at, updated_at) VALUES ($1, 'Default', 1, $2, $2)`, [b, D1]);
  }
  const advocate = async (brand: string, email: string, name: string, ...codes: string[]) => {
    const [{ id }] = await sql(`INSERT INTO advocates (brand_id, email, name, campaign_id, created_at, updated_at)
      VALUES ($1, $2, $3, (SELECT id FROM campaigns WHERE brand_id = $1), $4, $4) RETURNING id`, [brand, email, name, D1]);
    for (const code of codes) await sql('INSERT INTO referral_codes (brand_id, advocate_id, code, created_at) VALUES ($1, $2, $3, $4)', [brand, id, code, D1]);
    return Number(id);
  };
  const jane = await advocate('brand-1', 'jane.doe@example.com', 'José Núñez', 'JANE10', 'SPRING');
  const ann = await advocate('brand-1', 'john@x.com', 'Ann Smith', 'ANN5');
  await advocate('brand-2', 'jo@other.example', 'Jo Other', 'JOJO');
  // As advocateStats.ts reads the advocates' search: the brand's rows only, newest first.
  const advocates = async (text: string) => (await sql(`SELECT s.id FROM advocate_search s JOIN advocates a ON a.id = s.id
    WHERE s.brand_id = $1 AND s.doc @@ search_query($2) AND a.brand_id = $1 ORDER BY s.id DESC`, ['brand-1', text])).map((r) => Number(r.id));
  const codes = async (text: string) => (await sql(`SELECT c.code FROM referral_search s JOIN referral_codes c ON c.id = s.id
    WHERE s.brand_id = $1 AND s.doc @@ search_query($2) AND c.brand_id = $1 ORDER BY s.id DESC`, ['brand-1', text])).map((r) => r.code);

  assert.deepEqual(await advocates('jo'), [ann, jane]); // José, john@
  assert.deepEqual(await advocates('JOSE'), [jane]);
  assert.deepEqual(await advocates('nun'), [jane]); // Núñez, accents off
  assert.deepEqual(await advocates('doe@ex'), [jane]); // doe, ex* adjacent in the email
  assert.deepEqual(await advocates('example.com'), [jane]);
  assert.deepEqual(await advocates('jane spr'), [jane]); // every word, in any column
  assert.deepEqual(await advocates('jane ann'), []);
  assert.deepEqual(await advocates('smith@john'), []); // a phrase does not run from the name into the email
  assert.deepEqual(await advocates('oe'), []); // a word's beginning, not its middle
  assert.deepEqual(await advocates('— !!'), []); // no letter or digit: no row
  assert.deepEqual(await advocates('other'), []); // another brand's
  assert.deepEqual(await codes('jane'), ['SPRING', 'JANE10']); // the code's advocate's name and email
  assert.deepEqual(await codes('ann5'), ['ANN5']);

  // Renamed: both tables follow; a code deleted leaves the advocate's words.
  await sql(`UPDATE advocates SET name = 'Anna Karenina', email = 'anna@k.example' WHERE id = $1`, [ann]);
  assert.deepEqual(await advocates('smith'), []);
  assert.deepEqual(await advocates('karen'), [ann]);
  assert.deepEqual(await codes('karen'), ['ANN5']);
  await sql(`DELETE FROM referral_codes WHERE code = 'SPRING'`);
  assert.deepEqual(await advocates('spring'), []);
  assert.deepEqual(await advocates('jane10'), [jane]);
  assert.deepEqual(await codes('spring'), []);
  // The brand's matches come from the GIN index of (brand_id, doc).
  await sql('SET enable_seqscan = off');
  const plan = (await sql(`EXPLAIN SELECT id FROM advocate_search WHERE brand_id = 'brand-1' AND doc @@ search_query('jo')`)).map((r) => r['QUERY PLAN']).join('\n');
  assert.match(plan, /advocate_search_doc/);
});

test('two transactions adding to one day\'s rows both commit: the second waits for the first, then adds to its row', { skip }, async (t) => {
  const connect = await pgDatabase(t);
  const [one, two, watcher] = [await connect(), await connect(), await connect()];
  await one.query(`INSERT INTO brands (id, name, plan, created_at) VALUES ('brand-1', 'B', 'growth', $1)`, [D1]);
  await one.query(`INSERT INTO campaigns (brand_id, name, is_default, created_at, updated_at) VALUES ('brand-1', 'Default', 1, $1, $1)`, [D1]);
  const [{ id: advocateId }] = (await one.query(`INSERT INTO advocates (brand_id, email, name, campaign_id, created_at, updated_at)
    VALUES ('brand-1', 'a@advocate.example', 'A', (SELECT id FROM campaigns WHERE brand_id = 'brand-1'), $1, $1) RETURNING id`, [D1])).rows;
  const write = (client: pg.Client, order: string) => client.query(`WITH v AS (INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at)
      VALUES ('brand-1', 'v', 'C', $1, $2)), c AS (INSERT INTO claims (brand_id, advocate_id, code, email, created_at)
      VALUES ('brand-1', $1, 'C', $3, $2)) INSERT INTO conversions (brand_id, order_id, email, advocate_id, order_value_cents, paid_cents, products, created_at)
      VALUES ('brand-1', $4, $3, $1, 1000, 1000, $5, $2)`, [advocateId, D1, `${order}@customer.example`, order, JSON.stringify([TOTE])]);
  const [{ pid }] = (await two.query('SELECT pg_backend_pid() AS pid')).rows;
  // Neither day row exists yet: both transactions insert it, and the second finds the first's.
  await one.query('BEGIN');
  await two.query('BEGIN');
  await write(one, 'O-1');
  const second = write(two, 'O-2').then(() => two.query('COMMIT'));
  // The second waits on the first's lock (of the day's rows) until the first commits.
  while ((await watcher.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid])).rows[0]?.wait_event_type !== 'Lock') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await one.query('COMMIT');
  await second;
  const [totals] = (await one.query(`SELECT claims, conversions, revenue_cents FROM daily_totals WHERE brand_id = 'brand-1'`)).rows;
  assert.deepEqual(totals, { claims: '2', conversions: '2', revenue_cents: '2000' });
  assert.deepEqual((await one.query('SELECT clicks FROM daily_sources')).rows, [{ clicks: '2' }]);
  assert.deepEqual((await one.query('SELECT units, revenue_cents FROM daily_products')).rows, [{ units: '2', revenue_cents: '3000' }]);
  assert.deepEqual((await one.query('SELECT conversion_count FROM advocates')).rows, [{ conversion_count: '2' }]);
});

test('a product line and a search word read on PostgreSQL as SQLite reads them', { skip }, async (t) => {
  const connect = await pgDatabase(t);
  const client = await connect();
  const lite = new Database(':memory:');
  t.after(() => lite.close());
  lite.defaultSafeIntegers(true);

  // Migration 009's reading of a products array (json_each, json_extract, CAST), against product_lines().
  const lines = lite.prepare(`SELECT CAST(coalesce(json_extract(p.value, '$.name'), 'Unknown Product') AS TEXT) AS name,
      CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER) AS quantity,
      min(CAST(coalesce(json_extract(p.value, '$.price_cents'), 0) AS INTEGER)
        * CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER), 100000000000000) AS line
    FROM json_each(?) p WHERE p.type = 'object'`);
  const products = [
    [TSHIRT, { sku: 'no name, quantity or price' }, { name: null, quantity: null, price_cents: null }, 'a string', 5, [1], null],
    [{ name: 'B', quantity: '12abc', price_cents: '  7' }, { name: 'C', quantity: 2.7, price_cents: -3.9 }, { name: 'D', quantity: true, price_cents: false }],
    [{ name: 'E', quantity: 1e30, price_cents: 5 }, { name: 'F', quantity: 99_999_999_999, price_cents: 99_999_999_999 }, { name: 'G', quantity: '', price_cents: 'x' }],
    [{ name: 'H', quantity: [1], price_cents: { a: 1 } }, { name: 12, quantity: 1, price_cents: 1 }, { name: 1.5 }, { name: true }],
    { an: { name: 'object of lines', quantity: 3, price_cents: 4 }, other: 7 },
  ];
  for (const p of products) {
    const json = JSON.stringify(p);
    const expected = (lines.all(json) as Array<Record<string, unknown>>).map((r) => [String(r.name), String(r.quantity), String(r.line)]);
    const actual = (await client.query('SELECT name, quantity, line FROM product_lines($1)', [json])).rows.map((r) => [r.name, r.quantity, r.line]);
    assert.deepEqual(actual, expected, json);
  }

  // FTS5's unicode61 tokenizer (remove_diacritics 2) against search_words(): the same words, but where unaccent folds
  // further (ß, ligatures, ø, æ, ł, Greek accents): a PostgreSQL search finds those spelt either way.
  lite.exec(`CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE words USING fts5vocab (t, 'instance');`);
  const texts: Array<[text: string, pgOnly?: string[]]> = [
    ['jane.doe@example.com'], ['José Núñez'], ["ÅNGSTRÖM o'brien"], ['Иван Петров'], ['V2AVMRDJ'], ['a_b-c+d'], ['l’été'],
    ['東京 tower'], ['İstanbul'], ['x\u00a0y'], ['O’Neil—Smith'], ['cafe\u0301'], ['١٢٣ abc'],
    ['straße', ['strasse']], ['ﬁne Œuvre', ['fine', 'oeuvre']], ['Søren Ærø', ['soren', 'aero']], ['Łódź', ['lodz']],
    ['Ελληνικά', ['ελληνικα']],
  ];
  for (const [i, [text, pgOnly]] of texts.entries()) {
    lite.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)').run(i + 1, text);
    const fts5 = (lite.prepare('SELECT term FROM words WHERE doc = ? ORDER BY offset').all(i + 1) as Array<{ term: string }>).map((r) => r.term);
    const [{ words }] = (await client.query(`SELECT array_remove(regexp_split_to_array(search_words($1), ' '), '') AS words`, [text])).rows;
    if (pgOnly) {
      assert.notDeepEqual(fts5, words, text);
      assert.deepEqual(words, pgOnly, text);
    } else {
      assert.deepEqual(words, fts5, text);
    }
  }
});
