// Shared fixtures of the HTTP tests: the seeds' example payloads as written, a controllable clock,
// request headers for each kind of key, the error-envelope assertion and small database readers.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { TEST_ORIGIN, type TestBrand, type TestCollector, type TestResponse } from './collector.ts';

// ---- 000_* "Common Integration Patterns": Shopify ----

export const SHOPIFY_PRODUCTS = [
  { name: 'Classic T-Shirt', price: 29.99, quantity: 1, sku: 'TSH-001' },
  { name: 'Canvas Tote', price: 27.01, quantity: 1, sku: 'BAG-010' },
];

export const SHOPIFY_VISIT = { referral_code: 'V2AVMRDJ', landing_page: 'https://yourstore.com/?ref=V2AVMRDJ' };

export const SHOPIFY_CLAIM = {
  referral_code: 'V2AVMRDJ',
  customer_email: 'buyer@example.com',
  order_id: 'ORD-12345',
  raw_value: 57.00,
  coupons_applied: [{ code: 'V2AVMRDJ', discount_amount: 5.70 }],
  products: SHOPIFY_PRODUCTS,
};

export const SHOPIFY_CONVERSION = {
  customer_email: 'buyer@example.com',
  order_id: 'ORD-12345',
  order_value: 51.30,
  coupons_applied: [{ code: 'V2AVMRDJ', discount_amount: 5.70 }],
  products: SHOPIFY_PRODUCTS,
};

export const SHOPIFY_REFUND = { order_id: 'ORD-12345', refund_amount: 51.30, is_full_refund: true };

// ---- 000_*: Booking / SaaS / Service Business ----

export const BOOKING_CLAIM = {
  referral_code: 'V2AVMRDJ',
  customer_email: 'client@example.com',
  customer_name: 'Jane Smith',
  raw_value: 150.00,
};

export const BOOKING_CONVERSION = {
  customer_email: 'client@example.com',
  order_id: 'BOOKING-789',
  order_value: 142.50,
  referral_code: 'V2AVMRDJ',
};

// ---- 000_*: the Products Array example ----

export const PRODUCTS_EXAMPLE = {
  products: [
    { name: 'Classic T-Shirt', price: 29.99, quantity: 2, sku: 'TSH-001', variant: 'Large / Black', category: 'Apparel' },
    { name: 'Canvas Tote', price: 15.00, quantity: 1, sku: 'BAG-010' },
  ],
};

// ---- 001_* (Zapier, Make, custom backends) ----

export const ZAPIER_CONVERSION = {
  customer_email: 'buyer@example.com',
  customer_name: 'Jane Doe',
  order_id: 'ORD-12345',
  order_total: 108.00,
  tax: 8.00,
  shipping: 10.00,
  discount: 5.00,
  referral_code: 'JOHN123',
};

export const ZAPIER_REFUND = {
  order_id: 'ORD-12345',
  refund_amount: 50.00,
  total_refunded: 50.00,
  is_full_refund: false,
  refund_reason: 'Customer changed mind on one item',
};

export const ZAPIER_CLAIM = { referral_code: 'JOHN123', email: 'newuser@example.com', name: 'Sam Smith', phone: '+1-555-0100' };

export const ZAPIER_VISIT = {
  referral_code: 'JOHN123',
  landing_page: 'https://example.com/products/widget',
  utm_source: 'newsletter',
  utm_medium: 'email',
  utm_campaign: 'spring-sale',
};

/** The Zapier body of 000_*'s /convert section: { referral_code, email, value }. */
export const CONVERT_WEBHOOK = { referral_code: 'V2AVMRDJ', email: 'booker@example.com', value: 99.00 };

export const PATHS = {
  visit: '/api/v1/track/visit',
  share: '/api/v1/track/share',
  claim: '/api/v1/track/claim',
  conversion: '/api/v1/track/conversion',
  refund: '/api/v1/track/refund',
  eligibility: '/api/v1/track/check-eligibility',
  convert: '/api/v1/convert',
} as const;

// ---- time ----

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The injectable clock: pass `clock.now` to startTestCollector, then move time forward without sleeping. */
export function testClock(start = '2026-04-14T12:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) { t += ms; },
  };
}

// ---- headers ----

export const secretHeaders = (b: TestBrand): Record<string, string> =>
  ({ 'Content-Type': 'application/json', 'X-API-Key': b.secret_key, 'X-Brand-ID': b.brand_id });

