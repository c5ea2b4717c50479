// Both engines in one run (npm run bench's sixth part; BENCH_ONLY=engines runs it alone): visits/s and conversions/s of
// the SQLite collector, of one `referloop serve` on PostgreSQL and of two on the same PostgreSQL database (the load
// generator's connections alternate between their URLs: a round-robin balancer), printed as one table.
import { runLoad, type LoadResult } from './load.ts';
import { benchDatabase } from './postgres.ts';
import { cpuUs, demoKeysFromBanner, makeTempDir, startCollector, type Collector } from './processes.ts';
import { CONVERSION_PATH, conversionBodies, demoHeaders, VISIT_BODY, VISIT_PATH } from './requests.ts';

type Log = (line?: string) => void;

const CONNECTIONS = 50;
// BENCH_ENGINE_ROUNDS rounds of one run of each target per kind, BENCH_SECONDS / 2 each, the order turning each round.
const ROUNDS = Number(process.env.BENCH_ENGINE_ROUNDS ?? 3);
const RUN_SECONDS = Math.max(1, Number(process.env.BENCH_SECONDS ?? 10) / 2);
const WARMUP_SECONDS = 2;

interface Target {
  engine: string;
  processes: number;
  urls: string[];
  headers: Record<string, string>;
  /** the collectors' pids, and the database server's CPU reading (PostgreSQL: every process of its own server) */
  pids: number[];
  serverCpuUs?: () => number;
}
/** A run's answers, with the CPU the collectors and the database server spent per answer (us): the figures that
 *  other work on the shared cores disturbs least. */
interface Run extends LoadResult { collectorCpu: number; serverCpu: number | null }

// Visits send one constant body (as part 1), conversions a new order_id each (as part 2).
const KINDS: Record<'visits' | 'conversions', { path: string; body?: string; makeBody?: () => string }> = {
  visits: { path: VISIT_PATH, body: VISIT_BODY },
  conversions: { path: CONVERSION_PATH, makeBody: conversionBodies() },
};
type Kind = keyof typeof KINDS;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One request of `kind` to each URL, so a broken engine is reported with its answer instead of as a slow one. */
async function probe(target: Target, kind: Kind): Promise<string | null> {
  for (const url of target.urls) {
    const { path, body, makeBody } = KINDS[kind];
    const res = await fetch(url + path, { method: 'POST', headers: target.headers, body: body ?? makeBody!() });
    if (res.status >= 300) return `${url}${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`;
  }
  return null;
}

async function load(target: Target, kind: Kind, seconds: number): Promise<Run> {
  const collectorsCpu = () => target.pids.reduce((sum, pid) => { const c = cpuUs(pid); return sum + c.user + c.system; }, 0);
  const before = { collectors: collectorsCpu(), server: target.serverCpuUs?.() };
  const r = await runLoad({ ...KINDS[kind], url: target.urls, connections: CONNECTIONS, seconds, headers: target.headers });
  const answers = Math.max(1, r.ok + r.non2xx);
  const server = target.serverCpuUs && before.server !== undefined ? (target.serverCpuUs() - before.server) / answers : null;
  return { ...r, collectorCpu: (collectorsCpu() - before.collectors) / answers, serverCpu: server };
}

