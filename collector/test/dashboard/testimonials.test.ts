// The dashboard's testimonials queue (/dashboard/testimonials) over HTTP: the pending ones by default, as GET
// /api/v1/testimonials?status=pending answers them (the same ids in the same order, the same total), by status and
// rating, paged by cursor; approve and reject through PATCH's use case (the API agrees, testimonial.approved is
// published once), back to the list as it was; a post without the CSRF token or by a viewer changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCollector } from '../support/collector.ts';
import { noticeAfter, rowWith, signedIn, textOf, type DashboardPage } from '../support/dashboard.ts';
import { WALK_BUDGET } from '../../src/db/keyset.ts';
import { advocateId } from '../support/fixtures.ts';
import { apiData as api, listSetUp as setUp, olderLink } from '../support/dashboardLists.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

const submit = async (c: TestCollector, body: Record<string, unknown>) => (await api(c, 'POST', '/testimonials', body)).testimonial as { id: number };

/** The ids of the queue's rows, top to bottom (each row's first cell). */
const shownIds = (page: DashboardPage): number[] => [...page.text.matchAll(/<tr>\n<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));

const apiIds = async (c: TestCollector, query: Record<string, string | number>) =>
  ((await api(c, 'GET', '/testimonials', undefined, query)).testimonials as Array<{ id: number }>).map((t) => t.id);

test('the queue: the pending ones first, as the API lists them; approve and reject change the status (the API agrees), testimonial.approved once', async (t) => {
  const { c, owner } = await setUp(t);
  const endpoint = await subscribeEndpoint(c, ['testimonial.approved']);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const maya = await submit(c, { name: 'Maya Chen', email: 'Maya@Example.com', rating: 5, text: 'Ordered twice already.', product: 'Trail runner' });
  const bySarah = await submit(c, { advocate_id: sarah, rating: 3, text: 'Good, slow delivery' });
  const old = await submit(c, { name: 'Old Oak', email: 'oak@example.com', rating: 4, text: 'Approved long ago' });
  await api(c, 'PATCH', `/testimonials/${old.id}`, { status: 'approved' });

  const queue = await owner.get('/dashboard/testimonials');
  assert.equal(queue.status, 200);
  assert.match(queue.text, /aria-current="page">Testimonials</);
  assert.deepEqual(shownIds(queue), await apiIds(c, { status: 'pending' }));
  assert.deepEqual(shownIds(queue), [bySarah.id, maya.id], 'pending by default, newest first');
  assert.match(textOf(queue.text), /2 testimonials match\./);
  assert.match(rowWith(queue, `testimonials/${bySarah.id}/status`), new RegExp(`^${bySarah.id} Sarah Jones advocate ${sarah} 3/5 Good, slow delivery — .* pending Approve .* Reject`));
  assert.ok(queue.text.includes(`<a href="/dashboard/advocates/${sarah}">Sarah Jones</a>`), "an advocate's testimonial links the advocate");
  assert.match(rowWith(queue, `testimonials/${maya.id}/status`), /Maya Chen maya@example\.com 5\/5 Ordered twice already\. Trail runner Dec 1, 2026/);

  // Approved from the pending list: back to it, with a notice; the API agrees and the webhook is published once.
  const approved = await owner.post(`/dashboard/testimonials/${maya.id}/status`, { status: 'approved', back: 'status=pending&rating=5' });
  assert.equal(approved.status, 303);
  assert.equal(approved.location, '/dashboard/testimonials?status=pending&rating=5');
  assert.match(await noticeAfter(owner, approved), new RegExp(`Testimonial ${maya.id} by Maya Chen is approved`));
  assert.equal((await api(c, 'GET', `/testimonials/${maya.id}`)).testimonial.status, 'approved');
  await owner.post(`/dashboard/testimonials/${maya.id}/status`, { status: 'approved' });
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.id, e.body.data.status]);
  assert.deepEqual(events, [['testimonial.approved', old.id, 'approved'], ['testimonial.approved', maya.id, 'approved']], 'the same status again publishes nothing');

  const rejected = await owner.post(`/dashboard/testimonials/${bySarah.id}/status`, { status: 'rejected', back: 'https://evil.example/x' });
  assert.equal(rejected.location, '/dashboard/testimonials', 'the redirect stays on the list, whatever the form says');
  assert.match(await noticeAfter(owner, rejected), new RegExp(`Testimonial ${bySarah.id} by Sarah Jones is rejected`));
  assert.equal((await api(c, 'GET', `/testimonials/${bySarah.id}`)).testimonial.status, 'rejected');

  const empty = await owner.get('/dashboard/testimonials');
  assert.deepEqual(shownIds(empty), []);
  assert.match(empty.text, /No testimonial matches/);
  const all = await owner.get('/dashboard/testimonials?status=all');
  assert.deepEqual(shownIds(all), await apiIds(c, {}));
  assert.deepEqual(shownIds(all), [old.id, bySarah.id, maya.id]);
  assert.match(rowWith(all, `testimonials/${maya.id}/status`), /approved .* Reject/);
  assert.doesNotMatch(rowWith(all, `testimonials/${maya.id}/status`), /Approve/, 'an approved one can be withdrawn, not approved again');
  assert.match(rowWith(all, `testimonials/${bySarah.id}/status`), /rejected .* Approve/);
  assert.deepEqual(shownIds(await owner.get('/dashboard/testimonials?status=approved')), [old.id, maya.id]);
  assert.deepEqual(shownIds(await owner.get('/dashboard/testimonials?status=rejected')), [bySarah.id]);

  // Pending cannot be set again (the API's schema), nor can an unknown testimonial be moderated: nothing written.
  const refused = await owner.post(`/dashboard/testimonials/${maya.id}/status`, { status: 'pending' });
  assert.equal(refused.status, 400);
  assert.match(textOf(refused.text), /status: must be approved or rejected/);
  assert.equal((await api(c, 'GET', `/testimonials/${maya.id}`)).testimonial.status, 'approved');
  assert.equal((await owner.post('/dashboard/testimonials/999999/status', { status: 'approved' })).status, 404);
  assert.equal((await owner.post('/dashboard/testimonials/abc/status', { status: 'approved' })).status, 404);
});

