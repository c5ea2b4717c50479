// CPU time per request of the server process, bare Express 5 vs the collector's track/visit, in one run.
// Throughput ratios swing with whatever else shares the 2 cores; the CPU a server burns per answer does not.
//   node --import tsx bench/visitCpu.ts            (VISIT_CPU_SECONDS=5, VISIT_CPU_ROUNDS=5)
//   VISIT_CPU_BASELINE=/tmp/base node --import tsx bench/visitCpu.ts
//     also measures the collector of another checkout (e.g. `git archive HEAD | tar -x -C /tmp/base`, with a
//     node_modules link) in the same rounds: a change's before and after in one window, each against bare.
//   VISIT_CPU_LIMITS=on: the collectors run with their default rate limits instead of REFERLOOP_RATE_LIMITS=off
//     (the limiter's own cost; the bench's load comes from one IP with a secret key: one budget, never spent).
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import {
  cleanUp, cpuUs, demoKeysFromBanner, makeTempDir, startBareExpress, startCollector, type RunningServer,
} from './processes.ts';
import { demoHeaders, VISIT_BODY, VISIT_PATH } from './requests.ts';

const SECONDS = Number(process.env.VISIT_CPU_SECONDS ?? 5);
const ROUNDS = Number(process.env.VISIT_CPU_ROUNDS ?? 5);
const BASELINE = process.env.VISIT_CPU_BASELINE;
const LIMITS_ON = process.env.VISIT_CPU_LIMITS === 'on';
const CONNECTIONS = 50;

interface Run { user: number; system: number; rps: number; other: number }

/** `seconds` of load; the CPU the server used over it divided by the answers it gave. */
async function measure(server: RunningServer, headers: Record<string, string>, body: string, seconds: number): Promise<Run> {
  const before = cpuUs(server.pid);
  const result = await autocannon({
    url: server.url, connections: CONNECTIONS, duration: seconds, timeout: 10,
    requests: [{ method: 'POST', path: VISIT_PATH, headers, body }],
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

/** A collector (of this checkout, or of `root`) on a fresh data folder, with the demo brand's headers. */
async function collectorAt(label: string, masterKey: string, root?: string) {
  const collector = await startCollector(makeTempDir(label), masterKey, 1, { root, rateLimits: LIMITS_ON });
  const keys = demoKeysFromBanner(collector.logFile);
  return { server: collector as RunningServer, headers: demoHeaders(keys) };
}

async function main(): Promise<void> {
  const masterKey = randomBytes(32).toString('hex');
  const visit = await collectorAt('visit-cpu', masterKey);
  const targets: Record<string, { server: RunningServer; headers: Record<string, string> }> = {
    bare: { server: await startBareExpress(makeTempDir('visit-cpu-bare')), headers: visit.headers },
    visit,
  };
  if (BASELINE) targets.base = await collectorAt('visit-cpu-base', masterKey, BASELINE);
  const names = Object.keys(targets);
  // Warm-up: JIT, page cache, connections.
  for (const name of names) await measure(targets[name]!.server, targets[name]!.headers, VISIT_BODY, 2);

  const runs: Record<string, Run[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < ROUNDS; i++) {
    // The order turns each round, so a drift in the shared CPUs does not always favour the same target.
    const order = names.map((_, k) => names[(k + i) % names.length]!);
    for (const name of order) {
      const r = await measure(targets[name]!.server, targets[name]!.headers, VISIT_BODY, SECONDS);
      runs[name]!.push(r);
      process.stdout.write(`  ${name.padEnd(5)} user ${r.user.toFixed(0).padStart(4)} us  system ${r.system.toFixed(0).padStart(4)} us`
        + ` CPU/request  ${r.rps.toFixed(0).padStart(6)} req/s  non-2xx ${r.other}\n`);
    }
  }
  // Each round's ratio compares runs a few seconds apart, so contention from other work hits both alike.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = (a: string, b: string, f: (r: Run) => number) => {
    const xs = runs[a]!.map((v, i) => f(v) / f(runs[b]![i]!));
    return `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  };
  const us = (name: string, f: (r: Run) => number) => `${name} ${median(runs[name]!.map(f)).toFixed(0)} us`;
  const pairs: Array<[string, string]> = [['visit', 'bare'], ...(BASELINE ? [['base', 'bare'], ['visit', 'base']] as Array<[string, string]> : [])];
  const line = (label: string, f: (r: Run) => number, showUs: boolean) => {
    const figures = showUs ? `${names.map((n) => us(n, f)).join(', ')}: ` : '';
    process.stdout.write(`  ${label.padEnd(19)} ${figures}${pairs.map(([a, b]) => `${a}/${b} ${ratio(a, b, f)}`).join(', ')}\n`);
  };
  process.stdout.write(`median of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, rate limits ${LIMITS_ON ? 'on' : 'off'}`
    + ' (ratios: median of each round\'s, and their range):\n');
  line('user CPU/request:', (r) => r.user, true);
  line('user+system:', (r) => r.user + r.system, true);
  line('throughput:', (r) => r.rps, false);
  for (const { server } of Object.values(targets)) await server.stop();
}

main().then(() => cleanUp(), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  cleanUp();
  process.exitCode = 1;
});