/** The browser tracker's JSON call: publishable key, and an Origin (none when `origin` is null). */
export function publishableHeaders(b: TestBrand, origin: string | null = TEST_ORIGIN): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': 'application/json', 'X-API-Key': b.publishable_key, 'X-Brand-ID': b.brand_id };
  if (origin !== null) h.Origin = origin;
  return h;
}

/** hex HMAC-SHA256 of the raw body (or of `TIMESTAMP.BODY`) with the brand's secret key, as 000_* says. */
export function sign(secret: string, rawBody: string, timestamp?: string): string {
  return createHmac('sha256', secret).update(timestamp === undefined ? rawBody : `${timestamp}.${rawBody}`).digest('hex');
}

/** Headers of a signed /convert call for this exact raw body. */
export function webhookHeaders(b: TestBrand, rawBody: string, timestamp?: string): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': 'application/json', 'X-Brand-ID': b.brand_id, 'X-AL-Signature': sign(b.secret_key, rawBody, timestamp) };
  if (timestamp !== undefined) h['X-AL-Timestamp'] = timestamp;
  return h;
}

/** POST a body to /convert, signed with the brand's secret key. */
export function postSigned(c: TestCollector, body: unknown, opts: { brand?: TestBrand; timestamp?: string; headers?: Record<string, string> } = {}) {
  const raw = JSON.stringify(body);
  const headers = { ...webhookHeaders(opts.brand ?? c.brand, raw, opts.timestamp), ...opts.headers };
  return c.post(PATHS.convert, undefined, { headers, raw });
}

// ---- assertions ----

/** Totals add up to the cent: the sum of a commission's history deltas is its net value. */
export function assertReconciles(commission: { net_amount: number; history: Array<{ delta: number }>; id: number }) {
  const cents = (n: number) => Math.round(n * 100);
  const sum = commission.history.reduce((s, e) => s + cents(e.delta), 0);
  assert.equal(sum, cents(commission.net_amount), `commission ${commission.id}: history ${JSON.stringify(commission.history)}`);
}

/** The error envelope of SPEC "Responses and errors"; `field`: one of `details` must name it. */
export function assertError(res: TestResponse, status: number, code: string, field?: string): void {
  const shown = JSON.stringify(res.body);
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${shown}`);
  assert.equal(res.body?.success, false, shown);
  assert.equal(typeof res.body.error, 'string', shown);
  assert.ok(res.body.error.length > 0, shown);
  assert.equal(res.body.code, code, shown);
  assert.ok(Array.isArray(res.body.details), shown);
  for (const d of res.body.details) {
    assert.equal(typeof d.field, 'string', shown);
    assert.equal(typeof d.message, 'string', shown);
  }
  if (field !== undefined) {
    assert.ok(res.body.details.some((d: { field: string }) => d.field === field), `details should name ${field}: ${shown}`);
  }
}

// ---- database ----

export const row = (c: TestCollector, sql: string, ...params: unknown[]): Promise<any> => c.deps.db.prepare(sql).get(...params);
export const rows = (c: TestCollector, sql: string, ...params: unknown[]): Promise<any[]> => c.deps.db.prepare(sql).all(...params);
export const count = async (c: TestCollector, table: string): Promise<number> =>
  await c.deps.db.prepare(`SELECT count(*) FROM ${table}`, { pluck: true }).get() as number;

export async function advocateId(c: TestCollector, code: string, brand: TestBrand = c.brand): Promise<number> {
  const a = await c.deps.q.advocates.findByCode(brand.brand_id, code);
  assert.ok(a, `advocate ${code}`);
  return a.id;
}

// ---- the schema as the running engine holds it (a test that looks at every table or column is engine-neutral) ----

/** `data` of an API call with the brand's secret key (default the collector's brand); anything but a 2xx fails the test. */
export async function apiData(c: TestCollector, method: string, path: string, body?: unknown, brand?: TestBrand) {
  const res = await c.call(method, `/api/v1${path}`, body, { brand });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** The tables that hold a `brand_id` column (new tables are picked up as they are added): what a brand's snapshot reads. */
export const brandTableNames = async (c: TestCollector): Promise<string[]> => await c.deps.db.prepare({
  sqlite: `SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
    AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) i WHERE i.name = 'brand_id') ORDER BY m.name`,
  pg: `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t
    ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND c.column_name = 'brand_id' ORDER BY c.table_name`,
}, { pluck: true }).all() as string[];

/**
 * Every table's name, by name: SQLite's (FTS5's shadow tables included; its own sqlite_* ones only with `internal`),
 * or those of PostgreSQL's schema (the search tables included).
 */
export const tableNames = async (c: TestCollector, opts: { internal?: boolean } = {}): Promise<string[]> => await c.deps.db.prepare({
  sqlite: `SELECT name FROM sqlite_schema WHERE type = 'table' ${opts.internal ? '' : "AND name NOT LIKE 'sqlite_%'"} ORDER BY name`,
  pg: `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       ORDER BY table_name`,
}, { pluck: true }).all() as string[];

/** Every column of every table, in order: its table, name and declared type (SQLite's as written, PostgreSQL's data_type). */
export const columnTypes = async (c: TestCollector): Promise<Array<{ tableName: string; name: string; type: string }>> => await c.deps.db.prepare({
  sqlite: `SELECT m.name AS tableName, p.name, p.type FROM sqlite_schema m JOIN pragma_table_info(m.name) p
           WHERE m.type = 'table' ORDER BY m.name, p.cid`,
  pg: `SELECT table_name AS tableName, column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
}).all();

