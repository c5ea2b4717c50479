// The advocate's side of the loop through the demo store (issue 14): a referred visitor claims through the widget on a
// product page; a customer, recognised by the store's backend through single sign-on, gets their link in the widget's
// advocate mode and shares it; the order confirmation's "Open your referral portal" sends them to a single-use link
// into the portal, whose figures are the API's, where they redeem a catalogue reward and can neither complete a quest's
// task nor reach another advocate's data. Every check against the collector goes through its API (secret key).
// The README's screenshots of the portal and the widget come from this run:
//   REFERLOOP_DOCS_SCREENSHOTS=1 node scripts/run-tests.mjs e2e/portal-journey.test.ts
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openPage, waitFor } from './support/browser.ts';
import { checkA11y, screenshot } from './support/dashboard.ts';
import { api, useSuite } from './support/suite.ts';
import { addToCart, checkout, pay, refereeWidgetText } from './support/storefront.ts';

const suite = useSuite();

const DOCS_DIR = fileURLToPath(new URL('../docs/', import.meta.url));
/** A screenshot into test-results/screenshots/, and into docs/ as `docs/<name>.png` on a docs run. */
async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  const file = await screenshot(page, `journey-${name}`, opts);
  if (process.env.REFERLOOP_DOCS_SCREENSHOTS === '1') copyFileSync(file, `${DOCS_DIR}${name}.png`);
}

/** The API's answer's data, asserting its status. */
async function ok(method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200): Promise<any> {
  const res = await api(suite, method, path, body);
  assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A customer's order in the store (a tote bag), paid; the page ends on the order confirmation. */
async function buy(page: Page, email: string, name: string): Promise<string> {
  await addToCart(page, suite.stack.storeUrl, 'canvas-tote');
  const orderId = await checkout(page, email, name);
  await pay(page);
  return orderId;
}

/** The advocate single sign-on tied to the store's customer of `email` (their mapping, as the API lists it). */
async function advocateOfCustomer(email: string): Promise<{ id: number; code: string; external_customer_id: string }> {
  const mappings = (await ok('GET', '/sso/mappings?limit=100')).mappings as Array<{ advocate_id: number; external_email: string; external_customer_id: string }>;
  const mapping = mappings.find((m) => m.external_email === email);
  assert.ok(mapping, `a mapping of ${email}`);
  const advocate = (await ok('GET', `/advocates/${mapping.advocate_id}`)).advocate;
  return { id: mapping.advocate_id, code: advocate.referral_code, external_customer_id: mapping.external_customer_id };
}

async function newContext(opts: Parameters<typeof suite.browser.newContext>[0] = {}): Promise<BrowserContext> {
  return suite.browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
}

test('a referred visitor claims the discount through the widget on a product page, and the claim is in the API', async (t) => {
  const context = await newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);
  // The widget is held back until the page is measured: its place is kept, so nothing moves when it mounts.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await context.route(`${suite.stack.collectorUrl}/widget.js`, async (route) => {
    await held;
    await route.continue();
  });

  await page.goto(`${suite.stack.storeUrl}/?ref=DEMO10`);
  await waitFor(async () => (await context.cookies()).some((c) => c.name === 'al_code'), 'the al_code cookie');
  await page.goto(`${suite.stack.storeUrl}/products/classic-tee`, { waitUntil: 'domcontentloaded' });
  const addToCartButton = page.getByRole('button', { name: 'Add to cart' });
  const before = await addToCartButton.boundingBox();
  release();
  const widget = page.locator('[data-referloop-widget]');
  const shown = await refereeWidgetText(page);
  assert.match(shown, /Sarah/, 'the widget names who referred the visitor');
  assert.match(shown, /10\s?%/, 'and the offer');
  assert.equal(await page.locator('[data-referral-banner]').count(), 0, 'in the place of the store\'s banner');
  const email = widget.getByLabel('Your email');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await addToCartButton.boundingBox(), before, 'the page did not move when the widget mounted');
  await shot(page, 'widget-referee', { fullPage: false });

  await email.fill('widget-friend@example.com');
  await widget.getByRole('button', { name: 'Get my discount' }).click();
  const status = widget.getByRole('status');
  // The outcome, not the 'Checking…' shown while the claim is under way (the claim is read from the API next).
  await waitFor(async () => /saved for widget-friend@example\.com/.test(await status.innerText()), 'the claim\'s outcome');
  const claims = (await ok('GET', '/claims?email=widget-friend@example.com')).claims;
  assert.equal(claims.length, 1, 'one claim, made by the widget');
  assert.deepEqual([claims[0].referral_code ?? claims[0].code, claims[0].advocate_id, claims[0].status],
    ['DEMO10', suite.stack.sarah.id, 'pending']);

  // The same friend checks out: the store's own claim finds the widget's, and the order is attributed through it.
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL(`${suite.stack.storeUrl}/cart`);
  await waitFor(() => page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');
  const orderId = await checkout(page, 'widget-friend@example.com', 'Wren Friend');
  assert.match(await page.locator('.totals').innerText(), /Referral discount \(DEMO10\)/);
  await pay(page);
  const [conversion] = (await ok('GET', `/conversions?limit=10&attributed=true`)).conversions.filter((c: { order_id: string }) => c.order_id === orderId);
  assert.equal(conversion?.claim_id, claims[0].id, 'the conversion is the widget\'s claim\'s');
  assert.equal(conversion?.advocate_id, suite.stack.sarah.id);
  assert.equal((await ok('GET', '/claims?email=widget-friend@example.com')).claims.length, 1, 'no second claim');
  assert.deepEqual([pageErrors, consoleErrors], [[], []]);
});

