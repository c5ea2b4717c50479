// The bench's child processes (collectors, bare Express) and temp folders, all removed on exit, error or Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE_EXPRESS = join(ROOT, 'bench/bareExpress.ts');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const exitHooks: Array<() => void> = [];

/** A synchronous step of cleanUp (e.g. stopping the bench's PostgreSQL server), run after the children are killed. */
export function onCleanUp(hook: () => void): void {
  exitHooks.push(hook);
}

/** Synchronous, so it also runs from process.on('exit'). Kills only the children this bench started. */
export function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const hook of exitHooks.splice(0)) hook();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

// Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ).
const TICK_US = 10_000;

/** User and system CPU a process has used so far (every thread), in microseconds, from /proc. */
export function cpuUs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
}

/** Bytes a process has asked to write so far and its write calls (every thread), from /proc/<pid>/io. */
export function ioWrites(pid: number): { bytes: number; calls: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? NaN);
  return { bytes: field('wchar'), calls: field('syscw') };
}

/**
 * The CPU of a server and of its workers: its own, its waited-for children's (cutime, cstime) and its live children's,
 * in microseconds. PostgreSQL's postmaster forks a backend per connection; one that exited is in cutime once reaped.
 */
export function treeCpuUs(pid: number): number {
  const fieldsOf = (p: number | string) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  const own = fieldsOf(pid);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = fieldsOf(entry);
      if (Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks * TICK_US;
}

export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `referloop-bench-${label}-`));
  tempDirs.add(dir);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  /** what the process wrote to stdout and stderr (a file, not a pipe: reading it costs the bench nothing) */
  logFile: string;
  /** SIGTERM (graceful shutdown), SIGKILL after 10 s; `{ kill: true }`: SIGKILL at once (a process stuck in a call) */
  stop(opts?: { kill?: boolean }): Promise<void>;
}

/** Starts a process with stdout+stderr going to `logFile` and waits until the file matches `ready`. */
async function startLogged(
  args: string[], env: NodeJS.ProcessEnv, logFile: string, ready: RegExp, port: number, cwd = ROOT,
): Promise<RunningServer> {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!ready.test(readFileSync(logFile, 'utf8'))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not start; its output:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    logFile,
    async stop(opts = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(opts.kill ? 'SIGKILL' : 'SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
}

/** Environment without any REFERLOOP_* the caller's shell may carry, so the bench measures the defaults. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REFERLOOP_')) env[k] = v;
  return { ...env, ...extra };
}

export interface Collector extends RunningServer {
  dataDir: string;
  dbPath: string;
}

/**
 * `node collector/bin/referloop.mjs serve`, exactly as production starts it, with rate limits off by
 * configuration and the default log level (info): one JSON line per request into <dataDir>/collector-N.log.
 * `root`: another checkout's collector (VISIT_CPU_BASELINE, CONVERSIONS_BASELINE: before and after in one window);
 * `rateLimits`: the default limits instead (bench/visitCpu.ts's VISIT_CPU_LIMITS=on);
 * `databaseUrl`: on that PostgreSQL database (REFERLOOP_DATABASE_URL) instead of the SQLite file in `dataDir`.
 */
export async function startCollector(
  dataDir: string, masterKey: string, startNo: number,
  opts: { root?: string; rateLimits?: boolean; databaseUrl?: string } = {},
): Promise<Collector> {
  const { root = ROOT, rateLimits = false, databaseUrl } = opts;
  const port = await freePort();
  const env = cleanEnv({
    REFERLOOP_PORT: String(port),
    REFERLOOP_DATA_DIR: dataDir,
    REFERLOOP_MASTER_KEY: masterKey,
    ...(rateLimits ? {} : { REFERLOOP_RATE_LIMITS: 'off' }),
    ...(databaseUrl ? { REFERLOOP_DATABASE_URL: databaseUrl } : {}),
  });
  const logFile = join(dataDir, `collector-${startNo}.log`);
  const server = await startLogged([join(root, 'collector/bin/referloop.mjs'), 'serve'], env, logFile, /referloop collector listening/, port, root);
  return { ...server, dataDir, dbPath: join(dataDir, 'referloop.db') };
}

/** The demo brand's id and secret key, from the banner of a collector's first start. */
export function demoKeysFromBanner(logFile: string): { brandId: string; secretKey: string } {
  const out = readFileSync(logFile, 'utf8');
  const brandId = /brand id\s+(\S+)/.exec(out)?.[1];
  const secretKey = /secret key\s+(rl_sk_\S+)/.exec(out)?.[1];
  if (!brandId || !secretKey) throw new Error(`no demo brand banner in ${logFile}: was the database not empty?`);
  return { brandId, secretKey };
}

/** The baseline: a bare Express 5 JSON endpoint in its own process. */
export async function startBareExpress(dir: string): Promise<RunningServer> {
  const port = await freePort();
  const env = cleanEnv({ PORT: String(port) });
  return startLogged(['--import', 'tsx', BARE_EXPRESS], env, join(dir, 'bare-express.log'), /listening/, port);
}
