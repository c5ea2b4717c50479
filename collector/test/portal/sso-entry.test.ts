// Entry to the portal by an SSO session token (issue 14): the site's page posts the token POST /api/v1/sso/recognize
// answered to /portal/sso (a form field: in no URL, log line or Referer); a portal session opens for the token's
// advocate and reads their data alone; an unknown, expired or malformed token is a 401 page, a blocked advocate or a
// post from a page off the brand's origins a 403, none opening anything.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { textOf } from '../support/dashboard.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/config.ts';
import { advocateId, HOUR_MS, PATHS, row, rows } from '../support/fixtures.ts';
import { ssoSessionToken as sessionToken } from '../support/sso.ts';
import { launchBrowser, openPage } from '../../../e2e/support/browser.ts';

const START = Date.parse('2026-12-01T10:00:00Z');

async function setUp(t: TestContext) {
  const clock = { ms: START };
  const logs: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }));
  const c = await startTestCollector({ now: () => new Date(clock.ms), logger });
  t.after(() => c.close());
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: ['https://shop.example'] })).status, 200);
  return { c, clock, logs };
}

/** The site's page's form, posted by the browser from `origin` (the site's page; undefined: no Origin header). */
async function postToken(c: TestCollector, token: string, origin: string | undefined = 'https://shop.example', cookie = '') {
  const res = await fetch(`${c.url}/portal/sso`, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}), ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams({ session_token: token }).toString(),
  });
  const session = /rl_portal=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { status: res.status, location: res.headers.get('location'), text: await res.text(), cookie: session ? `rl_portal=${session}` : '' };
}

const home = async (c: TestCollector, cookie: string) => {
  const res = await fetch(`${c.url}/portal`, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
};

test('the site\'s page posts the token: a portal session of that advocate opens, and the token is in no URL, log or stored row', async (t) => {
  const { c, logs } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  await c.post(PATHS.visit, { referral_code: 'JOHN123', visitor_id: 'v-1' });
  const token = await sessionToken(c, john, 'cus_john');
  const entered = await postToken(c, token);
  assert.equal(entered.status, 303, entered.text.slice(0, 300));
  assert.equal(entered.location, '/portal');
  assert.match(entered.cookie, /^rl_portal=[A-Za-z0-9_-]{43}$/);
  assert.ok(!entered.cookie.includes(token), 'the cookie is a portal session of its own, not the token');
  const page = await home(c, entered.cookie);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Hello, John Smith/);
  assert.match(page.text, /value="https:\/\/shop\.example\/\?ref=JOHN123"/);
  assert.deepEqual((await rows(c, 'SELECT advocate_id FROM portal_sessions')).map((r) => Number(r.advocate_id)), [john]);
  // The token is kept nowhere in the clear, and no log line holds it.
  for (const table of ['portal_sessions', 'sso_sessions']) assert.ok(!JSON.stringify(await rows(c, `SELECT * FROM ${table}`)).includes(token), table);
  assert.ok(logs.length > 0, 'the collector logged');
  assert.ok(!logs.join('').includes(token), 'the token is in no log line');
  // The portal's answers never send the address on: Referrer-Policy same-origin.
  assert.equal((await fetch(`${c.url}/portal/sso`, { method: 'POST' })).headers.get('referrer-policy'), 'same-origin');
  // A GET with the token in its query string opens nothing (it would be in logs and Referer headers).
  const byGet = await fetch(`${c.url}/portal/sso?session_token=${encodeURIComponent(token)}`, { redirect: 'manual' });
  assert.equal(byGet.status, 401);
  assert.equal(byGet.headers.get('set-cookie'), null);
  // The token still works for the widget's reads: entering does not use it up.
  assert.equal((await c.request('GET', '/api/v1/sso/session', { headers: { authorization: `Bearer ${token}` } })).status, 200);
});

