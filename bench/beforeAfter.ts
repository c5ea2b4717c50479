// A change's before and after in one window, on both engines: two commits' collectors (checked out with git archive
// under .tmp-bench/, a node_modules link, each built) measured in the same alternating rounds, each figure a ratio
// after/before per round with the median and the range (the 2 shared cores make absolute figures meaningless).
//   BEFORE=b163b88 AFTER=$(git rev-parse HEAD) node --import tsx bench/beforeAfter.ts
//   PARTS=sqlite-visits,sqlite-conversions,pg-visits,pg-conversions,sqlite-dashboard,pg-dashboard (the default: all;
//     `seed` seeds the big brand only)
// sqlite-visits / sqlite-conversions: the after checkout's bench/visitCpu.ts and bench/conversionRate.ts with
//   VISIT_CPU_BASELINE / CONVERSIONS_BASELINE = the before checkout (their own knobs: VISIT_CPU_ROUNDS, VISIT_CPU_SECONDS,
//   CONVERSIONS_ROUNDS, CONVERSIONS_SECONDS pass through).
// pg-visits / pg-conversions: the same loads (50 connections, bench/requests.ts's bodies) against a before and an after
//   collector on PostgreSQL, each on its own fresh database of one throwaway durable server (fsync and
//   synchronous_commit on, as bench/engines.ts), BA_PG_ROUNDS (8) rounds of BA_PG_SECONDS (5) s, the order turning each
//   round; CPU per answer is the collector's plus the PostgreSQL server's.
// sqlite-dashboard / pg-dashboard: bench/dashboard.ts's pages on the big brand of bench/bigBrand.ts (BA_SCALE, 1 =
//   100,000 advocates, 2,000,000 visits, 300,000 conversions), seeded once by the BEFORE checkout's code (so a
//   pre-change database) and kept in .tmp-bench/seed-<before>-<scale>/ (PostgreSQL: loaded by the before checkout's
//   `referloop migrate-data` into a database of the server kept in .tmp-bench/pg/). Each run copies it twice, migrates
//   one copy with the AFTER checkout's code (timed), and times every page with the before collector on its copy and the
//   after collector on its own: BA_DASHBOARD_ROUNDS (7) rounds, each BA_DASHBOARD_CALLS (5) calls of each side after one
//   warm-up call per page and side, before and after alternating call by call; per round the ratio of the two medians.
//   On PostgreSQL the pages are timed again after VACUUM (ANALYZE) of both copies (BA_PG_VACUUM=0 skips that).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DASHBOARD_PAGES as PAGES, get as timedGet } from './dashboard.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(REPO, '.tmp-bench');
const BEFORE = process.env.BEFORE ?? 'b163b88';
const AFTER = process.env.AFTER ?? 'HEAD';
const ALL_PARTS = ['sqlite-visits', 'sqlite-conversions', 'pg-visits', 'pg-conversions', 'sqlite-dashboard', 'pg-dashboard'];
const PARTS = (process.env.PARTS ?? ALL_PARTS.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
const SCALE = Number(process.env.BA_SCALE ?? 1);
const PG_ROUNDS = Number(process.env.BA_PG_ROUNDS ?? 8);
const PG_SECONDS = Number(process.env.BA_PG_SECONDS ?? 5);
const DASH_ROUNDS = Number(process.env.BA_DASHBOARD_ROUNDS ?? 7);
const DASH_CALLS = Number(process.env.BA_DASHBOARD_CALLS ?? 5);
/** PostgreSQL: the pages a second time after VACUUM (ANALYZE) of both copies (BA_PG_VACUUM=0: not). */
const PG_VACUUM = process.env.BA_PG_VACUUM !== '0';
const CONNECTIONS = 50;
const DAY_MS = 86_400_000;

const summary: string[] = [];
const log = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => { summary.push(line); log(line); };
const git = (...args: string[]) => execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).trim();
const clock = () => performance.timeOrigin + performance.now();
/** The median (the mean of the middle two for an even count). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ratioText = (xs: number[]) => (xs.length === 0 || xs.some(Number.isNaN) ? 'n/a'
  : `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ---------------------------------------------------------------------------------------------------------- checkouts

interface Side { label: 'before' | 'after'; commit: string; short: string; dir: string }

/** `git archive <commit>` into `dir` (once per commit: a .commit marker), a node_modules link, and its `npm run build`. */
function checkout(label: Side['label'], ref: string, dir: string): Side {
  const commit = git('rev-parse', `${ref}^{commit}`);
  const short = git('rev-parse', '--short=7', commit);
  const marker = join(dir, '.commit');
  if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== commit) {
    log(`  ${label}: git archive ${short} into ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git -C "${REPO}" archive ${commit} | tar -x -C "${dir}"`]);
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    // The collector serves dist/ (tracker, dashboard scripts, openapi.json): the package's build, as `npm run build`.
    const r = spawnSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build in ${dir} failed:\n${r.stdout}\n${r.stderr}`);
    writeFileSync(marker, `${commit}\n`);
  }
  return { label, commit, short, dir };
}

function dependencyNote(before: Side, after: Side): void {
  const differ = (a: string, b: string | null) => {
    const args = b ? ['diff', '--quiet', a, b, '--', 'package.json', 'package-lock.json'] : ['diff', '--quiet', a, '--', 'package.json', 'package-lock.json'];
    return spawnSync('git', ['-C', REPO, ...args]).status !== 0;
  };
  note(`dependencies: package.json + package-lock.json ${differ(before.commit, after.commit) ? 'DIFFER' : 'identical'} between ${before.short} and ${after.short};`
    + ` the working tree's (whose node_modules both checkouts link) ${differ(after.commit, null) ? 'DIFFER from' : 'match'} ${after.short}'s`);
}

// ------------------------------------------------------------------------------------------ bench helpers (the after's)

type Processes = typeof import('./processes.ts');
type Load = typeof import('./load.ts');
type Requests = typeof import('./requests.ts');
let P: Processes;
let L: Load;
let R: Requests;

async function loadHelpers(after: Side): Promise<void> {
  const of = (f: string) => pathToFileURL(join(after.dir, 'bench', f)).href;
  P = await import(of('processes.ts')) as Processes;
  L = await import(of('load.ts')) as Load;
  R = await import(of('requests.ts')) as Requests;
}

/** A child process with its output passed through; resolves with everything it wrote to stdout. */
function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); process.stdout.write(b); });
    child.stderr.on('data', (b: Buffer) => process.stderr.write(b));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

// ------------------------------------------------------------------------------------------------- SQLite visits, conversions

async function sqliteVisits(before: Side, after: Side): Promise<void> {
  log(`\n== sqlite-visits: ${after.short}'s bench/visitCpu.ts, VISIT_CPU_BASELINE=${before.dir} (visit = after, base = before); load ${loadAverage()}`);
  const out = await run(process.execPath, ['--import', 'tsx', 'bench/visitCpu.ts'], {
    cwd: after.dir, env: { ...process.env, VISIT_CPU_BASELINE: before.dir, VISIT_CPU_ROUNDS: process.env.VISIT_CPU_ROUNDS ?? '10' },
  });
  const pick = (label: string) => new RegExp(`${label}[^\\n]*visit/base (\\S+ \\([^)]*\\))`).exec(out)?.[1] ?? 'n/a';
  note(`SQLite visits, after/before: throughput ${pick('throughput:')}, CPU per visit (user+system) ${pick('user\\+system:')} (load ${loadAverage()})`);
}

