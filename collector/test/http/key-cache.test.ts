// Keys are looked up through a cache: a rotation by another process (the referloop CLI) must still take effect at once.
import { asConn } from '../../src/db/sqlite/conn.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/db/open.ts';
import { createQueries } from '../../src/db/queries.ts';
import { rotateSecretKey } from '../../src/services/brands.ts';
import { startTestCollector } from '../support/collector.ts';
import { PATHS, SHOPIFY_VISIT, assertError } from '../support/fixtures.ts';

test('a key rotated through another connection is refused on the next request; the new key works', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT)).status, 200, 'the old key is now cached');

  const other = openDatabase(c.deps.config.dbPath);
  const rotated = await rotateSecretKey(asConn(other), createQueries(other), Buffer.alloc(32, 7), c.brand.brand_id);
  other.close();

  assertError(await c.post(PATHS.visit, SHOPIFY_VISIT), 401, 'invalid_api_key');
  const fresh = { ...c.brand, secret_key: rotated.secret_key };
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT, { brand: fresh })).status, 200);
});

test('a plan changed through another connection applies on the next request', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.visit, SHOPIFY_VISIT)).status, 200);
  const other = openDatabase(c.deps.config.dbPath);
  other.prepare(`UPDATE brands SET plan = 'starter' WHERE id = ?`).run(c.brand.brand_id);
  other.close();
  assertError(await c.post(PATHS.visit, SHOPIFY_VISIT), 403, 'plan_required');
});