test('filters by status and rating, 20 a page by cursor with the total, as GET /api/v1/testimonials pages them', async (t) => {
  const { c, owner } = await setUp(t);
  const made: number[] = [];
  for (let i = 0; i < 26; i++) made.push((await submit(c, { name: `Person ${i}`, email: `p${i}@example.com`, rating: (i % 5) + 1, text: `Text ${i}` })).id);
  await api(c, 'PATCH', `/testimonials/${made[0]}`, { status: 'rejected' });

  const first = await owner.get('/dashboard/testimonials');
  assert.equal(shownIds(first).length, 20);
  assert.deepEqual(shownIds(first), await apiIds(c, { status: 'pending', limit: 20 }));
  assert.match(textOf(first.text), /25 testimonials match\./);
  const next = olderLink(first);
  assert.ok(next, 'an Older link');
  const apiFirst = await api(c, 'GET', '/testimonials', undefined, { status: 'pending', limit: 20 });
  const second = await owner.get(next);
  assert.deepEqual(shownIds(second), await apiIds(c, { status: 'pending', limit: 20, cursor: apiFirst.next_cursor }));
  assert.deepEqual([...shownIds(first), ...shownIds(second)], made.slice(1).reverse(), 'every pending one once, newest first');
  assert.match(textOf(second.text), /25 testimonials match\./);
  assert.equal(olderLink(second), undefined);
  assert.match(second.text, /<a href="\/dashboard\/testimonials">First page<\/a>/);

  // By rating: the pending ones of that rating; with status=all the rejected one too; page 2 keeps the filters.
  const fives = await owner.get('/dashboard/testimonials?rating=5');
  assert.deepEqual(shownIds(fives), await apiIds(c, { status: 'pending', rating: 5 }));
  assert.equal(shownIds(fives).length, 5);
  assert.match(textOf(fives.text), /5 testimonials match\./);
  assert.match(fives.text, /<option value="5" selected>/);
  const ones = await owner.get('/dashboard/testimonials?status=all&rating=1');
  assert.deepEqual(shownIds(ones), await apiIds(c, { rating: 1 }));
  assert.ok(shownIds(ones).includes(made[0]!), 'the rejected one among all');
  assert.deepEqual(shownIds(await owner.get('/dashboard/testimonials?status=rejected&rating=1')), [made[0]]);
  assert.match(olderLink(await owner.get('/dashboard/testimonials?status=all')) ?? '', /^\/dashboard\/testimonials\?status=all&cursor=/);

  const bad = await owner.get('/dashboard/testimonials?rating=9');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="f-rating-error">must be at most 5</);
  assert.equal((await owner.get('/dashboard/testimonials?status=published')).status, 400);
});

