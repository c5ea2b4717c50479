// A throwaway PostgreSQL server for the tests (started once by scripts/run-tests.mjs), and a fresh, migrated database
// on it for each test that asks.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { migratePg, migrationFiles } from '../../src/db/pg/migrate.ts';

/** Where Debian's postgresql package puts the server's programs (the newest major version there, 15 or later). */
const PG_ROOT = '/usr/lib/postgresql';
const URL_VARIABLE = 'REFERLOOP_TEST_PG_URL';

/** The server the test run started (the runner exports it), as a URL of its maintenance database, or null. */
export function pgTestUrl(): string | null {
  return process.env[URL_VARIABLE] || null;
}

/**
 * Why a test needing PostgreSQL cannot run here, or null when it can: outside CI a missing server is a skip with this
 * reason, under CI (CI=true) it is a failure, as the PostgreSQL half must never be skipped there.
 */
export function pgTestSkip(): string | null {
  if (pgTestUrl()) return null;
  const cannot = pgUnavailable();
  const why = `${URL_VARIABLE} is not set (${cannot
    ? `and this machine cannot start a PostgreSQL server: ${cannot}`
    : 'run the tests through scripts/run-tests.mjs, which starts a throwaway PostgreSQL server'})`;
  if (process.env.CI === 'true') throw new Error(`CI must run the PostgreSQL tests: ${why}`);
  return why;
}

function pgBin(): string | null {
  let versions: number[];
  try {
    versions = readdirSync(PG_ROOT).map(Number).filter((v) => v >= 15).sort((a, b) => b - a);
  } catch {
    return null;
  }
  const found = versions.map((v) => join(PG_ROOT, String(v), 'bin')).find((bin) => existsSync(join(bin, 'postgres')));
  return found ?? null;
}

const isRoot = () => process.getuid?.() === 0;

/** Why this machine cannot start a throwaway server, or null when it can. */
export function pgUnavailable(): string | null {
  if (!pgBin()) return `no PostgreSQL 15+ server programs in ${PG_ROOT}/*/bin (Debian: apt-get install postgresql)`;
  if (isRoot()) {
    // The server refuses to run as root: it runs as the package's postgres user.
    if (spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run the server as';
    if (spawnSync('runuser', ['--help']).error) return 'running as root and runuser is missing (util-linux)';
  }
  return null;
}

interface Cluster {
  dir: string;
  data: string;
  url: string;
}
let started: Cluster | null = null;

/** A command of the server's, as the postgres user when this process is root; throws with its output on failure. */
function runPg(program: string, args: string[], cwd: string): void {
  const bin = join(pgBin()!, program);
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(command, argv, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr || r.stdout}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server in a new temporary folder, listening on 127.0.0.1 at a free port (trust authentication: nothing
 * but this machine reaches it, and it lives as long as the test run), makes the migrated template, and returns the
 * URL of its maintenance database, to be exported as REFERLOOP_TEST_PG_URL. stopPgCluster removes it all.
 */
export async function startPgCluster(opts: { durable?: boolean } = {}): Promise<string> {
  const why = pgUnavailable();
  if (why) throw new Error(`PostgreSQL unavailable: ${why}`);
  if (started) return started.url;
  // The test run's server need not survive a power cut (it is removed at the end): without fsync its commits wait for
  // no disk, so the suites' thousands of transactions cost CPU only. The bench keeps the default (durable) settings.
  const unsafe = opts.durable === false ? ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' : '';
  const dir = mkdtempSync('/tmp/referloop-pg-');
  const data = join(dir, 'data');
  started = { dir, data, url: '' };
  if (isRoot()) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  // C.UTF-8: the search's case folding and letters need a UTF-8 locale (migration 012_baseline refuses C). --no-sync:
  // initdb's own files need not reach the disk for a server that dies with the run.
  runPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], dir);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      runPg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
        '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300${unsafe}`, 'start'], dir);
      started.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      break;
    } catch (error) {
      // Another process took the port between freePort and the server's bind.
      if (attempt === 3) {
        const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
        stopPgCluster();
        throw new Error(`${(error as Error).message}\n${log}`);
      }
    }
  }
  const admin = new pg.Client({ connectionString: started.url });
  await admin.connect();
  try {
    await ensureTemplate(admin, started.url);
  } finally {
    await admin.end();
  }
  return started.url;
}

/** Stops the server startPgCluster started (immediately: nothing in it is kept) and removes its folder. */
export function stopPgCluster(): void {
  const cluster = started;
  if (!cluster) return;
  started = null;
  try {
    if (existsSync(join(cluster.data, 'postmaster.pid'))) runPg('pg_ctl', ['-D', cluster.data, '-m', 'immediate', '-w', 'stop'], cluster.dir);
  } finally {
    rmSync(cluster.dir, { recursive: true, force: true });
  }
}

/**
 * The template's name: one per content of the migrations, so a changed migration makes a new template instead of
 * copying a stale one (on a developer's long-lived server as on the runner's).
 */
function templateName(): string {
  const hash = createHash('sha256');
  const dir = new URL('../../src/db/pg/migrations/', import.meta.url);
  for (const file of migrationFiles()) hash.update(file).update(readFileSync(new URL(file, dir)));
  return `referloop_template_${hash.digest('hex').slice(0, 12)}`;
}

const TEMPLATE_LOCK_KEY = 0x72656674706cn; // 'reftpl': one process makes the template, the others wait for it

/** Makes the migrated template database once (under an advisory lock of the maintenance database). */
async function ensureTemplate(admin: pg.Client, base: string): Promise<string> {
  const name = templateName();
  const ready = async () => (await admin.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [name])).rows[0]?.datistemplate as boolean | undefined;
  if (await ready()) return name;
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY.toString()]);
  try {
    const state = await ready();
    if (state) return name;
    // A template that exists but was never marked ready is what a killed process left halfway.
    if (state === false) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const client = new pg.Client({ connectionString: databaseUrl(base, name) });
    await client.connect();
    try {
      await migratePg(client);
    } finally {
      await client.end();
    }
    await admin.query(`ALTER DATABASE ${name} IS_TEMPLATE true`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY.toString()]);
  }
}

/** The URL of another database on the server of `base`. */
function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

let created = 0;

/**
 * A fresh database with every migration applied, uniquely named, on the test server (REFERLOOP_TEST_PG_URL): a copy
 * of the migrated template (CREATE DATABASE ... TEMPLATE), which costs less than migrating (see the README's
 * figures). drop() removes it, ending any connection still open to it.
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const base = pgTestUrl();
  if (!base) throw new Error(`${URL_VARIABLE} is not set: no PostgreSQL server for this test`);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const name = `referloop_test_${process.pid}_${++created}_${randomBytes(3).toString('hex')}`;
    if (opts.migrated === false) await admin.query(`CREATE DATABASE ${name}`);
    else await admin.query(`CREATE DATABASE ${name} TEMPLATE ${await ensureTemplate(admin, base)}`);
    const url = databaseUrl(base, name);
    return {
      url,
      name,
      async drop() {
        const dropper = new pg.Client({ connectionString: base });
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await dropper.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}
