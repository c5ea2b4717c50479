// The per-day totals of migration 009 (kept by triggers) equal, after every step of an HTTP scenario, the GROUP BY
// over the rows that defines them (kept here as the reference), across UTC day boundaries, refunds and status
// changes; the migration backfills the same from existing rows; and the overview use case answers what the API's
// own lists answer.
import { sqliteHandle } from '../src/db/sqlite/conn.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../src/db/migrate.ts';
import { lastDays, previousRange, topWithinBounds } from '../src/domain/overview.ts';
import { overview } from '../src/services/overview.ts';
import { onlyOnSqlite, startTestCollector, type TestBrand, type TestCollector } from './support/collector.ts';
import { DAILY_FROM_ROWS as FROM_ROWS, DAILY_STORED as STORED } from './support/definitions.ts';
import { DAY_MS, PATHS, advocateId, payoutLines, testClock } from './support/fixtures.ts';

async function assertTotals(c: TestCollector, step: string, opts: { refundRows?: boolean } = {}) {
  const db = c.deps.db;
  for (const table of Object.keys(FROM_ROWS) as Array<keyof typeof FROM_ROWS>) {
    assert.deepEqual(await db.prepare(`SELECT * FROM ${table} ${STORED[table]}`).all(), await db.prepare(FROM_ROWS[table]).all(), `${table} after ${step}`);
  }
  // What refunded_cents sums is what the refunds recorded: each conversion's total is its last refund's.
  if (opts.refundRows === false) return;
  assert.deepEqual(await db.prepare(`SELECT c.id FROM conversions c WHERE c.refunded_cents <> coalesce((SELECT r.total_refunded_cents FROM refunds r
    WHERE r.brand_id = c.brand_id AND r.conversion_id = c.id ORDER BY r.id DESC LIMIT 1), 0)`).all(), [], step);
}

/** The scenario's calls, each followed by the check. */
function steps(c: TestCollector) {
  const ok = (r: { status: number; body: unknown }, status: number, what: string) => assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
  return {
    async visit(code: string, extra: Record<string, string> = {}, brand?: TestBrand) {
      ok(await c.post(PATHS.visit, { referral_code: code, ...extra }, brand ? { brand } : {}), 200, `visit ${code}`);
      await assertTotals(c, `visit ${code}`);
    },
    async claim(code: string, email: string) {
      ok(await c.post(PATHS.claim, { referral_code: code, email }), 201, `claim ${email}`);
      await assertTotals(c, `claim ${email}`);
    },
    async convert(orderId: string, body: Record<string, unknown>, brand?: TestBrand) {
      const r = await c.post(PATHS.conversion, { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, ...body }, brand ? { brand } : {});
      ok(r, 201, `conversion ${orderId}`);
      await assertTotals(c, `conversion ${orderId}`);
      return r.body.data;
    },
    async refund(orderId: string, amount: number, full: boolean) {
      ok(await c.post(PATHS.refund, { order_id: orderId, refund_amount: amount, is_full_refund: full, refund_reason: 'returned' }), 200, `refund ${orderId}`);
      await assertTotals(c, `refund ${orderId} ${amount}`);
    },
    async status(id: number, status: string) {
      ok(await c.call('PUT', `/api/v1/commissions/${id}/status`, { status, ...(status === 'rejected' ? { reason: 'test' } : {}) }), 200, `status ${status}`);
      await assertTotals(c, `commission ${id} ${status}`);
    },
    async approveDue() {
      ok(await c.call('POST', '/api/v1/commissions/approve-due'), 200, 'approve-due');
      await assertTotals(c, 'approve-due');
    },
    async payAll() {
      const lines = payoutLines((await c.call('GET', '/api/v1/payouts')).body.data) as any[];
      const r = await c.call('POST', '/api/v1/payouts', {
        commission_ids: lines.filter((l) => l.type === 'commission').map((l) => l.commission_id),
        clawbacks: lines.filter((l) => l.type === 'clawback').map((l) => ({ commission_id: l.commission_id, amount: l.amount })),
      });
      ok(r, 200, 'payout');
      await assertTotals(c, 'payout');
      return r.body.data;
    },
  };
}

