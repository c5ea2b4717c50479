// The site widget (dist/widget.js) in real Chromium, on pages of the store's origin under the store's strict CSP: a
// referred visitor claims the offer (the claim is then in GET /claims), a recognised advocate copies and shares their
// link (each share counted), keyboard only; the collector down, slow or failing and cookies blocked: nothing shown,
// no page error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { contentSecurityPolicy } from '../demo-site/server.ts';
import { ssoSignature } from '../collector/src/domain/sso.ts';
import { openPage, waitFor, type WatchedPage } from './support/browser.ts';
import { checkA11y } from './support/dashboard.ts';
import { api, useSuite } from './support/suite.ts';

const suite = useSuite();
const WIDGET_FILE = new URL('../dist/widget.js', import.meta.url);

interface PageOptions {
  /** the page's own [data-referloop-widget] container (its room reserved by the page's stylesheet); else the floating panel */
  slot?: boolean;
  ssoToken?: string;
  /** the collector as the tag names it (data-api and the CSP); the widget script then comes from the page's own origin */
  api?: string;
}

/**
 * The test pages: a server of their own on localhost (so al.js's cookies of the store, also on localhost, are theirs
 * too), an origin the brand allows. /page carries the widget's tag as `PageOptions` (in its query) says, under the
 * store's CSP; /page.css reserves the container's room; /widget.js is the bundle itself, served from the page's origin.
 */
let pagesUrl = '';
const pages = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const { collectorUrl, brand } = suite.stack;
  if (url.pathname === '/page.css') return res.writeHead(200, { 'Content-Type': 'text/css' }).end('.room{min-height:420px}');
  if (url.pathname === '/widget.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(WIDGET_FILE));
  const o: PageOptions = JSON.parse(url.searchParams.get('o') ?? '{}');
  const src = o.api ? `${pagesUrl}/widget.js` : `${collectorUrl}/widget.js`;
  const tag = `<script async src="${src}" data-brand="${brand.brand_id}" data-key="${brand.publishable_key}"`
    + `${o.api ? ` data-api="${o.api}"` : ''}${o.ssoToken ? ` data-sso-token="${o.ssoToken}"` : ''}></script>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy(o.api ?? collectorUrl) });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widget test</title>
<link rel="stylesheet" href="/page.css">${tag}</head>
<body><main><h1>Loop &amp; Thread</h1><p>Everyday essentials.</p>${o.slot ? '<div class="room" data-referloop-widget></div>' : ''}
<p id="below">Below the widget's room.</p><a href="/">Back to the shop</a></main></body></html>`);
});
/** The pages' server listening and its origin allowed by the brand, once (after the suite's stack has started). */
let pagesListening: Promise<void> | undefined;
const pagesReady = () => (pagesListening ??= (async () => {
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesUrl = `http://localhost:${(pages.address() as AddressInfo).port}`;
  const settings = await api(suite, 'PATCH', '/settings', { allowed_origins: [suite.stack.storeUrl, pagesUrl] });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
})());
after(() => new Promise((resolve) => (pages.listening ? pages.close(resolve) : resolve(undefined))));

/** A context whose pages record what they open (window.open), every CSP violation and every layout shift not caused by input (CLS's). */
async function widgetContext(o: PageOptions = {}): Promise<{ context: BrowserContext; url: string }> {
  await pagesReady();
  const context = await suite.browser.newContext();
  await context.addInitScript({
    content: `window.__csp = []; window.__opened = []; window.__shift = 0;
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
      window.open = (url) => { window.__opened.push(String(url)); return null; };
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; }).observe({ type: 'layout-shift', buffered: true });`,
  });
  return { context, url: `${pagesUrl}/page?o=${encodeURIComponent(JSON.stringify(o))}` };
}

const seen = <T>(page: Page, name: '__csp' | '__opened' | '__shift') => page.evaluate((n) => (window as unknown as Record<string, T>)[n], name) as Promise<T>;

/**
 * No uncaught error, no console error, nothing refused by the CSP, no layout shift. The browser's own line for an
 * answer of 4xx/5xx or a request that found nobody ("Failed to load resource: ...") is the network's, not the page's.
 */
