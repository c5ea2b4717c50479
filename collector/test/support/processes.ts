// The referloop command as a child process: one-shot CLI runs, and `serve` on a chosen port that can be killed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

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
