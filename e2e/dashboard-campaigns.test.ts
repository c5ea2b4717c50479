// The campaign pages in Chromium: create a campaign from the list's form, move an advocate to it from their page (the
// API then answers the new campaign_id, and the campaign lists them), archive it after the confirmation; the
// accessibility check and a screenshot of the list, a campaign's page and the advocate's campaign section.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { api as callApi, useSuite } from './support/suite.ts';

const suite = useSuite();

const api = (method: string, path: string, body?: unknown) => callApi(suite, method, path, body);

/** The notice a form's redirect left (role=status). */
const notice = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

test('create a campaign, move an advocate to it, archive it', async (t) => {
  const user = await signedInPage(suite.browser, suite.stack);
  t.after(() => user.context.close());
  const { page, pageErrors, consoleErrors } = user;
  const base = suite.stack.collectorUrl;
  const { sarah } = suite.stack;

  await page.goto(`${base}/dashboard`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('table', { name: 'Campaigns of this brand, oldest first' }).getByRole('row').filter({ hasText: 'default' }).waitFor();
  await checkA11y(page);

  const form = page.getByRole('form', { name: 'New campaign' });
  await form.getByLabel('Name').fill('Partners 20% (e2e)');
  await form.getByLabel('Reward type', { exact: true }).selectOption('percentage');
  await form.getByLabel('Reward value', { exact: true }).fill('20');
  await form.getByLabel('Discount type').selectOption('fixed');
  await form.getByLabel('Discount value').fill('15');
  await form.getByLabel('Cooling period (days)').fill('14');
  await form.getByRole('button', { name: 'Create the campaign' }).click();
  await page.getByRole('heading', { level: 1, name: 'Partners 20% (e2e)' }).waitFor();
  await notice(page, 'Campaign Partners 20% (e2e) created');
  const campaignId = Number(new URL(page.url()).pathname.split('/').pop());
  const created = (await api('GET', `/campaigns/${campaignId}`)).body.data.campaign;
  assert.deepEqual([created.referrer_reward_value, created.referee_discount_type, created.referee_discount_value, created.cooling_period_days, created.advocate_count],
    [20, 'fixed', 15, 14, 0]);
  await checkA11y(page, "a campaign's page");
  await screenshot(page, 'campaign');

  await page.goto(`${base}/dashboard/advocates/${sarah.id}`);
  await page.getByRole('heading', { level: 2, name: 'Campaign' }).waitFor();
  await page.getByLabel('Move to campaign').selectOption({ label: 'Partners 20% (e2e)' });
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await notice(page, `${sarah.name} is in Partners 20% (e2e): their next conversions follow its rules`);
  assert.equal((await api('GET', `/advocates/${sarah.id}`)).body.data.advocate.campaign_id, campaignId);
  await page.locator('#campaign-h').scrollIntoViewIfNeeded();
  await checkA11y(page, "the advocate's page after the move");
  await screenshot(page, 'advocate-campaign', { fullPage: false });

  await page.getByRole('link', { name: 'Partners 20% (e2e)' }).click();
  await page.getByRole('table', { name: 'Advocates in this campaign, newest first' }).getByRole('link', { name: sarah.name }).waitFor();
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /^Archive Partners 20% \(e2e\)\? It takes no new advocate; its 1 advocate stays in it and keeps its rules\.$/);
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Archive' }).click();
  await notice(page, 'Partners 20% (e2e) is archived');
  assert.equal((await api('GET', `/campaigns/${campaignId}`)).body.data.campaign.status, 'archived');
  await page.getByRole('button', { name: 'Bring back' }).waitFor();

  await page.goto(`${base}/dashboard/campaigns`);
  await page.getByRole('row').filter({ hasText: 'Partners 20% (e2e)' }).filter({ hasText: 'archived' }).waitFor();
  await checkA11y(page, 'the campaigns list');
  await screenshot(page, 'campaigns');
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
});
