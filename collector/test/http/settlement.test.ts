// Due rewards are settled in bounded batches, each its own commit-queue job: before a management request reads or
// writes (settle-on-read), by POST /commissions/approve-due, and by the background sweep driven by the test clock.
// Reads run on the read-only connection and, with nothing due, never enter the write queue.
import { mapInOrder } from '../../src/services/context.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SETTLE_BATCH } from '../../src/services/commissions.ts';
import { SETTLE_WAIT_BATCHES } from '../../src/jobs/settlement.ts';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { manyOrders, recordOrders } from '../support/bulk.ts';
import { DAY_MS, testClock } from '../support/fixtures.ts';

const COOLING = 31 * DAY_MS;

/** Records what every commit-queue job answered: a settlement batch answers the ids it approved. */
function spyOnQueue(c: TestCollector) {
  const jobs: unknown[] = [];
  const run = c.deps.queue.run.bind(c.deps.queue);
  c.deps.queue.run = (<T>(fn: () => T | Promise<T>) => run(async () => {
    const value = await fn();
    jobs.push(value);
    return value;
  })) as typeof c.deps.queue.run;
  return {
    jobs,
    /** the jobs that answered something (bookkeeping such as a key's last use answers nothing) */
    answered: () => jobs.filter((value) => value !== undefined),
    /** the sizes of the settlement batches among the jobs (arrays of ids) */
    batches: () => jobs.filter(Array.isArray).map((ids) => ids.length),
    reset: () => { jobs.length = 0; },
  };
}

const approvedCount = async (c: TestCollector, brand = c.brand) =>
  (await c.call('GET', '/api/v1/commissions', undefined, { brand, query: { status: 'approved', total: 'true', limit: 1 } })).body.data.total;

test('a read settles the brand\'s due backlog batch by batch, each batch its own job, and then sees all of it', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const rest = Math.ceil(SETTLE_BATCH * 0.37); // a last, partial batch
  const due = 2 * SETTLE_BATCH + rest;
  await recordOrders(c, manyOrders(due, 'JOHN123', 10), clock.now());
  const queue = spyOnQueue(c);

  // Nothing is due yet: the read runs on the read connection, no job at all.
  assert.equal(await approvedCount(c), 0);
  assert.deepEqual(queue.answered(), []);

  clock.advance(COOLING);
  assert.equal(await approvedCount(c), due, 'the read reflects every due reward');
  assert.deepEqual(queue.batches(), [SETTLE_BATCH, SETTLE_BATCH, rest], 'bounded batches, one job each');
  queue.reset();
  assert.equal(await approvedCount(c), due);
  assert.deepEqual(queue.answered(), [], 'settled: the next read enters no job');
});

test('approve-due settles in batches and answers the count, at most SETTLE_WAIT_BATCHES batches (oldest due first), the rest in the background', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const first = await recordOrders(c, manyOrders(700, 'JOHN123', 10, 'A'), clock.now());
  clock.advance(DAY_MS);
  await recordOrders(c, manyOrders(600, 'V2AVMRDJ', 10, 'B'), clock.now());
  const rewardOf = async (conversionId: number) => (await c.deps.q.rewards.findByConversion(c.brand.brand_id, conversionId))[0]!.id;
  clock.advance(COOLING);
  const queue = spyOnQueue(c);
  const res = await c.call('POST', '/api/v1/commissions/approve-due', {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const waited = SETTLE_WAIT_BATCHES * SETTLE_BATCH;
  assert.deepEqual([res.body.data.approved, res.body.data.commissions.length, res.body.data.truncated, res.body.data.remaining],
    [waited, waited, false, true]);
  assert.deepEqual(res.body.data.commissions.slice(0, 700), await mapInOrder(first, rewardOf), 'oldest due first');
  await c.deps.settlement.drained();
  assert.deepEqual(queue.batches(), [...Array(Math.floor(1300 / SETTLE_BATCH)).fill(SETTLE_BATCH), 1300 % SETTLE_BATCH].filter(Boolean),
    'bounded batches, the request\'s and the background\'s');
  const again = await c.call('POST', '/api/v1/commissions/approve-due', {});
  assert.deepEqual(again.body.data, { approved: 0, commissions: [], truncated: false, remaining: false });
});

test('the background sweep settles every brand\'s backlog at the injected clock, in bounded batches', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const other = await c.addBrand();
  // The first brand: one full batch and a partial one; the other: less than a batch.
  const rest = Math.ceil(SETTLE_BATCH * 0.4);
  const otherDue = SETTLE_BATCH - 3;
  await recordOrders(c, manyOrders(SETTLE_BATCH + rest, 'JOHN123', 10), clock.now());
  await recordOrders(c, manyOrders(otherDue, 'JOHN123', 10), clock.now(), other);
  const queue = spyOnQueue(c);
  assert.equal(await c.deps.settlement.sweepOnce(), 0, 'nothing due yet');
  assert.deepEqual(queue.answered(), []);
  clock.advance(COOLING);
  assert.equal(await c.deps.settlement.sweepOnce(), SETTLE_BATCH + rest + otherDue);
  assert.deepEqual(queue.batches().sort((a, b) => a - b), [rest, otherDue, SETTLE_BATCH]);
  queue.reset();
  assert.deepEqual([await approvedCount(c), await approvedCount(c, other)], [SETTLE_BATCH + rest, otherDue]);
  assert.deepEqual(queue.answered(), [], 'the reads found nothing left to settle');
});
