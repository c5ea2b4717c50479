// `referloop payout export` settles the due backlog batch by batch, then lists the payout on a read transaction: it
// never holds the write lock while it lists, so the collector's conversions keep committing meanwhile. On this run's
// engine (support/processes.ts cliDatabase: a SQLite file, or PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createQueries } from '../src/db/queries.ts';
import { zConversionRequest } from '../src/schemas/track.ts';
import { recordConversion } from '../src/services/conversions.ts';
import { SETTLE_BATCH } from '../src/services/commissions.ts';
import { onlyOnSqlite, TEST_ENGINE } from './support/collector.ts';
import { DAY_MS } from './support/fixtures.ts';
import { cliDatabase, type CliDatabase } from './support/processes.ts';

const DUE = SETTLE_BATCH + 20;

/** A brand with a backlog longer than one batch, due 40 days after the orders, recorded by the conversion use case. */
async function backlog(c: CliDatabase): Promise<string> {
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  c.json(['advocate', 'create', '--brand', brand, '--email', 'ann@adv.example', '--name', 'Ann', '--code', 'ANN10']);
  const store = await c.open();
  const q = createQueries(store.db);
  await store.db.transaction(async () => {
    const ctx = { q, brand: (await q.brands.getBrand(brand))!, now: new Date(Date.now() - 40 * DAY_MS) };
    for (let i = 0; i < DUE; i++) {
      await recordConversion(ctx, zConversionRequest.parse({ customer_email: `c${i}@customer.example`, order_id: `O-${i}`, order_value: 10, referral_code: 'ANN10' }));
    }
  });
  await store.close();
  return brand;
}

test('payout export settles a backlog in batches first, then lists all of it', async (t) => {
  const c = await cliDatabase(t);
  const brand = await backlog(c);
  const first = c.json(['payout', 'export', '--brand', brand]);
  assert.deepEqual([first.count, first.total], [DUE, DUE]);
  // The batches: every approval of the backlog is its own transaction of at most SETTLE_BATCH (their approved_at is
  // the end of each cooling period, so the events' ids tell the batches apart only by count: check what is left).
  const store = await c.open();
  assert.equal(await store.db.prepare(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'pending'`, { pluck: true }).get(brand), 0);
  await store.close();
});

// SQLite only: its one write lock, held by another connection (PostgreSQL has row locks: the test after this one).
test('payout export lists while another connection holds the write lock', { skip: onlyOnSqlite }, async (t) => {
  const c = await cliDatabase(t);
  const brand = await backlog(c);
  assert.deepEqual(c.json(['payout', 'export', '--brand', brand]).count, DUE);
  // Another process writing (here: this test's connection, in a write transaction it keeps open): the export still
  // answers, from a read transaction. Holding the write lock, it would wait busy_timeout (30 s) and fail.
  const writer = new Database(c.path!);
  t.after(() => writer.close());
  writer.exec('BEGIN IMMEDIATE');
  try {
    const again = c.json(['payout', 'export', '--brand', brand]);
    assert.deepEqual([again.count, again.total], [DUE, DUE]);
  } finally {
    writer.exec('ROLLBACK');
  }
});

// The PostgreSQL counterpart: another connection holds the brand's rewards locked in an open write transaction (as a
// concurrent mark-paid would); the export, with nothing left to settle, lists from its read snapshot without waiting.
test('payout export lists while another connection holds the brand\'s rewards locked', { skip: TEST_ENGINE === 'pg' ? false : 'PostgreSQL only (row locks)' }, async (t) => {
  const c = await cliDatabase(t);
  const brand = await backlog(c);
  assert.deepEqual(c.json(['payout', 'export', '--brand', brand]).count, DUE);
  const writer = new pg.Client({ connectionString: c.url! });
  await writer.connect();
  await writer.query('BEGIN');
  try {
    assert.equal((await writer.query('SELECT id FROM rewards WHERE brand_id = $1 FOR UPDATE', [brand])).rowCount, DUE);
    const again = await c.runAsync(['payout', 'export', '--brand', brand, '--json']);
    assert.equal(again.status, 0, again.stderr);
    const listed = JSON.parse(again.stdout);
    assert.deepEqual([listed.count, listed.total], [DUE, DUE]);
  } finally {
    // Ended here, before the database is dropped at the test's end.
    await writer.query('ROLLBACK');
    await writer.end();
  }
});
