// The lean request path (http/body.ts reading uncompressed UTF-8 itself, answers written with one writeHead, visits
// mounted first, log lines batched per turn) keeps every rule of the general one: tested over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLogDestination } from '../../src/http/log.ts';
import { startTestCollector, TEST_ORIGIN, type TestCollector } from '../support/collector.ts';
import { assertError, count, PATHS, secretHeaders, SHOPIFY_VISIT } from '../support/fixtures.ts';

/** POST with exactly these chunks; without Content-Length node sends them chunked, as a streaming client would. */
function sendChunks(c: TestCollector, path: string, headers: Record<string, string>, chunks: Buffer[]) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
    const req = httpRequest(c.url + path, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The collector may close the connection right after its 413, while chunks are still being sent.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test('a chunked body (no Content-Length) over the limit is a 413 that closes the connection; within it, a 200', async (t) => {
  const c = await startTestCollector({ config: { bodyLimit: '1kb' } });
  t.after(() => c.close());
  const big = JSON.stringify({ ...SHOPIFY_VISIT, landing_page: `https://shop.test/${'x'.repeat(600)}` });
  const res = await sendChunks(c, PATHS.visit, secretHeaders(c.brand), [Buffer.from(big), Buffer.from(big)]);
  assert.equal(res.status, 413, JSON.stringify(res.body));
  assert.equal(res.body.code, 'payload_too_large');
  assert.equal(res.headers.connection, 'close');
  assert.equal(await count(c, 'visits'), 0);

  const half = Buffer.from(JSON.stringify(SHOPIFY_VISIT));
  const ok = await sendChunks(c, PATHS.visit, secretHeaders(c.brand), [half.subarray(0, 10), half.subarray(10)]);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(await count(c, 'visits'), 1);
});

test('a UTF-8 byte order mark is dropped, as body-parser did; text/plain bodies too', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const json = await sendChunks(c, PATHS.visit, secretHeaders(c.brand), [bom, Buffer.from(JSON.stringify(SHOPIFY_VISIT))]);
  assert.equal(json.status, 200, JSON.stringify(json.body));
  const form = Buffer.from(JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, ...SHOPIFY_VISIT }));
  const plain = await sendChunks(c, PATHS.visit, { 'Content-Type': 'text/plain;charset=UTF-8', Origin: TEST_ORIGIN }, [bom, form]);
  assert.equal(plain.status, 200, JSON.stringify(plain.body));
  assert.equal(await count(c, 'visits'), 2);
});

test('an empty JSON body is {} (400 naming the missing field); an empty text/plain body is not JSON', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.post(PATHS.visit, undefined, { raw: '' }), 400, 'invalid_request', 'referral_code');
  assertError(await c.post(PATHS.visit, undefined, { headers: { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN }, raw: '' }),
    400, 'invalid_json', 'body');
  assert.equal(await count(c, 'visits'), 0);
});

test('a body in another charset still goes through body-parser: UTF-16LE JSON is read, Latin-1 JSON is a 415', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const utf16 = Buffer.from(JSON.stringify({ ...SHOPIFY_VISIT, visitor_id: 'utf16-visitor' }), 'utf16le');
  const res = await sendChunks(c, PATHS.visit, { ...secretHeaders(c.brand), 'Content-Type': 'application/json; charset=utf-16le' }, [utf16]);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.data.visitor_id, 'utf16-visitor');
  assertError(await c.post(PATHS.visit, undefined, {
    headers: { ...secretHeaders(c.brand), 'Content-Type': 'application/json; charset=latin1' }, raw: JSON.stringify(SHOPIFY_VISIT),
  }), 415, 'unsupported_charset');
  assert.equal(await count(c, 'visits'), 1);
});

test('answers written with one writeHead carry their JSON type, exact length, the CORS headers and the cookies', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const raw = JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, ...SHOPIFY_VISIT, referrer: 'https://mail.example/é' });
  const res = await fetch(c.url + PATHS.visit, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN }, body: raw });
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(Number(res.headers.get('content-length')), body.length);
  assert.equal(res.headers.get('access-control-allow-origin'), TEST_ORIGIN);
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(JSON.parse(body.toString()).data.code, 'V2AVMRDJ');
  // Only POST is mounted before the rest of the app: other methods on the path still reach the general routes.
  assertError(await c.request('GET', PATHS.visit), 404, 'route_not_found');
});

