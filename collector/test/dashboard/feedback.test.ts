// The dashboard's feedback boards (/dashboard/feedback) over HTTP: the boards as GET /api/v1/feedback/boards answers
// them and a new one through the API's schema (a bad name refused beside its field, nothing written); a board's ideas
// as GET /feedback/boards/:id/ideas answers them (newest first or by votes, by status, 20 a page by cursor, the total),
// each with its author, votes and status; an owner's status change through PATCH's use case (the API agrees), back to
// the board as it was shown; a post without the CSRF token or by a viewer changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCollector } from '../support/collector.ts';
import { fieldError, noticeAfter, rowWith, signedIn, textOf, type DashboardPage } from '../support/dashboard.ts';
import { advocateId } from '../support/fixtures.ts';
import { apiData as api, listSetUp as setUp, olderLink } from '../support/dashboardLists.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

/** The titles of a board page's ideas, top to bottom (each row's first cell, the link to the idea's page). */
const shownTitles = (page: DashboardPage): string[] => [...page.text.matchAll(/<tr>\n<td><a href="\/dashboard\/feedback\/ideas\/\d+">([^<]+)/g)].map((m) => m[1]!);

const apiTitles = async (c: TestCollector, boardId: number, query: Record<string, string | number>) =>
  ((await api(c, 'GET', `/feedback/boards/${boardId}/ideas`, undefined, query)).ideas as Array<{ title: string }>).map((i) => i.title);

/** A board with three ideas: "Dark mode" (2 votes), "Gift wrap" (1 vote), "Faster shipping" (none), posted in that order. */
async function boardWithIdeas(c: TestCollector) {
  const [sarah, john, test] = [await advocateId(c, 'V2AVMRDJ'), await advocateId(c, 'JOHN123'), await advocateId(c, 'TESTCODE')];
  const { board } = await api(c, 'POST', '/feedback/boards', { name: 'Product ideas', description: 'What should we build next?' });
  const idea = async (title: string, advocate: number, body?: string) =>
    (await api(c, 'POST', `/feedback/boards/${board.id}/ideas`, { advocate_id: advocate, title, ...(body ? { body } : {}) })).idea as { id: number };
  const dark = await idea('Dark mode', sarah, 'Easier on the eyes at night');
  const gift = await idea('Gift wrap', john);
  const faster = await idea('Faster shipping', test);
  for (const voter of [john, test]) await api(c, 'POST', `/feedback/ideas/${dark.id}/votes`, { advocate_id: voter });
  await api(c, 'POST', `/feedback/ideas/${gift.id}/votes`, { advocate_id: sarah });
  return { board, dark, gift, faster, sarah, john };
}

