// The advocate portal (issue 14) over HTTP: an owner's single-use entry link (API, kept only hashed, sealed in an
// Idempotency-Key's answer), its page that does not use it up, the entry that uses it once within its hour, the home
// page's figures equal to the API's for that advocate alone, sign-out with the session's CSRF token, a session that
// ends a day after its entry, never a management API caller; the sweep and an erasure take links and sessions away.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { browser, textOf } from '../support/dashboard.ts';
import { enterPortal as enter, portalLink } from '../support/portal.ts';
import { advocateId, assertError, DAY_MS, HOUR_MS, PATHS, row, rows } from '../support/fixtures.ts';

const START = Date.parse('2026-12-01T10:00:00Z');

async function setUp(t: TestContext) {
  const clock = { ms: START };
  const c = await startTestCollector({ now: () => new Date(clock.ms) });
  t.after(() => c.close());
  return { c, clock };
}

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const figure = (text: string, label: string) => textOf(new RegExp(`<dd data-figure="${label}">([^<]*)</dd>`).exec(text)?.[1] ?? '');

test('an owner\'s link opens the advocate\'s portal once, within its hour; the database keeps only its hash', async (t) => {
  const { c, clock } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const link = await portalLink(c, john);
  assert.match(link.path, /^\/portal\/enter\/[A-Za-z0-9_-]{43}$/);
  assert.equal(link.expires_at, new Date(START + HOUR_MS).toISOString());
  const token = link.path.split('/').pop()!;
  const stored = await rows(c, 'SELECT token_hash, used_at FROM portal_links');
  assert.equal(stored.length, 1);
  assert.ok(!JSON.stringify(stored).includes(token), 'the token itself is not stored');

  // Opening the page (a mail scanner's fetch) does not use the link; its button does, once.
  const scanner = browser(c);
  assert.equal((await scanner.get(link.path)).status, 200);
  const { client, res } = await enter(c, link.path);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/portal');
  const home = await client.get('/portal');
  assert.equal(home.status, 200, home.text.slice(0, 300));
  assert.match(textOf(home.text), /Hello, John/);
  const again = await enter(c, link.path);
  assert.equal(again.res.status, 410);
  assert.match(textOf(again.res.text), /used or has expired/);

  // An hour on, an unused link no longer works.
  const late = await portalLink(c, john);
  clock.ms = START + HOUR_MS;
  assert.equal((await enter(c, late.path)).res.status, 410);
  // A path that is no token, another site's page pressing the button: refused.
  assert.equal((await browser(c).post('/portal/enter/not-a-token', {}, { csrf: false })).status, 410);
  const fresh = await portalLink(c, john);
  const crossSite = await fetch(c.url + fresh.path, { method: 'POST', redirect: 'manual', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(crossSite.status, 403);
  assert.equal((await enter(c, fresh.path)).res.status, 303, 'the refused press did not use the link');
});

test('the home page shows the advocate\'s link and the figures the API answers for them, and nothing of another advocate', async (t) => {
  const { c } = await setUp(t);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: ['https://shop.example'] })).status, 200);
  const john = await advocateId(c, 'JOHN123');
  await c.post(PATHS.visit, { referral_code: 'JOHN123', visitor_id: 'v-1' });
  await c.post(PATHS.visit, { referral_code: 'JOHN123', visitor_id: 'v-2' });
  const sale = await c.post(PATHS.conversion, { customer_email: 'buyer@example.com', order_id: 'P-1', order_value: 120, referral_code: 'JOHN123' });
  assert.equal(sale.status, 201, JSON.stringify(sale.body));
  await c.call('POST', `/api/v1/advocates/${john}/points`, { amount: 40, type: 'award' });
  const api = (await c.call('GET', `/api/v1/advocates/${john}`)).body.data.advocate;

  const { client } = await enter(c, (await portalLink(c, john)).path);
  const home = await client.get('/portal');
  assert.match(home.text, /value="https:\/\/shop\.example\/\?ref=JOHN123"/);
  assert.equal(figure(home.text, 'Clicks'), String(api.click_count));
  assert.equal(figure(home.text, 'Conversions'), String(api.conversion_count));
  assert.equal(figure(home.text, 'Pending'), `$${api.pending_earnings.toFixed(2)}`);
  assert.equal(figure(home.text, 'Earned in all'), `$${api.total_earnings.toFixed(2)}`);
  assert.equal(figure(home.text, 'Points'), String(api.points_balance));
  assert.ok(api.click_count >= 2 && api.conversion_count === 1 && api.points_balance === 40, JSON.stringify(api));
  const other = (await c.call('GET', `/api/v1/advocates/${await advocateId(c, 'V2AVMRDJ')}`)).body.data.advocate;
  assert.ok(!home.text.includes(other.name) && !home.text.includes(other.email), 'nothing of another advocate');
});

