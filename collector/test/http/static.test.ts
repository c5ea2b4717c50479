// The GET routes: /healthz, /al.js (cacheable, revalidated by ETag), and the JSON 404 for unknown routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCollector } from '../support/collector.ts';
import { assertError } from '../support/fixtures.ts';

test('GET /healthz answers 200 {"status":"ok"}', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.request('GET', '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: 'ok' });
});

test('GET /al.js serves config.trackerPath with ETag and max-age; If-None-Match gives 304', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-al-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'al.js');
  const source = '(function(){window.__al_test=1})();\n';
  writeFileSync(file, source);
  const s = await startTestCollector({ config: { trackerPath: file } });
  t.after(() => s.close());

  const res = await s.request('GET', '/al.js');
  assert.equal(res.status, 200);
  assert.equal(res.body, source);
  assert.match(res.headers.get('Content-Type') ?? '', /javascript/);
  const etag = res.headers.get('ETag');
  assert.ok(etag, 'an ETag');
  assert.match(res.headers.get('Cache-Control') ?? '', /max-age=\d+/);
  assert.ok(Number(/max-age=(\d+)/.exec(res.headers.get('Cache-Control')!)![1]) > 0);

  // As a browser revalidates. (fetch itself would add Cache-Control: no-cache to a conditional request.)
  const revalidate = { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' };
  const revalidated = await s.request('GET', '/al.js', { headers: revalidate });
  assert.equal(revalidated.status, 304);
  assert.equal(revalidated.body, '');

  writeFileSync(file, source.replace('1', '2') + '// changed\n');
  const changed = await s.request('GET', '/al.js', { headers: revalidate });
  assert.equal(changed.status, 200, 'a new build is a new ETag');
  assert.notEqual(changed.headers.get('ETag'), etag);
});

test('GET /al.js when the bundle is missing is a JSON 404, never a 500', async (t) => {
  const c = await startTestCollector({ config: { trackerPath: '/nonexistent/referloop/al.js' } });
  t.after(() => c.close());
  assertError(await c.request('GET', '/al.js'), 404, 'tracker_not_built');
});

test('an unknown route is a JSON 404 in the error envelope', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.request('GET', '/api/v1/track/nothing'), 404, 'route_not_found');
  assertError(await c.post('/api/v1/track/nothing', {}), 404, 'route_not_found');
});
