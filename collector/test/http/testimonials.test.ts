// Testimonials (issue 13, 002_*'s /testimonials): submitted pending, moderated, listed by status and rating; a site's
// pages submit them and read the approved ones with the publishable key, from the brand's origins only, within a
// per-IP budget; every bad field named with nothing written; a person's export lists them and their erasure deletes them.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { DEFAULT_RATE_LIMITS, type Config } from '../../src/config.ts';
import { startTestCollector, TEST_ORIGIN, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError, count, publishableHeaders, rows } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

async function collector(t: TestContext, config: Partial<Config> = {}): Promise<TestCollector> {
  const c = await startTestCollector({ config });
  t.after(() => c.close());
  return c;
}

const MAYA = { name: 'Maya Chen', email: 'Maya@Example.com', rating: 5, text: 'Ordered twice already.', product: 'Trail runner' };

async function submit(c: TestCollector, body: Record<string, unknown> = MAYA) {
  const res = await c.call('POST', '/api/v1/testimonials', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.testimonial as { id: number; [k: string]: unknown };
}

const ids = async (c: TestCollector, query: Record<string, string | number> = {}) =>
  ((await c.call('GET', '/api/v1/testimonials', undefined, { query })).body.data.testimonials as Array<{ id: number }>).map((t) => t.id);

test('moderation: submitted pending (by name and email, or by an advocate), approved or rejected, listed by status and rating; its events', async (t) => {
  const c = await collector(t);
  const endpoint = await subscribeEndpoint(c, ['testimonial.created', 'testimonial.approved']);
  const maya = await submit(c);
  assert.deepEqual({ ...maya, id: 0, created_at: '', updated_at: '' }, {
    id: 0, advocate_id: null, name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already.', product: 'Trail runner',
    status: 'pending', source: 'api', created_at: '', updated_at: '', moderated_at: null,
  });
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const bySarah = await submit(c, { advocateId: sarah, rating: '3', text: 'Good, slow delivery' });
  assert.deepEqual([bySarah.advocate_id, bySarah.name, bySarah.email, bySarah.rating, bySarah.product], [sarah, 'Sarah Jones', null, 3, null]);

  const approved = await c.call('PATCH', `/api/v1/testimonials/${maya.id}`, { status: 'approved' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.data.testimonial.status, 'approved');
  assert.equal(typeof approved.body.data.testimonial.moderated_at, 'string');
  assert.equal((await c.call('PATCH', `/api/v1/testimonials/${maya.id}`, { status: 'approved' })).status, 200, 'the same status again');
  assert.deepEqual(await ids(c), [bySarah.id, maya.id], 'newest first');
  assert.deepEqual(await ids(c, { status: 'pending' }), [bySarah.id]);
  assert.deepEqual(await ids(c, { status: 'approved', rating: 5 }), [maya.id]);
  assert.deepEqual(await ids(c, { rating: 3 }), [bySarah.id]);
  const page = (await c.call('GET', '/api/v1/testimonials', undefined, { query: { total: 'true', limit: 1 } })).body.data;
  assert.deepEqual([page.total, page.testimonials.length, page.has_more], [2, 1, true]);
  assert.equal((await c.call('PATCH', `/api/v1/testimonials/${bySarah.id}`, { status: 'rejected' })).body.data.testimonial.status, 'rejected');
  assert.deepEqual(await ids(c, { status: 'rejected' }), [bySarah.id]);
  assert.deepEqual((await c.call('GET', `/api/v1/testimonials/${maya.id}`)).body.data.testimonial, approved.body.data.testimonial);

  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.id, e.body.data.status]);
  assert.deepEqual(events, [['testimonial.created', maya.id, 'pending'], ['testimonial.created', bySarah.id, 'pending'],
    ['testimonial.approved', maya.id, 'approved']], 'approved once: the repeat publishes nothing');
});

test('every bad field is a 400 naming it, and nothing is written; unknown ids are 404s', async (t) => {
  const c = await collector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  for (const [body, field] of [
    [{ ...MAYA, rating: 0 }, 'rating'], [{ ...MAYA, rating: 6 }, 'rating'], [{ ...MAYA, rating: 4.5 }, 'rating'], [{ ...MAYA, rating: 'five' }, 'rating'],
    [{ ...MAYA, rating: undefined }, 'rating'], [{ ...MAYA, text: ' ' }, 'text'], [{ ...MAYA, text: 'x'.repeat(5001) }, 'text'],
    [{ ...MAYA, email: 'not-an-email' }, 'email'], [{ ...MAYA, email: undefined }, 'email'], [{ ...MAYA, name: undefined }, 'name'],
    [{ ...MAYA, product: 7 }, 'product'], [{ ...MAYA, advocate_id: sarah }, 'advocate_id'], [{ rating: 4, text: 'hi', advocateId: 'me' }, 'advocateId'],
  ] as const) {
    assertError(await c.call('POST', '/api/v1/testimonials', body), 400, 'invalid_request', field);
  }
  assertError(await c.call('POST', '/api/v1/testimonials', { rating: 4, text: 'hi', advocate_id: 999 }), 404, 'not_found', 'advocate_id');
  assert.equal(await count(c, 'testimonials'), 0);

  const t1 = await submit(c);
  for (const status of ['pending', 'published', undefined]) {
    assertError(await c.call('PATCH', `/api/v1/testimonials/${t1.id}`, { status }), 400, 'invalid_request', 'status');
  }
  assert.equal((await c.call('GET', `/api/v1/testimonials/${t1.id}`)).body.data.testimonial.status, 'pending');
  for (const path of ['/api/v1/testimonials/999', '/api/v1/testimonials/abc']) {
    assertError(await c.call('GET', path), 404, 'not_found');
    assertError(await c.call('PATCH', path, { status: 'approved' }), 404, 'not_found');
  }
  assertError(await c.call('GET', '/api/v1/testimonials', undefined, { query: { status: 'lost' } }), 400, 'invalid_request', 'status');
  assertError(await c.call('GET', '/api/v1/testimonials', undefined, { query: { rating: '9' } }), 400, 'invalid_request', 'rating');
  assertError(await c.call('GET', '/api/v1/testimonials/public', undefined, { query: { rating: 'x' } }), 400, 'invalid_request', 'rating');
});

