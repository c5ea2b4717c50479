// On PostgreSQL every page of a brand-sized list (db/keyset.ts, the statements the list modules build, as they build
// them) reads an index whose entries are in id order below the cursor: no Sort of the brand's rows, and the
// equalities the walk serves lead the index it reads (as SQLite's INDEXED BY names it); and the overview's statements
// read the per-day tables by brand, campaign and day (as query-plans.test.ts checks SQLite's).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { openPgStore } from '../src/db/pg/store.ts';
import { sqlFor, type Conn } from '../src/db/port.ts';
import { createRecordQueries } from '../src/db/records.ts';
import { createRewardQueries } from '../src/db/rewards.ts';
import { createAdvocateStatsQueries } from '../src/db/advocateStats.ts';
import { createDailyTotalsQueries } from '../src/db/dailyTotals.ts';
import { createAdvocateDayQueries } from '../src/db/advocateDays.ts';
import { createTestimonialQueries } from '../src/db/testimonials.ts';
import { createFeedbackQueries } from '../src/db/feedback.ts';
import { createQuestQueries } from '../src/db/quests.ts';
import { createAdvocatePayoutQueries } from '../src/db/advocatePayouts.ts';
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

/**
 * A fresh database holding two brands of some size, spread over days, advocates and campaigns as the bench's, and its
 * statistics: the planner picks an index by them (PostgreSQL has no INDEXED BY), so the plans are those of a brand
 * with rows, not of empty tables. Two brands, so that the brand's condition is selective; three campaigns each, every
 * record in its advocate's (migration 016).
 */
async function seededStore(t: TestContext) {
  const database = await createTestDatabase();
  const store = await openPgStore(database.url, { poolSize: 2, listen: false });
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  for (const [brand, first, campaigns] of [['b', 1, 1], ['c', 301, 4]] as const) {
    const advocate = (i: string) => `${first} + ${i} % 300`;
    const campaignOf = (advocateId: string) => `${campaigns} + (${advocateId}) % 3`;
    await store.db.exec(`
    INSERT INTO brands (id, name, plan, created_at) VALUES ('${brand}', 'B', 'growth', '2026-01-01T00:00:00.000Z');
    INSERT INTO campaigns (id, brand_id, name, is_default, created_at, updated_at)
      SELECT ${campaigns} + k, '${brand}', 'Campaign ' || k, CASE WHEN k = 0 THEN 1 ELSE 0 END, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM generate_series(0, 2) k;
    INSERT INTO advocates (id, brand_id, email, name, status, tier, campaign_id, created_at, updated_at)
      SELECT ${first} - 1 + i, '${brand}', 'a' || i || '@example.com', 'A ' || i, CASE WHEN i % 10 = 0 THEN 'blocked' ELSE 'active' END,
        CASE WHEN i % 3 = 0 THEN 'gold' END, ${campaignOf(`${first} - 1 + i`)}, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM generate_series(1, 300) i;
    INSERT INTO referral_codes (brand_id, advocate_id, code, status, created_at)
      SELECT '${brand}', id, 'CODE' || id, CASE WHEN id % 7 = 0 THEN 'inactive' ELSE 'active' END, created_at FROM advocates
      WHERE brand_id = '${brand}';
    INSERT INTO visits (brand_id, visitor_id, code, advocate_id, share_channel, utm_source, campaign_id, created_at)
      SELECT '${brand}', 'v' || (i % 5000), 'CODE' || (${advocate('i')}), ${advocate('i')}, 'channel ' || (i % 7), 'source ' || (i % 11),
        ${campaignOf(advocate('i'))}, to_char(timestamp '2026-01-01' + (i % 200) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM generate_series(1, 20000) i;
    INSERT INTO conversions (brand_id, order_id, email, advocate_id, code, status, order_value_cents, paid_cents, campaign_id, products, created_at)
      SELECT '${brand}', 'O-' || i, 'c' || (i % 3000) || '@example.com', CASE WHEN i % 5 = 0 THEN NULL ELSE ${advocate('(i * 7)')} END,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'CODE' || (${advocate('(i * 7)')}) END, CASE WHEN i % 9 = 0 THEN 'refunded' ELSE 'completed' END,
        1000, 1000, CASE WHEN i % 5 = 0 THEN NULL ELSE ${campaignOf(advocate('(i * 7)'))} END,
        '[{"name": "Product ' || (i % 13) || '", "price_cents": 1000}]',
        to_char(timestamp '2026-01-01' + (i % 200) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM generate_series(1, 10000) i;
    INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, status, available_at,
        campaign_id, created_at, updated_at, uuid)
      SELECT brand_id, advocate_id, id, 1 + id % 2, 'cash', 100, 100, (ARRAY['pending', 'approved', 'paid', 'rejected'])[1 + id % 4],
        '2999-01-01T00:00:00.000Z', campaign_id, created_at, created_at, gen_random_uuid()::text
      FROM conversions WHERE brand_id = '${brand}' AND advocate_id IS NOT NULL;
  `);
  }
  await store.db.exec(`SELECT setval(pg_get_serial_sequence('advocates', 'id'), 600);
    SELECT setval(pg_get_serial_sequence('campaigns', 'id'), 6); ANALYZE`);
  return store;
}