test('a post without the CSRF token, or by a viewer, is a 403 and changes nothing; a viewer reads the queue with nothing to press', async (t) => {
  const { c, owner } = await setUp(t);
  const maya = await submit(c, { name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already.' });
  await owner.get('/dashboard/testimonials');
  assert.equal((await owner.post(`/dashboard/testimonials/${maya.id}/status`, { status: 'approved' }, { csrf: false })).status, 403);
  assert.equal((await owner.post(`/dashboard/testimonials/${maya.id}/status`, { status: 'approved', _csrf: 'not-the-token' })).status, 403);
  assert.equal((await api(c, 'GET', `/testimonials/${maya.id}`)).testimonial.status, 'pending');

  const viewer = await signedIn(c, { role: 'viewer' });
  const read = await viewer.get('/dashboard/testimonials');
  assert.equal(read.status, 200);
  assert.deepEqual(shownIds(read), [maya.id]);
  assert.match(read.text, /Your role is viewer/);
  assert.ok(!read.text.includes('/status"') && !/>Approve</.test(read.text), 'a viewer has nothing to press');
  assert.equal((await viewer.post(`/dashboard/testimonials/${maya.id}/status`, { status: 'approved' })).status, 403);
  assert.equal((await api(c, 'GET', `/testimonials/${maya.id}`)).testimonial.status, 'pending');
});

test('a queue longer than a total may count (WALK_BUDGET) is still paged, without its total', async (t) => {
  const { c, owner } = await setUp(t);
  // Batches of 1,000 rows by one statement each (one round trip on PostgreSQL), as the lists' bound tests write visits.
  const batch = c.deps.db.prepare(`INSERT INTO testimonials (brand_id, name, email, rating, text, status, source, created_at, updated_at)
    WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < CAST(? AS INTEGER))
    SELECT CAST(? AS TEXT), 'Bulk ' || i, 'bulk' || i || '@example.com', 4, 'Fine', 'pending', 'api', '2026-11-30T12:00:00.000Z', '2026-11-30T12:00:00.000Z'
    FROM n ORDER BY i`);
  for (let from = 0; from < WALK_BUDGET + 1; from += 1_000) {
    const to = Math.min(from + 1_000, WALK_BUDGET + 1);
    await c.deps.db.transaction(() => batch.run(from, to, c.brand.brand_id));
  }
  const counted = await c.call('GET', '/api/v1/testimonials', undefined, { query: { status: 'pending', total: 'true' } });
  assert.equal(counted.status, 400, 'the API refuses to count so many');
  const first = await owner.get('/dashboard/testimonials');
  assert.equal(first.status, 200, first.text.slice(0, 300));
  assert.deepEqual(shownIds(first), await apiIds(c, { status: 'pending', limit: 20 }));
  assert.doesNotMatch(textOf(first.text), /testimonials? match/);
  const second = await owner.get(olderLink(first)!);
  assert.equal(shownIds(second).length, 20);
  assert.ok(Math.max(...shownIds(second)) < Math.min(...shownIds(first)), 'older ones on the next page');
});
