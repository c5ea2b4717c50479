// The per-day totals of migration 009 (kept by triggers) equal, after every step of an HTTP scenario, the GROUP BY
// over the rows that defines them (kept here as the reference), across UTC day boundaries, refunds and status
// changes; the migration backfills the same from existing rows; and the overview use case answers what the API's
// own lists answer.
import { sqliteHandle } from '../src/db/sqlite/conn.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../src/db/migrate.ts';
import { lastDays, previousRange, topWithinBounds } from '../src/domain/overview.ts';
import { campaignFigures, overview } from '../src/services/overview.ts';
import { onlyOnSqlite, startTestCollector, type TestBrand, type TestCollector } from './support/collector.ts';
import { DAILY_FROM_ROWS as FROM_ROWS, DAILY_STORED as STORED } from './support/definitions.ts';
import { DAY_MS, PATHS, advocateId, payoutLines, testClock } from './support/fixtures.ts';

/** Each table's key: the other columns are its figures (and daily_totals' id bounds). */
const KEYS: Record<keyof typeof FROM_ROWS, string[]> = {
  daily_totals: ['brand_id', 'campaign_id', 'day', 'first_conversion_id', 'last_conversion_id'],
  daily_sources: ['brand_id', 'campaign_id', 'day', 'share_channel', 'utm_source'],
  daily_advocates: ['brand_id', 'campaign_id', 'day', 'advocate_id'],
  daily_advocate_clicks: ['brand_id', 'advocate_id', 'day'],
  advocate_revenue: ['brand_id', 'advocate_id'],
  daily_products: ['brand_id', 'campaign_id', 'day', 'name'],
};
type Row = Record<string, unknown>;
/** A row whose records all moved to another campaign, day or source stays at 0 (as 009's did), where the GROUP BY has no group. */
const withFigures = (table: keyof typeof FROM_ROWS, rows: Row[]) =>
  rows.filter((r) => Object.entries(r).some(([k, v]) => !KEYS[table].includes(k) && v !== 0));

/**
 * The tables against their definitions. `looseBounds`: a conversion moved to another campaign by hand leaves its old
 * row's id bounds as they were, which still bound what the row holds (the latest conversions' walk checks each row).
 */
