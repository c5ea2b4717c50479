// referloop quest list/get/add/set/complete on this run's engine: the API's answer shapes with --json, refusals naming
// the field with nothing written, and a task's points and the quest's reward once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase, refusedCli } from './support/processes.ts';

test('quest commands: a quest added with its tasks, completed task by task (points once, the reward once), changed', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const advocate = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann']).advocate_id as number;

  refusedCli(c, ['quest', 'add', ...b, '--title', 'Bad', '--task', 'Share'], /tasks\.0\.points/);
  refusedCli(c, ['quest', 'add', ...b, '--title', 'Bad', '--task', 'Share=5', '--reward-points', '0'], /reward/);
  const added = c.json(['quest', 'add', ...b, '--title', 'Spread the word', '--task', 'Share your link=10', '--task', 'Invite a friend=20',
    '--reward-points', '50']).quest;
  assert.deepEqual([added.title, added.task_count, added.reward_points, added.status], ['Spread the word', 2, 50, 'active']);
  assert.deepEqual(c.json(['quest', 'list', ...b]).quests.map((q: { id: number }) => q.id), [added.id]);
  const tasks = c.json(['quest', 'get', ...b, '--id', String(added.id)]).tasks as Array<{ id: number; title: string; points: number }>;
  assert.deepEqual(tasks.map((x) => [x.title, x.points]), [['Share your link', 10], ['Invite a friend', 20]]);

  const complete = (task: number) => c.json(['quest', 'complete', ...b, '--id', String(added.id), '--advocate', String(advocate), '--task', String(task)]);
  assert.equal(complete(tasks[0]!.id).points_awarded, 10);
  assert.equal(complete(tasks[0]!.id).duplicate, true);
  const last = complete(tasks[1]!.id);
  assert.deepEqual([last.points_awarded, last.quest_completion.reward_points], [70, 50]);
  const store = await c.open();
  const balance = await store.db.prepare('SELECT points_balance FROM advocates WHERE id = ?', { pluck: true }).get(advocate);
  assert.equal(Number(balance), 80);
  const progress = c.json(['quest', 'get', ...b, '--id', String(added.id), '--advocate', String(advocate)]).progress;
  assert.deepEqual(progress.map((p: { tasks_completed: number; completed: boolean }) => [p.tasks_completed, p.completed]), [[2, true]]);

  refusedCli(c, ['quest', 'set', ...b, '--id', String(added.id), '--status', 'gone'], /status/);
  assert.equal(c.json(['quest', 'set', ...b, '--id', String(added.id), '--status', 'archived', '--reward-points', 'none']).quest.reward_points, null);
  refusedCli(c, ['quest', 'complete', ...b, '--id', String(added.id), '--advocate', '999', '--task', String(tasks[0]!.id)], /advocate/);
  assert.equal(c.json(['quest', 'list', ...b, '--status', 'active']).quests.length, 0);
});