test('the publishable key: submits from an allowed Origin within the IP budget, and reads only approved ones, without emails', async (t) => {
  const c = await collector(t, {
    rateLimits: { ...DEFAULT_RATE_LIMITS, testimonial: { limit: 3, windowMs: 60_000 }, testimonial_read: { limit: 100, windowMs: 60_000 } },
  });
  const pk = (origin: string | null = TEST_ORIGIN) => publishableHeaders(c.brand, origin);
  const post = (body: unknown, headers = pk()) => c.request('POST', '/api/v1/testimonials', { headers, body: JSON.stringify(body) });
  const read = (headers: Record<string, string> = pk(), query = '') => c.request('GET', `/api/v1/testimonials/public${query}`, { headers });

  const sent = await post(MAYA);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.equal(sent.body.data.testimonial.source, 'browser');
  assert.equal(sent.headers.get('access-control-allow-origin'), TEST_ORIGIN);
  assertError(await post(MAYA, pk(null)), 403, 'origin_not_allowed');
  assertError(await post(MAYA, pk('https://evil.example')), 403, 'origin_not_allowed');
  assertError(await post({ rating: 5, text: 'I am Sarah', advocate_id: await advocateId(c, 'V2AVMRDJ') }), 403, 'secret_key_required', 'advocate_id');
  const second = await post({ ...MAYA, name: 'Ola', email: 'ola@example.com', rating: 4 });
  assert.equal(second.status, 201);
  const limited = await post(MAYA);
  assert.equal(limited.status, 429, 'the IP spent its testimonial budget');
  assert.ok(limited.headers.get('retry-after'));
  assert.equal(await count(c, 'testimonials'), 2);

  // Nothing public until approved; then only the approved one, in the public shape.
  assert.deepEqual((await read()).body.data.testimonials, []);
  const mayaId = sent.body.data.testimonial.id;
  await c.call('PATCH', `/api/v1/testimonials/${mayaId}`, { status: 'approved' });
  await c.call('PATCH', `/api/v1/testimonials/${second.body.data.testimonial.id}`, { status: 'rejected' });
  const shown = await read();
  assert.equal(shown.status, 200, JSON.stringify(shown.body));
  assert.equal(shown.headers.get('access-control-allow-origin'), TEST_ORIGIN);
  assert.deepEqual(shown.body.data.testimonials.map((x: object) => ({ ...x, created_at: '' })),
    [{ id: mayaId, name: 'Maya Chen', rating: 5, text: 'Ordered twice already.', product: 'Trail runner', created_at: '' }]);
  assert.deepEqual((await read(pk(), '?rating=4')).body.data.testimonials, []);
  const asked = await read(pk(), '?status=rejected');
  assert.deepEqual([asked.body.data.testimonials.length, asked.body.warnings?.length], [1, 1], 'status is no field of the public list');
  assertError(await read(pk(null)), 403, 'origin_not_allowed');
  assertError(await read(pk('https://evil.example')), 403, 'origin_not_allowed');
  assertError(await c.request('GET', '/api/v1/testimonials', { headers: pk() }), 403, 'secret_key_required');
  assertError(await c.request('PATCH', `/api/v1/testimonials/${mayaId}`, { headers: pk(), body: '{"status":"rejected"}' }), 403, 'secret_key_required');
  // Another brand's publishable key reads that brand's approved testimonials: none of these.
  const other = await c.addBrand();
  assert.deepEqual((await read(publishableHeaders(other))).body.data.testimonials, []);
});

test("a person's export lists their testimonials (given with the email, or as the advocate); the erasure deletes them and their stored answers", async (t) => {
  const c = await collector(t);
  const endpoint = await subscribeEndpoint(c, ['testimonial.created']);
  const given = await c.call('POST', '/api/v1/testimonials', { ...MAYA, email: 'sarah@advocate.example' }, { headers: { 'Idempotency-Key': 'k-1' } });
  assert.equal(given.status, 201);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const asAdvocate = await submit(c, { advocate_id: sarah, rating: 4, text: 'Sarah here' });
  const others = await submit(c, { ...MAYA, email: 'someone@else.example' });
  const exported = (await c.call('GET', '/api/v1/people', undefined, { query: { email: 'sarah@advocate.example' } })).body.data.person;
  assert.deepEqual(exported.testimonials.map((x: { id: number }) => x.id), [given.body.data.testimonial.id, asAdvocate.id]);

  const erased = await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'sarah@advocate.example' } });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal(erased.body.data.erasure.counts.testimonials, 2);
  assert.deepEqual((await rows(c, 'SELECT id FROM testimonials')).map((r) => Number(r.id)), [others.id]);
  assert.equal((await rows(c, "SELECT key FROM idempotency_keys WHERE key = 'k-1'")).length, 0, 'the stored answer naming it went too');
  const events = await storedEvents(c, { endpointId: endpoint.id });
  assert.deepEqual(events.map((e) => e.body.data?.id ?? null), [null, null, others.id], 'the deliveries naming them keep only their type');
});
