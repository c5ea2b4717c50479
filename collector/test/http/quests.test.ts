// Quests (issue 13, 002_*'s /quests) and 002_*'s simple referral calls (/referrals/track, /referrals/convert): a task's
// points once per advocate and task, the quest's reward once (also under concurrent completions), the dates and
// statuses that close a quest, every refusal naming its field with nothing written, and 002_*'s request shapes.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError, count, DAY_MS, testClock } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

// 002_*'s request shapes, as its clients send them (camelCase).
const QUEST_002 = {
  title: 'Spread the word', description: 'Three steps to your first referral',
  tasks: [{ title: 'Share your link', points: 10 }, { title: 'Invite three friends', points: 20 }, { title: 'Write a review', points: 0 }],
  reward: { type: 'points', points: 50 },
};
const TRACK_002 = { code: 'V2AVMRDJ', visitorId: 'visitor_abc123' };
const CONVERT_002 = { code: 'V2AVMRDJ', orderId: 'ORD-20931', orderValue: 120.00 };

async function collector(t: TestContext, now?: () => Date): Promise<TestCollector> {
  const c = await startTestCollector(now ? { now } : {});
  t.after(() => c.close());
  return c;
}

async function addQuest(c: TestCollector, fields: Record<string, unknown> = {}) {
  const res = await c.call('POST', '/api/v1/quests', { ...QUEST_002, ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const quest = res.body.data.quest;
  const tasks = (await c.call('GET', `/api/v1/quests/${quest.id}`)).body.data.tasks as Array<{ id: number; points: number }>;
  return { quest, tasks };
}

const balanceOf = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/advocates/${id}/points`)).body.data.balance as number;
const complete = (c: TestCollector, questId: number, body: Record<string, unknown>) => c.call('POST', `/api/v1/quests/${questId}/complete`, body);

test('a quest from 002_*\'s body: created, listed by status, read with its tasks and progress, changed', async (t) => {
  const c = await collector(t);
  const { quest, tasks } = await addQuest(c, { startsAt: '2026-01-01', endsAt: '2030-12-31T00:00:00Z' });
  assert.deepEqual({ ...quest, id: 0, created_at: '', updated_at: '' }, {
    id: 0, title: 'Spread the word', description: 'Three steps to your first referral', reward_points: 50,
    reward: { type: 'points', points: 50 }, status: 'active',
    starts_at: '2026-01-01T00:00:00.000Z', ends_at: '2030-12-31T00:00:00.000Z', task_count: 3, created_at: '', updated_at: '',
  });
  assert.deepEqual(tasks.map((x) => [(x as unknown as { position: number }).position, x.points]), [[1, 10], [2, 20], [3, 0]]);
  const draft = (await addQuest(c, { title: 'Later', status: 'draft', reward: null, tasks: [{ title: 'One', points: '5' }] })).quest;
  assert.equal(draft.reward_points, null);
  const list = async (query: Record<string, string> = {}) =>
    ((await c.call('GET', '/api/v1/quests', undefined, { query })).body.data.quests as Array<{ id: number }>).map((q) => q.id);
  assert.deepEqual(await list(), [quest.id, draft.id]);
  assert.deepEqual(await list({ status: 'draft' }), [draft.id]);

  const sarah = await advocateId(c, 'V2AVMRDJ');
  const john = await advocateId(c, 'JOHN123');
  await complete(c, quest.id, { advocateId: sarah, taskId: tasks[0]!.id });
  await complete(c, quest.id, { advocate_id: john, task_id: tasks[1]!.id });
  const detail = (await c.call('GET', `/api/v1/quests/${quest.id}`)).body.data;
  assert.deepEqual(detail.progress.map((p: { advocate_id: number; completed_task_ids: number[]; points_awarded: number }) =>
    [p.advocate_id, p.completed_task_ids, p.points_awarded]), [[john, [tasks[1]!.id], 20], [sarah, [tasks[0]!.id], 10]]);
  const paged = (await c.call('GET', `/api/v1/quests/${quest.id}`, undefined, { query: { limit: 1 } })).body.data;
  assert.deepEqual(paged.progress.map((p: { advocate_id: number }) => p.advocate_id), [john]);
  const next = (await c.call('GET', `/api/v1/quests/${quest.id}`, undefined, { query: { limit: 1, cursor: paged.next_cursor } })).body.data;
  assert.deepEqual([next.progress.map((p: { advocate_id: number }) => p.advocate_id), next.next_cursor], [[sarah], null]);
  const one = (await c.call('GET', `/api/v1/quests/${quest.id}`, undefined, { query: { advocate_id: sarah } })).body.data;
  assert.deepEqual(one.progress.map((p: { advocate_id: number; tasks_completed: number; tasks_total: number; completed: boolean }) =>
    [p.advocate_id, p.tasks_completed, p.tasks_total, p.completed]), [[sarah, 1, 3, false]]);

  const changed = await c.call('PATCH', `/api/v1/quests/${quest.id}`, { status: 'archived', reward: 75 });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual([changed.body.data.quest.status, changed.body.data.quest.reward_points, changed.body.data.quest.title], ['archived', 75, 'Spread the word']);
});

test('every bad field is a 400 naming it, unknown ids are 404s, and nothing is written', async (t) => {
  const c = await collector(t);
  for (const [body, field] of [
    [{ ...QUEST_002, title: undefined }, 'title'],
    [{ ...QUEST_002, title: ' ' }, 'title'],
    [{ ...QUEST_002, tasks: [] }, 'tasks'],
    [{ ...QUEST_002, tasks: 'share' }, 'tasks'],
    [{ ...QUEST_002, tasks: [{ points: 5 }] }, 'tasks.0.title'],
    [{ ...QUEST_002, tasks: [{ title: 'x', points: -1 }] }, 'tasks.0.points'],
    [{ ...QUEST_002, tasks: [{ title: 'x' }] }, 'tasks.0.points'],
    [{ ...QUEST_002, tasks: Array.from({ length: 51 }, (_, i) => ({ title: `t${i}`, points: 1 })) }, 'tasks'],
    [{ ...QUEST_002, reward: 0 }, 'reward'],
    [{ ...QUEST_002, reward: { type: 'catalogue', reward_id: 1 } }, 'reward.reward_id'],
    [{ ...QUEST_002, reward: { type: 'catalogue', reward_id: 'gift' } }, 'reward.reward_id'],
    [{ ...QUEST_002, reward: { type: 'badge' } }, 'reward.type'],
    [{ ...QUEST_002, reward: 'lots' }, 'reward'],
    [{ ...QUEST_002, status: 'live' }, 'status'],
    [{ ...QUEST_002, startsAt: 'soon' }, 'startsAt'],
    [{ ...QUEST_002, starts_at: '2026-05-01', ends_at: '2026-04-01' }, 'ends_at'],
  ] as const) {
    assertError(await c.call('POST', '/api/v1/quests', body), 400, 'invalid_request', field);
  }
  assert.equal(await count(c, 'quests'), 0);
  assert.equal(await count(c, 'quest_tasks'), 0);

  const { quest, tasks } = await addQuest(c);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  assertError(await c.call('PATCH', `/api/v1/quests/${quest.id}`, {}), 400, 'invalid_request', 'body');
  assertError(await c.call('PATCH', `/api/v1/quests/${quest.id}`, { ends_at: '2020-01-01', starts_at: '2021-01-01' }), 400, 'invalid_request', 'ends_at');
  assertError(await complete(c, quest.id, { taskId: tasks[0]!.id }), 400, 'invalid_request', 'advocate_id');
  assertError(await complete(c, quest.id, { advocateId: sarah }), 400, 'invalid_request', 'task_id');
  assertError(await complete(c, quest.id, { advocateId: 'me', taskId: tasks[0]!.id }), 400, 'invalid_request', 'advocateId');
  assertError(await complete(c, quest.id, { advocate_id: 999, task_id: tasks[0]!.id }), 404, 'not_found', 'advocate_id');
  const other = await addQuest(c, { title: 'Other' });
  assertError(await complete(c, quest.id, { advocate_id: sarah, task_id: other.tasks[0]!.id }), 404, 'not_found', 'task_id');
  assertError(await complete(c, 999, { advocate_id: sarah, task_id: tasks[0]!.id }), 404, 'not_found');
  assertError(await c.call('GET', '/api/v1/quests/abc'), 404, 'not_found');
  assertError(await c.call('GET', `/api/v1/quests/${quest.id}`, undefined, { query: { advocate_id: 999 } }), 404, 'not_found', 'advocate_id');
  assertError(await c.call('GET', '/api/v1/quests', undefined, { query: { status: 'live' } }), 400, 'invalid_request', 'status');

  for (const [body, field] of [[{ visitorId: 'v1' }, 'code'], [{ code: 'NOPE' }, 'code'], [{ code: 'V2AVMRDJ', visitorId: 'a b' }, 'visitorId']] as const) {
    assertError(await c.call('POST', '/api/v1/referrals/track', body), field === 'code' && 'code' in body ? 404 : 400,
      field === 'code' && 'code' in body ? 'invalid_code' : 'invalid_request', field);
  }
  for (const [body, field] of [
    [{ orderId: 'A1', orderValue: 10 }, 'code'], [{ code: 'V2AVMRDJ', orderValue: 10 }, 'order_id'], [{ code: 'V2AVMRDJ', orderId: 'A1' }, 'order_value'],
    [{ ...CONVERT_002, orderValue: 'ten' }, 'orderValue'], [{ ...CONVERT_002, orderValue: -1 }, 'orderValue'], [{ ...CONVERT_002, email: 'x' }, 'email'],
  ] as const) {
    assertError(await c.call('POST', '/api/v1/referrals/convert', body), 400, 'invalid_request', field);
  }
  assertError(await c.call('POST', '/api/v1/referrals/convert', { ...CONVERT_002, code: 'NOPE' }), 404, 'invalid_code', 'code');
  assert.deepEqual([await count(c, 'task_completions'), await count(c, 'visits'), await count(c, 'conversions'), await balanceOf(c, sarah)], [0, 0, 0, 0]);
});

test('completing every task: each task\'s points once, the quest\'s reward once with the last; a repeat answers the first result', async (t) => {
  const c = await collector(t);
  const endpoint = await subscribeEndpoint(c, ['quest.task_completed', 'quest.completed']);
  const { quest, tasks } = await addQuest(c);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const first = await complete(c, quest.id, { advocateId: sarah, taskId: tasks[0]!.id });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual([first.body.data.points_awarded, first.body.data.completion.points_awarded, first.body.data.quest_completion], [10, 10, null]);
  const again = await complete(c, quest.id, { advocate_id: sarah, task_id: tasks[0]!.id });
  assert.deepEqual(again.body.data, { ...first.body.data, duplicate: true });
  assert.equal((await complete(c, quest.id, { advocateId: sarah, taskId: tasks[2]!.id })).body.data.points_awarded, 0, 'a task of 0 points');
  const last = (await complete(c, quest.id, { advocateId: sarah, taskId: tasks[1]!.id })).body.data;
  assert.equal(last.points_awarded, 70, 'the task\'s 20 and the quest\'s 50');
  assert.deepEqual([last.quest_completion.reward_points, last.quest_completion.task_completion_id], [50, last.completion.id]);
  const repeat = (await complete(c, quest.id, { advocateId: sarah, taskId: tasks[1]!.id })).body.data;
  assert.deepEqual([repeat.points_awarded, repeat.duplicate], [70, true]);
  assert.equal((await complete(c, quest.id, { advocateId: sarah, taskId: tasks[0]!.id })).body.data.points_awarded, 10);
  assert.equal(await balanceOf(c, sarah), 80);
  const progress = (await c.call('GET', `/api/v1/quests/${quest.id}`)).body.data.progress[0];
  assert.deepEqual([progress.tasks_completed, progress.points_awarded, progress.completed, progress.completed_at], [3, 80, true, last.quest_completion.completed_at]);
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.id]);
  assert.deepEqual(events, [['quest.task_completed', first.body.data.completion.id], ['quest.task_completed', last.completion.id - 1],
    ['quest.task_completed', last.completion.id], ['quest.completed', last.quest_completion.id]]);
});

test('10 concurrent completes of one task: its points once; the last two tasks completed at once: the reward once', async (t) => {
  const c = await collector(t);
  const { quest, tasks } = await addQuest(c);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const answers = await Promise.all(Array.from({ length: 10 }, () => complete(c, quest.id, { advocate_id: sarah, task_id: tasks[0]!.id })));
  assert.deepEqual(answers.map((a) => a.status), Array(10).fill(200));
  assert.equal(new Set(answers.map((a) => a.body.data.completion.id)).size, 1);
  assert.equal(answers.filter((a) => a.body.data.duplicate).length, 9);
  assert.equal(await balanceOf(c, sarah), 10);

  const lastTwo = await Promise.all([tasks[1]!, tasks[2]!, tasks[1]!, tasks[2]!].map((task) => complete(c, quest.id, { advocate_id: sarah, task_id: task.id })));
  assert.deepEqual(lastTwo.map((a) => a.status), [200, 200, 200, 200]);
  assert.equal(lastTwo.filter((a) => !a.body.data.duplicate && a.body.data.quest_completion?.task_completion_id === a.body.data.completion.id).length, 1);
  assert.equal(await count(c, 'quest_completions'), 1);
  assert.equal(await count(c, 'task_completions'), 3);
  assert.equal(await balanceOf(c, sarah), 80);
});

test('a quest closed by its status or dates is a 409 quest_closed; a blocked advocate earns nothing', async (t) => {
  const clock = testClock('2026-04-14T12:00:00.000Z');
  const c = await collector(t, clock.now);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const { quest, tasks } = await addQuest(c, { starts_at: '2026-04-15', ends_at: '2026-04-20' });
  const body = { advocate_id: sarah, task_id: tasks[0]!.id };
  assertError(await complete(c, quest.id, body), 409, 'quest_closed', 'status');
  clock.advance(DAY_MS);
  assert.equal((await complete(c, quest.id, body)).status, 200);
  clock.advance(6 * DAY_MS);
  assertError(await complete(c, quest.id, { ...body, task_id: tasks[1]!.id }), 409, 'quest_closed');
  assert.equal((await complete(c, quest.id, body)).body.data.duplicate, true, 'a repeat answers the first result whatever the dates');
  const draft = await addQuest(c, { status: 'draft' });
  assertError(await complete(c, draft.quest.id, { advocate_id: sarah, task_id: draft.tasks[0]!.id }), 409, 'quest_closed');
  const open = await addQuest(c);
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${sarah}`, { status: 'blocked' })).status, 200);
  assertError(await complete(c, open.quest.id, { advocate_id: sarah, task_id: open.tasks[0]!.id }), 400, 'invalid_request', 'advocate_id');
  assert.equal(await count(c, 'task_completions'), 1);
  assert.equal(await balanceOf(c, sarah), 10);
});