test('a same-site collector sets its cookies after COMMIT, so an Idempotency-Key replay carries the same ones', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  // node:http plays the browser reaching ref.shop.test (fetch will not send another Host).
  const headers = { ...secretHeaders(c.brand), Host: 'ref.shop.test', 'Idempotency-Key': 'same-site-1' };
  const body = Buffer.from(JSON.stringify({ ...SHOPIFY_VISIT, cookie_domain: 'shop.test' }));
  const first = await sendChunks(c, PATHS.visit, headers, [body]);
  const again = await sendChunks(c, PATHS.visit, headers, [body]);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(again.body, first.body);
  const vid = first.body.data.visitor_id as string;
  for (const res of [first, again]) {
    const cookies = (res.headers['set-cookie'] ?? []) as string[];
    assert.ok(cookies.some((l) => l.startsWith(`al_vid=${vid};`) && l.includes('Domain=shop.test')), cookies.join('\n'));
    assert.ok(cookies.some((l) => l.startsWith('al_code=V2AVMRDJ;')), cookies.join('\n'));
  }
  assert.equal(await count(c, 'visits'), 1);
});

test('the log writes the lines of one turn in one write, in order, and everything at flushSync', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'out.log');
  const destination = createLogDestination(openSync(file, 'a'));
  const logger = pino({ base: undefined }, destination);
  for (let i = 0; i < 3; i++) logger.info({ i }, 'request');
  assert.equal(readFileSync(file, 'utf8'), '', 'nothing is written inside the turn');
  destination.flushSync();
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { i: number; msg: string });
  assert.deepEqual(lines.map((l) => [l.i, l.msg]), [[0, 'request'], [1, 'request'], [2, 'request']]);
});

test('a visit, mounted before the request-log layer, still logs one line: its method, path, status, brand and IP, no key', async (t) => {
  const lines: string[] = [];
  const c = await startTestCollector({ logger: pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } }) });
  t.after(() => c.close());
  const form = JSON.stringify({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, ...SHOPIFY_VISIT });
  const answers = [
    await c.post(PATHS.visit, undefined, { headers: { 'Content-Type': 'text/plain', Origin: TEST_ORIGIN }, raw: form }),
    await c.post(PATHS.visit, undefined, { headers: { 'Content-Type': 'application/json', 'X-API-Key': c.brand.secret_key }, raw: '{"referral_code": ' }),
  ];
  assert.deepEqual(answers.map((a) => a.status), [200, 400]);
  for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');
  assert.deepEqual(entries.map((e) => [e.method, e.path, e.status]), [['POST', PATHS.visit, 200], ['POST', PATHS.visit, 400]]);
  assert.equal(entries[0]!.brand, c.brand.brand_id);
  assert.equal(typeof entries[0]!.ip, 'string');
  assert.equal(typeof entries[0]!.ms, 'number');
  for (const key of [c.brand.secret_key, c.brand.publishable_key]) assert.ok(!lines.join('').includes(key.slice(6)), 'a key is in the log');
});

test('a POST to exactly the visit path skips the app router; any other spelling of it takes the router to the same route', async (t) => {
  const lines: string[] = [];
  const c = await startTestCollector({ logger: pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } }) });
  t.after(() => c.close());
  // The server's request listener is the Express app; its router counts the requests that walk it.
  const app = c.server.listeners('request').find((l) => (l as { router?: unknown }).router !== undefined) as unknown as
    { router: { handle: (...args: unknown[]) => unknown } };
  const walk = app.router.handle.bind(app.router);
  let walked = 0;
  app.router.handle = (...args: unknown[]) => { walked++; return walk(...args); };

  const exact = await c.post(PATHS.visit, SHOPIFY_VISIT);
  assert.equal(exact.status, 200, JSON.stringify(exact.body));
  assert.equal(walked, 0, 'the exact path walked the router');
  assertError(await c.post(PATHS.visit, undefined, { raw: '{"referral_code": ' }), 400, 'invalid_json', 'body');
  assertError(await c.post(PATHS.visit, { referral_code: 'NOSUCHCODE' }), 404, 'invalid_code', 'referral_code');
  assert.equal(walked, 0, 'an error of the exact path walked the router');

  for (const path of [`${PATHS.visit}?utm=1`, `${PATHS.visit}/`, PATHS.visit.toUpperCase()]) {
    const res = await c.post(path, SHOPIFY_VISIT);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(Object.keys(res.body.data), Object.keys(exact.body.data));
  }
  assert.equal(walked, 3);
  assert.equal(await count(c, 'visits'), 4);
  for (let i = 0; i < 100 && lines.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');
  assert.deepEqual(logged.map((e) => e.status), [200, 400, 404, 200, 200, 200], 'one line per request, whichever way it came');
});

test('a visit whose client goes away in the middle of its body writes nothing, and the collector keeps serving', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { port } = new URL(c.url);
  const headers = Object.entries({ ...secretHeaders(c.brand), 'Content-Length': '500' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST ${PATHS.visit} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n{"referral_code":"V2AV`);
      setTimeout(() => { socket.destroy(); resolve(); }, 50);
    });
    socket.on('error', reject);
  });
  const res = await c.post(PATHS.visit, SHOPIFY_VISIT);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(await count(c, 'visits'), 1);
});
