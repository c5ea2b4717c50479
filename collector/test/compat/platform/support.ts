// The advocate platform's (002_*) clients in the tests: calls under /compat/platform/api/v1 with `Authorization: Bearer`
// and the brand's secret key, exactly as the document shows them, the document's example bodies, and the set-up its
// clients cannot do themselves (boards, ideas and testimonials are made through /api/v1).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Config } from '../../../src/config.ts';
import type { Plan } from '../../../src/db/brands.ts';
import { ssoSignature } from '../../../src/domain/sso.ts';
import { startTestCollector, type TestBrand, type TestCollector, type TestResponse } from '../../support/collector.ts';

export const BASE = '/compat/platform/api/v1';

// ---- The document's request bodies, with the names it gives them.
export const ADVOCATE_002 = { email: 'maya@customer.example', name: 'Maya Lopez', metadata: { source: 'newsletter', shirtSize: 'M' } };
export const ADVOCATE_PATCH_002 = { name: 'Maya L.', tier: 'gold', metadata: { source: 'newsletter', vip: true } };
export const POINTS_002 = { amount: 100, description: 'Welcome bonus', type: 'award' };
export const REWARD_002 = { name: '$10 gift card', description: 'A gift card for the shop', pointsCost: 80, type: 'gift_card', stock: 5 };
export const QUEST_002 = {
  title: 'Spread the word', description: 'Two steps to your first referral',
  tasks: [{ title: 'Share your link', points: 10 }, { title: 'Write a review', points: 15 }], reward: { type: 'points', points: 50 },
};
export const TRACK_002 = { code: 'V2AVMRDJ', visitorId: 'visitor_abc123' };
export const CONVERT_002 = { code: 'V2AVMRDJ', orderId: 'ORD-20931', orderValue: 120.00 };
export const MAPPING_002 = (advocateId: number) => ({ advocateId, externalCustomerId: 'cus_8812', externalEmail: 'sarah@advocate.example', externalName: 'Sarah Jones' });

/** The document's error body. */
export const ERROR_002 = { error: { code: 'VALIDATION_ERROR', message: 'Email is required', field: 'email' } };

export async function platformCollector(t: TestContext, opts: { config?: Partial<Config>; plan?: Plan } = {}): Promise<TestCollector> {
  const c = await startTestCollector(opts);
  t.after(() => c.close());
  return c;
}

/** A call as a 002_* client makes it: Bearer secret key, JSON body when there is one, query as given. */
export function api(c: TestCollector, method: string, path: string, body?: unknown, opts: { brand?: TestBrand; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  const b = opts.brand ?? c.brand;
  const headers: Record<string, string> = { Authorization: `Bearer ${b.secret_key}`, ...opts.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return c.request(method, BASE + path, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** The document's error body, with this code and field (a message always). */
export function assertPlatformError(res: TestResponse, status: number, code: string, field: string | null): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), ['error'], JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body.error), ['code', 'message', 'field']);
  assert.equal(res.body.error.code, code, JSON.stringify(res.body));
  assert.equal(res.body.error.field, field, JSON.stringify(res.body));
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
}

/** No snake_case key anywhere in an answer (but inside `metadata`, the client's own). */
export function assertCamel(value: unknown, path = ''): void {
  if (Array.isArray(value)) return value.forEach((v, i) => assertCamel(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    assert.ok(!k.includes('_'), `${path}.${k} is not camelCase`);
    if (k !== 'metadata') assertCamel(v, `${path}.${k}`);
  }
}

/** A quest with its two tasks, made as the document makes it. */
export async function addQuest(c: TestCollector, brand?: TestBrand): Promise<{ questId: number; taskIds: number[] }> {
  const made = await api(c, 'POST', '/quests', QUEST_002, { brand });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const read = await api(c, 'GET', `/quests/${made.body.quest.id}`, undefined, { brand });
  return { questId: made.body.quest.id, taskIds: read.body.tasks.map((t: { id: number }) => t.id) };
}

/** A board with one idea, and a pending testimonial, through /api/v1 (the document has no path that makes them). */
export async function addFeedbackAndTestimonial(c: TestCollector, advocateId: number, brand?: TestBrand) {
  const board = await c.call('POST', '/api/v1/feedback/boards', { name: 'Product ideas', description: 'What should we build?' }, { brand });
  assert.equal(board.status, 201, JSON.stringify(board.body));
  const idea = await c.call('POST', `/api/v1/feedback/boards/${board.body.data.board.id}/ideas`, { advocate_id: advocateId, title: 'Dark mode', body: 'Please' }, { brand });
  assert.equal(idea.status, 201, JSON.stringify(idea.body));
  const testimonial = await c.call('POST', '/api/v1/testimonials', { advocate_id: advocateId, rating: 5, text: 'Love it' }, { brand });
  assert.equal(testimonial.status, 201, JSON.stringify(testimonial.body));
  return { boardId: board.body.data.board.id as number, ideaId: idea.body.data.idea.id as number, testimonialId: testimonial.body.data.testimonial.id as number };
}

/** 002_*'s recognize body for `customer` of `brand`, signed now. */
export function recognizeBody(c: TestCollector, brand: TestBrand, customer: string) {
  const timestamp = String(Math.floor(c.deps.now().getTime() / 1000));
  const signature = ssoSignature(brand.secret_key, { businessId: brand.brand_id, externalCustomerId: customer, timestamp, externalEmail: null, externalName: null });
  return { businessId: brand.brand_id, externalCustomerId: customer, timestamp: Number(timestamp), signature };
}
