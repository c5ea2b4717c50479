// Conversions per second (unique order_id, synchronous=FULL, as npm run bench's part 2), and the collector's CPU per
// conversion, of this checkout and of another one in the same alternating rounds: a change's before and after in one
// window, where one run against another minutes later would mostly measure what else shares the 2 cores.
//   node --import tsx bench/conversionRate.ts                (CONVERSIONS_SECONDS=5, CONVERSIONS_ROUNDS=8)
//   CONVERSIONS_BASELINE=/tmp/base node --import tsx bench/conversionRate.ts
//     the collector of /tmp/base too (e.g. `git archive 4d1a2d8 | tar -x -C /tmp/base`, a node_modules link and a
//     copy of dist/), each on a fresh data folder.
import { randomBytes } from 'node:crypto';
import { runLoad } from './load.ts';
import { cleanUp, cpuUs, demoKeysFromBanner, makeTempDir, startCollector, type Collector } from './processes.ts';
import { CONVERSION_PATH, conversionBodies, demoHeaders } from './requests.ts';

const SECONDS = Number(process.env.CONVERSIONS_SECONDS ?? 5);
const ROUNDS = Number(process.env.CONVERSIONS_ROUNDS ?? 8);
const BASELINE = process.env.CONVERSIONS_BASELINE;
const CONNECTIONS = 50;

interface Run { rps: number; p99: number; cpu: number; failed: number }

async function measure(c: Collector, headers: Record<string, string>, makeBody: () => string, seconds: number): Promise<Run> {
  const before = cpuUs(c.pid);
  const r = await runLoad({ url: c.url, path: CONVERSION_PATH, connections: CONNECTIONS, seconds, headers, makeBody });
  const after = cpuUs(c.pid);
  const cpu = (after.user + after.system - before.user - before.system) / Math.max(1, r.ok + r.non2xx);
  return { rps: r.rps, p99: r.latencyMs.p99, cpu, failed: r.non2xx + r.errors };
}

async function main(): Promise<void> {
  const masterKey = randomBytes(32).toString('hex');
  const start = async (label: string, root?: string) => {
    const c = await startCollector(makeTempDir(label), masterKey, 1, root ? { root } : {});
    return { c, headers: demoHeaders(demoKeysFromBanner(c.logFile)) };
  };
  const targets: Record<string, Awaited<ReturnType<typeof start>>> = { now: await start('conversions-now') };
  if (BASELINE) targets.base = await start('conversions-base', BASELINE);
  const names = Object.keys(targets);
  const makeBody = conversionBodies();
  for (const name of names) await measure(targets[name]!.c, targets[name]!.headers, makeBody, 2);
  const runs: Record<string, Run[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < ROUNDS; i++) {
    // The order turns each round, so a drift in the shared CPUs or the disk does not always favour the same collector.
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + i) % names.length]!;
      const r = await measure(targets[name]!.c, targets[name]!.headers, makeBody, SECONDS);
      runs[name]!.push(r);
      process.stdout.write(`  ${name.padEnd(4)} ${r.rps.toFixed(0).padStart(6)} conversions/s  p99 ${r.p99.toFixed(1).padStart(6)} ms`
        + `  ${r.cpu.toFixed(0).padStart(5)} us CPU each  non-2xx + errors ${r.failed}\n`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const of = (name: string, f: (r: Run) => number) => median(runs[name]!.map(f));
  process.stdout.write(`median of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections:\n`);
  for (const name of names) {
    process.stdout.write(`  ${name.padEnd(4)} ${of(name, (r) => r.rps).toFixed(0)} conversions/s, p99 ${of(name, (r) => r.p99).toFixed(1)} ms,`
      + ` ${of(name, (r) => r.cpu).toFixed(0)} us CPU each\n`);
  }
  if (BASELINE) {
    // Each round's ratio compares two runs seconds apart; the median and the range of those ratios.
    const ratio = (f: (r: Run) => number) => {
      const xs = runs.now!.map((r, i) => f(r) / f(runs.base![i]!));
      return `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
    };
    process.stdout.write(`  now/base: conversions/s ${ratio((r) => r.rps)}, CPU per conversion ${ratio((r) => r.cpu)}\n`);
  }
  for (const { c } of Object.values(targets)) await c.stop();
}

main().then(() => cleanUp(), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  cleanUp();
  process.exitCode = 1;
});
