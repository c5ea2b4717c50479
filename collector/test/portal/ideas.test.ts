// The portal's ideas (/portal/ideas, issue 14) over HTTP, as one advocate: the brand's boards, a board's ideas by votes
// or newest with their status as GET /api/v1/feedback/boards/:id/ideas answers them, an idea posted as the session's
// advocate (its title's refusal beside the field), a vote counted once per advocate and idea (a second says so and
// changes nothing); another brand's board or idea is a 404 that changes nothing; a POST without the CSRF token a 403.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from '../support/collector.ts';
import { fieldError, noticeAfter, rowWith, textOf, type DashboardPage } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { apiData, databaseText, formIdOf, portalTestCollector } from '../support/portalPages.ts';
import { advocateId, row } from '../support/fixtures.ts';

const addBoard = async (c: TestCollector, name: string, brand?: TestBrand) => (await apiData(c, 'POST', '/feedback/boards', { name }, brand)).board as { id: number };
const addIdea = async (c: TestCollector, board: number, advocate: number, title: string, brand?: TestBrand) =>
  (await apiData(c, 'POST', `/feedback/boards/${board}/ideas`, { advocate_id: advocate, title }, brand)).idea as { id: number };
const vote = (c: TestCollector, idea: number, advocate: number, brand?: TestBrand) => apiData(c, 'POST', `/feedback/ideas/${idea}/votes`, { advocate_id: advocate }, brand);
const counts = async (c: TestCollector) => ({
  ideas: Number((await row(c, 'SELECT count(*) AS n FROM feedback_ideas')).n),
  votes: Number((await row(c, 'SELECT count(*) AS n FROM feedback_votes')).n),
  counted: Number((await row(c, 'SELECT coalesce(sum(vote_count), 0) AS n FROM feedback_ideas')).n),
});
const titles = (page: DashboardPage) => [...page.text.matchAll(/<th scope="row">([^<]+)/g)].map((m) => m[1]!.trim());

test('the boards, a board\'s ideas by votes or newest with their status as the API orders them, and this advocate\'s votes', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const tester = await advocateId(c, 'TESTCODE');
  const board = await addBoard(c, 'Product ideas');
  await addBoard(c, 'Shipping');
  const other = await c.addBrand();
  await addBoard(c, 'Their board', other);
  const dark = await addIdea(c, board.id, sarah, 'Dark mode');
  const bulk = await addIdea(c, board.id, john, 'Bulk discounts');
  const gift = await addIdea(c, board.id, sarah, 'Gift wrapping');
  await vote(c, dark.id, sarah);
  await vote(c, dark.id, tester);
  await vote(c, gift.id, john);
  await apiData(c, 'PATCH', `/feedback/ideas/${dark.id}`, { status: 'planned' });

  const client = await inPortal(c, john);
  const boards = await client.get('/portal/ideas');
  assert.equal(boards.status, 200, boards.text.slice(0, 300));
  assert.match(boards.text, /<a href="\/portal\/ideas" aria-current="page">/);
  assert.match(boards.text, new RegExp(`<a href="/portal/ideas/boards/${board.id}">Product ideas</a>`));
  assert.match(textOf(boards.text), /Shipping/);
  assert.ok(!boards.text.includes('Their board'));

  const byVotes = await client.get(`/portal/ideas/boards/${board.id}`);
  const apiVotes = (await apiData(c, 'GET', `/feedback/boards/${board.id}/ideas?sort=votes`)).ideas.map((i: { title: string }) => i.title);
  assert.deepEqual(titles(byVotes), apiVotes);
  assert.deepEqual(apiVotes, ['Dark mode', 'Gift wrapping', 'Bulk discounts']);
  assert.match(rowWith(byVotes, 'Dark mode'), /^Dark mode planned 2 .* Vote for Dark mode$/);
  assert.match(rowWith(byVotes, 'Gift wrapping'), /^Gift wrapping open 1 .* You voted$/);
  assert.match(rowWith(byVotes, 'Bulk discounts'), /^Bulk discounts \(yours\) open 0 /);
  const newest = await client.get(`/portal/ideas/boards/${board.id}?sort=newest`);
  assert.deepEqual(titles(newest), (await apiData(c, 'GET', `/feedback/boards/${board.id}/ideas?sort=newest`)).ideas.map((i: { title: string }) => i.title));
  assert.deepEqual(titles(newest), ['Gift wrapping', 'Bulk discounts', 'Dark mode']);
  assert.match(newest.text, /<a href="\/portal\/ideas\/boards\/\d+\?sort=newest" aria-current="true">Newest first<\/a>/);
});

