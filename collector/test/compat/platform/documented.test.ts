// 002_*'s every path under /compat/platform/api/v1, as its document shows it: the example requests (its body and query
// names, camelCase), the bare answers it names (exact top-level keys, camelCase fields), and its error body for every
// refusal (400 VALIDATION_ERROR naming the field, 401, 403, 404, its 404 of an unknown path).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import type { Logger } from 'pino';
import { platformErrors } from '../../../src/compat/platform/answers.ts';
import { advocateId, count } from '../../support/fixtures.ts';
import {
  addFeedbackAndTestimonial, addQuest, ADVOCATE_002, ADVOCATE_PATCH_002, api, assertCamel, assertPlatformError, BASE, CONVERT_002, ERROR_002,
  MAPPING_002, platformCollector, POINTS_002, QUEST_002, recognizeBody, REWARD_002, TRACK_002,
} from './support.ts';

const keys = (body: object) => Object.keys(body).sort();

test('advocates: list {advocates, total, page} with page, limit, search, tier; get, create, update {advocate}; points {transaction, newBalance}', async (t) => {
  const c = await platformCollector(t);
  const created = await api(c, 'POST', '/advocates', ADVOCATE_002);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(keys(created.body), ['advocate']);
  assertCamel(created.body);
  const a = created.body.advocate;
  assert.deepEqual([a.email, a.name, a.metadata, a.status, typeof a.referralCode, a.pointsBalance], [ADVOCATE_002.email, ADVOCATE_002.name, ADVOCATE_002.metadata, 'active', 'string', 0]);
  for (const field of ['id', 'createdAt', 'updatedAt', 'referralCodes', 'totalEarnings', 'clickCount', 'conversionCount']) assert.ok(field in a, field);

  const list = await api(c, 'GET', '/advocates?page=1&limit=2');
  assert.equal(list.status, 200);
  assert.deepEqual(keys(list.body), ['advocates', 'page', 'total']);
  assert.deepEqual([list.body.total, list.body.page, list.body.advocates.length], [4, 1, 2]);
  assertCamel(list.body);
  const second = await api(c, 'GET', '/advocates?page=2&limit=2');
  assert.deepEqual([second.body.page, second.body.total, second.body.advocates.length], [2, 4, 2]);
  const searched = await api(c, 'GET', '/advocates?search=maya');
  assert.deepEqual([searched.body.total, searched.body.advocates.map((x: { id: number }) => x.id)], [1, [a.id]]);

  const patched = await api(c, 'PATCH', `/advocates/${a.id}`, ADVOCATE_PATCH_002);
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(keys(patched.body), ['advocate']);
  assert.deepEqual([patched.body.advocate.name, patched.body.advocate.tier, patched.body.advocate.metadata], ['Maya L.', 'gold', ADVOCATE_PATCH_002.metadata]);
  const tiered = await api(c, 'GET', '/advocates?tier=gold');
  assert.deepEqual([tiered.body.total, tiered.body.advocates[0].id], [1, a.id]);

  const got = await api(c, 'GET', `/advocates/${a.id}`);
  assert.deepEqual([got.status, keys(got.body), got.body.advocate.name], [200, ['advocate'], 'Maya L.']);

  const points = await api(c, 'POST', `/advocates/${a.id}/points`, POINTS_002);
  assert.equal(points.status, 200, JSON.stringify(points.body));
  assert.deepEqual(keys(points.body), ['newBalance', 'transaction']);
  assertCamel(points.body);
  assert.deepEqual([points.body.newBalance, points.body.transaction.amount, points.body.transaction.type, points.body.transaction.description], [100, 100, 'award', 'Welcome bonus']);
  const deducted = await api(c, 'POST', `/advocates/${a.id}/points`, { amount: 30, description: 'Correction', type: 'deduct' });
  assert.deepEqual([deducted.status, deducted.body.newBalance, deducted.body.transaction.amount], [200, 70, -30]);
});

