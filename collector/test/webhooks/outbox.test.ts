// The outbox and the write queue: on SQLite, the changes of one group commit's jobs are written together at its COMMIT
// (db/webhooks.ts, writeAtCommit), and still each change is exactly its job's: its own events, ids and time, none of a
// job rolled back, and seen by a read of the queue inside a later job of the same batch. On PostgreSQL each job is its
// own transaction and each change its own row; the same assertions hold, with one row per change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANGES_PER_ROW } from '../../src/db/webhooks.ts';
import type { Ctx } from '../../src/services/context.ts';
import { advocateSubject, expandInJob, publish } from '../../src/webhooks/outbox.ts';
import { startTestCollector, TEST_ENGINE, type TestCollector } from '../support/collector.ts';
import { rows, testClock } from '../support/fixtures.ts';
import { REFUSING_URL, subscribeEndpoint } from '../support/webhookFixtures.ts';

async function collector(t: { after(fn: () => unknown): void }) {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  await subscribeEndpoint(c, ['*'], { url: REFUSING_URL });
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  return { c, clock, ctx: (at: Date): Ctx => ({ q: c.deps.q, brand, now: at }) };
}

/** One job that publishes advocate.created for advocate `n` at `at`, and throws afterwards when `fails`. */
const publishing = (ctx: (at: Date) => Ctx, n: number, at: Date, fails = false) => async () => {
  await publish(ctx(at), 'advocate.created', () => ({ id: n }), advocateSubject(n));
  if (fails) throw new Error(`job ${n} fails after publishing`);
  return n;
};

/**
 * The jobs in one batch: queued in one turn of the event loop on SQLite (its group commit); on PostgreSQL one after
 * another (each its own transaction), so that the order of the changes is the jobs' there too.
 */
async function together<T>(c: TestCollector, jobs: Array<() => Promise<T>>): Promise<PromiseSettledResult<T>[]> {
  if (TEST_ENGINE === 'sqlite') return Promise.allSettled(jobs.map((job) => c.deps.queue.run(job)));
  const settled: PromiseSettledResult<T>[] = [];
  for (const job of jobs) settled.push(...await Promise.allSettled([c.deps.queue.run(job)]));
  return settled;
}

const delivered = async (c: TestCollector) =>
  (await rows(c, 'SELECT event_id, subject, payload, created_at FROM webhook_deliveries ORDER BY id')).map((d) => ({
    subject: d.subject as string, at: d.created_at as string, body: JSON.parse(d.payload as string), eventId: d.event_id as string,
  }));

test('a group commit\'s changes share queued rows, each change with its own events and time; a job rolled back leaves none', async (t) => {
  const { c, ctx } = await collector(t);
  const changes = CHANGES_PER_ROW + 2;
  const base = Date.parse('2026-04-14T12:00:00.000Z');
  // One job in the middle fails after publishing: its event must not be queued, the others' must.
  const failing = 4;
  const settled = await together(c, Array.from({ length: changes + 1 }, (_, n) =>
    publishing(ctx, n, new Date(base + n * 1_000), n === failing)));
  assert.deepEqual(settled.map((s) => s.status), settled.map((_, n) => (n === failing ? 'rejected' : 'fulfilled')));

  const queued = await rows(c, 'SELECT events, created_at FROM webhook_events ORDER BY id');
  // SQLite: the batch's changes in rows of CHANGES_PER_ROW; PostgreSQL: a row each.
  assert.equal(queued.length, TEST_ENGINE === 'sqlite' ? Math.ceil(changes / CHANGES_PER_ROW) : changes);
  assert.equal(queued[0]!.created_at, new Date(base).toISOString(), 'a row is dated by its first change');

  // Rows are taken whole: a limit below a row's changes still takes that row, and no more.
  const first = await c.deps.queue.run(() => c.deps.q.webhooks.expand(1));
  assert.deepEqual(first, TEST_ENGINE === 'sqlite' ? { changes: CHANGES_PER_ROW, deliveries: CHANGES_PER_ROW } : { changes: 1, deliveries: 1 });
  const rest = await c.deps.queue.run(() => c.deps.q.webhooks.expand(500));
  assert.equal(first.changes + rest.changes, changes);
  assert.equal((await rows(c, 'SELECT id FROM webhook_events')).length, 0);

  const expected = Array.from({ length: changes + 1 }, (_, n) => n).filter((n) => n !== failing);
  const got = await delivered(c);
  assert.deepEqual(got.map((d) => d.body.data.id), expected, 'every committed change once, in order, none of the failed job');
  assert.deepEqual(got.map((d) => d.subject), expected.map(advocateSubject));
  // Each change keeps the time its job gave it: in the body and on the delivery.
  assert.deepEqual(got.map((d) => d.at), expected.map((n) => new Date(base + n * 1_000).toISOString()));
  assert.deepEqual(got.map((d) => d.body.timestamp), got.map((d) => d.at));
  assert.equal(new Set(got.map((d) => d.eventId)).size, expected.length, 'an event id each');
});

test('a read of the queue inside a later job of the same batch sees the changes held before it; rolled back, they stay queued', async (t) => {
  const { c, ctx } = await collector(t);
  const at = new Date('2026-04-14T12:00:00.000Z');
  // A job expanding the queue (as an erasure does, to find every delivery naming a person) after a change in the batch.
  const [published, expanded] = await together<number>(c, [publishing(ctx, 1, at), () => expandInJob(c.deps.q)]);
  assert.equal(published!.status, 'fulfilled');
  assert.deepEqual(expanded, { status: 'fulfilled', value: 1 });
  assert.deepEqual((await delivered(c)).map((d) => d.body.data.id), [1]);
  assert.equal((await rows(c, 'SELECT id FROM webhook_events')).length, 0);

  // The same, but the expanding job fails afterwards: what it wrote of the earlier change is rolled back with it, and
  // the change is queued at COMMIT all the same.
  const failingRead = async () => {
    assert.equal(await expandInJob(c.deps.q), 1);
    throw new Error('fails after expanding');
  };
  const settled = await together<number>(c, [publishing(ctx, 2, at), failingRead, publishing(ctx, 3, at)]);
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual((await delivered(c)).map((d) => d.body.data.id), [1]);
  assert.equal((await c.deps.queue.run(() => c.deps.q.webhooks.expand(500))).changes, 2);
  assert.deepEqual((await delivered(c)).map((d) => d.body.data.id), [1, 2, 3]);
});
