// `npm run demo`: the collector and the demo store in one process, the store selling under the demo brand of `npm start`.
import { DEMO_CODE, dashboardLines, ensureDemoBrand, type DemoKeys } from '../collector/src/bootstrap.ts';
import { loadConfig, type Config } from '../collector/src/config.ts';
import { openDatabase } from '../collector/src/db/open.ts';
import { asConn } from '../collector/src/db/sqlite/conn.ts';
import { createQueries } from '../collector/src/db/queries.ts';
import { loadMasterKey } from '../collector/src/masterKey.ts';
import { startCollector } from '../collector/src/server.ts';
import { createStore, listenStore } from './server.ts';

/** The demo brand `npm start` made, with its keys (made here only when the database has none). */
async function demoBrandKeys(config: Config, storeOrigins: string[]): Promise<{ keys: DemoKeys; dashboardLink: string | null }> {
  const db = openDatabase(config.dbPath);
  try {
    const masterKey = loadMasterKey(config.masterKey, config.dataDir);
    const { keys, banner, dashboardLink } = await ensureDemoBrand(asConn(db), createQueries(db), masterKey, config, storeOrigins);
    if (banner) console.log(banner);
    return { keys, dashboardLink };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const storePort = Number(process.env.DEMO_PORT ?? 8788);
  if (!Number.isInteger(storePort) || storePort < 1 || storePort > 65535) throw new Error('DEMO_PORT must be a port number');
  // Request logs would drown the link to open; REFERLOOP_LOG_LEVEL still wins.
  const config = loadConfig(process.env, process.env.REFERLOOP_LOG_LEVEL ? {} : { logLevel: 'warn' });
  const { keys, dashboardLink } = await demoBrandKeys(config, [`http://localhost:${storePort}`, `http://127.0.0.1:${storePort}`]);

  const collector = await startCollector(config, { seed: false });
  const store = await listenStore(createStore({
    collectorUrl: collector.url,
    brandId: keys.brand_id,
    secretKey: keys.secret_key,
    publishableKey: keys.publishable_key,
  }), storePort);

  // Stoppable before it says it runs: whoever reads the message may press Ctrl-C (or send SIGTERM) at once.
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

  console.log([
    '',
    'Referloop demo is running.',
    `  collector  ${collector.url}`,
    `  store      ${store.url}`,
    '',
    'Open the referral link:',
    `  ${store.url}/?ref=${DEMO_CODE}`,
    '',
    'After an order, the customer\'s side: their account (their referral link in the widget) and their portal, from the confirmation:',
    `  ${store.url}/account`,
    '',
    'The store\'s back office (the owner\'s side: each order links to its conversion in the dashboard, refunds):',
    `  ${store.url}/admin`,
    ...(dashboardLink ? ['', 'The Referloop dashboard:', ...dashboardLines(dashboardLink)] : []),
    '',
    'Ctrl-C stops both.',
    '',
  ].join('\n'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
