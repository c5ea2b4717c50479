// The referloop command as a child process: one-shot CLI runs, and `serve` on a chosen port that can be killed, on
// the database of this run's engine (cliDatabase: a SQLite file, or a fresh PostgreSQL database).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openPgStore } from '../../src/db/pg/store.ts';
import { openStore, type Store } from '../../src/db/store.ts';
import { TEST_ENGINE } from './collector.ts';
import { createTestDatabase } from './postgres.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const REFERLOOP_BIN = fileURLToPath(new URL('../../bin/referloop.mjs', import.meta.url));

/** The environment a child gets: ours without any REFERLOOP_* setting, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REFERLOOP_')));
  return { ...clean, ...env };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `referloop ARGS...`, to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [REFERLOOP_BIN, ...args], { cwd: REPO_ROOT, env: childEnv(env), encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `referloop ARGS...` in its own process without blocking this one (a stream of requests goes on meanwhile). */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REFERLOOP_BIN, ...args], { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The one JSON object `referloop ARGS... --json` printed (exit 0, nothing else on stdout). */
export function cliJson(args: string[], env: Record<string, string> = {}): any {
  const r = runCli([...args, '--json'], env);
  return jsonOf(args, r);
}

function jsonOf(args: string[], r: CliRun): any {
  assert.equal(r.status, 0, `referloop ${args.join(' ')} failed:\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `exactly one line on stdout, got:\n${r.stdout}`);
  return JSON.parse(lines[0]!);
}

/** A fresh folder under the system's temporary one, removed after the test. */
export function tempDir(t: { after(fn: () => unknown): void }, prefix = 'referloop-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Where a test's referloop commands and collectors find their database, on this run's engine (REFERLOOP_TEST_ENGINE):
 * SQLite, the file `path` in the fresh folder `dir`, named with --db; PostgreSQL, a fresh migrated database whose URL
 * the children get as REFERLOOP_DATABASE_URL (no --db), with REFERLOOP_DATA_DIR=`dir` for the master key. Each test
 * is written once over `args` and `env`; what it seeds or reads itself goes through `open()`, the engine's store.
 */
export interface CliDatabase {
  engine: 'sqlite' | 'pg';
  /** a fresh folder, removed after the test: the SQLite file and the master key (on PostgreSQL the master key only) */
  dir: string;
  /** the SQLite file, or null on PostgreSQL */
  path: string | null;
  /** the PostgreSQL database's URL, or null on SQLite */
  url: string | null;
  /** what every command and `serve` adds to name the database: `--db PATH` on SQLite, nothing on PostgreSQL */
  args: string[];
  /** what every child adds to its environment: nothing on SQLite, REFERLOOP_DATABASE_URL and REFERLOOP_DATA_DIR on PostgreSQL */
  env: Record<string, string>;
  /** `referloop ARGS... <args>` with `env` over this database's */
  run(args: string[], env?: Record<string, string>): CliRun;
  runAsync(args: string[], env?: Record<string, string>): Promise<CliRun>;
  /** the one JSON object of `referloop ARGS... <args> --json` (exit 0) */
  json(args: string[], env?: Record<string, string>): any;
  /**
   * `referloop serve` on this database, stopped before the database is dropped; `opts.args` instead of `args` (with
   * REFERLOOP_DATA_DIR=`dir` in `env`, `[]` names the same SQLite file through the environment, as a first start does)
   */
  serve(env?: Record<string, string>, opts?: { args?: string[] }): Promise<ServeProcess>;
  /** the engine's store on this database (migrated), closed after the test: to seed or read as another process would */
  open(): Promise<Store>;
  /**
   * Everything the database holds, to look for what must never be stored: SQLite, the bytes of the file and of any
   * WAL or journal beside it (freed pages included); PostgreSQL, every row of every table as text.
   */
  stored(): Promise<Buffer>;
}

/** A refused command on `c`'s database: exit 1, nothing on stdout, `message` on stderr. */
export function refusedCli(c: CliDatabase, args: string[], message: RegExp, env: Record<string, string> = {}): void {
  const r = c.run([...args, '--json'], env);
  assert.equal(r.status, 1, `${args.join(' ')} should fail:\n${r.stdout}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
}

/** A fresh database for a test's referloop commands, on this run's engine (see CliDatabase). */
export async function cliDatabase(t: { after(fn: () => unknown): void }): Promise<CliDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-cli-'));
  const pg = TEST_ENGINE === 'pg' ? await createTestDatabase() : null;
  // One clean-up, in this order whatever the test registers later: the collectors and stores on the database first,
  // then the database (DROP ... WITH (FORCE) would cut their connections) and the folder.
  const served: ServeProcess[] = [];
  const opened: Store[] = [];
  t.after(async () => {
    await Promise.all(served.map((p) => p.kill()));
    await Promise.all(opened.map((store) => store.close()));
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const path = pg ? null : join(dir, 'referloop.db');
  const args = path ? ['--db', path] : [];
  const env: Record<string, string> = pg ? { REFERLOOP_DATABASE_URL: pg.url, REFERLOOP_DATA_DIR: dir } : {};
  const connect = () => (pg ? openPgStore(pg.url, { poolSize: 2, listen: false }) : openStore({ dbPath: path! }));
  return {
    engine: TEST_ENGINE, dir, path, url: pg?.url ?? null, args, env,
    run: (a, e = {}) => runCli([...a, ...args], { ...env, ...e }),
    runAsync: (a, e = {}) => runCliAsync([...a, ...args], { ...env, ...e }),
    json: (a, e = {}) => jsonOf(a, runCli([...a, ...args, '--json'], { ...env, ...e })),
    async serve(e = {}, o = {}) {
      const p = await spawnServe({ ...env, ...e }, { args: o.args ?? args });
      served.push(p);
      return p;
    },
    async open() {
      const store = await connect();
      // Closed at the end unless the test closed it already (a pool ends once).
      let closing: Promise<void> | undefined;
      const once: Store = { ...store, close: () => (closing ??= store.close()) };
      opened.push(once);
      return once;
    },
    async stored() {
      if (path) return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('referloop.db')).map((f) => readFileSync(join(dir, f))));
      const store = await connect();
      try {
        const tables = await store.db.prepare<string>(`SELECT table_name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`, { pluck: true }).all();
        const rows: string[] = [];
        for (const table of tables) rows.push(...await store.db.prepare<string>(`SELECT t::text FROM "${table}" t`, { pluck: true }).all());
        return Buffer.from(rows.join('\n'));
      } finally {
        await store.close();
      }
    },
  };
}

/** A port nobody listens on right now (the kernel's pick for port 0, released again). */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (if still running) and wait for the exit. */
  kill(): Promise<void>;
}

