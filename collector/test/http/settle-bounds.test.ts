// Settle-on-read waits for a bounded backlog only: at most SETTLE_WAIT_BATCHES batches; past it the rest is settled in
// the background and the request is a 503 to retry (never an answer showing due rewards as pending), while
// approve-due answers what it approved and `remaining`.
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { signedIn } from '../support/dashboard.ts';
import { advocateId, assertError, testClock } from '../support/fixtures.ts';
import { SETTLE_WAIT_BATCHES } from '../../src/jobs/settlement.ts';
import { SETTLE_BATCH } from '../../src/services/commissions.ts';

const BOUND = SETTLE_WAIT_BATCHES * SETTLE_BATCH;

/** `n` pending commissions of JOHN123 whose cooling period ended a day before `now`. */
async function seedDue(c: TestCollector, n: number, now: Date, tag: string): Promise<void> {
  const brandId = c.brand.brand_id;
  const john = await advocateId(c, 'JOHN123');
  const at = new Date(now.getTime() - 40 * 86_400_000).toISOString();
  const due = new Date(now.getTime() - 86_400_000).toISOString();
  const conversion = c.deps.db.prepare(`INSERT INTO conversions (brand_id, order_id, email, advocate_id, code, attribution,
    order_value_cents, paid_cents, created_at) VALUES (?, ?, 'x@example.com', ?, 'JOHN123', 'code', 1000, 1000, ?)`);
  // Every commission records its campaign (the brand's default here).
  const campaignId = (await c.deps.q.brands.getBrand(brandId))!.defaultCampaignId;
  const reward = c.deps.db.prepare(`INSERT INTO rewards (brand_id, advocate_id, conversion_id, level, campaign_id, kind, original_amount, amount,
    status, available_at, created_at, updated_at, uuid) VALUES (?, ?, ?, 1, ?, 'cash', 100, 100, 'pending', ?, ?, ?, ?)`);
  await c.deps.db.transaction(async () => {
    for (let i = 0; i < n; i++) {
      await reward.run(brandId, john, Number((await conversion.run(brandId, `${tag}-${i}`, john, at)).lastInsertRowid), campaignId, due, at, at, randomUUID());
    }
  });
}

const pendingDue = async (c: TestCollector, now: Date) => await c.deps.db.prepare(
  `SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at <= ?`,
{ pluck: true }).get(c.brand.brand_id, now.toISOString()) as number;

test('a backlog longer than a request waits for: a 503 settling with Retry-After, settled on in the background; then the read answers', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  await seedDue(c, BOUND + 50, clock.now(), 'big');
  const res = await c.call('GET', '/api/v1/commissions', undefined, { query: { status: 'pending' } });
  assertError(res, 503, 'settling');
  assert.equal(res.headers.get('retry-after'), '1');
  assert.ok(await pendingDue(c, clock.now()) <= 50, 'the request waited for its batches: at most the rest is due');
  await c.deps.settlement.drained();
  assert.equal(await pendingDue(c, clock.now()), 0, 'the background drain settled the rest');
  const listed = await c.call('GET', '/api/v1/commissions', undefined, { query: { status: 'pending' } });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.data.commissions, []);

  // Within the bound: settled before the answer, as before.
  await seedDue(c, BOUND - 10, clock.now(), 'small');
  const approved = await c.call('GET', '/api/v1/commissions', undefined, { query: { status: 'approved', limit: 1, total: 'true' } });
  assert.equal(approved.status, 200);
  assert.equal(approved.body.data.total, BOUND + 50 + BOUND - 10);
  assert.equal(await pendingDue(c, clock.now()), 0);
});

test('approve-due on a long backlog approves what one request waits for, says remaining, and the rest follows in the background', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  await seedDue(c, BOUND + 30, clock.now(), 'due');
  const res = await c.call('POST', '/api/v1/commissions/approve-due', {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual([res.body.data.approved, res.body.data.remaining, res.body.data.truncated], [BOUND, true, false]);
  await c.deps.settlement.drained();
  assert.equal(await pendingDue(c, clock.now()), 0);
  const again = await c.call('POST', '/api/v1/commissions/approve-due', {});
  assert.deepEqual([again.body.data.approved, again.body.data.remaining], [0, false]);
});

test('the dashboard settles as the API does: a page during a long backlog is a 503 that says so, then the page answers', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const owner = await signedIn(c);
  await seedDue(c, BOUND + 20, clock.now(), 'dash');
  const busy = await owner.get('/dashboard/commissions?status=pending');
  assert.equal(busy.status, 503);
  assert.equal(busy.headers.get('retry-after'), '1');
  assert.match(busy.text, /being approved/);
  assert.ok(await pendingDue(c, clock.now()) <= 20);
  await c.deps.settlement.drained();
  assert.equal((await owner.get('/dashboard/commissions?status=pending')).status, 200);
  assert.equal(await pendingDue(c, clock.now()), 0);
});
