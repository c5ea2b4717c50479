// Runs the real `referloop serve` in a child process on a free port, as `npm start` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/referloop.mjs', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ChildCollector {
  url: string;
  process: ChildProcess;
  /** everything printed on stdout so far */
  output(): string;
  /** the keys printed on first start, when it was a first start */
  printed: { brandId: string; secretKey: string; publishableKey: string } | null;
  exited: Promise<number | null>;
}

export async function startChildCollector(dataDir: string, env: Record<string, string> = {}): Promise<ChildCollector> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      REFERLOOP_PORT: String(port),
      REFERLOOP_HOST: '127.0.0.1',
      REFERLOOP_DATA_DIR: dataDir,
      REFERLOOP_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start in 30 s:\n${out}\n${err}`)), 30_000);
    const check = () => {
      if (out.includes('referloop collector listening')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`collector exited with ${code}:\n${out}\n${err}`)); });
  });
  const field = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(out)?.[1];
  const brandId = field('brand id');
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => out,
    printed: brandId ? { brandId, secretKey: field('secret key')!, publishableKey: field('publishable key')! } : null,
    exited,
  };
}
