// A person's data on request and its erasure (GET and DELETE /api/v1/people): the export holds every row of the person
// and nobody else's; after an erasure no table and no byte of the database files holds what identified them, while the
// books (amounts, commissions, counters, per-day totals) are unchanged and every list still answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { startTestCollector, TEST_ENGINE, type TestBrand, type TestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, advocateId, assertError, pgPlanNodes, row, rows, tableNames, testClock } from '../support/fixtures.ts';
import { createPeopleQueries } from '../../src/db/people.ts';
import { sqlFor, type Sql } from '../../src/db/port.ts';

const EMAIL = 'zelda.quixote@person.example';
const NAME = 'Zelda Quixote';
const PHONE = '+1-555-0199-4242';
const VISITOR = 'vis-zq-7f3a9c';
const VISITOR_2 = 'vis-zq-second-device';
const PAYPAL = 'zq.payouts@wallet.example';
/** Strings only the person's data holds: none of them may be left anywhere after the erasure (checked case-insensitively). */
const IDENTIFYING = [EMAIL, NAME, PHONE, VISITOR, VISITOR_2, PAYPAL, 'zelda', 'quixote', 'zq-landing-marker', 'zq-referrer-marker',
  'zq-meta-marker', 'zq-refund-reason'];

const person = (c: TestCollector, email = EMAIL, brand?: TestBrand) =>
  c.call('GET', '/api/v1/people', undefined, { query: { email }, ...(brand ? { brand } : {}) });
const erase = (c: TestCollector, email = EMAIL, brand?: TestBrand) =>
  c.call('DELETE', '/api/v1/people', undefined, { query: { email }, ...(brand ? { brand } : {}) });

function ok(res: { status: number; body: any }, status = 200) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body.data;
}

interface Seeded { claimIds: number[]; conversionIds: number[]; refundIds: number[]; visitIds: number[]; advocateId: number; rewardIds: number[] }

/**
 * The person in `brand`: two visits on two devices, a claim, two orders (one refunded in part), all with identifying
 * fields and Idempotency-Keys; and the same person as an advocate (code ZQ2026) with a pending, an approved and a paid
 * commission from other customers' orders, and points.
 */
async function seedPerson(c: TestCollector, clock: ReturnType<typeof testClock>, brand: TestBrand, tag: string): Promise<Seeded> {
  const opts = (key: string) => ({ brand, headers: { 'Content-Type': 'application/json', 'X-API-Key': brand.secret_key, 'X-Brand-ID': brand.brand_id, 'Idempotency-Key': `${tag}-zelda-${key}` } });
  const visitIds: number[] = [];
  for (const visitor of [VISITOR, VISITOR_2]) {
    ok(await c.post(PATHS.visit, {
      referral_code: 'V2AVMRDJ', visitor_id: visitor, landing_page: `https://shop.test/?ref=V2AVMRDJ&zq-landing-marker=${visitor}`,
      referrer: 'https://mail.example/zq-referrer-marker', utm_source: 'newsletter',
    }, opts(`visit-${visitor}`)));
    visitIds.push((await row(c, 'SELECT max(id) AS id FROM visits')).id);
  }
  const claim = ok(await c.post(PATHS.claim, {
    referral_code: 'V2AVMRDJ', email: EMAIL.toUpperCase(), name: NAME, phone: PHONE, visitor_id: VISITOR, raw_value: 120,
    metadata: { note: 'zq-meta-marker' },
  }, opts('claim')), 201);
  const first = ok(await c.post(PATHS.conversion, {
    customer_email: EMAIL, customer_name: NAME, visitor_id: VISITOR, order_id: `${tag}-ORDER-1`, order_value: 100, claim_id: claim.claim_id,
    metadata: { gift_message: 'zq-meta-marker' },
  }, opts('order-1')), 201);
  const second = ok(await c.post(PATHS.conversion, {
    customer_email: EMAIL, customer_name: NAME, visitor_id: VISITOR_2, order_id: `${tag}-ORDER-2`, order_value: 50,
  }, { brand }), 201);
  const refund = ok(await c.post(PATHS.refund, {
    order_id: `${tag}-ORDER-1`, refund_amount: 20, is_full_refund: false, refund_reason: 'zq-refund-reason', metadata: { why: 'zq-meta-marker' },
  }, opts('refund')));
  void refund;
  // As an advocate: created with an Idempotency-Key (its stored answer holds the email and name).
  const advocate = ok(await c.call('POST', '/api/v1/advocates', {
    email: EMAIL, name: NAME, referral_code: `ZQ${tag}`, payment_method: 'paypal', payment_details: PAYPAL, metadata: { zq: 'zq-meta-marker' },
  }, { brand, headers: { 'Idempotency-Key': `${tag}-zelda-advocate` } }), 201).advocate;
  const rewardIds: number[] = [];
  for (let i = 0; i < 3; i++) {
    const conv = ok(await c.post(PATHS.conversion, {
      customer_email: `friend${i}.${tag}@other.example`, order_id: `${tag}-FRIEND-${i}`, order_value: 200, referral_code: `ZQ${tag}`,
    }, { brand }), 201);
    rewardIds.push(conv.reward.id);
  }
  ok(await c.call('PUT', `/api/v1/commissions/${rewardIds[1]}/status`, { status: 'approved' }, { brand }));
  ok(await c.call('PUT', `/api/v1/commissions/${rewardIds[2]}/status`, { status: 'approved' }, { brand }));
  ok(await c.call('POST', '/api/v1/payouts', { commission_ids: [rewardIds[2]], clawbacks: [], note: 'batch 1' }, { brand }));
  ok(await c.call('POST', `/api/v1/advocates/${advocate.id}/points`, { amount: 25, type: 'award', description: 'welcome' }, { brand }));
  clock.advance(1000);
  const refundIds = (await rows(c, 'SELECT id FROM refunds WHERE brand_id = ? AND conversion_id = ?', brand.brand_id, first.conversion_id)).map((r) => r.id);
  return { claimIds: [claim.claim_id], conversionIds: [first.conversion_id, second.conversion_id], refundIds, visitIds, advocateId: advocate.id, rewardIds };
}