test('on PostgreSQL each list page reads its walk\'s index in id order below the cursor, sorting nothing', { skip: pgTestSkip() ?? false }, async (t) => {
  const store = await seededStore(t);
  // The statements the modules prepare, in PostgreSQL's text, as they are prepared (on a filter's first use).
  const seen: string[] = [];
  const db: Conn = { ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } };
  const records = createRecordQueries(db);
  const rewards = createRewardQueries(db);
  const stats = createAdvocateStatsQueries(db);
  const testimonials = createTestimonialQueries(db);
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
    [() => testimonials.page('b', { advocateId: 3 }, slice), 'testimonials', 'testimonials_advocate'],
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

test("on PostgreSQL a quest's progress walks task_completions_quest below the cursor's advocate id, sorting nothing but the page's tasks", { skip: pgTestSkip() ?? false }, async (t) => {
  const store = await seededStore(t);
  // Each brand's two quests of three tasks, the first with every advocate's first task done, a third of them finished.
  await store.db.exec(`
    INSERT INTO quests (id, brand_id, title, status, created_at, updated_at)
      SELECT q, CASE WHEN q <= 2 THEN 'b' ELSE 'c' END, 'Quest ' || q, 'active', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM generate_series(1, 4) q;
    INSERT INTO quest_tasks (id, brand_id, quest_id, position, title, points)
      SELECT (q - 1) * 3 + k, brand_id, q, k, 'Task ' || k, 0 FROM generate_series(1, 4) q JOIN quests ON quests.id = q, generate_series(1, 3) k;
    INSERT INTO task_completions (brand_id, quest_id, task_id, advocate_id, points_awarded, created_at)
      SELECT a.brand_id, q.id, t.id, a.id, 0, '2026-01-02T00:00:00.000Z' FROM advocates a JOIN quests q ON q.brand_id = a.brand_id
      JOIN quest_tasks t ON t.quest_id = q.id WHERE t.position = 1 OR a.id % 3 = 0;
    INSERT INTO quest_completions (brand_id, quest_id, advocate_id, task_completion_id, reward_points, created_at)
      SELECT brand_id, quest_id, advocate_id, max(id), 0, '2026-01-02T00:00:00.000Z' FROM task_completions GROUP BY brand_id, quest_id, advocate_id HAVING count(*) = 3;
    SELECT setval(pg_get_serial_sequence('task_completions', 'id'), 10000); ANALYZE`);
  const seen: string[] = [];
  createQuestQueries({ ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } });
  const find = (pattern: RegExp) => {
    const sql = seen.find((s) => pattern.test(s.replace(/\s+/g, ' ')));
    assert.ok(sql, String(pattern));
    return sql;
  };
  const statements: Array<[sql: string, params: unknown[], index: string, cond: RegExp, sorts: boolean]> = [
    [find(/SELECT DISTINCT advocate_id FROM task_completions .*ORDER BY advocate_id DESC LIMIT/), ['b', 1, FROM_START, 21],
      'task_completions_quest', /brand_id = .*quest_id = .*advocate_id </, false],
    [find(/FROM task_completions WHERE .*advocate_id BETWEEN/), ['b', 1, 250, 280], 'task_completions_quest', /brand_id = .*quest_id = .*advocate_id >= .*advocate_id <= /, true],
    [find(/FROM quest_completions WHERE .*advocate_id BETWEEN/), ['b', 1, 250, 280], 'quest_completions_once', /brand_id = .*quest_id = .*advocate_id >= .*advocate_id <= /, false],
  ];
  await store.read.transaction(async () => {
    await store.read.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
    for (const [sql, params, index, cond, sorts] of statements) {
      const [{ Plan: plan }] = await store.read.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true }).get(...params) as [{ Plan: PlanNode }];
      const text = `${sql.replace(/\s+/g, ' ')}\n${JSON.stringify(plan)}`;
      const scan = nodes(plan).find((n) => n['Relation Name'] !== undefined);
      assert.match(scan?.['Node Type'] ?? '', /^Index (Only )?Scan( Backward)?$/, text);
      assert.equal(scan!['Index Name'], index, text);
      assert.match(scan!['Index Cond'] ?? '', cond, text);
      // The advocates' page: no Sort at all; their completions: the page's rows put in task order within each advocate.
      if (!sorts) assert.ok(!nodes(plan).some((n) => /Sort/.test(n['Node Type'])), `a Sort: ${text}`);
    }
  }, { mode: 'read' });
});

