// The tracker's promises to a page, checked in the demo store: strict CSP, consent mode, the queue snippet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy } from '../demo-site/server.ts';
import { callAl, openPage, waitFor } from './support/browser.ts';
import { useSuite } from './support/suite.ts';
import { bannerTitle, rows } from './support/storefront.ts';

const suite = useSuite();

const cookieNames = async (context: import('playwright-core').BrowserContext) => (await context.cookies()).map((c) => c.name).sort();

test('under the strict CSP the visit is recorded with no violation', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  await context.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
      });`,
  });
  const { page, pageErrors, consoleErrors } = await openPage(context);

  const response = await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  const policy = response?.headers()['content-security-policy'] ?? '';
  assert.equal(policy, contentSecurityPolicy(suite.stack.collectorUrl));
  assert.match(policy, new RegExp(`script-src 'self' ${suite.stack.collectorUrl}; connect-src ${suite.stack.collectorUrl}; style-src 'self'`));
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');
  const visitorId = await waitFor(async () => (await context.cookies()).find((c) => c.name === 'al_vid')?.value, 'the al_vid cookie');
  await waitFor(() => rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId).length === 1, 'the visit row');

  // The other pages with the tracker, including the checkout form it fills.
  await page.goto(`${suite.stack.storeUrl}/products/classic-tee`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL(`${suite.stack.storeUrl}/cart`);
  await waitFor(() => page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');

  assert.deepEqual(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), []);
  assert.deepEqual(consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(pageErrors, []);
});

test('consent mode: nothing is stored or sent until al("consent", true)', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors, requests } = await openPage(context);
  const visitsBefore = rows.visits(suite.stack.db, suite.stack.brand.brand_id).length;

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10&consent=required`);
  // Answered by al.js itself (through the page's stub), so the tracker has run by now.
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await cookieNames(context), []);
  assert.deepEqual(requests.filter((r) => r.includes('/api/v1/')), []);
  assert.equal(rows.visits(suite.stack.db, suite.stack.brand.brand_id).length, visitsBefore);
  assert.ok(await page.locator('[data-consent-bar]').isVisible());

  // The visitor accepts: the store's script calls al('consent', true).
  await page.getByRole('button', { name: 'Accept' }).click();
  await waitFor(async () => (await page.locator('[data-referral-title]').textContent()) === 'Sarah gave you 10% off',
    'the banner to name Sarah once the visit is reported');
  const names = await waitFor(async () => {
    const n = await cookieNames(context);
    return n.includes('al_vid') && n.includes('al_code') && n;
  }, 'the al_vid and al_code cookies');
  assert.deepEqual(names, ['al_code', 'al_vid']);
  const visitorId = (await context.cookies()).find((c) => c.name === 'al_vid')!.value;
  const visits = await waitFor(() => rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId).length && rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId), 'the visit row');
  assert.equal(visits[0]!.code, 'DEMO10');
  assert.ok(await page.locator('[data-consent-bar]').isHidden());
  assert.deepEqual(pageErrors, []);
});

test('a call queued through the stub before al.js arrives is answered', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(`${suite.stack.collectorUrl}/al.js`, async (route) => {
    await released;
    await route.continue();
  });
  const { page, pageErrors } = await openPage(context);

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`, { waitUntil: 'domcontentloaded' });
  const queued = await page.evaluate(() => {
    const w = window as unknown as { al: ((name: string) => Promise<unknown>) & { q?: unknown[] }; __code?: Promise<unknown> };
    w.__code = w.al('code');
    return w.al.q?.length ?? -1;
  });
  // store.js's own al('ready', ...) and this al('code') wait in the stub's queue.
  assert.equal(queued, 2);
  release();
  assert.equal(await page.evaluate(() => (window as unknown as { __code: Promise<unknown> }).__code), 'DEMO10');
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');
  assert.deepEqual(pageErrors, []);
});