/** Someone else in the same brand, through the same advocate, to show the export and erasure leave them alone. */
async function seedOther(c: TestCollector, brand: TestBrand) {
  ok(await c.post(PATHS.visit, { referral_code: 'V2AVMRDJ', visitor_id: 'vis-other-1' }, { brand }));
  ok(await c.post(PATHS.claim, { referral_code: 'V2AVMRDJ', email: 'other@person.example', name: 'Otto Other', visitor_id: 'vis-other-1' }, { brand }), 201);
  ok(await c.post(PATHS.conversion, { customer_email: 'other@person.example', visitor_id: 'vis-other-1', order_id: 'OTHER-1', order_value: 80 }, { brand }), 201);
}

const ids = (list: Array<{ id: number }>) => list.map((r) => r.id).sort((a, b) => a - b);
const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

test('GET /people answers every row of the person and none of anyone else, another brand\'s person with the same email included', async () => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  try {
    const other = await c.addBrand();
    await seedOther(c, c.brand);
    const mine = await seedPerson(c, clock, c.brand, 'A');
    const theirs = await seedPerson(c, clock, other, 'B');

    const p = ok(await person(c, '  Zelda.Quixote@Person.Example ')).person;
    assert.equal(p.email, EMAIL);
    assert.deepEqual(ids(p.customer.claims), sorted(mine.claimIds));
    assert.deepEqual(ids(p.customer.conversions), sorted(mine.conversionIds));
    assert.deepEqual(ids(p.customer.refunds), sorted(mine.refundIds));
    assert.deepEqual(ids(p.customer.visits), sorted(mine.visitIds));
    assert.deepEqual(p.customer.visitor_ids.sort(), [VISITOR, VISITOR_2].sort());
    assert.equal(p.customer.claims[0].phone, PHONE);
    assert.equal(p.customer.claims[0].name, NAME);
    assert.equal(p.customer.conversions[0].order_value_cents, 10000);
    assert.equal(p.customer.visits[0].referrer, 'https://mail.example/zq-referrer-marker');
    assert.equal(p.advocate.profile.id, mine.advocateId);
    assert.equal(p.advocate.profile.payment_details, PAYPAL);
    assert.deepEqual(p.advocate.codes.map((x: { code: string }) => x.code), ['ZQA']);
    assert.deepEqual(ids(p.advocate.commissions), sorted(mine.rewardIds));
    assert.deepEqual(p.advocate.commissions.map((r: { status: string }) => r.status), ['pending', 'approved', 'paid']);
    // created x3, approved x2, paid x1
    assert.equal(p.advocate.commission_history.length, 6);
    assert.deepEqual(p.advocate.points.map((x: { amount: number }) => x.amount), [25]);
    assert.deepEqual(p.advocate.payouts.map((x: { commissions: number; amount_cents: number }) => [x.commissions, x.amount_cents]), [[1, 2000]]);
    assert.deepEqual(p.erasures, []);
    // Nothing of the other brand, nothing of the other customer: no row carries a brand_id, and no id is theirs.
    const all = JSON.stringify(p);
    assert.doesNotMatch(all, /brand_id/);
    assert.doesNotMatch(all, /other@person\.example|vis-other-1|Otto/);
    for (const id of theirs.conversionIds) assert.ok(!p.customer.conversions.some((x: { id: number }) => x.id === id));
    assert.ok(!p.advocate.commissions.some((x: { id: number }) => theirs.rewardIds.includes(x.id)));

    // The other brand answers its own person, with its own ids.
    const q = ok(await person(c, EMAIL, other)).person;
    assert.deepEqual(ids(q.customer.conversions), sorted(theirs.conversionIds));
    assert.equal(q.advocate.profile.id, theirs.advocateId);

    // Nobody: an empty answer, not a 404.
    const nobody = ok(await person(c, 'nobody@person.example')).person;
    assert.deepEqual([nobody.customer.claims, nobody.customer.conversions, nobody.customer.visits, nobody.advocate], [[], [], [], null]);

    // Erasing in one brand leaves the other brand's person whole.
    ok(await erase(c));
    const after = ok(await person(c, EMAIL, other)).person;
    assert.deepEqual(ids(after.customer.conversions), sorted(theirs.conversionIds));
    assert.equal(after.customer.claims[0].name, NAME);
    assert.equal(after.advocate.profile.email, EMAIL);
    assert.deepEqual(after.erasures, []);
  } finally {
    await c.close();
  }
});