test('a visitor nobody referred: the product page keeps no room for the widget, and the widget shows nothing', async (t) => {
  const context = await newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);
  await page.goto(`${suite.stack.storeUrl}/products/classic-tee`);
  await page.waitForLoadState('networkidle');
  const slot = page.locator('[data-referloop-widget]');
  assert.equal(await slot.count(), 1, 'the widget\'s place is there');
  assert.equal((await slot.boundingBox())?.height, 0, 'and takes no room');
  assert.equal(await slot.evaluate((el) => el.shadowRoot?.textContent ?? ''), '', 'nothing shown');
  assert.deepEqual([pageErrors, consoleErrors], [[], []]);
});

test('a customer gets their referral link in the widget\'s advocate mode on their account page, shares it, and the share counts', async (t) => {
  // Each share earns 5 points (reward_action_type 4), so the API shows what the widget recorded.
  const campaign = (await ok('GET', '/campaigns')).campaigns.find((c: { is_default: boolean }) => c.is_default);
  await ok('PATCH', `/campaigns/${campaign.id}`, { shares_reward_type: 'points', shares_reward_value: 5, shares_threshold: 1, shares_reward_repeats: true });
  t.after(() => ok('PATCH', `/campaigns/${campaign.id}`, { shares_reward_type: 'none' }));

  const context = await newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  t.after(() => context.close());
  // A share button opens the network's page in a new window: answered here, the test stays offline.
  await context.route(/^https:\/\//, (route) => route.fulfill({ status: 204, body: '' }));
  const { page, pageErrors, consoleErrors } = await openPage(context);
  await buy(page, 'ava@customer.example', 'Ava Stone');
  // The widget is held back until the page is measured, as on a product page.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await context.route(`${suite.stack.collectorUrl}/widget.js`, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('link', { name: 'Get your referral link' }).click();
  await page.waitForURL(`${suite.stack.storeUrl}/account`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  const portalButton = page.getByRole('button', { name: 'Open your referral portal' });
  const before = await portalButton.boundingBox();
  release();

  const advocate = await advocateOfCustomer('ava@customer.example');
  assert.match(advocate.external_customer_id, /^cus_[0-9a-f]{12}$/, 'recognised as the store\'s customer id');
  assert.equal((await ok('GET', `/advocates/${advocate.id}`)).advocate.email, 'ava@customer.example');
  const widget = page.locator('[data-referloop-widget]');
  const link = widget.getByLabel('Your referral link');
  await link.waitFor();
  const expected = `${suite.stack.storeUrl}/?ref=${advocate.code}`;
  assert.equal(await link.inputValue(), expected);
  assert.equal(await link.getAttribute('readonly'), '', 'read-only');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await portalButton.boundingBox(), before, 'the page did not move when the widget mounted');
  await checkA11y(page, 'the account page with the widget in advocate mode');
  await shot(page, 'widget-advocate', { fullPage: false });

  await widget.getByRole('button', { name: 'Copy' }).click();
  assert.equal(await waitFor(() => page.evaluate(() => navigator.clipboard.readText()), 'the copied link'), expected);

  const shares: string[] = [];
  page.on('response', (r) => {
    if (r.url() === `${suite.stack.collectorUrl}/api/v1/track/share` && r.request().method() === 'POST') shares.push(String(r.status()));
  });
  context.on('page', (p) => void p.close());
  for (const name of ['Share by email', 'Share on WhatsApp', 'Share on X', 'Share on Facebook', 'Share on LinkedIn']) {
    const count = shares.length;
    await widget.getByRole('button', { name }).click();
    await waitFor(() => shares.length === count + 1, `the share of "${name}" recorded`);
  }
  assert.deepEqual(shares, ['201', '201', '201', '201', '201']);

  const earned = await waitFor(async () => {
    const list = (await ok('GET', `/commissions?advocate_id=${advocate.id}&limit=100`)).commissions as Array<{ reward_action_type: number }>;
    const fromShares = list.filter((c) => c.reward_action_type === 4);
    return fromShares.length === 5 && fromShares;
  }, 'a shares reward per share');
  assert.equal(earned.length, 5);
  assert.deepEqual(earned.map((c) => (c as unknown as { amount: number }).amount), [5, 5, 5, 5, 5], '5 points a share');
  // On the next visit to the account page (a new recognition, a new token) the widget counts them too.
  await page.reload();
  const sharesFigure = widget.locator('dl div').filter({ has: page.locator('dt', { hasText: /^Shares$/ }) }).locator('dd');
  await waitFor(async () => (await sharesFigure.count()) === 1 && (await sharesFigure.innerText()).trim() === '5', 'the widget\'s Shares figure to say 5');
  assert.deepEqual([pageErrors, consoleErrors], [[], []]);
});

/**
 * A customer's order, then the confirmation's "Open your referral portal": the store's backend asks for a portal link
 * and sends them there, the link's page, its button. Answers the order, the link (now used) and the advocate.
 */
async function intoPortal(page: Page, email: string, name: string) {
  const orderId = await buy(page, email, name);
  await page.getByRole('heading', { name: `Thank you, ${name.split(' ')[0]}!` }).waitFor();
  await page.getByRole('button', { name: 'Open your referral portal' }).click();
  await page.waitForURL(new RegExp(`^${suite.stack.collectorUrl}/portal/enter/`));
  const link = page.url();
  await page.getByRole('button', { name: 'Open my portal' }).click();
  await page.waitForURL(`${suite.stack.collectorUrl}/portal`);
  return { orderId, link, advocate: await advocateOfCustomer(email) };
}

/** A friend lands on the advocate's referral link and buys (a T-shirt) in a browser of their own: the order id. */
async function friendBuysThrough(t: { after(fn: () => unknown): void }, code: string, email: string): Promise<string> {
  const friend = await newContext();
  t.after(() => friend.close());
  const { page } = await openPage(friend);
  await page.goto(`${suite.stack.storeUrl}/?ref=${code}`);
  await waitFor(async () => (await friend.cookies()).some((c) => c.name === 'al_code'), 'the friend\'s al_code cookie');
  await addToCart(page, suite.stack.storeUrl, 'classic-tee');
  await waitFor(() => page.inputValue('input[name="referral_code"]'), 'the tracker to fill the referral code');
  const orderId = await checkout(page, email, 'Finn Friend');
  await pay(page);
  return orderId;
}

test('the advocate opens their portal from the order confirmation: the link works once, and the home page\'s figures are the API\'s', async (t) => {
  const context = await newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);
  const { link, advocate: olive } = await intoPortal(page, 'olive@customer.example', 'Olive Stone');

  // A friend buys through Olive's link, so her figures are not all zero; the owner awards her points.
  await friendBuysThrough(t, olive.code, 'olive-friend@example.com');
  await ok('POST', `/advocates/${olive.id}/points`, { amount: 300, description: 'Welcome to the programme' }, 200);

  // A second use of the link is refused, in any browser.
  const other = await newContext();
  t.after(() => other.close());
  const second = (await openPage(other)).page;
  await second.goto(link);
  const [refused] = await Promise.all([
    second.waitForResponse((r) => r.request().method() === 'POST' && r.url() === link),
    second.getByRole('button', { name: 'Open my portal' }).click(),
  ]);
  assert.equal(refused.status(), 410);
  await second.getByRole('heading', { name: 'This link no longer works' }).waitFor();

  // Home: the figures exactly as GET /advocates/:id answers them.
  await page.reload();
  await page.getByRole('heading', { name: 'Hello, Olive Stone' }).waitFor();
  const a = (await ok('GET', `/advocates/${olive.id}`)).advocate;
  assert.deepEqual([a.click_count, a.conversion_count, a.points_balance], [1, 1, 300], 'the friend\'s visit and order, the points');
  assert.ok(a.pending_earnings > 0, 'the friend\'s order earned a pending commission');
  const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
  const figure = async (label: string) => ((await page.locator(`[data-figure="${label}"]`).first().textContent()) ?? '').trim();
  assert.equal(await figure('Clicks'), String(a.click_count));
  assert.equal(await figure('Conversions'), String(a.conversion_count));
  assert.equal(await figure('Earned in all'), usd(a.total_earnings));
  assert.equal(await figure('Pending'), usd(a.pending_earnings));
  assert.equal(await figure('Points'), String(a.points_balance));
  assert.equal(await page.getByRole('textbox', { name: /referral link|Share it/i }).first().inputValue(), `${suite.stack.storeUrl}/?ref=${olive.code}`);
  await page.waitForLoadState('networkidle');
  // Down to the per-day chart (its table of every day below is left out of the picture).
  await page.setViewportSize({ width: 1280, height: 1450 });
  await shot(page, 'portal-home', { fullPage: false });
  assert.deepEqual([pageErrors, consoleErrors], [[], []]);
});