test("on PostgreSQL the overview's statements read the per-day tables by brand, campaign (one, or each of the brand's) and day range", { skip: pgTestSkip() ?? false }, async (t) => {
  const store = await seededStore(t);
  // Every statement the module prepares (all of them, when it is made), in PostgreSQL's text.
  const seen: string[] = [];
  createDailyTotalsQueries({ ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } });
  const overview = seen.filter((sql) => /daily_|advocate_revenue|c\.id >= @first/.test(sql) && /^\s*SELECT/.test(sql));
  assert.ok(overview.length >= 24, `overview statements: ${overview.length}`);
  const values = {
    brandId: 'b', campaignId: 2, from: '2026-03-01', to: '2026-03-30', limit: 10, total: '9223372036854775807', id: 0, advocateId: 3,
    first: 1, last: 100_000, since: '2026-03-01T00:00:00.000Z', until: '2026-03-31T00:00:00.000Z',
  };
  const problems: string[] = [];
  await store.read.transaction(async () => {
    // Small tables: without these PostgreSQL reads them whole; with them, the plan shows which index serves what.
    await store.read.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
    for (const sql of overview) {
      const [{ Plan: plan }] = await store.read.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true }).get(values) as [{ Plan: PlanNode }];
      const text = `${sql.replace(/\s+/g, ' ')}\n${JSON.stringify(plan)}`;
      const all = nodes(plan);
      const scans = all.filter((n) => /^(daily_|advocate_revenue$|conversions$)/.test(n['Relation Name'] ?? ''));
      if (scans.length === 0 || scans.some((n) => !/^Index (Only )?Scan$/.test(n['Node Type']))) problems.push(`not an index scan: ${text}`);
      const one = /campaign_id = @campaignId/.test(sql);
      const every = /campaign_id = ANY/.test(sql);
      for (const scan of scans) {
        const cond = scan['Index Cond'] ?? '';
        const index = scan['Index Name'] ?? '';
        // By campaign where the statement names it in the key: one campaign's key, or the brand's campaigns as an array.
        if (one && /_pkey$|conversions_brand_campaign/.test(index) && !/campaign_id = (?!ANY)/.test(cond)) problems.push(`the campaign: ${text}`);
        if (every && !/campaign_id = ANY/.test(cond)) problems.push(`the brand's campaigns: ${text}`);
        if (/day >= @from/.test(sql) && /_pkey$/.test(index) && !/day >=/.test(cond)) problems.push(`the days: ${text}`);
        if (/advocate_id = @advocateId/.test(sql) && (index !== 'daily_advocates_by_advocate' || !/advocate_id = /.test(cond))) problems.push(`the advocate: ${text}`);
      }
      // The walks (by revenue, the latest conversions) read in their order.
      if (/LIMIT @limit$/.test(sql.trim()) && /FROM advocate_revenue|FROM conversions c/.test(sql) && all.some((n) => n['Node Type'] === 'Sort')) problems.push(`sorted: ${text}`);
      // One campaign's latest conversions: its index. All: the brand's attributed ids, or the table's ids where the
      // statistics say the brand's rows are dense among them (two brands here), as the lists' walks may.
      const latest = one ? ['conversions_brand_campaign'] : ['conversions_brand_attributed', 'conversions_pkey'];
      if (/FROM conversions c/.test(sql) && !scans.some((n) => latest.includes(n['Index Name'] ?? ''))) problems.push(`the latest: ${text}`);
    }
  }, { mode: 'read' });
  assert.deepEqual(problems, []);
});