test('scoping: another brand\'s advocate is a 404, a blocked one a 403; the portal cookie opens no management route', async (t) => {
  const { c } = await setUp(t);
  const other = await c.addBrand();
  const theirs = await advocateId(c, 'JOHN123', other);
  assertError(await c.call('POST', `/api/v1/advocates/${theirs}/portal-link`, {}), 404, 'not_found');
  assertError(await c.call('POST', '/api/v1/advocates/999999/portal-link', {}), 404, 'not_found');
  const john = await advocateId(c, 'JOHN123');
  const { client, res } = await enter(c, (await portalLink(c, john)).path);
  const session = /rl_portal=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  assert.match(session ?? '', /^[A-Za-z0-9_-]{43}$/);
  const cookie = `rl_portal=${session}`;
  assert.equal((await fetch(c.url + '/portal', { headers: { Cookie: cookie } })).status, 200, 'the cookie opens the portal');
  for (const path of ['/api/v1/advocates', `/api/v1/advocates/${john}`, '/api/v1/settings', '/dashboard/advocates']) {
    const refused = await fetch(c.url + path, { headers: { Cookie: cookie }, redirect: 'manual' });
    assert.ok(refused.status === 401 || (path.startsWith('/dashboard') && refused.status === 303), `${path}: ${refused.status}`);
  }
  // The session token is no API key either.
  assert.equal((await fetch(c.url + '/api/v1/advocates', { headers: { Authorization: `Bearer ${session}` } })).status, 401);
  // Blocked: no new link, and the open session closes.
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' })).status, 200);
  assertError(await c.call('POST', `/api/v1/advocates/${john}/portal-link`, {}), 403, 'advocate_blocked');
  assert.equal((await client.get('/portal')).status, 401);
});

test('sign-out needs the session\'s CSRF token and ends the session; a session ends a day after its entry', async (t) => {
  const { c, clock } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const { client } = await enter(c, (await portalLink(c, john)).path);
  const home = await client.get('/portal');
  assert.equal((await client.post('/portal/sign-out', { _csrf: 'forged' })).status, 403);
  assert.equal((await client.get('/portal')).status, 200, 'a refused sign-out ends nothing');
  const out = await client.post('/portal/sign-out', { _csrf: csrfOf(home.text) });
  assert.equal(out.status, 200);
  assert.match(textOf(out.text), /You left the portal/);
  const after = await client.get('/portal');
  assert.equal(after.status, 401);
  assert.match(textOf(after.text), /open the link you were sent/);

  const next = (await enter(c, (await portalLink(c, john)).path)).client;
  clock.ms = START + DAY_MS - 1;
  assert.equal((await next.get('/portal')).status, 200);
  clock.ms = START + DAY_MS;
  assert.equal((await next.get('/portal')).status, 401);
});

test('the retention sweep deletes links and sessions past their expiry; an erasure deletes the advocate\'s', async (t) => {
  const { c, clock } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const jane = await advocateId(c, 'V2AVMRDJ');
  await enter(c, (await portalLink(c, john)).path);
  await portalLink(c, john);
  const counts = async () => ({ links: (await row(c, 'SELECT count(*) AS n FROM portal_links')).n, sessions: (await row(c, 'SELECT count(*) AS n FROM portal_sessions')).n });
  assert.deepEqual(await counts(), { links: 2, sessions: 1 });
  clock.ms = START + HOUR_MS + 1;
  await c.deps.retention.sweepOnce();
  assert.deepEqual(await counts(), { links: 0, sessions: 1 }, 'the links are past their hour, the session is not past its day');
  clock.ms = START + DAY_MS + 1;
  await c.deps.retention.sweepOnce();
  assert.deepEqual(await counts(), { links: 0, sessions: 0 });

  await enter(c, (await portalLink(c, jane)).path);
  await enter(c, (await portalLink(c, john)).path);
  const email = (await c.call('GET', `/api/v1/advocates/${john}`)).body.data.advocate.email;
  const erased = await c.call('DELETE', '/api/v1/people', undefined, { query: { email } });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.deepEqual((await rows(c, 'SELECT advocate_id FROM portal_sessions')).map((r) => Number(r.advocate_id)), [jane]);
  assert.equal((await row(c, 'SELECT count(*) AS n FROM portal_links WHERE advocate_id = ?', john)).n, 0);
});

test('an Idempotency-Key replays the same link; its stored answer holds the link sealed, never the token', async (t) => {
  const { c } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const first = await portalLink(c, john, { headers: { 'Idempotency-Key': 'portal-1' } });
  const again = await portalLink(c, john, { headers: { 'Idempotency-Key': 'portal-1' } });
  assert.equal(again.url, first.url);
  assert.equal((await row(c, 'SELECT count(*) AS n FROM portal_links')).n, 1);
  const stored = await row(c, 'SELECT response FROM idempotency_keys WHERE key = ?', 'portal-1');
  assert.ok(stored && !String(stored.response).includes(first.path.split('/').pop()!), 'the token is not in the stored answer');
});
