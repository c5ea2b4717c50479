// The visit retention sweep (jobs/retention.ts) on the injected clock: exactly the visits older than the brand's
// visit_retention_days go, in batches of at most RETENTION_BATCH, each its own commit-queue job, while conversions keep
// being answered; the per-day clicks and the codes' click counters stay; other brands keep theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestBrand, type TestCollector } from './support/collector.ts';
import { DAY_MS, PATHS, assertError, pgPlanNodes, row, rows, testClock } from './support/fixtures.ts';
import { zVisitRequest } from '../src/schemas/track.ts';
import { recordVisit } from '../src/services/visits.ts';
import { RETENTION_BATCH } from '../src/jobs/retention.ts';

/** `n` visits at the clock's now, through the visit use case, in one transaction; visitor ids `<prefix>-<i>`. */
async function visits(c: TestCollector, brand: TestBrand, n: number, now: Date, prefix: string): Promise<void> {
  const b = (await c.deps.q.brands.getBrand(brand.brand_id))!;
  await c.deps.db.transaction(async () => {
    for (let i = 0; i < n; i++) {
      await recordVisit({ q: c.deps.q, brand: b, now }, zVisitRequest.parse({ referral_code: i % 2 ? 'V2AVMRDJ' : 'JOHN123', visitor_id: `${prefix}-${i}`, utm_source: 'mail' }));
    }
  });
}

const visitCount = async (c: TestCollector, brand: TestBrand) => (await row(c, 'SELECT count(*) AS n FROM visits WHERE brand_id = ?', brand.brand_id)).n;
const kept = async (c: TestCollector) => ({
  sources: await rows(c, 'SELECT * FROM daily_sources ORDER BY brand_id, day, share_channel, utm_source'),
  clicks: await rows(c, 'SELECT id, click_count FROM referral_codes ORDER BY id'),
});

/** Records each batch's deletions (the batch query of the sweep), returning the list it fills. */
function spyBatches(c: TestCollector): number[] {
  const batches: number[] = [];
  const real = c.deps.q.retention.deleteExpiredUpTo;
  c.deps.q.retention.deleteExpiredUpTo = async (...args) => {
    const n = await real(...args);
    batches.push(n);
    return n;
  };
  return batches;
}

test('settings: visit_retention_days (null keeps, 1-3650) and respect_gpc, refused with the field named and nothing written', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const bad of [0, -1, 3651, 1.5, 'forever', true]) {
    assertError(await c.call('PATCH', '/api/v1/settings', { visit_retention_days: bad }), 400, 'invalid_request', 'visit_retention_days');
  }
  assertError(await c.call('PATCH', '/api/v1/settings', { respect_gpc: 'yes' }), 400, 'invalid_request', 'respect_gpc');
  assert.equal((await row(c, 'SELECT visit_retention_days AS d FROM brands WHERE id = ?', c.brand.brand_id)).d, null);
  const set = await c.call('PATCH', '/api/v1/settings', { visit_retention_days: 30 });
  assert.equal(set.body.data.settings.visit_retention_days, 30);
  const other = await c.call('PATCH', '/api/v1/settings', { cooling_period_days: 10 });
  assert.equal(other.body.data.settings.visit_retention_days, 30, 'a patch that does not name it keeps it');
  const cleared = await c.call('PATCH', '/api/v1/settings', { visit_retention_days: null });
  assert.equal(cleared.body.data.settings.visit_retention_days, null);
});

