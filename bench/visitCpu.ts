// CPU time per request of the server process, bare Express 5 vs the collector's track/visit, in one run.
// Throughput ratios swing with whatever else shares the 2 cores; the CPU a server burns per answer does not.
//   node --import tsx bench/visitCpu.ts            (VISIT_CPU_SECONDS=5, VISIT_CPU_ROUNDS=5)
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  cleanUp, demoKeysFromBanner, makeTempDir, startBareExpress, startCollector, type RunningServer,
} from './processes.ts';

const SECONDS = Number(process.env.VISIT_CPU_SECONDS ?? 5);
const ROUNDS = Number(process.env.VISIT_CPU_ROUNDS ?? 5);
const CONNECTIONS = 50;
// Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ).
const TICK_US = 10_000;

/** User and system CPU of the whole process (every thread), in microseconds. */
function cpuUs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
}

/** `seconds` of load; the CPU the server used over it divided by the answers it gave. */
async function measure(server: RunningServer, headers: Record<string, string>, body: string, seconds: number) {
  const before = cpuUs(server.pid);
  const result = await autocannon({
    url: server.url, connections: CONNECTIONS, duration: seconds, timeout: 10,
    requests: [{ method: 'POST', path: '/api/v1/track/visit', headers, body }],
  });
  const after = cpuUs(server.pid);
  const answered = result['2xx'] + result.non2xx;
  return {
    user: (after.user - before.user) / answered,
    system: (after.system - before.system) / answered,
    rps: result['2xx'] / result.duration,
    other: result.non2xx + result.errors,
  };
}

async function main(): Promise<void> {
  const dir = makeTempDir('visit-cpu');
  const collector = await startCollector(dir, randomBytes(32).toString('hex'), 1);
  const keys = demoKeysFromBanner(collector.logFile);
  const bare = await startBareExpress(dir);
  const headers = { 'content-type': 'application/json', 'x-api-key': keys.secretKey, 'x-brand-id': keys.brandId };
  const body = JSON.stringify({ referral_code: 'DEMO10', landing_page: 'https://shop.example/?ref=DEMO10', utm_source: 'email' });
  // Warm-up: JIT, page cache, connections.
  await measure(bare, headers, body, 2);
  await measure(collector, headers, body, 2);

  const runs: Record<'bare' | 'visit', Array<Awaited<ReturnType<typeof measure>>>> = { bare: [], visit: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const which of i % 2 ? (['visit', 'bare'] as const) : (['bare', 'visit'] as const)) {
      const r = await measure(which === 'bare' ? bare : collector, headers, body, SECONDS);
      runs[which].push(r);
      process.stdout.write(`  ${which.padEnd(5)} user ${r.user.toFixed(0).padStart(4)} us  system ${r.system.toFixed(0).padStart(4)} us`
        + ` CPU/request  ${r.rps.toFixed(0).padStart(6)} req/s  non-2xx ${r.other}\n`);
    }
  }
  // Each round's ratio compares two runs a few seconds apart, so contention from other work hits both alike.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = (f: (r: (typeof runs.bare)[number]) => number) => median(runs.visit.map((v, i) => f(v) / f(runs.bare[i]!)));
  const us = (which: 'bare' | 'visit', f: (r: (typeof runs.bare)[number]) => number) => median(runs[which].map(f)).toFixed(0);
  process.stdout.write(`median of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections (ratios: median of each round's visit/bare):\n`);
  process.stdout.write(`  user CPU/request:   bare ${us('bare', (r) => r.user)} us, visit ${us('visit', (r) => r.user)} us: visit/bare ${ratio((r) => r.user).toFixed(2)}x\n`);
  process.stdout.write(`  user+system:        bare ${us('bare', (r) => r.user + r.system)} us, visit ${us('visit', (r) => r.user + r.system)} us: visit/bare ${ratio((r) => r.user + r.system).toFixed(2)}x\n`);
  process.stdout.write(`  throughput:         visit/bare ${ratio((r) => r.rps).toFixed(2)}x\n`);
  await collector.stop();
  await bare.stop();
}

main().then(() => cleanUp(), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  cleanUp();
  process.exitCode = 1;
});
