// The demo brand: made on the first start of an empty database (Sarah with code DEMO10), printed once, and
// kept for `npm run demo` so the demo store sells under the very brand whose keys were printed.
// TESTCODE and JOHN123 are the codes of the Advocate Loop documents' examples, so those work unchanged.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicUrlOf, type Config } from './config.ts';
import type { Conn } from './db/port.ts';
import type { Queries } from './db/queries.ts';
import { hashKey } from './domain/keys.ts';
import { mapInOrder } from './services/context.ts';
import { createAdvocate, createBrand } from './services/brands.ts';
import { createDashboardUser, loginUrl, newLoginLink, setUserDisabled } from './services/dashboardUsers.ts';

export const DEMO_CODE = 'DEMO10';
export const DEMO_STORE_ORIGIN = 'http://localhost:8788';
/** The demo brand's dashboard owner: the first start and every `npm run demo` print a fresh sign-in link for it. */
export const DEMO_OWNER_EMAIL = 'owner@demo.example';

export const DEMO_ADVOCATES: ReadonlyArray<{ name: string; email: string; code: string }> = [
  { name: 'Sarah Jones', email: 'sarah@example.com', code: DEMO_CODE },
  { name: 'Tess Tester', email: 'tess@example.com', code: 'TESTCODE' },
  { name: 'John Smith', email: 'john@example.com', code: 'JOHN123' },
];

export interface DemoKeys {
  brand_id: string;
  secret_key: string;
  publishable_key: string;
}

/**
 * The demo brand's keys, for the demo store's backend as a site owner keeps theirs in a .env: a 0600 file in
 * the data folder beside master.key. Only the demo brand's keys are ever written there.
 */
export const demoKeysFile = (dataDir: string): string => join(dataDir, 'demo-store.json');

function readDemoKeys(dataDir: string): DemoKeys | null {
  const file = demoKeysFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoKeys>;
    if (typeof c.brand_id === 'string' && typeof c.secret_key === 'string' && typeof c.publishable_key === 'string') {
      return { brand_id: c.brand_id, secret_key: c.secret_key, publishable_key: c.publishable_key };
    }
  } catch {
    // unreadable: as if absent
  }
  return null;
}

/**
 * A new single-use sign-in link (valid one hour) for the demo brand's owner, made (or enabled again) if needed so a
 * newcomer can always get in; one transaction.
 */
export async function demoOwnerLink(db: Conn, q: Queries, config: Config, brandId: string): Promise<string> {
  const token = await db.transaction(async () => {
    const brand = await q.brands.getBrand(brandId);
    if (!brand) throw new Error(`no brand ${brandId}`);
    const ctx = { q, brand, now: new Date() };
    const owner = await q.dashboardUsers.userByEmail(brandId, DEMO_OWNER_EMAIL);
    if (!owner) return (await createDashboardUser(ctx, { email: DEMO_OWNER_EMAIL, role: 'owner' })).token;
    if (owner.disabled_at !== null) await setUserDisabled(ctx, 0, owner.id, false);
    return (await newLoginLink(ctx, (await q.dashboardUsers.userById(brandId, owner.id))!)).token;
  });
  return loginUrl(publicUrlOf(config), token);
}

/** The dashboard lines of a banner: where to sign in as the demo owner. */
export const dashboardLines = (link: string): string[] => [
  `  dashboard        ${link}`,
  `  (signs ${DEMO_OWNER_EMAIL}, the demo brand's owner, in once, within an hour; a new link: npm run demo, or`,
  `   referloop user login-link --brand BRAND_ID --email ${DEMO_OWNER_EMAIL})`,
];