async function sqliteConversions(before: Side, after: Side): Promise<void> {
  log(`\n== sqlite-conversions: ${after.short}'s bench/conversionRate.ts, CONVERSIONS_BASELINE=${before.dir} (now = after, base = before); load ${loadAverage()}`);
  const out = await run(process.execPath, ['--import', 'tsx', 'bench/conversionRate.ts'], {
    cwd: after.dir, env: { ...process.env, CONVERSIONS_BASELINE: before.dir },
  });
  const m = /now\/base: conversions\/s (\S+ \([^)]*\)), CPU per conversion (\S+ \([^)]*\))/.exec(out);
  note(`SQLite conversions, after/before: conversions/s ${m?.[1] ?? 'n/a'}, CPU per conversion ${m?.[2] ?? 'n/a'} (load ${loadAverage()})`);
}

// ----------------------------------------------------------------------------------------------------------- PostgreSQL

/** Debian's server programs (the newest 15+). */
function pgBin(): string {
  for (const v of ['17', '16', '15']) if (existsSync(`/usr/lib/postgresql/${v}/bin/postgres`)) return `/usr/lib/postgresql/${v}/bin`;
  throw new Error('no PostgreSQL 15+ in /usr/lib/postgresql/*/bin');
}
const isRoot = () => process.getuid?.() === 0;
function runPg(program: string, args: string[], cwd: string): string {
  const bin = join(pgBin(), program);
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(command, argv, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr || r.stdout}`);
  return r.stdout;
}
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

interface PgServer { base: string; url(db: string): string; cpuUs(): number; admin(sql: string): Promise<void>; has(db: string): Promise<boolean> }
let pgServer: PgServer | null = null;
const PG_DIR = join(WORK, 'pg');
const PG_DATA = join(PG_DIR, 'data');

/**
 * The bench's own server, kept in .tmp-bench/pg/data (so the loaded big brand survives a rerun), durable as initdb
 * makes it (fsync, synchronous_commit on), trust authentication on 127.0.0.1 only, a free port; stopped on exit.
 */
async function startPg(): Promise<PgServer> {
  if (pgServer) return pgServer;
  const pg = (await import('pg')).default;
  mkdirSync(PG_DIR, { recursive: true });
  if (isRoot()) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(PG_DIR, id('-u'), id('-g'));
  }
  if (!existsSync(join(PG_DATA, 'PG_VERSION'))) {
    runPg('initdb', ['-D', PG_DATA, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8'], PG_DIR);
  }
  // A server a killed earlier run left running: stopped first (it is this bench's own data folder).
  if (spawnSync(isRoot() ? 'runuser' : join(pgBin(), 'pg_ctl'), isRoot() ? ['-u', 'postgres', '--', join(pgBin(), 'pg_ctl'), '-D', PG_DATA, 'status'] : ['-D', PG_DATA, 'status']).status === 0) {
    runPg('pg_ctl', ['-D', PG_DATA, '-m', 'fast', '-w', 'stop'], PG_DIR);
  }
  const port = await freePort();
  runPg('pg_ctl', ['-D', PG_DATA, '-l', join(PG_DIR, 'server.log'), '-w', '-t', '120',
    '-o', `-p ${port} -k ${PG_DIR} -c listen_addresses=127.0.0.1 -c max_connections=200`, 'start'], PG_DIR);
  P.onCleanUp(() => { try { runPg('pg_ctl', ['-D', PG_DATA, '-m', 'fast', '-w', 'stop'], PG_DIR); } catch { /* already stopped */ } });
  const pid = Number(readFileSync(join(PG_DATA, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const base = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  const has = async (db: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try { return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount ?? 0) > 0; } finally { await c.end(); }
  };
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  const settings: string[] = [];
  for (const s of ['server_version', 'fsync', 'synchronous_commit', 'shared_buffers']) settings.push(`${s}=${(await c.query(`SHOW ${s}`)).rows[0][s]}`);
  await c.end();
  log(`  PostgreSQL at 127.0.0.1:${port}, data ${PG_DATA}: ${settings.join(', ')}`);
  pgServer = { base, url, cpuUs: () => P.treeCpuUs(pid), admin, has };
  return pgServer;
}

async function freshDb(server: PgServer, name: string, template?: string): Promise<string> {
  await server.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  // FILE_COPY: a big template copied file by file (WAL_LOG, 15's default, would write all of it to the WAL).
  await server.admin(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template} STRATEGY FILE_COPY` : ''}`);
  return server.url(name);
}

interface PgRun { rps: number; p99: number; cpu: number; failed: number }

/** pg-visits / pg-conversions: what bench/visitCpu.ts and bench/conversionRate.ts do on SQLite, on PostgreSQL. */
async function pgLoad(kind: 'visits' | 'conversions', before: Side, after: Side): Promise<void> {
  log(`\n== pg-${kind}: a before and an after collector, each on a fresh database of one server, ${PG_ROUNDS} rounds of ${PG_SECONDS} s,`
    + ` ${CONNECTIONS} connections; load ${loadAverage()}`);
  const server = await startPg();
  const masterKey = randomBytes(32).toString('hex');
  const sides = [before, after];
  const targets: Array<{ side: Side; c: import('./processes.ts').Collector; headers: Record<string, string> }> = [];
  for (const s of sides) {
    // An empty database: the collector migrates it with its own code and makes the demo brand (its banner's keys).
    const url = await freshDb(server, `ba_${kind}_${s.label}`);
    const c = await P.startCollector(P.makeTempDir(`ba-pg-${kind}-${s.label}`), masterKey, 1, { root: s.dir, databaseUrl: url });
    targets.push({ side: s, c, headers: R.demoHeaders(P.demoKeysFromBanner(c.logFile)) });
  }
  const spec = kind === 'visits' ? { path: R.VISIT_PATH, body: R.VISIT_BODY } : { path: R.CONVERSION_PATH, makeBody: R.conversionBodies() };
  const measure = async (t: (typeof targets)[number], seconds: number): Promise<PgRun> => {
    const cpu = () => { const u = P.cpuUs(t.c.pid); return u.user + u.system + server.cpuUs(); };
    const before0 = cpu();
    const r = await L.runLoad({ ...spec, url: t.c.url, connections: CONNECTIONS, seconds, headers: t.headers });
    return { rps: r.rps, p99: r.latencyMs.p99, cpu: (cpu() - before0) / Math.max(1, r.ok + r.non2xx), failed: r.non2xx + r.errors };
  };
  try {
    for (const t of targets) await measure(t, 2);
    const runs: PgRun[][] = [[], []];
    for (let round = 0; round < PG_ROUNDS; round++) {
      for (let k = 0; k < 2; k++) {
        const i = (k + round) % 2;
        const r = await measure(targets[i]!, PG_SECONDS);
        runs[i]!.push(r);
        log(`  ${targets[i]!.side.label.padEnd(6)} ${r.rps.toFixed(0).padStart(5)}/s  p99 ${r.p99.toFixed(1).padStart(7)} ms  CPU/answer collector+PostgreSQL ${r.cpu.toFixed(0).padStart(6)} us  non-2xx + errors ${r.failed}`);
      }
    }
    const ratios = (f: (r: PgRun) => number) => runs[1]!.map((r, i) => f(r) / f(runs[0]![i]!));
    const med = (i: number, f: (r: PgRun) => number) => median(runs[i]!.map(f));
    const failed = runs.flat().reduce((n, r) => n + r.failed, 0);
    note(`PostgreSQL ${kind}, after/before: ${kind}/s ${ratioText(ratios((r) => r.rps))}, CPU per answer (collector + server) ${ratioText(ratios((r) => r.cpu))},`
      + ` p99 ${ratioText(ratios((r) => r.p99))}; medians before ${med(0, (r) => r.rps).toFixed(0)}/s ${med(0, (r) => r.cpu).toFixed(0)} us,`
      + ` after ${med(1, (r) => r.rps).toFixed(0)}/s ${med(1, (r) => r.cpu).toFixed(0)} us; ${failed} failed (load ${loadAverage()})`);
  } finally {
    for (const t of targets) await t.c.stop();
    for (const s of sides) await server.admin(`DROP DATABASE IF EXISTS ba_${kind}_${s.label} WITH (FORCE)`);
  }
}

// --------------------------------------------------------------------------------------------------- the big brand

type SeededBrand = import('./bigBrand.ts').SeededBrand;
interface Seed { dir: string; file: string; masterKey: string; brand: SeededBrand }
const scaleTag = () => (SCALE === 1 ? 'full' : `x${SCALE}`);

/** The big brand seeded by the BEFORE checkout's bench/bigBrand.ts (its use cases, its schema), once per commit and scale. */
async function seeded(before: Side): Promise<Seed> {
  const dir = join(WORK, `seed-${before.short}-${scaleTag()}`);
  if (!existsSync(join(dir, 'meta.json'))) {
    const building = `${dir}.partial`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    log(`  seeding the big brand (scale ${SCALE}) with ${before.short}'s code into ${building} (nice -n 10; about 25 min at scale 1)`);
    const started = clock();
    const code = `
      import { randomBytes } from 'node:crypto';
      import { writeFileSync } from 'node:fs';
      const { seedBigBrand, FULL_SIZE, scaled } = await import(${JSON.stringify(pathToFileURL(join(before.dir, 'bench/bigBrand.ts')).href)});
      const dir = process.argv[1];
      const masterKey = randomBytes(32).toString('hex');
      const brand = await seedBigBrand(dir + '/large.db', Buffer.from(masterKey, 'hex'), scaled(FULL_SIZE, Number(process.argv[2])), Date.now());
      writeFileSync(dir + '/meta.json', JSON.stringify({ masterKey, brand }, null, 2));`;
    await run('nice', ['-n', '10', process.execPath, '--import', 'tsx', '--input-type=module', '-e', code, building, String(SCALE)], { cwd: before.dir });
    renameSync(building, dir);
    log(`  seeded in ${((clock() - started) / 1000).toFixed(0)} s`);
  }
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { masterKey: string; brand: SeededBrand };
  log(`  big brand: ${Object.entries(meta.brand.counts).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}; anchor ${meta.brand.anchor} (${dir})`);
  return { dir, file: join(dir, 'large.db'), masterKey: meta.masterKey, brand: meta.brand };
}

