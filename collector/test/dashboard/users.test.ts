// Dashboard accounts over HTTP: setting and changing a password (scrypt, never in the clear), signing in with it
// (the form's double-submit CSRF token), failed sign-ins rate-limited per IP and per email with a 429 page and
// Retry-After, the Secure cookie behind an https proxy, and the owners' users page (invite, new link, role,
// disable/enable) that a viewer cannot open or use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_RATE_LIMITS } from '../../src/config.ts';
import { hashPassword } from '../../src/domain/passwords.ts';
import { createDashboardUser } from '../../src/services/dashboardUsers.ts';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { browser, signedIn, type DashboardClient } from '../support/dashboard.ts';
import { pgPlanNodes } from '../support/fixtures.ts';

const PASSWORD = 'correct horse battery staple';

const userRow = async (c: TestCollector, email: string) =>
  await c.deps.db.prepare('SELECT * FROM dashboard_users WHERE brand_id = ? AND email = ?').get(c.brand.brand_id, email) as
    { id: number; role: string; password_hash: string | null; disabled_at: string | null } | undefined;

const usersTable = (c: TestCollector) => c.deps.db.prepare('SELECT * FROM dashboard_users ORDER BY id').all();

/** The sign-in form as a browser sends it: its page first (the double-submit cookie and field), then the post. */
async function signInWithPassword(b: DashboardClient, email: string, password: string, next?: string) {
  const form = await b.get(`/dashboard/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  const token = /name="_signin" value="([^"]+)"/.exec(form.text)?.[1];
  assert.ok(token, 'the sign-in page carries its form token');
  return b.post('/dashboard/sign-in', { _signin: token, email, password, next: next ?? '' }, { csrf: false });
}

test('a user sets a password on the account page and signs in with it; changing it needs the current one and ends other sessions', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const owner = await signedIn(c, { email: 'pat@shop.example' });
  const account = await owner.get('/dashboard/account');
  assert.equal(account.status, 200);
  assert.match(account.text, /Set a password/);
  assert.match(account.text, /pat@shop\.example/);
  assert.doesNotMatch(account.text, /Current password/, 'no current password to give yet');

  const short = await owner.post('/dashboard/account/password', { password: 'short', password_repeat: 'short' });
  assert.equal(short.status, 400);
  assert.match(short.text, /id="f-password-error">must be at least 10 and at most 200 characters/);
  const mismatch = await owner.post('/dashboard/account/password', { password: PASSWORD, password_repeat: `${PASSWORD}!` });
  assert.equal(mismatch.status, 400);
  assert.match(mismatch.text, /id="f-password_repeat-error">is not the same as the new password/);
  assert.equal(mismatch.text.includes(PASSWORD), false, 'a refused password is not written back into the page');
  assert.equal((await userRow(c, 'pat@shop.example'))?.password_hash, null, 'nothing written');
  assert.equal((await owner.post('/dashboard/account/password', { password: PASSWORD, password_repeat: PASSWORD }, { csrf: false })).status, 403);

  const set = await owner.post('/dashboard/account/password', { password: PASSWORD, password_repeat: PASSWORD });
  assert.equal(set.status, 303);
  assert.equal(set.location, '/dashboard/account');
  assert.match((await owner.get('/dashboard/account')).text, /Your password is set/);
  const stored = (await userRow(c, 'pat@shop.example'))!.password_hash!;
  assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  await c.deps.queue.drained();
  const bytes = Buffer.concat(readdirSync(c.dir).filter((f) => f.startsWith('referloop.db')).map((f) => readFileSync(join(c.dir, f))));
  assert.equal(bytes.includes(PASSWORD), false, 'the password is not in the database file in the clear');

  // Sign in with it, in another browser, and land where `next` says.
  const laptop = browser(c);
  const signIn = await signInWithPassword(laptop, ' PAT@shop.example ', PASSWORD, '/dashboard/account');
  assert.equal(signIn.status, 303);
  assert.equal(signIn.location, '/dashboard/account');
  assert.match(signIn.headers.getSetCookie().join('\n'), /rl_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/dashboard; HttpOnly; SameSite=Lax/);
  assert.match((await laptop.get('/dashboard/account')).text, /Change your password/);

  const wrong = await signInWithPassword(browser(c), 'pat@shop.example', 'not the password');
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /id="f-password-error">does not match this email/);
  assert.equal(wrong.headers.getSetCookie().some((l) => l.startsWith('rl_session=')), false);
  const unknown = await signInWithPassword(browser(c), 'nobody@shop.example', PASSWORD);
  assert.equal(unknown.status, 401, 'an unknown email is answered as a wrong password');
  assert.equal(unknown.text.replace(/value="[^"]*"/g, ''), wrong.text.replace(/value="[^"]*"/g, ''));

  // Changing it: the current password is required and checked.
  const noCurrent = await laptop.post('/dashboard/account/password', { password: 'a new long passphrase', password_repeat: 'a new long passphrase' });
  assert.equal(noCurrent.status, 400);
  assert.match(noCurrent.text, /id="f-current_password-error">is not your current password/);
  const badCurrent = await laptop.post('/dashboard/account/password', { current_password: 'guess guess guess', password: 'a new long passphrase', password_repeat: 'a new long passphrase' });
  assert.equal(badCurrent.status, 400);
  assert.equal((await userRow(c, 'pat@shop.example'))!.password_hash, stored, 'nothing written');
  const changed = await laptop.post('/dashboard/account/password', { current_password: PASSWORD, password: 'a new long passphrase', password_repeat: 'a new long passphrase' });
  assert.equal(changed.status, 303);
  assert.equal((await laptop.get('/dashboard')).status, 200, 'the session that changed it stays');
  assert.equal((await owner.get('/dashboard')).status, 303, 'the other session ended');
  assert.equal((await signInWithPassword(browser(c), 'pat@shop.example', PASSWORD)).status, 401, 'the old password no longer works');
  assert.equal((await signInWithPassword(browser(c), 'pat@shop.example', 'a new long passphrase')).status, 303);

  // A viewer sets their own password too (their account, not the brand).
  const viewer = await signedIn(c, { role: 'viewer', email: 'vic@shop.example' });
  assert.equal((await viewer.post('/dashboard/account/password', { password: PASSWORD, password_repeat: PASSWORD })).status, 303);
  assert.equal((await signInWithPassword(browser(c), 'vic@shop.example', PASSWORD)).status, 303);
});

test('the sign-in form without its double-submit token, or with another browser\'s, is a 403', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const owner = await signedIn(c, { email: 'pat@shop.example' });
  await owner.post('/dashboard/account/password', { password: PASSWORD, password_repeat: PASSWORD });
  const send = (headers: Record<string, string>, form: Record<string, string>) => fetch(`${c.url}/dashboard/sign-in`, {
    method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
  });
  const mine = browser(c);
  const page = await mine.get('/dashboard/sign-in');
  const token = /name="_signin" value="([^"]+)"/.exec(page.text)![1]!;
  const cookie = /rl_signin=([^;]+)/.exec(page.headers.getSetCookie().join('\n'))![1]!;
  assert.equal(cookie, token);
  assert.match(page.headers.getSetCookie().join('\n'), /rl_signin=[^;]+; Max-Age=3600; Path=\/dashboard; HttpOnly; SameSite=Lax/);
  const creds = { email: 'pat@shop.example', password: PASSWORD };
  assert.equal((await send({}, creds)).status, 403, 'no token, no cookie');
  assert.equal((await send({}, { ...creds, _signin: token })).status, 403, 'the field without its cookie (another site posting)');
  assert.equal((await send({ Cookie: `rl_signin=${token}` }, creds)).status, 403, 'the cookie without the field');
  assert.equal((await send({ Cookie: `rl_signin=${'x'.repeat(43)}` }, { ...creds, _signin: token })).status, 403, 'another browser\'s token');
  assert.equal((await send({ Cookie: `rl_signin=${token}`, Origin: 'https://evil.example' }, { ...creds, _signin: token })).status, 403, 'posted from another site');
  // A link's button has no token: another site posting an attacker's own link in a victim's browser is refused too.
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  const { token: link } = await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now: new Date() }, { email: 'attacker@shop.example', role: 'viewer' }));
  const linkPost = (origin: string) => fetch(`${c.url}/dashboard/sign-in/${link}`, { method: 'POST', redirect: 'manual', headers: { Origin: origin } });
  const crossSite = await linkPost('https://evil.example');
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.headers.get('set-cookie'), null);
  assert.equal((await linkPost(c.url)).status, 303, 'the same origin signs in, and the refused post did not use the link up');
  const ok = await send({ Cookie: `rl_signin=${token}`, Origin: c.url }, { ...creds, _signin: token });
  assert.equal(ok.status, 303);
  assert.match(ok.headers.getSetCookie().join('\n'), /rl_signin=; Max-Age=0/, 'the form token is cleared once signed in');
});

test('failed sign-ins are limited per IP and per email (429 page with Retry-After); successful ones never count', async (t) => {
  const c = await startTestCollector({ config: { rateLimits: { ...DEFAULT_RATE_LIMITS, sign_in: { limit: 3, windowMs: 15 * 60_000 } }, trustProxyHops: 1 } });
  t.after(() => c.close());
  const owner = await signedIn(c, { email: 'pat@shop.example' });
  await owner.post('/dashboard/account/password', { password: PASSWORD, password_repeat: PASSWORD });
  const page = await browser(c).get('/dashboard/sign-in');
  const token = /name="_signin" value="([^"]+)"/.exec(page.text)![1]!;
  const attempt = (ip: string, email: string, password: string) => fetch(`${c.url}/dashboard/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': ip, Cookie: `rl_signin=${token}` },
    body: new URLSearchParams({ _signin: token, email, password }).toString(),
  });

  // Per email: three wrong passwords from three IPs, then even the right one is refused for that email.
  for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) assert.equal((await attempt(ip, 'pat@shop.example', 'wrong wrong wrong')).status, 401);
  const limited = await attempt('198.51.100.4', 'PAT@shop.example', PASSWORD);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After');
  const text = await limited.text();
  assert.match(text, /<h1>Too many attempts<\/h1>/);
  assert.match(text, /Too many failed sign-ins for this email: at most 3 per 900 s/);
  // Per IP: three other emails from one IP, then that IP is refused whatever it tries.
  for (const email of ['a@x.example', 'b@x.example', 'c@x.example']) assert.equal((await attempt('203.0.113.9', email, 'nope nope nope')).status, 401);
  const fromIp = await attempt('203.0.113.9', 'vic@shop.example', 'nope nope nope');
  assert.equal(fromIp.status, 429);
  assert.match(await fromIp.text(), /Too many failed sign-ins from this IP/);

  // Links: failures count per IP (410s), successes never do.
  const link = (ip: string, token: string) => fetch(`${c.url}/dashboard/sign-in/${token}`, { method: 'POST', redirect: 'manual', headers: { 'X-Forwarded-For': ip } });
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  for (let i = 0; i < 5; i++) {
    const { token: t1 } = await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now: new Date() }, { email: `ok${i}@shop.example`, role: 'viewer' }));
    assert.equal((await link('192.0.2.50', t1)).status, 303, `successful sign-in ${i + 1} from one IP`);
  }
  for (let i = 0; i < 3; i++) assert.equal((await link('192.0.2.60', 'A'.repeat(43))).status, 410);
  assert.equal((await link('192.0.2.60', 'A'.repeat(43))).status, 429);
});