test('GET and DELETE /people refuse a missing or malformed email with a 400 naming it, and a publishable key', async () => {
  const c = await startTestCollector();
  try {
    assertError(await c.call('GET', '/api/v1/people'), 400, 'invalid_request', 'email');
    assertError(await person(c, 'not-an-email'), 400, 'invalid_request', 'email');
    assertError(await c.call('DELETE', '/api/v1/people'), 400, 'invalid_request', 'email');
    assertError(await erase(c, 'no@'), 400, 'invalid_request', 'email');
    assertError(await c.call('DELETE', '/api/v1/people', { email: 42 }), 400, 'invalid_request', 'email');
    const pk = { 'X-API-Key': c.brand.publishable_key, 'X-Brand-ID': c.brand.brand_id };
    assert.equal((await c.request('GET', `/api/v1/people?email=${encodeURIComponent(EMAIL)}`, { headers: pk })).status, 403);
    assert.equal((await c.request('DELETE', `/api/v1/people?email=${encodeURIComponent(EMAIL)}`, { headers: pk })).status, 403);
    assert.equal((await row(c, 'SELECT count(*) AS n FROM erasures')).n, 0);
  } finally {
    await c.close();
  }
});

/** Every text of every row of every table (FTS shadow tables, or PostgreSQL's search tables, included), lower-cased. */
async function everyText(c: TestCollector): Promise<string> {
  const tables = await tableNames(c, { internal: true });
  const texts: string[] = [];
  for (const t of tables) texts.push(JSON.stringify(await rows(c, `SELECT * FROM "${t}"`), (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v)));
  return texts.join('\n').toLowerCase();
}