/** The seed loaded into PostgreSQL by the BEFORE checkout's `referloop migrate-data` (once), as a template database. */
async function pgSeeded(server: PgServer, before: Side, seed: Seed): Promise<string> {
  const name = `big_${before.short}_${scaleTag().replace('.', '_')}`;
  if (await server.has(name)) return name;
  const partial = `${name}_partial`;
  const url = await freshDb(server, partial);
  // migrate-data opens its source read-write (migrated first, as serve would): a copy, so the pristine file stays so.
  const tmp = P.makeTempDir('ba-migrate-data');
  copyFileSync(seed.file, join(tmp, 'referloop.db'));
  log(`  loading the big brand into PostgreSQL with ${before.short}'s referloop migrate-data (once)`);
  const started = clock();
  await run(process.execPath, [join(before.dir, 'collector/bin/referloop.mjs'), 'migrate-data', '--from', join(tmp, 'referloop.db'), '--to', url], {
    cwd: before.dir, env: { ...process.env, REFERLOOP_MASTER_KEY: seed.masterKey },
  });
  rmSync(tmp, { recursive: true, force: true });
  await server.admin(`ALTER DATABASE ${partial} RENAME TO ${name}`);
  log(`  loaded in ${((clock() - started) / 1000).toFixed(0)} s`);
  return name;
}

