// Hostile bodies on every route that takes one: false Content-Encoding, a Content-Length over the limit,
// JSON nested thousands deep, visitor ids a cookie cannot carry. Each is a 4xx naming the cause, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { MAX_BODY_DEPTH } from '../../src/http/body.ts';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { assertError, PATHS, rows, secretHeaders, SHOPIFY_VISIT, tableNames, webhookHeaders } from '../support/fixtures.ts';

/**
 * Every table's rows, to show a refused request changed nothing. A key's `last_used_at` is left out: it says
 * that the key authenticated, which these requests did before their body was refused.
 */
async function snapshot(c: TestCollector): Promise<string> {
  const tables = await tableNames(c);
  const parts: string[] = [];
  // Rows sorted here: without ORDER BY, PostgreSQL answers in its pages' order, which an UPDATE changes.
  for (const t of tables) parts.push(`${t}:${(await rows(c, `SELECT * FROM ${t}`)).map(({ last_used_at: _, ...r }) => JSON.stringify(r)).sort().join(',')}`);
  return parts.join('\n');
}

/** A route with a body, and a body it would accept. */
interface Route { method: string; path: string; body: Record<string, unknown>; headers?(c: TestCollector, raw: string): Record<string, string> }

const ROUTES: Route[] = [
  { method: 'POST', path: PATHS.visit, body: { ...SHOPIFY_VISIT } },
  { method: 'POST', path: PATHS.claim, body: { referral_code: 'V2AVMRDJ', customer_email: 'c@example.com' } },
  { method: 'POST', path: PATHS.conversion, body: { customer_email: 'c@example.com', order_id: 'O-1', order_value: 10 } },
  { method: 'POST', path: PATHS.refund, body: { order_id: 'O-1', refund_amount: 1, is_full_refund: false } },
  { method: 'POST', path: PATHS.eligibility, body: { referral_code: 'V2AVMRDJ', customer_email: 'c@example.com' } },
  { method: 'POST', path: PATHS.convert, body: { referral_code: 'V2AVMRDJ', email: 'c@example.com', value: 10 }, headers: (c, raw) => webhookHeaders(c.brand, raw) },
  { method: 'POST', path: '/api/v1/advocates', body: { email: 'new@example.com', name: 'New' } },
  { method: 'PATCH', path: '/api/v1/settings', body: { cooling_period_days: 3 } },
  { method: 'PUT', path: '/api/v1/commissions/1/status', body: { status: 'approved' } },
  { method: 'POST', path: '/api/v1/payouts', body: { commission_ids: [1] } },
];

/** A request with exactly these bytes and headers (fetch would not send a false Content-Encoding). */
function send(c: TestCollector, route: Route, raw: Buffer, extra: Record<string, string>) {
  const headers = { ...(route.headers ? route.headers(c, raw.toString()) : secretHeaders(c.brand)), ...extra, 'Content-Length': String(raw.length) };
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = httpRequest(c.url + route.path, { method: route.method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(raw);
  });
}

test('a body that is not what its Content-Encoding says is a 400 naming the body, on every route with a body', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const before = await snapshot(c);
  for (const route of ROUTES) {
    const raw = Buffer.from(JSON.stringify(route.body));
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await send(c, route, raw, { 'Content-Encoding': encoding });
      assertError({ ...res, headers: new Headers() }, 400, 'invalid_encoding', 'body');
      assert.match(res.body.error, new RegExp(encoding), `${route.method} ${route.path} ${encoding}`);
    }
    // Truncated gzip is refused the same way.
    const truncated = gzipSync(raw).subarray(0, 12);
    assertError({ ...(await send(c, route, truncated, { 'Content-Encoding': 'gzip' })), headers: new Headers() }, 400, 'invalid_encoding', 'body');
  }
  assert.equal(await snapshot(c), before, 'nothing was written');
  // A body that really is gzip still works.
  const visit = await send(c, ROUTES[0]!, gzipSync(JSON.stringify({ ...SHOPIFY_VISIT, visitor_id: 'gz-1' })), { 'Content-Encoding': 'gzip' });
  assert.equal(visit.status, 200, JSON.stringify(visit.body));
  assert.equal(visit.body.data.visitor_id, 'gz-1');
});

