// GET /healthz tells a running collector whose database file was deleted or replaced from a healthy one, and logs why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';

/** A collector on a fresh file whose log lines the test reads. */
async function collectorWithLog(t: { after(fn: () => unknown): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-health-'));
  const dbPath = join(dir, 'data', 'referloop.db');
  const db = openDatabase(dbPath);
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line)); } });
  const config = { ...loadConfig({}), dataDir: join(dir, 'data'), dbPath, rateLimits: null };
  const { app, deps } = createApp({ db, config, masterKey: Buffer.alloc(32, 3), logger });
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.queue.drained();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const health = async () => {
    const res = await fetch(`${url}/healthz`);
    return { status: res.status, body: await res.json() as { status: string; reason?: string } };
  };
  const unhealthyLines = () => lines.filter((l) => l.level === 50 && typeof l.msg === 'string' && l.msg.startsWith('healthz: unhealthy'));
  return { dir, dbPath, health, unhealthyLines };
}

test('healthz: 200 while the file is the one opened; 503 with the reason once the data folder is deleted', async (t) => {
  const c = await collectorWithLog(t);
  assert.deepEqual(await c.health(), { status: 200, body: { status: 'ok' } });
  rmSync(join(c.dir, 'data'), { recursive: true, force: true });
  const gone = await c.health();
  assert.equal(gone.status, 503);
  assert.equal(gone.body.status, 'unavailable');
  assert.match(gone.body.reason ?? '', /the database file is gone \(ENOENT\)/);
  assert.doesNotMatch(gone.body.reason ?? '', /referloop\.db|\//, 'the answer names no server path');
  // Polled again: still 503, and the log says why once, not once per poll.
  assert.equal((await c.health()).status, 503);
  const logged = c.unhealthyLines();
  assert.equal(logged.length, 1);
  assert.match(String(logged[0]!.reason), /is gone/);
  assert.equal(logged[0]!.db, c.dbPath, 'the log names the file');
});

test('healthz: 503 when another file has been put in place of the database', async (t) => {
  const c = await collectorWithLog(t);
  copyFileSync(c.dbPath, `${c.dbPath}.copy`);
  renameSync(`${c.dbPath}.copy`, c.dbPath);
  const replaced = await c.health();
  assert.equal(replaced.status, 503);
  assert.match(replaced.body.reason ?? '', /no longer names the file this process opened \(it was replaced\)/);
  assert.equal(c.unhealthyLines().length, 1);
});