test('in the portal the advocate redeems a catalogue reward, cannot complete a quest\'s task, and reaches no other advocate\'s data', async (t) => {
  const context = await newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors } = await openPage(context);
  const { orderId, advocate: quinn } = await intoPortal(page, 'quinn@customer.example', 'Quinn Reed');
  const friendOrder = await friendBuysThrough(t, quinn.code, 'quinn-friend@example.com');
  await ok('POST', `/advocates/${quinn.id}/points`, { amount: 300, description: 'Welcome to the programme' }, 200);

  // Other advocates' data exists: Sarah's conversion, Mike's redemption of the same reward.
  await ok('POST', '/track/conversion', { order_id: 'SARAH-ONLY-1', order_value: 80, customer_email: 'sarah-buyer@example.com', referral_code: 'DEMO10' });
  const reward = (await ok('POST', '/rewards', { name: 'Loop & Thread tote', description: 'Our canvas tote, on us', points_cost: 200, type: 'product', stock: 5 })).reward;
  const sticker = (await ok('POST', '/rewards', { name: 'Sticker sheet', points_cost: 50, type: 'product' })).reward;
  await ok('POST', `/advocates/${suite.stack.mike.id}/points`, { amount: 200, description: 'For the test' }, 200);
  const mikes = (await ok('POST', `/rewards/${reward.id}/redeem`, { advocate_id: suite.stack.mike.id }, 200)).redemption;

  // The catalogue: Quinn redeems the tote with her points.
  await page.goto(`${suite.stack.collectorUrl}/portal/rewards`);
  const item = page.locator('li, tr, article, section').filter({ hasText: 'Loop & Thread tote' }).filter({ has: page.getByRole('button', { name: /Redeem/ }) }).last();
  await item.getByRole('button', { name: /Redeem/ }).click();
  await page.waitForURL(/\/portal\/rewards/);
  const redemptions = (await ok('GET', `/redemptions?advocate_id=${quinn.id}`)).redemptions;
  assert.deepEqual(redemptions.map((r: { reward_id: number; status: string; points_cost: number }) => [r.reward_id, r.status, r.points_cost]),
    [[reward.id, 'pending', 200]]);
  assert.equal((await ok('GET', `/advocates/${quinn.id}`)).advocate.points_balance, 100);
  assert.equal((await ok('GET', `/rewards/${reward.id}`)).reward.stock, 3, 'Mike\'s unit and Quinn\'s');
  assert.equal((await page.locator('[data-figure="balance"]').innerText()).trim(), '100', 'the new balance');
  const own = redemptions[0].id;
  assert.equal(await page.locator(`a[href$="/rewards/redemptions/${own}"]`).count(), 1, 'her redemption is listed');
  assert.equal(await page.locator(`a[href$="/rewards/redemptions/${mikes.id}"]`).count(), 0, 'Mike\'s is not');
  assert.equal((await page.request.get(`${suite.stack.collectorUrl}/portal/rewards/redemptions/${own}`)).status(), 200);
  assert.equal((await page.request.get(`${suite.stack.collectorUrl}/portal/rewards/redemptions/${mikes.id}`)).status(), 404, 'Mike\'s redemption\'s page');
  // A redeem form sent with another advocate's id redeems for the session's advocate, never for Mike.
  const form = page.locator(`form[action$="/rewards/${sticker.id}/redeem"]`);
  const fields = Object.fromEntries(await form.locator('input[type="hidden"]').evaluateAll((els) => els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])));
  const mike = String(suite.stack.mike.id);
  const forged = await page.request.post(`${suite.stack.collectorUrl}/portal/rewards/${sticker.id}/redeem`, { form: { ...fields, advocate_id: mike, advocateId: mike }, maxRedirects: 0 });
  assert.equal(forged.status(), 303);
  assert.deepEqual((await ok('GET', `/redemptions?advocate_id=${suite.stack.mike.id}`)).redemptions.map((r: { id: number }) => r.id), [mikes.id]);
  assert.deepEqual((await ok('GET', `/redemptions?advocate_id=${quinn.id}`)).redemptions.map((r: { reward_id: number }) => r.reward_id), [sticker.id, reward.id]);
  assert.equal((await ok('GET', `/advocates/${quinn.id}`)).advocate.points_balance, 50);

  // Quests: shown, but a task is completed by the shop (the API), never by the advocate.
  const quest = (await ok('POST', '/quests', { title: 'Share week', description: 'Tell three friends', tasks: [{ title: 'Share your link', points: 10 }] })).quest;
  const { tasks } = await ok('GET', `/quests/${quest.id}`);
  await page.goto(`${suite.stack.collectorUrl}/portal/quests`);
  await page.getByText('Share week').first().waitFor();
  assert.equal(await page.getByRole('button', { name: /complete|done|claim/i }).count(), 0, 'no button completes a task');
  const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  for (const path of [`/portal/quests/${quest.id}/complete`, `/portal/quests/${quest.id}/tasks/${tasks[0].id}/complete`]) {
    const forged = await page.request.post(`${suite.stack.collectorUrl}${path}`, { form: { _csrf: csrf ?? '', task_id: String(tasks[0].id) }, maxRedirects: 0 });
    assert.ok([403, 404, 405].includes(forged.status()), `${path}: ${forged.status()}`);
  }
  const progress = (await ok('GET', `/quests/${quest.id}?advocate_id=${quinn.id}`)).progress as Array<{ advocate_id: number; tasks_completed: number; completed_task_ids: number[]; points_awarded: number }>;
  assert.deepEqual(progress.map((p) => [p.advocate_id, p.tasks_completed, p.completed_task_ids, p.points_awarded]), [[quinn.id, 0, [], 0]], 'no task completed');
  assert.equal((await ok('GET', `/advocates/${quinn.id}`)).advocate.points_balance, 50, 'no points for a task');

  // Commissions: the friend's order, not Sarah's, whatever the address asks for.
  await page.goto(`${suite.stack.collectorUrl}/portal/commissions`);
  const commissions = await page.locator('main').innerText();
  assert.match(commissions, new RegExp(friendOrder));
  assert.ok(!commissions.includes('SARAH-ONLY-1') && !commissions.includes(orderId), 'only the orders Quinn referred');
  assert.equal((await ok('GET', `/commissions?advocate_id=${suite.stack.sarah.id}&limit=1`)).commissions.length, 1, 'Sarah has one');
  for (const path of [`/portal?advocate_id=${suite.stack.sarah.id}`, `/portal/commissions?advocate_id=${suite.stack.sarah.id}`]) {
    await page.goto(`${suite.stack.collectorUrl}${path}`);
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes('Sarah') && !text.includes('SARAH-ONLY-1') && !text.includes('DEMO10'), `${path} shows only Quinn's`);
  }
  // The portal's session opens no API route.
  assert.equal((await page.request.get(`${suite.stack.collectorUrl}/api/v1/advocates/${suite.stack.sarah.id}`)).status(), 401);
  assert.deepEqual([pageErrors, consoleErrors], [[], []]);
});

