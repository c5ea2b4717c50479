// referloop migrate-data: a SQLite install with every kind of row, made through the API, copied into a fresh
// PostgreSQL database; a collector on PostgreSQL then answers every list, record and dashboard page as the SQLite one
// did, with the same keys, sessions and master key; a second copy is refused; a copy that fails halfway, or whose
// counts differ, leaves the target empty.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { createApp, type AppDeps } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createBrandQueries } from '../src/db/brands.ts';
import { openDatabase } from '../src/db/open.ts';
import { openPgStore } from '../src/db/pg/store.ts';
import { sqliteStore, type Store } from '../src/db/store.ts';
import { loadMasterKey } from '../src/masterKey.ts';
import { zCreateDashboardUser } from '../src/schemas/dashboard.ts';
import { createBrand } from '../src/services/brands.ts';
import { createDashboardUser } from '../src/services/dashboardUsers.ts';
import { createKey, revokeKey } from '../src/services/keys.ts';
import { TEST_ORIGIN, type TestBrand, type TestCollector } from './support/collector.ts';
import { signedIn } from './support/dashboard.ts';
import { DAY_MS, PATHS, SHOPIFY_PRODUCTS, publishableHeaders, testClock, webhookHeaders } from './support/fixtures.ts';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';
import { runCli } from './support/processes.ts';

const skip = pgTestSkip() ?? false;