/** The brand, its advocates and the kept keys; the banner that shows them once. */
async function createDemoBrand(db: Conn, q: Queries, masterKey: Buffer, config: Config, origins: string[]): Promise<{ keys: DemoKeys; banner: string }> {
  const collector = `http://localhost:${config.port}`;
  const brand = await createBrand(db, q, masterKey, {
    name: 'Demo Store',
    plan: 'premier',
    origins: [...new Set([DEMO_STORE_ORIGIN, 'http://127.0.0.1:8788', collector, ...origins])],
  });
  for (const a of DEMO_ADVOCATES) await createAdvocate(q, { brandId: brand.brand_id, ...a });
  const keys: DemoKeys = { brand_id: brand.brand_id, secret_key: brand.secret_key, publishable_key: brand.publishable_key };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(demoKeysFile(config.dataDir), JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  // `mode` applies only to a file writeFileSync creates: one left by an older version keeps its bits otherwise.
  chmodSync(demoKeysFile(config.dataDir), 0o600);
  const link = await demoOwnerLink(db, q, config, brand.brand_id);
  const banner = [
    '',
    'Referloop: created the demo brand "Demo Store". Keys are shown once: keep them.',
    `  brand id         ${brand.brand_id}`,
    `  secret key       ${brand.secret_key}`,
    `  publishable key  ${brand.publishable_key}`,
    ...DEMO_ADVOCATES.map((a) => `  advocate         ${a.name}, referral code ${a.code}`),
    `  (npm run demo's store sells under this brand; it reads these keys from ${demoKeysFile(config.dataDir)}, mode 0600)`,
    ...dashboardLines(link),
    '',
    'Script tag for your pages:',
    `  <script async src="${collector}/al.js" data-brand="${brand.brand_id}" data-key="${brand.publishable_key}"></script>`,
    '',
    'Try it:',
    `  curl -X POST ${collector}/api/v1/track/visit \\`,
    `    -H "Content-Type: application/json" \\`,
    `    -H "X-API-Key: ${brand.secret_key}" \\`,
    `    -H "X-Brand-ID: ${brand.brand_id}" \\`,
    `    -d '{"referral_code": "${DEMO_CODE}"}'`,
    '',
  ].join('\n');
  return { keys, banner };
}

/** First start (`npm start`): the demo brand on an empty database, and the banner to print; null otherwise. */
export async function seedDemoBrand(db: Conn, q: Queries, masterKey: Buffer, config: Config): Promise<string | null> {
  // Collectors started together on one PostgreSQL database: the first makes the brand, the others then see it.
  return db.transaction(async () => {
    await q.locks.hold({ firstStart: true });
    if (await q.brands.countBrands() > 0) return null;
    return (await createDemoBrand(db, q, masterKey, config, [])).banner;
  });
}

/**
 * `npm run demo`: the demo brand `npm start` made (its kept keys, while they still work), letting the store's
 * origins call the collector. Only when there is none (the keys file is gone, or its keys were rotated) is a
 * demo brand made here, and its banner returned to print, as the first start would.
 */
export async function ensureDemoBrand(
  db: Conn, q: Queries, masterKey: Buffer, config: Config, storeOrigins: string[],
): Promise<{ keys: DemoKeys; banner: string | null; dashboardLink: string | null }> {
  const saved = readDemoKeys(config.dataDir);
  const brand = saved && await q.brands.getBrand(saved.brand_id);
  const owners = saved && await mapInOrder([saved.secret_key, saved.publishable_key], (key) => q.brands.findKeyOwner(hashKey(key)));
  const keysWork = saved && owners!.every((owner) => owner?.brand.id === saved.brand_id);
  if (saved && brand && keysWork) {
    // DEMO_PORT may differ from the port the brand was made for.
    const missing = storeOrigins.filter((o) => !brand.allowedOrigins.includes(o));
    if (missing.length) await q.brands.saveSettings({ ...brand, allowedOrigins: [...brand.allowedOrigins, ...missing] });
    return { keys: saved, banner: null, dashboardLink: await demoOwnerLink(db, q, config, saved.brand_id) };
  }
  const made = await createDemoBrand(db, q, masterKey, config, storeOrigins);
  const why = saved ? `${demoKeysFile(config.dataDir)} no longer matches this database` : `no demo brand keys in ${demoKeysFile(config.dataDir)}`;
  // The banner carries the new brand's sign-in link already.
  return { keys: made.keys, banner: `\nReferloop: ${why}.${made.banner}`, dashboardLink: null };
}
