// The demo loop, then every dashboard page: a referred visit, a claim and a paid order in the demo store, a partial
// refund recorded by the owner from the conversion's page, then each page opened by the owner (axe-checked) and
// saved as a 1280x800 screenshot (test-results/screenshots/tour-*.png, not committed). The README's few, under docs/,
// come from this run: REFERLOOP_DOCS_SCREENSHOTS=1 node scripts/run-tests.mjs e2e/dashboard-tour.test.ts
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openPage, waitFor } from './support/browser.ts';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';
import { addToCart, bannerTitle, checkout, pay } from './support/storefront.ts';

const suite = useSuite();

/** The pages whose screenshots the README shows (docs/dashboard-<name>.png). */
const DOCS = new Set(['overview', 'conversion', 'commissions', 'advocate']);
const DOCS_DIR = fileURLToPath(new URL('../docs/', import.meta.url));

test('after the demo loop, every dashboard page renders, passes axe, and is saved as a screenshot', async (t) => {
  const shopper = await suite.browser.newContext();
  t.after(() => shopper.close());
  const { page } = await openPage(shopper);
  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');
  await addToCart(page, suite.stack.storeUrl, 'classic-tee');
  await waitFor(() => page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');
  const orderId = await checkout(page, 'tour-buyer@example.com', 'Robin Tour');
  await pay(page);

  const owner = await signedInPage(suite.browser, suite.stack, { email: 'owner@loop-and-thread.example' });
  t.after(() => owner.context.close());
  const base = suite.stack.collectorUrl;
  const o = owner.page;
  // The owner's way in: the store's back office links to the conversion; a partial refund is recorded there.
  await o.goto(`${suite.stack.storeUrl}/admin/orders/${orderId}`);
  await o.getByRole('link', { name: 'See its referral in the Referloop dashboard' }).click();
  await o.waitForURL(/\/dashboard\/conversions\/\d+$/);
  const conversionPath = new URL(o.url()).pathname;
  await o.locator('input[name="refund_amount"]').fill('5');
  await o.locator('input[name="refund_reason"]').fill('One tee came back');
  o.once('dialog', (d) => void d.accept());
  await o.getByRole('button', { name: 'Record refund' }).click();
  await o.getByRole('table', { name: 'Refunds, oldest first' }).getByText('One tee came back').waitFor();

  // The overview shows the loop's figures, equal to what the API answers for the same brand.
  const api = async (path: string) => {
    const r = await fetch(`${base}/api/v1/${path}`, { headers: { 'X-API-Key': suite.stack.brand.secret_key, 'X-Brand-ID': suite.stack.brand.brand_id } });
    assert.equal(r.status, 200, path);
    return ((await r.json()) as { data: Record<string, Array<Record<string, number>>> }).data;
  };
  const visits = (await api('visits?limit=100')).visits!;
  const claims = (await api('claims?limit=100')).claims!;
  const conversions = (await api('conversions?limit=100&attributed=true')).conversions!;
  assert.deepEqual([visits.length, claims.length, conversions.length], [1, 1, 1], 'the loop: one visit, one claim, one order');
  const sum = (key: string) => conversions.reduce((n, c) => n + c[key]!, 0);
  assert.equal(sum('refunded'), 5);
  assert.equal(sum('paid'), sum('order_value'), 'paid in full, so net revenue is order value less refunds');
  await o.goto(`${base}/dashboard`);
  const figure = async (label: string) => (await o.locator('ul.figures li')
    .filter({ has: o.locator('span.label', { hasText: new RegExp(`^${label}$`) }) }).first().locator('span.value').textContent())?.trim();
  const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
  assert.equal(await figure('Clicks'), String(visits.length));
  assert.equal(await figure('Claims'), String(claims.length));
  assert.equal(await figure('Conversions'), String(conversions.length));
  assert.equal(await figure('Revenue before refunds'), usd(sum('order_value')));
  assert.equal(await figure('Refunded'), usd(sum('refunded')));
  assert.equal(await figure('Revenue, net of refunds'), usd(Math.round((sum('order_value') - sum('refunded')) * 100) / 100));

  const commissionId = suite.stack.db.prepare('SELECT id FROM rewards WHERE brand_id = ? ORDER BY id DESC LIMIT 1').pluck().get(suite.stack.brand.brand_id) as number;
  const pages: Array<[name: string, path: string]> = [
    ['overview', '/dashboard'],
    ['advocates', '/dashboard/advocates'],
    ['advocate', `/dashboard/advocates/${suite.stack.sarah.id}`],
    ['conversions', '/dashboard/conversions'],
    ['conversion', conversionPath],
    ['commissions', '/dashboard/commissions'],
    ['commission', `/dashboard/commissions/${commissionId}`],
    ['payouts', '/dashboard/payouts'],
    ['settings', '/dashboard/settings'],
    ['settings-keys', '/dashboard/settings/keys'],
    ['settings-embed', '/dashboard/settings/embed'],
    ['users', '/dashboard/users'],
    ['account', '/dashboard/account'],
  ];
  for (const [name, path] of pages) {
    const res = await o.goto(base + path);
    assert.equal(res?.status(), 200, path);
    await o.waitForLoadState('networkidle');
    await checkA11y(o, path);
    const file = await screenshot(o, `tour-${name}`, { fullPage: false });
    t.diagnostic(`${path}: ${file}`);
    if (process.env.REFERLOOP_DOCS_SCREENSHOTS === '1' && DOCS.has(name)) copyFileSync(file, `${DOCS_DIR}dashboard-${name}.png`);
  }
  assert.deepEqual([owner.pageErrors, owner.consoleErrors], [[], []]);
});