async function assertClean(w: WatchedPage): Promise<void> {
  assert.deepEqual(await seen(w.page, '__csp'), [], 'CSP violations');
  assert.deepEqual(w.pageErrors, [], 'page errors');
  assert.deepEqual(w.consoleErrors.filter((m) => !/^Failed to load resource: /.test(m)), [], 'console errors');
  assert.equal(await seen(w.page, '__shift'), 0, 'layout shift');
}

/** A real landing through the store's referral link: al.js keeps the code in its cookie. */
async function landWithCode(context: BrowserContext, code: string): Promise<void> {
  const { page } = await openPage(context);
  await page.goto(`${suite.stack.storeUrl}/?ref=${code}`);
  await waitFor(async () => (await context.cookies()).some((c) => c.name === 'al_code' && c.value === code), 'al.js to keep the code');
  await page.close();
}

/** What the widget mounted: the floating host or the slot, and whether a card is in its shadow root. */
const mounted = (page: Page) => page.evaluate(() => {
  const host = document.querySelector('[data-referloop-floating]') ?? document.querySelector('[data-referloop-widget]');
  return { floating: !!document.querySelector('[data-referloop-floating]'), card: !!host?.shadowRoot?.querySelector('.card'),
    position: host ? getComputedStyle(host).position : null };
});

/** A session token for Sarah: her customer mapped, then recognised with a signature of the brand's secret key (as a site's server does). */
async function sarahSession(): Promise<string> {
  const { brand, collectorUrl, sarah } = suite.stack;
  const customer = `cus_widget_${Date.now()}`;
  assert.equal((await api(suite, 'POST', '/sso/mappings', { advocateId: sarah.id, externalCustomerId: customer })).status, 201);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = ssoSignature(brand.secret_key, { businessId: brand.brand_id, externalCustomerId: customer, timestamp, externalEmail: null, externalName: null });
  const res = await fetch(`${collectorUrl}/api/v1/sso/recognize`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ businessId: brand.brand_id, externalCustomerId: customer, timestamp: Number(timestamp), signature }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { data: { session_token: string } }).data.session_token;
}

