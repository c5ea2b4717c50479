// Every lookup of the query modules is served by an index on what it looks up: a lookup by brand and email
// must not walk an index of brand and advocate (it did, and conversions slowed as they piled up).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open.ts';
import { createQueries } from '../src/db/queries.ts';
import { searchQuery } from '../src/db/advocateStats.ts';

/** A fresh database file, and every statement the query modules prepare on it (recorded until the test ends). */
function recordedStatements(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-plans-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'referloop.db'));
  t.after(() => db.close());
  const prepare = db.prepare.bind(db);
  const statements = new Set<string>();
  db.prepare = ((sql: string) => {
    statements.add(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  t.after(() => { db.prepare = prepare; });
  return { db, prepare, statements, q: createQueries(db) };
}

test('each statement with WHERE brand_id = ? AND col = ? searches an index that holds col', (t) => {
  const { prepare, statements } = recordedStatements(t);

  let checked = 0;
  const unserved: string[] = [];
  for (const sql of statements) {
    if (!/^\s*SELECT/i.test(sql)) continue;
    // The first equality after the brand: `FROM table [alias] WHERE [alias.]brand_id = ? AND [alias.]col = ?`.
    const m = /FROM (\w+)(?: (\w+))? WHERE (?:\w+\.)?brand_id = (?:\?|@\w+) AND (?:\w+\.)?(\w+) = (?:\?|@\w+)/.exec(sql);
    if (!m) continue;
    const [, table, alias, column] = m;
    const count = (sql.match(/\?/g) ?? []).length;
    const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((n) => [n[1], n[1] === 'limit' ? 1 : n[1] === 'offset' ? 0 : 'x']));
    const plan = (count ? prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(count).fill('x')) : prepare(`EXPLAIN QUERY PLAN ${sql}`).all(named)) as Array<{ detail: string }>;
    const name = alias ?? table;
    const step = plan.map((p) => p.detail).find((d) => d.startsWith(`SEARCH ${name} `) || d.startsWith(`SCAN ${name}`));
    const served = !!step && (column === 'id' ? /rowid=\?|\bid=\?/.test(step) : new RegExp(`\\b${column}=\\?`).test(step));
    if (!served) unserved.push(`${sql.replace(/\s+/g, ' ')}\n  -> ${plan.map((p) => p.detail).join(' | ')}`);
    checked++;
  }
  assert.deepEqual(unserved, []);
  assert.ok(checked >= 20, `statements checked: ${checked}`);
});

test("a quest's progress (GET /quests/:id, the dashboard's quest page) walks task_completions_quest below the cursor's advocate id: no scan", (t) => {
  const { prepare, statements } = recordedStatements(t);
  const plan = (fragment: string, params: unknown[]) => {
    const sql = [...statements].find((s) => s.replace(/\s+/g, ' ').includes(fragment));
    assert.ok(sql, fragment);
    return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail);
  };
  // A page of advocates: the index in advocate order from the cursor down, DISTINCT and ORDER BY from the index itself.
  const advocates = plan('FROM task_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id < ? ORDER BY advocate_id DESC LIMIT ?', ['b', 1, 1000, 21]);
  assert.deepEqual(advocates, ['SEARCH task_completions USING COVERING INDEX task_completions_quest (brand_id=? AND quest_id=? AND advocate_id<?)']);
  // Their completions: the page's range of advocate ids (a task order sorted within it: at most the page's rows).
  const tasks = plan('FROM task_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id BETWEEN ? AND ?', ['b', 1, 1, 9]);
  assert.equal(tasks[0], 'SEARCH task_completions USING INDEX task_completions_quest (brand_id=? AND quest_id=? AND advocate_id>? AND advocate_id<?)', tasks.join(' | '));
  const quests = plan('FROM quest_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id BETWEEN ? AND ?', ['b', 1, 1, 9]);
  assert.deepEqual(quests, ['SEARCH quest_completions USING INDEX quest_completions_once (brand_id=? AND quest_id=? AND advocate_id>? AND advocate_id<?)']);
  for (const p of [advocates, tasks, quests]) assert.ok(!p.some((d) => /^SCAN /.test(d)), p.join(' | '));
});

