// The PostgreSQL pool outlives a connection the server ends: an idle client terminated (a server restart, an
// administrator, a dropped database) is dropped by the pool and the next query takes a new one; the process goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { pgPool } from '../src/db/pg/conn.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';

test('an idle pooled connection ended by the server is no uncaught error; the next query answers', async (t) => {
  const skip = pgTestSkip();
  if (skip) return t.skip(skip);
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
