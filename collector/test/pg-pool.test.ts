// A transaction whose statement failed is never answered as committed, and the PostgreSQL pool outlives a connection the server ends: an idle client terminated (a server restart, an
// administrator, a dropped database) is dropped by the pool and the next query takes a new one; the process goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { pgPool } from '../src/db/pg/conn.ts';
import { openPgStore } from '../src/db/pg/store.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';

/** Without a PostgreSQL server (a developer's machine without one) this says why it did not run; CI fails instead. */
const skip = pgTestSkip() ?? false;

test('an idle pooled connection ended by the server is no uncaught error; the next query answers', { skip }, async (t) => {
  const database = await createTestDatabase({ migrated: false });
  const pool = pgPool(database.url, 2);
  const admin = new pg.Client({ connectionString: database.url });
  t.after(async () => {
    await pool.end();
    await admin.end();
    await database.drop();
  });
  await admin.connect();
  const before = (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  // The client is idle in the pool now; the server ends its session.
  const removed = new Promise((resolve) => pool.once('remove', resolve));
  await admin.query('SELECT pg_terminate_backend($1)', [before]);
  await removed;
  const after = (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  assert.notEqual(after, before, 'a new connection');
});

test('a statement that fails inside a transaction, its error caught there, fails the transaction: nothing is kept, nothing answered as committed', { skip }, async (t) => {
  const database = await createTestDatabase();
  const store = await openPgStore(database.url, { poolSize: 2, listen: false });
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  const insert = store.db.prepare(`INSERT INTO brands (id, name, plan, created_at) VALUES (?, 'Kept?', 'premier', '2026-12-01T00:00:00.000Z')`);
  // PostgreSQL aborts the transaction at the failed statement and answers COMMIT with ROLLBACK, without an error.
  await assert.rejects(store.db.transaction(async () => {
    await insert.run('b-aborted');
    try {
      await store.db.prepare('SELECT 1 / 0').get();
    } catch { /* a use case that went on after a failed statement */ }
    return 'answered';
  }), /aborted by a failed statement/);
  assert.equal(await store.db.prepare('SELECT count(*) FROM brands WHERE id = ?', { pluck: true }).get('b-aborted'), 0);
});
