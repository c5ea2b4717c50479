// The commit queue against another process's write lock: its batch starts as a write, waits for the lock by
// retrying from a timer (the event loop stays free), keeps the jobs' order, and gives up with a 503, never a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CommitQueue } from '../src/db/commitQueue.ts';
import { COLLECTOR_BUSY_TIMEOUT_MS, openDatabase, type Db } from '../src/db/open.ts';
import { ApiError } from '../src/errors.ts';
import { toApiError } from '../src/http/errors.ts';

/** The collector's connection and a second one on the same file, as the CLI would hold it. */
function twoConnections(t: { after(fn: () => unknown): void }): { db: Db; other: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-queue-'));
  const db = openDatabase(join(dir, 'referloop.db'), { busyTimeoutMs: COLLECTOR_BUSY_TIMEOUT_MS });
  db.exec('CREATE TABLE t (v TEXT NOT NULL) STRICT');
  const other = new Database(join(dir, 'referloop.db'));
  other.pragma('busy_timeout = 0');
  t.after(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, other };
}

/** Retries are handed to the test instead of a timer, so it decides when each happens. */
function manualSchedule() {
  const due: Array<{ fn: () => void; ms: number }> = [];
  return { due, schedule: (fn: () => void, ms: number) => { due.push({ fn, ms }); } };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('the batch transaction takes the write lock before its first read (BEGIN IMMEDIATE)', async (t) => {
  const { db, other } = twoConnections(t);
  const queue = new CommitQueue(db);
  const seen = await queue.run(() => {
    db.prepare('SELECT count(*) FROM t').pluck().get();
    // Only reads so far, yet another connection cannot start a write: the lock was taken at BEGIN.
    try {
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
      return 'not locked';
    } catch (err) {
      return (err as { code?: string }).code;
    }
  });
  assert.equal(seen, 'SQLITE_BUSY');
});

test('a locked database is retried from a timer; jobs queued meanwhile join in order; all commit once the lock is free', async (t) => {
  const { db, other } = twoConnections(t);
  const { due, schedule } = manualSchedule();
  const queue = new CommitQueue(db, { schedule });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  other.exec('BEGIN IMMEDIATE');

  const settled: string[] = [];
  const first = queue.run(() => insert.run('first')).then(() => settled.push('first'));
  await turn();
  assert.equal(due.length, 1, 'the batch found the lock taken and scheduled a retry');
  assert.equal(due[0]!.ms, 5);
  const second = queue.run(() => insert.run('second')).then(() => settled.push('second'));
  await turn();
  assert.equal(due.length, 1, 'a job queued during the wait does not start a batch of its own');

  due.shift()!.fn();
  await turn();
  assert.equal(due.length, 1, 'still locked: the next retry waits longer');
  assert.equal(due[0]!.ms, 10);
  assert.deepEqual(settled, []);

  other.exec('COMMIT');
  due.shift()!.fn();
  await Promise.all([first, second]);
  assert.deepEqual(settled, ['first', 'second']);
  assert.deepEqual(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all(), ['first', 'second']);
  await queue.drained();
});

test('after the retry budget a locked database is a 503 database_busy for the batch, and nothing is written', async (t) => {
  const { db, other } = twoConnections(t);
  const { due, schedule } = manualSchedule();
  const queue = new CommitQueue(db, { schedule, retryDelaysMs: [1, 1] });
  other.exec('BEGIN IMMEDIATE');
  const job = queue.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('lost'));
  await turn();
  due.shift()!.fn();
  due.shift()!.fn();
  await assert.rejects(job, (err: unknown) => err instanceof ApiError && err.status === 503 && err.code === 'database_busy');
  assert.equal(due.length, 0);
  other.exec('ROLLBACK');
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 0);

  // The queue works again, and the next batch starts with the whole budget.
  await queue.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('kept'));
  assert.deepEqual(db.prepare('SELECT v FROM t').pluck().all(), ['kept']);
});

test('SQLITE_BUSY met anywhere else is answered 503, not 500', () => {
  const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  const mapped = toApiError(busy);
  assert.ok(mapped);
  assert.equal(mapped.status, 503);
  assert.equal(mapped.code, 'database_busy');
});

test('once the database file is deleted under it, the queue answers 503 database_unavailable instead of committing into it', async (t) => {
  const { db } = twoConnections(t);
  const queue = new CommitQueue(db);
  await queue.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('before'));
  rmSync(db.name);
  await assert.rejects(queue.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('into the void')),
    (err: unknown) => err instanceof ApiError && err.status === 503 && err.code === 'database_unavailable' && /is gone/.test(err.message));
  assert.deepEqual(db.prepare('SELECT v FROM t').pluck().all(), ['before']);
});

test('a batch of non-durable jobs only commits at synchronous=NORMAL; a batch with a durable job waits at FULL, also after a lax batch met the lock', async (t) => {
  const { db, other } = twoConnections(t);
  const { due, schedule } = manualSchedule();
  const queue = new CommitQueue(db, { schedule });
  // (Read anew in each job: SQLite evaluates a PRAGMA statement when it is prepared.)
  const level = { get: () => db.pragma('synchronous', { simple: true }) };
  const lax = { durable: false };
  assert.equal(await queue.run(() => level.get(), lax), 1);
  assert.equal(await queue.run(() => level.get()), 2);

  // A lax batch finds the lock taken; a durable job queued during the wait joins it: the batch then waits at FULL.
  other.exec('BEGIN IMMEDIATE');
  const laxJob = queue.run(() => level.get(), lax);
  await turn();
  assert.equal(due.length, 1);
  const durableJob = queue.run(() => level.get());
  other.exec('COMMIT');
  due.shift()!.fn();
  assert.deepEqual(await Promise.all([laxJob, durableJob]), [2, 2]);

  // A lax batch whose job fails leaves nothing at NORMAL for the next durable one.
  await assert.rejects(queue.run(() => { throw new Error('boom'); }, lax), /boom/);
  assert.equal(await queue.run(() => level.get()), 2);
  assert.equal(db.pragma('synchronous', { simple: true }), 2, 'and the connection is at FULL between batches after a durable one');
  assert.equal(await queue.run(() => level.get(), lax), 1);
  assert.equal(db.pragma('synchronous', { simple: true }), 2, 'and after a lax one: a write outside the queue waits for the disk');
});
