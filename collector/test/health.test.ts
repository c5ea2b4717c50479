// GET /healthz tells a running collector whose database file was deleted or replaced from a healthy one, and logs why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { pino } from 'pino';
import { onlyOnSqlite, startTestCollector } from './support/collector.ts';

/** A collector on a fresh file whose log lines the test reads. */
async function collectorWithLog(t: { after(fn: () => unknown): void }) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line)); } });
  const c = await startTestCollector({ logger });
  t.after(() => c.close());
  const health = async () => {
    const res = await c.request('GET', '/healthz');
    return { status: res.status, body: res.body as { status: string; reason?: string } };
  };
  const unhealthyLines = () => lines.filter((l) => l.level === 50 && typeof l.msg === 'string' && l.msg.startsWith('healthz: unhealthy'));
  return { dir: c.dir, dbPath: c.deps.config.dbPath, health, unhealthyLines };
}

test('healthz: 200 while the database answers, on either engine', async (t) => {
  const c = await collectorWithLog(t);
  assert.deepEqual(await c.health(), { status: 200, body: { status: 'ok' } });
  assert.deepEqual(c.unhealthyLines(), []);
});

// The two below are about SQLite's file under a running collector: on PostgreSQL the files are the server's.
test('healthz: 200 while the file is the one opened; 503 with the reason once the data folder is deleted', { skip: onlyOnSqlite }, async (t) => {
  const c = await collectorWithLog(t);
  assert.deepEqual(await c.health(), { status: 200, body: { status: 'ok' } });
  rmSync(c.dir, { recursive: true, force: true });
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

test('healthz: 503 when another file has been put in place of the database', { skip: onlyOnSqlite }, async (t) => {
  const c = await collectorWithLog(t);
  copyFileSync(c.dbPath, `${c.dbPath}.copy`);
  renameSync(`${c.dbPath}.copy`, c.dbPath);
  const replaced = await c.health();
  assert.equal(replaced.status, 503);
  assert.match(replaced.body.reason ?? '', /no longer names the file this process opened \(it was replaced\)/);
  assert.equal(c.unhealthyLines().length, 1);
});