interface Collector {
  url: string;
  deps: AppDeps;
  call(method: string, path: string, body?: unknown, opts?: { key?: string; brand?: TestBrand; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A collector over `store` on a port, with the master key of `dataDir` (as `serve` loads it) and the test's clock. */
async function serve(store: Store, dataDir: string, now: () => Date, brand: () => TestBrand): Promise<Collector> {
  const config = { ...loadConfig({}), dataDir, dbPath: join(dataDir, 'referloop.db'), rateLimits: null, logLevel: 'silent' };
  const { app, deps } = createApp({ store, config, masterKey: loadMasterKey(undefined, dataDir), logger: pino({ level: process.env.MIGRATE_TEST_LOG ?? 'silent' }), now });
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url, deps,
    async call(method, path, body, o = {}) {
      const b = o.brand ?? brand();
      const headers = o.headers ?? { 'X-API-Key': o.key ?? b.secret_key, 'X-Brand-ID': b.brand_id, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
      const payload = o.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      const res = await fetch(url + path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
      // A streamed answer whose stream failed is cut: said as such, to be compared.
      const text = await res.text().catch((error: Error) => `(the answer was cut: ${error.message})`);
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* CSV or HTML: the text */ }
      return { status: res.status, body: parsed };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.queue.drained();
      await store.close();
    },
  };
}

type Defer = (fn: () => unknown) => void;

/** Clean-ups run last first, when the test ends: a collector's pool closes before its database is dropped. */
function deferrer(t: TestContext): Defer {
  const stack: Array<() => unknown> = [];
  t.after(async () => { for (const fn of stack.reverse()) await fn(); });
  return (fn) => { stack.push(fn); };
}

function tempDir(defer: Defer, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function targetDatabase(defer: Defer) {
  const target = await createTestDatabase({ migrated: false });
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  defer(async () => {
    await client.end();
    await target.drop();
  });
  return { url: target.url, client };
}

const migrateData = (from: string, to: string, json = false) => runCli(['migrate-data', '--from', from, '--to', to, ...(json ? ['--json'] : [])]);

/** Writes that must succeed: 2xx, else the answer in the message. */
async function ok(r: Promise<{ status: number; body: any }>, status?: number): Promise<any> {
  const res = await r;
  assert.ok(status === undefined ? res.status < 300 : res.status === status, `${res.status} ${JSON.stringify(res.body)}`);
  return res.body?.data;
}

/** Every row of every table, as text (the derived ones included): equal before and after a refused or undone copy. */
async function pgSnapshot(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { t } of tables.rows) out[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
  return out;
}

async function pgColumns(client: pg.Client, table: string): Promise<string[]> {
  const r = await client.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [table]);
  return r.rows.map((row) => row.c);
}

/** The tables both engines hold as rows (not PostgreSQL's own rate_limits, nor the search tables SQLite holds as FTS5). */
async function copiedTables(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()
    AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'rate_limits', 'advocate_search', 'referral_search') ORDER BY 1`);
  return r.rows.map((row) => row.t);
}

/** Every row in the order of all its columns, each value as text (a bare pg client answers int8 as text). */
async function pgRows(client: pg.Client, table: string): Promise<unknown[][]> {
  const columns = await pgColumns(client, table);
  const r = await client.query({ text: `SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`, rowMode: 'array' });
  return r.rows as unknown[][];
}

function sqliteRows(db: Database.Database, table: string, columns: string[]): unknown[][] {
  const rows = db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`).raw(true).all() as unknown[][];
  return rows.map((row) => row.map((v) => (v === null ? null : String(v))));
}

test('migrate-data: every kind of row copied; the collector on PostgreSQL answers as the SQLite one did, with the same keys', { skip }, async (t) => {
  const defer = deferrer(t);
  const clock = testClock('2026-03-02T09:00:00.000Z');
  const dir = tempDir(defer, 'referloop-migrate-');
  const dbPath = join(dir, 'referloop.db');
  const sqlite = await serve(sqliteStore(openDatabase(dbPath)), dir, clock.now, () => brandA);
  let sqliteOpen = true;
  defer(async () => { if (sqliteOpen) await sqlite.close(); });
  const { db, q, masterKey } = sqlite.deps;
  const brands = { brands: createBrandQueries(db) };

  // ---- two brands; named, revoked and publishable keys
  const brandA: TestBrand = await createBrand(db, q, masterKey, { name: 'Acme', plan: 'premier', origins: [TEST_ORIGIN] });
  const brandB: TestBrand = await createBrand(db, q, masterKey, { name: 'Points shop', plan: 'growth', origins: [TEST_ORIGIN] });
  const zapier = await createKey(db, brands, masterKey, { brandId: brandA.brand_id, name: 'zapier' });
  const old = await createKey(db, brands, masterKey, { brandId: brandA.brand_id, name: 'old backend' });
  await revokeKey(db, brands, brandA.brand_id, old.key_id);
  const A = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    sqlite.call(method, path, body, headers ? { headers: { 'X-API-Key': brandA.secret_key, 'X-Brand-ID': brandA.brand_id, 'Content-Type': 'application/json', ...headers } } : {});
  const B = (method: string, path: string, body?: unknown) => sqlite.call(method, path, body, { brand: brandB });

  // ---- settings: two levels, a cooling period, points for brand B
  await ok(A('PATCH', '/api/v1/settings', { level2_reward_type: 'percentage', level2_reward_value: 5, cooling_period_days: 14, attribution_window_days: 60 }));
  await ok(B('PATCH', '/api/v1/settings', { referrer_reward_type: 'points', referrer_reward_value: 100, allow_negative_points: true }));

  // ---- advocates: tiers, metadata, payment details, referred_by (one a later advocate: a forward reference), a blocked one
  const sarah = (await ok(A('POST', '/api/v1/advocates', { email: 'sarah@advocate.example', name: 'Sarah Jones', referral_code: 'V2AVMRDJ', tier: 'gold',
    metadata: { team: 'north' }, payment_method: 'paypal', payment_details: 'sarah@pay.example' }), 201)).advocate;
  const john = (await ok(A('POST', '/api/v1/advocates', { email: 'john@advocate.example', name: 'John Smith', referral_code: 'JOHN123', referred_by: sarah.id }), 201)).advocate;
  const tess = (await ok(A('POST', '/api/v1/advocates', { email: 'tess@advocate.example', name: 'Tess Tester', referral_code: 'TESTCODE', payment_method: 'bank_transfer' }), 201)).advocate;
  await ok(A('POST', '/api/v1/advocates', { email: 'blocked@advocate.example', name: 'Bo Blocked', referral_code: 'BLOCKED1', status: 'blocked' }), 201);
  await ok(A('PATCH', `/api/v1/advocates/${sarah.id}`, { referred_by: tess.id }));
  await ok(A('POST', `/api/v1/advocates/${john.id}/codes`, { code: 'JOHNSUMMER' }), 201);
  await ok(A('PATCH', '/api/v1/referrals/JOHNSUMMER', { status: 'inactive' }));
  const pam = (await ok(B('POST', '/api/v1/advocates', { email: 'pam@advocate.example', name: 'Pam Points', referral_code: 'PAMPTS' }), 201)).advocate;

  // ---- visits (the first ones deleted by retention later: their clicks stay counted per day), from the browser
  const visit = (code: string, visitorId: string, extra: object = {}) =>
    ok(sqlite.call('POST', PATHS.visit, { referral_code: code, visitor_id: visitorId, landing_page: 'https://shop.test/?ref=' + code, ...extra },
      { headers: publishableHeaders(brandA) }));
  for (let i = 0; i < 4; i++) await visit('V2AVMRDJ', `old-visitor-${i}`, { utm_source: 'newsletter', utm_medium: 'email' });
  clock.advance(20 * DAY_MS);
  await visit('JOHN123', 'visitor-j1', { share_channel: 'whatsapp', utm_campaign: 'spring' });
  await visit('TESTCODE', 'visitor-t1', { referrer: 'https://social.example/post/1' });
  // ---- shares
  await ok(sqlite.call('POST', PATHS.share, { referral_code: 'TESTCODE', channel: 'whatsapp' }, { headers: publishableHeaders(brandA) }), 201);

  // ---- claims: from the browser, and from the signed webhook
  const claim = await ok(sqlite.call('POST', PATHS.claim, { referral_code: 'TESTCODE', email: 'claimer@customer.example', name: 'Cleo Claimer', phone: '+1-555-0100',
    raw_value: 57, products: SHOPIFY_PRODUCTS }, { headers: publishableHeaders(brandA) }), 201);
  const hookBody = JSON.stringify({ referral_code: 'V2AVMRDJ', email: 'booker@customer.example', value: 99 });
  await ok(sqlite.call('POST', PATHS.convert, undefined, { headers: webhookHeaders(brandA, hookBody), raw: hookBody }), 201);

  // ---- conversions: by code (two levels), by claim, by visitor, unattributed; an Idempotency-Key; products and coupons
  const order = async (orderId: string, value: number, extra: object = {}, headers?: Record<string, string>) =>
    (await ok(A('POST', PATHS.conversion, { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value, ...extra }, headers))).conversion_id as number;
  await order('ORD-1', 100, { referral_code: 'JOHN123', products: SHOPIFY_PRODUCTS, coupons_applied: [{ code: 'JOHN123', discount_amount: 5.7 }] });
  await order('ORD-2', 57, { claim_id: claim.claim_id }, { 'Idempotency-Key': 'order-2-attempt' });
  await order('ORD-3', 40, { visitor_id: 'visitor-j1', metadata: { channel: 'web' } });
  await order('ORD-4', 25, { customer_name: 'Una Unattributed' });
  await order('ORD-5', 80, { referral_code: 'JOHN123' });
  await order('ORD-6', 60, { referral_code: 'V2AVMRDJ' });
  await order('ORD-7', 200, { referral_code: 'JOHN123', products: [{ name: 'Gift box', price: 200, quantity: 1 }] });
  await ok(B('POST', PATHS.conversion, { customer_email: 'pointy@customer.example', order_id: 'B-1', order_value: 30, referral_code: 'PAMPTS' }));
  // ---- a referral record entered for an order made elsewhere (its own order, customer and incentive columns)
  await ok(A('POST', '/api/v1/referral-records', { referrer_advocate_id: 1, reward_action_type: 1, order_id: 'POS-1',
    referred_customer_email: 'walkin@customer.example', reward_amount: 4, incentive_amount: 2, share_code: 'V2AVMRDJ' }), 201);

  // ---- refunds: ORD-5 in full before it is paid (reversed), ORD-6 in part
  await ok(A('POST', PATHS.refund, { order_id: 'ORD-5', refund_amount: 80, is_full_refund: true, refund_id: 'RF-5' }));
  await ok(A('POST', PATHS.refund, { order_id: 'ORD-6', refund_amount: 20, is_full_refund: false, refund_id: 'RF-6', reason: 'one item back' }));

  // ---- commissions: due after 14 days, one rejected, paid (a payout run), then a clawback netted off the next payout
  clock.advance(15 * DAY_MS);
  await ok(A('POST', '/api/v1/commissions/approve-due'));
  const commissions = (await ok(A('GET', '/api/v1/commissions?limit=100'))).commissions as Array<{ id: number; order_id: string; level: number; status: string }>;
  const ofOrder = (orderId: string, level = 1) => commissions.find((c) => c.order_id === orderId && c.level === level)!.id;
  await ok(A('PUT', `/api/v1/commissions/${ofOrder('ORD-3')}/status`, { status: 'rejected', reason: 'self-referral found by hand' }));
  await ok(A('POST', '/api/v1/payouts', { commission_ids: [ofOrder('ORD-1'), ofOrder('ORD-1', 2), ofOrder('ORD-7')], note: 'batch 1' }));
  await ok(A('POST', PATHS.refund, { order_id: 'ORD-7', refund_amount: 50, is_full_refund: false, refund_id: 'RF-7' }));
  await order('ORD-8', 120, { referral_code: 'JOHN123' });
  clock.advance(15 * DAY_MS);
  const due = (await ok(A('GET', '/api/v1/payouts'))).advocates as Array<{ lines: Array<{ type: string; commission_id: number; amount: number }> }>;
  const lines = due.flatMap((a) => a.lines);
  await ok(A('POST', '/api/v1/payouts', { commission_ids: lines.filter((l) => l.type === 'commission').map((l) => l.commission_id),
    clawbacks: lines.filter((l) => l.type === 'clawback').map((l) => ({ commission_id: l.commission_id, amount: l.amount })), note: 'batch 2' }));
  await order('ORD-9', 10, { referral_code: 'TESTCODE' }); // stays pending
  const early = await ok(A('POST', PATHS.conversion, { customer_email: 'early@customer.example', order_id: 'ORD-10', order_value: 30, referral_code: 'TESTCODE' }), 201);
  await ok(A('PUT', `/api/v1/commissions/${early.reward.id}/status`, { status: 'approved', reason: 'approved early' }));

  // ---- points, both ways; the dashboard: a signed-in owner (a session), a viewer with an unused sign-in link
  await ok(A('POST', `/api/v1/advocates/${tess.id}/points`, { amount: 50, type: 'award', description: 'welcome' }));
  await ok(A('POST', `/api/v1/advocates/${tess.id}/points`, { amount: -20, type: 'redeem' }));
  // ---- the rewards catalogue: a reward and a redemption of it
  const { reward: sticker } = await ok(A('POST', '/api/v1/rewards', { name: 'Sticker pack', points_cost: 10, type: 'product', stock: 5 }));
  await ok(A('POST', `/api/v1/rewards/${sticker.id}/redeem`, { advocate_id: tess.id }));
  // ---- a quest of one task, completed by an advocate (the quest's reward with it)
  const { quest } = await ok(A('POST', '/api/v1/quests', { title: 'First share', tasks: [{ title: 'Share your link', points: 5 }], reward: { type: 'points', points: 10 } }));
  const { tasks: questTasks } = await ok(A('GET', `/api/v1/quests/${quest.id}`));
  await ok(A('POST', `/api/v1/quests/${quest.id}/complete`, { advocate_id: tess.id, task_id: questTasks[0].id }));
  // ---- a testimonial, and a board with an idea and a vote
  await ok(A('POST', '/api/v1/testimonials', { name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already.' }));
  const { board } = await ok(A('POST', '/api/v1/feedback/boards', { name: 'Product ideas' }));
  const { idea } = await ok(A('POST', `/api/v1/feedback/boards/${board.id}/ideas`, { advocate_id: tess.id, title: 'Share links for WhatsApp' }));
  await ok(A('POST', `/api/v1/feedback/ideas/${idea.id}/votes`, { advocate_id: tess.id }));
  // ---- single sign-on: a customer of the site mapped to an advocate
  await ok(A('POST', '/api/v1/sso/mappings', { advocate_id: tess.id, external_customer_id: 'cus_tess', external_email: 'tess@shop.example' }));
  await ok(B('POST', `/api/v1/advocates/${pam.id}/points`, { amount: -500, type: 'deduct' }));
  const asCollector = (c: Collector) => ({ ...c, brand: brandA }) as unknown as TestCollector;
  const owner = await signedIn(asCollector(sqlite), { email: 'owner@acme.example' });
  const brandRow = (await q.brands.getBrand(brandA.brand_id))!;
  await db.transaction(() => createDashboardUser({ q, brand: brandRow, now: clock.now() }, zCreateDashboardUser.parse({ email: 'viewer@acme.example', role: 'viewer' })));

  // ---- an erasure, and retention deleting the first visits (their per-day clicks stay)
  await ok(A('DELETE', '/api/v1/people?email=ord-4@customer.example'));
  await ok(A('PATCH', '/api/v1/settings', { visit_retention_days: 30 }));
  assert.equal(await sqlite.deps.retention.sweepOnce(), 4);

  // ---- what the SQLite collector answers: every management list, each record, the search, the dashboard's pages
  const paths: Array<[brand: TestBrand, path: string]> = [];
  for (const brand of [brandA, brandB]) {
    for (const list of ['settings', 'advocates?limit=100&total=true', 'referrals?limit=100', 'commissions?limit=100', 'visits?limit=100',
      'claims?limit=100', 'conversions?limit=100', 'referral-records?limit=100', 'payouts', 'payouts/export', 'conversions/export', 'commissions/export']) paths.push([brand, `/api/v1/${list}`]);
    const { advocates } = await ok(sqlite.call('GET', '/api/v1/advocates?limit=100', undefined, { brand }));
    for (const a of advocates as Array<{ id: number }>) paths.push([brand, `/api/v1/advocates/${a.id}`], [brand, `/api/v1/advocates/${a.id}/points`]);
    for (const x of (await ok(sqlite.call('GET', '/api/v1/commissions?limit=100', undefined, { brand }))).commissions) paths.push([brand, `/api/v1/commissions/${x.id}`]);
    for (const x of (await ok(sqlite.call('GET', '/api/v1/conversions?limit=100', undefined, { brand }))).conversions) paths.push([brand, `/api/v1/conversions/${x.id}`]);
    for (const x of (await ok(sqlite.call('GET', '/api/v1/claims?limit=100', undefined, { brand }))).claims) paths.push([brand, `/api/v1/claims/${x.id}`]);
    for (const x of (await ok(sqlite.call('GET', '/api/v1/referrals?limit=100', undefined, { brand }))).referrals) {
      paths.push([brand, `/api/v1/referrals/${x.code}`], [brand, `/api/v1/referrals/${x.code}/stats`]);
    }
  }
  // The search, whose tables PostgreSQL holds in its own form (rebuilt by its triggers)
  for (const words of ['sarah', 'john', 'advocate.example', 'tess tester', 'JOHNS']) {
    paths.push([brandA, `/api/v1/advocates?search=${encodeURIComponent(words)}`], [brandA, `/api/v1/referrals?search=${encodeURIComponent(words)}`]);
  }
  for (const email of ['claimer@customer.example', 'sarah@advocate.example', 'ord-4@customer.example']) paths.push([brandA, `/api/v1/people?email=${email}`]);
  // The dashboard through the owner's session (its cookie kept): the per-day totals, payout runs and counters behind it
  const pages = ['/dashboard', '/dashboard?period=90', '/dashboard/payouts', '/dashboard/advocates', `/dashboard/advocates/${john.id}`,
    '/dashboard/conversions', '/dashboard/commissions', '/dashboard/settings/keys', '/dashboard/users'];
  async function answers(c: Collector): Promise<Map<string, { status: number; body: unknown }>> {
    const out = new Map<string, { status: number; body: unknown }>();
    for (const [brand, path] of paths) out.set(`${brand === brandA ? 'A' : 'B'} ${path}`, await c.call('GET', path, undefined, { brand }));
    for (const page of pages) {
      const res = await fetch(c.url + page, { headers: { Cookie: `rl_session=${owner.cookie}` }, redirect: 'manual' });
      out.set(`page ${page}`, { status: res.status, body: await res.text() });
    }
    return out;
  }
  const before = await answers(sqlite);
  for (const [key, answer] of before) assert.equal(answer.status, 200, `SQLite ${key}: ${JSON.stringify(answer.body)}`);
  assert.ok((before.get('page /dashboard')!.body as string).includes('Acme'));

  // ---- the copy
  const target = await targetDatabase(defer);
  const run = migrateData(dbPath, target.url);
  assert.equal(run.status, 0, run.stderr);
  const counted = Object.fromEntries([...run.stdout.matchAll(/^ {2}([a-z_]+) +([\d,]+) = ([\d,]+)$/gm)].map((m) => [m[1], [m[2], m[3]]]));
  const source = new Database(dbPath, { readonly: true });
  defer(() => source.close());
  for (const table of ['brands', 'campaigns', 'api_keys', 'advocates', 'referral_codes', 'visits', 'claims', 'conversions', 'refunds', 'rewards', 'reward_events',
    'points_transactions', 'shares', 'catalogue_rewards', 'redemptions', 'sso_mappings', 'quests', 'quest_tasks', 'task_completions', 'quest_completions', 'testimonials', 'feedback_boards', 'feedback_ideas', 'feedback_votes', 'idempotency_keys', 'dashboard_users', 'dashboard_login_tokens', 'dashboard_sessions', 'erasures', 'daily_totals',
    'daily_sources', 'daily_advocates', 'daily_products', 'advocate_revenue', 'brand_advocate_counts', 'payout_runs', 'advocate_payouts', 'advocate_search', 'referral_search']) {
    const n = (source.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    assert.ok(n > 0, `the source holds ${table} rows`);
    assert.deepEqual(counted[table], [n.toLocaleString('en-US'), n.toLocaleString('en-US')], `${table} counted on both sides:\n${run.stdout}`);
    assert.match(run.stdout, new RegExp(`^(copied|rebuilt) ${table}: ${n.toLocaleString('en-US')} rows? `, 'm'));
  }
  // Every status of a commission, and a forward reference among advocates, were in the copy
  assert.deepEqual((source.prepare('SELECT DISTINCT status FROM rewards ORDER BY 1').pluck().all()), ['approved', 'paid', 'pending', 'rejected', 'reversed']);
  assert.ok((source.prepare('SELECT count(*) FROM rewards WHERE clawback_recovered > 0').pluck().get() as number) > 0);
  assert.ok((source.prepare('SELECT count(*) FROM advocates WHERE referred_by > id').pluck().get() as number) > 0);
  assert.ok((source.prepare("SELECT sum(clicks) FROM daily_sources WHERE brand_id = ?").pluck().get(brandA.brand_id) as number)
    > (source.prepare('SELECT count(*) FROM visits WHERE brand_id = ?').pluck().get(brandA.brand_id) as number), 'clicks of deleted visits stay counted');
  const maxId = (table: string) => source.prepare(`SELECT max(id) FROM ${table}`).pluck().get() as number;
  // Every identity continues after the greatest id copied (before anything is written on PostgreSQL)
  const identities = await target.client.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.columns
    WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1`);
  assert.equal(identities.rows.length, 32, identities.rows.map((r) => r.t).join());
  for (const { t: table } of identities.rows) {
    const next = await target.client.query(`SELECT last_value, is_called FROM ${(await target.client.query(`SELECT pg_get_serial_sequence($1, 'id') AS s`, [table])).rows[0].s}`);
    assert.deepEqual([Number(next.rows[0].last_value), next.rows[0].is_called], [(maxId(table) ?? 0) + 1, false], table);
  }
  assert.match(run.stdout, /master key/);
  assert.ok(run.stdout.includes(join(dir, 'master.key')), run.stdout);

  // ---- a collector on PostgreSQL, with the master key copied beside it as the output says
  await sqlite.close();
  sqliteOpen = false;
  const pgDir = tempDir(defer, 'referloop-migrate-pg-');
  copyFileSync(join(dir, 'master.key'), join(pgDir, 'master.key'));
  const onPg = await serve(await openPgStore(target.url, { poolSize: 4 }), pgDir, clock.now, () => brandA);
  defer(() => onPg.close());
  const after = await answers(onPg);
  assert.deepEqual([...after.keys()], [...before.keys()]);
  for (const key of before.keys()) assert.deepEqual(after.get(key), before.get(key), key);
  // The copy itself: every row of every table, the derived ones included, as in SQLite
  for (const table of await copiedTables(target.client)) {
    assert.deepEqual(await pgRows(target.client, table), sqliteRows(source, table, await pgColumns(target.client, table)), table);
  }

  // ---- a second copy into the same database is refused, and nothing changes
  const snapshot = await pgSnapshot(target.client);
  const again = migrateData(dbPath, target.url);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /already holds 2 brands .*nothing was changed/);
  assert.deepEqual(await pgSnapshot(target.client), snapshot);
  assert.deepEqual(await answers(onPg), after);

  // ---- the old keys: the named one works, the revoked one is refused, the sealed secret still verifies /convert
  assert.equal((await onPg.call('GET', '/api/v1/settings', undefined, { key: zapier.secret_key! })).status, 200);
  assert.equal((await onPg.call('GET', '/api/v1/settings', undefined, { key: old.secret_key! })).status, 401);
  // The signature is checked with the secret unsealed by the copied master key
  const hook2 = JSON.stringify({ referral_code: 'JOHN123', email: 'later@customer.example', value: 10 });
  const signed = await ok(onPg.call('POST', PATHS.convert, undefined, { headers: webhookHeaders(brandA, hook2), raw: hook2 }), 201);
  assert.equal(signed.claim_id, maxId('claims') + 1);
  // Without the same master key, the sealed secret does not open: the signed /convert is refused,
  const elsewhere = await serve(await openPgStore(target.url, { poolSize: 2 }), tempDir(defer, 'referloop-migrate-other-key-'), clock.now, () => brandA);
  const unsealed = await elsewhere.call('POST', PATHS.convert, undefined, { headers: webhookHeaders(brandA, hook2), raw: hook2 });
  // and an earlier erasure, recorded under an HMAC keyed from the master key, is not found
  const forgotten = await ok(elsewhere.call('GET', '/api/v1/people?email=ord-4@customer.example'));
  await elsewhere.close();
  assert.equal(unsealed.status, 401, JSON.stringify(unsealed.body));
  assert.equal((before.get('A /api/v1/people?email=ord-4@customer.example')!.body as any).data.person.erasures.length, 1);
  assert.deepEqual(forgotten.person.erasures, []);

  // ---- new rows continue after the copied ids
  const added = (await ok(onPg.call('POST', '/api/v1/advocates', { email: 'new@advocate.example', name: 'New One', referral_code: 'NEWONE' }), 201)).advocate;
  assert.equal(added.id, maxId('advocates') + 1);
  const conv = await ok(onPg.call('POST', PATHS.conversion, { customer_email: 'n1@customer.example', order_id: 'NEW-1', order_value: 10, referral_code: 'NEWONE' }), 201);
  assert.deepEqual([conv.conversion_id, conv.reward.id], [maxId('conversions') + 1, maxId('rewards') + 1]);
  const points = await ok(onPg.call('POST', `/api/v1/advocates/${tess.id}/points`, { amount: 5, type: 'bonus' }));
  assert.equal(points.transaction.id, maxId('points_transactions') + 1);
});

test('migrate-data: a row PostgreSQL refuses halfway, or counts that differ, roll everything back; the number of each side\'s latest migration must match', { skip }, async (t) => {
  const defer = deferrer(t);
  const dir = tempDir(defer, 'referloop-migrate-fail-');
  const dbPath = join(dir, 'referloop.db');
  const handle = openDatabase(dbPath);
  const at = '2026-03-02T09:00:00.000Z';
  handle.exec(`INSERT INTO brands (id, name, plan, created_at) VALUES ('b1', 'Shop', 'premier', '${at}');
    INSERT INTO campaigns (brand_id, name, is_default, created_at, updated_at) VALUES ('b1', 'Default', 1, '${at}', '${at}');
    INSERT INTO advocates (brand_id, email, name, campaign_id, created_at, updated_at)
      VALUES ('b1', 'a@advocate.example', 'Ann', (SELECT id FROM campaigns WHERE brand_id = 'b1'), '${at}', '${at}');
    INSERT INTO referral_codes (brand_id, advocate_id, code, created_at) VALUES ('b1', 1, 'ANN', '${at}');`);
  // 2,500 visits: the 2,100th holds a NUL, which PostgreSQL's text refuses, after two batches of visits went in
  handle.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
    INSERT INTO visits (brand_id, visitor_id, code, advocate_id, landing_page, created_at)
    SELECT 'b1', 'v' || i, 'ANN', 1, CASE i WHEN 2100 THEN 'https://shop.test/' || char(0) || 'x' ELSE 'https://shop.test/' END, '${at}' FROM n`).run();
  handle.close();

  const target = await targetDatabase(defer);
  // Neither a missing file nor another kind of URL gets anywhere
  const missing = migrateData(join(dir, 'nowhere.db'), target.url);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /no SQLite database at .*nowhere\.db \(--from\); nothing was created or copied/);
  assert.equal(existsSync(join(dir, 'nowhere.db')), false);
  const notPg = migrateData(dbPath, 'mysql://localhost/referloop');
  assert.notEqual(notPg.status, 0);
  assert.match(notPg.stderr, /--to must be a postgres:\/\/ URL/);

  const failed = migrateData(dbPath, target.url);
  assert.notEqual(failed.status, 0);
  assert.match(failed.stderr, /PostgreSQL refused visits row id 2100, column landing_page: .*rolled back: the PostgreSQL database is as it was/);
  assert.match(failed.stdout, /^copied brands: 1 row /m, 'the tables before visits were copied (and then undone)');
  const empty = await pgSnapshot(target.client);
  assert.ok(Object.keys(empty).includes('visits'), 'the schema is migrated');
  assert.deepEqual(Object.values(empty).filter((n) => n !== 0), [], JSON.stringify(empty));
  const triggers = await target.client.query(`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'`);
  assert.deepEqual(triggers.rows, [], 'every trigger is on again');

  // Counts that differ (a rule drops one visit's insert in silence): nothing is committed, the exit is non-zero
  const fix = new Database(dbPath);
  fix.prepare("UPDATE visits SET landing_page = 'https://shop.test/' WHERE id = 2100").run();
  fix.close();
  await target.client.query('CREATE RULE drop_one AS ON INSERT TO visits WHERE new.id = 7 DO INSTEAD NOTHING');
  const short = migrateData(dbPath, target.url);
  assert.notEqual(short.status, 0);
  assert.match(short.stderr, /the row counts differ, so nothing was committed: visits 2500 in SQLite, 2499 in PostgreSQL/);
  assert.deepEqual(await pgSnapshot(target.client), empty);
  await target.client.query('DROP RULE drop_one ON visits');

  // A PostgreSQL database at another migration (a newer Referloop migrated it) is refused, naming both
  await target.client.query(`INSERT INTO schema_migrations (name, applied_at) VALUES ('999_future.sql', '${at}')`);
  const newer = migrateData(dbPath, target.url);
  assert.notEqual(newer.status, 0);
  assert.match(newer.stderr, /the SQLite file is at migration \d{3}_[a-z_]+\.sql and the PostgreSQL database at 999_future\.sql/);
  await target.client.query(`DELETE FROM schema_migrations WHERE name = '999_future.sql'`);

  // Fixed, the same copy goes through: ids kept, the sequence after them, JSON on stdout
  const done = migrateData(dbPath, target.url, true);
  assert.equal(done.status, 0, done.stderr);
  const report = JSON.parse(done.stdout);
  assert.deepEqual(report.tables.find((x: { table: string }) => x.table === 'visits'), { table: 'visits', sqlite: 2500, postgresql: 2500 });
  assert.match(done.stderr, /^copied visits: 2,500 rows/m);
  assert.equal(Number((await target.client.query(`SELECT nextval(pg_get_serial_sequence('visits', 'id')) AS n`)).rows[0].n), 2501);
});
