// The dashboard's front door in Chromium: sign-in through the link the first start printed (once only), passwords,
// a viewer who cannot change anything, a form without its CSRF token, signed-out visitors, another brand's user, and
// the accessibility check (axe-core) of the sign-in, account and users pages, with their screenshots.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { asConn } from '../collector/src/db/sqlite/conn.ts';
import { createQueries } from '../collector/src/db/queries.ts';
import { createAdvocate, createBrand } from '../collector/src/services/brands.ts';
import { parseDashboardLink, spawnServe } from '../collector/test/support/processes.ts';
import { openPage } from './support/browser.ts';
import { checkA11y, createUserLink, screenshot, signedInPage, signInWithLink } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';

const suite = useSuite();

const usersTable = () => JSON.stringify(suite.stack.db.prepare('SELECT * FROM dashboard_users ORDER BY id').all());

test('sign in through the link the first start printed; the link does not work twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-e2e-first-'));
  const serve = await spawnServe({ REFERLOOP_DATA_DIR: dir, REFERLOOP_LOG_LEVEL: 'warn' });
  t.after(async () => {
    await serve.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const printed = parseDashboardLink(serve.stdout());
  assert.ok(printed, serve.stdout());
  const link = serve.url + new URL(printed).pathname;

  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);
  await page.goto(link);
  await checkA11y(page, 'a sign-in link\'s page');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${serve.url}/dashboard`);
  await page.getByRole('link', { name: /owner@demo\.example/ }).waitFor();
  const session = (await context.cookies()).find((c) => c.name === 'rl_session');
  assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
  assert.equal(session?.sameSite, 'Lax');

  const other = await suite.browser.newContext();
  t.after(() => other.close());
  const { page: again } = await openPage(other);
  await again.goto(link);
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.getByRole('heading', { name: 'This link no longer works' }).waitFor();
  assert.equal((await other.cookies()).find((c) => c.name === 'rl_session'), undefined);
  await checkA11y(again, 'a used link');
  assert.deepEqual([pageErrors, consoleErrors], [[], []]);
});

test('a signed-out visitor is sent to sign-in and back; a password set on the account page signs in', async (t) => {
  const owner = await signedInPage(suite.browser, suite.stack);
  t.after(() => owner.context.close());
  await owner.page.getByRole('link', { name: new RegExp(owner.email) }).click();
  await owner.page.getByRole('heading', { name: 'Your account' }).waitFor();
  await checkA11y(owner.page, 'the account page');
  await screenshot(owner.page, 'dashboard-account');
  const password = 'a quiet morning by the sea';
  await owner.page.getByLabel('New password', { exact: true }).fill(password);
  await owner.page.getByLabel('New password again').fill('something else entirely');
  await owner.page.getByRole('button', { name: 'Set the password' }).click();
  await owner.page.locator('.field-error').filter({ hasText: 'is not the same as the new password' }).waitFor();
  await checkA11y(owner.page, 'the account page with a refused form');
  await owner.page.getByLabel('New password', { exact: true }).fill(password);
  await owner.page.getByLabel('New password again').fill(password);
  await owner.page.getByRole('button', { name: 'Set the password' }).click();
  await owner.page.getByRole('status').filter({ hasText: 'Your password is set' }).waitFor();

  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors } = await openPage(context);
  await page.goto(`${suite.stack.collectorUrl}/dashboard/commissions?status=pending`);
  assert.equal(new URL(page.url()).pathname, '/dashboard/sign-in');
  await checkA11y(page, 'the sign-in page');
  await screenshot(page, 'dashboard-sign-in');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill('not it at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.field-error').filter({ hasText: 'does not match this email' }).waitFor();
  await checkA11y(page, 'the sign-in page with a refused password');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${suite.stack.collectorUrl}/dashboard/commissions?status=pending`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${suite.stack.collectorUrl}/dashboard/sign-in`);
  await page.goto(`${suite.stack.collectorUrl}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/dashboard/sign-in', 'signed out on the server');
  assert.deepEqual(pageErrors, []);
});

