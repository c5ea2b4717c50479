// Feedback boards (issue 13, 002_*'s /feedback): boards, advocates' ideas, one vote per advocate and idea (also when
// ten arrive at once), an unvote, a board's ideas newest first or by votes (paged by cursor), an idea's status and its
// events, and every bad field named with nothing written.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { advocateId, assertError, count } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

async function collector(t: TestContext): Promise<TestCollector> {
  const c = await startTestCollector();
  t.after(() => c.close());
  return c;
}

async function board(c: TestCollector, name = 'Product ideas') {
  const res = await c.call('POST', '/api/v1/feedback/boards', { name });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.board as { id: number; [k: string]: unknown };
}

async function idea(c: TestCollector, boardId: number, advocate: number, title: string) {
  const res = await c.call('POST', `/api/v1/feedback/boards/${boardId}/ideas`, { advocate_id: advocate, title });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.idea as { id: number; vote_count: number; [k: string]: unknown };
}

const vote = (c: TestCollector, ideaId: number, advocate: number) => c.call('POST', `/api/v1/feedback/ideas/${ideaId}/votes`, { advocate_id: advocate });

test('boards and ideas: created, listed, read; an idea\'s status moves and its events; bad fields named, nothing written', async (t) => {
  const c = await collector(t);
  const endpoint = await subscribeEndpoint(c, ['idea.created', 'idea.status_changed']);
  const created = await c.call('POST', '/api/v1/feedback/boards', { name: 'Product ideas', description: 'What next?' });
  assert.equal(created.status, 201);
  const b = created.body.data.board;
  assert.deepEqual([b.name, b.description], ['Product ideas', 'What next?']);
  const second = await board(c, 'Integrations');
  assert.deepEqual((await c.call('GET', '/api/v1/feedback/boards')).body.data.boards.map((x: { id: number }) => x.id), [b.id, second.id]);
  assert.deepEqual((await c.call('GET', `/api/v1/feedback/boards/${b.id}`)).body.data.board, b);

  const sarah = await advocateId(c, 'V2AVMRDJ');
  const posted = await c.call('POST', `/api/v1/feedback/boards/${b.id}/ideas`, { advocateId: sarah, title: 'WhatsApp links', body: 'One tap' });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const i = posted.body.data.idea;
  assert.deepEqual([i.board_id, i.advocate_id, i.title, i.body, i.status, i.vote_count, i.status_changed_at], [b.id, sarah, 'WhatsApp links', 'One tap', 'open', 0, null]);

  for (const [body, field] of [
    [{ name: ' ' }, 'name'], [{}, 'name'], [{ name: 'x'.repeat(201) }, 'name'], [{ name: 'ok', description: 5 }, 'description'],
  ] as const) assertError(await c.call('POST', '/api/v1/feedback/boards', body), 400, 'invalid_request', field);
  for (const [body, field] of [
    [{ title: 'No one' }, 'advocate_id'], [{ advocate_id: sarah }, 'title'], [{ advocate_id: sarah, title: '' }, 'title'],
    [{ advocate_id: sarah, title: 'ok', body: 'x'.repeat(5001) }, 'body'], [{ advocateId: 'me', title: 'ok' }, 'advocateId'],
  ] as const) assertError(await c.call('POST', `/api/v1/feedback/boards/${b.id}/ideas`, body), 400, 'invalid_request', field);
  assertError(await c.call('POST', `/api/v1/feedback/boards/${b.id}/ideas`, { advocate_id: 999, title: 'ok' }), 404, 'not_found', 'advocate_id');
  assertError(await c.call('POST', '/api/v1/feedback/boards/999/ideas', { advocate_id: sarah, title: 'ok' }), 404, 'not_found');
  assertError(await vote(c, i.id, 999), 404, 'not_found', 'advocate_id');
  assertError(await c.call('POST', `/api/v1/feedback/ideas/${i.id}/votes`, {}), 400, 'invalid_request', 'advocate_id');
  assertError(await c.call('PATCH', `/api/v1/feedback/ideas/${i.id}`, { status: 'shipped' }), 400, 'invalid_request', 'status');
  for (const path of ['/api/v1/feedback/boards/999', '/api/v1/feedback/boards/abc/ideas', '/api/v1/feedback/ideas/999']) assertError(await c.call('GET', path), 404, 'not_found');
  assertError(await c.call('PATCH', '/api/v1/feedback/ideas/999', { status: 'done' }), 404, 'not_found');
  assertError(await c.call('GET', `/api/v1/feedback/boards/${b.id}/ideas`, undefined, { query: { sort: 'top' } }), 400, 'invalid_request', 'sort');
  assertError(await c.call('GET', `/api/v1/feedback/boards/${b.id}/ideas`, undefined, { query: { status: 'new' } }), 400, 'invalid_request', 'status');
  assert.deepEqual([await count(c, 'feedback_boards'), await count(c, 'feedback_ideas'), await count(c, 'feedback_votes')], [2, 1, 0]);

  const planned = await c.call('PATCH', `/api/v1/feedback/ideas/${i.id}`, { status: 'planned' });
  assert.equal(planned.status, 200, JSON.stringify(planned.body));
  assert.deepEqual([planned.body.data.idea.status, typeof planned.body.data.idea.status_changed_at], ['planned', 'string']);
  assert.equal((await c.call('PATCH', `/api/v1/feedback/ideas/${i.id}`, { status: 'planned' })).status, 200, 'the same status again');
  assert.equal((await c.call('PATCH', `/api/v1/feedback/ideas/${i.id}`, { status: 'in_progress' })).body.data.idea.status, 'in_progress');
  assert.deepEqual((await c.call('GET', `/api/v1/feedback/ideas/${i.id}`)).body.data.idea.status, 'in_progress');
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.status, e.body.data.previous_status]);
  assert.deepEqual(events, [['idea.created', 'open', undefined], ['idea.status_changed', 'planned', 'open'], ['idea.status_changed', 'in_progress', 'planned']]);
});

