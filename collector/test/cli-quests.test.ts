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

test('quest add/set --reward-catalogue: a catalogue reward (exclusive with --reward-points, refused naming reward.reward_id), granted with the last task', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const advocate = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann']).advocate_id as number;
  const mug = c.json(['reward', 'add', ...b, '--name', 'Mug', '--points-cost', '100', '--type', 'product', '--stock', '1']).reward;
  const old = c.json(['reward', 'add', ...b, '--name', 'Old sticker', '--points-cost', '10', '--type', 'product']).reward;
  c.json(['reward', 'archive', ...b, '--id', String(old.id)]);

  refusedCli(c, ['quest', 'add', ...b, '--title', 'Bad', '--task', 'Share=5', '--reward-catalogue', String(mug.id), '--reward-points', '50'],
    /option '--reward-(points <n>|catalogue <reward id>)' cannot be used with option '--reward-(catalogue <reward id>|points <n>)'/);
  refusedCli(c, ['quest', 'add', ...b, '--title', 'Bad', '--task', 'Share=5', '--reward-catalogue', String(old.id)], /reward\.reward_id: catalogue reward \d+ is archived/);
  refusedCli(c, ['quest', 'add', ...b, '--title', 'Bad', '--task', 'Share=5', '--reward-catalogue', '9999'], /reward\.reward_id: no catalogue reward 9999/);
  refusedCli(c, ['quest', 'add', ...b, '--title', 'Bad', '--task', 'Share=5', '--reward-catalogue', 'mug'], /reward\.reward_id: must be the id of a catalogue reward/);
  assert.deepEqual(c.json(['quest', 'list', ...b]).quests, [], 'nothing written');

  const added = c.json(['quest', 'add', ...b, '--title', 'Mug quest', '--task', 'Share your link=10', '--reward-catalogue', String(mug.id)]).quest;
  assert.deepEqual([added.reward, added.reward_points], [{ type: 'catalogue', reward_id: mug.id }, null]);
  const table = c.run(['quest', 'list', ...b]);
  assert.match(table.stdout, /reward_catalogue_id/);
  assert.match(table.stdout.split('\n')[1] ?? '', new RegExp(`^${added.id}\\s+Mug quest\\s+active\\s+1\\s+${mug.id}\\b`));

  const [task] = c.json(['quest', 'get', ...b, '--id', String(added.id)]).tasks as Array<{ id: number }>;
  const done = c.run(['quest', 'complete', ...b, '--id', String(added.id), '--advocate', String(advocate), '--task', String(task!.id)]);
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stdout, new RegExp(`quest completed \\(reward 0 points, catalogue reward ${mug.id} granted: redemption \\d+\\)`));
  const [progress] = c.json(['quest', 'get', ...b, '--id', String(added.id), '--advocate', String(advocate)]).progress;
  assert.ok(progress.redemption_id > 0 && progress.reward_not_granted === null, JSON.stringify(progress));
  assert.equal(c.json(['reward', 'get', ...b, '--id', String(mug.id)]).reward.stock, 0);

  // set: points instead (the catalogue reward cleared), then the catalogue reward again; both at once refused.
  const points = c.json(['quest', 'set', ...b, '--id', String(added.id), '--reward-points', '25']).quest;
  assert.deepEqual([points.reward, points.reward_points], [{ type: 'points', points: 25 }, 25]);
  const again = c.json(['quest', 'set', ...b, '--id', String(added.id), '--reward-catalogue', String(mug.id)]).quest;
  assert.deepEqual([again.reward, again.reward_points], [{ type: 'catalogue', reward_id: mug.id }, null]);
  refusedCli(c, ['quest', 'set', ...b, '--id', String(added.id), '--reward-points', 'none', '--reward-catalogue', String(mug.id)], /cannot be used with/);
  refusedCli(c, ['quest', 'set', ...b, '--id', String(added.id), '--reward-catalogue', String(old.id)], /reward\.reward_id: catalogue reward \d+ is archived/);
  assert.deepEqual(c.json(['quest', 'get', ...b, '--id', String(added.id)]).quest.reward, { type: 'catalogue', reward_id: mug.id }, 'unchanged');
});