test("on PostgreSQL an idea's voters walk the votes' UNIQUE key below the cursor's advocate id, sorting nothing", { skip: pgTestSkip() ?? false }, async (t) => {
  const database = await createTestDatabase();
  const store = await openPgStore(database.url, { poolSize: 2, listen: false });
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  // A brand's votes for 20 ideas, from 300 advocates each voting for 10 (its statistics: one idea's votes are few of the brand's).
  await store.db.exec(`
    INSERT INTO brands (id, name, plan, created_at) VALUES ('b', 'B', 'growth', '2026-01-01T00:00:00.000Z');
    INSERT INTO campaigns (id, brand_id, name, is_default, created_at, updated_at) VALUES (1, 'b', 'Default', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    INSERT INTO advocates (id, brand_id, email, name, status, campaign_id, created_at, updated_at)
      SELECT i, 'b', 'a' || i || '@example.com', 'A ' || i, 'active', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM generate_series(1, 300) i;
    INSERT INTO feedback_boards (id, brand_id, name, created_at, updated_at) VALUES (1, 'b', 'Ideas', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    INSERT INTO feedback_ideas (id, brand_id, board_id, advocate_id, title, status, vote_count, created_at, updated_at)
      SELECT i, 'b', 1, i, 'Idea ' || i, 'open', 150, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM generate_series(1, 20) i;
    INSERT INTO feedback_votes (brand_id, idea_id, advocate_id, created_at)
      SELECT 'b', 1 + (a + k) % 20, a, '2026-01-02T00:00:00.000Z' FROM generate_series(1, 300) a, generate_series(0, 9) k;
    ANALYZE`);
  const seen: string[] = [];
  createFeedbackQueries({ ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } });
  const sql = seen.find((s) => /FROM feedback_votes v WHERE v\.brand_id = @brandId AND v\.idea_id = @ideaId AND v\.advocate_id < @before/.test(s));
  assert.ok(sql, 'the voters statement');
  await store.read.transaction(async () => {
    // Small tables: without these PostgreSQL reads them whole; with them, only an index that serves the order spares a Sort.
    await store.read.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
    const [{ Plan: plan }] = await store.read.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true })
      .get({ brandId: 'b', ideaId: 1, before: FROM_START, limit: 51, offset: 0 }) as [{ Plan: PlanNode }];
    const text = JSON.stringify(plan);
    const ids = nodes(innermostLimit(plan));
    assert.ok(!ids.some((n) => n['Node Type'] === 'Sort'), `a Sort under the page's LIMIT: ${text}`);
    const scan = ids.find((n) => n['Relation Name'] === 'feedback_votes');
    assert.match(scan?.['Node Type'] ?? '', /^Index (Only )?Scan$/, text);
    assert.equal(scan!['Index Name'], 'feedback_votes_brand_id_idea_id_advocate_id_key', text);
    assert.match(scan!['Index Cond'] ?? '', /brand_id = .*idea_id = .*advocate_id </, text);
  }, { mode: 'read' });
});