test('an idea posted as this advocate (its title refused beside the field, once per form); a vote counted once, a second says so', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const board = await addBoard(c, 'Product ideas');
  const client = await inPortal(c, john);

  const page = await client.get(`/portal/ideas/boards/${board.id}`);
  const empty = await client.post(`/portal/ideas/boards/${board.id}/ideas`, { title: ' ', body: 'Kept', form_id: formIdOf(page) });
  assert.equal(empty.status, 400);
  assert.match(fieldError(empty, 'title') ?? '', /must not be empty/);
  assert.match(empty.text, /<textarea id="f-body" name="body"[^>]*>Kept<\/textarea>/);
  const long = await client.post(`/portal/ideas/boards/${board.id}/ideas`, { title: 'x'.repeat(201), form_id: formIdOf(page) });
  assert.match(fieldError(long, 'title') ?? '', /at most 200 characters/);
  assert.deepEqual(await counts(c), { ideas: 0, votes: 0, counted: 0 });

  const form = { title: 'Dark mode', body: 'Easier at night', advocate_id: String(sarah), form_id: formIdOf(await client.get(`/portal/ideas/boards/${board.id}`)) };
  const posted = await client.post(`/portal/ideas/boards/${board.id}/ideas`, form);
  assert.equal(posted.location, `/portal/ideas/boards/${board.id}`);
  assert.match(await noticeAfter(client, posted), /Your idea is posted: others can vote for it now/);
  assert.match(await noticeAfter(client, await client.post(`/portal/ideas/boards/${board.id}/ideas`, form)), /This form was already sent: your idea was posted once/);
  const [idea] = (await apiData(c, 'GET', `/feedback/boards/${board.id}/ideas`)).ideas;
  assert.deepEqual({ advocate_id: idea.advocate_id, title: idea.title, body: idea.body, status: idea.status, vote_count: idea.vote_count },
    { advocate_id: john, title: 'Dark mode', body: 'Easier at night', status: 'open', vote_count: 0 });
  assert.equal((await counts(c)).ideas, 1);

  await client.get(`/portal/ideas/boards/${board.id}?sort=newest`);
  const voted = await client.post(`/portal/ideas/${idea.id}/vote`, { sort: 'newest', advocate_id: String(sarah) });
  assert.equal(voted.location, `/portal/ideas/boards/${board.id}?sort=newest`);
  assert.match(await noticeAfter(client, voted), /Your vote for "Dark mode" is counted: 1 in all/);
  const twice = await client.post(`/portal/ideas/${idea.id}/vote`, {});
  assert.match(await noticeAfter(client, twice), /You had already voted for "Dark mode": one vote per idea, so nothing changed \(1 in all\)/);
  assert.deepEqual(await counts(c), { ideas: 1, votes: 1, counted: 1 });
  const votes = await row(c, 'SELECT advocate_id FROM feedback_votes');
  assert.equal(Number(votes.advocate_id), john, 'the session\'s advocate voted, not the one the form named');
  assert.match(rowWith(await client.get(`/portal/ideas/boards/${board.id}`), 'Dark mode'), /open 1 .* You voted( No older entries)?$/);
});

test('scoping: another brand\'s board or idea is a 404 and changes nothing; no CSRF: 403', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const board = await addBoard(c, 'Product ideas');
  const mine = await addIdea(c, board.id, john, 'Mine');
  const other = await c.addBrand();
  const theirJohn = await advocateId(c, 'JOHN123', other);
  const theirBoard = await addBoard(c, 'Their board', other);
  const theirIdea = await addIdea(c, theirBoard.id, theirJohn, 'Their idea', other);
  const before = await counts(c);

  const client = await inPortal(c, john);
  const page = await client.get(`/portal/ideas/boards/${board.id}`);
  const everything = await databaseText(c);
  for (const id of [theirBoard.id, 999999, 'x']) {
    const read = await client.get(`/portal/ideas/boards/${id}`);
    assert.equal(read.status, 404, `board ${id}`);
    assert.match(textOf(read.text), /No board with this id/);
    const post = await client.post(`/portal/ideas/boards/${id}/ideas`, { title: 'Sneaky', form_id: formIdOf(page) });
    assert.equal(post.status, 404, `post in board ${id}`);
  }
  for (const id of [theirIdea.id, 999999]) {
    const res = await client.post(`/portal/ideas/${id}/vote`, {});
    assert.equal(res.status, 404, `vote for idea ${id}`);
    assert.ok(!res.text.includes('Their idea'));
  }
  assert.equal((await client.get(`/portal/ideas/boards/${board.id}?sort=upside-down`)).status, 400);
  assert.equal((await client.post(`/portal/ideas/${mine.id}/vote`, {}, { csrf: false })).status, 403);
  assert.equal((await client.post(`/portal/ideas/boards/${board.id}/ideas`, { title: 'No token', form_id: formIdOf(page) }, { csrf: false })).status, 403);
  assert.deepEqual(await counts(c), before);
  assert.equal(await databaseText(c), everything, 'nothing changed anywhere');
  assert.equal((await apiData(c, 'GET', `/feedback/ideas/${theirIdea.id}`, undefined, other)).idea.vote_count, 0);
});

test('a board\'s ideas are paged 20 at a time by the API\'s cursor, in the order chosen', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const board = await addBoard(c, 'Product ideas');
  for (let i = 1; i <= 23; i++) await addIdea(c, board.id, john, `Idea ${String(i).padStart(2, '0')}`);
  const client = await inPortal(c, john);
  const first = await client.get(`/portal/ideas/boards/${board.id}?sort=newest`);
  assert.equal(titles(first).length, 20);
  assert.equal(titles(first)[0], 'Idea 23');
  const older = /<a href="([^"]+)">Older<\/a>/.exec(first.text)![1]!.replace(/&amp;/g, '&');
  assert.match(older, /sort=newest/);
  assert.deepEqual(titles(await client.get(older)), ['Idea 03', 'Idea 02', 'Idea 01']);
});
