// The dashboard's quests (/dashboard/quests) over HTTP: the list as GET /api/v1/quests answers it (by status), a new
// quest through POST /quests's schema and use case (its task rows, a reward in points or from the catalogue, dates;
// a refusal beside the field the API names, on the form's own row, nothing written), one quest's page with each
// advocate's progress as GET /api/v1/quests/:id answers it (paged by its cursor, one advocate's, the catalogue reward
// granted or why not), a status change (CSRF required), a viewer who reads and changes nothing.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { apiData } from '../support/fixtures.ts';
import { fieldError, noticeAfter, rowWith, signedIn, textOf, type DashboardPage } from '../support/dashboard.ts';

async function setUp(t: TestContext) {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  return { c, owner: await signedIn(c) };
}

const api = (c: TestCollector, method: string, path: string, body?: unknown) => apiData(c, method, path, body);

const quests = async (c: TestCollector) => (await api(c, 'GET', '/quests')).quests as Array<Record<string, any>>;

/** A filled-in new quest form: `rows` the task rows given (row number -> [title, points]), the rest left empty. */
function questForm(fields: Record<string, string>, rows: Record<number, [string, string]>): Record<string, string> {
  const form: Record<string, string> = { title: 'Spread the word', description: '', 'reward.type': '', 'reward.points': '', 'reward.reward_id': '',
    starts_at: '', ends_at: '', status: 'active' };
  for (let i = 0; i < 8; i++) [form[`tasks.${i}.title`], form[`tasks.${i}.points`]] = rows[i] ?? ['', ''];
  return { ...form, ...fields };
}

test('the list and a new quest: task rows, a catalogue reward, dates; refusals beside the field the API names, nothing written', async (t) => {
  const { c, owner } = await setUp(t);
  const mug = (await api(c, 'POST', '/rewards', { name: 'Referloop mug', points_cost: 100, type: 'product', stock: 5 })).reward;
  const old = (await api(c, 'POST', '/rewards', { name: 'Old sticker', points_cost: 10, type: 'product' })).reward;
  await api(c, 'PATCH', `/rewards/${old.id}`, { status: 'archived' });
  assert.match((await owner.get('/dashboard/quests')).text, /No quest yet/);
  const form = await owner.get('/dashboard/quests/new');
  assert.equal(form.status, 200);
  assert.ok(form.text.includes(`<option value="${mug.id}">Referloop mug (5 left)</option>`), 'the active reward is offered');
  assert.ok(!form.text.includes('Old sticker'), 'an archived reward is not');

  const refusals: Array<[Record<string, string>, Record<number, [string, string]>, string, RegExp]> = [
    [{}, {}, 'tasks', /at least one task/],
    // Row 0 empty (left out), row 2 without points: the API's tasks.0.points, shown on row 2.
    [{}, { 2: ['Share your link', ''] }, 'tasks-2-points', /whole number/],
    [{}, { 1: ['', '5'] }, 'tasks-1-title', /must not be empty/],
    [{ title: '' }, { 0: ['Share your link', '10'] }, 'title', /must not be empty/],
    [{ 'reward.type': 'points', 'reward.points': '0' }, { 0: ['Share your link', '10'] }, 'reward-points', /at least 1/],
    [{ 'reward.type': 'catalogue' }, { 0: ['Share your link', '10'] }, 'reward-reward_id', /id of a catalogue reward/],
    [{ 'reward.type': 'catalogue', 'reward.reward_id': String(old.id) }, { 0: ['Share your link', '10'] }, 'reward-reward_id', /archived/],
    [{ starts_at: '2026-12-10', ends_at: '2026-12-05' }, { 0: ['Share your link', '10'] }, 'ends_at', /after starts_at/],
    [{ status: 'gone' }, { 0: ['Share your link', '10'] }, 'status', /must be one of draft, active, archived/],
  ];
  for (const [fields, rows, name, message] of refusals) {
    const refused = await owner.post('/dashboard/quests', questForm(fields, rows));
    assert.equal(refused.status, 400, `${name}: ${refused.status}`);
    assert.match(fieldError(refused, name) ?? '', message, `${name}: ${textOf(refused.text).slice(0, 300)}`);
  }
  const summary = await owner.post('/dashboard/quests', questForm({}, { 0: ['Share', '1'], 5: ['Invite', 'x'] }));
  assert.match(textOf(/<div class="error" role="alert">(.*?)<\/div>/s.exec(summary.text)?.[1] ?? ''), /^Task 6 points: must be a whole number/,
    'the summary names the row as the form labels it');
  const kept = await owner.post('/dashboard/quests', questForm({ title: 'Kept title' }, { 3: ['Kept task', ''] }));
  assert.ok(kept.text.includes('value="Kept title"') && kept.text.includes('value="Kept task"'), 'what was posted is filled in again');
  assert.deepEqual(await quests(c), [], 'nothing written');

  const created = await owner.post('/dashboard/quests', questForm({
    description: 'Three steps', 'reward.type': 'catalogue', 'reward.reward_id': String(mug.id), 'reward.points': '',
    starts_at: '2026-11-01', ends_at: '2027-01-01',
  }, { 0: ['Share your link', '10'], 1: ['Invite a friend', '20'], 4: ['Write a review', '0'] }));
  assert.match(await noticeAfter(owner, created), /Spread the word is created \(active\) with 3 tasks/);
  const [quest] = await quests(c);
  assert.equal(created.location, `/dashboard/quests/${quest!.id}`);
  assert.deepEqual({ ...quest, id: 0, created_at: '', updated_at: '' }, {
    id: 0, title: 'Spread the word', description: 'Three steps', reward_points: null, reward: { type: 'catalogue', reward_id: mug.id },
    status: 'active', starts_at: '2026-11-01T00:00:00.000Z', ends_at: '2027-01-01T00:00:00.000Z', task_count: 3, created_at: '', updated_at: '',
  });
  const tasks = (await api(c, 'GET', `/quests/${quest!.id}`)).tasks as Array<{ title: string; points: number; position: number }>;
  assert.deepEqual(tasks.map((x) => [x.position, x.title, x.points]), [[1, 'Share your link', 10], [2, 'Invite a friend', 20], [3, 'Write a review', 0]]);
  const points = await owner.post('/dashboard/quests', questForm({ title: 'Later', status: 'draft', 'reward.type': 'points', 'reward.points': '50' },
    { 0: ['Follow us', '5'] }));
  assert.equal(points.status, 303);

  const list = await owner.get('/dashboard/quests');
  assert.match(rowWith(list, `/dashboard/quests/${quest!.id}"`), /^Spread the word Three steps 3 Referloop mug \(catalogue reward \d+\) Nov 1, 2026.* Jan 1, 2027.* active$/);
  assert.match(rowWith(list, '>Later</a>'), /^Later 1 50 points — — draft$/);
  const drafts = await owner.get('/dashboard/quests?status=draft');
  assert.ok(drafts.text.includes('>Later</a>') && !drafts.text.includes('Spread the word'));
  const bad = await owner.get('/dashboard/quests?status=gone');
  assert.equal(bad.status, 400);
  assert.match(fieldError(bad, 'status') ?? '', /must be one of/);
});

