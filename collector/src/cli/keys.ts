// referloop brand list and key create/list/revoke/rotate: brand and key queries only (no request schemas), so
// they start fast.
import type { KeyKind } from '../domain/keys.ts';
import { createBrandQueries } from '../db/brands.ts';
import type { Conn } from '../db/port.ts';
import { createKey, listBrands, listKeys, revokeKey, rotateSecretKey } from '../services/keys.ts';
import { masterKeyOf, openExisting, print, table, withDb, type BrandOpts, type CommonOpts } from './common.ts';

const keyQueries = (db: Conn) => ({ brands: createBrandQueries(db) });

/** A key id as given on the command line. */
function keyIdOf(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new Error(`--key ${value} is not a key id (see referloop key list)`);
  return Number(value);
}

export async function brandList(opts: CommonOpts): Promise<void> {
  const r = await withDb(openExisting(opts), (db) => listBrands(keyQueries(db)));
  print(opts, r, table(r.brands, ['brand_id', 'name', 'plan', 'created_at']));
}

export async function keyCreate(opts: BrandOpts & { name: string; kind: KeyKind }): Promise<void> {
  // The database first: a missing one is refused before a master key is made beside it.
  const r = await withDb(openExisting(opts), (db) => createKey(db, keyQueries(db), masterKeyOf(opts), { brandId: opts.brand, name: opts.name, kind: opts.kind }));
  print(opts, r, `key id  ${r.key_id}\nname    ${r.name}\nkey     ${r.secret_key ?? r.publishable_key}\n(the key is shown once)`);
}

export async function keyList(opts: BrandOpts): Promise<void> {
  const r = await withDb(openExisting(opts), (db) => listKeys(keyQueries(db), opts.brand));
  print(opts, r, table(r.keys, ['key_id', 'name', 'kind', 'prefix', 'created_at', 'last_used_at', 'revoked_at']));
}

export async function keyRevoke(opts: BrandOpts & { key: string }): Promise<void> {
  const keyId = keyIdOf(opts.key);
  const r = await withDb(openExisting(opts), (db) => revokeKey(db, keyQueries(db), opts.brand, keyId));
  print(opts, r, `key ${r.key_id} revoked: its next call is a 401`);
}

export async function keyRotate(opts: BrandOpts & { key?: string }): Promise<void> {
  const keyId = opts.key === undefined ? undefined : keyIdOf(opts.key);
  const r = await withDb(openExisting(opts), (db) => rotateSecretKey(db, keyQueries(db), masterKeyOf(opts), opts.brand, keyId));
  // --json keeps the documented shape; the new key's id and name are in `key list`.
  print(opts, { brand_id: r.brand_id, secret_key: r.secret_key },
    `brand id    ${r.brand_id}\nkey id      ${r.key_id} (${r.name})\nsecret key  ${r.secret_key}\n(the old secret key no longer works)`);
}
