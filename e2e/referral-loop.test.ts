// The whole referral loop through the demo store: landing, claim at checkout, paid conversion, refund.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { callAl, openPage, waitFor } from './support/browser.ts';
import { signedInPage } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';
import { addToCart, bannerTitle, checkout, fact, pay, refereeWidgetText, rows } from './support/storefront.ts';

const suite = useSuite();

/**
 * The store owner's view of an order: the store's back office, then its link to the conversion in the Referloop
 * dashboard (signed in as the brand's owner). Answers the dashboard's facts: the order's status, the code, and its
 * level-1 commission (advocate, status, amount).
 */
async function ownerSees(owner: Page, orderId: string) {
  await owner.goto(`${suite.stack.storeUrl}/admin/orders/${orderId}`);
  await owner.getByRole('link', { name: 'See its referral in the Referloop dashboard' }).click();
  await owner.waitForURL(/\/dashboard\/conversions\/\d+$/);
  await owner.getByRole('heading', { name: `Conversion ${orderId}` }).waitFor();
  const cells = await owner.getByRole('table', { name: 'Commissions per level' }).locator('tbody tr').first().locator('td').allInnerTexts();
  return {
    status: (await owner.locator('.card .status').first().innerText()).trim(),
    attribution: await owner.locator('section[aria-labelledby="attribution-h"]').innerText(),
    commission: { level: cells[0], advocate: cells[1], status: cells[2]?.split('\n')[0]?.trim(), amount: cells[4] },
  };
}

/** What the site owner sees through the management API (secret key). */
async function ownerView(path: string): Promise<any> {
  const res = await fetch(`${suite.stack.collectorUrl}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${suite.stack.brand.secret_key}` },
  });
  assert.equal(res.status, 200, path);
  return ((await res.json()) as { data: unknown }).data;
}

test('a referred visitor buys, the order is attributed to the advocate, and a refund reverses the reward', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors, requests } = await openPage(context);

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');

  const visitorId = await waitFor(async () => (await context.cookies()).find((c) => c.name === 'al_vid')?.value, 'the al_vid cookie');
  const visits = await waitFor(() => rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId).length && rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId), 'the visit row');
  assert.equal(visits.length, 1);
  assert.equal(visits[0]!.code, 'DEMO10');
  assert.equal(visits[0]!.advocate_id, suite.stack.sarah.id);
  assert.equal(visits[0]!.landing_page, `${suite.stack.storeUrl}/?ref=DEMO10`);
  await page.waitForLoadState('networkidle');
  const toCollector = requests.filter((r) => r.includes(suite.stack.collectorUrl));
  t.diagnostic(`requests to the collector on a referral landing: ${toCollector.length} (${toCollector.join(', ')})`);
  assert.deepEqual(toCollector, [`GET ${suite.stack.collectorUrl}/al.js`, `POST ${suite.stack.collectorUrl}/api/v1/track/visit`]);

  // Later pages remember the code: on a product page the widget (in the banner's place) names Sarah and the offer.
  await page.getByRole('link', { name: /Canvas Tote/ }).click();
  assert.equal(await page.locator('[data-referral-banner]').count(), 0, 'the widget, not the banner, on a product page');
  assert.match(await refereeWidgetText(page), /^Sarah sent you 10% off/);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL(`${suite.stack.storeUrl}/cart`);
  await addToCart(page, suite.stack.storeUrl, 'classic-tee');
  await waitFor(() => page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');
  assert.equal(await page.inputValue('input[name="referral_code"]'), 'DEMO10');
  assert.equal(await page.inputValue('input[name="visitor_id"]'), visitorId);

  const orderId = await checkout(page, 'buyer@example.com', 'Jane Doe');
  assert.match(await page.locator('.totals').innerText(), /Referral discount \(DEMO10\)\s+−\$5\.70/);
  assert.match(await page.locator('.grand-total').innerText(), /\$51\.30/);
  const [claim] = rows.claimsOf(suite.stack.db, suite.stack.brand.brand_id, 'buyer@example.com');
  assert.equal(claim?.code, 'DEMO10');
  assert.equal(claim?.status, 'pending');

  await pay(page);
  assert.equal(await page.locator('.owner-panel, [data-fact]').count(), 0, 'the customer\'s order page shows no store owner view');
  // The owner sees the code and the pending reward in the dashboard, through the back office's link.
  const owner = await signedInPage(suite.browser, suite.stack);
  t.after(() => owner.context.close());
  const seen = await ownerSees(owner.page, orderId);
  assert.match(seen.attribution, /DEMO10/);
  assert.deepEqual([seen.status, seen.commission], ['completed', { level: '1', advocate: 'Sarah Jones', status: 'pending', amount: '$5.13' }]);
  const conversion = rows.conversion(suite.stack.db, suite.stack.brand.brand_id, orderId);
  assert.equal(conversion?.advocate_id, suite.stack.sarah.id);
  assert.equal(conversion?.code, 'DEMO10');
  assert.equal(conversion?.order_value_cents, 5130);
  assert.equal(conversion?.claim_id, claim.id);
  assert.equal(conversion?.status, 'completed');
  const reward = rows.rewardOf(suite.stack.db, suite.stack.brand.brand_id, conversion.id);
  assert.equal(reward?.status, 'pending');
  assert.equal(reward?.amount, 513);
  assert.equal(reward?.advocate_id, suite.stack.sarah.id);

  // The site owner's view: the click from the browser, the conversion, the pending commission.
  const sarahBefore = (await ownerView(`/advocates/${suite.stack.sarah.id}`)).advocate;
  const stats = await ownerView('/referrals/DEMO10/stats');
  const [commission] = (await ownerView(`/commissions?advocate_id=${suite.stack.sarah.id}`)).commissions;
  assert.ok(sarahBefore.click_count >= 1 && stats.clicks === sarahBefore.click_count);
  assert.deepEqual([sarahBefore.conversion_count, sarahBefore.pending_earnings, stats.conversions, stats.revenue],
    [1, 5.13, 1, 51.3]);
  assert.deepEqual([commission.order_id, commission.status, commission.amount], [orderId, 'pending', 5.13]);

  // The owner refunds it from the store's back office; the customer's page says refunded, the dashboard reversed.
  await owner.page.goto(`${suite.stack.storeUrl}/admin/orders/${orderId}`);
  await owner.page.getByRole('button', { name: /Refund order/ }).click();
  await owner.page.waitForURL(`${suite.stack.storeUrl}/admin/orders/${orderId}`);
  assert.equal(await fact(owner.page, 'order-status'), 'Refunded');
  await page.reload();
  await page.getByRole('heading', { name: 'Order refunded' }).waitFor();
  const refunded = await ownerSees(owner.page, orderId);
  assert.deepEqual([refunded.status, refunded.commission.status, refunded.commission.amount], ['refunded', 'reversed', '$0.00']);
  assert.equal(rows.conversion(suite.stack.db, suite.stack.brand.brand_id, orderId)?.status, 'refunded');
  assert.equal(rows.rewardOf(suite.stack.db, suite.stack.brand.brand_id, conversion.id)?.status, 'reversed');
  const sarahAfter = (await ownerView(`/advocates/${suite.stack.sarah.id}`)).advocate;
  assert.deepEqual([sarahAfter.pending_earnings, sarahAfter.total_earnings], [0, 0]);
  assert.equal((await ownerView(`/commissions/${commission.id}`)).commission.status, 'reversed');
  assert.equal((await ownerView('/referrals/DEMO10/stats')).revenue, 0, 'revenue is net of the refund');

  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
});

