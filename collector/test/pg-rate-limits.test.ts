// The rate limits on PostgreSQL are one budget for every collector process of the database: two collectors on one
// database (each its own pool and limiter, as two processes are) share a secret key's budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openPgStore } from '../src/db/pg/store.ts';
import { createQueries } from '../src/db/queries.ts';
import { createBrand } from '../src/services/brands.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';

const skip = pgTestSkip() ?? false;

test('two collectors on one database share a secret key\'s budget: 10 calls a minute in all, not 10 each', { skip }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const config = { ...loadConfig({ REFERLOOP_RATE_LIMIT_SECRET_KEY: '10/1m' }), databaseUrl: database.url, logLevel: 'silent' };
  const masterKey = Buffer.alloc(32, 3);
  const collectors: Array<{ url: string; close(): Promise<void> }> = [];
  for (let i = 0; i < 2; i++) {
    const store = await openPgStore(database.url, { poolSize: 2 });
    const { app } = createApp({ store, config, masterKey, logger: pino({ level: 'silent' }) });
    const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    collectors.push({
      url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      },
    });
  }
  t.after(async () => { for (const c of collectors) await c.close(); });
  const setup = await openPgStore(database.url, { poolSize: 1, listen: false });
  const brand = await createBrand(setup.db, createQueries(setup.db), masterKey, { name: 'Limited', plan: 'premier', origins: [] });
  await setup.close();

  const statusesAt = async (url: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${url}/api/v1/settings`, { headers: { 'X-API-Key': brand.secret_key, 'X-Brand-ID': brand.brand_id } });
      await res.arrayBuffer();
      out.push(res.status);
    }
    return out;
  };
  assert.deepEqual(await statusesAt(collectors[0]!.url, 6), Array(6).fill(200));
  // The second collector counts on from the first's six: four more, then the budget is spent for both.
  assert.deepEqual(await statusesAt(collectors[1]!.url, 6), [200, 200, 200, 200, 429, 429]);
  assert.deepEqual(await statusesAt(collectors[0]!.url, 1), [429]);
});
