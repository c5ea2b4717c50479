// The dashboard in Chromium: a user signed in through a real printed sign-in link, the axe-core accessibility
// check of a page as it stands, and screenshots saved outside git (test-results/, ignored).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DashboardRole } from '../../collector/src/db/dashboardUsers.ts';
import type { Db } from '../../collector/src/db/open.ts';
import { asConn } from '../../collector/src/db/sqlite/conn.ts';
import { createQueries } from '../../collector/src/db/queries.ts';
import { createDashboardUser, loginUrl } from '../../collector/src/services/dashboardUsers.ts';
import { zCreateDashboardUser } from '../../collector/src/schemas/dashboard.ts';
import { openPage, type WatchedPage } from './browser.ts';

/** What a dashboard helper needs of a running stack (e2e/support/stack.ts's Stack has it). */
export interface DashboardStack {
  collectorUrl: string;
  db: Db;
  brand: { brand_id: string };
}

let made = 0;

/**
 * A new dashboard user of `brandId` (default the stack's brand) and the sign-in link `referloop user create`
 * would print for it (same use case, one transaction on the collector's own connection).
 */
export async function createUserLink(stack: DashboardStack, opts: { role?: DashboardRole; email?: string; brandId?: string } = {}):
  Promise<{ email: string; role: DashboardRole; userId: number; link: string }> {
  const q = createQueries(stack.db);
  const brand = await q.brands.getBrand(opts.brandId ?? stack.brand.brand_id);
  if (!brand) throw new Error(`no brand ${opts.brandId ?? stack.brand.brand_id}`);
  const input = zCreateDashboardUser.parse({ email: opts.email ?? `e2e-user${++made}@owner.example`, role: opts.role ?? 'owner' });
  const { user, token } = await asConn(stack.db).transaction(async () => createDashboardUser({ q, brand, now: new Date() }, input));
  return { email: user.email, role: user.role, userId: user.user_id, link: loginUrl(stack.collectorUrl, token) };
}

/** Opens a sign-in link and presses its Sign in button; the page ends on `next` (default the overview). */
export async function signInWithLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/dashboard') && !url.pathname.startsWith('/dashboard/sign-in'));
}

export interface SignedInUser extends WatchedPage {
  context: BrowserContext;
  email: string;
  role: DashboardRole;
  userId: number;
  /** the link used (it no longer works) */
  link: string;
}

/** A fresh browser context with a new user of the brand signed in through their link (closed by `t.after`). */
export async function signedInPage(
  browser: Browser, stack: DashboardStack, opts: { role?: DashboardRole; email?: string; brandId?: string; viewport?: { width: number; height: number } } = {},
): Promise<SignedInUser> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
  const user = await createUserLink(stack, opts);
  const watched = await openPage(context);
  await signInWithLink(watched.page, user.link);
  return { ...watched, context, ...user };
}

const AXE_SOURCE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> }

/**
 * axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the page as it stands; fails on any violation,
 * listing each rule and the elements. The script is evaluated through the DevTools protocol, which the page's
 * strict CSP does not govern, so the page under test keeps its real CSP (no bypassCSP context, no script tag).
 */
export async function checkA11y(page: Page, what = page.url()): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const lines = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`);
  assert.deepEqual(lines, [], `accessibility violations on ${what}:\n${lines.join('\n')}`);
}

/** Where screenshots go: $REFERLOOP_SCREENSHOTS, else test-results/screenshots (ignored by git). */
export const SCREENSHOT_DIR = process.env.REFERLOOP_SCREENSHOTS
  ?? fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** A PNG of the page (the whole page unless `fullPage: false`: the viewport), as `<name>.png` in SCREENSHOT_DIR; answers its path. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9_.-]/g, '-')}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true });
  return path;
}
