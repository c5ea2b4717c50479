// `npm run demo` after `npm start` sells under the one demo brand: the keys the first start printed see its orders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseBanner, parseDashboardLink, pickFreePort, REPO_ROOT, spawnServe, useSignInLink } from './support/processes.ts';

/** `npm run demo` (the same command line) on `dir`; resolves once it says it is running. */
async function startDemo(dir: string) {
  const [collectorPort, storePort] = [await pickFreePort(), await pickFreePort()];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REFERLOOP_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo-site/run-demo.ts'], {
    cwd: REPO_ROOT,
    env: { ...env, REFERLOOP_DATA_DIR: dir, REFERLOOP_PORT: String(collectorPort), REFERLOOP_HOST: '127.0.0.1', DEMO_PORT: String(storePort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ctrl-C stops both.')) resolve();
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    void exited.then((how) => reject(new Error(`npm run demo exited (${how}):\n${out}\n${err}`)));
  });
  return {
    stdout: out,
    collectorUrl: `http://localhost:${collectorPort}`,
    storeUrl: `http://localhost:${storePort}`,
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 'code 0', `${out}\n${err}`);
    },
  };
}

/** A shopper buying through the store's own pages and backend, with the referral code at checkout. */
async function buy(storeUrl: string, email: string): Promise<void> {
  const form = (fields: Record<string, string>) => ({
    method: 'POST', redirect: 'manual' as const,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  const cart = await fetch(`${storeUrl}/cart`, form({ slug: 'classic-tee', quantity: '1' }));
  const cookie = cart.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const checkout = await fetch(`${storeUrl}/checkout`, { ...form({ email, name: 'Buyer', referral_code: 'DEMO10' }), headers: { ...form({}).headers, Cookie: cookie } });
  const payPath = checkout.headers.get('location');
  assert.match(payPath ?? '', /^\/orders\/[^/]+\/pay$/, `checkout answered ${checkout.status}`);
  const paid = await fetch(storeUrl + payPath, form({}));
  assert.equal(paid.status, 303);
}

const brandCount = (dir: string): number => {
  const db = new Database(join(dir, 'referloop.db'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM brands').pluck().get() as number;
  } finally {
    db.close();
  }
};

test('npm run demo after npm start uses the demo brand npm start printed; its orders show under those keys', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await spawnServe({ REFERLOOP_DATA_DIR: dir });
  const printed = parseBanner(first.stdout());
  first.child.kill('SIGTERM');
  await first.exited;
  assert.ok(printed);

  const demo = await startDemo(dir);
  t.after(() => demo.stop());
  assert.equal(parseBanner(demo.stdout), null, 'the demo made no brand and printed no new keys');
  // A fresh sign-in link for the demo's owner at each run, whatever became of the first start's.
  const link = parseDashboardLink(demo.stdout);
  assert.ok(link && link.startsWith(`${demo.collectorUrl}/dashboard/sign-in/`), demo.stdout);
  assert.notEqual(link, parseDashboardLink(first.stdout()));
  assert.equal((await useSignInLink(link)).status, 303);
  const page = await (await fetch(`${demo.storeUrl}/?ref=DEMO10`)).text();
  assert.match(page, new RegExp(`data-brand="${printed.brandId}"`));

  await buy(demo.storeUrl, 'shopper@example.com');
  const conversions = await fetch(`${demo.collectorUrl}/api/v1/conversions`, { headers: { Authorization: `Bearer ${printed.secretKey}` } });
  const body = await conversions.json() as { data: { conversions: Array<{ email: string; code: string }> } };
  assert.equal(conversions.status, 200, JSON.stringify(body));
  assert.deepEqual(body.data.conversions.map((c) => [c.email, c.code]), [['shopper@example.com', 'DEMO10']]);
  assert.equal(brandCount(dir), 1);
  // The demo found the keys where the first start kept them, readable by this user only.
  assert.equal(statSync(join(dir, 'demo-store.json')).mode & 0o777, 0o600);
});

test('npm run demo on an empty data folder makes the demo brand once, prints it like npm start, and reuses it', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await startDemo(dir);
  const printed = parseBanner(first.stdout);
  await first.stop();
  assert.ok(printed, 'the keys are printed once');
  const again = await startDemo(dir);
  await again.stop();
  assert.equal(parseBanner(again.stdout), null);
  assert.equal(brandCount(dir), 1);
  // npm start afterwards prints nothing new either: the database has its brand.
  const serve = await spawnServe({ REFERLOOP_DATA_DIR: dir });
  t.after(() => serve.kill());
  assert.equal(parseBanner(serve.stdout()), null);
});
