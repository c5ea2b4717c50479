// `npm start` on an empty data folder: the printed keys work with the documents' own examples, unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBanner, spawnServe } from './support/processes.ts';

test('first start prints keys, a script tag and a curl command that works when pasted', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-first-'));
  // A keys file an older version left readable by everyone: the first start rewrites it for this user only.
  writeFileSync(join(dir, 'demo-store.json'), '{}\n', { mode: 0o644 });
  const c = await spawnServe({ REFERLOOP_DATA_DIR: dir });
  t.after(async () => {
    await c.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const printed = parseBanner(c.stdout());
  assert.ok(printed, 'the first start prints the demo brand');
  const { brandId, secretKey, publishableKey } = printed;
  assert.match(secretKey, /^rl_sk_/);
  assert.match(publishableKey, /^rl_pk_/);
  assert.match(c.stdout(), new RegExp(`<script async src="http://localhost:\\d+/al.js" data-brand="${brandId}" data-key="${publishableKey}"></script>`));
  assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'demo-store.json')).mode & 0o777, 0o600, 'the demo keys file holds a secret key');

  // The printed curl command, run by a shell exactly as printed (pointing at the port we chose).
  const curl = /curl -X POST[\s\S]*?\}'/.exec(c.stdout())?.[0];
  assert.ok(curl, 'a curl example is printed');
  let answer: string;
  try {
    answer = execFileSync('sh', ['-c', curl.replace(/http:\/\/localhost:\d+/, c.url) + ' -s'], { encoding: 'utf8' });
  } catch (err) {
    t.diagnostic(`curl not runnable here: ${(err as Error).message}`);
    answer = await (await fetch(`${c.url}/api/v1/track/visit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': secretKey, 'X-Brand-ID': brandId },
      body: JSON.stringify({ referral_code: 'DEMO10' }),
    })).text();
  }
  const visit = JSON.parse(answer);
  assert.equal(visit.success, true);
  assert.equal(visit.data.referrer_first_name, 'Sarah');

  // 000_* "Testing": the three curl bodies, unchanged, with the printed keys.
  const headers = { 'Content-Type': 'application/json', 'X-API-Key': secretKey, 'X-Brand-ID': brandId };
  const send = async (path: string, body: string) => {
    const res = await fetch(c.url + path, { method: 'POST', headers, body });
    return { status: res.status, body: await res.json() as any };
  };
  assert.equal((await send('/api/v1/track/visit', '{"referral_code": "TESTCODE"}')).status, 200);
  const claim = await send('/api/v1/track/claim', '{"referral_code": "TESTCODE", "customer_email": "test@example.com", "raw_value": 100}');
  assert.equal(claim.status, 201);
  const conversion = await send('/api/v1/track/conversion',
    '{"customer_email": "test@example.com", "order_id": "TEST-001", "order_value": 95.00, "referral_code": "TESTCODE"}');
  assert.equal(conversion.status, 201);
  assert.equal(conversion.body.data.claim_id, claim.body.data.claim_id);

  // 001_* Node.js example, unchanged but for the base URL and its two environment variables.
  process.env.ADVOCATELOOP_API_KEY = secretKey;
  process.env.ADVOCATELOOP_BRAND_ID = brandId;
  const response = await fetch(`${c.url}/api/v1/track/conversion`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-Key': process.env.ADVOCATELOOP_API_KEY, 'X-Brand-ID': process.env.ADVOCATELOOP_BRAND_ID }, body: JSON.stringify({ customer_email: 'buyer@example.com', order_id: 'ORD-12345', order_total: 108.00, tax: 8.00, shipping: 10.00, discount: 5.00, referral_code: 'JOHN123' }) });
  const result = await response.json() as any;
  assert.equal(result.success, true, result.error);
  assert.equal(result.data.order_value, 85);
  assert.equal(result.data.reward.amount, 8.5);
});

test('a second start on the same data folder prints no keys and keeps the brand', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-second-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await spawnServe({ REFERLOOP_DATA_DIR: dir });
  const keys = parseBanner(first.stdout());
  assert.ok(keys);
  first.child.kill('SIGTERM');
  assert.equal((await first.exited).code, 0, 'SIGTERM stops the collector cleanly');
  const second = await spawnServe({ REFERLOOP_DATA_DIR: dir });
  t.after(() => second.kill());
  assert.equal(parseBanner(second.stdout()), null);
  const res = await fetch(`${second.url}/api/v1/track/visit`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': keys.secretKey, 'X-Brand-ID': keys.brandId },
    body: '{"referral_code": "DEMO10"}',
  });
  assert.equal(res.status, 200);
});