const sessionAdvocate = async (token: string) =>
  ((await (await fetch(`${suite.stack.collectorUrl}/api/v1/sso/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { share_count: number } }).data;

test('referee mode: the referred visitor sees who referred them and the offer, claims it with their email, and the claim is recorded', async (t) => {
  const { context, url: contextUrl } = await widgetContext();
  t.after(() => context.close());
  await landWithCode(context, 'DEMO10');
  const w = await openPage(context);
  await w.page.goto(contextUrl);

  const region = w.page.getByRole('region', { name: 'Sarah sent you 10% off' });
  await region.waitFor({ timeout: 5000 });
  assert.deepEqual(await mounted(w.page), { floating: true, card: true, position: 'fixed' });
  // First name only: the advocate's surname never reaches the page.
  assert.doesNotMatch(await region.innerText(), /Jones/);
  await w.page.getByRole('button', { name: 'Get my discount' }).click();
  assert.match(await w.page.getByRole('status').innerText(), /Please enter your email/);
  assert.equal(await w.page.getByLabel('Your email').getAttribute('aria-invalid'), 'true');

  await w.page.getByLabel('Your email').fill('friend@example.com');
  await w.page.getByRole('button', { name: 'Get my discount' }).click();
  const status = w.page.getByRole('status');
  await waitFor(async () => /saved/.test(await status.innerText()), 'the outcome');
  assert.equal(await status.innerText(), 'Your 10% off is saved for friend@example.com: use code DEMO10 at checkout, or check out with this email.');
  const claims = await api(suite, 'GET', '/claims?limit=100');
  const claim = (claims.body.data.claims as Array<{ email: string; code: string; status: string; visitor_id: string | null }>)
    .find((c) => c.email === 'friend@example.com');
  assert.ok(claim, 'the claim is in GET /claims');
  assert.deepEqual([claim.code, claim.status], ['DEMO10', 'pending']);
  const visitorId = (await context.cookies()).find((c) => c.name === 'al_vid')?.value;
  assert.equal(claim.visitor_id, visitorId, "the claim carries al.js's visitor id");

  // The same email again: said in words, nothing claimed twice.
  await w.page.getByRole('button', { name: 'Get my discount' }).click();
  await waitFor(async () => /already claimed/.test(await status.innerText()), 'the repeat outcome');
  // The advocate's own email: why not, in words.
  await w.page.getByLabel('Your email').fill('sarah@advocate.example');
  await w.page.getByRole('button', { name: 'Get my discount' }).click();
  await waitFor(async () => /your own referral link/.test(await status.innerText()), 'the self-referral outcome');
  await checkA11y(w.page, 'the referee widget');
  await assertClean(w);
});

test('keyboard only: into the page\'s reserved room, Tab reaches the email field, Enter claims, focus is visible; the floating panel closes by keyboard', async (t) => {
  const { context, url: contextUrl } = await widgetContext({ slot: true });
  t.after(() => context.close());
  await landWithCode(context, 'MIKE20');
  const w = await openPage(context);
  await w.page.goto(contextUrl);
  await w.page.getByRole('region', { name: 'Mike sent you 10% off' }).waitFor({ timeout: 5000 });
  assert.deepEqual(await mounted(w.page), { floating: false, card: true, position: 'static' });

  const focused = () => w.page.evaluate(() => {
    const root = document.querySelector('[data-referloop-widget]')?.shadowRoot;
    const el = root?.activeElement as HTMLElement | null | undefined;
    return el ? { id: el.id, text: el.textContent, outline: getComputedStyle(el).outlineStyle } : null;
  });
  await w.page.keyboard.press('Tab');
  assert.equal((await focused())?.id, 'referloop-email');
  assert.equal((await focused())?.outline, 'solid', 'the focused field shows its focus');
  await w.page.keyboard.type('keys@example.com');
  await w.page.keyboard.press('Tab');
  assert.deepEqual([(await focused())?.text, (await focused())?.outline], ['Get my discount', 'solid']);
  await w.page.keyboard.press('Shift+Tab');
  await w.page.keyboard.press('Enter');
  await waitFor(async () => /saved for keys@example\.com/.test(await w.page.getByRole('status').innerText()), 'the outcome');
  await assertClean(w);

  // The floating panel: its Close button is reached and pressed by keyboard.
  const { context: again, url: againUrl } = await widgetContext();
  t.after(() => again.close());
  await landWithCode(again, 'MIKE20');
  const f = await openPage(again);
  await f.page.goto(againUrl);
  await f.page.getByRole('region', { name: 'Mike sent you 10% off' }).waitFor({ timeout: 5000 });
  await f.page.getByRole('button', { name: 'Close the referral offer' }).focus();
  await f.page.keyboard.press('Enter');
  assert.deepEqual(await mounted(f.page), { floating: false, card: false, position: null });
  await assertClean(f);
});

test('advocate mode (data-sso-token): their link to copy, five share buttons that open the share page and are counted', async (t) => {
  const token = await sarahSession();
  const { context, url: contextUrl } = await widgetContext({ slot: true, ssoToken: token });
  t.after(() => context.close());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pagesUrl });
  const w = await openPage(context);
  await w.page.goto(contextUrl);
  await w.page.getByRole('region', { name: 'Refer your friends' }).waitFor({ timeout: 5000 });
  const link = `${suite.stack.storeUrl}/?ref=DEMO10`;
  const input = w.page.getByLabel('Your referral link');
  assert.equal(await input.inputValue(), link);
  assert.equal(await input.getAttribute('readonly'), '');
  await w.page.getByRole('button', { name: 'Copy' }).click();
  await waitFor(async () => (await w.page.getByRole('status').innerText()) === 'Link copied.', 'the copy');
  assert.equal(await w.page.evaluate(() => navigator.clipboard.readText()), link);

  const before = (await sessionAdvocate(token)).share_count;
  const names = ['Share by email', 'Share on WhatsApp', 'Share on X', 'Share on Facebook', 'Share on LinkedIn'];
  for (const name of names) await w.page.getByRole('button', { name, exact: true }).click();
  const opened = await seen<string[]>(w.page, '__opened');
  const q = encodeURIComponent;
  assert.deepEqual(opened, [
    `mailto:?subject=${q('Here is a discount for you:')}&body=${q(`Here is a discount for you: ${link}`)}`,
    `https://wa.me/?text=${q(`Here is a discount for you: ${link}`)}`,
    `https://x.com/intent/tweet?text=${q('Here is a discount for you:')}&url=${q(link)}`,
    `https://www.facebook.com/sharer/sharer.php?u=${q(link)}`,
    `https://www.linkedin.com/sharing/share-offsite/?url=${q(link)}`,
  ]);
  await waitFor(async () => (await sessionAdvocate(token)).share_count === before + 5, 'five shares counted');
  const channels = suite.stack.db.prepare('SELECT channel FROM shares WHERE brand_id = ? AND advocate_id = ? ORDER BY id')
    .all(suite.stack.brand.brand_id, suite.stack.sarah.id) as Array<{ channel: string }>;
  assert.deepEqual(channels.slice(-5).map((s) => s.channel), ['email', 'whatsapp', 'x', 'facebook', 'linkedin']);
  // The widget's own figure follows.
  await waitFor(async () => (await w.page.locator('dd').nth(1).innerText()) === String(before + 5), 'the shares figure');
  await checkA11y(w.page, 'the advocate widget');
  await assertClean(w);
});

