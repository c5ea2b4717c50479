// A real collector (fresh SQLite file, rate limits off) and the real demo store, each on a free port.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from '../../collector/src/app.ts';
import { loadConfig } from '../../collector/src/config.ts';
import { openDatabase, type Db } from '../../collector/src/db/open.ts';
import { sqliteStore } from '../../collector/src/db/store.ts';
import { asConn } from '../../collector/src/db/sqlite/conn.ts';
import { createQueries } from '../../collector/src/db/queries.ts';
import { createAdvocate, createBrand } from '../../collector/src/services/brands.ts';
import { createStore, type StoreOptions } from '../../demo-site/server.ts';

export const TRACKER_FILE = fileURLToPath(new URL('../../dist/al.js', import.meta.url));

export interface Advocate {
  id: number;
  code: string;
  name: string;
}

export interface Stack {
  collectorUrl: string;
  storeUrl: string;
  /** the collector's own connection, for reading rows (same process, so no second writer) */
  db: Db;
  brand: { brand_id: string; secret_key: string; publishable_key: string };
  sarah: Advocate;
  mike: Advocate;
  /** another store with the same keys whose collector URL is a closed port (the collector "down") */
  startStoreWithCollectorDown(): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A port that was free a moment ago and on which nothing listens now. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  const url = await listen(probe);
  await closeServer(probe);
  return url;
}

/**
 * The store is served at http://localhost:PORT and the collector at http://127.0.0.1:PORT: two origins, as on
 * a real site whose collector lives elsewhere. The store's server listens first so that its origin is known
 * when the brand (which must allow that origin) is created.
 */
export interface StackOptions extends Pick<StoreOptions, 'requireConsent'> {
  /**
   * Host names for the store and the collector instead of localhost / 127.0.0.1, e.g. www.shop.test and
   * ref.shop.test for a collector served under the site's own domain (the browser must map them to 127.0.0.1).
   */
  hosts?: { store: string; collector: string };
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const { hosts, ...storeOpts } = opts;
  if (!existsSync(TRACKER_FILE)) throw new Error(`${TRACKER_FILE} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'referloop-e2e-'));
  const config = {
    ...loadConfig({}),
    dataDir: dir,
    dbPath: join(dir, 'referloop.db'),
    rateLimits: null,
    logLevel: 'silent',
    trackerPath: TRACKER_FILE,
  };
  const db = openDatabase(config.dbPath);
  const q = createQueries(db);
  const masterKey = randomBytes(32);
  // Listening before the app is made, so that its public URL (the portal's links) is this collector's address.
  const collectorServer = createServer();
  const collectorListen = await listen(collectorServer);
  const collectorUrl = hosts ? collectorListen.replace('127.0.0.1', hosts.collector) : collectorListen;
  const { app, deps } = createApp({ store: sqliteStore(db), config: { ...config, publicUrl: collectorUrl }, masterKey, logger: pino({ level: 'silent' }) });
  collectorServer.on('request', app);

  const storeServer = createServer();
  const storePort = (new URL(await listen(storeServer))).port;
  const storeUrl = `http://${hosts?.store ?? 'localhost'}:${storePort}`;
  const brand = await createBrand(asConn(db), q, masterKey, {
    name: 'Loop & Thread (e2e)',
    plan: 'premier',
    origins: [storeUrl, `http://127.0.0.1:${storePort}`],
  });
  const advocate = async (name: string, email: string, code: string): Promise<Advocate> =>
    ({ id: (await createAdvocate(q, { brandId: brand.brand_id, email, name, code })).advocate_id as number, code, name });
  const sarah = await advocate('Sarah Jones', 'sarah@advocate.example', 'DEMO10');
  const mike = await advocate('Mike Brown', 'mike@advocate.example', 'MIKE20');
  const storeOptions: StoreOptions = {
    collectorUrl,
    brandId: brand.brand_id,
    secretKey: brand.secret_key,
    publishableKey: brand.publishable_key,
    ...storeOpts,
  };
  storeServer.on('request', createStore(storeOptions));

  const extraServers: Server[] = [];
  return {
    collectorUrl, storeUrl, db, brand, sarah, mike,
    async startStoreWithCollectorDown() {
      const server = createServer(createStore({ ...storeOptions, collectorUrl: await closedPortUrl() }));
      extraServers.push(server);
      const url = await listen(server);
      return { url: url.replace('127.0.0.1', 'localhost'), close: () => closeServer(server) };
    },
    async close() {
      await Promise.all([...extraServers, storeServer].map((s) => closeServer(s).catch(() => {})));
      await closeServer(collectorServer);
      await deps.queue.drained();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
