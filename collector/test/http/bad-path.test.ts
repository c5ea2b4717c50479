// A path parameter that is not valid percent-encoding (/advocates/%ZZ) is a 400 naming the path, in the API and in
// the dashboard, never a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { browser, signedIn } from '../support/dashboard.ts';

test('a badly percent-encoded path parameter is a 400, not a 500', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const api = await fetch(`${c.url}/api/v1/advocates/%ZZ`, { headers: { Authorization: `Bearer ${c.brand.secret_key}` } });
  assert.equal(api.status, 400);
  const body = await api.json() as { code: string; details: Array<{ field: string }> };
  assert.equal(body.code, 'invalid_path');
  assert.deepEqual(body.details.map((d) => d.field), ['path']);
  const owner = await signedIn(c);
  for (const path of ['/dashboard/advocates/%ZZ', '/dashboard/conversions/%E0%A4%A', '/dashboard/commissions/%']) {
    const page = await owner.get(path);
    assert.equal(page.status, 400, path);
    assert.match(page.text, /badly percent-encoded/);
  }
  assert.equal((await browser(c).post('/dashboard/sign-in/%ZZ', {}, { csrf: false })).status, 400);
});
