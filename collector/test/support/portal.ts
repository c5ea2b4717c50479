// An advocate's browser in the portal over plain HTTP: the owner's single-use link from the API, its page and its
// button pressed as a browser does; the browser then keeps the rl_portal cookie and sends each form with the CSRF
// token the last page carried.
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from './collector.ts';
import { browser, type DashboardClient, type DashboardPage } from './dashboard.ts';

/** POST /advocates/:id/portal-link with the brand's secret key: the link and its path on this collector. */
export async function portalLink(c: TestCollector, advocate: number, opts: { brand?: TestBrand; headers?: Record<string, string> } = {}): Promise<{ path: string; url: string; expires_at: string }> {
  const res = await c.call('POST', `/api/v1/advocates/${advocate}/portal-link`, {}, opts);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { ...res.body.data, path: new URL(res.body.data.url).pathname };
}

/** Opens a link's page and presses its button, as a browser does. */
export async function enterPortal(c: TestCollector, path: string, client: DashboardClient = browser(c)): Promise<{ client: DashboardClient; res: DashboardPage }> {
  const page = await client.get(path);
  assert.equal(page.status, 200);
  assert.match(page.text, /<button type="submit">Open my portal<\/button>/);
  return { client, res: await client.post(path, {}, { csrf: false }) };
}

/** A browser in the portal as `advocate` of `brand` (default the collector's), through a fresh link. */
export async function inPortal(c: TestCollector, advocate: number, brand?: TestBrand): Promise<DashboardClient> {
  const { client, res } = await enterPortal(c, (await portalLink(c, advocate, { brand })).path);
  assert.equal(res.status, 303, res.text.slice(0, 300));
  return client;
}
