// `npm run demo`: the collector and the demo store in one process, with the store's keys kept like a site's .env.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../collector/src/config.ts';
import { hashKey } from '../collector/src/domain/keys.ts';
import { openDatabase } from '../collector/src/db/open.ts';
import { createQueries } from '../collector/src/db/queries.ts';
import { loadMasterKey } from '../collector/src/masterKey.ts';
import { startCollector } from '../collector/src/server.ts';
import { createAdvocate, createBrand } from '../collector/src/services/brands.ts';
import type { Config } from '../collector/src/config.ts';
import { createStore, listenStore } from './server.ts';

interface StoreConfig {
  brand_id: string;
  secret_key: string;
  publishable_key: string;
}

const DEMO_CODE = 'DEMO10';

function readStoreConfig(file: string): StoreConfig | null {
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoreConfig>;
    if (typeof c.brand_id === 'string' && typeof c.secret_key === 'string' && typeof c.publishable_key === 'string') {
      return { brand_id: c.brand_id, secret_key: c.secret_key, publishable_key: c.publishable_key };
    }
  } catch {
    // unreadable: made again below
  }
  return null;
}

/**
 * The store's brand and keys. Keys are shown once, so the first run creates the brand and writes them to
 * data/demo-store.json (0600, like a site owner's .env); later runs reuse them while they still work.
 */
function ensureStoreBrand(config: Config, storeOrigins: string[]): StoreConfig {
  const file = join(config.dataDir, 'demo-store.json');
  const db = openDatabase(config.dbPath);
  try {
    const q = createQueries(db);
    const saved = readStoreConfig(file);
    const brand = saved && q.brands.getBrand(saved.brand_id);
    const keysWork = saved && [saved.secret_key, saved.publishable_key]
      .every((key) => q.brands.findKeyOwner(hashKey(key))?.brand.id === saved.brand_id);
    if (saved && brand && keysWork) {
      // DEMO_PORT may have changed since the brand was made: let the store's origins call the collector.
      const missing = storeOrigins.filter((o) => !brand.allowedOrigins.includes(o));
      if (missing.length) q.brands.saveSettings({ ...brand, allowedOrigins: [...brand.allowedOrigins, ...missing] });
      return saved;
    }
    if (saved) console.log(`${file} no longer matches this database: creating a new demo brand.`);
    const masterKey = loadMasterKey(config.masterKey, config.dataDir);
    const created = createBrand(db, q, masterKey, { name: 'Demo Store', plan: 'premier', origins: storeOrigins });
    createAdvocate(q, { brandId: created.brand_id, email: 'sarah@example.com', name: 'Sarah Jones', code: DEMO_CODE });
    const stored: StoreConfig = { brand_id: created.brand_id, secret_key: created.secret_key, publishable_key: created.publishable_key };
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    console.log(`Created the brand "Demo Store" with advocate Sarah Jones (${DEMO_CODE}); its keys are in ${file}.`);
    return stored;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const storePort = Number(process.env.DEMO_PORT ?? 8788);
  if (!Number.isInteger(storePort) || storePort < 1 || storePort > 65535) throw new Error('DEMO_PORT must be a port number');
  // Request logs would drown the link to open; REFERLOOP_LOG_LEVEL still wins.
  const config = loadConfig(process.env, process.env.REFERLOOP_LOG_LEVEL ? {} : { logLevel: 'warn' });
  const keys = ensureStoreBrand(config, [`http://localhost:${storePort}`, `http://127.0.0.1:${storePort}`]);

  const collector = await startCollector(config, { seed: false });
  const store = await listenStore(createStore({
    collectorUrl: collector.url,
    brandId: keys.brand_id,
    secretKey: keys.secret_key,
    publishableKey: keys.publishable_key,
  }), storePort);

  console.log([
    '',
    'Referloop demo is running.',
    `  collector  ${collector.url}`,
    `  store      ${store.url}`,
    '',
    'Open the referral link:',
    `  ${store.url}/?ref=${DEMO_CODE}`,
    '',
    'Ctrl-C stops both.',
    '',
  ].join('\n'));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    store.server.closeAllConnections();
    store.server.close();
    collector.close().then(() => process.exit(0), (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
