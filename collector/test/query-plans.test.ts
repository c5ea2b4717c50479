// Every lookup of the query modules is served by an index on what it looks up: a lookup by brand and email
// must not walk an index of brand and advocate (it did, and conversions slowed as they piled up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open.ts';
import { createQueries } from '../src/db/queries.ts';

test('each statement with WHERE brand_id = ? AND col = ? searches an index that holds col', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-plans-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'referloop.db'));
  t.after(() => db.close());
  const prepare = db.prepare.bind(db);
  const statements: string[] = [];
  db.prepare = ((sql: string) => {
    statements.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  createQueries(db);
  db.prepare = prepare;

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