test("a landing (?ref= in the URL, no cookie yet, even with cookies blocked): the link's code is offered, and claimed", async (t) => {
  const { context, url } = await widgetContext({ slot: true });
  t.after(() => context.close());
  await context.addInitScript({ content: `Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); }, set() {} });` });
  const w = await openPage(context);
  await w.page.goto(`${url}&ref=mike20`);
  await w.page.getByRole('region', { name: 'Mike sent you 10% off' }).waitFor({ timeout: 5000 });
  await w.page.getByLabel('Your email').fill('landing@example.com');
  await w.page.getByRole('button', { name: 'Get my discount' }).click();
  await waitFor(async () => /saved for landing@example\.com: use code MIKE20/.test(await w.page.getByRole('status').innerText()), 'the outcome');
  const claims = (await api(suite, 'GET', '/claims?limit=100')).body.data.claims as Array<{ email: string; code: string; visitor_id: string | null }>;
  assert.deepEqual(claims.filter((c) => c.email === 'landing@example.com').map((c) => [c.code, c.visitor_id]), [['MIKE20', null]]);
  await assertClean(w);
});

test('an unknown code, an expired or wrong token, or no code at all: the widget renders nothing', async (t) => {
  for (const setUp of [
    async (c: BrowserContext) => { await c.addCookies([{ name: 'al_code', value: 'NOSUCHCODE', url: suite.stack.storeUrl }]); },
    async () => {},
  ]) {
    const { context, url: contextUrl } = await widgetContext({ slot: true });
    t.after(() => context.close());
    await setUp(context);
    const w = await openPage(context);
    await w.page.goto(contextUrl);
    await w.page.waitForLoadState('networkidle');
    assert.deepEqual(await mounted(w.page), { floating: false, card: false, position: 'static' });
    assert.deepEqual(w.pageErrors, []);
  }
  const { context, url: contextUrl } = await widgetContext({ ssoToken: 'rl_st_not-a-real-token' });
  t.after(() => context.close());
  const w = await openPage(context);
  await w.page.goto(contextUrl);
  await waitFor(() => w.requests.some((r) => r.includes('/api/v1/sso/me')), 'the session read');
  await w.page.waitForLoadState('networkidle');
  assert.deepEqual(await mounted(w.page), { floating: false, card: false, position: null });
  assert.deepEqual(w.pageErrors, []);
});