test('rewards: list {rewards} by status and type, get and create {reward}, redeem {redemption}, 400 insufficient points', async (t) => {
  const c = await platformCollector(t);
  const made = await api(c, 'POST', '/rewards', REWARD_002);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(keys(made.body), ['reward']);
  assertCamel(made.body);
  const reward = made.body.reward;
  assert.deepEqual([reward.name, reward.description, reward.pointsCost, reward.type, reward.stock, reward.status], [REWARD_002.name, REWARD_002.description, 80, 'gift_card', 5, 'active']);
  await api(c, 'POST', '/rewards', { name: 'Sticker', pointsCost: 5, type: 'product' });

  const all = await api(c, 'GET', '/rewards');
  assert.deepEqual([all.status, keys(all.body), all.body.rewards.length], [200, ['rewards'], 2]);
  const cards = await api(c, 'GET', '/rewards?status=active&type=gift_card');
  assert.deepEqual(cards.body.rewards.map((r: { id: number }) => r.id), [reward.id]);
  const got = await api(c, 'GET', `/rewards/${reward.id}`);
  assert.deepEqual([got.status, keys(got.body), got.body.reward.pointsCost], [200, ['reward'], 80]);

  const sarah = await advocateId(c, 'V2AVMRDJ');
  const poor = await api(c, 'POST', `/rewards/${reward.id}/redeem`, { advocateId: sarah });
  assertPlatformError(poor, 400, 'VALIDATION_ERROR', 'advocateId');
  assert.match(poor.body.error.message, /0 points/);
  assert.equal(await count(c, 'redemptions'), 0);

  await api(c, 'POST', `/advocates/${sarah}/points`, { amount: 100, description: 'Earned', type: 'award' });
  const redeemed = await api(c, 'POST', `/rewards/${reward.id}/redeem`, { advocateId: sarah });
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  assert.deepEqual(keys(redeemed.body), ['redemption']);
  assertCamel(redeemed.body);
  assert.deepEqual([redeemed.body.redemption.advocateId, redeemed.body.redemption.pointsCost, redeemed.body.redemption.status], [sarah, 80, 'pending']);
});

test('quests: list {quests} by status, get {quest, tasks}, create {quest}, complete {completion, pointsAwarded}', async (t) => {
  const c = await platformCollector(t);
  const made = await api(c, 'POST', '/quests', QUEST_002);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(keys(made.body), ['quest']);
  assertCamel(made.body);
  assert.deepEqual([made.body.quest.title, made.body.quest.rewardPoints, made.body.quest.taskCount, made.body.quest.status], [QUEST_002.title, 50, 2, 'active']);
  const id = made.body.quest.id;
  const got = await api(c, 'GET', `/quests/${id}`);
  assert.deepEqual([got.status, keys(got.body)], [200, ['quest', 'tasks']]);
  assertCamel(got.body);
  assert.deepEqual(got.body.tasks.map((x: { title: string; points: number }) => [x.title, x.points]), [['Share your link', 10], ['Write a review', 15]]);

  const list = await api(c, 'GET', '/quests?status=active');
  assert.deepEqual([list.status, keys(list.body), list.body.quests.map((q: { id: number }) => q.id)], [200, ['quests'], [id]]);
  assert.deepEqual((await api(c, 'GET', '/quests?status=draft')).body.quests, []);
  // A parameter the document does not have is ignored and named, as on /api/v1; a body field the same.
  assert.deepEqual((await api(c, 'GET', '/quests?colour=red')).body.warnings, ['unknown field "colour" was ignored']);
  assert.deepEqual((await api(c, 'POST', '/quests', { ...QUEST_002, colour: 'red' })).body.warnings, ['unknown field "colour" was ignored']);

  const sarah = await advocateId(c, 'V2AVMRDJ');
  const done = await api(c, 'POST', `/quests/${id}/complete`, { advocateId: sarah, taskId: got.body.tasks[0].id });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.deepEqual(keys(done.body), ['completion', 'pointsAwarded']);
  assertCamel(done.body);
  assert.deepEqual([done.body.pointsAwarded, done.body.completion.advocateId, done.body.completion.taskId], [10, sarah, got.body.tasks[0].id]);
  const last = await api(c, 'POST', `/quests/${id}/complete`, { advocateId: sarah, taskId: got.body.tasks[1].id });
  assert.equal(last.body.pointsAwarded, 15 + 50);
});

