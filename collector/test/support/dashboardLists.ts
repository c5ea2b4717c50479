// What the tests of the dashboard's paged lists share (testimonials, feedback): a collector at a fixed time with a
// signed-in owner, the API's answer to compare a page with, and the pager's "Older" link to follow.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from './collector.ts';
import { signedIn, type DashboardClient, type DashboardPage } from './dashboard.ts';

/** A collector whose clock stands at 2026-12-01T10:00Z, closed after the test, and an owner signed in to its brand. */
export async function listSetUp(t: TestContext): Promise<{ c: TestCollector; owner: DashboardClient }> {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  return { c, owner: await signedIn(c) };
}

/** The `data` of a management call with the brand's secret key, which must succeed. */
export async function apiData(c: TestCollector, method: string, path: string, body?: unknown, query?: Record<string, string | number>) {
  const res = await c.call(method, `/api/v1${path}`, body, query ? { query } : {});
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** The "Older" link of the page's pager (ui.ts `pager`), if any. */
export const olderLink = (page: DashboardPage): string | undefined =>
  /<nav class="pager"[^>]*>[\s\S]*?<a href="([^"]+)">Older<\/a>/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
