// The portal's quests (/portal/quests, issue 14) over HTTP, as one advocate: the brand's active quests with their tasks,
// points and reward, and this advocate's progress as GET /api/v1/quests/:id?advocate_id= answers it; read only (no form
// completes a task, a POST completes nothing); another brand's quests and other advocates' progress are not shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from '../support/collector.ts';
import { rowWith, textOf } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { apiData, databaseText, portalTestCollector } from '../support/portalPages.ts';
import { advocateId, row } from '../support/fixtures.ts';

async function addQuest(c: TestCollector, fields: Record<string, unknown>, brand?: TestBrand) {
  const quest = (await apiData(c, 'POST', '/quests', fields, brand)).quest as { id: number };
  const detail = await apiData(c, 'GET', `/quests/${quest.id}`, undefined, brand);
  return { id: quest.id, tasks: detail.tasks as Array<{ id: number; title: string }> };
}

const complete = (c: TestCollector, quest: number, task: number, advocate: number, brand?: TestBrand) =>
  apiData(c, 'POST', `/quests/${quest}/complete`, { advocate_id: advocate, task_id: task }, brand);

const section = (text: string, title: string) => {
  const start = text.indexOf(`>${title}</h2>`);
  assert.ok(start >= 0, `a section for ${title}`);
  return text.slice(start, text.indexOf('</section>', start));
};

test('the active quests with their tasks, points and reward, and this advocate\'s progress as the API answers it', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const mug = (await apiData(c, 'POST', '/rewards', { name: 'Mug', points_cost: 100, type: 'product' })).reward;
  const launch = await addQuest(c, {
    title: 'Launch week', description: 'Spread the word', reward: { type: 'points', points: 50 },
    tasks: [{ title: 'Share your link', points: 10 }, { title: 'Post a review', points: 20 }, { title: 'Refer a friend', points: 30 }],
  });
  const starter = await addQuest(c, { title: 'Starter', reward: { type: 'catalogue', reward_id: mug.id }, tasks: [{ title: 'Say hello', points: 5 }] });
  const cap = (await apiData(c, 'POST', '/rewards', { name: 'Cap', points_cost: 100, type: 'product', stock: 0 })).reward;
  const capQuest = await addQuest(c, { title: 'Cap quest', reward: { type: 'catalogue', reward_id: cap.id }, tasks: [{ title: 'Wear it', points: 2 }] });
  await addQuest(c, { title: 'Next month', status: 'draft', tasks: [{ title: 'Later', points: 5 }] });
  const old = await addQuest(c, { title: 'Old quest', tasks: [{ title: 'Gone', points: 5 }] });
  await apiData(c, 'PATCH', `/quests/${old.id}`, { status: 'archived' });
  const other = await c.addBrand();
  await addQuest(c, { title: 'Their quest', tasks: [{ title: 'Theirs', points: 5 }] }, other);

  await complete(c, launch.id, launch.tasks[0]!.id, john);
  await complete(c, launch.id, launch.tasks[1]!.id, sarah);
  await complete(c, launch.id, launch.tasks[2]!.id, sarah);
  await complete(c, starter.id, starter.tasks[0]!.id, john);
  await complete(c, capQuest.id, capQuest.tasks[0]!.id, john);
  const johnsLaunch = (await apiData(c, 'GET', `/quests/${launch.id}`, undefined)).progress.find((p: { advocate_id: number }) => p.advocate_id === john);
  const johnsStarter = (await apiData(c, 'GET', `/quests/${starter.id}`, undefined)).progress.find((p: { advocate_id: number }) => p.advocate_id === john);

  const client = await inPortal(c, john);
  const page = await client.get('/portal/quests');
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /<a href="\/portal\/quests" aria-current="page">/);
  for (const hidden of ['Next month', 'Old quest', 'Their quest']) assert.ok(!page.text.includes(hidden), `${hidden} is not shown`);

  const l = section(page.text, 'Launch week');
  assert.match(textOf(l), /Spread the word Open\. Reward for completing every task: 50 bonus points\./);
  assert.equal(textOf(/data-quest-progress="\d+">(.*?)<\/p>/s.exec(l)![1]!),
    `${johnsLaunch.tasks_completed} of 3 tasks done; ${johnsLaunch.points_awarded} points earned so far.`);
  assert.equal(johnsLaunch.points_awarded, 10, 'Sarah\'s tasks are not John\'s');
  assert.match(rowWith({ text: l } as never, 'Share your link'), /^1 Share your link 10 done$/);
  assert.match(rowWith({ text: l } as never, 'Post a review'), /^2 Post a review 20 to do$/);
  assert.match(rowWith({ text: l } as never, 'Refer a friend'), /^3 Refer a friend 30 to do/);

  const s = section(page.text, 'Starter');
  assert.match(textOf(s), /Reward for completing every task: Mug from the catalogue\./);
  assert.ok(johnsStarter.completed);
  assert.match(textOf(s), /Completed .* 5 points earned\. Its reward is redemption \d+ ?\./);
  const granted = /<a href="(\/portal\/rewards\/redemptions\/\d+)">/.exec(s)![1]!;
  assert.equal(granted, `/portal/rewards/redemptions/${johnsStarter.redemption_id}`);
  assert.match(textOf((await client.get(granted)).text), /Reward Mug .* Cost quest \d+'s reward Status pending/);
  assert.match(textOf(section(page.text, 'Cap quest')), /Completed .* 2 points earned\. Its reward was out of stock when you completed it, so it was not given\./);
});