test('referrals: list {referrals}, stats {clicks, conversions, revenue}, track {tracked: true}, convert {conversion, pointsAwarded}', async (t) => {
  const c = await platformCollector(t);
  const tracked = await api(c, 'POST', '/referrals/track', TRACK_002);
  assert.equal(tracked.status, 200, JSON.stringify(tracked.body));
  assert.deepEqual(tracked.body, { tracked: true });
  const converted = await api(c, 'POST', '/referrals/convert', CONVERT_002);
  assert.equal(converted.status, 200, JSON.stringify(converted.body));
  assert.deepEqual(keys(converted.body), ['conversion', 'pointsAwarded']);
  assertCamel(converted.body);
  assert.deepEqual([converted.body.conversion.orderId, converted.body.conversion.referralCode, converted.body.pointsAwarded], ['ORD-20931', 'V2AVMRDJ', 0]);

  const stats = await api(c, 'GET', '/referrals/V2AVMRDJ/stats');
  assert.equal(stats.status, 200, JSON.stringify(stats.body));
  assert.deepEqual(stats.body, { clicks: 1, conversions: 1, revenue: 120 });
  const list = await api(c, 'GET', '/referrals');
  assert.deepEqual([list.status, keys(list.body)], [200, ['referrals']]);
  assertCamel(list.body);
  assert.deepEqual(list.body.referrals.map((r: { code: string }) => r.code).sort(), ['JOHN123', 'TESTCODE', 'V2AVMRDJ']);
  assertPlatformError(await api(c, 'GET', '/referrals/NOSUCH/stats'), 404, 'NOT_FOUND', 'id');
});

test('testimonials {testimonials, total} by status and rating, PATCH {testimonial}; feedback {boards}, {ideas, total} by status and sort, PATCH {idea}', async (t) => {
  const c = await platformCollector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const { boardId, ideaId, testimonialId } = await addFeedbackAndTestimonial(c, sarah);

  const pending = await api(c, 'GET', '/testimonials?status=pending&rating=5');
  assert.deepEqual([pending.status, keys(pending.body), pending.body.total, pending.body.testimonials[0].id], [200, ['testimonials', 'total'], 1, testimonialId]);
  assertCamel(pending.body);
  assert.equal((await api(c, 'GET', '/testimonials?rating=4')).body.total, 0);
  const approved = await api(c, 'PATCH', `/testimonials/${testimonialId}`, { status: 'approved' });
  assert.deepEqual([approved.status, keys(approved.body), approved.body.testimonial.status], [200, ['testimonial'], 'approved']);
  assertCamel(approved.body);

  const boards = await api(c, 'GET', '/feedback/boards');
  assert.deepEqual([boards.status, keys(boards.body), boards.body.boards.map((b: { id: number }) => b.id)], [200, ['boards'], [boardId]]);
  assertCamel(boards.body);
  const ideas = await api(c, 'GET', `/feedback/boards/${boardId}/ideas?status=open&sort=votes`);
  assert.deepEqual([ideas.status, keys(ideas.body), ideas.body.total, ideas.body.ideas[0].id], [200, ['ideas', 'total'], 1, ideaId]);
  assertCamel(ideas.body);
  const planned = await api(c, 'PATCH', `/feedback/ideas/${ideaId}`, { status: 'planned' });
  assert.deepEqual([planned.status, keys(planned.body), planned.body.idea.status], [200, ['idea'], 'planned']);
  assert.equal((await api(c, 'GET', `/feedback/boards/${boardId}/ideas?status=open`)).body.total, 0);
});

