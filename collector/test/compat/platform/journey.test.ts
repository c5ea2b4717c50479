// 002_*'s journey, only through /compat/platform/api/v1 and only with the document's names: create an advocate, award
// points, redeem a reward, complete a quest task; each step seen by the next, and the same state read through /api/v1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedEvents, subscribeEndpoint } from '../../support/webhookFixtures.ts';
import { ADVOCATE_002, addFeedbackAndTestimonial, api, platformCollector, QUEST_002, REWARD_002 } from './support.ts';

test('create an advocate, award points, redeem a reward, complete a quest task', async (t) => {
  const c = await platformCollector(t);
  // The document's events (advocates joining, reward redemptions, quest completions, new reviews) are our webhook events.
  const endpoint = await subscribeEndpoint(c, ['advocate.created', 'reward.redeemed', 'quest.task_completed', 'quest.completed', 'testimonial.created']);
  const made = await api(c, 'POST', '/advocates', ADVOCATE_002);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const advocateId = made.body.advocate.id as number;

  const awarded = await api(c, 'POST', `/advocates/${advocateId}/points`, { amount: 100, description: 'Joined the programme', type: 'award' });
  assert.deepEqual([awarded.status, awarded.body.newBalance], [200, 100], JSON.stringify(awarded.body));

  const reward = (await api(c, 'POST', '/rewards', REWARD_002)).body.reward;
  const redeemed = await api(c, 'POST', `/rewards/${reward.id}/redeem`, { advocateId });
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  assert.deepEqual([redeemed.body.redemption.advocateId, redeemed.body.redemption.rewardId, redeemed.body.redemption.pointsCost],
    [advocateId, reward.id, 80]);
  assert.equal((await api(c, 'GET', `/rewards/${reward.id}`)).body.reward.stock, 4);

  const quest = (await api(c, 'POST', '/quests', QUEST_002)).body.quest;
  const { tasks } = (await api(c, 'GET', `/quests/${quest.id}`)).body;
  const done = await api(c, 'POST', `/quests/${quest.id}/complete`, { advocateId, taskId: tasks[0].id });
  assert.deepEqual([done.status, done.body.pointsAwarded, done.body.completion.questId], [200, 10, quest.id], JSON.stringify(done.body));
  // A repeat of the same task awards nothing more (the use case's rule), answered in the same shape.
  const again = await api(c, 'POST', `/quests/${quest.id}/complete`, { advocateId, taskId: tasks[0].id });
  assert.deepEqual([again.status, again.body.completion.id], [200, done.body.completion.id]);

  // 100 awarded - 80 redeemed + 10 for the task.
  assert.equal((await api(c, 'GET', `/advocates/${advocateId}`)).body.advocate.pointsBalance, 30);
  const native = await c.call('GET', `/api/v1/advocates/${advocateId}/points`);
  assert.deepEqual([native.body.data.balance, native.body.data.transactions.map((x: { amount: number }) => x.amount)], [30, [10, -80, 100]]);

  await api(c, 'POST', `/quests/${quest.id}/complete`, { advocateId, taskId: tasks[1].id });
  await addFeedbackAndTestimonial(c, advocateId);
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => e.type);
  assert.deepEqual(events, ['advocate.created', 'reward.redeemed', 'quest.task_completed', 'quest.task_completed', 'quest.completed', 'testimonial.created']);
});
