// The OpenAPI document: valid OpenAPI 3.1, every route described and every described operation routed, served with a
// strong ETag, every error code of the sources listed, and the reference page served from this collector.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { INELIGIBLE_MESSAGES } from '../../src/domain/eligibility.ts';
import { ERROR_CODES, openApiDocument } from '../../src/openapi/document.ts';
import { startTestCollector, type TestCollector } from '../support/collector.ts';

let c: TestCollector;
before(async () => { c = await startTestCollector(); });
after(() => c.close());

const doc = () => JSON.parse(openApiDocument().json) as { paths: Record<string, Record<string, unknown>>; webhooks: Record<string, unknown> };

test('the document is valid OpenAPI 3.1 (the official schema, through a well-kept validator)', async () => {
  const result = await new Validator().validate(doc());
  assert.deepEqual(result.errors ?? [], []);
  assert.equal(result.valid, true);
  assert.equal((doc() as unknown as { openapi: string }).openapi, '3.1.0');
});

interface Layer { route?: { path: string | string[]; methods: Record<string, boolean> }; rawPath?: string | string[]; handle: { stack?: Layer[] } }

/** Every route Express has, as `METHOD /path` with OpenAPI's {param} spelling (OPTIONS preflights left out). */
function routesOf(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const path of [layer.route.path].flat()) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== 'options' && method !== '_all') out.push(`${method.toUpperCase()} ${(prefix + path).replace(/:(\w+)/g, '{$1}')}`);
        }
      }
    } else if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...routesOf(layer.handle.stack, prefix + mount));
    }
  }
  return out;
}

// What the collector serves that is not its API: the dashboard's and the portal's pages, the tracker and the widget,
// the document and its page.
// The adapters under /compat (issue 15) are described by their own documents, not by Referloop's.
const NOT_API = /^(?:(GET|POST) (\/dashboard|\/portal|\/al\.js$|\/widget\.js$|\/openapi\.json$|\/docs|\/$)|[A-Z]+ \/compat\/)/;

test('every route of the API is in the document, and every operation of the document is a route', () => {
  const app = c.server.listeners('request')[0] as unknown as { router: { stack: Layer[] } };
  const routes = new Set(routesOf(app.router.stack).filter((r) => !NOT_API.test(r)));
  const described = new Set(Object.entries(doc().paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)));
  assert.ok(routes.size > 40, `the walk found the routes (${routes.size})`);
  assert.deepEqual([...routes].filter((r) => !described.has(r)).sort(), [], 'routes the document does not describe');
  assert.deepEqual([...described].filter((r) => !routes.has(r)).sort(), [], 'operations that have no route');
});

test('GET /openapi.json answers the document with a strong ETag, and 304 when it is what the client has', async () => {
  const first = await c.request('GET', '/openapi.json');
  assert.equal(first.status, 200);
  const etag = first.headers.get('etag');
  assert.match(etag ?? '', /^"[A-Za-z0-9_-]{43}"$/, 'strong (no W/) and the SHA-256 of the body');
  assert.equal(JSON.stringify(first.body), openApiDocument().json);
  const again = await c.request('GET', '/openapi.json', { headers: { 'If-None-Match': etag! } });
  assert.equal(again.status, 304);
  const other = await c.request('GET', '/openapi.json', { headers: { 'If-None-Match': '"something-else"' } });
  assert.equal(other.status, 200);
});

test('npm run build writes the same document to dist/openapi.json', () => {
  const written = JSON.parse(readFileSync(join(import.meta.dirname, '../../../dist/openapi.json'), 'utf8')) as unknown;
  assert.deepEqual(written, doc());
});

test('every event type is described as an OpenAPI webhook, and every operation has an id, a summary and a tag', () => {
  const d = doc();
  assert.ok(Object.keys(d.webhooks).includes('conversion.created'));
  assert.ok(Object.keys(d.webhooks).includes('visit.created'));
  for (const [path, item] of Object.entries(d.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { operationId?: string; summary?: string; tags?: string[] }>)) {
      assert.ok(op.operationId && op.summary && op.tags?.length, `${method} ${path}`);
    }
  }
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? (name === 'dashboard' || name === 'portal' || name === 'compat' ? [] : sources(p)) : p.endsWith('.ts') ? [p] : [];
  });
}

test("every error code the API's sources answer is listed in the document", () => {
  const root = join(import.meta.dirname, '../../src');
  // The dashboard's and the portal's own refusals (sign-in, users, entry links, CSRF) are their pages', not the API's;
  // the adapters' (compat/) are answered in their documents' own error bodies.
  const files = sources(root).filter((f) => !f.endsWith('dashboardUsers.ts') && !f.endsWith('portalSessions.ts'));
  const codes = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\(\s*[1-5]\d\d,\s*'([a-z_]+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/unauthorized\('([a-z_]+)'/g)) codes.add(m[1]!);
  }
  // A claim's ineligibility is answered with the reason as its code (services/eligibility.ts).
  for (const reason of Object.keys(INELIGIBLE_MESSAGES)) codes.add(reason);
  assert.ok(codes.size > 30, `the scan found the codes (${codes.size})`);
  assert.deepEqual([...codes].filter((code) => !(code in ERROR_CODES)).sort(), []);
  const description = (doc() as unknown as { info: { description: string } }).info.description;
  for (const code of Object.keys(ERROR_CODES)) assert.ok(description.includes(`\`${code}\``), code);
});

test('GET /docs is the reference page, its scripts served by this collector (no CDN)', async () => {
  const page = await c.request('GET', '/docs');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const scripts = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((src) => !src.startsWith('data:'));
  assert.ok(scripts.length >= 3);
  for (const src of scripts) {
    assert.ok(src.startsWith('/docs/'), `${src} is served here`);
    const asset = await c.request('GET', src);
    assert.equal(asset.status, 200, src);
  }
  const init = await c.request('GET', '/docs/page.js');
  assert.match(String(init.body), /\/openapi\.json/);
  assert.equal((await c.request('GET', '/docs/assets/nothing-here.js')).status, 404);
});