test('the session cookie is Secure when the browser reached a trusted proxy over https', async (t) => {
  const c = await startTestCollector({ config: { trustProxyHops: 1 } });
  t.after(() => c.close());
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  const link = async () => (await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now: new Date() }, { email: `s${Math.random()}@shop.example`, role: 'owner' }))).token;
  const https = await fetch(`${c.url}/dashboard/sign-in/${await link()}`, { method: 'POST', redirect: 'manual', headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.7' } });
  assert.equal(https.status, 303);
  assert.match(https.headers.get('set-cookie') ?? '', /rl_session=[^;]+;.*; Secure/);
  const plain = await fetch(`${c.url}/dashboard/sign-in/${await link()}`, { method: 'POST', redirect: 'manual', headers: { 'X-Forwarded-For': '198.51.100.7' } });
  assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /Secure/);
  const signInForm = await fetch(`${c.url}/dashboard/sign-in`, { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.7' } });
  assert.match(signInForm.headers.get('set-cookie') ?? '', /rl_signin=[^;]+;.*; Secure/);
});

test('owners invite users, make links, change roles, disable and enable; a viewer gets 403 for all of it', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const owner = await signedIn(c, { email: 'boss@shop.example' });
  const list = await owner.get('/dashboard/users');
  assert.equal(list.status, 200);
  assert.match(list.text, /<caption>Users of this brand<\/caption>/);
  assert.match(list.text, /boss@shop\.example <span class="muted">\(you\)<\/span>/);

  const bad = await owner.post('/dashboard/users', { email: 'not-an-email', role: 'viewer' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="f-email-error">must be an email address/);
  const invited = await owner.post('/dashboard/users', { email: 'New@Shop.example', role: 'viewer' });
  assert.equal(invited.status, 201);
  const link = /<pre class="copy" id="sign-in-link">(http:\/\/localhost:\d+\/dashboard\/sign-in\/([A-Za-z0-9_-]{43}))<\/pre>/.exec(invited.text);
  assert.ok(link, 'the sign-in link is shown once, on the answer');
  assert.equal(invited.headers.getSetCookie().some((l) => l.includes(link[2]!)), false, 'never in a cookie');
  const dup = await owner.post('/dashboard/users', { email: 'new@shop.example', role: 'owner' });
  assert.equal(dup.status, 409);
  assert.match(dup.text, /id="f-email-error">already has a user/);
  assert.equal((await userRow(c, 'new@shop.example'))?.role, 'viewer', 'the refused invite changed nothing');

  // The invited viewer signs in with the link (once), and reads but cannot change.
  const viewer = browser(c);
  assert.equal((await viewer.post(`/dashboard/sign-in/${link[2]}`, {}, { csrf: false })).status, 303);
  assert.equal((await browser(c).post(`/dashboard/sign-in/${link[2]}`, {}, { csrf: false })).status, 410);
  assert.match((await viewer.get('/dashboard')).text, /new@shop\.example <span class="role">\(viewer\)/);
  const newId = (await userRow(c, 'new@shop.example'))!.id;
  const bossId = (await userRow(c, 'boss@shop.example'))!.id;
  const before = JSON.stringify(await usersTable(c));
  assert.equal((await viewer.get('/dashboard/users')).status, 403);
  for (const [path, form] of [
    ['/dashboard/users', { email: 'sneak@shop.example', role: 'owner' }], [`/dashboard/users/${newId}/role`, { role: 'owner' }],
    [`/dashboard/users/${bossId}/role`, { role: 'viewer' }], [`/dashboard/users/${bossId}/disable`, {}], [`/dashboard/users/${bossId}/link`, {}],
  ] as const) {
    assert.equal((await viewer.post(path, form)).status, 403, path);
  }
  assert.equal(JSON.stringify(await usersTable(c)), before, 'a viewer changed nothing');

  // Role: owner makes them an owner; the next request reads the new role.
  const role = await owner.post(`/dashboard/users/${newId}/role`, { role: 'owner' });
  assert.equal(role.status, 303);
  assert.equal((await userRow(c, 'new@shop.example'))?.role, 'owner');
  assert.match((await owner.get('/dashboard/users')).text, /new@shop\.example is now an owner/);
  assert.equal((await viewer.get('/dashboard/users')).status, 200);
  assert.equal((await owner.post(`/dashboard/users/${newId}/role`, { role: 'admin' })).status, 400);
  assert.equal((await owner.post(`/dashboard/users/${newId}/role`, { role: 'viewer' })).status, 303);

  // Nobody changes their own role or disables themselves.
  const self = await owner.post(`/dashboard/users/${bossId}/role`, { role: 'viewer' });
  assert.equal(self.status, 409);
  assert.match(self.text, /You cannot change the role of your own account/);
  assert.equal((await owner.post(`/dashboard/users/${bossId}/disable`, {})).status, 409);
  assert.equal((await userRow(c, 'boss@shop.example'))?.role, 'owner');

  // A new link, then disabling: their session ends at once and their unused link stops working; enable again.
  const fresh = await owner.post(`/dashboard/users/${newId}/link`, {});
  assert.equal(fresh.status, 200);
  const freshToken = /\/dashboard\/sign-in\/([A-Za-z0-9_-]{43})<\/pre>/.exec(fresh.text)![1]!;
  const disabled = await owner.post(`/dashboard/users/${newId}/disable`, {});
  assert.equal(disabled.status, 303);
  assert.ok((await userRow(c, 'new@shop.example'))?.disabled_at);
  assert.equal((await viewer.get('/dashboard')).status, 303, 'their session ended');
  assert.equal((await browser(c).post(`/dashboard/sign-in/${freshToken}`, {}, { csrf: false })).status, 410);
  assert.equal((await owner.post(`/dashboard/users/${newId}/link`, {})).status, 409, 'no link for a disabled user');
  await c.deps.db.prepare('UPDATE dashboard_users SET password_hash = ? WHERE id = ?').run(await hashPassword(PASSWORD), newId);
  assert.equal((await signInWithPassword(browser(c), 'new@shop.example', PASSWORD)).status, 401, 'a disabled user\'s password signs nobody in');
  assert.match((await owner.get('/dashboard/users')).text, /status-disabled">disabled/);
  assert.equal((await owner.post(`/dashboard/users/${newId}/enable`, {})).status, 303);
  assert.equal((await userRow(c, 'new@shop.example'))?.disabled_at, null);
  assert.equal((await signInWithPassword(browser(c), 'new@shop.example', PASSWORD)).status, 303);
  assert.equal((await browser(c).post(`/dashboard/sign-in/${freshToken}`, {}, { csrf: false })).status, 410, 'enabling does not revive a link made before disabling');
  const again = /\/dashboard\/sign-in\/([A-Za-z0-9_-]{43})<\/pre>/.exec((await owner.post(`/dashboard/users/${newId}/link`, {})).text)![1]!;
  assert.equal((await browser(c).post(`/dashboard/sign-in/${again}`, {}, { csrf: false })).status, 303);

  assert.equal((await owner.post('/dashboard/users/99999/role', { role: 'owner' })).status, 404);
  assert.equal((await owner.post('/dashboard/users/abc/disable', {})).status, 400);
});

test('passwords never reach the log, and the sign-in by email reads its index', async (t) => {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => { lines.push(line); } });
  const c = await startTestCollector({ logger });
  t.after(() => c.close());
  const owner = await signedIn(c, { email: 'pat@shop.example' });
  await owner.post('/dashboard/account/password', { password: PASSWORD, password_repeat: PASSWORD });
  await owner.post('/dashboard/account/password', { current_password: 'a wrong guess here', password: 'another passphrase x', password_repeat: 'another passphrase x' });
  assert.equal((await signInWithPassword(browser(c), 'pat@shop.example', PASSWORD)).status, 303);
  assert.equal((await signInWithPassword(browser(c), 'pat@shop.example', 'a wrong guess here')).status, 401);
  assert.ok(lines.length > 0, 'the requests were logged');
  for (const secret of [PASSWORD, 'a wrong guess here', 'another passphrase x']) {
    assert.equal(lines.some((l) => l.includes(secret)), false, `"${secret}" is in the log`);
  }
  const byEmail = `SELECT * FROM dashboard_users WHERE email = ? AND password_hash IS NOT NULL AND disabled_at IS NULL ORDER BY id`;
  if (c.deps.db.dialect === 'pg') {
    const nodes = await pgPlanNodes(c, byEmail, 'pat@shop.example');
    const plan = JSON.stringify(nodes);
    // As SQLite's: the email's index finds the rows (one email's rows are few: sorting them costs nothing).
    assert.ok(nodes.some((n) => /Index Scan$/.test(n['Node Type']) && n['Index Name'] === 'dashboard_users_by_email'), plan);
    assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan'), plan);
    return;
  }
  const plan = await c.deps.db.prepare(`EXPLAIN QUERY PLAN ${byEmail}`).all('pat@shop.example') as Array<{ detail: string }>;
  assert.match(plan.map((p) => p.detail).join('\n'), /USING INDEX dashboard_users_by_email/);
});
