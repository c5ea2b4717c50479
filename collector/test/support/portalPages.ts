// What the tests of the portal's points and rewards, quests, testimonial and ideas pages share: a collector on a fixed
// clock, the API's answer read as the brand's owner (asserting it succeeded), and a page's one-off form id, notice and
// alert as a reader finds them, and the whole database as text (to prove a refused request changed nothing).
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestBrand, type TestCollector } from './collector.ts';
import { textOf, type DashboardPage } from './dashboard.ts';
import { tableNames } from './fixtures.ts';

export { apiData } from './fixtures.ts';

export const PORTAL_TEST_START = new Date('2026-12-01T10:00:00Z');

export async function portalTestCollector(t: TestContext): Promise<TestCollector> {
  const c = await startTestCollector({ now: () => PORTAL_TEST_START });
  t.after(() => c.close());
  return c;
}

/** The one-off id of the first form on a page that carries one (portal/forms.ts formIdField). */
export function formIdOf(page: DashboardPage): string {
  const m = /name="form_id" value="([^"]+)"/.exec(page.text);
  assert.ok(m, 'a form with its form id');
  return m[1]!;
}

/** The notice a form's redirect left, on the page it led to. */
export const noticeOf = (page: DashboardPage): string => textOf(/<p class="notice" role="status">(.*?)<\/p>/s.exec(page.text)?.[1] ?? '');

/** The message of a refused form at the top of the page rendered again. */
export const alertOf = (page: DashboardPage): string => textOf(/<div class="error" role="alert">(.*?)<\/div>/s.exec(page.text)?.[1] ?? '');

/**
 * Every row of every table, as text (rows sorted: some tables are WITHOUT ROWID), but the portal's sessions, whose
 * last_seen_at moves as pages are read: equal before and after a refused request, it changed nothing anywhere.
 */
export async function databaseText(c: TestCollector): Promise<string> {
  const all: Record<string, string[]> = {};
  for (const t of await tableNames(c)) {
    if (t === 'portal_sessions') continue;
    all[t] = (await c.deps.db.prepare(`SELECT * FROM ${t}`).all()).map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(all);
}