test('first touch: a second referral link keeps the first code', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');
  const visitorId = await waitFor(async () => (await context.cookies()).find((c) => c.name === 'al_vid')?.value, 'the al_vid cookie');

  await page.goto(`${suite.stack.storeUrl}/?ref=MIKE20`);
  // The collector answers with the advocate the device stays attributed to.
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');
  assert.equal(await callAl(page, 'code'), 'DEMO10');
  const visits = await waitFor(() => {
    const v = rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, visitorId);
    return v.length === 2 && v;
  }, 'two visit rows');
  assert.deepEqual(visits.map((v) => [v.code, v.advocate_id]), [['DEMO10', suite.stack.sarah.id], ['MIKE20', suite.stack.sarah.id]]);
  assert.equal((await context.cookies()).find((c) => c.name === 'al_code')?.value, 'DEMO10');

  await addToCart(page, suite.stack.storeUrl, 'stoneware-mug');
  await waitFor(() => page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');
  assert.equal(await page.inputValue('input[name="referral_code"]'), 'DEMO10');
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
});

test('a purchase on a second device with only the email is attributed through the claim made on the first', async (t) => {
  const email = 'two-devices@example.com';
  const phone = await suite.browser.newContext();
  t.after(() => phone.close());
  const first = await openPage(phone);
  await first.page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await bannerTitle(first.page), 'Sarah gave you 10% off');
  await addToCart(first.page, suite.stack.storeUrl, 'merino-beanie');
  await waitFor(() => first.page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');
  await checkout(first.page, email, 'Sam Lee');
  const [claim] = rows.claimsOf(suite.stack.db, suite.stack.brand.brand_id, email);
  assert.equal(claim?.status, 'pending');
  await phone.close();

  const laptop = await suite.browser.newContext();
  t.after(() => laptop.close());
  const second = await openPage(laptop);
  await addToCart(second.page, suite.stack.storeUrl, 'merino-beanie');
  assert.equal(await second.page.inputValue('input[name="referral_code"]'), '');
  const orderId = await checkout(second.page, email.toUpperCase(), 'Sam Lee');
  await pay(second.page);
  const owner = await signedInPage(suite.browser, suite.stack);
  t.after(() => owner.context.close());
  const seen = await ownerSees(owner.page, orderId);
  assert.match(seen.attribution, /DEMO10/);
  assert.deepEqual([seen.commission.advocate, seen.commission.status], ['Sarah Jones', 'pending']);

  const conversion = rows.conversion(suite.stack.db, suite.stack.brand.brand_id, orderId);
  assert.equal(conversion?.attribution, 'email');
  assert.equal(conversion?.advocate_id, suite.stack.sarah.id);
  assert.equal(conversion?.claim_id, claim.id);
  assert.equal(rows.claimsOf(suite.stack.db, suite.stack.brand.brand_id, email)[0]?.conversion_id, conversion.id);
  assert.deepEqual([...first.pageErrors, ...second.pageErrors], []);
});
