// The quest pages in Chromium: a new quest from its form (a refusal beside the task row it names, then a catalogue
// reward), an advocate's progress on its page once the shop completes a task through the API, archived after the
// confirmation; the accessibility check and a screenshot of the list, the form with its refusal and a quest's page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { api as callApi, useSuite } from './support/suite.ts';

const suite = useSuite();

const api = async (method: string, path: string, body?: unknown) => {
  const res = await callApi(suite, method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};

/** The notice a form's redirect left (role=status). */
const notice = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

test('create a quest with a catalogue reward, see an advocate\'s progress, archive it', async (t) => {
  const user = await signedInPage(suite.browser, suite.stack);
  t.after(() => user.context.close());
  const { page, pageErrors, consoleErrors } = user;
  const base = suite.stack.collectorUrl;
  const { sarah } = suite.stack;
  const { reward } = await api('POST', '/rewards', { name: 'Quest mug (e2e)', points_cost: 100, type: 'product', stock: 3 });

  await page.goto(`${base}/dashboard`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quests' }).click();
  await page.getByRole('heading', { level: 1, name: 'Quests' }).waitFor();
  await checkA11y(page, 'the quests list');
  await page.getByRole('link', { name: 'New quest' }).click();

  const form = page.getByRole('form', { name: 'New quest' });
  await form.getByLabel('Title', { exact: true }).fill('Spread the word (e2e)');
  await form.getByLabel('Task 1: title').fill('Share your link');
  await form.getByLabel('Task 1: points').fill('10');
  await form.getByLabel('Task 3: title').fill('Invite a friend');
  await form.getByLabel('Reward', { exact: true }).selectOption('catalogue');
  await form.getByLabel('Catalogue reward (for a catalogue reward)').selectOption({ label: 'Quest mug (e2e) (3 left)' });
  await form.getByRole('button', { name: 'Create the quest' }).click();
  // The API's tasks.1.points is the third row here (the second is empty): its message is beside that row's input.
  const points3 = page.getByLabel('Task 3: points');
  await page.getByRole('alert').waitFor();
  assert.equal(await points3.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator(`#${await points3.getAttribute('aria-describedby')}`).textContent() ?? '', /whole number/);
  assert.equal(await page.getByLabel('Task 3: title').inputValue(), 'Invite a friend', 'what was typed is kept');
  await checkA11y(page, 'the new quest form with a refusal');
  await screenshot(page, 'quest-new-refused');

  await points3.fill('20');
  await page.getByRole('button', { name: 'Create the quest' }).click();
  await page.getByRole('heading', { level: 1, name: 'Spread the word (e2e)' }).waitFor();
  await notice(page, 'Spread the word (e2e) is created (active) with 2 tasks');
  const questId = Number(new URL(page.url()).pathname.split('/').pop());
  const detail = await api('GET', `/quests/${questId}`);
  assert.deepEqual([detail.quest.reward, detail.tasks.map((x: { title: string; points: number }) => [x.title, x.points])],
    [{ type: 'catalogue', reward_id: reward.id }, [['Share your link', 10], ['Invite a friend', 20]]]);

  for (const task of detail.tasks as Array<{ id: number }>) await api('POST', `/quests/${questId}/complete`, { advocate_id: sarah.id, task_id: task.id });
  const [progress] = (await api('GET', `/quests/${questId}?advocate_id=${sarah.id}`)).progress;
  await page.reload();
  const row = page.getByRole('table', { name: 'Each advocate\'s progress' }).getByRole('row').filter({ hasText: `advocate ${sarah.id}` });
  await row.filter({ hasText: '2 of 2' }).filter({ hasText: `granted: redemption ${progress.redemption_id}` }).waitFor();
  await checkA11y(page, "a quest's page");
  await screenshot(page, 'quest');

  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /^Archive Spread the word \(e2e\)\? its tasks can no longer be completed; what advocates earned stays\.$/);
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Archive' }).click();
  await notice(page, 'Spread the word (e2e) is archived');
  assert.equal((await api('GET', `/quests/${questId}`)).quest.status, 'archived');

  await page.getByRole('link', { name: 'Back to the quests' }).click();
  await page.getByRole('row').filter({ hasText: 'Spread the word (e2e)' }).filter({ hasText: 'archived' }).waitFor();
  await checkA11y(page, 'the quests list with a quest');
  await screenshot(page, 'quests');
  assert.deepEqual(pageErrors, []);
  // The browser logs the refused form's own 400 answer; nothing else (no CSP report, no failed asset).
  assert.deepEqual(consoleErrors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
});
