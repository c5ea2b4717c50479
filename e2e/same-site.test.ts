// A collector served under the site's own domain (ref.shop.test beside www.shop.test): the visit answer also
// sets the tracker's cookies with Set-Cookie, which Safari keeps longer than cookies written by script.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, waitFor } from './support/browser.ts';
import { useSuite } from './support/suite.ts';
import { bannerTitle, rows } from './support/storefront.ts';

const suite = useSuite({
  stack: { hosts: { store: 'www.shop.test', collector: 'ref.shop.test' } },
  browserArgs: ['--host-resolver-rules=MAP *.shop.test 127.0.0.1'],
});

test('same-site collector: the visit answer sets al_vid and al_code for the registrable domain', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors } = await openPage(context);
  const visitAnswer = page.waitForResponse((r) => r.url() === `${suite.stack.collectorUrl}/api/v1/track/visit`);
  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  assert.equal(await bannerTitle(page), 'Sarah gave you 10% off');

  const answer = await visitAnswer;
  const body = await answer.json() as { data: { visitor_id: string; code: string } };
  const setCookie = (await answer.headerValue('set-cookie')) ?? '';
  const lines = setCookie.split('\n');
  const vid = lines.find((l) => l.startsWith('al_vid='));
  const code = lines.find((l) => l.startsWith('al_code='));
  assert.ok(vid && code, `Set-Cookie carries both cookies: ${setCookie}`);
  assert.ok(vid.startsWith(`al_vid=${body.data.visitor_id};`));
  assert.match(vid, /; Domain=shop\.test;/);
  assert.match(vid, /; Max-Age=31536000;/);
  assert.match(vid, /; SameSite=Lax/);
  assert.ok(code.startsWith('al_code=DEMO10;'));
  assert.match(code, /; Max-Age=2592000;/);

  const cookies = await context.cookies();
  const stored = cookies.find((c) => c.name === 'al_vid');
  assert.equal(stored?.domain, '.shop.test');
  assert.equal(stored?.value, body.data.visitor_id);
  assert.equal(cookies.find((c) => c.name === 'al_code')?.value, 'DEMO10');
  await waitFor(() => rows.visitsOf(suite.stack.db, suite.stack.brand.brand_id, body.data.visitor_id).length, 'the visit row');
  assert.deepEqual(pageErrors, []);
});