/** The advocate ids of the progress table, in order. */
const progressIds = (page: DashboardPage): number[] =>
  [...page.text.matchAll(/<a href="\/dashboard\/advocates\/(\d+)">advocate \d+<\/a>/g)].map((m) => Number(m[1]));

test("a quest's page: each advocate's progress as GET /quests/:id answers it, by page and for one advocate; the reward granted or why not", async (t) => {
  const { c, owner } = await setUp(t);
  const mug = (await api(c, 'POST', '/rewards', { name: 'Referloop mug', points_cost: 100, type: 'product', stock: 1 })).reward;
  const { quest } = await api(c, 'POST', '/quests', {
    title: 'Spread the word', tasks: [{ title: 'Share your link', points: 10 }, { title: 'Invite a friend', points: 20 }],
    reward: { type: 'catalogue', reward_id: mug.id },
  });
  const [share, invite] = (await api(c, 'GET', `/quests/${quest.id}`)).tasks as Array<{ id: number }>;
  const advocates: number[] = [];
  for (let i = 0; i < 25; i++) {
    const { advocate } = await api(c, 'POST', '/advocates', { name: `Walker ${i}`, email: `walker${i}@example.com` });
    advocates.push(advocate.id);
    await api(c, 'POST', `/quests/${quest.id}/complete`, { advocate_id: advocate.id, task_id: share!.id });
  }
  // The two highest ids finish the quest: the one unit of stock goes to the first, the second goes without.
  const [last, secondLast] = [advocates[24]!, advocates[23]!];
  const granted = (await api(c, 'POST', `/quests/${quest.id}/complete`, { advocate_id: secondLast, task_id: invite!.id })).quest_completion;
  assert.ok(granted.redemption_id);
  assert.equal((await api(c, 'POST', `/quests/${quest.id}/complete`, { advocate_id: last, task_id: invite!.id })).quest_completion.reward_not_granted, 'out_of_stock');

  const first = await owner.get(`/dashboard/quests/${quest.id}`);
  assert.equal(first.status, 200);
  assert.match(textOf(first.text), /Status active Reward Referloop mug \(catalogue reward \d+\) Starts at once Ends never Tasks 2/);
  assert.match(rowWith(first, '>Share your link<'), /^1 Share your link 10$/);
  const apiFirst = await api(c, 'GET', `/quests/${quest.id}?limit=20`);
  assert.deepEqual(progressIds(first), apiFirst.progress.map((p: { advocate_id: number }) => p.advocate_id));
  assert.equal(progressIds(first).length, 20);
  for (const p of apiFirst.progress as Array<{ advocate_id: number; tasks_completed: number; tasks_total: number; points_awarded: number; completed: boolean }>) {
    const row = rowWith(first, `/dashboard/advocates/${p.advocate_id}"`);
    assert.ok(row.startsWith(`advocate ${p.advocate_id} ${p.tasks_completed} of ${p.tasks_total} ${p.tasks_completed === 2 ? '1, 2' : '1'} ${p.points_awarded} `), row);
    if (!p.completed) assert.match(row, /— not completed yet( |$)/);
  }
  assert.match(rowWith(first, `/dashboard/advocates/${secondLast}"`), new RegExp(`^advocate ${secondLast} 2 of 2 1, 2 30 .*2026.* granted: redemption ${granted.redemption_id}$`));
  assert.match(rowWith(first, `/dashboard/advocates/${last}"`), new RegExp(`^advocate ${last} 2 of 2 1, 2 30 .*2026.* not granted the reward was out of stock$`));

  // The next page by the pager's link: the API's page for its next_cursor.
  const older = /<a href="([^"]+)">Older<\/a>/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(older, 'a link to the older advocates');
  const second = await owner.get(older);
  const apiSecond = await api(c, 'GET', `/quests/${quest.id}?limit=20&cursor=${apiFirst.next_cursor}`);
  assert.deepEqual(progressIds(second), apiSecond.progress.map((p: { advocate_id: number }) => p.advocate_id));
  assert.deepEqual(progressIds(second), advocates.slice(0, 5).reverse());
  assert.match(second.text, /No older entries/);

  const one = await owner.get(`/dashboard/quests/${quest.id}?advocate_id=${advocates[3]}`);
  assert.deepEqual(progressIds(one), [advocates[3]]);
  const unknown = await owner.get(`/dashboard/quests/${quest.id}?advocate_id=999999`);
  assert.equal(unknown.status, 404);
  assert.match(fieldError(unknown, 'advocate_id') ?? '', /no such advocate/);
  assert.match(unknown.text, /Share your link/, 'the quest all the same');
  const badCursor = await owner.get(`/dashboard/quests/${quest.id}?cursor=nonsense`);
  assert.equal(badCursor.status, 400);
  assert.equal((await owner.get('/dashboard/quests/999999')).status, 404);
  assert.equal((await owner.get('/dashboard/quests/abc')).status, 404);
});

