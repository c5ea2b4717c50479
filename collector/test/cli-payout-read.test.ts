// `referloop payout export` settles the due backlog batch by batch, then lists the payout on a read transaction: it
// never holds the write lock while it lists, so the collector's conversions keep committing meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/db/open.ts';
import { asConn } from '../src/db/sqlite/conn.ts';
import { createQueries } from '../src/db/queries.ts';
import { zConversionRequest } from '../src/schemas/track.ts';
import { recordConversion } from '../src/services/conversions.ts';
import { SETTLE_BATCH } from '../src/services/commissions.ts';
import { DAY_MS } from './support/fixtures.ts';
import { cliJson } from './support/processes.ts';

test('payout export lists while another connection holds the write lock, and settles a backlog in batches first', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-payout-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'referloop.db');
  const brand = cliJson(['brand', 'create', '--name', 'Acme', '--db', path]).brand_id as string;
  cliJson(['advocate', 'create', '--brand', brand, '--email', 'ann@adv.example', '--name', 'Ann', '--code', 'ANN10', '--db', path]);
  // A backlog longer than one batch, due 40 days after the orders.
  const db = openDatabase(path);
  t.after(() => db.close());
  const q = createQueries(db);
  const due = SETTLE_BATCH + 20;
  await asConn(db).transaction(async () => {
    const ctx = { q, brand: (await q.brands.getBrand(brand))!, now: new Date(Date.now() - 40 * DAY_MS) };
    for (let i = 0; i < due; i++) {
      await recordConversion(ctx, zConversionRequest.parse({ customer_email: `c${i}@customer.example`, order_id: `O-${i}`, order_value: 10, referral_code: 'ANN10' }));
    }
  });
  const first = cliJson(['payout', 'export', '--brand', brand, '--db', path]);
  assert.deepEqual([first.count, first.total], [due, due]);
  // The batches: every approval of the backlog is its own transaction of at most SETTLE_BATCH (their approved_at is
  // the end of each cooling period, so the events' ids tell the batches apart only by count: check what is left).
  assert.equal(db.prepare(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'pending'`).pluck().get(brand), 0);

  // Another process writing (here: this test's connection, in a write transaction it keeps open): the export still
  // answers, from a read transaction. Holding the write lock, it would wait busy_timeout (30 s) and fail.
  const writer = new Database(path);
  t.after(() => writer.close());
  writer.exec('BEGIN IMMEDIATE');
  try {
    const again = cliJson(['payout', 'export', '--brand', brand, '--db', path]);
    assert.deepEqual([again.count, again.total], [due, due]);
  } finally {
    writer.exec('ROLLBACK');
  }
});