// ------------------------------------------------------------------------------------------------------- dashboard



/** An owner made with the side's own CLI, signed in through its single-use link (as bench/dashboard.ts does). */
async function signIn(side: Side, url: string, dataDir: string, masterKey: string, brandId: string, databaseUrl?: string): Promise<string> {
  const out = execFileSync(process.execPath, [join(side.dir, 'collector/bin/referloop.mjs'), 'user', 'create', '--brand', brandId,
    '--email', `ba-${side.label}-${Date.now()}@owner.example`, '--role', 'owner', '--json'], {
    cwd: side.dir, encoding: 'utf8',
    env: { ...process.env, REFERLOOP_DATA_DIR: dataDir, REFERLOOP_MASTER_KEY: masterKey, ...(databaseUrl ? { REFERLOOP_DATABASE_URL: databaseUrl } : {}) },
  });
  const { login_url } = JSON.parse(out) as { login_url: string };
  const res = await fetch(`${url}${new URL(login_url).pathname}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual',
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('rl_session='));
  if (res.status !== 303 || !cookie) throw new Error(`${side.label}: sign-in answered ${res.status}`);
  return cookie;
}

/** The after side's migration of a pre-change copy, with its own code, in a process of its own (timed there). */
async function migrateAfter(after: Side, target: { sqlite: string } | { pg: string }): Promise<void> {
  const src = (f: string) => JSON.stringify(pathToFileURL(join(after.dir, f)).href);
  const code = 'sqlite' in target ? `
      const { default: Database } = await import('better-sqlite3');
      const { openDatabase } = await import(${src('collector/src/db/open.ts')});
      const names = (db) => db.prepare('SELECT name FROM schema_migrations').pluck().all();
      const raw = new Database(process.argv[1]); const had = new Set(names(raw)); raw.close();
      const t = performance.now();
      const db = openDatabase(process.argv[1]);
      const ms = performance.now() - t;
      const applied = names(db).filter((n) => !had.has(n));
      const t2 = performance.now(); db.pragma('wal_checkpoint(TRUNCATE)'); const ckpt = performance.now() - t2;
      db.close();
      console.log(JSON.stringify({ ms, applied, checkpointMs: ckpt }));`
    : `
      const { default: pg } = await import('pg');
      const { migratePg } = await import(${src('collector/src/db/pg/migrate.ts')});
      const c = new pg.Client({ connectionString: process.argv[1] }); await c.connect();
      const t = performance.now(); const applied = await migratePg(c); const ms = performance.now() - t;
      await c.end();
      console.log(JSON.stringify({ ms, applied }));`;
  const out = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, 'sqlite' in target ? target.sqlite : target.pg], { cwd: after.dir });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; applied: string[]; checkpointMs?: number };
  note(`${'sqlite' in target ? 'SQLite' : 'PostgreSQL'} migration at size by ${after.short} (${r.applied.join(', ') || 'none pending'}): ${(r.ms / 1000).toFixed(1)} s`
    + `${r.checkpointMs === undefined ? '' : ` (+ ${(r.checkpointMs / 1000).toFixed(1)} s for the WAL checkpoint after it)`} (load ${loadAverage()})`);
}

interface DashSide { side: Side; url: string; agent: http.Agent; cookie: string; stop(): Promise<void> }

async function dashboard(engine: 'sqlite' | 'pg', before: Side, after: Side): Promise<void> {
  log(`\n== ${engine}-dashboard: bench/dashboard.ts's pages on the big brand, before collector on a before copy, after collector on a`
    + ` copy it migrated; ${DASH_ROUNDS} rounds x ${DASH_CALLS} calls of each side per page; load ${loadAverage()}`);
  const seed = await seeded(before);
  const E = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const dirs: Record<string, string> = {};
  const dbUrls: Record<string, string | undefined> = {};
  if (engine === 'sqlite') {
    for (const s of [before, after]) {
      const dir = join(WORK, `dash-sqlite-${s.label}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      copyFileSync(seed.file, join(dir, 'referloop.db'));
      dirs[s.label] = dir;
    }
    await migrateAfter(after, { sqlite: join(dirs.after!, 'referloop.db') });
  } else {
    const server = await startPg();
    const template = await pgSeeded(server, before, seed);
    for (const s of [before, after]) {
      const t = clock();
      dbUrls[s.label] = await freshDb(server, `dash_${s.label}`, template);
      log(`  copied ${template} to dash_${s.label} in ${((clock() - t) / 1000).toFixed(0)} s`);
      dirs[s.label] = P.makeTempDir(`ba-dash-pg-${s.label}`);
    }
    await migrateAfter(after, { pg: dbUrls.after! });
  }
  const sides: DashSide[] = [];
  try {
    for (const s of [before, after]) {
      const t = clock();
      const c = await P.startCollector(dirs[s.label]!, seed.masterKey, 1, { root: s.dir, ...(dbUrls[s.label] ? { databaseUrl: dbUrls[s.label]! } : {}) });
      const startMs = clock() - t;
      const cookie = await signIn(s, c.url, dirs[s.label]!, seed.masterKey, seed.brand.brandId, dbUrls[s.label]);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      sides.push({ side: s, url: c.url, agent, cookie, stop: async () => { agent.destroy(); await c.stop(); } });
      // The first page settles the brand's due backlog (503 settling meanwhile), timed apart as bench/dashboard.ts does.
      const first = clock();
      let a = await timedGet(agent, c.url, PAGES[0]!.path(seed.brand), cookie, 300_000);
      let tries = 1;
      while (a.status === 503 && clock() - first < 600_000) {
        await new Promise((r) => setTimeout(r, 1000));
        a = await timedGet(agent, c.url, PAGES[0]!.path(seed.brand), cookie, 300_000);
        tries++;
      }
      note(`${E} ${s.label}: collector ready ${(startMs / 1000).toFixed(1)} s after start; first page (due backlog settled first) ${((clock() - first) / 1000).toFixed(1)} s over ${tries} call(s), HTTP ${a.status}`);
    }
    const timePages = async (tag: string) => {
      log(`  ${tag}`);
      log(`  ${'page'.padEnd(38)} ${'before'.padStart(10)} ${'after'.padStart(10)}  after/before per round: median (range)`);
      const slower: string[] = [];
      const allRatios: number[] = [];
      for (const p of PAGES) {
        const path = p.path(seed.brand);
        const times: number[][] = [[], []];
        const perRound: number[] = [];
        const statuses = new Set<string>();
        const bytes: number[] = [0, 0];
        for (let i = 0; i < 2; i++) {
          const w = await timedGet(sides[i]!.agent, sides[i]!.url, path, sides[i]!.cookie, 120_000); // warms that page's statements
          statuses.add(`${sides[i]!.side.label} ${w.status}`);
        }
        for (let round = 0; round < DASH_ROUNDS; round++) {
          // Call by call, before and after alternate (the first of each pair turning), so a pair is milliseconds apart.
          const xs: number[][] = [[], []];
          for (let n = 0; n < DASH_CALLS; n++) {
            for (let k = 0; k < 2; k++) {
              const i = (k + n + round) % 2;
              const a = await timedGet(sides[i]!.agent, sides[i]!.url, path, sides[i]!.cookie, 120_000);
              if (a.status !== 200) statuses.add(`${sides[i]!.side.label} ${a.status}`);
              bytes[i] = a.bytes;
              xs[i]!.push(a.ms);
            }
          }
          times[0]!.push(...xs[0]!);
          times[1]!.push(...xs[1]!);
          perRound.push(median(xs[1]!) / median(xs[0]!));
        }
        const r = median(perRound);
        allRatios.push(r);
        const bad = [...statuses].filter((s) => !s.endsWith(' 200'));
        const line = `${p.label.padEnd(38)} ${`${median(times[0]!).toFixed(1)} ms`.padStart(10)} ${`${median(times[1]!).toFixed(1)} ms`.padStart(10)}  ${ratioText(perRound)}`
          + `  (${Math.round(bytes[0]! / 1024)} / ${Math.round(bytes[1]! / 1024)} KB)${bad.length ? `  HTTP ${bad.join(', ')}` : ''}`;
        log(`  ${line}`);
        summary.push(`  ${E}${tag ? ` [${tag}]` : ''} ${line}`);
        if (r > 1.1) slower.push(`${p.label} ${r.toFixed(2)}x`);
      }
      note(`${E} dashboard${tag ? ` [${tag}]` : ''}: median over the pages' ratios ${median(allRatios).toFixed(2)}x; pages over 1.10x: ${slower.length ? slower.join('; ') : 'none'} (load ${loadAverage()})`);
    };
    await timePages(engine === 'pg' ? 'right after the upgrade (autovacuum as it comes)' : '');
    if (engine === 'pg' && PG_VACUUM) {
      // The after copy's migration rewrote every advocate and reward row (UPDATE ... SET campaign_id), and both copies
      // settled the due backlog: the pages again once VACUUM (ANALYZE) has run on both, as autovacuum would in time.
      const pg = (await import('pg')).default;
      for (const s of [before, after]) {
        const t = clock();
        const c = new pg.Client({ connectionString: dbUrls[s.label]! });
        await c.connect();
        try { await c.query('VACUUM (ANALYZE)'); } finally { await c.end(); }
        note(`${E} ${s.label}: VACUUM (ANALYZE) of its copy ${((clock() - t) / 1000).toFixed(1)} s`);
      }
      await timePages('after VACUUM (ANALYZE) of both copies');
    }
  } finally {
    for (const s of sides) await s.stop();
  }
}

// -------------------------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  for (const p of PARTS) if (p !== 'seed' && !ALL_PARTS.includes(p)) throw new Error(`unknown part ${p} (PARTS: seed, ${ALL_PARTS.join(', ')})`);
  mkdirSync(WORK, { recursive: true });
  const afterCommit = git('rev-parse', `${AFTER}^{commit}`);
  const before = checkout('before', BEFORE, join(WORK, 'before'));
  const after = checkout('after', afterCommit, join(WORK, `after-${git('rev-parse', '--short=7', afterCommit)}`));
  await loadHelpers(after);
  note(`before ${before.short} (${before.dir}), after ${after.short} (${after.dir}); parts ${PARTS.join(', ')}; load ${loadAverage()} on ${(await import('node:os')).cpus().length} cores`);
  dependencyNote(before, after);
  for (const part of PARTS) {
    if (part === 'seed') await seeded(before);
    else if (part === 'sqlite-visits') await sqliteVisits(before, after);
    else if (part === 'sqlite-conversions') await sqliteConversions(before, after);
    else if (part === 'pg-visits') await pgLoad('visits', before, after);
    else if (part === 'pg-conversions') await pgLoad('conversions', before, after);
    else if (part === 'sqlite-dashboard') await dashboard('sqlite', before, after);
    else if (part === 'pg-dashboard') await dashboard('pg', before, after);
  }
  log('\n== summary (after/before: the median of the rounds\' ratios, and their range)');
  for (const line of summary) log(line);
}

main().then(() => P?.cleanUp(), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  P?.cleanUp();
  process.exitCode = 1;
});