test('a token of one advocate opens only that advocate\'s portal, of its own brand; another browser\'s session is replaced', async (t) => {
  const { c } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const jane = await advocateId(c, 'V2AVMRDJ');
  const other = await c.addBrand();
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: ['https://other.example'] }, { brand: other })).status, 200);
  const theirs = await advocateId(c, 'JOHN123', other);
  const asJane = await postToken(c, await sessionToken(c, jane, 'cus_jane'));
  const janeHome = await home(c, asJane.cookie);
  assert.match(textOf(janeHome.text), /Hello, Sarah Jones/);
  assert.ok(!janeHome.text.includes('JOHN123'), 'nothing of John');
  // The other brand's John: his brand's link and nothing of this brand.
  const otherJohn = await postToken(c, await sessionToken(c, theirs, 'cus_john', { brand: other }), 'https://other.example');
  assert.equal(otherJohn.status, 303, otherJohn.text.slice(0, 300));
  const viewer = await row(c, 'SELECT brand_id, advocate_id FROM portal_sessions ORDER BY id DESC LIMIT 1');
  assert.deepEqual([viewer.brand_id, Number(viewer.advocate_id)], [other.brand_id, theirs]);
  assert.match((await home(c, otherJohn.cookie)).text, /value="https:\/\/other\.example\/\?ref=JOHN123"/);
  // Jane's browser posts John's token: the browser is John's now, Jane's session ended on the server.
  const asJohn = await postToken(c, await sessionToken(c, john, 'cus_john'), 'https://shop.example', asJane.cookie);
  assert.equal(asJohn.status, 303);
  assert.match(textOf((await home(c, asJohn.cookie)).text), /Hello, John Smith/);
  assert.equal((await home(c, asJane.cookie)).status, 401, 'the replaced session is closed');
});

test('an unknown, expired or malformed token is a 401 page; a blocked advocate or another site\'s page a 403; none opens a session', async (t) => {
  const { c, clock } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const token = await sessionToken(c, john, 'cus_john');
  const refused: Array<[string, string, string | undefined, number, RegExp]> = [
    ['unknown', 'rl_st_' + 'x'.repeat(43), 'https://shop.example', 401, /not valid or has expired: open the portal from the shop again/],
    ['no token', '', 'https://shop.example', 401, /not valid or has expired/],
    ['an API key', c.brand.secret_key, 'https://shop.example', 401, /not valid or has expired/],
    ['another site\'s page', token, 'https://evil.example', 403, /sent from https:\/\/evil\.example, which is not one of the shop's sites/],
  ];
  for (const [what, sent, origin, status, message] of refused) {
    const res = await postToken(c, sent, origin);
    assert.equal(res.status, status, what);
    assert.match(textOf(res.text), message, what);
    assert.equal(res.cookie, '', `${what}: no session`);
  }
  // From the collector's own page, or with no Origin (a browser sends one; a script may not): the token's brand decides.
  assert.equal((await postToken(c, token, c.url)).status, 303);
  assert.equal((await postToken(c, token, undefined)).status, 303);
  // Blocked: refused.
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' })).status, 200);
  const blocked = await postToken(c, token);
  assert.equal(blocked.status, 403);
  assert.match(textOf(blocked.text), /closed to you/);
  assert.equal(blocked.cookie, '');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'active' })).status, 200);
  // An hour on, the token has expired.
  clock.ms = START + HOUR_MS;
  const expired = await postToken(c, token);
  assert.equal(expired.status, 401);
  assert.equal(expired.cookie, '');
  assert.equal(Number((await row(c, 'SELECT count(*) AS n FROM portal_sessions')).n), 2, 'only the two entries that were let in');
});

test('failed tokens count on the client\'s sign-in budget: past it, a 429', async (t) => {
  const c = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, sign_in: { limit: 3, windowMs: 60_000 } } } });
  t.after(() => c.close());
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await postToken(c, `rl_st_${'y'.repeat(43)}`, undefined)).status);
  assert.deepEqual(statuses, [401, 401, 401, 429]);
});

test('in Chromium the site\'s page on its own origin posts the form: the browser lands in the advocate\'s portal', async (t) => {
  const { c } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const token = await sessionToken(c, john, 'cus_john');
  // The site: another origin (localhost, where the collector is 127.0.0.1: another site too), its page holding the form.
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>Shop account</title>
<form method="post" action="${c.url}/portal/sso"><input type="hidden" name="session_token" value="${token}"><button>Referral portal</button></form>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  t.after(() => site.close());
  const siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: [siteOrigin] })).status, 200);
  const browserApp = await launchBrowser();
  t.after(() => browserApp.close());
  const { page, pageErrors } = await openPage(await browserApp.newContext());
  const referers: string[] = [];
  page.on('request', (r) => { if (r.url().startsWith(c.url)) referers.push(`${r.method()} ${r.url()} ${r.headers().referer ?? ''}`); });
  await page.goto(`${siteOrigin}/account`);
  await page.getByRole('button', { name: 'Referral portal' }).click();
  await page.getByRole('heading', { name: 'Hello, John Smith' }).waitFor();
  assert.equal(page.url(), `${c.url}/portal`);
  assert.ok(referers.length > 0 && referers.every((r) => !r.includes(token)), referers.join('\n'));
  assert.deepEqual(pageErrors, []);
});
