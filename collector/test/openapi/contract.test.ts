// The contract: every example of the document is sent, in the document's order (DELETEs last), to a real collector on
// a fresh database, exactly as a client reading the document would send it; each must succeed with a status the
// document gives, and its answer must match that status's schema in the document (unknown fields fail).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { ssoSignature } from '../../src/domain/sso.ts';

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
/** The session token the last recognition answered (GET /sso/session's Bearer). */
let sessionToken = '';
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

interface Sent { url: string; init: { method: string; headers: Record<string, string>; body?: string } }

/**
 * The request the document's example describes, keyed or signed as its security says (`key`: the brand's secret key,
 * or another one), with `extra` fields added to its body and an Idempotency-Key when given.
 */
function requestOf(method: string, path: string, op: OperationObject, o: { key?: string; extra?: object; idempotencyKey?: string } = {}): Sent {
  const params = op.parameters ?? [];
  let url = path;
  for (const p of params.filter((p) => p.in === 'path')) {
    assert.ok(p.example !== undefined, `${op.operationId}: path parameter ${p.name} has an example`);
    url = url.replace(`{${p.name}}`, encodeURIComponent(p.example));
  }
  const query = new URLSearchParams(params.filter((p) => p.in === 'query' && p.example !== undefined).map((p) => [p.name, p.example!]));
  if (query.size) url += `?${query}`;
  let example = op.requestBody?.content['application/json'].example;
  if (op.requestBody) assert.ok(example !== undefined, `${op.operationId}: its body has an example`);
  // A recognition is signed in its body, over the brand's id and a timestamp of now, as a site's server signs it.
  if (op.operationId === 'recognizeCustomer') {
    const e = example as { externalCustomerId: string };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = ssoSignature(c.brand.secret_key, { businessId: c.brand.brand_id, externalCustomerId: e.externalCustomerId, timestamp, externalEmail: null, externalName: null });
    example = { ...e, businessId: c.brand.brand_id, timestamp: Number(timestamp), signature };
  }
  const body = example === undefined && !o.extra ? undefined : JSON.stringify({ ...(example as object | undefined), ...o.extra });
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey;
  const schemes = new Set(Object.keys(op.security?.[0] ?? {}));
  if (schemes.has('secretKey')) headers['X-API-Key'] = o.key ?? c.brand.secret_key;
  if (schemes.has('secretKey') || schemes.has('brandId')) headers['X-Brand-ID'] = c.brand.brand_id;
  if (schemes.has('sessionToken')) headers.Authorization = `Bearer ${sessionToken}`;
  if (schemes.has('signature')) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers['X-AL-Timestamp'] = timestamp;
    headers['X-AL-Signature'] = createHmac('sha256', c.brand.secret_key).update(`${timestamp}.${body ?? ''}`).digest('hex');
  }
  return { url, init: { method: method.toUpperCase(), headers, ...(body === undefined ? {} : { body }) } };
}

/** Whether the document says the operation takes an Idempotency-Key. */
const takesKey = (op: OperationObject) => (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key');

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

test('every example in the document succeeds on a real collector, answering what the document says', async () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc as object, 'openapi');
  const walked = walk();
  assert.ok(walked.length > 40, `the walk found the operations (${walked.length})`);
  for (const { method, path, op } of walked) {
    const idempotencyKey = method === 'get' ? undefined : `contract-${op.operationId}`;
    const { url, init } = requestOf(method, path, op, { idempotencyKey });
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
    if (op.operationId === 'recognizeCustomer') sessionToken = (body as { data: { session_token: string } }).data.session_token;
    assert.ok(validate(body), `${op.operationId} ${status}: ${ajv.errorsText(validate.errors, { separator: '\n' })}\n${text.slice(0, 600)}`);
    if (!idempotencyKey) continue;
    // The same key with another body: a 409 exactly where the document says the write takes an Idempotency-Key.
    const twin = requestOf(method, path, op, { idempotencyKey, extra: { contract_probe: true } });
    const again = await fetch(c.url + twin.url, twin.init);
    const answer = await again.text();
    if (takesKey(op)) assert.equal(again.status, 409, `${op.operationId}: the key again with another body: ${answer.slice(0, 300)}`);
    else assert.ok(again.status < 300, `${op.operationId} documents no Idempotency-Key, yet: ${again.status} ${answer.slice(0, 300)}`);
  }
});

test('what the document says of keys is what the collector does: a publishable key is refused by every operation that does not list it, and taken (from an allowed origin only) by those that do', async () => {
  const fresh = await startTestCollector();
  try {
    let browser = 0;
    for (const { method, path, op } of walk()) {
      const schemes = (op.security ?? []).flatMap((alternative) => Object.keys(alternative));
      if (!schemes.includes('secretKey')) continue;
      const { url, init } = requestOf(method, path, op, { key: fresh.brand.publishable_key });
      init.headers['X-Brand-ID'] = fresh.brand.brand_id;
      const res = await fetch(fresh.url + url, init);
      const error = await res.json() as { code?: string };
      assert.equal(res.status, 403, op.operationId);
      // Without an Origin, a publishable key is refused for its origin where it is taken, for its kind elsewhere.
      const takesPublishable = schemes.includes('publishableKey');
      if (takesPublishable) browser++;
      assert.equal(error.code, takesPublishable ? 'origin_not_allowed' : 'secret_key_required', op.operationId);
    }
    assert.equal(browser, 7, 'visit, share, check-eligibility, claim, the widget\'s referrer read, a testimonial and the approved testimonials take the publishable key');
  } finally {
    await fresh.close();
  }
});

test('the contract test can fail: an answer with a field the document does not name is refused', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(doc as object, 'openapi');
  const validate = ajv.getSchema(`openapi${pointer('paths', '/api/v1/advocates/{id}', 'get', 'responses', '200', 'content', 'application/json', 'schema')}`)!;
  assert.equal(validate({ success: true, data: { advocate: { id: 1 }, surprise: true } }), false);
});