test('boards: the list as the API answers it; a new board through the API\'s schema, a bad name refused beside its field with nothing written', async (t) => {
  const { c, owner } = await setUp(t);
  const none = await owner.get('/dashboard/feedback');
  assert.equal(none.status, 200);
  assert.match(none.text, /aria-current="page">Feedback</);
  assert.match(none.text, /No board yet/);

  for (const [form, name, message] of [
    [{ name: '' }, 'name', /^must not be empty$/], [{ name: '   ' }, 'name', /^must not be empty$/],
    [{ name: 'x'.repeat(201) }, 'name', /^must be at most 200 characters$/], [{ name: 'Ideas', description: 'd'.repeat(2001) }, 'description', /^must be at most 2000 characters$/],
  ] as const) {
    const refused = await owner.post('/dashboard/feedback/boards', form);
    assert.equal(refused.status, 400, JSON.stringify(form).slice(0, 80));
    assert.match(fieldError(refused, name) ?? '', message);
  }
  assert.deepEqual((await api(c, 'GET', '/feedback/boards')).boards, [], 'nothing written');

  const created = await owner.post('/dashboard/feedback/boards', { name: 'Product ideas', description: 'What should we build next?' });
  assert.equal(created.status, 303);
  const [board] = (await api(c, 'GET', '/feedback/boards')).boards;
  assert.deepEqual([board.name, board.description], ['Product ideas', 'What should we build next?']);
  assert.equal(created.location, `/dashboard/feedback/boards/${board.id}`);
  assert.match(await noticeAfter(owner, created), /The board Product ideas is created/);
  await owner.post('/dashboard/feedback/boards', { name: 'Integrations', description: '' });
  const boards = (await api(c, 'GET', '/feedback/boards')).boards as Array<{ id: number; name: string; description: string | null }>;
  assert.equal(boards[1]!.description, null, 'an empty description is none');
  const list = await owner.get('/dashboard/feedback');
  assert.deepEqual([...list.text.matchAll(/<td><a href="\/dashboard\/feedback\/boards\/(\d+)">([^<]+)<\/a><\/td>/g)].map((m) => [Number(m[1]), m[2]]),
    boards.map((b) => [b.id, b.name]), 'every board, oldest first, linked');
  assert.match(rowWith(list, `boards/${board.id}"`), /Product ideas What should we build next\? Dec 1, 2026/);
  const page = await owner.get(`/dashboard/feedback/boards/${board.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Product ideas<\/h1>/);
  assert.match(page.text, /No idea matches/);
  assert.equal((await owner.get('/dashboard/feedback/boards/999999')).status, 404);
  assert.equal((await owner.get('/dashboard/feedback/boards/abc')).status, 404);
});

test("a board's ideas newest first or by votes, by status, as the API lists them: each one's author, votes and status", async (t) => {
  const { c, owner } = await setUp(t);
  const { board, dark, gift, sarah } = await boardWithIdeas(c);
  await api(c, 'PATCH', `/feedback/ideas/${gift.id}`, { status: 'planned' });
  const path = `/dashboard/feedback/boards/${board.id}`;

  const newest = await owner.get(path);
  assert.deepEqual(shownTitles(newest), ['Faster shipping', 'Gift wrap', 'Dark mode']);
  assert.deepEqual(shownTitles(newest), await apiTitles(c, board.id, {}));
  assert.match(textOf(newest.text), /3 ideas match\./);
  assert.match(rowWith(newest, `ideas/${dark.id}/status`), /^Dark mode Easier on the eyes at night Sarah Jones 2 open Dec 1, 2026/);
  assert.ok(newest.text.includes(`<a href="/dashboard/advocates/${sarah}">Sarah Jones</a>`), "the author links the advocate's page");
  assert.match(rowWith(newest, `ideas/${gift.id}/status`), /^Gift wrap John Smith 1 planned/);

  const byVotes = await owner.get(`${path}?sort=votes`);
  assert.deepEqual(shownTitles(byVotes), ['Dark mode', 'Gift wrap', 'Faster shipping']);
  assert.deepEqual(shownTitles(byVotes), await apiTitles(c, board.id, { sort: 'votes' }));
  assert.match(byVotes.text, /most votes first \(ties: newest first\)/);
  assert.match(byVotes.text, /<option value="votes" selected>/);

  assert.deepEqual(shownTitles(await owner.get(`${path}?status=planned`)), ['Gift wrap']);
  const open = await owner.get(`${path}?status=open&sort=votes`);
  assert.deepEqual(shownTitles(open), await apiTitles(c, board.id, { status: 'open', sort: 'votes' }));
  assert.deepEqual(shownTitles(open), ['Dark mode', 'Faster shipping']);
  assert.match(textOf(open.text), /2 ideas match\./);
  assert.deepEqual(shownTitles(await owner.get(`${path}?status=done`)), []);

  const bad = await owner.get(`${path}?status=someday&sort=loudest`);
  assert.equal(bad.status, 400);
  assert.match(fieldError(bad, 'status') ?? '', /must be one of open, planned, in_progress, done, declined/);
  assert.match(fieldError(bad, 'sort') ?? '', /must be newest or votes/);
});

test('20 ideas a page by cursor, newest first and by votes, every idea once, as the API pages them', async (t) => {
  const { c, owner } = await setUp(t);
  const voters = [await advocateId(c, 'V2AVMRDJ'), await advocateId(c, 'JOHN123'), await advocateId(c, 'TESTCODE')];
  const { board } = await api(c, 'POST', '/feedback/boards', { name: 'Many' });
  const ids: number[] = [];
  for (let i = 0; i < 24; i++) {
    const { idea } = await api(c, 'POST', `/feedback/boards/${board.id}/ideas`, { advocate_id: voters[i % 3], title: `Idea ${String(i).padStart(2, '0')}` });
    ids.push(idea.id);
    // Votes 0 to 3 (i % 4), from as many advocates: many ties, each broken newest first.
    for (const voter of voters.slice(0, i % 4)) await api(c, 'POST', `/feedback/ideas/${idea.id}/votes`, { advocate_id: voter });
  }
  for (const sort of ['newest', 'votes'] as const) {
    const first = await owner.get(`/dashboard/feedback/boards/${board.id}?sort=${sort}`);
    assert.equal(shownTitles(first).length, 20, sort);
    assert.match(textOf(first.text), /24 ideas match\./);
    const apiFirst = await api(c, 'GET', `/feedback/boards/${board.id}/ideas`, undefined, { sort, limit: 20 });
    assert.deepEqual(shownTitles(first), apiFirst.ideas.map((i: { title: string }) => i.title), sort);
    const next = olderLink(first);
    assert.ok(next?.includes(`sort=${sort}`), `${sort}: the Older link keeps the order`);
    const second = await owner.get(next!);
    assert.equal(second.status, 200, second.text.slice(0, 300));
    assert.deepEqual(shownTitles(second), await apiTitles(c, board.id, { sort, limit: 20, cursor: apiFirst.next_cursor }), sort);
    const all = [...shownTitles(first), ...shownTitles(second)];
    assert.equal(new Set(all).size, 24, `${sort}: every idea once`);
    assert.equal(olderLink(second), undefined);
    if (sort === 'votes') assert.deepEqual(all.slice(0, 6), ['Idea 23', 'Idea 19', 'Idea 15', 'Idea 11', 'Idea 07', 'Idea 03'], 'three votes, newest first');
    else assert.deepEqual(all, ids.map((_, i) => `Idea ${String(i).padStart(2, '0')}`).reverse());
  }
});

test("an owner's status change goes through the API's use case, back to the board as shown; no CSRF token or a viewer changes nothing", async (t) => {
  const { c, owner } = await setUp(t);
  const endpoint = await subscribeEndpoint(c, ['idea.status_changed']);
  const { board, dark, gift } = await boardWithIdeas(c);
  const path = `/dashboard/feedback/boards/${board.id}`;
  const page = await owner.get(`${path}?sort=votes&status=open`);
  assert.match(page.text, new RegExp(`<label for="idea-status-${dark.id}" class="visually-hidden">Status of idea ${dark.id}</label>`));

  const moved = await owner.post(`/dashboard/feedback/ideas/${dark.id}/status`, { status: 'in_progress', back: 'sort=votes&status=open' });
  assert.equal(moved.status, 303);
  assert.equal(moved.location, `${path}?status=open&sort=votes`);
  assert.match(await noticeAfter(owner, moved), /The idea "Dark mode" is in progress/);
  assert.equal((await api(c, 'GET', `/feedback/ideas/${dark.id}`)).idea.status, 'in_progress');
  assert.match(rowWith(await owner.get(path), `ideas/${dark.id}/status`), /in progress/);
  assert.match((await owner.get(path)).text, new RegExp(`<option value="in_progress" selected>in progress</option>`));
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.body.data.id, e.body.data.status, e.body.data.previous_status]);
  assert.deepEqual(events, [[dark.id, 'in_progress', 'open']]);

  const outside = await owner.post(`/dashboard/feedback/ideas/${gift.id}/status`, { status: 'declined', back: '//evil.example/' });
  assert.equal(outside.location, path, 'the redirect stays on the board, whatever the form says');

  const refused = await owner.post(`/dashboard/feedback/ideas/${dark.id}/status`, { status: 'someday' });
  assert.equal(refused.status, 400);
  assert.match(textOf(refused.text), /status: must be one of open, planned, in_progress, done, declined/);
  assert.match(refused.text, /<h1>Product ideas<\/h1>/, "the idea's board again");
  assert.equal((await api(c, 'GET', `/feedback/ideas/${dark.id}`)).idea.status, 'in_progress');
  assert.equal((await owner.post('/dashboard/feedback/ideas/999999/status', { status: 'done' })).status, 404);

  assert.equal((await owner.post(`/dashboard/feedback/ideas/${dark.id}/status`, { status: 'done' }, { csrf: false })).status, 403);
  assert.equal((await owner.post('/dashboard/feedback/boards', { name: 'Sneaky' }, { csrf: false })).status, 403);
  assert.equal((await api(c, 'GET', `/feedback/ideas/${dark.id}`)).idea.status, 'in_progress');

  const viewer = await signedIn(c, { role: 'viewer' });
  const read = await viewer.get(path);
  assert.equal(read.status, 200);
  assert.deepEqual(shownTitles(read), ['Faster shipping', 'Gift wrap', 'Dark mode']);
  assert.ok(!read.text.includes('/status"') && !read.text.includes('idea-status-'), 'a viewer has nothing to press');
  assert.ok(!(await viewer.get('/dashboard/feedback')).text.includes('New board'));
  assert.equal((await viewer.post(`/dashboard/feedback/ideas/${dark.id}/status`, { status: 'done' })).status, 403);
  assert.equal((await viewer.post('/dashboard/feedback/boards', { name: 'Viewer board' })).status, 403);
  assert.equal((await api(c, 'GET', `/feedback/ideas/${dark.id}`)).idea.status, 'in_progress');
  assert.equal((await api(c, 'GET', '/feedback/boards')).boards.length, 1);
});

test("an idea's page: the idea and its voters, highest advocate id first, 50 a page by cursor, each linked", async (t) => {
  const { c, owner } = await setUp(t);
  const { dark, faster, john } = await boardWithIdeas(c);
  const page = await owner.get(`/dashboard/feedback/ideas/${dark.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Dark mode<\/h1>/);
  assert.match(textOf(page.text), /Back to Product ideas Easier on the eyes at night Posted by Sarah Jones , Dec 1, 2026, 10:00 AM UTC Status open Votes 2 Voters/);
  const voters = (page: DashboardPage) => [...page.text.matchAll(/<tr>\n<td><a href="\/dashboard\/advocates\/(\d+)">([^<]+)<\/a><\/td>/g)].map((m) => [Number(m[1]), m[2]]);
  const test = await advocateId(c, 'TESTCODE');
  assert.deepEqual(voters(page), [[john, 'John Smith'], [test, 'Tess Tester']].sort((a, b) => Number(b[0]) - Number(a[0])));
  assert.match((await owner.get(`/dashboard/feedback/ideas/${faster.id}`)).text, /No vote yet/);

  const many: number[] = [];
  for (let i = 0; i < 52; i++) {
    const { advocate } = await api(c, 'POST', '/advocates', { name: `Voter ${i}`, email: `voter${i}@example.com` });
    many.push(advocate.id);
    await api(c, 'POST', `/feedback/ideas/${faster.id}/votes`, { advocate_id: advocate.id });
  }
  const first = await owner.get(`/dashboard/feedback/ideas/${faster.id}`);
  assert.match(textOf(first.text), /Votes 52/);
  assert.equal(voters(first).length, 50);
  const second = await owner.get(olderLink(first)!);
  assert.equal(second.status, 200);
  assert.deepEqual([...voters(first), ...voters(second)].map((v) => v[0]), [...many].sort((a, b) => b - a), 'every voter once, highest id first');
  assert.equal(olderLink(second), undefined);
  assert.equal((await owner.get(`/dashboard/feedback/ideas/${faster.id}?cursor=nonsense`)).status, 400);
  assert.equal((await owner.get('/dashboard/feedback/ideas/999999')).status, 404);
  const viewer = await signedIn(c, { role: 'viewer' });
  assert.equal(voters(await viewer.get(`/dashboard/feedback/ideas/${dark.id}`)).length, 2);
});
