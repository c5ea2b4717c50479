// Keys are looked up through a cache: a rotation by another process (the referloop CLI) must still take effect at once.
// On PostgreSQL "another process" is another pool on the same database, and it is heard by LISTEN/NOTIFY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/db/open.ts';
import { openPgStore } from '../../src/db/pg/store.ts';
import { createQueries } from '../../src/db/queries.ts';
import { sqliteStore, type Store } from '../../src/db/store.ts';
import { rotateSecretKey } from '../../src/services/brands.ts';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { PATHS, SHOPIFY_VISIT, assertError } from '../support/fixtures.ts';

/**
 * Resolves once the collector has heard another process's key change. SQLite: at once (PRAGMA data_version moves at
 * the other connection's COMMIT). PostgreSQL: the NOTIFY sent at that COMMIT reaches the collector's listening client
 * a moment later; keyVersion counts those notifications in its millions (db/pg/conn.ts).
 */
const noticesOf = async (c: TestCollector) => Math.floor(await c.deps.db.keyVersion() / 1_000_000);
async function heard(c: TestCollector, notices: number): Promise<void> {
  if (c.deps.db.dialect !== 'pg') return;
  for (let i = 0; i < 200 && await noticesOf(c) === notices; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.notEqual(await noticesOf(c), notices, 'the notification was heard');
}
/** A second connection to the collector's database, as the CLI opens one (its own pool on PostgreSQL, no listener). */
const anotherConnection = (c: TestCollector): Promise<Store> => c.deps.db.dialect === 'pg'
  ? openPgStore(c.deps.config.databaseUrl!, { poolSize: 2, listen: false })
  : Promise.resolve(sqliteStore(openDatabase(c.deps.config.dbPath)));

test('a key rotated through another connection is refused on the next request; the new key works', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT)).status, 200, 'the old key is now cached');

  const notices = await noticesOf(c);
  const other = await anotherConnection(c);
  const rotated = await rotateSecretKey(other.db, createQueries(other.db), Buffer.alloc(32, 7), c.brand.brand_id);
  await other.close();
  await heard(c, notices);

  assertError(await c.post(PATHS.visit, SHOPIFY_VISIT), 401, 'invalid_api_key');
  const fresh = { ...c.brand, secret_key: rotated.secret_key };
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT, { brand: fresh })).status, 200);
});

test('a plan changed through another connection applies on the next request', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT)).status, 200);
  const notices = await noticesOf(c);
  const other = await anotherConnection(c);
  if (other.engine === 'pg') {
    // Through Referloop's own write (the CLI's), which announces it at COMMIT: a change made on PostgreSQL with bare
    // SQL is seen within a second (keyVersion's clock part), not on the next request.
    const q = createQueries(other.db);
    await other.db.transaction(async () => q.brands.saveSettings({ ...(await q.brands.getBrand(c.brand.brand_id))!, plan: 'starter' }));
  } else {
    await other.db.prepare(`UPDATE brands SET plan = 'starter' WHERE id = ?`).run(c.brand.brand_id);
  }
  await other.close();
  await heard(c, notices);
  assertError(await c.post(PATHS.visit, SHOPIFY_VISIT), 403, 'plan_required');
});