// The timeout only keeps a regression from hanging the suite: without the header check the answer never comes.
test('a declared Content-Length over the limit is answered 413 from the header, before the body arrives', { timeout: 30_000 }, async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { port } = new URL(c.url);
  const headers = secretHeaders(c.brand);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write([
        `POST ${PATHS.conversion} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        `Content-Length: ${50 * 1024 * 1024}`, '', '{',
      ].join('\r\n'));
    });
    let text = '';
    socket.on('data', (d: Buffer) => { text += d.toString(); });
    // The server closes the connection after its answer: the 49.99 MB never sent are not waited for.
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /"code":"payload_too_large"/);
  assert.match(answer, /connection: close/i);
  assert.equal(await c.deps.db.prepare('SELECT count(*) FROM conversions', { pluck: true }).get(), 0);
});

/** {"a":{"a":…}} nested `depth` levels below the field, as text: JSON.stringify itself recurses. */
const nestedText = (depth: number): string => '{"a":'.repeat(depth - 1) + '{"leaf":true}' + '}'.repeat(depth - 1);

/** `base` with one more field whose value is the JSON text `value`. */
const withField = (base: Record<string, unknown>, field: string, value: string): string =>
  JSON.stringify(base).slice(0, -1) + `,${JSON.stringify(field)}:${value}}`;

test(`free-form JSON nested deeper than ${MAX_BODY_DEPTH} levels is a 400 naming the field; 4,200 levels never reach a 500`, async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const before = await snapshot(c);
  const deep = nestedText(4200);
  assert.ok(deep.length < 30_000, 'about 25 KB, under the body limit');
  const conversion = ROUTES[2]!.body;
  const cases: Array<[path: string, raw: string, field: string]> = [
    [PATHS.conversion, withField(conversion, 'metadata', `{"deep":${deep}}`), 'metadata'],
    [PATHS.conversion, withField(conversion, 'products', `[{"name":"Shirt","options":${deep}}]`), 'products'],
    [PATHS.claim, withField(ROUTES[1]!.body, 'metadata', deep), 'metadata'],
    [PATHS.refund, withField(ROUTES[3]!.body, 'metadata', deep), 'metadata'],
    ['/api/v1/advocates', withField(ROUTES[6]!.body, 'metadata', deep), 'metadata'],
    [PATHS.conversion, withField(conversion, 'unknown_field', '['.repeat(MAX_BODY_DEPTH) + '1' + ']'.repeat(MAX_BODY_DEPTH)), 'unknown_field'],
  ];
  for (const [path, raw, field] of cases) {
    const res = await c.post(path, undefined, { raw });
    assertError(res, 400, 'invalid_request', field);
    assert.match(res.body.error, new RegExp(`nested more than ${MAX_BODY_DEPTH} levels`));
  }
  // The tracker's text/plain body goes through the same check.
  const plain = await c.post(PATHS.visit, undefined, {
    headers: { 'Content-Type': 'text/plain', Origin: 'http://shop.test' },
    raw: withField({ brand_id: c.brand.brand_id, key: c.brand.publishable_key, ...SHOPIFY_VISIT }, 'extra', deep),
  });
  assertError(plain, 400, 'invalid_request', 'extra');
  assert.equal(await snapshot(c), before, 'nothing was written');

  // At the limit (the body is level 1, metadata level 2): accepted and stored as sent.
  const fits = nestedText(MAX_BODY_DEPTH - 1);
  const ok = await c.post(PATHS.conversion, undefined, { raw: withField(conversion, 'metadata', fits) });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const stored = await c.deps.db.prepare('SELECT metadata FROM conversions', { pluck: true }).get() as string;
  assert.deepEqual(JSON.parse(stored), JSON.parse(fits));
});

/** A visit as a same-site collector sees it (Host under cookie_domain), so the answer sets al_vid itself. */
function sameSiteVisit(c: TestCollector, body: Record<string, unknown>) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = httpRequest(c.url + PATHS.visit, { method: 'POST', headers: { ...secretHeaders(c.brand), Host: 'ref.shop.test' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ ...SHOPIFY_VISIT, cookie_domain: 'shop.test', ...body }));
  });
}

test('a visitor_id a cookie cannot carry is a 400 naming it on visit, claim and conversion; real formats are kept', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const before = await snapshot(c);
  const bad = ['a b', ';Domain=evil', 'x;Domain=evil.test', 'quote"d', "it's", 'caf\u00e9', 'nul\u0000', 'line\r\nSet-Cookie: x=1', 'comma,id', 'back\\slash', 'x'.repeat(65)];
  for (const visitor_id of bad) {
    const visit = await sameSiteVisit(c, { visitor_id });
    assertError({ ...visit, headers: new Headers() }, 400, 'invalid_request', 'visitor_id');
    assertError(await c.post(PATHS.claim, { ...ROUTES[1]!.body, visitor_id }), 400, 'invalid_request', 'visitor_id');
    assertError(await c.post(PATHS.conversion, { ...ROUTES[2]!.body, visitor_id }), 400, 'invalid_request', 'visitor_id');
  }
  assert.equal(await snapshot(c), before, 'nothing was written');

  // UUIDs (the seeds' example and the tracker's), and tokens that integrations send.
  for (const visitor_id of ['729979f7-447b-4c81-a885-e863aa94f7e4', 'visitor_abc123', 'vis-1', 'ga.1.2', 'amp:xyz']) {
    const visit = await sameSiteVisit(c, { visitor_id });
    assert.equal(visit.status, 200, `${visitor_id}: ${JSON.stringify(visit.body)}`);
    assert.equal(visit.body.data.visitor_id, visitor_id);
  }
});
