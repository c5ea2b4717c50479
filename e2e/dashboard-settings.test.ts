// The settings pages in Chromium: a key made (shown once, copied), used against the API, revoked (the next call is
// a 401); a programme change the next conversion uses, and a refusal beside its field; the script tag copied; a
// viewer's read-only page; the accessibility check and a screenshot of each page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';

const suite = useSuite();

const api = (path: string, key: string, init: RequestInit = {}) =>
  fetch(`${suite.stack.collectorUrl}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers } });

/** What the copy button of the block `id` (with its label `name`) put on the clipboard. */
async function copied(page: Page, id: string, name: string): Promise<string> {
  const button = page.locator(`button[data-copy="${id}"]`);
  assert.equal((await button.textContent())?.trim(), name);
  await button.click();
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'Copied', `button[data-copy="${id}"]`);
  return page.evaluate(() => navigator.clipboard.readText());
}

async function ownerPage(t: { after(fn: () => unknown): void }) {
  const user = await signedInPage(suite.browser, suite.stack);
  t.after(() => user.context.close());
  await user.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.stack.collectorUrl });
  return user;
}

test('create a key (shown once), use it against the API, revoke it: the next call is a 401', async (t) => {
  const { page, pageErrors } = await ownerPage(t);
  await page.goto(`${suite.stack.collectorUrl}/dashboard/settings/keys`);
  await page.getByRole('table', { name: 'API keys of this brand' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'settings-keys');

  await page.getByLabel('Name').fill('e2e zapier');
  await page.getByLabel('Kind').selectOption('secret');
  await page.getByRole('button', { name: 'Create the key' }).click();
  await page.getByRole('heading', { name: 'New API key' }).waitFor();
  const key = (await page.locator('#new-key').textContent())!.trim();
  assert.match(key, /^rl_sk_[A-Za-z0-9_-]{32}$/);
  assert.equal(await copied(page, 'new-key', 'Copy the key'), key, 'the copy button copies the key');
  await checkA11y(page);
  // A throwaway key of this run's temporary database (screenshots are not committed).
  await screenshot(page, 'settings-new-key');

  assert.equal((await api('/settings', key)).status, 200, 'the new key works against the API');

  await page.getByRole('link', { name: 'I have kept it: back to the API keys' }).click();
  const row = page.getByRole('row').filter({ hasText: 'e2e zapier' });
  await row.waitFor();
  assert.ok(!(await page.content()).includes(key), 'never shown again');
  assert.match((await row.textContent())!, new RegExp(`rl_sk_…${key.slice(-4)}`), 'listed by its prefix');

  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /Revoke the secret key "e2e zapier"/);
    void dialog.accept();
  });
  await row.getByRole('button', { name: 'Revoke e2e zapier' }).click();
  await page.getByRole('status').filter({ hasText: 'is revoked: its next call is a 401' }).waitFor();
  assert.match((await row.textContent())!, /revoked/);
  assert.equal((await api('/settings', key)).status, 401, 'the next call is a 401');
  assert.deepEqual(pageErrors, []);
});

test('change a setting and see the next conversion use it; a bad value is refused beside its field', async (t) => {
  const { page } = await ownerPage(t);
  await page.goto(`${suite.stack.collectorUrl}/dashboard/settings`);
  await checkA11y(page);
  await screenshot(page, 'settings');

  await page.getByLabel('Minimum payout (USD)').fill('12.345');
  await page.getByRole('button', { name: 'Save the programme' }).click();
  await page.getByRole('alert').waitFor();
  const minPayout = page.getByLabel('Minimum payout (USD)');
  assert.equal(await minPayout.getAttribute('aria-invalid'), 'true');
  assert.match((await page.locator('#f-min_payout-error').textContent())!, /must have at most two decimal places/);
  await checkA11y(page, 'the refused programme form');
  await screenshot(page, 'settings-refused');

  await minPayout.fill('0');
  await page.getByLabel('Reward type', { exact: true }).selectOption('fixed');
  await page.getByLabel('Reward value', { exact: true }).fill('12.00');
  await page.getByRole('button', { name: 'Save the programme' }).click();
  await page.getByRole('status').filter({ hasText: 'The programme is saved' }).waitFor();
  assert.equal(await page.getByLabel('Reward value', { exact: true }).inputValue(), '12.00');

  const conversion = await api('/track/conversion', suite.stack.brand.secret_key, {
    method: 'POST',
    body: JSON.stringify({ customer_email: 'e2e-settings@example.com', order_id: 'E2E-SETTINGS-1', order_value: 80, referral_code: suite.stack.sarah.code }),
  });
  const body = await conversion.json() as { data: { reward: { amount: number } } };
  assert.equal(conversion.status, 201, JSON.stringify(body));
  assert.equal(body.data.reward.amount, 12, 'the fixed reward just set, not a percentage of 80');
});

test('the script tag and checkout form are copied as they stand; a new publishable key answers the complete tag', async (t) => {
  const { page } = await ownerPage(t);
  await page.goto(`${suite.stack.collectorUrl}/dashboard/settings/embed`);
  await checkA11y(page);
  await screenshot(page, 'settings-embed');
  const tag = await copied(page, 'script-tag', 'Copy the script tag');
  assert.match(tag, new RegExp(`^<script async src="[^"]+/al\\.js" data-brand="${suite.stack.brand.brand_id}" data-key="YOUR_PUBLISHABLE_KEY"></script>$`));
  assert.match(await copied(page, 'checkout-form', 'Copy the form'), /<input type="hidden" name="referral_code" data-al="code">/);

  await page.getByLabel('Key name').fill('e2e site tag');
  await page.getByRole('button', { name: 'Make a publishable key and its tag' }).click();
  await page.getByRole('heading', { name: 'New API key' }).waitFor();
  const key = (await page.locator('#new-key').textContent())!.trim();
  assert.match(key, /^rl_pk_/);
  assert.ok((await copied(page, 'new-key-tag', 'Copy the script tag')).includes(`data-key="${key}"`), 'the complete tag');
});

test('a viewer sees the settings read-only, usable at 375 px', async (t) => {
  const user = await signedInPage(suite.browser, suite.stack, { role: 'viewer', viewport: { width: 375, height: 800 } });
  t.after(() => user.context.close());
  const { page } = user;
  for (const [path, name] of [['/dashboard/settings', 'settings-viewer-375'], ['/dashboard/settings/keys', 'settings-keys-viewer-375']] as const) {
    await page.goto(`${suite.stack.collectorUrl}${path}`);
    await page.getByRole('note').filter({ hasText: 'Your role is viewer' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Save|Create|Revoke|Add/ }).count(), 0, path);
    if (path === '/dashboard/settings') assert.equal(await page.getByLabel('Attribution window (days)').isDisabled(), true);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 375, `${path}: no sideways scrolling at 375 px (${scrollWidth})`);
    await checkA11y(page);
    await screenshot(page, name);
  }
});