test('the sweep deletes exactly the visits older than the window, in batches, keeping the clicks; other brands and the window untouched', async (t) => {
  const start = Date.parse('2026-01-01T12:00:00.000Z');
  const clock = testClock(new Date(start).toISOString());
  const at = (days: number, ms = 0) => new Date(start + days * DAY_MS + ms);
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const keeps = await c.addBrand();
  // In time (so id) order: old visits on day 0, two on the 30-day edge, recent ones on day 40; the sweep runs on day 60.
  const oldCount = 2 * RETENTION_BATCH + 150;
  await visits(c, c.brand, oldCount, at(0), 'old');
  await visits(c, keeps, 40, at(0), 'theirs');
  await visits(c, c.brand, 1, at(30, -1), 'edge-older');
  await visits(c, c.brand, 1, at(30), 'edge-exact');
  await visits(c, c.brand, 70, at(40), 'recent');
  clock.advance(60 * DAY_MS);
  // A window long enough for the old visits to attribute, until retention deletes them.
  assert.equal((await c.call('PATCH', '/api/v1/settings', { visit_retention_days: 35, attribution_window_days: 90 })).status, 200);
  const early = await c.post(PATHS.conversion, { customer_email: 'early@example.com', order_id: 'EARLY', order_value: 10, visitor_id: 'old-1' });
  assert.equal(early.body.data.attribution, 'visitor');
  const before = await kept(c);
  const batches = spyBatches(c);

  // Conversions sent while the sweep runs are answered (each batch is its own job; theirs run between them).
  const sweeping = c.deps.retention.sweepOnce();
  const orders = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    c.post(PATHS.conversion, { customer_email: `buyer${i}@example.com`, order_id: `R-${i}`, order_value: 10, visitor_id: `recent-${i}` })));
  for (const o of orders) {
    assert.equal(o.status, 201, JSON.stringify(o.body));
    assert.equal(o.body.data.attribution, 'visitor');
  }
  assert.equal(await sweeping, oldCount);
  assert.deepEqual(batches, [RETENTION_BATCH, RETENTION_BATCH, 150], 'batches of at most RETENTION_BATCH; the last stops at the first visit inside the window');
  assert.equal(await visitCount(c, c.brand), 2 + 70);
  assert.equal((await row(c, "SELECT count(*) AS n FROM visits WHERE visitor_id LIKE 'old-%'")).n, 0);
  assert.equal(await visitCount(c, keeps), 40, 'a brand without the setting keeps every visit');
  assert.deepEqual(await kept(c), before, 'per-day clicks and click counters are kept');

  // Nothing past the window: no job at all.
  assert.equal(await c.deps.retention.sweepOnce(), 0);
  assert.equal(batches.length, 3);

  // The edge, to the millisecond: with 30 days, the visit made exactly 30 days ago stays, the one a millisecond older goes.
  assert.equal((await c.call('PATCH', '/api/v1/settings', { visit_retention_days: 30 })).status, 200);
  assert.equal(await c.deps.retention.sweepOnce(), 1);
  assert.deepEqual((await rows(c, "SELECT visitor_id FROM visits WHERE visitor_id LIKE 'edge-%'")).map((r) => r.visitor_id), ['edge-exact-0']);
  assert.equal((await row(c, "SELECT count(*) AS n FROM visits WHERE visitor_id LIKE 'recent-%'")).n, 70);

  // Attribution by visitor for a deleted visit no longer matches (inside the attribution window): stored unattributed.
  const late = await c.post(PATHS.conversion, { customer_email: 'late@example.com', order_id: 'LATE', order_value: 10, visitor_id: 'old-3' });
  assert.equal(late.status, 201);
  assert.equal(late.body.data.attribution, null);
  assert.deepEqual(await kept(c), before);
});

test('the sweep\'s statements walk the brand\'s visits in id order (visits_brand), neither scanning nor sorting the table', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  if (c.deps.db.dialect === 'pg') {
    // The same on PostgreSQL's plan, sequential scans priced out (pgPlanNodes): visits_brand read in order, no Sort.
    const shape = async (sql: string, ...params: unknown[]) =>
      (await pgPlanNodes(c, sql, ...params)).map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`).join(' | ');
    const oldest = await shape('SELECT id, created_at AS createdAt FROM visits WHERE brand_id = ? ORDER BY id LIMIT ?', 'b', 500);
    assert.match(oldest, /^Limit \| Index Scan visits_brand$/);
    const del = await shape('DELETE FROM visits WHERE brand_id = ? AND id <= ? AND created_at < ?', 'b', 1, 'x');
    assert.match(del, /^ModifyTable \| Index Scan (visits_brand|visits_pkey)$/);
    return;
  }
  const plan = async (sql: string, ...params: unknown[]) =>
    (await c.deps.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
  const oldest = await plan('SELECT id, created_at AS createdAt FROM visits WHERE brand_id = ? ORDER BY id LIMIT ?', 'b', 500);
  assert.match(oldest, /USING (COVERING )?INDEX visits_brand/);
  assert.doesNotMatch(oldest, /TEMP B-TREE/);
  const del = await plan('DELETE FROM visits WHERE brand_id = ? AND id <= ? AND created_at < ?', 'b', 1, 'x');
  assert.match(del, /USING (INTEGER PRIMARY KEY|INDEX visits_brand)|rowid<\?/);
  assert.doesNotMatch(del, /^SCAN visits$/);
});
