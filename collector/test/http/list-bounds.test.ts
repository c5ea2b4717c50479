// Every read of a brand-sized list is bounded (db/keyset.ts): commissions by date read within a window and resume,
// their export too; totals and offset pages examine at most WALK_BUDGET rows (a 400 naming the field past it); the
// advocates' kept count answers their total and their pages near the end, read from that end.
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError } from '../support/fixtures.ts';
import { SCAN_BUDGET, WALK_BUDGET } from '../../src/db/keyset.ts';

async function list(c: TestCollector, path: string, query: Record<string, string | number> = {}) {
  const res = await c.call('GET', path, undefined, { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

/** `n` commissions of JOHN123 created on 2026-04-14, between one of 2026-01-05 (oldest) and one of 2026-01-06 (newest), pending (never due: no settling). */
async function seedRewards(c: TestCollector, n: number): Promise<number[]> {
  const brandId = c.brand.brand_id;
  const john = await advocateId(c, 'JOHN123');
  const conversion = c.deps.db.prepare(`INSERT INTO conversions (brand_id, order_id, email, advocate_id, code, attribution,
    order_value_cents, paid_cents, created_at) VALUES (?, ?, 'x@example.com', ?, 'JOHN123', 'code', 1000, 1000, ?)`);
  // Every commission records its campaign (the brand's default here).
  const campaignId = (await c.deps.q.brands.getBrand(brandId))!.defaultCampaignId;
  const reward = c.deps.db.prepare(`INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, campaign_id, kind, original_amount, amount,
    status, available_at, created_at, updated_at, uuid) VALUES (?, ?, ?, 1, ?, 'cash', 100, 100, 'pending', '2999-01-01T00:00:00.000Z', ?, ?, ?)`);
  const add = async (i: number, at: string) => {
    const conversionId = Number((await conversion.run(brandId, `bulk-${i}`, john, at)).lastInsertRowid);
    return Number((await reward.run(brandId, john, conversionId, campaignId, at, at, randomUUID())).lastInsertRowid);
  };
  const rare: number[] = [await add(-1, '2026-01-05T12:00:00.000Z')];
  // A transaction per 500 (PostgreSQL never prunes one transaction's versions of the counter rows its triggers rewrite).
  for (let from = 0; from < n; from += 500) {
    await c.deps.db.transaction(async () => {
      for (let i = from; i < Math.min(from + 500, n); i++) await add(i, '2026-04-14T12:00:00.000Z');
    });
  }
  rare.push(await add(-2, '2026-01-06T12:00:00.000Z'));
  return rare;
}

test('commissions by date: a page examines at most SCAN_BUDGET rows, says has_more and resumes; the walk and the export list each match once', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const rare = await seedRewards(c, Math.round(1.5 * SCAN_BUDGET));
  const pages: Array<[number, boolean]> = [];
  const ids: number[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await list(c, '/api/v1/commissions', { to: '2026-02-01', limit: 5, ...(cursor ? { cursor } : {}) });
    pages.push([page.commissions.length, page.has_more]);
    ids.push(...page.commissions.map((x: { id: number }) => x.id));
    assert.equal(page.has_more, page.next_cursor !== null);
    if (!page.has_more) break;
    cursor = page.next_cursor;
    assert.ok(pages.length < 10, 'the walk ends');
  }
  assert.deepEqual(ids, [...rare].reverse(), 'both old commissions, newest first, once');
  // 15,002 rewards, at most SCAN_BUDGET examined a page: the first page stops at its window.
  assert.deepEqual(pages, [[1, true], [1, false]]);
  const csv = (await c.call('GET', '/api/v1/commissions/export', undefined, { query: { to: '2026-02-01' } })).body as string;
  assert.deepEqual(csv.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0])), [...rare].reverse());
  // `from` as well, and a filter the walk serves (level, migration 010) with the date beside it.
  const recent = await list(c, '/api/v1/commissions', { from: '2026-01-06', to: '2026-01-07', level: 1, limit: 5 });
  assert.deepEqual([recent.commissions.map((x: { id: number }) => x.id), recent.has_more], [[rare[1]], true]);
});