test("002_*'s referral calls: track records a visit of the code; convert a conversion and the points it awarded, once per order", async (t) => {
  const c = await collector(t);
  const tracked = await c.call('POST', '/api/v1/referrals/track', TRACK_002);
  assert.equal(tracked.status, 200, JSON.stringify(tracked.body));
  assert.deepEqual(tracked.body.data, { tracked: true, visitor_id: 'visitor_abc123' });
  const generated = (await c.call('POST', '/api/v1/referrals/track', { code: 'V2AVMRDJ' })).body.data.visitor_id;
  assert.equal(typeof generated, 'string');
  const stats = (await c.call('GET', '/api/v1/referrals/V2AVMRDJ/stats')).body.data;
  assert.equal(stats.clicks, 2);

  const cash = await c.call('POST', '/api/v1/referrals/convert', CONVERT_002);
  assert.equal(cash.status, 200, JSON.stringify(cash.body));
  assert.deepEqual([cash.body.data.conversion.order_value, cash.body.data.conversion.attribution, cash.body.data.conversion.reward.kind, cash.body.data.points_awarded],
    [120, 'referral_code', 'cash', 0]);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { referrer_reward_type: 'points', referrer_reward_value: 40 })).status, 200);
  const points = await c.call('POST', '/api/v1/referrals/convert', { ...CONVERT_002, orderId: 'ORD-20932' });
  assert.deepEqual([points.body.data.conversion.reward.kind, points.body.data.points_awarded], ['points', 40]);
  const again = await c.call('POST', '/api/v1/referrals/convert', { ...CONVERT_002, orderId: 'ORD-20932' });
  assert.deepEqual([again.status, again.body.data.conversion.duplicate, again.body.data.conversion.id, again.body.data.points_awarded],
    [200, true, points.body.data.conversion.id, 40]);
  assertError(await c.call('POST', '/api/v1/referrals/convert', { ...CONVERT_002, orderValue: 99 }), 409, 'order_conflict', 'order_id');
  // Without an email each order is its own customer: a second order earns too (no repeat customer).
  const third = await c.call('POST', '/api/v1/referrals/convert', { code: 'V2AVMRDJ', order_id: 'ORD-20933', order_value: '80.00' });
  assert.equal(third.body.data.points_awarded, 40);
  assert.equal(await count(c, 'conversions'), 3);
  assert.equal((await c.call('GET', '/api/v1/referrals/V2AVMRDJ/stats')).body.data.conversions, 3);
});

