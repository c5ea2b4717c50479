// The operator's terminal: settings, advocates, due approvals and a payout run with the referloop command, on the
// same database the collector uses (the conversions are recorded by the conversion use case itself), on this run's
// engine (support/processes.ts cliDatabase: a SQLite file, or PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createQueries } from '../src/db/queries.ts';
import { zConversionRequest } from '../src/schemas/track.ts';
import { recordConversion } from '../src/services/conversions.ts';
import { zRefundRequest } from '../src/schemas/track.ts';
import { recordRefund } from '../src/services/refunds.ts';
import { parseCsv } from '../src/http/csv.ts';
import { DAY_MS } from './support/fixtures.ts';
import { cliDatabase, type CliDatabase } from './support/processes.ts';

/** The running test's database (this file's tests run one at a time). */
let c: CliDatabase;

function cli(args: string[]): Record<string, any> {
  const r = c.run([...args, '--json']);
  assert.equal(r.status, 0, `referloop ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function fails(args: string[]): string {
  const r = c.run(args);
  assert.notEqual(r.status, 0, `referloop ${args.join(' ')} should fail`);
  assert.equal(r.stdout, '');
  return r.stderr;
}

/** Runs a use case on the database `daysAgo` days ago, as the collector would (another process, the same database). */
async function asCollector(brandId: string, daysAgo: number, run: (ctx: Parameters<typeof recordConversion>[0]) => Promise<void>) {
  const store = await c.open();
  try {
    const q = createQueries(store.db);
    const ctx = { q, brand: (await q.brands.getBrand(brandId))!, now: new Date(Date.now() - daysAgo * DAY_MS) };
    await store.db.transaction(() => run(ctx));
  } finally {
    await store.close();
  }
}

/** Orders recorded `daysAgo` days ago, through the same use case as POST /api/v1/track/conversion. */
async function recordOrders(brandId: string, daysAgo: number, orders: Array<[orderId: string, code: string, value: number]>) {
  await asCollector(brandId, daysAgo, async (ctx) => {
    for (const [orderId, code, value] of orders) {
      await recordConversion(ctx, zConversionRequest.parse({
        customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value, referral_code: code,
      }));
    }
  });
}

test('a payout run from the terminal: approve due, export the CSV, mark it paid; a second run pays nothing twice', async (t) => {
  c = await cliDatabase(t);
  const dir = c.dir;
  const brand = cli(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const ann = cli(['advocate', 'create', '--brand', brand, '--email', 'ann@adv.example', '--name', 'Ann, "the" Advocate', '--code', 'ANN10']);
  cli(['advocate', 'create', '--brand', brand, '--email', 'bob@adv.example', '--name', 'Bob', '--code', 'BOB10']);

  // Two orders whose 30-day cooling period is over, one still cooling.
  await recordOrders(brand, 40, [['OLD-1', 'ANN10', 100], ['OLD-2', 'BOB10', 55.55]]);
  await recordOrders(brand, 2, [['NEW-1', 'ANN10', 80]]);

  const due = cli(['commission', 'approve-due', '--brand', brand]);
  assert.equal(due.approved, 2);
  assert.equal(cli(['commission', 'approve-due', '--brand', brand]).approved, 0, 'nothing is approved twice');

  const file = join(dir, 'payout.csv');
  const exported = cli(['payout', 'export', '--brand', brand, '--out', file]);
  assert.deepEqual([exported.count, exported.total], [2, 15.56]);
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  assert.deepEqual(header, ['type', 'commission_id', 'advocate_id', 'advocate_name', 'advocate_email', 'payment_method', 'payment_details',
    'amount', 'advocate_subtotal', 'currency', 'level', 'order_id', 'approved_at']);
  assert.deepEqual(rows.map((r) => [r[0], r[3], r[5], r[7], r[8], r[9], r[11]]),
    [['commission', 'Ann, "the" Advocate', '', '10.00', '10.00', 'USD', 'OLD-1'], ['commission', 'Bob', '', '5.56', '5.56', 'USD', 'OLD-2']]);

  const paid = cli(['payout', 'mark-paid', '--brand', brand, '--from', file, '--note', 'bank batch 7']);
  assert.deepEqual([paid.paid, paid.total], [2, 15.56]);
  // The same file again: 409-like refusal naming the commission, and nothing changes.
  assert.match(fails(['payout', 'mark-paid', '--brand', brand, '--from', file]), /paid.*cannot become paid|is paid/);
  assert.deepEqual(cli(['payout', 'export', '--brand', brand]).count, 0);

  const list = cli(['commission', 'list', '--brand', brand]);
  assert.deepEqual(list.commissions.map((c: any) => [c.order_id, c.status]), [['NEW-1', 'pending'], ['OLD-2', 'paid'], ['OLD-1', 'paid']]);
  const old1 = list.commissions.find((c: any) => c.order_id === 'OLD-1');
  // The commission's history as the database holds it, through the engine's store.
  const history = (await c.open()).db;
  assert.deepEqual(await history.prepare('SELECT event, note, actor FROM reward_events WHERE reward_id = ? ORDER BY id').all(old1.id), [
    { event: 'created', note: `conversion ${old1.conversion_id}`, actor: 'system' },
    { event: 'approved', note: 'cooling period ended', actor: 'system' },
    { event: 'paid', note: 'bank batch 7', actor: 'cli' },
  ]);

  const advocates = cli(['advocate', 'list', '--brand', brand]);
  const annRow = advocates.advocates.find((a: any) => a.id === ann.advocate_id);
  assert.deepEqual([annRow.paid_earnings, annRow.pending_earnings, annRow.total_earnings], [10, 8, 18]);

  // A refund of 40 of OLD-1's 100 after payment: Ann owes 4.00 back. Her next payout (a 3.00 commission) nets
  // off what it can: she is paid 0.00 and still owes 1.00.
  await asCollector(brand, 0, async (ctx) => { await recordRefund(ctx, zRefundRequest.parse({ order_id: 'OLD-1', refund_amount: 40, is_full_refund: false })); });
  await recordOrders(brand, 35, [['MID-1', 'ANN10', 30]]);
  const commissionOf = (orderId: string) =>
    cli(['commission', 'list', '--brand', brand]).commissions.find((c: any) => c.order_id === orderId);
  const netted = join(dir, 'payout-2.csv');
  const second = cli(['payout', 'export', '--brand', brand, '--out', netted]);
  assert.deepEqual([second.count, second.total], [1, 0]);
  assert.deepEqual(parseCsv(readFileSync(netted, 'utf8')).slice(1).map((r) => [r[0], r[1], r[7], r[8], r[11]]),
    [['commission', String(commissionOf('MID-1').id), '3.00', '0.00', 'MID-1'], ['clawback', String(old1.id), '-3.00', '0.00', 'OLD-1']]);
  const run2 = cli(['payout', 'mark-paid', '--brand', brand, '--from', netted]);
  assert.deepEqual([run2.paid, run2.total, run2.recovered], [1, 0, [{ commission_id: old1.id, amount: 3 }]]);
  const annAfter = cli(['advocate', 'list', '--brand', brand]).advocates.find((a: any) => a.id === ann.advocate_id);
  // Earned: 10 (OLD-1) − 4 clawed back + 3 (MID-1) + 8 pending (NEW-1) = 17; 1.00 still owed.
  assert.deepEqual([annAfter.paid_earnings, annAfter.pending_earnings, annAfter.clawback_due, annAfter.total_earnings], [13, 8, 1, 17]);
  assert.deepEqual(cli(['payout', 'export', '--brand', brand]).count, 0);

  // The operator approves NEW-1 before its cooling period ends: an override, kept in its history.
  const early = cli(['commission', 'set-status', '--brand', brand, '--id', String(commissionOf('NEW-1').id), '--status', 'approved',
    '--reason', 'loyal customer']).commission;
  assert.equal(early.status, 'approved');
  assert.deepEqual(await history.prepare('SELECT event, actor FROM reward_events WHERE reward_id = ? ORDER BY id DESC LIMIT 1').get(early.id),
    { event: 'approved', actor: 'cli' });
  assert.match(await history.prepare<string>('SELECT note FROM reward_events WHERE reward_id = ? ORDER BY id DESC LIMIT 1', { pluck: true }).get(early.id) as string,
    /override.*loyal customer/);

  // A paid commission cannot be rejected; an unknown one is not found.
  assert.match(fails(['commission', 'set-status', '--brand', brand, '--id', String(old1.id), '--status', 'rejected']), /paid/);
  assert.match(fails(['commission', 'set-status', '--brand', brand, '--id', '9999', '--status', 'approved']), /No commission|not found/i);
});

test('settings and advocates from the terminal go through the API schemas: the same fields, the same messages', async (t) => {
  c = await cliDatabase(t);
  const brand = cli(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const set = cli(['settings', 'set', '--brand', brand, 'cooling_period_days=14', 'referrer_reward_type=fixed', 'referrer_reward_value=5', 'plan=growth']);
  assert.deepEqual([set.settings.cooling_period_days, set.settings.referrer_reward_type, set.settings.referrer_reward_value, set.settings.plan],
    [14, 'fixed', 5, 'growth']);
  assert.deepEqual(cli(['settings', 'show', '--brand', brand]).settings, set.settings);
  assert.match(fails(['settings', 'set', '--brand', brand, 'referrer_reward_type=points']), /referrer_reward_value/);
  assert.match(fails(['settings', 'set', '--brand', brand, 'cooling_period_days=-1']), /cooling_period_days/);
  assert.match(fails(['settings', 'set', '--brand', brand, 'cooling']), /KEY=VALUE/);

  const advocate = cli(['advocate', 'create', '--brand', brand, '--email', 'ann@adv.example', '--name', 'Ann', '--code', 'ANN10']);
  const blocked = cli(['advocate', 'update', '--brand', brand, '--id', String(advocate.advocate_id), '--status', 'blocked', '--tier', 'gold']);
  assert.deepEqual([blocked.advocate.status, blocked.advocate.tier], ['blocked', 'gold']);
  assert.deepEqual(cli(['advocate', 'list', '--brand', brand, '--status', 'blocked']).advocates.map((a: any) => a.referral_code), ['ANN10']);
  assert.equal(cli(['advocate', 'list', '--brand', brand, '--status', 'active']).total, 0);
  assert.match(fails(['advocate', 'update', '--brand', brand, '--id', String(advocate.advocate_id), '--status', 'asleep']), /status/);
});