test('with the collector down, the order still completes, the account page says the link is unavailable, and the portal button says so too', async (t) => {
  const store = await suite.stack.startStoreWithCollectorDown();
  t.after(() => store.close());
  const context = await newContext();
  t.after(() => context.close());
  const { page, pageErrors } = await openPage(context);
  await addToCart(page, store.url, 'stoneware-mug');
  await checkout(page, 'offline@customer.example', 'Otto Line');
  await pay(page);
  await page.getByRole('heading', { name: 'Thank you, Otto!' }).waitFor();

  await page.getByRole('link', { name: 'Get your referral link' }).click();
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  assert.match(await page.getByRole('status').innerText(), /couldn't load your referral link right now/);
  assert.equal(await page.locator('script[src$="/widget.js"], [data-referloop-widget]').count(), 0, 'no widget without a session');
  assert.equal((await page.request.get(`${store.url}/account`)).headers()['cache-control'], 'no-store');
  await checkA11y(page, 'the account page without its widget');

  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${store.url}/account/portal`),
    page.getByRole('button', { name: 'Open your referral portal' }).click(),
  ]);
  assert.equal(answer.status(), 503);
  await page.getByText('Your referral portal is unavailable right now').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('the account page and the portal button need the customer signed in by their order on this browser', async (t) => {
  const context = await newContext();
  t.after(() => context.close());
  const { page } = await openPage(context);
  await page.goto(`${suite.stack.storeUrl}/account`);
  await page.getByText('Your account opens with your first order on this browser.').waitFor();
  assert.equal(await page.locator('script[src$="/widget.js"]').count(), 0);
  const mappings = (await ok('GET', '/sso/mappings?limit=100')).mappings.length;
  const posted = await page.request.post(`${suite.stack.storeUrl}/account/portal`, { maxRedirects: 0 });
  assert.deepEqual([posted.status(), posted.headers().location], [303, '/account'], 'sent to the account page, no link asked');
  assert.equal((await ok('GET', '/sso/mappings?limit=100')).mappings.length, mappings, 'nobody recognised');

  // Someone else's order page (its address alone) offers no portal.
  const buyer = await newContext();
  t.after(() => buyer.close());
  const b = await openPage(buyer);
  const orderId = await buy(b.page, 'private@customer.example', 'Pia Vate');
  await checkA11y(b.page, 'the order confirmation with its portal button');
  await page.goto(`${suite.stack.storeUrl}/orders/${orderId}`);
  await page.getByRole('heading', { name: 'Thank you, Pia!' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Open your referral portal' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Get your referral link' }).count(), 0);
});

test('a name sent with a line break is signed as one line: the customer is still recognised', async (t) => {
  const context = await newContext();
  t.after(() => context.close());
  const { page } = await openPage(context);
  await addToCart(page, suite.stack.storeUrl, 'stoneware-mug');
  // What no form field sends but a hand-made post can: the store signs the name it keeps, one line.
  const posted = await page.request.post(`${suite.stack.storeUrl}/checkout`, { form: { email: 'nia@customer.example', name: 'Nia\nLine' }, maxRedirects: 0 });
  assert.equal(posted.status(), 303);
  await page.goto(`${suite.stack.storeUrl}${posted.headers().location}`);
  await pay(page);
  await page.goto(`${suite.stack.storeUrl}/account`);
  await page.locator('[data-referloop-widget]').getByLabel('Your referral link').waitFor();
  const mappings = (await ok('GET', '/sso/mappings?limit=100')).mappings as Array<{ external_email: string; external_name: string }>;
  assert.equal(mappings.find((m) => m.external_email === 'nia@customer.example')?.external_name, 'Nia Line');
});
