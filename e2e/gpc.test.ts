// Global Privacy Control in Chromium: with data-respect-gpc, a browser whose navigator.globalPrivacyControl is true is a
// visitor who did not consent (nothing stored, nothing sent, the code in memory for the page), also in consent mode;
// with GPC off the tracker works as before; and a brand that respects GPC drops a visit sent with Sec-GPC: 1.
// Chromium has no GPC switch of its own: the context sets both signals (the navigator property and the header). The
// demo store's pages carry data-respect-gpc with ?gpc=respect (and consent mode with ?consent=required).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { callAl, openPage, waitFor } from './support/browser.ts';
import { useSuite } from './support/suite.ts';
import { rows } from './support/storefront.ts';

const suite = useSuite();

async function withGpc(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });" });
  await context.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
}

/** Nothing on the device, nothing sent, no visit row: what "no consent" means. */
async function assertNothingKept(context: BrowserContext, page: Page, requests: string[], visitsBefore: number): Promise<void> {
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await context.cookies(), []);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('al_landing')), null);
  assert.deepEqual(requests.filter((r) => r.includes('/api/v1/')), []);
  assert.equal(rows.visits(suite.stack.db, suite.stack.brand.brand_id).length, visitsBefore);
}

const visitCount = () => rows.visits(suite.stack.db, suite.stack.brand.brand_id).length;

test('GPC on with data-respect-gpc: the code stays in memory for the page, nothing is stored or reported', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  await withGpc(context);
  const { page, pageErrors, requests } = await openPage(context);
  const before = visitCount();

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10&gpc=respect`);
  assert.equal(await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl), true);
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  assert.equal(await callAl(page, 'visitorId'), null);
  await assertNothingKept(context, page, requests, before);
  // Another page of the site: nothing was remembered.
  await page.goto(`${suite.stack.storeUrl}/?gpc=respect`);
  assert.equal(await callAl(page, 'code'), null);
  await assertNothingKept(context, page, requests, before);
  assert.deepEqual(pageErrors, []);
});

test('GPC on with data-respect-gpc and consent mode: al("consent", true) does not override GPC', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  await withGpc(context);
  const { page, pageErrors, requests } = await openPage(context);
  const before = visitCount();

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10&gpc=respect&consent=required`);
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  assert.deepEqual(await callAl(page, 'consent', true), undefined);
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  await assertNothingKept(context, page, requests, before);
  assert.deepEqual(pageErrors, []);
});

test('GPC off with data-respect-gpc (consent mode too): the tracker stores and reports as before', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors, requests } = await openPage(context);
  const before = visitCount();

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10&gpc=respect&consent=required`);
  assert.equal(await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl ?? null), null);
  // Consent mode still waits for consent.
  await assertNothingKept(context, page, requests, before);
  await callAl(page, 'consent', true);
  const visitorId = await waitFor(async () => (await context.cookies()).find((c) => c.name === 'al_vid')?.value, 'the al_vid cookie');
  assert.equal(await callAl(page, 'visitorId'), visitorId);
  assert.deepEqual(rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId).map((v) => v.code), ['DEMO10']);
  assert.ok((await context.cookies()).some((c) => c.name === 'al_code' && c.value === 'DEMO10'));
  assert.deepEqual(pageErrors, []);
});

test('GPC on without data-respect-gpc: a brand that respects GPC drops the visit (Sec-GPC: 1), the device keeps nothing', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { collectorUrl, brand } = suite.stack;
  const setRespect = (on: boolean) => fetch(`${collectorUrl}/api/v1/settings`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': brand.secret_key, 'X-Brand-ID': brand.brand_id },
    body: JSON.stringify({ respect_gpc: on }),
  });
  assert.equal((await setRespect(true)).status, 200);
  t.after(async () => { await setRespect(false); });
  await withGpc(context);
  const { page, pageErrors, requests } = await openPage(context);
  const before = visitCount();

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  // The tracker asked (it does not look at GPC without the attribute); the collector answered "store nothing".
  await waitFor(() => requests.some((r) => r.includes('/api/v1/track/visit')), 'the visit request');
  assert.equal(await callAl(page, 'visitorId'), null);
  await page.waitForLoadState('networkidle');
  assert.equal(visitCount(), before);
  assert.deepEqual((await context.cookies()).map((c) => c.name), []);
  assert.deepEqual(pageErrors, []);
});