async function addCatalogueReward(c: TestCollector, fields: Record<string, unknown> = {}): Promise<{ id: number; stock: number | null }> {
  const res = await c.call('POST', '/api/v1/rewards', { name: 'Tote bag', points_cost: 500, type: 'product', ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.reward;
}

const ONE_TASK = { tasks: [{ title: 'Share your link', points: 10 }] };

test('a catalogue reward as the quest\'s reward: granted once with the last task, a pending redemption of 0 points naming the quest', async (t) => {
  const c = await collector(t);
  const reward = await addCatalogueReward(c, { stock: 3 });
  const { quest, tasks } = await addQuest(c, { reward: { type: 'catalogue', rewardId: reward.id } });
  assert.deepEqual([quest.reward, quest.reward_points], [{ type: 'catalogue', reward_id: reward.id }, null]);
  assert.deepEqual((await c.call('GET', `/api/v1/quests/${quest.id}`)).body.data.quest.reward, { type: 'catalogue', reward_id: reward.id });
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const endpoint = await subscribeEndpoint(c, ['quest.completed', 'reward.redeemed']);
  for (const task of tasks.slice(0, 2)) assert.equal((await complete(c, quest.id, { advocate_id: sarah, task_id: task.id })).body.data.quest_completion, null);
  const last = (await complete(c, quest.id, { advocate_id: sarah, task_id: tasks[2]!.id })).body.data;
  const qc = last.quest_completion;
  assert.deepEqual([qc.catalogue_reward_id, qc.reward_not_granted, qc.reward_points, typeof qc.redemption_id], [reward.id, null, 0, 'number']);
  const redemption = (await c.call('GET', `/api/v1/redemptions/${qc.redemption_id}`)).body.data.redemption;
  assert.deepEqual([redemption.reward_id, redemption.advocate_id, redemption.points_cost, redemption.status, redemption.quest_id, redemption.points_transaction_id],
    [reward.id, sarah, 0, 'pending', quest.id, null]);
  assert.equal((await c.call('GET', `/api/v1/rewards/${reward.id}`)).body.data.reward.stock, 2);
  assert.equal(await balanceOf(c, sarah), 30, 'the tasks\' points only: the grant took none');
  const again = (await complete(c, quest.id, { advocate_id: sarah, task_id: tasks[2]!.id })).body.data;
  assert.deepEqual([again.duplicate, again.quest_completion.redemption_id], [true, qc.redemption_id]);
  assert.equal(await count(c, 'redemptions'), 1);
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.id, e.body.data.redemption_id]);
  assert.deepEqual(events, [['reward.redeemed', qc.redemption_id, undefined], ['quest.completed', qc.id, qc.redemption_id]]);

  // The owner cancels it like any other: the unit comes back, no points move.
  const cancelled = await c.call('POST', `/api/v1/redemptions/${qc.redemption_id}/cancel`, { reason: 'out of totes' });
  assert.deepEqual([cancelled.status, cancelled.body.data.redemption.status, cancelled.body.data.redemption.refund_transaction_id], [200, 'cancelled', null]);
  assert.equal((await c.call('GET', `/api/v1/rewards/${reward.id}`)).body.data.reward.stock, 3);
  assert.equal(await balanceOf(c, sarah), 30);
});

