// The dashboard's front door in Chromium: sign-in through the printed link (once only), passwords, roles, CSRF,
// signed-out visitors, another brand's user, and the accessibility check of the sign-in, account and users pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage } from './support/browser.ts';
import { checkA11y, createUserLink, screenshot, signedInPage, signInWithLink } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';

const suite = useSuite();

test('sign in through the printed link; the link does not work twice', async (t) => {
  const user = await signedInPage(suite.browser, suite.stack);
  t.after(() => user.context.close());
  const { page } = user;
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  await page.getByText(user.email).waitFor();
  await checkA11y(page);

  const other = await suite.browser.newContext();
  t.after(() => other.close());
  const { page: again } = await openPage(other);
  await again.goto(user.link);
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.getByRole('heading', { name: 'This link no longer works' }).waitFor();
  assert.equal((await other.cookies()).find((c) => c.name === 'rl_session'), undefined);
  await checkA11y(again);
  await again.goto(`${suite.stack.collectorUrl}/dashboard/sign-in`);
  await checkA11y(again);
  await screenshot(again, 'sign-in');
});