test('one vote per advocate and idea: 10 at once count 1 and answer the first; 5 advocates at once count 5; an unvote takes it back', async (t) => {
  const c = await collector(t);
  const b = await board(c);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const i = await idea(c, b.id, sarah, 'Dark mode');
  const answers = await Promise.all(Array.from({ length: 10 }, () => vote(c, i.id, sarah)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 201], JSON.stringify(answers[0]!.body));
  assert.equal(new Set(answers.map((a) => a.body.data.vote.id)).size, 1, 'every answer is the first vote');
  assert.deepEqual(answers.map((a) => a.body.data.created).filter(Boolean), [true]);
  assert.equal((await c.call('GET', `/api/v1/feedback/ideas/${i.id}`)).body.data.idea.vote_count, 1);
  assert.equal(await count(c, 'feedback_votes'), 1);

  const fans: number[] = [];
  for (let n = 0; n < 4; n++) fans.push((await c.call('POST', '/api/v1/advocates', { email: `fan${n}@advocate.example`, name: `Fan ${n}` })).body.data.advocate.id);
  assert.ok((await Promise.all(fans.map((f) => vote(c, i.id, f)))).every((a) => a.status === 201));
  assert.equal((await c.call('GET', `/api/v1/feedback/ideas/${i.id}`)).body.data.idea.vote_count, 5);

  const unvoted = await c.call('DELETE', `/api/v1/feedback/ideas/${i.id}/votes/${sarah}`);
  assert.equal(unvoted.status, 200, JSON.stringify(unvoted.body));
  assert.deepEqual([unvoted.body.data.removed, unvoted.body.data.idea.vote_count], [true, 4]);
  const again = await c.call('DELETE', `/api/v1/feedback/ideas/${i.id}/votes/${sarah}`);
  assert.deepEqual([again.status, again.body.data.removed, again.body.data.idea.vote_count], [200, false, 4]);
  assertError(await c.call('DELETE', `/api/v1/feedback/ideas/${i.id}/votes/999`), 404, 'not_found');
  assert.equal((await vote(c, i.id, sarah)).status, 201, 'a vote after an unvote counts again');
  assert.equal((await c.call('GET', `/api/v1/feedback/ideas/${i.id}`)).body.data.idea.vote_count, 5);
});

test("a board's ideas: newest first or by votes (ties newest first), by status, paged by cursor in either order, with total", async (t) => {
  const c = await collector(t);
  const b = await board(c);
  const elsewhere = await board(c, 'Elsewhere');
  const voters: number[] = [];
  for (let n = 0; n < 3; n++) voters.push((await c.call('POST', '/api/v1/advocates', { email: `v${n}@advocate.example`, name: `V ${n}` })).body.data.advocate.id);
  const made: Array<{ id: number }> = [];
  for (const [title, votes] of [['A', 1], ['B', 3], ['C', 0], ['D', 1], ['E', 2]] as const) {
    const i = await idea(c, b.id, voters[0]!, title);
    for (const v of voters.slice(0, votes)) assert.equal((await vote(c, i.id, v)).status, 201);
    made.push(i);
  }
  await idea(c, elsewhere.id, voters[0]!, 'Not in this board');
  await c.call('PATCH', `/api/v1/feedback/ideas/${made[1]!.id}`, { status: 'done' });
  const [A, B, C, D, E] = made.map((m) => m.id);
  const list = async (query: Record<string, string | number>) => (await c.call('GET', `/api/v1/feedback/boards/${b.id}/ideas`, undefined, { query })).body.data;
  const titles = async (query: Record<string, string | number>) => (await list(query)).ideas.map((i: { id: number }) => i.id);
  assert.deepEqual(await titles({}), [E, D, C, B, A], 'newest first by default');
  assert.deepEqual(await titles({ sort: 'votes' }), [B, E, D, A, C], 'most votes first; ties newest first');
  assert.deepEqual(await titles({ sort: 'votes', status: 'open' }), [E, D, A, C]);
  assert.deepEqual(await titles({ sort: 'newest', status: 'done' }), [B]);
  assert.deepEqual(await titles({ sort: 'votes', limit: 2, page: 2 }), [D, A]);
  assert.equal((await list({ sort: 'votes', total: 'true', status: 'open' })).total, 4);

  for (const sort of ['votes', 'newest']) {
    const seen: number[] = [];
    // Pages of 3: by votes the first ends between D and A, a tie of one vote each.
    let query: Record<string, string | number> = { sort, limit: 3 };
    for (;;) {
      const page = await list(query);
      seen.push(...page.ideas.map((i: { id: number }) => i.id));
      if (!page.next_cursor) break;
      query = { sort, limit: 3, cursor: page.next_cursor };
    }
    assert.deepEqual(seen, sort === 'votes' ? [B, E, D, A, C] : [E, D, C, B, A], sort);
  }
  const newestCursor = (await list({ limit: 2 })).next_cursor;
  assertError(await c.call('GET', `/api/v1/feedback/boards/${b.id}/ideas`, undefined, { query: { sort: 'votes', cursor: newestCursor } }),
    400, 'invalid_request', 'cursor');
  assertError(await c.call('GET', `/api/v1/feedback/boards/${b.id}/ideas`, undefined, { query: { cursor: 'nonsense!' } }), 400, 'invalid_request', 'cursor');
});