test('the collector down, slow (past the 5 s timeout) or answering 500: nothing is shown and nothing breaks the page', async (t) => {
  const cases: Array<[string, (c: BrowserContext) => Promise<unknown>]> = [
    ['down', (c) => c.route(`${suite.stack.collectorUrl}/api/v1/**`, (route) => route.abort('connectionrefused'))],
    ['500', (c) => c.route(`${suite.stack.collectorUrl}/api/v1/**`, (route) => route.fulfill({
      status: 500, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': pagesUrl },
      body: JSON.stringify({ success: false, error: 'Internal server error', code: 'internal_error' }),
    }))],
    // Never answered: the widget gives up after 5 s.
    ['slow', (c) => c.route(`${suite.stack.collectorUrl}/api/v1/track/referrer**`, () => {})],
  ];
  for (const [what, breakCollector] of cases) {
    const { context, url: contextUrl } = await widgetContext();
    t.after(() => context.close());
    await context.addCookies([{ name: 'al_code', value: 'DEMO10', url: suite.stack.storeUrl }]);
    await breakCollector(context);
    const w = await openPage(context);
    await w.page.goto(contextUrl);
    await w.page.getByRole('heading', { name: 'Loop & Thread' }).waitFor({ timeout: 2000 });
    await waitFor(() => w.requests.some((r) => r.includes('/api/v1/track/referrer')), `the referrer read (${what})`);
    await new Promise((resolve) => setTimeout(resolve, what === 'slow' ? 5500 : 500));
    assert.deepEqual(await mounted(w.page), { floating: false, card: false, position: null }, what);
    assert.ok(await w.page.getByRole('link', { name: 'Back to the shop' }).isVisible(), what);
    await assertClean(w);
  }

  // The widget's own file from the page's origin, its collector a closed port: the same quiet page.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  const { context: down, url: downUrl } = await widgetContext({ api: closedUrl });
  t.after(() => down.close());
  await down.addCookies([{ name: 'al_code', value: 'DEMO10', url: suite.stack.storeUrl }]);
  const w = await openPage(down);
  await w.page.goto(downUrl);
  await waitFor(() => w.requests.some((r) => r.includes('/api/v1/track/referrer')), 'the referrer read (closed port)');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(await mounted(w.page), { floating: false, card: false, position: null });
  await assertClean(w);
});

test('cookies blocked (document.cookie throws) or disabled: no code is read, nothing is shown, no page error; advocate mode still works', async (t) => {
  const block = `(() => {
    const blocked = () => { throw new DOMException('Access is denied for this document.', 'SecurityError'); };
    Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: blocked, set: blocked });
  })();`;
  const { context, url: contextUrl } = await widgetContext({ slot: true });
  t.after(() => context.close());
  await context.addCookies([{ name: 'al_code', value: 'DEMO10', url: suite.stack.storeUrl }]);
  await context.addInitScript({ content: block });
  const w = await openPage(context);
  await w.page.goto(contextUrl);
  await w.page.waitForLoadState('networkidle');
  assert.deepEqual(await mounted(w.page), { floating: false, card: false, position: 'static' });
  assert.ok(!w.requests.some((r) => r.includes('/api/v1/')), 'no code, no call');
  await assertClean(w);

  const { context: disabled, url: disabledUrl } = await widgetContext({ slot: true });
  t.after(() => disabled.close());
  await disabled.addCookies([{ name: 'al_code', value: 'DEMO10', url: suite.stack.storeUrl }]);
  const d = await openPage(disabled);
  const cdp = await disabled.newCDPSession(d.page);
  await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
  await d.page.goto(disabledUrl);
  await d.page.waitForLoadState('networkidle');
  assert.deepEqual(await mounted(d.page), { floating: false, card: false, position: 'static' });
  await assertClean(d);

  // The advocate's widget needs no cookie: the token is in the tag.
  const token = await sarahSession();
  const { context: advocate, url: advocateUrl } = await widgetContext({ ssoToken: token });
  t.after(() => advocate.close());
  await advocate.addInitScript({ content: block });
  const a = await openPage(advocate);
  await a.page.goto(advocateUrl);
  await a.page.getByRole('region', { name: 'Refer your friends' }).waitFor({ timeout: 5000 });
  await assertClean(a);
});
