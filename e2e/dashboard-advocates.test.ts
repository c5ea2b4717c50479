// The advocates and conversions pages in Chromium: create an advocate, block and unblock it, add a code, award
// points (and a refusal beside its field); a conversion's page explains its attribution and lists its products;
// record a partial refund; the accessibility check and a screenshot of each page, also at 375 px wide.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { api as callApi, useSuite } from './support/suite.ts';

const suite = useSuite();

const api = (method: string, path: string, body?: unknown) => callApi(suite, method, path, body);

async function ownerPage(t: { after(fn: () => unknown): void }, viewport?: { width: number; height: number }) {
  const user = await signedInPage(suite.browser, suite.stack, viewport ? { viewport } : {});
  t.after(() => user.context.close());
  return user;
}

/** The notice a form's redirect left (role=status). */
const notice = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

/** Nothing on the page is wider than the screen (tables scroll inside their .table-wrap). */
async function fitsWidth(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll} px wide at ${width}`);
}

test('create an advocate, block and unblock it, add a code, award points', async (t) => {
  const { page, pageErrors } = await ownerPage(t);
  const base = suite.stack.collectorUrl;
  await page.goto(`${base}/dashboard/advocates`);
  await page.getByRole('table', { name: 'Advocates, newest first' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'advocates');

  await page.getByRole('searchbox', { name: 'Search' }).fill(suite.stack.sarah.name.split(' ')[0]!.toLowerCase());
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: suite.stack.sarah.name }).waitFor();

  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.getByRole('link', { name: 'New advocate' }).click();
  await checkA11y(page, 'the new advocate form');
  await screenshot(page, 'advocate-new');
  await page.getByLabel('Name').fill('Erin Endtoend');
  await page.getByLabel('Email').fill('erin@e2e.example');
  await page.getByLabel('Referral code').fill('ERIN-E2E');
  await page.getByLabel('Payment method').selectOption('paypal');
  await page.getByLabel('Payment details').fill('erin@paypal.example');
  await page.getByRole('button', { name: 'Create advocate' }).click();
  await page.getByRole('heading', { level: 1, name: 'Erin Endtoend' }).waitFor();
  await notice(page, 'Advocate Erin Endtoend created with the code ERIN-E2E');
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  assert.equal((await api('GET', `/advocates/${id}`)).body.data.advocate.payment_details, 'erin@paypal.example');
  await checkA11y(page, 'an advocate\'s page');
  await screenshot(page, 'advocate');

  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /Block Erin Endtoend\?/);
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Block' }).click();
  await notice(page, 'Erin Endtoend is blocked');
  assert.equal((await api('GET', `/advocates/${id}`)).body.data.advocate.status, 'blocked');
  await page.getByRole('button', { name: 'Unblock' }).click();
  await notice(page, 'Erin Endtoend is active');
  assert.equal((await api('GET', `/advocates/${id}`)).body.data.advocate.status, 'active');

  await page.getByLabel('New code').fill('erin-two');
  await page.getByRole('button', { name: 'Add code' }).click();
  await notice(page, 'Code ERIN-TWO added');
  await page.getByRole('table', { name: /Referral codes/ }).getByRole('row').filter({ hasText: 'ERIN-TWO' }).waitFor();
  await page.getByRole('button', { name: 'Deactivate ERIN-TWO' }).click();
  await notice(page, 'Code ERIN-TWO is inactive');
  assert.equal((await api('GET', '/referrals/ERIN-TWO')).body.data.referral.status, 'inactive');

  await page.getByRole('spinbutton', { name: 'Points' }).fill('75');
  await page.getByLabel('Reason').fill('e2e welcome');
  await page.getByRole('button', { name: 'Record points' }).click();
  await notice(page, '75 points added; balance 75');
  await page.getByRole('row').filter({ hasText: 'e2e welcome' }).waitFor();
  assert.equal((await api('GET', `/advocates/${id}/points`)).body.data.balance, 75);

  // A refusal: the API's message beside its field, nothing written.
  await page.getByLabel('Change').selectOption('deduct');
  await page.getByRole('spinbutton', { name: 'Points' }).fill('500');
  await page.getByRole('button', { name: 'Record points' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('spinbutton', { name: 'Points' }).getAttribute('aria-invalid'), 'true');
  assert.match((await page.locator('#f-amount-error').textContent())!, /exceeds the balance of 75 points/);
  assert.equal((await api('GET', `/advocates/${id}/points`)).body.data.balance, 75);
  await checkA11y(page, 'a refused points form');
  assert.deepEqual(pageErrors, []);
});

test('a conversion\'s page explains its attribution and lists its products; record a partial refund', async (t) => {
  const { page, pageErrors } = await ownerPage(t);
  const base = suite.stack.collectorUrl;
  const code = suite.stack.sarah.code;
  const made = await api('POST', '/track/conversion', {
    email: 'e2e-buyer@shop.example', order_id: 'E2E-ADV-1', order_value: 74.98, referral_code: code,
    products: [{ name: 'Classic T-Shirt', price: 29.99, quantity: 2 }, { name: 'Canvas Tote', price: 15, quantity: 1 }],
  });
  assert.equal(made.status, 201);
  const id = made.body.data.conversion_id as number;

  await page.goto(`${base}/dashboard/conversions`);
  await page.getByRole('table', { name: 'Conversions, newest first' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'conversions');
  await page.getByLabel('Attribution').selectOption('true');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: 'E2E-ADV-1' }).click();
  await page.getByRole('heading', { level: 1, name: 'Conversion E2E-ADV-1' }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/dashboard/conversions/${id}`);

  const story = (await page.locator('section[aria-labelledby="attribution-h"]').textContent())!.replace(/\s+/g, ' ');
  assert.match(story, new RegExp(`referral code: the referral code ${code} was given with the order \\(referral_code\\); it is advocate ${suite.stack.sarah.name}'s`));
  const products = page.getByRole('table', { name: /Products/ });
  assert.match((await products.getByRole('row').filter({ hasText: 'Classic T-Shirt' }).textContent())!.replace(/\s+/g, ' '), /\$29\.99\s*2\s*\$59\.98/);
  assert.match((await products.getByRole('row').filter({ hasText: 'Products total' }).textContent())!, /\$74\.98/);
  await checkA11y(page, 'a conversion\'s page');
  await screenshot(page, 'conversion');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByLabel(/Amount refunded now/).fill('24.98');
  await page.getByLabel('Reason').fill('tote returned, damaged');
  await page.getByRole('button', { name: 'Record refund' }).click();
  await notice(page, 'Refund recorded: $24.98 refunded in all (partial refund)');
  await page.getByRole('table', { name: 'Refunds, oldest first' }).getByRole('row').filter({ hasText: 'tote returned, damaged' }).waitFor();
  const conversion = (await api('GET', `/conversions/${id}`)).body.data.conversion;
  assert.deepEqual([conversion.refunded, conversion.status], [24.98, 'partial_refund']);
  const commission = page.getByRole('table', { name: 'Commissions per level' }).getByRole('row').filter({ hasText: suite.stack.sarah.name });
  assert.match((await commission.textContent())!.replace(/\s+/g, ' '), new RegExp(`\\$${conversion.rewards[0].amount.toFixed(2)}`));
  await checkA11y(page, 'a conversion\'s page after a refund');
  assert.deepEqual(pageErrors, []);
});

test('the advocate and conversion pages at 375 px wide', async (t) => {
  const { page } = await ownerPage(t, { width: 375, height: 800 });
  const base = suite.stack.collectorUrl;
  await page.goto(`${base}/dashboard/advocates`);
  await fitsWidth(page);
  await screenshot(page, 'advocates-375');
  await page.goto(`${base}/dashboard/advocates/${suite.stack.sarah.id}`);
  await fitsWidth(page);
  await checkA11y(page, 'an advocate\'s page at 375 px');
  await screenshot(page, 'advocate-375');
  await page.goto(`${base}/dashboard/conversions`);
  await fitsWidth(page);
  const first = page.getByRole('table', { name: 'Conversions, newest first' }).getByRole('link').first();
  if (await first.count()) {
    await first.click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await fitsWidth(page);
    await screenshot(page, 'conversion-375');
  }
});
