// The adapter's tenant matrix: brand A's key on brand B's ids, for every route /compat/platform/api/v1 serves: a 404
// in the document's body (or, for a list or a create, nothing of B's seen or touched), and B's state unchanged after
// each row, read through /api/v1 with B's key. A second test holds the matrix to the router's own list of routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Router } from 'express';
import { platformRoutes } from '../../../src/compat/platform/router.ts';
import type { TestBrand, TestCollector } from '../../support/collector.ts';
import { advocateId } from '../../support/fixtures.ts';
import {
  addFeedbackAndTestimonial, addQuest, api, assertPlatformError, CONVERT_002, MAPPING_002, platformCollector, POINTS_002, recognizeBody, REWARD_002,
} from './support.ts';

interface World { c: TestCollector; a: TestBrand; b: TestBrand; aAdvocate: number; bAdvocate: number; bReward: number; aReward: number;
  bQuest: number; bTask: number; aQuest: number; aTask: number; bBoard: number; bIdea: number; bTestimonial: number }

const B_CODES: Array<[string, string, string]> = [['BEACODE', 'Bea Brandb', 'bea@b.example']];

/** What B has, as B reads it: compared before and after each row. */
async function stateOf(w: World): Promise<string> {
  const get = async (path: string) => (await w.c.call('GET', `/api/v1${path}`, undefined, { brand: w.b })).body.data;
  return JSON.stringify([
    await get('/advocates?total=true'), await get(`/advocates/${w.bAdvocate}/points`), await get('/rewards'), await get('/redemptions'),
    await get(`/quests/${w.bQuest}`), await get('/referrals/BEACODE/stats'), await get('/testimonials?total=true'),
    await get(`/feedback/boards/${w.bBoard}/ideas?total=true`), await get('/sso/mappings?total=true'), await get('/quests'), await get('/feedback/boards'),
  ]);
}

const ids = (list: Array<{ id: number }>) => list.map((x) => x.id);

