// referloop user create / login-link / list with --json, the links they print signing in once on a running collector,
// and the first start's sign-in link for the demo brand's owner; on this run's engine (support/processes.ts cliDatabase).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliDatabase, parseBanner, parseDashboardLink, runCli, useSignInLink, type CliDatabase } from './support/processes.ts';

/** Refused on `c`'s database (or, with `--db` in `args`, on that SQLite file even beside REFERLOOP_DATABASE_URL). */
function refused(c: CliDatabase, args: string[], message: RegExp): void {
  const r = args.includes('--db') ? runCli([...args, '--json'], c.env) : c.run([...args, '--json']);
  assert.notEqual(r.status, 0, `referloop ${args.join(' ')} should be refused`);
  assert.match(r.stderr, message);
  assert.equal(r.stdout, '');
}

const TOKEN_URL = /^https?:\/\/[^/]+\/dashboard\/sign-in\/([A-Za-z0-9_-]{43})$/;

test('user create, login-link, list: the documented JSON, links that sign in once, another brand refused', async (t) => {
  const c = await cliDatabase(t);
  const acme = c.json(['brand', 'create', '--name', 'Acme']);
  const other = c.json(['brand', 'create', '--name', 'Other']);
  const env = { REFERLOOP_PUBLIC_URL: 'https://referrals.acme.example/' };

  const owner = c.json(['user', 'create', '--brand', acme.brand_id, '--email', ' Boss@Acme.example '], env);
  assert.deepEqual(Object.keys(owner).sort(), ['email', 'login_url', 'role', 'user_id']);
  assert.deepEqual([owner.email, owner.role, typeof owner.user_id], ['boss@acme.example', 'owner', 'number']);
  assert.match(owner.login_url, /^https:\/\/referrals\.acme\.example\/dashboard\/sign-in\/[A-Za-z0-9_-]{43}$/, 'REFERLOOP_PUBLIC_URL, no double slash');
  const viewer = c.json(['user', 'create', '--brand', acme.brand_id, '--email', 'look@acme.example', '--role', 'viewer']);
  assert.equal(viewer.role, 'viewer');
  assert.match(viewer.login_url, /^http:\/\/localhost:8787\/dashboard\/sign-in\//, 'unset: this machine, REFERLOOP_PORT');
  assert.match(c.json(['user', 'create', '--brand', acme.brand_id, '--email', 'p@acme.example'], { REFERLOOP_PORT: '9123' }).login_url,
    /^http:\/\/localhost:9123\//);

  refused(c, ['user', 'create', '--brand', acme.brand_id, '--email', 'boss@ACME.example'], /already exists/);
  refused(c, ['user', 'create', '--brand', acme.brand_id, '--email', 'not-an-email'], /email: must be an email address/);
  refused(c, ['user', 'create', '--brand', acme.brand_id, '--email', 'x@acme.example', '--role', 'admin'], /Allowed choices are owner, viewer/);
  refused(c, ['user', 'create', '--brand', 'br_nope', '--email', 'x@acme.example'], /no brand br_nope/);
  refused(c, ['user', 'login-link', '--brand', other.brand_id, '--email', 'boss@acme.example'], /No dashboard user with this email/);
  const missing = join(c.dir, 'elsewhere', 'referloop.db');
  refused(c, ['user', 'create', '--brand', acme.brand_id, '--email', 'x@acme.example', '--db', missing], /no database at/);
  assert.equal(existsSync(missing), false, 'nothing created');

  // The same email may be a user of another brand too: a separate user.
  const elsewhere = c.json(['user', 'create', '--brand', other.brand_id, '--email', 'boss@acme.example']);
  assert.notEqual(elsewhere.user_id, owner.user_id);

  const listed = c.json(['user', 'list', '--brand', acme.brand_id]);
  assert.deepEqual(listed.users.map((u: any) => [u.email, u.role, u.has_password, u.disabled]),
    [['boss@acme.example', 'owner', false, false], ['look@acme.example', 'viewer', false, false], ['p@acme.example', 'owner', false, false]]);
  assert.deepEqual(Object.keys(listed.users[0]).sort(), ['created_at', 'disabled', 'email', 'has_password', 'role', 'user_id']);
  assert.deepEqual(c.json(['user', 'list', '--brand', other.brand_id]).users.map((u: any) => u.email), ['boss@acme.example']);

  // The links work on a collector serving this database: each once; login-link makes a new one, the first still works.
  const serve = await c.serve();
  t.after(() => serve.kill());
  const at = (link: string) => serve.url + new URL(link).pathname;
  const fresh = c.json(['user', 'login-link', '--brand', acme.brand_id, '--email', 'BOSS@acme.example']);
  assert.deepEqual([fresh.user_id, fresh.email, fresh.role], [owner.user_id, owner.email, 'owner']);
  assert.notEqual(fresh.login_url, owner.login_url);
  const first = await useSignInLink(at(owner.login_url));
  assert.equal(first.status, 303);
  assert.ok(first.cookie);
  assert.equal((await useSignInLink(at(owner.login_url))).status, 410, 'the link does not work twice');
  assert.equal((await useSignInLink(at(fresh.login_url))).status, 303);
  const page = await fetch(`${serve.url}/dashboard`, { headers: { Cookie: `rl_session=${first.cookie}` }, redirect: 'manual' });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /boss@acme\.example/);

  // Tokens are kept as hashes only (SQLite: in no byte of the file or its WAL; PostgreSQL: in no row).
  await serve.kill();
  const bytes = await c.stored();
  for (const link of [owner.login_url, viewer.login_url, fresh.login_url]) {
    assert.equal(bytes.includes(TOKEN_URL.exec(link)![1]!), false, 'a sign-in token is stored in the clear');
  }
});

test('the first start prints a sign-in link for the demo brand\'s owner beside its keys', async (t) => {
  const c = await cliDatabase(t);
  // SQLite: the file the data folder names, as a first start without --db finds it.
  const first = await c.serve({ REFERLOOP_DATA_DIR: c.dir }, { args: [] });
  t.after(() => first.kill());
  const keys = parseBanner(first.stdout());
  assert.ok(keys);
  const link = parseDashboardLink(first.stdout());
  assert.ok(link, first.stdout());
  assert.equal(new URL(link).origin, `http://localhost:${first.port}`);
  assert.match(first.stdout(), /owner@demo\.example/);
  const signedIn = await useSignInLink(first.url + new URL(link).pathname);
  assert.equal(signedIn.status, 303);
  const overview = await fetch(`${first.url}/dashboard`, { headers: { Cookie: `rl_session=${signedIn.cookie}` }, redirect: 'manual' });
  assert.match(await overview.text(), /owner@demo\.example <span class="role">\(owner\)<\/span>/);
  assert.equal((await useSignInLink(first.url + new URL(link).pathname)).status, 410);
  // The operator can always make another.
  const again = c.json(['user', 'login-link', '--brand', keys.brandId, '--email', 'owner@demo.example']);
  assert.equal((await useSignInLink(first.url + new URL(again.login_url).pathname)).status, 303);
});