/** `referloop serve --port N` with `env`; resolves once GET /healthz answers 200. */
export async function spawnServe(env: Record<string, string>, opts: { port?: number; args?: string[] } = {}): Promise<ServeProcess> {
  const port = opts.port ?? await pickFreePort();
  const child = spawn(process.execPath, [REFERLOOP_BIN, 'serve', '--port', String(port), ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env: childEnv({ REFERLOOP_HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => { running = false; resolve({ code, signal }); }));
  const url = `http://127.0.0.1:${port}`;
  const p: ServeProcess = {
    url, port, child, exited,
    stdout: () => out,
    stderr: () => err,
    async kill() {
      if (running) child.kill('SIGKILL');
      await exited;
    },
  };
  // Readiness by asking, a bounded number of times (tsx compiles the sources on start).
  for (let attempt = 0; attempt < 600; attempt++) {
    if (!running) throw new Error(`referloop serve exited before listening:\n${out}\n${err}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return p;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  await p.kill();
  throw new Error(`referloop serve did not answer /healthz:\n${out}\n${err}`);
}

/** The demo brand's keys from the first-start banner (src/bootstrap.ts). */
export function parseBanner(stdout: string): { brandId: string; secretKey: string; publishableKey: string } | null {
  const field = (label: string) => new RegExp(`^\\s*${label}\\s+(\\S+)\\s*$`, 'm').exec(stdout)?.[1];
  const brandId = field('brand id');
  const secretKey = field('secret key');
  const publishableKey = field('publishable key');
  return brandId && secretKey && publishableKey ? { brandId, secretKey, publishableKey } : null;
}

/** The dashboard sign-in link a first start or `npm run demo` printed (src/bootstrap.ts dashboardLines), or null. */
export function parseDashboardLink(stdout: string): string | null {
  return /^\s*dashboard\s+(https?:\/\/\S+\/dashboard\/sign-in\/[A-Za-z0-9_-]{43})\s*$/m.exec(stdout)?.[1] ?? null;
}

/** Presses a sign-in link's button (POST, as its page's form does): the status, and the session cookie if any. */
export async function useSignInLink(link: string): Promise<{ status: number; cookie: string | null }> {
  const res = await fetch(link, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
  return { status: res.status, cookie: /rl_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null };
}