/** Every subset of a filter's fields. */
function combinations<T extends Record<string, unknown>>(all: T): Array<Partial<T>> {
  const keys = Object.keys(all);
  return Array.from({ length: 1 << keys.length }, (_, m) =>
    Object.fromEntries(keys.filter((_k, i) => m & (1 << i)).map((k) => [k, all[k]])) as Partial<T>);
}

test('every list and search statement reads an index in id order (or the FTS5 index): no full scan, no sort of the brand', async (t) => {
  const { prepare, statements, q } = recordedStatements(t);
  statements.clear();
  // Each filter combination prepares its own statements on first use: run them all, from the start and from a cursor.
  for (const slice of [{ before: null, limit: 21, offset: 0 }, { before: 1000, limit: 21, offset: 0 }]) {
    for (const f of combinations({ status: 'active' as const, tier: 'gold', search: 'jo' })) {
      await q.advocateStats.advocates('b', { status: null, tier: null, search: null, ...f }, slice);
      await q.advocateStats.countAdvocates('b', { status: null, tier: null, search: null, ...f });
    }
    for (const f of combinations({ advocateId: 1, status: 'active' as const, search: 'jo' })) {
      await q.advocateStats.referrals('b', { advocateId: null, status: null, search: null, ...f }, slice);
    }
    for (const f of combinations({ advocateId: 1, code: 'X', visitorId: 'v', from: 'a', to: 'b' })) await q.records.visits('b', f, slice);
    for (const f of combinations({ status: 'pending', advocateId: 1, code: 'X', email: 'e', from: 'a' })) await q.records.claims('b', f, slice);
    for (const f of combinations({ status: 'completed', advocateId: 1, code: 'X', attributed: true, to: 'b' })) await q.records.conversions('b', f, slice);
    await q.records.conversions('b', { attributed: false }, slice);
    for (const f of combinations({ status: 'approved' as const, advocateId: 1, level: 1 as const, kind: 'cash' as const, from: 'a' })) {
      await q.rewards.list('b', f, slice);
    }
    // The referral records: the commissions' walks, and one customer's few records by email (migration 015's indexes).
    for (const f of combinations({ customerEmail: 'e', campaignId: 1, action: 2 as const, status: 'approved' as const, from: 'a' })) {
      await q.referralRecords.page('b', f, slice);
    }
    // One advocate's testimonials (the portal's own list), on the partial index of the advocates' ones.
    await q.testimonials.page('b', { advocateId: 1 }, slice);
  }
  const pages = [...statements].filter((sql) => sql.includes('@before'));
  assert.ok(pages.length >= 8 + 8 + 32 + 32 + 33 + 32, `list statements: ${pages.length}`);

  const problems: string[] = [];
  for (const sql of pages) {
    const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1],
      m[1] === 'search' ? '"jo"*' : ['limit', 'offset', 'before', 'advocateId'].includes(m[1]!) ? 1 : 'x']));
    const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((p) => p.detail);
    const text = `${sql.replace(/\s+/g, ' ')}\n  -> ${plan.join(' | ')}`;
    // The slice's ids: the FTS5 index in rowid order for a search, else an index of the brand.
    const searching = sql.includes('MATCH');
    if (searching && !plan.some((d) => /^SCAN s VIRTUAL TABLE INDEX \d+:M/.test(d))) problems.push(`search not driven by FTS5: ${text}`);
    if (!searching && !plan.some((d) => /^SEARCH \w+ USING (COVERING )?INDEX \w+ \(brand_id=\?/.test(d))) problems.push(`no brand index: ${text}`);
    // A subquery's rows (a window's LIMIT @scan ids) are scanned as the co-routine gives them, not a table.
    if (plan.some((d) => /^SCAN (?!s VIRTUAL TABLE|\(subquery-\d+\))/.test(d))) problems.push(`full scan: ${text}`);
    // Sorting is allowed only where the statement names an index whose rows are one key's (one visitor's visits,
    // one customer's or one code's claims), and inside one advocate's codes (json_group_array).
    const oneCustomer = /referred_email = @customerEmail/.test(sql);
    // One customer's records are found through their own keys, never by walking the brand's rewards.
    if (oneCustomer && plan.some((d) => /USING (COVERING )?INDEX \w+ \(brand_id=\?\)$/.test(d))) problems.push(`one customer's records walk the brand: ${text}`);
    if (plan.some((d) => /TEMP B-TREE FOR ORDER BY/.test(d)) && !oneCustomer
      && !/INDEXED BY (visits_visitor|claims_email|claims_code_email|rewards_advocate)\b/.test(sql)) {
      problems.push(`sorts: ${text}`);
    }
    // An equality filter with an index is searched through it (never `(? IS NULL OR col = ?)`); visits by
    // advocate or code have none (README): they walk the brand's visits in id order. A search is driven by the
    // FTS5 index; the other filters are checked on its matches.
    const where = sql.slice(sql.lastIndexOf('WHERE'));
    const equalities = [...where.matchAll(/(?:\w+\.)?(\w+) = @\w+/g)].map((m) => m[1]!).filter((c) => c !== 'brand_id');
    // Rewards by kind (two values, internal) walk the brand's rewards in id order, like visits by advocate; by level
    // they walk rewards_brand_level (migration 010), beside a status or an advocate that index's.
    const unindexed = /FROM visits/.test(sql) ? ['advocate_id', 'code'] : /FROM rewards/.test(sql) ? ['kind'] : [];
    const indexable = searching ? [] : equalities.filter((c) => !unindexed.includes(c));
    if (indexable.length > 0 && !plan.some((d) => indexable.some((c) => d.includes(`${c}=?`)))) problems.push(`filter not searched: ${text}`);
    if (/advocate_id IS NOT NULL/.test(where) && indexable.length === 0 && !plan.some((d) => d.includes('conversions_brand_attributed'))) {
      problems.push(`attributed not from the partial index: ${text}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("an idea's voters walk the votes' UNIQUE key by brand and idea below the cursor's advocate id: no scan, no sort", (t) => {
  const { prepare, statements } = recordedStatements(t);
  const voters = [...statements].filter((sql) => /FROM feedback_votes v WHERE v\.brand_id = @brandId AND v\.idea_id = @ideaId AND v\.advocate_id < @before/.test(sql));
  assert.equal(voters.length, 1);
  const plan = (prepare(`EXPLAIN QUERY PLAN ${voters[0]}`).all({ brandId: 'b', ideaId: 1, before: 1, limit: 1, offset: 0 }) as Array<{ detail: string }>).map((p) => p.detail);
  assert.match(plan[0] ?? '', /^SEARCH v USING (COVERING )?INDEX sqlite_autoindex_feedback_votes_1 \(brand_id=\? AND idea_id=\? AND advocate_id<\?\)$/, plan.join(' | '));
  assert.ok(!plan.some((d) => /TEMP B-TREE|^SCAN/.test(d)), plan.join(' | '));
});

test('payout chunks, clawbacks owed and the due backlog read partial indexes by brand and advocate: no scan, no sort', (t) => {
  const { prepare, statements } = recordedStatements(t);
  const plan = (sql: string, ...params: unknown[]) =>
    (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
  const find = (fragment: string) => {
    const found = [...statements].filter((sql) => sql.includes(fragment));
    assert.equal(found.length, 1, fragment);
    return found[0]!;
  };
  const expectations: Array<[sql: string, params: unknown[], index: RegExp]> = [
    [find("r.status = 'approved' AND r.kind = 'cash' AND r.advocate_id > ? AND a.id > ?"), ['b', 0, 0, 1000], /SEARCH r USING INDEX rewards_payable \(brand_id=\? AND advocate_id>\?\)/],
    [find("r.status = 'approved' AND r.kind = 'cash' AND r.advocate_id = ? AND r.id > ?"), ['b', 1, 0, 500],
      /SEARCH r USING INDEX rewards_(payable|advocate) \(brand_id=\? AND advocate_id=\?( AND status=\?)? AND rowid>\?\)/],
    [find('r.clawed_back > r.clawback_recovered'), ['b', 0, 9], /SEARCH r USING INDEX rewards_clawback_owed \(brand_id=\? AND advocate_id>\? AND advocate_id<\?\)/],
    [find("status = 'pending' AND available_at <= ? ORDER BY"), ['b', 'x', 500], /SEARCH rewards USING INDEX rewards_due \(brand_id=\? AND available_at<\?\)/],
    [find("status = 'pending' AND available_at <= ? LIMIT 1"), ['b', 'x'], /SEARCH rewards USING (COVERING )?INDEX rewards_due \(brand_id=\? AND available_at<\?\)/],
    [find('FROM brands b WHERE EXISTS'), ['x'], /SEARCH r (EXISTS )?USING (COVERING )?INDEX rewards_due \(brand_id=\? AND available_at<\?\)/],
  ];
  for (const [sql, params, index] of expectations) {
    const p = plan(sql, ...params);
    assert.match(p, index, sql);
    assert.doesNotMatch(p, /TEMP B-TREE/, sql);
  }
});

test("a search's FTS5 query matches the brand's word first, and the user's words only as quoted prefixes in the text columns", () => {
  assert.equal(searchQuery('1b4e28ba-2fa1-11d2-883f-0016d3cca427', ' jo  "x OR NEAR( ', 'name email codes'),
    'brand : "1b4e28ba2fa111d2883f0016d3cca427" AND {name email codes} : ("jo"* """x"* "OR"* "NEAR("*)');
  assert.equal(searchQuery('b', '% -- *', 'code name email'), null);
});

test("the overview's statements read the per-day tables by brand, campaign and day range, or one walk of the brand's ids: no scan", (t) => {
  const { prepare, statements } = recordedStatements(t);
  // (The portal's daily_advocate_clicks: its own test below.)
  const overview = [...statements].filter((sql) => /daily_(?!advocate_clicks)|advocate_revenue|c\.id >= @first/.test(sql) && /^\s*SELECT/.test(sql));
  assert.ok(overview.length >= 24, `overview statements: ${overview.length}`);
  const problems: string[] = [];
  for (const sql of overview) {
    const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], ['limit', 'first', 'last', 'campaignId'].includes(m[1]!) ? 1 : 'x']));
    const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((p) => p.detail);
    const text = `${sql.replace(/\s+/g, ' ')}\n  -> ${plan.join(' | ')}`;
    // The campaigns of "all campaigns" (0, then the brand's) are a constant row and the brand's campaigns by index.
    if (plan.some((d) => /^SCAN (?!t$|CONSTANT ROW$)/.test(d))) problems.push(`full scan: ${text}`);
    const every = /campaign_id IN \(SELECT 0 UNION ALL SELECT id FROM campaigns WHERE brand_id = @brandId\)/.test(sql);
    if (every && !plan.includes('SEARCH campaigns USING COVERING INDEX campaigns_brand (brand_id=?)')) problems.push(`the brand's campaigns: ${text}`);
    const one = /campaign_id = @campaignId/.test(sql);
    // A range of days: the primary key by brand, campaign (one, or each of the brand's in turn) and day. The top
    // advocates of a long range: the brand's rows in advocate order (GROUP BY without a temporary b-tree), one
    // campaign's filtered as they stream by. The latest conversions: the brand's (or the campaign's) attributed ids.
    // One advocate's range: its days in the advocate-order index. The walk by revenue: the brand's advocates in revenue
    // order (over every campaign) from a bound.
    const served = /advocate_id = @advocateId/.test(sql)
      ? plan.includes('SEARCH daily_advocates USING COVERING INDEX daily_advocates_by_advocate (brand_id=? AND advocate_id=? AND day>? AND day<?)')
      : /FROM advocate_revenue/.test(sql)
        ? plan.includes('SEARCH advocate_revenue USING COVERING INDEX advocate_revenue_top (brand_id=? AND net_revenue_cents<?)')
          && !plan.some((d) => /TEMP B-TREE/.test(d))
      : /daily_advocates_by_advocate/.test(sql)
      ? plan.some((d) => d === 'SEARCH daily_advocates USING COVERING INDEX daily_advocates_by_advocate (brand_id=?)')
        && !plan.some((d) => /TEMP B-TREE FOR GROUP BY/.test(d))
      : /FROM conversions c/.test(sql)
        ? plan.some((d) => d === (one ? 'SEARCH c USING INDEX conversions_brand_campaign (brand_id=? AND campaign_id=? AND rowid>? AND rowid<?)'
          : 'SEARCH c USING INDEX conversions_brand_attributed (brand_id=? AND rowid>? AND rowid<?)'))
          && !plan.some((d) => /TEMP B-TREE/.test(d))
        : plan.some((d) => /^SEARCH daily_\w+ USING PRIMARY KEY \(brand_id=\?( AND campaign_id=\?)?( AND day>\? AND day<\?)?\)$/.test(d)
          && (one || every) === d.includes('campaign_id=?'));
    if (!served) problems.push(`not served as meant: ${text}`);
    // One campaign's range in day order reads one row per day: no sort.
    if (one && /FROM daily_totals WHERE .* GROUP BY day/.test(sql) && plan.some((d) => /TEMP B-TREE/.test(d))) problems.push(`sorted: ${text}`);
  }
  assert.deepEqual(problems, []);
});