/** One row per route: A's key, B's ids. Each answer is checked here; B's state after it by the loop. */
const MATRIX: Record<string, (w: World) => Promise<void>> = {
  'GET /advocates': async (w) => {
    const res = await api(w.c, 'GET', '/advocates?limit=100', undefined, { brand: w.a });
    assert.ok(!ids(res.body.advocates).includes(w.bAdvocate));
    assert.equal(res.body.total, 3);
  },
  'GET /advocates/:id': async (w) => assertPlatformError(await api(w.c, 'GET', `/advocates/${w.bAdvocate}`, undefined, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'POST /advocates': async (w) => {
    const res = await api(w.c, 'POST', '/advocates', { email: 'bea@b.example', name: 'Bea in A' }, { brand: w.a });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.notEqual(res.body.advocate.id, w.bAdvocate);
  },
  'PATCH /advocates/:id': async (w) =>
    assertPlatformError(await api(w.c, 'PATCH', `/advocates/${w.bAdvocate}`, { name: 'Taken over' }, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'POST /advocates/:id/points': async (w) =>
    assertPlatformError(await api(w.c, 'POST', `/advocates/${w.bAdvocate}/points`, POINTS_002, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'GET /rewards': async (w) => assert.ok(!ids((await api(w.c, 'GET', '/rewards', undefined, { brand: w.a })).body.rewards).includes(w.bReward)),
  'GET /rewards/:id': async (w) => assertPlatformError(await api(w.c, 'GET', `/rewards/${w.bReward}`, undefined, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'POST /rewards': async (w) => assert.equal((await api(w.c, 'POST', '/rewards', REWARD_002, { brand: w.a })).status, 201),
  'POST /rewards/:id/redeem': async (w) => {
    assertPlatformError(await api(w.c, 'POST', `/rewards/${w.bReward}/redeem`, { advocateId: w.aAdvocate }, { brand: w.a }), 404, 'NOT_FOUND', 'id');
    assertPlatformError(await api(w.c, 'POST', `/rewards/${w.aReward}/redeem`, { advocateId: w.bAdvocate }, { brand: w.a }), 404, 'NOT_FOUND', 'advocateId');
  },
  'GET /quests': async (w) => assert.ok(!ids((await api(w.c, 'GET', '/quests', undefined, { brand: w.a })).body.quests).includes(w.bQuest)),
  'GET /quests/:id': async (w) => assertPlatformError(await api(w.c, 'GET', `/quests/${w.bQuest}`, undefined, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'POST /quests': async (w) => assert.equal((await api(w.c, 'POST', '/quests', { title: 'A only', tasks: [{ title: 'One', points: 1 }] }, { brand: w.a })).status, 201),
  'POST /quests/:id/complete': async (w) => {
    assertPlatformError(await api(w.c, 'POST', `/quests/${w.bQuest}/complete`, { advocateId: w.aAdvocate, taskId: w.bTask }, { brand: w.a }), 404, 'NOT_FOUND', 'id');
    assertPlatformError(await api(w.c, 'POST', `/quests/${w.aQuest}/complete`, { advocateId: w.bAdvocate, taskId: w.aTask }, { brand: w.a }), 404, 'NOT_FOUND', 'advocateId');
    assertPlatformError(await api(w.c, 'POST', `/quests/${w.aQuest}/complete`, { advocateId: w.aAdvocate, taskId: w.bTask }, { brand: w.a }), 404, 'NOT_FOUND', 'taskId');
  },
  'GET /referrals': async (w) => {
    const codes = (await api(w.c, 'GET', '/referrals?limit=100', undefined, { brand: w.a })).body.referrals.map((r: { code: string }) => r.code);
    assert.ok(codes.length > 0 && !codes.includes('BEACODE'), String(codes));
  },
  'GET /referrals/:code/stats': async (w) =>
    assertPlatformError(await api(w.c, 'GET', '/referrals/BEACODE/stats', undefined, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'POST /referrals/track': async (w) => {
    assertPlatformError(await api(w.c, 'POST', '/referrals/track', { code: 'BEACODE', visitorId: 'visitor_x' }, { brand: w.a }), 404, 'NOT_FOUND', 'code');
  },
  'POST /referrals/convert': async (w) => {
    assertPlatformError(await api(w.c, 'POST', '/referrals/convert', { ...CONVERT_002, code: 'BEACODE' }, { brand: w.a }), 404, 'NOT_FOUND', 'code');
  },
  'GET /testimonials': async (w) =>
    assert.ok(!ids((await api(w.c, 'GET', '/testimonials', undefined, { brand: w.a })).body.testimonials).includes(w.bTestimonial)),
  'PATCH /testimonials/:id': async (w) =>
    assertPlatformError(await api(w.c, 'PATCH', `/testimonials/${w.bTestimonial}`, { status: 'approved' }, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'GET /feedback/boards': async (w) => assert.ok(!ids((await api(w.c, 'GET', '/feedback/boards', undefined, { brand: w.a })).body.boards).includes(w.bBoard)),
  'GET /feedback/boards/:id/ideas': async (w) =>
    assertPlatformError(await api(w.c, 'GET', `/feedback/boards/${w.bBoard}/ideas`, undefined, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'PATCH /feedback/ideas/:id': async (w) =>
    assertPlatformError(await api(w.c, 'PATCH', `/feedback/ideas/${w.bIdea}`, { status: 'done' }, { brand: w.a }), 404, 'NOT_FOUND', 'id'),
  'POST /sso/recognize': async (w) => {
    // B's business with A's key, signed by B: refused; A's business for B's customer: A has no such customer.
    assertPlatformError(await api(w.c, 'POST', '/sso/recognize', recognizeBody(w.c, w.b, 'cus_b'), { brand: w.a }), 403, 'FORBIDDEN', 'businessId');
    assertPlatformError(await api(w.c, 'POST', '/sso/recognize', recognizeBody(w.c, w.a, 'cus_b'), { brand: w.a }), 404, 'NOT_FOUND', 'externalCustomerId');
  },
  'GET /sso/mappings': async (w) => assert.deepEqual((await api(w.c, 'GET', '/sso/mappings', undefined, { brand: w.a })).body.mappings, []),
  'POST /sso/mappings': async (w) => {
    const res = await api(w.c, 'POST', '/sso/mappings', { ...MAPPING_002(w.bAdvocate), externalCustomerId: 'cus_b' }, { brand: w.a });
    assertPlatformError(res, 404, 'NOT_FOUND', 'advocateId');
    assert.match(res.body.error.message, /^advocateId: no advocate/);
  },
};

/** "METHOD /path" of every route the adapter's router serves. */
function servedRoutes(router: Router): string[] {
  return router.stack.flatMap((layer) => {
    const route = layer.route as { path: string; methods?: Record<string, boolean> } | undefined;
    if (!route) return [];
    return Object.keys(route.methods ?? {}).map((m) => `${m.toUpperCase()} ${route.path}`);
  }).sort();
}

test('every route the adapter serves is a row of the tenant matrix, and every row a route', async (t) => {
  const c = await platformCollector(t);
  const served = servedRoutes(platformRoutes(c.deps));
  assert.equal(served.length, 25);
  assert.deepEqual(served, Object.keys(MATRIX).sort());
});

test('brand A\'s key on brand B\'s ids: not found (or none of B\'s), and B unchanged, for every route', async (t) => {
  const c = await platformCollector(t);
  const a = c.brand;
  const b = await c.addBrand({ codes: B_CODES });
  const bAdvocate = await advocateId(c, 'BEACODE', b);
  const aAdvocate = await advocateId(c, 'V2AVMRDJ', a);
  const bReward = (await api(c, 'POST', '/rewards', REWARD_002, { brand: b })).body.reward.id as number;
  const aReward = (await api(c, 'POST', '/rewards', REWARD_002, { brand: a })).body.reward.id as number;
  const bq = await addQuest(c, b);
  const aq = await addQuest(c, a);
  await api(c, 'POST', `/advocates/${bAdvocate}/points`, POINTS_002, { brand: b });
  await api(c, 'POST', `/quests/${bq.questId}/complete`, { advocateId: bAdvocate, taskId: bq.taskIds[0] }, { brand: b });
  await api(c, 'POST', '/referrals/track', { code: 'BEACODE', visitorId: 'visitor_b' }, { brand: b });
  assert.equal((await api(c, 'POST', '/sso/mappings', { ...MAPPING_002(bAdvocate), externalCustomerId: 'cus_b' }, { brand: b })).status, 201);
  const f = await addFeedbackAndTestimonial(c, bAdvocate, b);
  const w: World = { c, a, b, aAdvocate, bAdvocate, bReward, aReward, bQuest: bq.questId, bTask: bq.taskIds[1]!, aQuest: aq.questId, aTask: aq.taskIds[0]!,
    bBoard: f.boardId, bIdea: f.ideaId, bTestimonial: f.testimonialId };

  const before = await stateOf(w);
  assert.match(before, /BEACODE/);
  for (const [route, row] of Object.entries(MATRIX)) {
    await t.test(route, async () => {
      await row(w);
      assert.equal(await stateOf(w), before, `${route} changed brand B`);
    });
  }
});