const TSHIRT = { name: 'Classic T-Shirt', price: 29.99, quantity: 2, sku: 'TSH-001' };
const TOTE = { name: 'Canvas Tote', price: 15.00, quantity: 1 };

test('the per-day totals equal the GROUP BY over the rows after every step, across UTC day boundaries, refunds and status changes', async (t) => {
  // 23:59:59.990 UTC on 14 April: the next steps cross into the 15th.
  const clock = testClock('2026-04-14T23:59:59.990Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const brandId = c.brand.brand_id;
  await c.deps.q.brands.saveSettings({ ...(await c.deps.q.brands.getBrand(brandId))!, level2RewardType: 'percentage', level2RewardValue: 500 });
  const now = clock.now().toISOString();
  const bea = await c.deps.q.advocates.insert(brandId, {
    email: 'bea@advocate.example', name: 'Bea Brown', status: 'active', tier: null, metadata: null, referredBy: await advocateId(c, 'JOHN123'),
    paymentMethod: null, paymentDetails: null, campaignId: (await c.deps.q.brands.getBrand(brandId))!.defaultCampaignId,
  }, now);
  await c.deps.q.advocates.insertCode(brandId, bea, 'BEA2', now);
  const other = await c.addBrand();
  const s = steps(c);
  await assertTotals(c, 'start');

  // The last moments of the 14th, then the first of the 15th: each event on its own UTC day.
  await s.visit('JOHN123', { share_channel: 'whatsapp', utm_source: 'newsletter' });
  await s.visit('V2AVMRDJ');
  await s.claim('JOHN123', 'late@customer.example');
  const late = await s.convert('O-LATE', { order_value: 120, referral_code: 'BEA2', products: [TSHIRT, TOTE] });
  clock.advance(20); // 2026-04-15T00:00:00.010Z
  await s.visit('JOHN123', { share_channel: 'whatsapp', utm_source: 'newsletter' });
  await s.visit('JOHN123', { utm_source: 'newsletter' });
  await s.visit('TESTCODE', { share_channel: 'copy_link' }, other);
  await s.claim('V2AVMRDJ', 'early@customer.example');
  await s.convert('O-EARLY', { order_value: 80, referral_code: 'JOHN123', products: [TSHIRT] });
  await s.convert('O-NONE', { order_value: 70, products: [TOTE] }); // not attributed: in no figure
  await s.convert('O-TOTAL', { order_total: 108, tax: 8, shipping: 10, discount: 5, referral_code: 'V2AVMRDJ', products: [{ name: 'Widget', price: 85, qty: 1 }] });
  await s.convert('O-OTHER', { order_value: 40, referral_code: 'TESTCODE' }, other);
  await s.convert('O-EARLY-2', { order_value: 30, referral_code: 'JOHN123', customer_email: 'o-early@customer.example' }); // repeat: rejected

  // Refunds on the 15th restate the 14th's order (partial, then the rest) and the 15th's (full, of a total with tax).
  clock.advance(5 * 3_600_000);
  await s.refund('O-LATE', 30, false);
  await s.refund('O-LATE', 90, true);
  await s.refund('O-TOTAL', 50, false);
  await s.refund('O-EARLY', 80, true);

  // Status changes: approved by the cooling period, by hand, rejected, paid; a refund after payment claws back.
  await s.convert('O-5', { order_value: 200, referral_code: 'BEA2', products: [TOTE, TOTE] });
  clock.advance(31 * DAY_MS);
  await s.approveDue();
  const o6 = await s.convert('O-6', { order_value: 60, referral_code: 'JOHN123' });
  await s.status(o6.reward.id, 'approved');
  await s.status(o6.reward.id, 'rejected');
  const o7 = await s.convert('O-7', { order_value: 90, referral_code: 'V2AVMRDJ' });
  await s.status(o7.reward.id, 'rejected');
  const first = await s.payAll();
  assert.ok(first.paid.length > 0);
  await s.refund('O-5', 50, false); // after payment: clawbacks from Bea and from John (level 2)
  const owed = await c.deps.db.prepare('SELECT sum(clawback_due_cents) FROM daily_totals', { pluck: true }).get() as number;
  assert.ok(owed > 0, 'clawbacks are due');
  await s.convert('O-8', { order_value: 500, referral_code: 'BEA2' });
  clock.advance(31 * DAY_MS);
  await s.approveDue();
  const second = await s.payAll();
  assert.ok(second.recovered.length > 0, 'the payout nets the clawbacks off');

  // The figures the scenario was built for, read from the tables themselves.
  const day = async (d: string) => await c.deps.db.prepare('SELECT * FROM daily_totals WHERE brand_id = ? AND day = ?').get(brandId, d) as any;
  assert.equal(late.reward.status, 'pending');
  assert.deepEqual([(await day('2026-04-14')).conversions, (await day('2026-04-14')).revenue_cents, (await day('2026-04-14')).net_revenue_cents], [1, 12000, 0]);
  assert.deepEqual([(await day('2026-04-15')).claims, (await day('2026-04-15')).conversions], [1, 4]);
  const products = await c.deps.db.prepare(`SELECT day, name, units, revenue_cents AS revenue, net_revenue_cents AS net FROM daily_products
    WHERE brand_id = ? ORDER BY day, name`).all(brandId);
  assert.deepEqual(products.slice(0, 2), [
    // O-LATE fully refunded: its units and its revenue are given back.
    { day: '2026-04-14', name: 'Canvas Tote', units: 0, revenue: 1500, net: 0 },
    { day: '2026-04-14', name: 'Classic T-Shirt', units: 0, revenue: 5998, net: 0 },
  ]);
  assert.deepEqual(await c.deps.db.prepare(`SELECT day, share_channel, utm_source, clicks FROM daily_sources WHERE brand_id = ? ORDER BY day, share_channel`).all(brandId), [
    { day: '2026-04-14', share_channel: '', utm_source: '', clicks: 1 },
    { day: '2026-04-14', share_channel: 'whatsapp', utm_source: 'newsletter', clicks: 1 },
    // A visit without share_channel is stored with its utm_source as the channel.
    { day: '2026-04-15', share_channel: 'newsletter', utm_source: 'newsletter', clicks: 1 },
    { day: '2026-04-15', share_channel: 'whatsapp', utm_source: 'newsletter', clicks: 1 },
  ]);
});

// SQLite's history only: PostgreSQL's baseline (pg/migrations/012_baseline.sql) creates the per-day tables with their
// triggers, so it has no 009 to replay; pg-triggers.test.ts checks those triggers against the same definitions.
test('migration 009 backfills the per-day totals from the rows already stored, and its triggers keep them from then on', { skip: onlyOnSqlite }, async (t) => {
  const clock = testClock('2026-04-14T22:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const s = steps(c);
  await s.visit('JOHN123', { utm_source: 'newsletter' });
  await s.claim('JOHN123', 'a@customer.example');
  await s.convert('O-1', { order_value: 100, referral_code: 'JOHN123', products: [TSHIRT, TOTE] });
  clock.advance(3 * 3_600_000);
  await s.visit('V2AVMRDJ', { share_channel: 'sms' });
  await s.convert('O-2', { order_value: 50, referral_code: 'V2AVMRDJ', products: [TOTE] });
  await s.refund('O-1', 25, false);
  await s.refund('O-2', 50, true);
  clock.advance(31 * DAY_MS);
  await s.approveDue();

  // The database as a collector before 009 left it: the rows, without the tables, views and triggers of 009.
  const db = c.deps.db;
  const schema = () => db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`).all();
  const before = await schema();
  // Triggers on the source tables, then the views (their INSTEAD OF triggers go with them), then the tables.
  const objects = await db.prepare(`SELECT type, name FROM sqlite_master WHERE (sql LIKE '%daily_%' OR name = 'advocate_revenue') AND type IN ('trigger', 'view', 'table')
    AND NOT (type = 'trigger' AND tbl_name LIKE 'daily_%') ORDER BY type = 'table', type = 'view'`).all() as Array<{ type: string; name: string }>;
  assert.deepEqual(objects.filter((o) => o.type !== 'trigger').map((o) => o.name).sort(),
    ['advocate_revenue', 'daily_advocates', 'daily_conversion_part', 'daily_products', 'daily_reward_part', 'daily_sources', 'daily_totals']);
  await c.deps.queue.drained();
  await db.transaction(async () => {
    for (const o of objects) await db.exec(`DROP ${o.type.toUpperCase()} ${o.name}`);
    await db.prepare(`DELETE FROM schema_migrations WHERE name = '009_daily_totals.sql'`).run();
  });
  assert.deepEqual(migrate(sqliteHandle(db)), ['009_daily_totals.sql']);
  // Everything is back as it was (a trigger that a later migration dropped comes back too: those are not replayed).
  const names = new Set(before.map((o: any) => o.name));
  assert.deepEqual((await schema()).filter((o: any) => names.has(o.name)), before);
  await assertTotals(c, 'the backfill');
  assert.equal(await db.prepare('SELECT sum(clicks) FROM daily_sources', { pluck: true }).get(), 2);

  // The triggers of the migrated file keep them.
  await s.convert('O-3', { order_value: 70, referral_code: 'JOHN123', products: [TSHIRT] });
  await s.visit('JOHN123');
});

test('the overview of a range and of the previous period equals what the API lists for those days', async (t) => {
  const clock = testClock('2026-05-01T10:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const s = steps(c);
  const other = await c.addBrand();
  // Four days: 1 and 2 May are the previous period of the range 3-4 May.
  const byDay: Array<() => Promise<void>> = [
    async () => {
      await s.visit('JOHN123', { share_channel: 'facebook', utm_source: 'fb' });
      await s.claim('JOHN123', 'may1@customer.example');
      await s.convert('M-1', { order_value: 40, referral_code: 'JOHN123', products: [TOTE] });
    },
    async () => {
      await s.visit('V2AVMRDJ', { utm_source: 'newsletter' });
      await s.convert('M-2', { order_value: 25, referral_code: 'V2AVMRDJ' });
    },
    async () => {
      for (const code of ['JOHN123', 'JOHN123', 'V2AVMRDJ']) await s.visit(code, { share_channel: 'whatsapp', utm_source: 'wa' });
      await s.visit('TESTCODE', { utm_source: 'newsletter' });
      await s.claim('V2AVMRDJ', 'may3@customer.example');
      await s.convert('M-3', { order_value: 120, referral_code: 'JOHN123', products: [TSHIRT, TOTE] });
      await s.convert('M-4', { order_value: 60, referral_code: 'V2AVMRDJ', products: [TSHIRT] });
      await s.convert('M-X', { order_value: 90 }); // unattributed
      await s.visit('TESTCODE', {}, other);
      await s.convert('M-O', { order_value: 999, referral_code: 'TESTCODE' }, other);
    },
    async () => {
      await s.visit('TESTCODE', { share_channel: 'whatsapp', utm_source: 'wa' });
      await s.convert('M-5', { order_value: 80, referral_code: 'TESTCODE', products: [{ name: 'Gift Card', price: 80 }] });
      await s.refund('M-3', 30, false);
      await s.refund('M-4', 60, true);
    },
  ];
  for (const [i, run] of byDay.entries()) {
    if (i > 0) clock.advance(DAY_MS);
    await run();
  }
  const range = lastDays(clock.now(), 2);
  assert.deepEqual(range, { from: '2026-05-03', to: '2026-05-04', days: 2 });
  assert.deepEqual(previousRange(range), { from: '2026-05-01', to: '2026-05-02', days: 2 });
  const ctx = { q: c.deps.rq, brand: (await c.deps.q.brands.getBrand(c.brand.brand_id))!, now: clock.now() };
  const o = await overview(ctx, range);
  // The top advocates walked by their totals (as a big range is) are the ones summed over the range (a small one).
  assert.deepEqual(await overview(ctx, range, { walkFrom: 0 }), o);

  // The API's lists of the same UTC days (to: a plain date means through that day).
  const list = async (name: string, from: string, to: string, extra: Record<string, string> = {}) => {
    const r = await c.call('GET', `/api/v1/${name}`, undefined, { query: { from, to, limit: 100, ...extra } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data[name] as any[];
  };
  const cents = (decimal: number) => Math.round(decimal * 100);
  const net = (v: any) => (cents(v.paid) > 0 ? Math.trunc((cents(v.order_value) * (cents(v.paid) - cents(v.refunded))) / cents(v.paid)) : cents(v.order_value));
  const sumOf = (rows: any[], f: (r: any) => number) => rows.reduce((a, r) => a + f(r), 0);
  const fromApi = async (from: string, to: string) => {
    const conversions = await list('conversions', from, to, { attributed: 'true' });
    const cash = (await list('commissions', from, to)).filter((r) => r.kind === 'cash');
    const status = (st: string) => sumOf(cash.filter((r) => r.status === st), (r) => cents(r.amount));
    return {
      visits: await list('visits', from, to), claims: await list('claims', from, to), conversions,
      figures: {
        clicks: (await list('visits', from, to)).length,
        claims: (await list('claims', from, to)).length,
        conversions: conversions.length,
        revenueCents: sumOf(conversions, (r) => cents(r.order_value)),
        netRevenueCents: sumOf(conversions, net),
        refundedCents: sumOf(conversions, (r) => cents(r.refunded)),
        pendingCents: status('pending'),
        approvedCents: status('approved'),
        paidCents: status('paid'),
        clawedBackCents: sumOf(cash, (r) => cents(r.clawed_back)),
        clawbackDueCents: sumOf(cash, (r) => cents(r.clawed_back) - cents(r.clawback_recovered)),
      },
    };
  };
  const now = await fromApi(range.from, range.to);
  const before = await fromApi(o.previous.from, o.previous.to);
  for (const [name, value] of Object.entries(now.figures)) {
    assert.deepEqual(o.figures[name as keyof typeof now.figures], { current: value, previous: before.figures[name as keyof typeof now.figures] }, name);
  }
  assert.equal(o.figures.conversions.current, 3);
  assert.equal(o.figures.clicks.current, 5);
  assert.deepEqual(o.figures.conversionRate, { current: 3 / 5, previous: 2 / 2 });
  assert.deepEqual(o.funnel, { visits: 5, claims: 1, conversions: 3 });

  // The daily series: every day of the range, each day's figures as listed for that day alone.
  assert.deepEqual(o.series.map((d) => d.day), ['2026-05-03', '2026-05-04']);
  for (const d of o.series) {
    const one = await fromApi(d.day, d.day);
    assert.deepEqual([d.clicks, d.conversions, d.netRevenueCents], [one.figures.clicks, one.figures.conversions, one.figures.netRevenueCents], d.day);
  }

  // Top lists: advocates and products by revenue net of refunds, channels and sources by clicks, as the lists add up.
  const grouped = <T>(rows: T[], key: (r: T) => string, value: (r: T) => number[]) => {
    const m = new Map<string, number[]>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? value(r).map(() => 0)).map((x, i) => x + value(r)[i]!));
    return m;
  };
  const advocates = grouped(now.conversions, (r) => String(r.advocate_id), (r) => [1, net(r)]);
  assert.deepEqual(o.topAdvocates.map((a) => [String(a.advocateId), [a.conversions, a.netRevenueCents]]),
    [...advocates.entries()].sort((a, b) => b[1][1]! - a[1][1]!));
  assert.deepEqual(o.topAdvocates.map((a) => a.name), ['John Smith', 'Tess Tester', 'Sarah Jones']);
  const lines = now.conversions.flatMap((v) => (v.products ?? []).map((p: any) => ({ p, v })));
  const products = grouped(lines, ({ p }) => p.name, ({ p, v }) => {
    const line = p.price_cents * p.quantity;
    const full = cents(v.paid) > 0 && cents(v.refunded) >= cents(v.paid);
    return [full ? 0 : p.quantity, line, Math.trunc((line * (cents(v.paid) - cents(v.refunded))) / cents(v.paid))];
  });
  assert.deepEqual(o.topProducts.map((p) => [p.name, [p.units, p.revenueCents, p.netRevenueCents]]),
    [...products.entries()].sort((a, b) => b[1][2]! - a[1][2]! || a[0].localeCompare(b[0])));
  const channels = grouped(now.visits, (v) => v.share_channel ?? '', () => [1]);
  assert.deepEqual(o.topChannels.map((x) => [x.name, [x.clicks]]), [...channels.entries()].sort((a, b) => b[1][0]! - a[1][0]! || a[0].localeCompare(b[0])));
  assert.deepEqual(o.topChannels, [{ name: 'whatsapp', clicks: 4 }, { name: 'newsletter', clicks: 1 }]);
  assert.deepEqual(o.topSources, [{ name: 'wa', clicks: 4 }, { name: 'newsletter', clicks: 1 }]);

  // The latest conversions: the range's attributed conversions, newest first, as the list answers them.
  assert.deepEqual(o.latestConversions.map((v) => [v.id, v.orderId, v.refundedCents]), now.conversions.map((v) => [v.id, v.order_id, cents(v.refunded)]));
  assert.deepEqual(o.latestConversions.map((v) => v.orderId), ['M-5', 'M-4', 'M-3']);

  // Commissions standing now, whatever the range: every cash commission's status today.
  const everything = (await list('commissions', '2026-01-01', '2026-12-31')).filter((r) => r.kind === 'cash');
  assert.deepEqual(o.standing, {
    conversions: 5,
    pendingCents: sumOf(everything.filter((r) => r.status === 'pending'), (r) => cents(r.amount)),
    approvedCents: sumOf(everything.filter((r) => r.status === 'approved'), (r) => cents(r.amount)),
    clawbackDueCents: 0,
  });
});

test('the top advocates walked by their totals are those the sum over the range finds, ties and refunded orders included', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const db = c.deps.db;
  const brandId = c.brand.brand_id;
  // 300 advocates, 3,000 conversions over 60 days: a few advocates bring most (as the bench's shape), equal amounts
  // for ties, every tenth refunded in full or by half.
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const at = (d: number) => new Date(Date.parse('2026-03-01T12:00:00Z') + d * DAY_MS).toISOString();
  await db.transaction(async () => {
    const advocate = db.prepare(`INSERT INTO advocates (brand_id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) ids.push((await advocate.run(brandId, `a${i}@advocate.example`, `A ${i}`, at(0), at(0))).lastInsertRowid);
    const conversion = db.prepare(`INSERT INTO conversions (brand_id, order_id, email, advocate_id, order_value_cents, paid_cents, refunded_cents, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < 3000; i++) {
      const u = rand();
      const id = ids[Math.floor(ids.length * (rand() < 0.5 ? u : u * u * u))]!;
      const value = 1000 * (1 + Math.floor(rand() * 5));
      const refunded = i % 10 === 0 ? value : i % 10 === 5 ? value / 2 : 0;
      await conversion.run(brandId, `T-${i}`, `c${i}@customer.example`, id, value, value, refunded, at(Math.floor(rand() * 60)));
    }
  });
  await assertTotals(c, 'the seeded conversions', { refundRows: false }); // refunded_cents written directly, without refund rows
  const q = c.deps.q.dailyTotals;
  for (const [from, to] of [['2026-03-01', '2026-04-29'], ['2026-03-10', '2026-03-16'], ['2026-03-20', '2026-03-20'], ['2026-04-20', '2026-05-20'], ['2027-01-01', '2027-01-02']]) {
    const range = { from: from!, to: to! };
    const summed = (await q.topAdvocates(brandId, range, 10, 'days')).map((a) => ({ id: a.advocateId, conversions: a.conversions, netRevenueCents: a.netRevenueCents }));
    assert.deepEqual((await q.topAdvocates(brandId, range, 10, 'advocates')).map((a) => a.advocateId), summed.map((a) => a.id), `${from} plans`);
    const walked = await topWithinBounds((after) => q.advocatesByRevenue(brandId, after, 7), (id) => q.advocateInRange(brandId, id, range), 10, Infinity);
    assert.deepEqual(walked, summed, `${from}..${to}`);
    assert.ok(summed.length > 0 || from === '2027-01-01');
  }
  // A walk that would need more candidates than its budget gives way (the caller sums instead).
  assert.equal(await topWithinBounds((after) => q.advocatesByRevenue(brandId, after, 7), (id) => q.advocateInRange(brandId, id, { from: '2026-03-20', to: '2026-03-20' }), 10, 3), null);
});