test('an owner invites a viewer on the users page; the viewer cannot change anything', async (t) => {
  const owner = await signedInPage(suite.browser, suite.stack);
  t.after(() => owner.context.close());
  await owner.page.goto(`${suite.stack.collectorUrl}/dashboard/users`);
  await checkA11y(owner.page, 'the users page');
  await owner.page.getByLabel('Email').fill('viewer-invite@shop.example');
  await owner.page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await owner.page.getByRole('button', { name: 'Invite', exact: true }).click();
  await owner.page.getByRole('heading', { name: 'User invited' }).waitFor();
  await checkA11y(owner.page, 'the invitation\'s link page');
  const link = (await owner.page.locator('#sign-in-link').innerText()).trim();
  assert.match(link, /\/dashboard\/sign-in\/[A-Za-z0-9_-]{43}$/);
  await owner.page.getByRole('link', { name: 'Back to the users' }).click();
  await owner.page.getByRole('cell', { name: 'viewer-invite@shop.example', exact: true }).waitFor();
  await screenshot(owner.page, 'dashboard-users');
  // Usable at 375 px: the table scrolls inside its frame, the page itself does not.
  await owner.page.setViewportSize({ width: 375, height: 800 });
  assert.equal(await owner.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll at 375 px');
  await checkA11y(owner.page, 'the users page at 375 px');
  await screenshot(owner.page, 'dashboard-users-375');
  await owner.page.setViewportSize({ width: 1280, height: 800 });

  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page } = await openPage(context);
  // The page shows the public address (http://localhost:8787 by default); the stack's collector is elsewhere.
  await signInWithLink(page, suite.stack.collectorUrl + new URL(link).pathname);
  await page.getByText('(viewer)').waitFor();
  const before = usersTable();
  await page.goto(`${suite.stack.collectorUrl}/dashboard/users`);
  await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  await checkA11y(page, 'a 403 page');
  // Whatever a viewer sends, with their own session's CSRF token: 403, nothing written.
  await page.goto(`${suite.stack.collectorUrl}/dashboard/account`);
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  for (const [path, form] of [['/dashboard/users', { email: 'sneak@shop.example', role: 'owner' }], ['/dashboard/settings', { cooling_period_days: '1' }],
    ['/dashboard/settings/keys', { name: 'sneaky', kind: 'secret' }], [`/dashboard/users/${owner.userId}/disable`, {}]] as const) {
    const res = await page.request.post(suite.stack.collectorUrl + path, { form: { ...form, _csrf: csrf }, maxRedirects: 0 });
    assert.equal(res.status(), 403, path);
  }
  assert.equal(usersTable(), before);
});

test('a form posted without its CSRF token is a 403, and changes nothing', async (t) => {
  const owner = await signedInPage(suite.browser, suite.stack);
  t.after(() => owner.context.close());
  await owner.page.goto(`${suite.stack.collectorUrl}/dashboard/users`);
  const before = usersTable();
  await owner.page.getByLabel('Email').fill('forged@shop.example');
  await owner.page.locator('form[action="/dashboard/users"] input[name="_csrf"]').evaluate((el) => el.remove());
  await owner.page.getByRole('button', { name: 'Invite', exact: true }).click();
  await owner.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  assert.match(await owner.page.locator('main').innerText(), /not sent from this dashboard session/);
  assert.equal(usersTable(), before);
});

test('a user of another brand sees none of this brand', async (t) => {
  const q = createQueries(suite.stack.db);
  const other = await createBrand(asConn(suite.stack.db), q, randomBytes(32), { name: 'Elsewhere Goods', plan: 'premier', origins: [] });
  await createAdvocate(q, { brandId: other.brand_id, email: 'otto@elsewhere.example', name: 'Otto Other', code: 'OTTO1' });
  const aConversion = suite.stack.db.prepare('SELECT id FROM conversions WHERE brand_id = ? ORDER BY id LIMIT 1').pluck().get(suite.stack.brand.brand_id) as number | undefined;
  const stranger = await signedInPage(suite.browser, suite.stack, { brandId: other.brand_id });
  t.after(() => stranger.context.close());
  const { page } = stranger;
  const base = suite.stack.collectorUrl;
  for (const path of ['/dashboard', '/dashboard/advocates', '/dashboard/conversions', '/dashboard/commissions', '/dashboard/users']) {
    await page.goto(base + path);
    const text = await page.locator('body').innerText();
    for (const mark of [suite.stack.sarah.name, 'DEMO10', 'Loop & Thread', suite.stack.brand.brand_id]) assert.equal(text.includes(mark), false, `${path} shows "${mark}"`);
  }
  await page.goto(`${base}/dashboard/advocates`);
  await page.getByText('Otto Other').waitFor();
  for (const path of [`/dashboard/advocates/${suite.stack.sarah.id}`, ...(aConversion ? [`/dashboard/conversions/${aConversion}`] : [])]) {
    const res = await page.goto(base + path);
    assert.equal(res?.status(), 404, path);
  }
  // And this brand's users page does not list the stranger.
  const mine = await createUserLink(suite.stack);
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page: own } = await openPage(context);
  await signInWithLink(own, mine.link);
  await own.goto(`${base}/dashboard/users`);
  assert.equal((await own.locator('main').innerText()).includes(stranger.email), false);
});
