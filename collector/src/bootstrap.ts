// First start on an empty database: the demo brand (premier), Sarah with code DEMO10, and how to use them.
// TESTCODE and JOHN123 are the codes of the Advocate Loop documents' examples, so those work unchanged.
import type { Config } from './config.ts';
import type { Db } from './db/open.ts';
import type { Queries } from './db/queries.ts';
import { createAdvocate, createBrand } from './services/brands.ts';

export const DEMO_CODE = 'DEMO10';
export const DEMO_STORE_ORIGIN = 'http://localhost:8788';

export const DEMO_ADVOCATES: ReadonlyArray<{ name: string; email: string; code: string }> = [
  { name: 'Sarah Jones', email: 'sarah@example.com', code: DEMO_CODE },
  { name: 'Tess Tester', email: 'tess@example.com', code: 'TESTCODE' },
  { name: 'John Smith', email: 'john@example.com', code: 'JOHN123' },
];

export function seedDemoBrand(db: Db, q: Queries, masterKey: Buffer, config: Config): string | null {
  if (q.brands.countBrands() > 0) return null;
  const collector = `http://localhost:${config.port}`;
  const brand = createBrand(db, q, masterKey, {
    name: 'Demo Store',
    plan: 'premier',
    origins: [DEMO_STORE_ORIGIN, 'http://127.0.0.1:8788', collector],
  });
  for (const a of DEMO_ADVOCATES) createAdvocate(q, { brandId: brand.brand_id, ...a });
  return [
    '',
    'Referloop: created the demo brand on this empty database. Keys are shown once: keep them.',
    `  brand id         ${brand.brand_id}`,
    `  secret key       ${brand.secret_key}`,
    `  publishable key  ${brand.publishable_key}`,
    ...DEMO_ADVOCATES.map((a) => `  advocate         ${a.name}, referral code ${a.code}`),
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
}
