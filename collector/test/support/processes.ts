// The referloop command as a child process: one-shot CLI runs, and `serve` on a chosen port that can be killed.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The one JSON object `referloop ARGS... --json` printed (exit 0, nothing else on stdout). */
export function cliJson(args: string[], env: Record<string, string> = {}): any {
  const r = runCli([...args, '--json'], env);
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
