// The operator's payout run from a terminal while the collector takes a stream of conversions on the same database:
// SQLite, both sides start their write transactions as writes and wait for each other, so nobody sees "database is
// locked"; PostgreSQL, the brand's commission decisions wait for each other's locks. On this run's engine
// (support/processes.ts cliDatabase: a SQLite file, or PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliDatabase, parseBanner } from './support/processes.ts';

test('a CLI payout run during a stream of conversions: every conversion 2xx, every command succeeds', { timeout: 300_000 }, async (t) => {
  const c = await cliDatabase(t);
  // A first start: the demo brand (SQLite: the file REFERLOOP_DATA_DIR names, as without --db).
  const serve = await c.serve({ REFERLOOP_DATA_DIR: c.dir, REFERLOOP_RATE_LIMITS: 'off', REFERLOOP_LOG_LEVEL: 'warn' }, { args: [] });
  const keys = parseBanner(serve.stdout());
  assert.ok(keys);
  const dir = c.dir;
  const brand = ['--brand', keys.brandId, '--json'];
  const run = async (args: string[]) => {
    // Its own process, without blocking this one (the stream of conversions goes on).
    const r = await c.runAsync([...args, ...brand]);
    assert.equal(r.status, 0, `referloop ${args.join(' ')} failed:\n${r.stderr}`);
    return r;
  };
  await run(['settings', 'set', 'cooling_period_days=0']);

  const statuses = new Map<number, number>();
  let sent = 0;
  let streaming = true;
  const convert = async () => {
    const i = sent++;
    const res = await fetch(`${serve.url}/api/v1/track/conversion`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': keys.secretKey, 'X-Brand-ID': keys.brandId },
      body: JSON.stringify({ customer_email: `c${i}@customer.example`, order_id: `ORD-${i}`, order_value: 20, referral_code: 'DEMO10' }),
    });
    const text = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status !== 201) t.diagnostic(`conversion ${i}: ${res.status} ${text}`);
  };
  // A few orders exist before the run starts, so approve-due, the export and mark-paid have work to do.
  for (let i = 0; i < 10; i++) await convert();
  const workers = Array.from({ length: 6 }, async () => { while (streaming) await convert(); });

  const out = join(dir, 'payout.csv');
  try {
    for (const args of [
      ['commission', 'approve-due'],
      ['settings', 'set', 'referrer_reward_value=12'],
      ['payout', 'export', '--out', out],
      ['payout', 'mark-paid', '--from', out, '--note', 'batch 1'],
      ['commission', 'approve-due'],
      ['settings', 'set', 'cooling_period_days=0'],
    ]) await run(args);
  } finally {
    streaming = false;
    await Promise.all(workers);
  }
  t.diagnostic(`conversions during the run: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.deepEqual([...statuses.keys()], [201], 'every conversion was recorded (201), none refused');
  assert.ok(sent > 50, `a stream of conversions ran during the commands (${sent})`);
  const paid = JSON.parse((await run(['commission', 'list', '--status', 'paid', '--limit', '100'])).stdout);
  assert.ok(paid.commissions.length >= 10, `the payout run paid what it exported (${paid.commissions.length})`);
});