test('a status change: a form with CSRF, a notice, the API agrees; refused without the token or a known status; a viewer changes nothing', async (t) => {
  const { c, owner } = await setUp(t);
  const { quest } = await api(c, 'POST', '/quests', { title: 'Spread the word', tasks: [{ title: 'Share your link', points: 10 }], reward: 25 });
  const page = await owner.get(`/dashboard/quests/${quest.id}`);
  assert.ok(page.text.includes(`action="/dashboard/quests/${quest.id}/status"`) && page.text.includes('>Back to draft</button>'));
  assert.match(textOf(page.text), /Reward 25 points/);

  const noCsrf = await owner.post(`/dashboard/quests/${quest.id}/status`, { status: 'draft' }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal((await api(c, 'GET', `/quests/${quest.id}`)).quest.status, 'active', 'nothing changed without the token');
  const gone = await owner.post(`/dashboard/quests/${quest.id}/status`, { status: 'gone' });
  assert.equal(gone.status, 400);
  assert.match(textOf(gone.text), /must be one of draft, active, archived/);

  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/quests/${quest.id}/status`, { status: 'draft' })),
    /Spread the word is draft: its tasks cannot be completed until it is active again/);
  assert.equal((await api(c, 'GET', `/quests/${quest.id}`)).quest.status, 'draft');
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/quests/${quest.id}/status`, { status: 'archived' })), /is archived/);
  assert.match(rowWith(await owner.get('/dashboard/quests'), `/dashboard/quests/${quest.id}"`), /archived$/);
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/quests/${quest.id}/status`, { status: 'active' })), /is active/);

  const viewer = await signedIn(c, { role: 'viewer' });
  const read = await viewer.get(`/dashboard/quests/${quest.id}`);
  assert.equal(read.status, 200);
  assert.ok(!read.text.includes('/status"') && read.text.includes('Your role is viewer'), 'a viewer has nothing to press');
  assert.ok(!(await viewer.get('/dashboard/quests')).text.includes('/dashboard/quests/new'));
  assert.equal((await viewer.get('/dashboard/quests/new')).status, 403);
  assert.equal((await viewer.post(`/dashboard/quests/${quest.id}/status`, { status: 'archived' })).status, 403);
  assert.equal((await viewer.post('/dashboard/quests', questForm({}, { 0: ['Share', '1'] }))).status, 403);
  assert.equal((await api(c, 'GET', `/quests/${quest.id}`)).quest.status, 'active');
  assert.equal((await quests(c)).length, 1);
});