test('a quest\'s catalogue reward out of stock or archived at completion: the quest completes, its completion says why', async (t) => {
  const c = await collector(t);
  const reward = await addCatalogueReward(c, { stock: 1 });
  const { quest, tasks } = await addQuest(c, { ...ONE_TASK, reward: { type: 'catalogue', reward_id: reward.id } });
  const [sarah, john, tess] = [await advocateId(c, 'V2AVMRDJ'), await advocateId(c, 'JOHN123'), await advocateId(c, 'TESTCODE')];
  assert.equal((await complete(c, quest.id, { advocate_id: sarah, task_id: tasks[0]!.id })).body.data.quest_completion.reward_not_granted, null);
  const none = (await complete(c, quest.id, { advocate_id: john, task_id: tasks[0]!.id })).body.data;
  assert.deepEqual([none.quest_completion.reward_not_granted, none.quest_completion.redemption_id, none.points_awarded], ['out_of_stock', null, 10]);
  assert.equal((await c.call('PATCH', `/api/v1/rewards/${reward.id}`, { status: 'archived', stock: 5 })).status, 200);
  const archived = (await complete(c, quest.id, { advocate_id: tess, task_id: tasks[0]!.id })).body.data;
  assert.deepEqual([archived.quest_completion.reward_not_granted, archived.quest_completion.redemption_id], ['archived', null]);
  assert.equal(await count(c, 'redemptions'), 1);
  assert.equal(await count(c, 'quest_completions'), 3);
  assertError(await c.call('POST', '/api/v1/quests', { ...QUEST_002, reward: { type: 'catalogue', reward_id: reward.id } }), 400, 'invalid_request', 'reward.reward_id');
  assertError(await c.call('PATCH', `/api/v1/quests/${quest.id}`, { reward: { type: 'catalogue', reward_id: 999 } }), 400, 'invalid_request', 'reward.reward_id');
});

