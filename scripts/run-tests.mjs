// Runs every *.test.ts under the test folders with node's test runner (a run that finds no test fails), with a
// throwaway PostgreSQL server for the tests that need one: on SQLite (REFERLOOP_TEST_ENGINE=sqlite) every file, then,
// unless REFERLOOP_TEST_PG_SUITES=0 (never under CI), the collector's suites again on PostgreSQL (REFERLOOP_TEST_ENGINE=pg).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['collector/test', 'tracker/test', 'widget/test', 'client/test', 'e2e'];
/** The HTTP and CLI suites, the ones run on both engines (the tracker's and the browser's run on SQLite only). */
const BOTH_ENGINES = 'collector/test/';
/**
 * Collector test files that run once, in the first run, whatever the engine: they test what only SQLite has, or no
 * engine at all, or drive PostgreSQL themselves.
 */
const ONCE = new Map([
  ['collector/test/commit-queue.test.ts', "SQLite's group commit and its lock retries"],
  ['collector/test/startup.test.ts', "SQLite's pragmas, STRICT tables and file checks"],
  ['collector/test/upgrade.test.ts', 'upgrading SQLite files written by older migrations'],
  ['collector/test/query-plans.test.ts', "SQLite's query plans (PostgreSQL's: pg-plans and schema-engines)"],
  ['collector/test/crash.test.ts', "a SQLite file after SIGKILL (PostgreSQL's: pg-processes)"],
  ['collector/test/lockfile.test.ts', 'the lockfile'],
  ['collector/test/rate-limit-config.test.ts', 'configuration parsing'],
  ['collector/test/schema-engines.test.ts', 'compares both engines itself'],
  ['collector/test/pg-triggers.test.ts', 'runs on PostgreSQL itself'],
  ['collector/test/pg-processes.test.ts', 'runs three collectors on PostgreSQL itself'],
  ['collector/test/pg-plans.test.ts', 'runs on PostgreSQL itself'],
  ['collector/test/pg-rate-limits.test.ts', 'runs two collectors on PostgreSQL itself'],
  ['collector/test/pg-pool.test.ts', 'runs on PostgreSQL itself'],
  ['collector/test/webhooks/pg-deliverers.test.ts', 'runs two collectors on PostgreSQL itself'],
  ['collector/test/db-errors.test.ts', 'maps error codes, no database'],
  ['collector/test/cli-migrate-data.test.ts', 'copies SQLite into PostgreSQL itself'],
  ['collector/test/demo.test.ts', 'npm run demo on a fresh data folder (its SQLite file)'],
  ['collector/test/first-start.test.ts', "npm start on a fresh data folder (PostgreSQL's first start: pg-processes)"],
  ['collector/test/listen.test.ts', 'a busy port, before any database'],
  ['collector/test/dashboard/scripts.test.ts', "the dashboard's bundled scripts"],
]);
const once = (f) => ONCE.has(f) || f.startsWith('collector/test/domain/');
const CI = process.env.CI === 'true';
// The second run is on by default; REFERLOOP_TEST_PG_SUITES=0 leaves it out of a local run, never out of CI's.
const PG_SUITES = CI || process.env.REFERLOOP_TEST_PG_SUITES !== '0';

function findTests(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = (only.length ? only : roots.flatMap(findTests)).sort();
if (files.length === 0) {
  console.error('run-tests: no *.test.ts files found under ' + roots.join(', '));
  process.exit(1);
}
const pgFiles = files.map((f) => f.replace(/\\/g, '/')).filter((f) => f.startsWith(BOTH_ENGINES) && !once(f));

// A server for the whole suite, the PostgreSQL run, or a chosen file that uses one (not for a quick run of others).
const wantsPg = only.length === 0 || PG_SUITES || files.some((f) => readFileSync(f, 'utf8').includes('support/postgres'));
let pg = null;
let pgUrl = process.env.REFERLOOP_TEST_PG_URL || null;
if (wantsPg && !pgUrl) {
  const { tsImport } = await import('tsx/esm/api');
  pg = await tsImport('../collector/test/support/postgres.ts', import.meta.url);
  const why = pg.pgUnavailable();
  if (why) {
    if (CI) {
      console.error(`PostgreSQL: unavailable under CI, which never skips it (${why})`);
      process.exit(1);
    }
    console.log(`PostgreSQL: skipped (${why})`);
  } else {
    // Stopped (and its folder removed) however the run ends: normally, on a failure, or on Ctrl-C.
    process.on('exit', () => pg.stopPgCluster());
    try {
      pgUrl = await pg.startPgCluster({ durable: false });
    } catch (error) {
      console.error(`PostgreSQL: the test server did not start: ${error.message}`);
      process.exit(1);
    }
    console.log(`PostgreSQL: test server at ${pgUrl}`);
  }
}

let child = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The test runner ends its own children; this process ends once it has (the 'exit' hook stops the server).
    interrupted = true;
    if (child) child.kill(signal);
    else process.exit(130);
  });
}

function run(engine, list) {
  console.log(`# engine: ${engine} (${list.length} files)`);
  return new Promise((resolve) => {
    child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...list], {
      stdio: 'inherit',
      env: { ...process.env, REFERLOOP_TEST_ENGINE: engine, ...(pgUrl ? { REFERLOOP_TEST_PG_URL: pgUrl } : {}) },
    });
    child.on('exit', (code, signal) => {
      child = null;
      resolve(signal ? 1 : code ?? 1);
    });
  });
}

const results = [await run('sqlite', files)];
if (interrupted) process.exit(130);
if (PG_SUITES && pgFiles.length > 0) {
  if (pgUrl) results.push(await run('pg', pgFiles));
  else console.log('# engine: pg skipped (no PostgreSQL server)');
}
process.exit(results.some((status) => status !== 0) ? 1 : 0);