test('commissions by level walk rewards_brand_level (migration 010); each page within a window walks the index its window counted, bounded on both sides', async (t) => {
  const { prepare, statements, q } = recordedStatements(t);
  statements.clear();
  const slice = { before: null, limit: 21, offset: 0 };
  await q.rewards.page('b', { level: 2 }, slice);
  for (const f of combinations({ status: 'approved' as const, advocateId: 1, level: 1 as const, from: 'a', to: 'b' })) await q.rewards.page('b', f, slice);
  for (const f of combinations({ advocateId: 1, code: 'X', visitorId: 'v', from: 'a' })) await q.records.visits('b', f, slice);
  for (const f of combinations({ status: 'pending', advocateId: 1, email: 'e', to: 'b' })) await q.records.claims('b', f, slice);
  for (const f of combinations({ status: 'completed', code: 'X', attributed: true, from: 'a' })) await q.records.conversions('b', f, slice);
  const plan = (sql: string) => {
    const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], ['limit', 'offset', 'before', 'floor', 'scan', 'advocateId', 'level'].includes(m[1]!) ? 1 : 'x']));
    return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
  };
  const byLevel = [...statements].find((sql) => /INDEXED BY rewards_brand_level WHERE brand_id = @brandId AND level = @level AND id < @before ORDER/.test(sql));
  assert.ok(byLevel, 'a page by level alone');
  assert.match(plan(byLevel), /SEARCH rewards USING (COVERING )?INDEX rewards_brand_level \(brand_id=\? AND level=\? AND rowid<\?\)/);
  const windowed = [...statements].filter((sql) => sql.includes('@floor'));
  // Every combination with a date (or a filter beside the walk's own) has its window: 15 of rewards, 14 of visits, 7 + 7 of the others.
  assert.ok(windowed.filter((sql) => /FROM rewards/.test(sql)).length >= 15, `rewards windows: ${windowed.length}`);
  const problems: string[] = [];
  for (const sql of windowed) {
    const index = /INDEXED BY (\w+)/.exec(sql)?.[1];
    const p = plan(sql);
    // The same index as the window (the walk), with the id between the window's floor and the cursor; an index of
    // one key's rows (one visitor, customer, code or advocate) walks that key's rows.
    const oneKey = /^(visits_visitor|claims_email|claims_code_email|rewards_advocate)$/.test(index ?? '');
    const bounds = oneKey ? '\\(brand_id=\\? AND \\w+=\\?' : '\\(brand_id=\\?[^)]*rowid>\\? AND rowid<\\?\\)';
    if (!index || !new RegExp(`SEARCH \\w+ USING (COVERING )?INDEX ${index} ${bounds}`).test(p)) {
      problems.push(`${sql.replace(/\s+/g, ' ')}\n  -> ${p}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('an offset page past the middle of a list whose size is kept (advocates, migration 010) is read from the other end', async (t) => {
  const { db, q } = recordedStatements(t);
  const brandId = 'b1';
  db.prepare(`INSERT INTO brands (id, name, plan, allowed_origins, created_at) VALUES (?, 'B', 'growth', '[]', '2026-01-01T00:00:00.000Z')`).run(brandId);
  const campaign = db.prepare(`INSERT INTO campaigns (brand_id, name, is_default, created_at, updated_at) VALUES (?, 'Default', 1, 'x', 'x')`)
    .run(brandId).lastInsertRowid;
  const add = db.prepare(`INSERT INTO advocates (brand_id, email, name, status, campaign_id, created_at, updated_at) VALUES (?, ?, 'A', 'active', ?, 'x', 'x')`);
  for (let i = 0; i < 30; i++) add.run(brandId, `a${i}@example.com`, campaign);
  const runs: Array<{ sql: string; params: Record<string, unknown> }> = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const s = prepare(sql);
    const all = s.all.bind(s);
    s.all = ((params: Record<string, unknown>) => {
      runs.push({ sql, params });
      return all(params);
    }) as typeof s.all;
    return s;
  }) as typeof db.prepare;
  t.after(() => { db.prepare = prepare; });
  const filter = { status: null, tier: null, search: null };
  const whole = (await q.advocateStats.advocates(brandId, filter, { before: null, limit: 100, offset: 0 })).map((a) => a.id);
  runs.length = 0;
  const page = (await q.advocateStats.advocates(brandId, filter, { before: null, limit: 5, offset: 24 })).map((a) => a.id);
  assert.deepEqual(page, whole.slice(24, 29));
  assert.equal(runs.length, 1);
  assert.match(runs[0]!.sql, /ORDER BY a\.id ASC LIMIT @limit OFFSET @offset/);
  assert.deepEqual([runs[0]!.params.limit, runs[0]!.params.offset], [5, 1], 'the 5 rows after the first one from the oldest end');
  assert.equal(await q.advocateStats.totalAdvocates(brandId, filter), 30);
});

test("the portal home's figures of one advocate read its own rows: its days by primary key or index, its cash commissions by rewards_advocate", (t) => {
  const { prepare, statements } = recordedStatements(t);
  const expected: Array<[RegExp, string]> = [
    [/FROM daily_advocate_clicks/, 'SEARCH daily_advocate_clicks USING PRIMARY KEY (brand_id=? AND advocate_id=? AND day>? AND day<?)'],
    [/FROM daily_advocates INDEXED BY daily_advocates_by_advocate\s+WHERE brand_id = @brandId AND advocate_id = @advocateId AND day >= @from AND day <= @to GROUP BY day/,
      'SEARCH daily_advocates USING COVERING INDEX daily_advocates_by_advocate (brand_id=? AND advocate_id=? AND day>? AND day<?)'],
    [/FROM rewards\s+WHERE brand_id = @brandId AND advocate_id = @advocateId AND kind = 'cash'/, 'SEARCH rewards USING INDEX rewards_advocate (brand_id=? AND advocate_id=?)'],
  ];
  for (const [pattern, line] of expected) {
    const sql = [...statements].find((s) => pattern.test(s));
    assert.ok(sql, `a statement matching ${pattern}`);
    const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], m[1] === 'advocateId' ? 1 : 'x']));
    const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((p) => p.detail);
    assert.ok(plan.includes(line), `${sql}\n  -> ${plan.join(' | ')}`);
    assert.ok(!plan.some((d) => /^SCAN /.test(d)), `no scan: ${plan.join(' | ')}`);
  }
});

test("the portal's payouts of one advocate read advocate_payouts by its primary key, and a payout's commissions rewards_advocate_paid: no scan, no sort", (t) => {
  const { prepare, statements } = recordedStatements(t);
  const expected: Array<[RegExp, unknown[], string]> = [
    [/FROM advocate_payouts\s+WHERE brand_id = \? AND advocate_id = \? AND paid_at < \?/, ['b', 1, '\uffff', 21],
      'SEARCH advocate_payouts USING PRIMARY KEY (brand_id=? AND advocate_id=? AND paid_at<?)'],
    [/FROM advocate_payouts WHERE brand_id = \? AND advocate_id = \? AND paid_at = \?/, ['b', 1, 'x'],
      'SEARCH advocate_payouts USING PRIMARY KEY (brand_id=? AND advocate_id=? AND paid_at=?)'],
    [/FROM rewards INDEXED BY rewards_advocate_paid/, ['b', 1, 'x', 1000, 51],
      'SEARCH rewards USING COVERING INDEX rewards_advocate_paid (brand_id=? AND advocate_id=? AND paid_at=? AND rowid<?)'],
  ];
  for (const [pattern, params, line] of expected) {
    const sql = [...statements].find((s) => pattern.test(s));
    assert.ok(sql, `a statement matching ${pattern}`);
    const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail);
    assert.deepEqual(plan, [line], sql);
  }
});
