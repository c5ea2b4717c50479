// The contract: every example of the document is sent, in the document's order (DELETEs last), to a real collector on
// a fresh database, exactly as a client reading the document would send it; each must succeed with a status the
// document gives, and its answer must match that status's schema in the document (unknown fields fail).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestCollector, type TestCollector } from '../support/collector.ts';

interface Parameter { in: string; name: string; example?: string }
interface OperationObject {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { example?: unknown } } };
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Doc { paths: Record<string, Record<string, OperationObject>> }

let c: TestCollector;
let doc: Doc;
before(async () => {
  c = await startTestCollector();
  doc = (await c.request('GET', '/openapi.json')).body as Doc;
});
after(() => c.close());

/** The operations in the document's order, every DELETE after the rest (a DELETE ends what the others use). */
function walk(): Array<{ method: string; path: string; op: OperationObject }> {
  const all = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));
  return [...all.filter((o) => o.method !== 'delete'), ...all.filter((o) => o.method === 'delete')];
}

/** The request the document's example describes, signed or keyed as its security says. */
function requestOf(method: string, path: string, op: OperationObject) {
  const params = op.parameters ?? [];
  let url = path;
  for (const p of params.filter((p) => p.in === 'path')) {
    assert.ok(p.example !== undefined, `${op.operationId}: path parameter ${p.name} has an example`);
    url = url.replace(`{${p.name}}`, encodeURIComponent(p.example));
  }
  const query = new URLSearchParams(params.filter((p) => p.in === 'query' && p.example !== undefined).map((p) => [p.name, p.example!]));
  if (query.size) url += `?${query}`;
  const example = op.requestBody?.content['application/json'].example;
  if (op.requestBody) assert.ok(example !== undefined, `${op.operationId}: its body has an example`);
  const body = example === undefined ? undefined : JSON.stringify(example);
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
  const schemes = new Set(Object.keys(op.security?.[0] ?? {}));
  if (schemes.has('apiKey')) headers['X-API-Key'] = c.brand.secret_key;
  if (schemes.has('brandId')) headers['X-Brand-ID'] = c.brand.brand_id;
  if (schemes.has('signature')) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers['X-AL-Timestamp'] = timestamp;
    headers['X-AL-Signature'] = createHmac('sha256', c.brand.secret_key).update(`${timestamp}.${body ?? ''}`).digest('hex');
  }
  return { url, init: { method: method.toUpperCase(), headers, ...(body === undefined ? {} : { body }) } };
}

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

test('every example in the document succeeds on a real collector, answering what the document says', async () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc as object, 'openapi');
  const walked = walk();
  assert.ok(walked.length > 40, `the walk found the operations (${walked.length})`);
  for (const { method, path, op } of walked) {
    const { url, init } = requestOf(method, path, op);
    const res = await fetch(c.url + url, init);
    const text = await res.text();
    const status = String(res.status);
    const documented = op.responses[status];
    assert.ok(status.startsWith('2') && documented, `${op.operationId} (${init.method} ${url}) answered ${status}, not a documented success: ${text.slice(0, 300)}`);
    const type = res.headers.get('content-type') ?? '';
    if (documented.content?.['text/csv']) {
      assert.match(type, /^text\/csv/, op.operationId);
      continue;
    }
    assert.match(type, /^application\/json/, op.operationId);
    const validate = ajv.getSchema(`openapi${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`);
    assert.ok(validate, `${op.operationId}: the document has a schema for ${status}`);
    const body = JSON.parse(text) as unknown;
    assert.ok(validate(body), `${op.operationId} ${status}: ${ajv.errorsText(validate.errors, { separator: '\n' })}\n${text.slice(0, 600)}`);
  }
});

test('the contract test can fail: an answer with a field the document does not name is refused', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(doc as object, 'openapi');
  const validate = ajv.getSchema(`openapi${pointer('paths', '/api/v1/advocates/{id}', 'get', 'responses', '200', 'content', 'application/json', 'schema')}`)!;
  assert.equal(validate({ success: true, data: { advocate: { id: 1 }, surprise: true } }), false);
});
