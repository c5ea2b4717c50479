// The Webhooks pages in Chromium: register an endpoint (its secret shown once and copied), send a test event, read the
// delivery (its headers, body and the receiver's answer), disable the endpoint; the accessibility check and
// a screenshot of the list, an endpoint's page, the secret's page and a delivery's page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';

const suite = useSuite();

test('register an endpoint (secret shown once, copied), send a test event and read its delivery, disable the endpoint', async (t) => {
  const { collectorUrl, db, brand } = suite.stack;
  const user = await signedInPage(suite.browser, suite.stack);
  t.after(() => user.context.close());
  const { page, pageErrors, context } = user;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: collectorUrl });

  await page.goto(`${collectorUrl}/dashboard/webhooks`);
  await page.getByRole('table', { name: 'Webhook endpoints of this brand, newest first' }).waitFor();
  await checkA11y(page);
  await page.getByLabel('URL').fill('https://hooks.example.com/referloop');
  await page.getByLabel('Description').fill('CRM sync');
  await page.getByLabel('conversion.created').check();
  await page.getByRole('button', { name: 'Register the endpoint' }).click();

  await page.getByText('it is shown this once').waitFor();
  await checkA11y(page);
  await screenshot(page, 'webhook-secret');
  const shown = (await page.locator('#webhook-secret').textContent())!;
  assert.match(shown, /^whsec_/);
  await page.getByRole('button', { name: 'Copy the secret' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
  await page.getByRole('link', { name: 'I have kept it: to the endpoint' }).click();

  await page.getByRole('heading', { name: /^Webhook endpoint \d+$/ }).waitFor();
  assert.equal(await page.getByText(shown).count(), 0, 'the secret is not shown again');
  await page.getByLabel('Sample event type').selectOption('payout.created');
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await page.getByRole('status').filter({ hasText: 'A sample payout.created event is on its way' }).waitFor();

  // The e2e stack runs no deliverer: the attempt a receiver answered is written as the deliverer writes it.
  const deliveryId = Number(/\/deliveries\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
  db.prepare(`INSERT INTO webhook_attempts (brand_id, delivery_id, attempt, webhook_timestamp, started_at, duration_ms, status_code, error, response_body, outcome)
    VALUES (?, ?, 1, ?, ?, 84, 500, NULL, '{"error":"try again"}', 'failed')`).run(brand.brand_id, deliveryId, Math.floor(Date.now() / 1000), new Date().toISOString());
  db.prepare(`UPDATE webhook_deliveries SET attempts = 1, last_attempt_at = ?, last_status_code = 500, last_duration_ms = 84,
    next_attempt_at = ? WHERE brand_id = ? AND id = ?`).run(new Date().toISOString(), new Date(Date.now() + 5_000).toISOString(), brand.brand_id, deliveryId);
  await page.reload();
  await page.getByRole('heading', { name: /^Attempt 1: failed/ }).waitFor();
  assert.match((await page.locator('main').textContent())!, /webhook-signature: v1,…/);
  await checkA11y(page);
  await screenshot(page, 'webhook-delivery');

  await page.getByRole('link', { name: /^Back to endpoint/ }).click();
  await page.getByRole('table', { name: 'Deliveries, newest first' }).getByRole('row').filter({ hasText: 'payout.created' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'webhook-endpoint', { fullPage: true });
  await page.getByRole('button', { name: 'Disable' }).click();
  await page.getByRole('status').filter({ hasText: 'The endpoint is disabled' }).waitFor();

  await page.goto(`${collectorUrl}/dashboard/webhooks`);
  await page.getByRole('row').filter({ hasText: 'disabled by an owner' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'webhooks');
  assert.deepEqual(pageErrors, []);
});