test('read only: no form completes a task, and a POST to the page completes nothing', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const quest = await addQuest(c, { title: 'Launch week', tasks: [{ title: 'Share your link', points: 10 }] });
  const client = await inPortal(c, john);
  const page = await client.get('/portal/quests');
  const everything = await databaseText(c);
  const forms = [...page.text.matchAll(/<form[^>]*method="post"[^>]*action="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(forms, ['/portal/sign-out'], 'the only form is sign-out');
  for (const path of ['/portal/quests', `/portal/quests/${quest.id}/complete`, `/portal/quests/${quest.id}/tasks/${quest.tasks[0]!.id}`]) {
    const res = await client.post(path, { task_id: String(quest.tasks[0]!.id), advocate_id: String(john) });
    assert.equal(res.status, 404, path);
  }
  assert.equal(Number((await row(c, 'SELECT count(*) AS n FROM task_completions')).n), 0);
  assert.equal(await databaseText(c), everything, 'nothing changed anywhere');
  assert.equal((await apiData(c, 'GET', `/advocates/${john}/points`)).balance, 0);
  assert.equal((await client.get('/portal/quests?page=0')).status, 400);
});

test('a quest not started yet or ended says so; more than ten active quests are paged', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  await addQuest(c, { title: 'Soon', starts_at: '2026-12-10', tasks: [{ title: 'Wait', points: 1 }] });
  await addQuest(c, { title: 'Over', starts_at: '2026-11-01', ends_at: '2026-11-30', tasks: [{ title: 'Late', points: 1 }] });
  for (let i = 1; i <= 9; i++) await addQuest(c, { title: `Quest ${i}`, tasks: [{ title: `Task ${i}`, points: 1 }] });
  const client = await inPortal(c, john);
  const page = await client.get('/portal/quests');
  assert.match(textOf(section(page.text, 'Soon')), /Starts Dec 10, 2026, 12:00 AM UTC ?\./);
  assert.match(textOf(section(page.text, 'Over')), /Ended Nov 30, 2026, 12:00 AM UTC ?\./);
  assert.ok(!page.text.includes('>Quest 9</h2>'), 'the eleventh quest is on the next page');
  assert.match(page.text, /<a href="\/portal\/quests\?page=2">More quests<\/a>/);
  const next = await client.get('/portal/quests?page=2');
  assert.match(next.text, />Quest 9<\/h2>/);
  assert.ok(!next.text.includes('>Soon</h2>'));
});