test('concurrent last tasks: the quest\'s catalogue reward granted once per advocate, its stock never below zero', async (t) => {
  const c = await collector(t);
  const reward = await addCatalogueReward(c, { stock: 2 });
  const { quest, tasks } = await addQuest(c, { reward: { type: 'catalogue', reward_id: reward.id } });
  const advocates = [await advocateId(c, 'V2AVMRDJ'), await advocateId(c, 'JOHN123'), await advocateId(c, 'TESTCODE')];
  for (const a of advocates) await complete(c, quest.id, { advocate_id: a, task_id: tasks[0]!.id });
  // Each advocate completes the last two tasks twice each, all at once.
  const answers = await Promise.all(advocates.flatMap((a) => [tasks[1]!, tasks[2]!, tasks[1]!, tasks[2]!]
    .map((task) => complete(c, quest.id, { advocate_id: a, task_id: task.id }))));
  assert.deepEqual(answers.map((a) => a.status), Array(12).fill(200));
  assert.equal(await count(c, 'quest_completions'), 3);
  const completions = (await c.call('GET', `/api/v1/quests/${quest.id}`)).body.data.progress as Array<{ completed: boolean }>;
  assert.deepEqual(completions.map((p) => p.completed), [true, true, true]);
  assert.equal(await count(c, 'redemptions'), 2, 'two units, two grants');
  assert.equal((await c.call('GET', `/api/v1/rewards/${reward.id}`)).body.data.reward.stock, 0);
  const granted = answers.filter((a) => !a.body.data.duplicate && a.body.data.quest_completion?.task_completion_id === a.body.data.completion.id)
    .map((a) => a.body.data.quest_completion.reward_not_granted);
  assert.deepEqual(granted.sort(), [null, null, 'out_of_stock']);
});
