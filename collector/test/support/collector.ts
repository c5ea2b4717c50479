// Test harness: a real collector on a fresh SQLite file, listening on a free port, with its own brand and keys.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createApp, type AppDeps } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createQueries } from '../../src/db/queries.ts';
import { sqliteStore } from '../../src/db/store.ts';
import { openPgStore } from '../../src/db/pg/store.ts';
import { createTestDatabase } from './postgres.ts';

/**
 * The engine this run's collectors use: REFERLOOP_TEST_ENGINE=pg (scripts/run-tests.mjs runs the HTTP and CLI suites
 * once per engine) puts each on a fresh database of the test run's PostgreSQL server; else a fresh SQLite file.
 */
export const TEST_ENGINE: 'sqlite' | 'pg' = process.env.REFERLOOP_TEST_ENGINE === 'pg' ? 'pg' : 'sqlite';
/** For what only the SQLite engine has (its file, pragmas, query plans): `test(name, { skip: onlyOnSqlite }, ...)`. */
export const onlyOnSqlite = TEST_ENGINE === 'sqlite' ? false : 'SQLite only (its file, pragmas or plans)';
import type { Plan } from '../../src/db/brands.ts';
import { createAdvocate, createBrand } from '../../src/services/brands.ts';

export interface TestBrand {
  brand_id: string;
  secret_key: string;
  publishable_key: string;
  plan: Plan;
}

export interface TestCollector {
  url: string;
  server: Server;
  dir: string;
  deps: AppDeps;
  /** the first brand, with advocates V2AVMRDJ (Sarah), TESTCODE, JOHN123 (John) */
  brand: TestBrand;
  addBrand(opts?: { plan?: Plan; origins?: string[]; codes?: Array<[code: string, name: string, email: string]> }): Promise<TestBrand>;
  /** POST JSON with the brand's secret key in X-API-Key / X-Brand-ID unless `headers` says otherwise. */
  post(path: string, body: unknown, opts?: { brand?: TestBrand; headers?: Record<string, string>; raw?: string }): Promise<TestResponse>;
  /**
   * A management call with the brand's secret key: `GET` with a query object, or any other method with a JSON body
   * (none when `body` is undefined).
   */
  call(method: string, path: string, body?: unknown, opts?: { brand?: TestBrand; query?: Record<string, string | number>; headers?: Record<string, string> }): Promise<TestResponse>;
  /** Any method; exactly the headers given (fetch adds text/plain for a string body without Content-Type). */
  request(method: string, path: string, opts?: { headers?: Record<string, string>; body?: string }): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

export const SEED_ADVOCATES: Array<[string, string, string]> = [
  ['V2AVMRDJ', 'Sarah Jones', 'sarah@advocate.example'],
  ['TESTCODE', 'Tess Tester', 'tess@advocate.example'],
  ['JOHN123', 'John Smith', 'john@advocate.example'],
];

export const TEST_ORIGIN = 'http://shop.test';

export async function startTestCollector(
  opts: { config?: Partial<Config>; now?: () => Date; plan?: Plan; logger?: Logger } = {},
): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-test-'));
  const config: Config = {
    ...loadConfig({}),
    dataDir: dir,
    dbPath: join(dir, 'referloop.db'),
    rateLimits: null,
    logLevel: 'silent',
    ...opts.config,
  };
  const pgDatabase = TEST_ENGINE === 'pg' ? await createTestDatabase() : null;
  if (pgDatabase) config.databaseUrl = pgDatabase.url;
  const store = pgDatabase ? await openPgStore(pgDatabase.url, { poolSize: 8 }) : sqliteStore(openDatabase(config.dbPath));
  const db = store.db;
  const masterKey = Buffer.alloc(32, 7);
  const q = createQueries(db);
  const { app, deps } = createApp({ store, config, masterKey, logger: opts.logger ?? pino({ level: 'silent' }), ...(opts.now ? { now: opts.now } : {}) });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const addBrand: TestCollector['addBrand'] = async (o = {}) => {
    const brand = await createBrand(db, q, masterKey, { name: 'Test brand', plan: o.plan ?? 'premier', origins: o.origins ?? [TEST_ORIGIN] });
    for (const [code, name, email] of o.codes ?? SEED_ADVOCATES) await createAdvocate(q, { brandId: brand.brand_id, email, name, code });
    return brand;
  };
  const brand = await addBrand({ plan: opts.plan ?? 'premier' });

  const request: TestCollector['request'] = async (method, path, o = {}) => {
    const res = await fetch(url + path, { method, headers: o.headers ?? {}, ...(o.body === undefined ? {} : { body: o.body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
    return { status: res.status, headers: res.headers, body: parsed };
  };

  const post: TestCollector['post'] = async (path, body, o = {}) => {
    const b = o.brand ?? brand;
    const headers = o.headers ?? { 'Content-Type': 'application/json', 'X-API-Key': b.secret_key, 'X-Brand-ID': b.brand_id };
    return request('POST', path, { headers, body: o.raw ?? JSON.stringify(body) });
  };

  const call: TestCollector['call'] = async (method, path, body, o = {}) => {
    const b = o.brand ?? brand;
    const query = o.query ? `?${new URLSearchParams(Object.entries(o.query).map(([k, v]) => [k, String(v)]))}` : '';
    const headers: Record<string, string> = { 'X-API-Key': b.secret_key, 'X-Brand-ID': b.brand_id, ...o.headers };
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    return request(method, path + query, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  };

  return {
    url, server, dir, deps, brand, addBrand, post, call, request,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.deliverer.stop();
      await deps.queue.drained();
      await store.close();
      await pgDatabase?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
