// The operator's payout run from a terminal while the collector takes a stream of conversions on the same file:
// both sides start their write transactions as writes and wait for each other, so nobody sees "database is locked".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBanner, REFERLOOP_BIN, REPO_ROOT, spawnServe, type CliRun } from './support/processes.ts';

/** `referloop ARGS...` in its own process, without blocking this one (the stream of conversions goes on). */
function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REFERLOOP_BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

test('a CLI payout run during a stream of conversions: every conversion 2xx, every command succeeds', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-contend-'));
  const serve = await spawnServe({ REFERLOOP_DATA_DIR: dir, REFERLOOP_RATE_LIMITS: 'off', REFERLOOP_LOG_LEVEL: 'warn' });
  t.after(async () => {
    await serve.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const keys = parseBanner(serve.stdout());
  assert.ok(keys);
  const db = join(dir, 'referloop.db');
  const brand = ['--brand', keys.brandId, '--db', db, '--json'];
  const run = async (args: string[]) => {
    const r = await cli([...args, ...brand]);
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
