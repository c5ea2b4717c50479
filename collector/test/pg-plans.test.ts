// On PostgreSQL every page of a brand-sized list (db/keyset.ts, the statements the list modules build, as they build
// them) reads an index whose entries are in id order below the cursor: no Sort of the brand's rows, and the
// equalities the walk serves lead the index it reads (as SQLite's INDEXED BY names it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPgStore } from '../src/db/pg/store.ts';
import { sqlFor, type Conn } from '../src/db/port.ts';
import { createRecordQueries } from '../src/db/records.ts';
import { createRewardQueries } from '../src/db/rewards.ts';
import { createAdvocateStatsQueries } from '../src/db/advocateStats.ts';
import { FROM_START } from '../src/db/keyset.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';
import type { PgPlanNode } from './support/fixtures.ts';

type PlanNode = PgPlanNode;

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The deepest Limit of the plan: the page's ids (the whole page for a list read from one table). */
function innermostLimit(root: PlanNode): PlanNode {
  const limits = nodes(root).filter((n) => n['Node Type'] === 'Limit');
  const inner = limits.find((l) => !nodes(l).slice(1).some((n) => n['Node Type'] === 'Limit'));
  assert.ok(inner, 'a Limit');
  return inner;
}

test('on PostgreSQL each list page reads its walk\'s index in id order below the cursor, sorting nothing', { skip: pgTestSkip() ?? false }, async (t) => {
  const database = await createTestDatabase();
  const store = await openPgStore(database.url, { poolSize: 2, listen: false });
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  // A brand of some size, spread over days and advocates as the bench's, and its statistics: the planner picks an
  // index by them (PostgreSQL has no INDEXED BY), so the plans are those of a brand with rows, not of empty tables.
  // Two brands, so that the brand's condition is selective.
  for (const [brand, first] of [['b', 1], ['c', 301]] as const) {
    const advocate = (i: string) => `${first} + ${i} % 300`;
    await store.db.exec(`
    INSERT INTO brands (id, name, plan, created_at) VALUES ('${brand}', 'B', 'growth', '2026-01-01T00:00:00.000Z');
    INSERT INTO advocates (id, brand_id, email, name, status, tier, created_at, updated_at)
      SELECT ${first} - 1 + i, '${brand}', 'a' || i || '@example.com', 'A ' || i, CASE WHEN i % 10 = 0 THEN 'blocked' ELSE 'active' END,
        CASE WHEN i % 3 = 0 THEN 'gold' END, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM generate_series(1, 300) i;
    INSERT INTO referral_codes (brand_id, advocate_id, code, status, created_at)
      SELECT '${brand}', id, 'CODE' || id, CASE WHEN id % 7 = 0 THEN 'inactive' ELSE 'active' END, created_at FROM advocates
      WHERE brand_id = '${brand}';
    INSERT INTO visits (brand_id, visitor_id, code, advocate_id, created_at)
      SELECT '${brand}', 'v' || (i % 5000), 'CODE' || (${advocate('i')}), ${advocate('i')},
        to_char(timestamp '2026-01-01' + (i % 200) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM generate_series(1, 20000) i;
    INSERT INTO conversions (brand_id, order_id, email, advocate_id, code, status, order_value_cents, paid_cents, created_at)
      SELECT '${brand}', 'O-' || i, 'c' || (i % 3000) || '@example.com', CASE WHEN i % 5 = 0 THEN NULL ELSE ${advocate('(i * 7)')} END,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'CODE' || (${advocate('(i * 7)')}) END, CASE WHEN i % 9 = 0 THEN 'refunded' ELSE 'completed' END,
        1000, 1000, to_char(timestamp '2026-01-01' + (i % 200) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM generate_series(1, 10000) i;
    INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, status, available_at,
        created_at, updated_at)
      SELECT brand_id, advocate_id, id, 1 + id % 2, 'cash', 100, 100, (ARRAY['pending', 'approved', 'paid', 'rejected'])[1 + id % 4],
        '2999-01-01T00:00:00.000Z', created_at, created_at
      FROM conversions WHERE brand_id = '${brand}' AND advocate_id IS NOT NULL;
  `);
  }
  await store.db.exec(`SELECT setval(pg_get_serial_sequence('advocates', 'id'), 600); ANALYZE`);
  // The statements the modules prepare, in PostgreSQL's text, as they are prepared (on a filter's first use).
  const seen: string[] = [];
  const db: Conn = { ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } };
  const records = createRecordQueries(db);
  const rewards = createRewardQueries(db);
  const stats = createAdvocateStatsQueries(db);
  const slice = { before: null, limit: 50, offset: 0 };
  // [what is read, the table, the index its walk names on SQLite, or the indexes whose equalities the filters give:
  // PostgreSQL picks among them by its statistics, each read in id order within the id window]
  const cases: Array<[() => Promise<unknown>, string, string | string[]]> = [
    [() => records.visits('b', {}, slice), 'visits', 'visits_brand'],
    [() => records.visits('b', { code: 'X', from: '2026-01-01' }, slice), 'visits', 'visits_brand'],
    [() => records.claims('b', { status: 'pending' }, slice), 'claims', 'claims_brand_status'],
    [() => records.claims('b', { advocateId: 3, status: 'pending' }, slice), 'claims', ['claims_brand_advocate', 'claims_brand_status']],
    [() => records.conversions('b', { status: 'completed' }, slice), 'conversions', 'conversions_brand_status'],
    [() => records.conversions('b', { code: 'X', to: '2026-05-01' }, slice), 'conversions', 'conversions_brand_code'],
    [() => records.conversions('b', { attributed: true }, slice), 'conversions', 'conversions_brand_attributed'],
    // advocate_id IS NULL: the brand's index, filtered, when the statistics say unattributed rows are common.
    [() => records.conversions('b', { attributed: false }, slice), 'conversions', ['conversions_brand_advocate', 'conversions_brand']],
    [() => rewards.page('b', {}, slice), 'rewards', 'rewards_brand'],
    [() => rewards.page('b', { status: 'paid' }, slice), 'rewards', 'rewards_brand_status'],
    [() => rewards.page('b', { advocateId: 3, status: 'paid' }, slice), 'rewards', 'rewards_advocate'],
    [() => rewards.page('b', { level: 2, from: '2026-01-01' }, slice), 'rewards', 'rewards_brand_level'],
    [() => stats.advocates('b', { status: null, tier: null, search: null }, slice), 'advocates', 'advocates_brand'],
    [() => stats.advocates('b', { status: 'active', tier: null, search: null }, slice), 'advocates', 'advocates_brand_status'],
    [() => stats.advocates('b', { status: 'active', tier: 'gold', search: null }, slice), 'advocates', 'advocates_brand_status_tier'],
    [() => stats.referrals('b', { advocateId: 3, status: null, search: null }, slice), 'referral_codes', 'referral_codes_advocate'],
    [() => stats.referrals('b', { advocateId: null, status: 'active', search: null }, slice), 'referral_codes', 'referral_codes_brand_status'],
  ];
  const values: Record<string, string | number> = {
    brandId: 'b', before: FROM_START, floor: 0, limit: 50, offset: 0, scan: 10_000, status: 'paid', advocateId: 3,
    code: 'X', from: '2026-01-01', to: '2026-05-01', level: 2, tier: 'gold',
  };
  for (const [read, table, index] of cases) {
    seen.length = 0;
    await read();
    // The page statements (newest first, windowed, oldest first) end with the page's LIMIT.
    const pages = seen.filter((sql) => /LIMIT @limit OFFSET @offset/.test(sql));
    assert.ok(pages.length >= 2, `${table} ${String(index)}: ${seen.length} statements`);
    await store.read.transaction(async () => {
      // Tiny tables: without these PostgreSQL reads them whole; with them, only an index that serves the order
      // spares a Sort.
      await store.read.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
      for (const sql of pages) {
        const [{ Plan: plan }] = await store.read.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true }).get(values) as [{ Plan: PlanNode }];
        const text = JSON.stringify(plan);
        const ids = nodes(innermostLimit(plan));
        assert.ok(!ids.some((n) => n['Node Type'] === 'Sort'), `a Sort under the page's LIMIT: ${sql}\n${text}`);
        const scan = ids.find((n) => n['Relation Name'] === table);
        assert.match(scan?.['Node Type'] ?? '', /^Index (Only )?Scan$/, `${sql}\n${text}`);
        // Or the table's id-ordered indexes of the brand and of every row, which the planner prefers where its
        // statistics say matches are dense among them (fewer rows to read than the walk's index would sort).
        const allowed = [index, `${table}_brand`, `${table}_pkey`].flat();
        assert.ok(allowed.includes(scan!['Index Name']!), `${scan!['Index Name']}, not ${index}: ${sql}\n${text}`);
      }
    }, { mode: 'read' });
  }
});