async function assertTotals(c: TestCollector, step: string, opts: { refundRows?: boolean; looseBounds?: boolean } = {}) {
  const db = c.deps.db;
  for (const table of Object.keys(FROM_ROWS) as Array<keyof typeof FROM_ROWS>) {
    const stored = withFigures(table, await db.prepare(`SELECT * FROM ${table} ${STORED[table]}`).all() as Row[]);
    const defined = withFigures(table, await db.prepare(FROM_ROWS[table]).all() as Row[]);
    if (opts.looseBounds && table === 'daily_totals') {
      assert.equal(stored.length, defined.length, step);
      for (const [i, d] of defined.entries()) {
        const { first_conversion_id: first, last_conversion_id: last } = stored[i]!;
        if (d.first_conversion_id !== null) assert.ok(Number(first) <= Number(d.first_conversion_id) && Number(last) >= Number(d.last_conversion_id), `${step}: bounds`);
        for (const row of [stored[i]!, d]) for (const bound of ['first_conversion_id', 'last_conversion_id']) delete row[bound];
      }
    }
    assert.deepEqual(stored, defined, `${table} after ${step}`);
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
// triggers, so it has no 009 to replay; pg-triggers.test.ts checks those triggers against the same definitions, and
// upgrade.test.ts upgrades a database of 015 on both engines.
test('migrations 009 and 016 backfill the per-day totals from the rows already stored, by campaign, and their triggers keep them from then on', { skip: onlyOnSqlite }, async (t) => {
  const clock = testClock('2026-04-14T22:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const s = steps(c);
  const created = await c.call('POST', '/api/v1/campaigns', { name: 'Partners' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const partners = created.body.data.campaign.id as number;
  await s.visit('JOHN123', { utm_source: 'newsletter' });
  await s.claim('JOHN123', 'a@customer.example');
  await s.convert('O-1', { order_value: 100, referral_code: 'JOHN123', products: [TSHIRT, TOTE] });
  clock.advance(3 * 3_600_000);
  await s.visit('V2AVMRDJ', { share_channel: 'sms' });
  await s.convert('O-2', { order_value: 50, referral_code: 'V2AVMRDJ', products: [TOTE] });
  await s.refund('O-1', 25, false);
  await s.refund('O-2', 50, true);
  // Sarah moves to Partners: 016 gives her visit her campaign now, and her order its commission's (the default one).
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${await advocateId(c, 'V2AVMRDJ')}`, { campaign_id: partners })).status, 200);
  clock.advance(31 * DAY_MS);
  await s.approveDue();

  // The database as a collector before 009 left it: the rows, without the tables, views and triggers of 009 and 016,
  // nor 016's columns.
  const db = c.deps.db;
  const schema = () => db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`).all();
  const before = await schema();
  // Triggers on the source tables, then the views (their INSTEAD OF triggers go with them), then the tables.
  const objects = await db.prepare(`SELECT type, name FROM sqlite_master WHERE (sql LIKE '%daily_%' OR name = 'advocate_revenue') AND type IN ('trigger', 'view', 'table')
    AND NOT (type = 'trigger' AND tbl_name LIKE 'daily_%') ORDER BY type = 'table', type = 'view'`).all() as Array<{ type: string; name: string }>;
  assert.deepEqual(objects.filter((o) => o.type !== 'trigger').map((o) => o.name).sort(),
    ['advocate_revenue', 'daily_advocate_clicks', 'daily_advocates', 'daily_conversion_part', 'daily_products', 'daily_reward_part', 'daily_sources', 'daily_totals']);
  await c.deps.queue.drained();
  await db.transaction(async () => {
    for (const o of objects) await db.exec(`DROP ${o.type.toUpperCase()} ${o.name}`);
    await db.exec('DROP INDEX conversions_brand_campaign');
    for (const table of ['visits', 'claims', 'conversions']) await db.exec(`ALTER TABLE ${table} DROP COLUMN campaign_id`);
    // 028 made 016's visit triggers again (with the advocates' clicks): replayed after them.
    await db.prepare(`DELETE FROM schema_migrations WHERE name IN ('009_daily_totals.sql', '016_campaign_figures.sql', '028_advocate_clicks.sql')`).run();
  });
  assert.deepEqual(migrate(sqliteHandle(db)), ['009_daily_totals.sql', '016_campaign_figures.sql', '028_advocate_clicks.sql']);
  // Everything is back as it was (a trigger that a later migration dropped comes back too: those are not replayed).
  const names = new Set(before.map((o: any) => o.name));
  assert.deepEqual((await schema()).filter((o: any) => names.has(o.name)), before);
  await assertTotals(c, 'the backfill');
  assert.equal(await db.prepare('SELECT sum(clicks) FROM daily_sources', { pluck: true }).get(), 2);
  const home = (await c.deps.q.brands.getBrand(c.brand.brand_id))!.defaultCampaignId;
  assert.deepEqual(await db.prepare('SELECT code, campaign_id AS campaign FROM visits ORDER BY id').all(),
    [{ code: 'JOHN123', campaign: home }, { code: 'V2AVMRDJ', campaign: partners }]);
  assert.deepEqual(await db.prepare('SELECT order_id, campaign_id AS campaign FROM conversions ORDER BY id').all(),
    [{ order_id: 'O-1', campaign: home }, { order_id: 'O-2', campaign: home }]);

  // The triggers of the migrated file keep them.
  await s.convert('O-3', { order_value: 70, referral_code: 'JOHN123', products: [TSHIRT] });
  await s.visit('JOHN123');
  await s.visit('V2AVMRDJ');
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

test('an advocate moved to another campaign leaves its past in the old one: each campaign\'s overview is its part, all campaigns the sum', async (t) => {
  const clock = testClock('2026-05-01T10:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const s = steps(c);
  const brandId = c.brand.brand_id;
  const ok = (r: { status: number; body: unknown }, status: number, what: string) => assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
  const created = await c.call('POST', '/api/v1/campaigns', { name: 'Partners', referrer_reward_type: 'percentage', referrer_reward_value: 20 });
  ok(created, 201, 'campaign');
  const partners = created.body.data.campaign.id as number;
  const home = (await c.deps.q.brands.getBrand(brandId))!.defaultCampaignId;
  const john = await advocateId(c, 'JOHN123');
  const move = async (id: number, campaignId: number) => {
    ok(await c.call('PATCH', `/api/v1/advocates/${id}`, { campaign_id: campaignId }), 200, `move ${id}`);
    await assertTotals(c, `advocate ${id} moved`);
  };
  await move(await advocateId(c, 'TESTCODE'), partners);

  // 1 May: John (the default campaign), Tess (Partners), Sarah (the default campaign).
  await s.visit('JOHN123', { share_channel: 'whatsapp', utm_source: 'wa' });
  await s.claim('JOHN123', 'may1@customer.example');
  const p1 = await s.convert('P-1', { order_value: 100, referral_code: 'JOHN123', products: [TSHIRT] });
  await s.visit('TESTCODE', { utm_source: 'newsletter' });
  await s.convert('P-2', { order_value: 50, referral_code: 'TESTCODE', products: [TOTE] });
  await s.visit('V2AVMRDJ');
  await s.convert('P-3', { order_value: 30, referral_code: 'V2AVMRDJ' });
  // 2 May: John moves to Partners; what he brings now counts there, his order of 1 May stays where it was, refunded
  // and approved after the move.
  clock.advance(DAY_MS);
  await move(john, partners);
  await s.visit('JOHN123', { share_channel: 'whatsapp', utm_source: 'wa' });
  await s.claim('JOHN123', 'may2@customer.example');
  const p4 = await s.convert('P-4', { order_value: 200, referral_code: 'JOHN123', products: [TOTE] });
  await s.refund('P-1', 40, false);
  await s.status(p1.reward.id, 'approved');
  assert.equal(p4.reward.amount, 40, "Partners' rate");

  const rows = async (table: string) => await c.deps.db.prepare(`SELECT campaign_id, day, claims, conversions, net_revenue_cents FROM ${table}
    WHERE brand_id = ? ORDER BY campaign_id, day`).all(brandId);
  assert.deepEqual(await rows('daily_totals'), [
    { campaign_id: home, day: '2026-05-01', claims: 1, conversions: 2, net_revenue_cents: 6000 + 3000 },
    { campaign_id: partners, day: '2026-05-01', claims: 0, conversions: 1, net_revenue_cents: 5000 },
    { campaign_id: partners, day: '2026-05-02', claims: 1, conversions: 1, net_revenue_cents: 20000 },
  ].sort((a, b) => a.campaign_id - b.campaign_id || a.day.localeCompare(b.day)));

  // The overview of each campaign, and of all: all is the sum of the two, figure by figure and day by day.
  const ctx = { q: c.deps.rq, brand: (await c.deps.q.brands.getBrand(brandId))!, now: clock.now() };
  const range = lastDays(clock.now(), 2);
  const all = await overview(ctx, range);
  const mine = await overview(ctx, range, { campaignId: home });
  const theirs = await overview(ctx, range, { campaignId: partners });
  assert.deepEqual([all.campaignId, mine.campaignId, theirs.campaignId], [null, home, partners]);
  for (const name of Object.keys(all.figures) as Array<keyof typeof all.figures>) {
    if (name === 'conversionRate') continue;
    const f = (o: typeof all) => o.figures[name] as { current: number; previous: number };
    assert.equal(f(all).current, f(mine).current + f(theirs).current, name);
  }
  assert.deepEqual([mine.figures.clicks.current, theirs.figures.clicks.current], [2, 2]);
  assert.deepEqual([mine.figures.conversions.current, theirs.figures.conversions.current], [2, 2]);
  assert.deepEqual([mine.figures.claims.current, theirs.figures.claims.current], [1, 1]);
  assert.deepEqual(all.series.map((d) => [d.day, d.clicks, d.conversions, d.netRevenueCents]),
    mine.series.map((d, i) => [d.day, d.clicks + theirs.series[i]!.clicks, d.conversions + theirs.series[i]!.conversions, d.netRevenueCents + theirs.series[i]!.netRevenueCents]));
  for (const k of ['conversions', 'pendingCents', 'approvedCents', 'clawbackDueCents'] as const) assert.equal(all.standing[k], mine.standing[k] + theirs.standing[k], k);
  // John is in both top lists, each with what he brought there, and in all campaigns' with the sum.
  const top = (o: typeof all) => o.topAdvocates.map((a) => [a.name, a.conversions, a.netRevenueCents]);
  assert.deepEqual(top(mine), [['John Smith', 1, 6000], ['Sarah Jones', 1, 3000]]);
  assert.deepEqual(top(theirs), [['John Smith', 1, 20000], ['Tess Tester', 1, 5000]]);
  assert.deepEqual(top(all), [['John Smith', 2, 26000], ['Tess Tester', 1, 5000], ['Sarah Jones', 1, 3000]]);
  for (const o of [all, mine, theirs]) assert.deepEqual((await overview(ctx, range, { campaignId: o.campaignId, walkFrom: 0 })).topAdvocates, o.topAdvocates);
  assert.deepEqual(mine.latestConversions.map((v) => v.orderId), ['P-3', 'P-1']);
  assert.deepEqual(theirs.latestConversions.map((v) => v.orderId), ['P-4', 'P-2']);
  assert.deepEqual(all.latestConversions.map((v) => v.orderId), ['P-4', 'P-3', 'P-2', 'P-1']);
  assert.deepEqual(mine.topProducts.map((p) => p.name), ['Classic T-Shirt']);
  assert.deepEqual(theirs.topProducts.map((p) => [p.name, p.units]), [['Canvas Tote', 2]]);
  assert.deepEqual(theirs.topChannels, [{ name: 'newsletter', clicks: 1 }, { name: 'whatsapp', clicks: 1 }]);
  assert.deepEqual(all.topSources, [{ name: 'wa', clicks: 2 }, { name: '', clicks: 1 }, { name: 'newsletter', clicks: 1 }]);

  // A campaign's figures over every day; another brand's campaign is not found.
  const figures = await campaignFigures(ctx, partners);
  assert.deepEqual(figures, {
    clicks: 2, claims: 1, conversions: 2, revenueCents: 25000, netRevenueCents: 25000, refundedCents: 0,
    pendingCents: 1000 + 4000, approvedCents: 0, paidCents: 0, clawedBackCents: 0, clawbackDueCents: 0,
  });
  const home1 = await campaignFigures(ctx, home);
  assert.deepEqual([home1.clicks, home1.claims, home1.conversions, home1.refundedCents, home1.approvedCents], [2, 1, 2, 4000, 600]);
  const other = await c.addBrand();
  const foreign = (await c.deps.q.brands.getBrand(other.brand_id))!.defaultCampaignId;
  await assert.rejects(campaignFigures(ctx, foreign), { status: 404 });
  await assert.rejects(campaignFigures(ctx, 999_999), { status: 404 });
  assert.deepEqual((await overview(ctx, range, { campaignId: foreign })).figures.clicks, { current: 0, previous: 0 });

  // A record's campaign corrected by hand moves its part from the old campaign's rows to the new one's.
  const db = c.deps.db;
  await db.prepare('UPDATE visits SET campaign_id = ? WHERE brand_id = ? AND campaign_id = ?').run(home, brandId, partners);
  await assertTotals(c, 'visits moved to the default campaign');
  await db.prepare('UPDATE claims SET campaign_id = ? WHERE brand_id = ?').run(partners, brandId);
  await assertTotals(c, 'claims moved to Partners');
  await db.prepare('UPDATE conversions SET campaign_id = ? WHERE brand_id = ? AND order_id = ?').run(home, brandId, 'P-4');
  await db.prepare('UPDATE rewards SET campaign_id = ? WHERE brand_id = ? AND id = ?').run(home, brandId, p4.reward.id);
  await assertTotals(c, 'a conversion and its commission moved to the default campaign', { looseBounds: true });
  assert.deepEqual((await overview(ctx, range, { campaignId: home })).topAdvocates.map((a) => [a.name, a.netRevenueCents]),
    [['John Smith', 26000], ['Sarah Jones', 3000]]);
});

test('the top advocates walked by their totals are those the sum over the range finds, per campaign and over all of them, ties and refunded orders included', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const db = c.deps.db;
  const brandId = c.brand.brand_id;
  const brand = (await c.deps.q.brands.getBrand(brandId))!;
  const campaign = async (name: string) => {
    const r = await c.call('POST', '/api/v1/campaigns', { name });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.campaign.id as number;
  };
  const [home, partners, empty] = [brand.defaultCampaignId, await campaign('Partners'), await campaign('Empty')];
  // 300 advocates, 3,000 conversions over 60 days: a few advocates bring most (as the bench's shape), equal amounts
  // for ties, every tenth refunded in full or by half. A third of the advocates are in Partners; every seventh
  // changes campaign halfway, so its revenue is split between the two (the walk over all campaigns must still find it).
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const at = (d: number) => new Date(Date.parse('2026-03-01T12:00:00Z') + d * DAY_MS).toISOString();
  const campaignOf = (i: number, day: number) => ((i % 3 === 0) !== (i % 7 === 0 && day >= 30) ? partners : home);
  await db.transaction(async () => {
    const advocate = db.prepare(`INSERT INTO advocates (brand_id, email, name, campaign_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`);
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) ids.push((await advocate.run(brandId, `a${i}@advocate.example`, `A ${i}`, campaignOf(i, 0), at(0), at(0))).lastInsertRowid);
    const conversion = db.prepare(`INSERT INTO conversions (brand_id, order_id, email, advocate_id, campaign_id, order_value_cents, paid_cents,
      refunded_cents, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < 3000; i++) {
      const u = rand();
      const n = Math.floor(ids.length * (rand() < 0.5 ? u : u * u * u));
      const value = 1000 * (1 + Math.floor(rand() * 5));
      const refunded = i % 10 === 0 ? value : i % 10 === 5 ? value / 2 : 0;
      const day = Math.floor(rand() * 60);
      await conversion.run(brandId, `T-${i}`, `c${i}@customer.example`, ids[n]!, campaignOf(n, day), value, value, refunded, at(day));
    }
  });
  await assertTotals(c, 'the seeded conversions', { refundRows: false }); // refunded_cents written directly, without refund rows
  const split = await db.prepare(`SELECT count(*) FROM (SELECT advocate_id FROM daily_advocates WHERE brand_id = ? GROUP BY advocate_id
    HAVING min(campaign_id) <> max(campaign_id)) AS s`, { pluck: true }).get(brandId);
  assert.ok(Number(split) > 10, `advocates with revenue in both campaigns: ${split}`);
  const q = c.deps.q.dailyTotals;
  for (const [from, to] of [['2026-03-01', '2026-04-29'], ['2026-03-10', '2026-03-16'], ['2026-03-20', '2026-03-20'], ['2026-03-25', '2026-04-05'], ['2026-04-20', '2026-05-20'], ['2027-01-01', '2027-01-02']]) {
    const range = { from: from!, to: to! };
    const byScope = new Map<number | null, Array<{ id: number; conversions: number; netRevenueCents: number }>>();
    for (const scope of [null, home, partners, empty]) {
      const what = `${from}..${to} campaign ${scope}`;
      const summed = (await q.topAdvocates(brandId, range, 10, 'days', scope)).map((a) => ({ id: a.advocateId, conversions: a.conversions, netRevenueCents: a.netRevenueCents }));
      assert.deepEqual((await q.topAdvocates(brandId, range, 10, 'advocates', scope)).map((a) => a.advocateId), summed.map((a) => a.id), `${what}: plans`);
      // Walked by each advocate's revenue over every day and campaign, scored in the campaign (or all).
      const walked = await topWithinBounds((after) => q.advocatesByRevenue(brandId, after, 7), (id) => q.advocateInRange(brandId, id, range, scope), 10, Infinity);
      assert.deepEqual(walked, summed, what);
      byScope.set(scope, summed);
      assert.ok(summed.length > 0 || from === '2027-01-01' || scope === empty, what);
    }
    // An advocate's range over all campaigns is the sum of its ranges in each.
    for (const a of byScope.get(null)!) {
      const parts = await Promise.all([home, partners].map((k) => q.advocateInRange(brandId, a.id, range, k)));
      assert.deepEqual({ conversions: parts[0]!.conversions + parts[1]!.conversions, netRevenueCents: parts[0]!.netRevenueCents + parts[1]!.netRevenueCents },
        { conversions: a.conversions, netRevenueCents: a.netRevenueCents }, `${from} advocate ${a.id}`);
    }
  }
  // A walk that would need more candidates than its budget gives way (the caller sums instead), over one campaign or all.
  const day = { from: '2026-03-20', to: '2026-03-20' };
  for (const scope of [null, home]) {
    assert.equal(await topWithinBounds((after) => q.advocatesByRevenue(brandId, after, 7), (id) => q.advocateInRange(brandId, id, day, scope), 10, 3), null);
  }
});