export async function enginesScenario(log: Log, masterKey: string): Promise<void> {
  log();
  log(`6. Engines: ${CONNECTIONS} connections of unique conversions / of visits (as parts 1 and 2), against the SQLite collector, one`);
  log('   collector on PostgreSQL and two on the same PostgreSQL database (connections alternate between their URLs);');
  log(`   ${ROUNDS} rounds of one ${fmt(RUN_SECONDS)} s run of each target per kind after a ${WARMUP_SECONDS} s warm-up, the order turning each`);
  log('   round; the medians are kept. Every process shares the 2 cores with the load generator and the PostgreSQL server.');
  const db = await benchDatabase();
  if ('unavailable' in db) {
    log(`   PostgreSQL: skipped (${db.unavailable})`);
    return;
  }
  const s = db.settings;
  log(`   PostgreSQL ${s.server_version}: fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit} (a commit waits for its WAL flush),`
    + ` wal_sync_method=${s.wal_sync_method}, full_page_writes=${s.full_page_writes}, shared_buffers=${s.shared_buffers}; SQLite: synchronous=FULL`);
  const collectors: Collector[] = [];
  const started = async (label: string, databaseUrl?: string) => {
    const c = await startCollector(makeTempDir(label), masterKey, 1, databaseUrl ? { databaseUrl } : {});
    collectors.push(c);
    return c;
  };
  try {
    const sqlite = await started('engine-sqlite');
    const pgA = await started('engine-pg-a', db.url);
    // The second process finds the demo brand the first made: no banner, the same keys.
    const pgB = await started('engine-pg-b', db.url);
    const pgHeaders = demoHeaders(demoKeysFromBanner(pgA.logFile));
    const targets: Target[] = [
      { engine: 'SQLite', processes: 1, urls: [sqlite.url], headers: demoHeaders(demoKeysFromBanner(sqlite.logFile)), pids: [sqlite.pid] },
      { engine: 'PostgreSQL', processes: 1, urls: [pgA.url], headers: pgHeaders, pids: [pgA.pid], serverCpuUs: db.cpuUs },
      { engine: 'PostgreSQL', processes: 2, urls: [pgA.url, pgB.url], headers: pgHeaders, pids: [pgA.pid, pgB.pid], serverCpuUs: db.cpuUs },
    ];
    const results = new Map<Target, Partial<Record<Kind, Run[] | string>>>(targets.map((t) => [t, {}]));
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const live: Target[] = [];
      for (const t of targets) {
        const problem = await probe(t, kind);
        if (problem) {
          results.get(t)![kind] = problem;
          log(`   ${t.engine} x${t.processes} ${kind}: ${problem}`);
        } else {
          live.push(t);
          results.get(t)![kind] = [];
          await load(t, kind, WARMUP_SECONDS);
        }
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < live.length; k++) {
          const t = live[(k + round) % live.length]!;
          const r = await load(t, kind, RUN_SECONDS);
          (results.get(t)![kind] as Run[]).push(r);
          log(`  ${kind.padEnd(11)} ${`${t.engine} x${t.processes}`.padEnd(14)} ${fmt(r.rps).padStart(6)}/s  p99 ${fmt(r.latencyMs.p99, 1).padStart(8)} ms`
            + `  CPU/answer: collectors ${fmt(r.collectorCpu).padStart(5)} us${r.serverCpu === null ? '' : `, PostgreSQL ${fmt(r.serverCpu)} us`}  non-2xx ${r.non2xx}  errors ${r.errors}${r.non2xx ? `  (${Object.entries(r.statusCodes).map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''}`);
        }
      }
    }
    /** rate, p99, CPU per answer (collectors + database server), failed answers: the medians of the runs. */
    const cell = (v: Run[] | string | undefined) => {
      if (v === undefined || typeof v === 'string' || v.length === 0) return { rate: 'failed', p99: '', cpu: '', failed: 0 };
      const of = (f: (r: Run) => number) => median(v.map(f));
      const cpu = `${fmt(of((r) => r.collectorCpu + (r.serverCpu ?? 0)))} us`;
      return { rate: fmt(of((r) => r.rps)), p99: `${fmt(of((r) => r.latencyMs.p99), 1)} ms`, cpu, failed: v.reduce((sum, r) => sum + r.non2xx + r.errors, 0) };
    };
    log();
    log('  CPU: per answer, the collectors\' and the PostgreSQL server\'s together (the load generator\'s not counted)');
    log('  | engine | processes | visits/s | p99 | CPU | conversions/s | p99 | CPU | non-2xx + errors |');
    log('  | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const t of targets) {
      const v = cell(results.get(t)!.visits);
      const c = cell(results.get(t)!.conversions);
      log(`  | ${t.engine} | ${t.processes} | ${v.rate} | ${v.p99} | ${v.cpu} | ${c.rate} | ${c.p99} | ${c.cpu} | ${v.failed + c.failed} |`);
    }
  } finally {
    for (const c of collectors) await c.stop();
  }
}
