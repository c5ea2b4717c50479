// The dashboard's front door: sign-in by single-use link, the session cookie, CSRF, sign-out, the security headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { browser, signedIn } from '../support/dashboard.ts';
import { createDashboardUser } from '../../src/services/dashboardUsers.ts';
import { zCreateDashboardUser } from '../../src/schemas/dashboard.ts';

test('a signed-out visitor is sent to sign-in, and comes back after', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const page = await browser(c).get('/dashboard/commissions?status=pending');
  assert.equal(page.status, 303);
  assert.equal(page.location, '/dashboard/sign-in?next=%2Fdashboard%2Fcommissions%3Fstatus%3Dpending');
  const root = await browser(c).get('/');
  assert.equal(root.status, 302);
  assert.equal(root.location, '/dashboard');
});

test('a sign-in link signs in once, and pages carry a strict CSP', async (t) => {
  let now = new Date('2026-12-01T10:00:00Z');
  const c = await startTestCollector({ now: () => now });
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  const { token, user } = await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now }, zCreateDashboardUser.parse({ email: 'Owner@Shop.example', role: 'owner' })));
  assert.equal(user.email, 'owner@shop.example');
  const b = browser(c);
  const linkPage = await b.get(`/dashboard/sign-in/${token}`);
  assert.equal(linkPage.status, 200, 'opening the link alone (a mail scanner) does not use it');
  assert.match(linkPage.text, /<button type="submit">Sign in<\/button>/);
  const first = await b.post(`/dashboard/sign-in/${token}`, { next: '/dashboard/payouts' }, { csrf: false });
  assert.equal(first.status, 303);
  assert.equal(first.location, '/dashboard/payouts');
  const setCookie = first.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /rl_session=[A-Za-z0-9_-]{43}/);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  assert.match(setCookie, /Path=\/dashboard/);
  assert.doesNotMatch(setCookie, /Secure/, 'plain http: no Secure flag, or the browser would drop the cookie');

  const overview = await b.get('/dashboard');
  assert.equal(overview.status, 200);
  assert.match(overview.text, /owner@shop\.example/);
  const csp = overview.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(overview.headers.get('cache-control'), 'no-store');
  assert.doesNotMatch(overview.text, /<script>|<script [^>]*>[^<]|\son[a-z]+=/, 'no inline script or handler');

  const again = await browser(c).post(`/dashboard/sign-in/${token}`, {}, { csrf: false });
  assert.equal(again.status, 410);
  assert.equal(again.headers.get('set-cookie'), null);

  const late = await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now }, zCreateDashboardUser.parse({ email: 'late@shop.example', role: 'viewer' })));
  now = new Date(now.getTime() + 60 * 60_000);
  assert.equal((await browser(c).post(`/dashboard/sign-in/${late.token}`, {}, { csrf: false })).status, 410, 'an hour old: expired');
  assert.equal((await browser(c).post('/dashboard/sign-in/not-a-token', {}, { csrf: false })).status, 410);
});

test('next never leads off the dashboard', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  for (const next of ['//evil.example/', 'https://evil.example/', '/dashboard@evil.example', '/dashboardx', '/api/v1/advocates']) {
    const { token } = await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now: new Date() }, { email: `n${Math.random()}@x.example`, role: 'owner' }));
    const res = await browser(c).post(`/dashboard/sign-in/${token}`, { next }, { csrf: false });
    assert.equal(res.location, '/dashboard', next);
  }
});

test('a form without its CSRF token is a 403; sign-out ends the session on the server', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const owner = await signedIn(c);
  const forged = await owner.post('/dashboard/sign-out', {}, { csrf: false });
  assert.equal(forged.status, 403);
  const wrong = await owner.post('/dashboard/sign-out', { _csrf: 'x'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.equal((await owner.get('/dashboard')).status, 200, 'still signed in');
  const cookie = owner.cookie;
  const out = await owner.post('/dashboard/sign-out', {});
  assert.equal(out.status, 303);
  assert.equal(out.location, '/dashboard/sign-in');
  // The old cookie, replayed, no longer works: the session ended on the server, not only in the browser.
  const replay = await fetch(`${c.url}/dashboard`, { headers: { Cookie: `rl_session=${cookie}` }, redirect: 'manual' });
  assert.equal(replay.status, 303);
});

test('sessions end after 8 idle hours, and 7 days after sign-in', async (t) => {
  let now = new Date('2026-12-01T08:00:00Z');
  const c = await startTestCollector({ now: () => now });
  t.after(() => c.close());
  const owner = await signedIn(c);
  now = new Date(now.getTime() + 7 * 60 * 60_000);
  assert.equal((await owner.get('/dashboard')).status, 200);
  await c.deps.queue.drained();
  now = new Date(now.getTime() + 7 * 60 * 60_000);
  assert.equal((await owner.get('/dashboard')).status, 200, 'seen 7 h ago: still live');
  await c.deps.queue.drained();
  now = new Date(now.getTime() + 8 * 60 * 60_000 + 1000);
  assert.equal((await owner.get('/dashboard')).status, 303, '8 idle hours: ended');

  const busy = await signedIn(c);
  const start = now.getTime();
  for (let h = 6; h < 7 * 24; h += 6) {
    now = new Date(start + h * 60 * 60_000);
    assert.equal((await busy.get('/dashboard')).status, 200, `${h} h after sign-in`);
    await c.deps.queue.drained();
  }
  now = new Date(start + 7 * 24 * 60 * 60_000);
  assert.equal((await busy.get('/dashboard')).status, 303, 'a week after sign-in: ended, however active');
});

test('dashboard assets are served from the collector', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const js = await fetch(`${c.url}/dashboard/assets/common.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  const css = await fetch(`${c.url}/dashboard/assets/dashboard.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  assert.equal((await fetch(`${c.url}/dashboard/assets/uplot.css`)).status, 200);
});