/** A declared type that holds fractions (SQLite's REAL, FLOAT, DOUBLE affinities; PostgreSQL's real, double, numeric). */
export const FRACTION_TYPE = /^(real|float|double|numeric|decimal)/i;

/**
 * One stored column's value and its type in SQLite's words (typeof: 'integer', 'real', 'text', 'blob', 'null'), read
 * on PostgreSQL from pg_typeof.
 */
export const storedValue = async (c: TestCollector, table: string, column: string, id: number): Promise<{ value: unknown; type: string }> =>
  await c.deps.db.prepare({
    sqlite: `SELECT ${column} AS value, typeof(${column}) AS type FROM ${table} WHERE id = ?`,
    pg: `SELECT ${column} AS value, CASE WHEN ${column} IS NULL THEN 'null'
           ELSE CASE pg_typeof(${column})::text WHEN 'bigint' THEN 'integer' WHEN 'integer' THEN 'integer' WHEN 'smallint' THEN 'integer'
             WHEN 'real' THEN 'real' WHEN 'double precision' THEN 'real' WHEN 'numeric' THEN 'real' WHEN 'text' THEN 'text'
             WHEN 'bytea' THEN 'blob' ELSE pg_typeof(${column})::text END END AS type
         FROM ${table} WHERE id = ?`,
  }).get(id) as { value: unknown; type: string };

export interface PgPlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PgPlanNode[] }

/**
 * PostgreSQL's plan of `sql` (EXPLAIN: planned, not run), every node of it, with sequential scans priced out
 * (enable_seqscan = off): on a test's nearly empty tables the planner reads a table whole whatever its indexes, so
 * this shows which index can serve the statement; one that none can still shows a Seq Scan.
 */
export async function pgPlanNodes(c: TestCollector, sql: string, ...params: unknown[]): Promise<PgPlanNode[]> {
  const db = c.deps.db;
  return db.transaction(async () => {
    await db.exec('SET LOCAL enable_seqscan = off');
    const plan = await db.prepare(`EXPLAIN (FORMAT JSON) ${sql}`, { pluck: true }).get(...params) as Array<{ Plan: PgPlanNode }> | string;
    const nodes: PgPlanNode[] = [];
    const walk = (n: PgPlanNode) => { nodes.push(n); n.Plans?.forEach(walk); };
    walk((typeof plan === 'string' ? JSON.parse(plan) as Array<{ Plan: PgPlanNode }> : plan)[0]!.Plan);
    return nodes;
  }, { mode: 'read' });
}

/** Every value of every row of `table`, as text: to prove that something was NOT stored anywhere. */
export const tableText = async (c: TestCollector, table: string): Promise<string> => JSON.stringify(await rows(c, `SELECT * FROM ${table}`));

/** GET /payouts' lines one after another, each with its advocate's id and name (the answer groups them per advocate). */
export const payoutLines = (data: { advocates: Array<{ advocate_id: number; advocate_name: string; lines: object[] }> }) =>
  data.advocates.flatMap((a) => a.lines.map((l) => ({ ...l, advocate_id: a.advocate_id, advocate_name: a.advocate_name })));
