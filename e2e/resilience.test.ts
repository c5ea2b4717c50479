// The store keeps working when the collector is down, slow or failing, and when the browser blocks cookies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { callAl, openPage, waitFor } from './support/browser.ts';
import { useSuite } from './support/suite.ts';
import { bannerTitle, checkout, pay, rows } from './support/storefront.ts';

const suite = useSuite();

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shop's own content is there and its buttons work. */
async function assertShopUsable(page: Page, storeUrl: string): Promise<void> {
  await page.getByRole('heading', { name: 'Everyday essentials, made to last' }).waitFor({ timeout: 2000 });
  assert.equal(await page.locator('.product-card').count(), 4);
  await page.getByRole('link', { name: /Canvas Tote/ }).click();
  await page.getByRole('button', { name: 'Add to cart' }).click({ timeout: 2000 });
  await page.waitForURL(`${storeUrl}/cart`, { timeout: 2000, waitUntil: 'domcontentloaded' });
  assert.ok(await page.getByRole('button', { name: 'Continue to payment' }).isEnabled());
}

test('collector down (closed port): the shop works end to end and says tracking is unavailable', async (t) => {
  const store = await suite.stack.startStoreWithCollectorDown();
  t.after(() => store.close());
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  // A code stored by an earlier visit: the store's backend will try to claim it and find the collector gone.
  await context.addCookies([{ name: 'al_code', value: 'DEMO10', url: store.url }]);
  const { page, pageErrors } = await openPage(context);

  await page.goto(`${store.url}/?ref=DEMO10`);
  await assertShopUsable(page, store.url);
  const orderId = await checkout(page, 'offline@example.com');
  assert.match(await page.locator('.notice').innerText(), /couldn't confirm your referral discount/);
  await pay(page);
  await page.getByRole('heading', { name: /Thank you/ }).waitFor();
  // The owner's side (the store's back office, not the customer's order page) says so and offers to resend.
  assert.equal(await page.locator('.owner-panel').count(), 0, 'the customer sees no store owner view');
  await page.goto(`${store.url}/admin/orders/${orderId}`);
  assert.match(await page.locator('.owner-panel').innerText(), /Referral tracking is unavailable/);
  assert.ok(await page.getByRole('button', { name: 'Send to Referloop again' }).isEnabled());
  assert.deepEqual(pageErrors, []);
});

test('collector slow: the page renders and is usable before the tracker answers, and the banner follows', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  // Every collector request (al.js and the API) is held until the page has been checked, and at least 1 s.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(`${suite.stack.collectorUrl}/**`, async (route) => {
    await Promise.all([released, delay(1000)]);
    try {
      await route.continue();
    } catch {
      // the page moved on while the request was held
    }
  });
  const { page, pageErrors } = await openPage(context);

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('heading', { name: 'Everyday essentials, made to last' }).waitFor({ timeout: 2000 });
  assert.equal(await page.locator('.product-card').count(), 4);
  assert.ok(await page.getByRole('link', { name: /Canvas Tote/ }).isVisible());
  assert.ok(await page.locator('[data-referral-banner]').isHidden(), 'the content is there before the tracker has answered');
  release();
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');

  await assertShopUsable(page, suite.stack.storeUrl);
  assert.deepEqual(pageErrors, []);
});

test('collector answering 500: no uncaught error, and the page keeps the link\'s code', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  await context.route(`${suite.stack.collectorUrl}/api/v1/**`, (route) => route.fulfill({
    status: 500,
    contentType: 'application/json',
    headers: { 'Access-Control-Allow-Origin': suite.stack.storeUrl, 'Access-Control-Allow-Credentials': 'true' },
    body: JSON.stringify({ success: false, error: 'Internal server error', code: 'internal_error' }),
  }));
  const { page, pageErrors } = await openPage(context);

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  assert.equal(await bannerTitle(page), 'Referral discount applied at checkout');
  assert.ok(!(await context.cookies()).some((c) => c.name === 'al_code'), 'an unvalidated code is not stored');
  await assertShopUsable(page, suite.stack.storeUrl);
  assert.deepEqual(pageErrors, []);
});

test('cookies blocked (document.cookie throws): no uncaught error, al("code") still answers the link\'s code', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  // A string, not a function: the test's TypeScript transform would add helpers the page does not have.
  await context.addInitScript({
    content: `(() => {
      const blocked = () => { throw new DOMException('Access is denied for this document.', 'SecurityError'); };
      Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: blocked, set: blocked });
    })();`,
  });
  const { page, pageErrors } = await openPage(context);

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  await assertShopUsable(page, suite.stack.storeUrl);
  assert.deepEqual(pageErrors, []);
});

test('cookies disabled by the suite.browser (writes ignored): the visit is still reported and al("code") answers', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors } = await openPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
  const before = rows.visits(suite.stack.db, suite.stack.brand.brand_id).length;

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  assert.equal(await page.evaluate(() => document.cookie), '');
  await waitFor(() => rows.visits(suite.stack.db, suite.stack.brand.brand_id).length === before + 1, 'the visit row');
  assert.deepEqual(pageErrors, []);
});