test('total=true and offset pages examine at most WALK_BUDGET rows: past it a 400 naming the field, with nothing else changed', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  const john = await advocateId(c, 'JOHN123');
  const insert = c.deps.db.prepare(`INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at) VALUES (?, ?, ?, ?, '2026-04-14T12:00:00.000Z')`);
  // The busy visits a statement per 1,000 (one round trip each on PostgreSQL), in id order after the rare one; a
  // transaction each, as visits come: PostgreSQL's per-day trigger rewrites one daily_sources row per visit, and one
  // transaction's versions of a row are never pruned within it.
  const busy = c.deps.db.prepare(`INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at)
    WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < CAST(? AS INTEGER))
    SELECT CAST(? AS TEXT), 'busy-' || i, 'JOHN123', CAST(? AS INTEGER), '2026-04-14T12:00:00.000Z' FROM n ORDER BY i`);
  await insert.run(brandId, 'rare', 'TESTCODE', await advocateId(c, 'TESTCODE'));
  for (let from = 0; from < WALK_BUDGET + 10; from += 1_000) {
    const to = Math.min(from + 1_000, WALK_BUDGET + 10);
    assert.equal((await c.deps.db.transaction(() => busy.run(from, to, brandId, john))).changes, to - from);
  }
  const total = await c.call('GET', '/api/v1/visits', undefined, { query: { total: 'true' } });
  assertError(total, 400, 'invalid_request', 'total');
  assert.match(total.body.error, /cursor/);
  // A filter whose matches are fewer than the budget but whose walk is longer cannot be counted either.
  assertError(await c.call('GET', '/api/v1/visits', undefined, { query: { total: 'true', code: 'TESTCODE' } }), 400, 'invalid_request', 'total');
  // Counted within the budget: exact.
  assert.equal((await list(c, '/api/v1/visits', { total: 'true', visitor_id: 'rare' })).total, 1);

  const deep = await c.call('GET', '/api/v1/visits', undefined, { query: { offset: WALK_BUDGET + 1 } });
  assertError(deep, 400, 'invalid_request', 'offset');
  assert.match(deep.body.error, /cursor/);
  assertError(await c.call('GET', '/api/v1/visits', undefined, { query: { page: 5_001, limit: 20 } }), 400, 'invalid_request', 'offset');
  // The rare visit is the oldest: by offset through a residual filter, beyond the walk's budget.
  assertError(await c.call('GET', '/api/v1/visits', undefined, { query: { code: 'TESTCODE', offset: 1, limit: 1 } }), 400, 'invalid_request', 'offset');
  const within = await list(c, '/api/v1/visits', { offset: WALK_BUDGET - 21, limit: 20 });
  assert.equal(within.visits.length, 20);
  // By cursor every row stays reachable.
  const byCursor = await list(c, '/api/v1/visits', { code: 'TESTCODE', limit: 1 });
  assert.equal(byCursor.has_more, true);
});

test("the advocates' total is the kept count (migration 010); a page near the end by offset is the same as by cursor", async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (let i = 0; i < 27; i++) {
    assert.equal((await c.call('POST', '/api/v1/advocates', { email: `a${i}@example.com`, name: `A ${i}` })).status, 201);
  }
  const other = await c.addBrand();
  const kept = (brand: string) => c.deps.db.prepare('SELECT advocates FROM brand_advocate_counts WHERE brand_id = ?', { pluck: true }).get(brand);
  const counted = (brand: string) => c.deps.db.prepare('SELECT count(*) FROM advocates WHERE brand_id = ?', { pluck: true }).get(brand);
  assert.equal(await kept(c.brand.brand_id), await counted(c.brand.brand_id));
  assert.equal(await kept(other.brand_id), await counted(other.brand_id));
  const all = (await list(c, '/api/v1/advocates', { limit: 100, total: 'true' }));
  assert.equal(all.total, await counted(c.brand.brand_id));
  const ids = all.advocates.map((a: { id: number }) => a.id);
  for (const offset of [ids.length - 3, ids.length - 7, ids.length - 1, ids.length, ids.length + 5, Math.floor(ids.length / 2) + 1]) {
    const page = await list(c, '/api/v1/advocates', { limit: 4, offset });
    assert.deepEqual(page.advocates.map((a: { id: number }) => a.id), ids.slice(offset, offset + 4), `offset ${offset}`);
    assert.equal(page.has_more, offset + 4 < ids.length, `offset ${offset}`);
  }
});