test('sso: mappings {mappings} and {mapping}; recognize {advocateId, sessionToken} with the Bearer key and the signature', async (t) => {
  const c = await platformCollector(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const mapped = await api(c, 'POST', '/sso/mappings', MAPPING_002(sarah));
  assert.equal(mapped.status, 201, JSON.stringify(mapped.body));
  assert.deepEqual(keys(mapped.body), ['mapping']);
  assertCamel(mapped.body);
  assert.deepEqual([mapped.body.mapping.advocateId, mapped.body.mapping.externalCustomerId, mapped.body.mapping.externalEmail], [sarah, 'cus_8812', 'sarah@advocate.example']);
  const list = await api(c, 'GET', '/sso/mappings');
  assert.deepEqual([list.status, keys(list.body), list.body.mappings.length], [200, ['mappings'], 1]);

  const recognized = await api(c, 'POST', '/sso/recognize', recognizeBody(c, c.brand, 'cus_8812'));
  assert.equal(recognized.status, 200, JSON.stringify(recognized.body));
  assert.deepEqual(keys(recognized.body), ['advocateId', 'sessionToken']);
  assert.equal(recognized.body.advocateId, sarah);
  const session = await c.request('GET', '/api/v1/sso/session', { headers: { Authorization: `Bearer ${recognized.body.sessionToken}` } });
  assert.deepEqual([session.status, session.body.data.advocate_id], [200, sarah]);

  const forged = await api(c, 'POST', '/sso/recognize', { ...recognizeBody(c, c.brand, 'cus_8812'), signature: 'a'.repeat(64) });
  assertPlatformError(forged, 401, 'UNAUTHORIZED', 'signature');
  const other = await c.addBrand();
  assertPlatformError(await api(c, 'POST', '/sso/recognize', recognizeBody(c, other, 'cus_8812')), 403, 'FORBIDDEN', 'businessId');
});

test('errors: the document\'s body for every refusal, 400 naming the field in camelCase, 401, 403, 404 and an unknown path', async (t) => {
  const c = await platformCollector(t);
  // The document's own example, word for word.
  const noEmail = await api(c, 'POST', '/advocates', { name: 'No Email' });
  assert.equal(noEmail.status, 400);
  assert.deepEqual(noEmail.body, ERROR_002);
  assertPlatformError(await api(c, 'POST', '/rewards', { name: 'No cost', type: 'product' }), 400, 'VALIDATION_ERROR', 'pointsCost');
  assertPlatformError(await api(c, 'POST', '/quests/1/complete', { taskId: 1 }), 400, 'VALIDATION_ERROR', 'advocateId');
  assertPlatformError(await api(c, 'POST', '/referrals/convert', { orderId: 'X', orderValue: 5 }), 400, 'VALIDATION_ERROR', 'code');
  assertPlatformError(await api(c, 'PATCH', '/testimonials/1', { status: 'maybe' }), 400, 'VALIDATION_ERROR', 'status');
  assertPlatformError(await api(c, 'GET', '/advocates?limit=1000'), 400, 'VALIDATION_ERROR', 'limit');
  const badJson = await c.request('POST', `${BASE}/advocates`, { headers: { Authorization: `Bearer ${c.brand.secret_key}`, 'Content-Type': 'application/json' }, body: '{"email":' });
  assertPlatformError(badJson, 400, 'VALIDATION_ERROR', null);
  const duplicate = await api(c, 'POST', '/advocates', { email: 'sarah@advocate.example', name: 'Sarah again' });
  assert.equal(duplicate.status, 400, JSON.stringify(duplicate.body));
  assert.equal(duplicate.body.error.code, 'VALIDATION_ERROR');

  assertPlatformError(await c.request('GET', `${BASE}/advocates`), 401, 'UNAUTHORIZED', 'authorization');
  assertPlatformError(await c.request('GET', `${BASE}/advocates`, { headers: { Authorization: 'Bearer sk_live_nope' } }), 401, 'UNAUTHORIZED', 'authorization');
  assertPlatformError(await c.request('GET', `${BASE}/advocates`, { headers: { Authorization: `Bearer ${c.brand.publishable_key}` } }), 403, 'FORBIDDEN', 'authorization');

  for (const path of ['/advocates/999', '/advocates/abc', '/rewards/999', '/quests/999', '/feedback/boards/999/ideas']) {
    assertPlatformError(await api(c, 'GET', path), 404, 'NOT_FOUND', 'id');
  }
  assertPlatformError(await api(c, 'PATCH', '/feedback/ideas/999', { status: 'done' }), 404, 'NOT_FOUND', 'id');
  assertPlatformError(await api(c, 'POST', '/advocates/999/points', POINTS_002), 404, 'NOT_FOUND', 'id');
  // A click is a visit: on /api/v1 as here, visits need the premier plan.
  const starter = await c.addBrand({ plan: 'starter' });
  assertPlatformError(await api(c, 'POST', '/referrals/track', { code: 'V2AVMRDJ', visitorId: 'visitor_abc123' }, { brand: starter }), 403, 'FORBIDDEN', null);
  assertPlatformError(await api(c, 'GET', '/nothing/here'), 404, 'NOT_FOUND', null);
  assertPlatformError(await api(c, 'DELETE', '/advocates/1'), 404, 'NOT_FOUND', null);
  // Nothing was written by any refusal: the brand still has its three advocates.
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { query: { total: 'true' } })).body.data.total, 3);
});

test('a fault is the document\'s 500 SERVER_ERROR, logged, with nothing of the fault in the answer', async () => {
  const logged: unknown[] = [];
  const app = express();
  app.get('/boom', () => { throw new Error('secret detail of the fault'); });
  app.use(platformErrors({ logger: { error: (o: unknown) => logged.push(o) } as unknown as Logger }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/boom`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: { code: 'SERVER_ERROR', message: 'Internal server error', field: null } });
    assert.equal(logged.length, 1);
  } finally {
    server.close();
  }
});