/** The database file and its -wal, as bytes, lower-cased (after a checkpoint, as the erasure itself makes). */
function fileBytes(c: TestCollector): string {
  const name = c.deps.config.dbPath;
  const parts = [name, `${name}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1'));
  return parts.join('').toLowerCase();
}

const totals = async (c: TestCollector) => ({
  advocates: await rows(c, `SELECT id, conversion_count, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents, points_balance
    FROM advocates ORDER BY id`),
  daily: await rows(c, 'SELECT * FROM daily_totals ORDER BY brand_id, day'),
  sources: await rows(c, 'SELECT * FROM daily_sources ORDER BY brand_id, day, share_channel, utm_source'),
  clicks: await rows(c, 'SELECT id, click_count FROM referral_codes ORDER BY id'),
  conversions: await rows(c, `SELECT id, advocate_id, code, order_value_cents, paid_cents, refunded_cents, order_id FROM conversions ORDER BY id`),
  rewards: await rows(c, 'SELECT id, advocate_id, amount, status, clawed_back FROM rewards ORDER BY id'),
});

test('DELETE /people: no table and no byte of the database files holds the person afterwards; the books, counters and lists are unchanged', async () => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  try {
    await seedOther(c, c.brand);
    const seeded = await seedPerson(c, clock, c.brand, 'A');
    // Before: the person is everywhere this test will look.
    const before = await everyText(c);
    for (const s of IDENTIFYING) assert.ok(before.includes(s.toLowerCase()), `seeded ${s}`);
    assert.ok((await row(c, "SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE '%zelda%'")).n >= 5);
    const books = await totals(c);
    const sarah = await advocateId(c, 'V2AVMRDJ');

    const res = ok(await erase(c, 'ZELDA.QUIXOTE@person.example'));
    assert.equal(res.already_erased, false);
    assert.deepEqual(res.erasure.counts, {
      commissions_rejected: 2, codes_deactivated: 1, advocates: 1, claims: 1, conversions: 2, refunds: 1, refund_notes: 1, visits: 2,
      idempotency_answers: 6,
    });
    assert.equal(res.erasure.actor, 'api');
    assert.equal(typeof res.erasure.key_id, 'number');

    // By queries: no table holds any of it, in any column (the FTS shadow tables included).
    const after = await everyText(c);
    for (const s of IDENTIFYING) assert.ok(!after.includes(s.toLowerCase()), `a table still holds ${s}`);
    // By bytes: the erasure emptied the -wal file; free pages and cells were zeroed (secure_delete). SQLite only: on
    // PostgreSQL the files are the server's, and an updated or deleted row stays in its page until VACUUM reuses the
    // space, and in the WAL and the backups (no secure_delete there: the baseline migration's top comment, README).
    if (TEST_ENGINE === 'sqlite') {
      const bytes = fileBytes(c);
      for (const s of IDENTIFYING) assert.ok(!bytes.includes(s.toLowerCase()), `the database file still holds ${s}`);
    }
    // The erasure record keeps the hash, never the email.
    const record = await row(c, 'SELECT * FROM erasures');
    assert.match(record.email_hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(record).includes('zelda'));

    // The books: what the person's conversions pay Sarah, every advocate counter but the erased advocate's own unpaid
    // cash, per-day totals, clicks, amounts and order ids.
    const now = await totals(c);
    // Per-day totals: only the erased advocate's unpaid commissions moved (to rejected, which counts in none).
    const unpaid = (status: string) => books.rewards.filter((r: { advocate_id: number; status: string }) => r.advocate_id === seeded.advocateId && r.status === status)
      .reduce((sum: number, r: { amount: number }) => sum + r.amount, 0);
    assert.deepEqual([unpaid('pending'), unpaid('approved')], [2000, 2000]);
    assert.deepEqual(now.daily, books.daily.map((d: { pending_cents: number; approved_cents: number }) =>
      ({ ...d, pending_cents: d.pending_cents - unpaid('pending'), approved_cents: d.approved_cents - unpaid('approved') })));
    assert.deepEqual(now.sources, books.sources);
    assert.deepEqual(now.clicks, books.clicks);
    assert.deepEqual(now.conversions, books.conversions);
    const erasedAdvocate = (list: Array<{ id: number }>) => list.filter((a) => a.id !== seeded.advocateId);
    assert.deepEqual(erasedAdvocate(now.advocates), erasedAdvocate(books.advocates));
    const zq = now.advocates.find((a: { id: number }) => a.id === seeded.advocateId);
    const zqBefore = books.advocates.find((a: { id: number }) => a.id === seeded.advocateId);
    assert.deepEqual({ ...zq, pending_cents: zqBefore.pending_cents, approved_cents: zqBefore.approved_cents }, zqBefore);
    assert.deepEqual([zq.pending_cents, zq.approved_cents, zq.paid_cents], [0, 0, 2000]);
    const sarahRewards = (list: Array<{ advocate_id: number }>) => list.filter((r) => r.advocate_id === sarah);
    assert.deepEqual(sarahRewards(now.rewards), sarahRewards(books.rewards));
    assert.ok(sarahRewards(now.rewards).length >= 2, 'Sarah earns on the erased customer\'s orders');

    // Marked erased; the erased advocate blocked, code inactive, unpaid commissions rejected with the reason in history.
    for (const id of seeded.conversionIds) assert.ok((await row(c, 'SELECT erased_at FROM conversions WHERE id = ?', id)).erased_at);
    assert.ok((await row(c, 'SELECT erased_at FROM claims WHERE id = ?', seeded.claimIds[0])).erased_at);
    const conversion = ok(await c.call('GET', `/api/v1/conversions/${seeded.conversionIds[0]}`));
    assert.equal(JSON.stringify(conversion).includes('zelda'), false);
    const advocate = ok(await c.call('GET', `/api/v1/advocates/${seeded.advocateId}`)).advocate;
    assert.equal(advocate.status, 'blocked');
    assert.ok(advocate.referral_codes.length === 1 && advocate.referral_codes.every((x: { status: string }) => x.status === 'inactive'));
    for (const [i, status] of [[0, 'rejected'], [1, 'rejected'], [2, 'paid']] as const) {
      const commission = ok(await c.call('GET', `/api/v1/commissions/${seeded.rewardIds[i]}`)).commission;
      assert.equal(commission.status, status);
      if (status === 'rejected') assert.match(commission.reason, /erased at their request/);
    }

    // Every list and export still answers.
    for (const path of ['/advocates', '/advocates?search=ZQA', '/referrals', '/commissions', '/visits', '/claims', '/conversions',
      '/payouts', '/settings', '/conversions/export', '/commissions/export', '/payouts/export', `/advocates/${seeded.advocateId}/points`,
      `/referrals/ZQA`, `/claims/${seeded.claimIds[0]}`]) {
      const r = await c.call('GET', `/api/v1${path}`);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    }

    // Again: harmless, the first erasure answered, nothing recorded twice.
    const again = ok(await erase(c));
    assert.equal(again.already_erased, true);
    assert.equal(again.erasure.erasure_id, res.erasure.erasure_id);
    assert.equal((await row(c, 'SELECT count(*) AS n FROM erasures')).n, 1);
    // A later request is told it was done, and nothing of the person is found.
    const told = ok(await person(c)).person;
    assert.deepEqual(told.erasures.map((e: { erasure_id: number }) => e.erasure_id), [res.erasure.erasure_id]);
    assert.deepEqual([told.customer.claims, told.customer.conversions, told.customer.visits, told.advocate], [[], [], [], null]);

    // The same email later is a new person: a new advocate, a first referred order that earns.
    const back = ok(await c.post(PATHS.conversion, { customer_email: EMAIL, order_id: 'BACK-1', order_value: 60, referral_code: 'JOHN123' }), 201);
    assert.equal(back.reward.status, 'pending');
    ok(await c.call('POST', '/api/v1/advocates', { email: EMAIL, name: 'Z. Q.' }), 201);
    const reborn = ok(await person(c)).person;
    assert.deepEqual(ids(reborn.customer.conversions), [back.conversion_id]);
    assert.equal(reborn.erasures.length, 1);
  } finally {
    await c.close();
  }
});

/** A collector on the test clock with the person seeded in its first brand; closed after `run`. */
async function withPerson(run: (c: TestCollector, clock: ReturnType<typeof testClock>, seeded: Seeded) => Promise<void>) {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  try {
    await run(c, clock, await seedPerson(c, clock, c.brand, 'A'));
  } finally {
    await c.close();
  }
}

test('an erasure is all or nothing: a failure inside it leaves every row as it was', () => withPerson(async (c) => {
  const before = await everyText(c);
  const real = c.deps.q.people.eraseAnswers;
  c.deps.q.people.eraseAnswers = () => { throw new Error('disk on fire'); };
  const failed = await erase(c);
  assert.equal(failed.status, 500);
  c.deps.q.people.eraseAnswers = real;
  assert.equal(await everyText(c), before);
  assert.equal((await row(c, 'SELECT count(*) AS n FROM erasures')).n, 0);
  ok(await erase(c));
}));

test('an advocate\'s unpaid commissions can be paid before the erasure: then nothing is rejected', () => withPerson(async (c, clock, seeded) => {
  // Approve early (an operator override) and pay, as a brand that chooses to pay out first does.
  ok(await c.call('PUT', `/api/v1/commissions/${seeded.rewardIds[0]}/status`, { status: 'approved' }));
  ok(await c.call('POST', '/api/v1/payouts', { commission_ids: seeded.rewardIds.slice(0, 2), clawbacks: [], note: 'before erasure' }));
  clock.advance(DAY_MS);
  const res = ok(await erase(c));
  assert.equal(res.erasure.counts.commissions_rejected, 0);
  const statuses = (await rows(c, 'SELECT status FROM rewards WHERE advocate_id = ? ORDER BY id', seeded.advocateId)).map((r) => r.status);
  assert.deepEqual(statuses, ['paid', 'paid', 'paid']);
}));

test('every statement of the person queries seeks an index of its brand: none scans a table or a whole index', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const db = c.deps.db;
  const statements: string[] = [];
  const recording = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: Sql) => { statements.push(sqlFor(sql, db.dialect)); return target.prepare(sql); };
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  createPeopleQueries(recording);
  assert.ok(statements.length >= 20);
  for (const sql of statements) if (!sql.startsWith('INSERT')) assert.match(sql, /brand_id = [?@]/, `filters by brand: ${sql}`);
  if (db.dialect === 'pg') {
    await pgPlansSeek(c, statements);
    return;
  }
  for (const sql of statements) {
    const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
    const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    const plan = (names.length ? await explain.all(Object.fromEntries(names.map((n) => [n, '[1]'])))
      : await explain.all(...Array((sql.match(/\?/g) ?? []).length).fill('[1]'))) as Array<{ detail: string }>;
    for (const { detail } of plan) {
      // (An ORDER BY may sort the few rows a seek found: one person's.)
      assert.doesNotMatch(detail, /^SCAN (?!json_each)/, `${detail} in ${sql}`);
      // A seek on brand_id alone walks the whole brand: the person's own column must be in the index too.
      assert.doesNotMatch(detail, /\(brand_id=\?\)$/, `${detail} in ${sql}`);
    }
  }
});

/**
 * PostgreSQL's side of the test above. Its planner chooses by statistics, and these tables are empty, so which index
 * a seek takes here says nothing (the indexes are SQLite's, schema-engines.test.ts compares them). What is checked,
 * with sequential scans priced out (pgPlanNodes): every table a statement reads is reached through an index on its
 * brand, and each stored-answer delete is served by its own expression index (the statement's jsonb expression is
 * the index's, written the same).
 */
async function pgPlansSeek(c: TestCollector, statements: string[]) {
  let answerDeletes = 0;
  for (const sql of statements) {
    if (sql.startsWith('INSERT')) continue;
    const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
    // '1' is a valid text, bigint and JSON value alike (EXPLAIN plans the statement, it does not run it).
    const nodes = names.length ? await pgPlanNodes(c, sql, Object.fromEntries(names.map((n) => [n, '1'])))
      : await pgPlanNodes(c, sql, ...Array((sql.match(/\?/g) ?? []).length).fill('1'));
    const seeks = nodes.filter((n) => n['Index Cond'] !== undefined);
    assert.ok(seeks.length > 0, `no index in ${sql}`);
    for (const n of nodes) assert.notEqual(n['Node Type'], 'Seq Scan', `a scan of ${n['Relation Name']} in ${sql}`);
    for (const n of seeks) assert.match(n['Index Cond']!, /\(brand_id = /, `${n['Index Name']}: ${n['Index Cond']} in ${sql}`);
    const path = /response::jsonb #>> '(\{[a-z_,]+\})'/.exec(sql)?.[1];
    if (path) {
      answerDeletes++;
      assert.ok(seeks.some((n) => /^idempotency_/.test(n['Index Name'] ?? '') && n['Index Cond']!.includes(`(response)::jsonb #>> '${path}'::text[]`)),
        `the expression index of ${path} serves ${sql}: ${JSON.stringify(seeks)}`);
    }
  }
  assert.equal(answerDeletes, 8, "migration 011's five, and 015's three of the entered referral records");
}
