// Self sign-up in Chromium (issue 14): an open campaign's page (/portal/join/BRAND/CAMPAIGN) under the portal's strict
// CSP, a refusal beside its field, then the link at once; an approval campaign's sign-up waiting on the dashboard's
// pending list, approved there by the owner. The accessibility check on each page; no page error, no CSP report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage } from './support/browser.ts';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { api as callApi, useSuite } from './support/suite.ts';

const suite = useSuite();

const api = async (method: string, path: string, body?: unknown) => {
  const res = await callApi(suite, method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};

const joinUrl = (campaignId: number) => `${suite.stack.collectorUrl}/portal/join/${suite.stack.brand.brand_id}/${campaignId}`;

test('an open campaign\'s sign-up page: a refusal beside its field, then the new advocate\'s link at once', async (t) => {
  const { campaign } = await api('POST', '/campaigns', { name: 'Open house (e2e)', signup: 'open' });
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);

  await page.goto(joinUrl(campaign.id));
  await page.getByRole('heading', { level: 1, name: /referral programme/ }).waitFor();
  await checkA11y(page, 'the sign-up page');
  await page.getByLabel('Your name').fill('Nina Patel');
  await page.getByLabel('Your email').fill('nina.e2e@not-an-address');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('alert').waitFor();
  const email = page.getByLabel('Your email');
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator(`#${(await email.getAttribute('aria-describedby'))!.split(' ').pop()}`).textContent() ?? '', /must be an email address/);
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Nina Patel', 'what was typed is kept');
  await checkA11y(page, 'the sign-up page with a refusal');
  await screenshot(page, 'portal-join-refused');

  await email.fill('nina.e2e@example.com');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { level: 2, name: 'Your referral link' }).waitFor();
  const { advocates } = await api('GET', '/advocates?search=nina.e2e');
  assert.equal(advocates.length, 1);
  assert.deepEqual([advocates[0].status, advocates[0].campaign_id], ['active', campaign.id]);
  assert.match(await page.getByLabel(/Share it/).inputValue(), new RegExp(`\\?ref=${advocates[0].referral_code}$`));
  assert.equal((await context.cookies()).filter((c) => c.name === 'rl_portal').length, 0, 'no portal session');
  await checkA11y(page, 'the sign-up\'s link');
  await screenshot(page, 'portal-join-open');
  // The refused post's 400 is the one error the browser reports: no CSP report, no script error.
  assert.deepEqual([pageErrors, consoleErrors], [[], ['Failed to load resource: the server responded with a status of 400 (Bad Request)']]);
});

test('an approval campaign\'s sign-up waits on the dashboard\'s pending list until the owner approves it', async (t) => {
  const { campaign } = await api('POST', '/campaigns', { name: 'Creators (e2e)', signup: 'approval' });
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const visitor = await openPage(context);
  await visitor.page.goto(joinUrl(campaign.id));
  await visitor.page.getByLabel('Your name').fill('Omar Haddad');
  await visitor.page.getByLabel('Your email').fill('omar.e2e@example.com');
  await visitor.page.getByRole('button', { name: 'Sign up' }).click();
  await visitor.page.getByRole('heading', { level: 1, name: 'Thank you: we have your sign-up' }).waitFor();
  assert.deepEqual([visitor.pageErrors, visitor.consoleErrors], [[], []]);

  const owner = await signedInPage(suite.browser, suite.stack);
  t.after(() => owner.context.close());
  const { page } = owner;
  await page.goto(`${suite.stack.collectorUrl}/dashboard/advocates`);
  await page.getByRole('link', { name: 'Sign-ups waiting for approval' }).click();
  const row = page.getByRole('row').filter({ hasText: 'omar.e2e@example.com' });
  await row.waitFor();
  await checkA11y(page, 'the pending sign-ups');
  await screenshot(page, 'dashboard-pending-signups');
  await row.getByRole('button', { name: 'Approve Omar Haddad' }).click();
  await page.getByRole('status').filter({ hasText: 'Omar Haddad is approved' }).waitFor();
  assert.equal(await page.getByRole('row').filter({ hasText: 'omar.e2e@example.com' }).count(), 0, 'no longer pending');
  const { advocates } = await api('GET', '/advocates?search=omar.e2e');
  assert.equal(advocates[0].status, 'active');
  assert.deepEqual([owner.pageErrors, owner.consoleErrors], [[], []]);
});