test("on PostgreSQL the portal home's figures of one advocate read its own rows: its days by key or index, its cash commissions by rewards_advocate", { skip: pgTestSkip() ?? false }, async (t) => {
  const store = await seededStore(t);
  const seen: string[] = [];
  createAdvocateDayQueries({ ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } });
  assert.equal(seen.length, 3);
  const values = { brandId: 'b', advocateId: 3, from: '2026-03-01', to: '2026-04-29', since: '2026-03-01T00:00:00.000Z', until: '2026-04-30T00:00:00.000Z' };
  const problems: string[] = [];
  await store.read.transaction(async () => {
    await store.read.exec('SET LOCAL enable_seqscan = off');
    for (const sql of seen) {
      const [{ Plan: plan }] = await store.read.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true }).get(values) as [{ Plan: PlanNode }];
      const text = `${sql.replace(/\s+/g, ' ')}\n${JSON.stringify(plan)}`;
      const scans = nodes(plan).filter((n) => n['Relation Name'] !== undefined);
      const meant = /FROM daily_advocate_clicks/.test(sql) ? 'daily_advocate_clicks_pkey' : /FROM daily_advocates/.test(sql) ? 'daily_advocates_by_advocate' : 'rewards_advocate';
      // An index scan, or a bitmap of the index (the advocate's commissions): led by the brand and the advocate.
      const served = scans.length > 0 && scans.every((n) => /^(Index (Only )?Scan|Bitmap Heap Scan)$/.test(n['Node Type']))
        && nodes(plan).some((n) => n['Index Name'] === meant && /brand_id = .*advocate_id = /.test(n['Index Cond'] ?? ''));
      if (!served) problems.push(`not served by ${meant}: ${text}`);
    }
  }, { mode: 'read' });
  assert.deepEqual(problems, []);
});

test("on PostgreSQL the portal's payouts of one advocate read advocate_payouts by its key, and a payout's commissions rewards_advocate_paid", { skip: pgTestSkip() ?? false }, async (t) => {
  const store = await seededStore(t);
  const seen: string[] = [];
  createAdvocatePayoutQueries({ ...store.read, prepare: (sql, opts) => { seen.push(sqlFor(sql, 'pg')); return store.read.prepare(sql, opts); } });
  const cases: Array<[RegExp, unknown[], string]> = [
    [/paid_at < \?/, ['b', 3, '\uffff', 21], 'advocate_payouts_pkey'],
    [/FROM advocate_payouts WHERE .* paid_at = \?/, ['b', 3, '2026-03-01T00:00:00.000Z'], 'advocate_payouts_pkey'],
    [/FROM rewards/, ['b', 3, '2026-03-01T00:00:00.000Z', FROM_START, 51], 'rewards_advocate_paid'],
  ];
  assert.equal(seen.length, cases.length);
  await store.read.transaction(async () => {
    await store.read.exec('SET LOCAL enable_seqscan = off');
    for (const [pattern, params, index] of cases) {
      const sql = seen.find((s) => pattern.test(s.replace(/\s+/g, ' ')));
      assert.ok(sql, `a statement matching ${pattern}`);
      const [{ Plan: plan }] = await store.read.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true }).get(...params) as [{ Plan: PlanNode }];
      const text = `${sql.replace(/\s+/g, ' ')}\n${JSON.stringify(plan)}`;
      assert.ok(!nodes(plan).some((n) => n['Node Type'] === 'Sort'), `no Sort: ${text}`);
      const scan = nodes(plan).find((n) => n['Relation Name'] !== undefined);
      assert.match(scan?.['Node Type'] ?? '', /^Index (Only )?Scan( Backward)?$/, text);
      assert.equal(scan!['Index Name'], index, text);
      assert.match(scan!['Index Cond'] ?? '', /brand_id = .*advocate_id = .*paid_at [<=]/, text);
    }
  }, { mode: 'read' });
});
