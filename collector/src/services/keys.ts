// The operator's keys (create, list, revoke, rotate; several named keys per brand) and the list of brands a key
// command needs to find its brand id again. No request schema here: the CLI's quick commands load little.
import { encryptSecret, generateKey, hashKey, KEY_NAME, KEY_NAME_RULE, keyHint, type KeyKind } from '../domain/keys.ts';
import { ApiError } from '../errors.ts';
import type { Conn } from '../db/port.ts';
import type { Queries } from '../db/queries.ts';

/** Only the brand and key queries: the CLI's key commands build no other statement. */
type KeyQueries = Pick<Queries, 'brands'>;

/** The names of the keys made with a brand; keys made before named keys (migration 004) carry them too. */
export const DEFAULT_KEY_NAMES: Record<KeyKind, string> = { secret: 'default', publishable: 'tracker' };

/** A key's name: what an operator calls the integration that holds it. */
function checkKeyName(name: string): string {
  const n = name.trim();
  if (!KEY_NAME.test(n)) {
    throw new ApiError(400, 'invalid_request', `--name "${name}": ${KEY_NAME_RULE}`, [{ field: 'name', message: KEY_NAME_RULE }]);
  }
  return n;
}

export async function issueKey(brands: KeyQueries['brands'], brandId: string, kind: KeyKind, name: string, masterKey: Buffer, now: string) {
  const taken = await brands.activeKeyNamed(brandId, name);
  if (taken) {
    throw new ApiError(409, 'key_name_taken', `brand ${brandId} already has an active key named "${name}" (key ${taken.key_id}): revoke it or choose another name`,
      [{ field: 'name', message: `is the name of active key ${taken.key_id} (${taken.prefix}): revoke it or choose another name` }]);
  }
  const key = generateKey(kind);
  const keyId = await brands.insertKey({
    brandId, kind, name, keyHash: hashKey(key), hint: keyHint(key), sealed: kind === 'secret' ? encryptSecret(key, masterKey) : null,
  }, now);
  return { keyId, key };
}

async function brandOf(q: KeyQueries, brandId: string): Promise<void> {
  if (!await q.brands.brandExists(brandId)) throw new Error(`no brand ${brandId}`);
}

/** `referloop brand list`: every brand, oldest first, so a lost brand id can be found again. */
export const listBrands = async (q: KeyQueries) => ({ brands: await q.brands.listBrands() });

/**
 * `referloop key create` and the dashboard's API keys page: another named key of the brand (each integration its
 * own), shown this once.
 */
export function createKey(
  db: Conn, q: KeyQueries, masterKey: Buffer, input: { brandId: string; name: string; kind?: KeyKind | undefined },
  now = new Date(),
): Promise<{ key_id: number; name: string; secret_key?: string; publishable_key?: string }> {
  const kind = input.kind ?? 'secret';
  const name = checkKeyName(input.name);
  return db.transaction(async () => {
    await brandOf(q, input.brandId);
    const { keyId, key } = await issueKey(q.brands, input.brandId, kind, name, masterKey, now.toISOString());
    return { key_id: keyId, name, ...(kind === 'secret' ? { secret_key: key } : { publishable_key: key }) };
  });
}

/** `referloop key list`: every key of the brand, revoked ones included, never a key itself. */
export async function listKeys(q: KeyQueries, brandId: string) {
  await brandOf(q, brandId);
  return { keys: await q.brands.listKeys(brandId) };
}

/**
 * `referloop key revoke`: the next call with the key is a 401, also in a running collector (its key cache watches
 * other processes' commits). Revoking a key that is already revoked changes nothing and says so the same way.
 */
export async function revokeKey(db: Conn, q: KeyQueries, brandId: string, keyId: number, now = new Date()) {
  return (await db.transaction(async () => {
    await brandOf(q, brandId);
    // A 404 for the dashboard (another brand's id never leaks); the CLI prints the message.
    if (!await q.brands.getKey(brandId, keyId)) throw new ApiError(404, 'not_found', `brand ${brandId} has no key ${keyId} (see referloop key list)`);
    await q.brands.revokeKey(brandId, keyId, now.toISOString());
    return { key_id: keyId, revoked: true as const };
  }));
}

/**
 * `referloop key rotate`: revokes one secret key at once and issues its replacement under the same name. Without
 * `keyId` that is the brand's `default` key (the one made with the brand, the only one before named keys), so other
 * integrations' named keys keep working; a brand whose default key was revoked gets a new one.
 */
export function rotateSecretKey(db: Conn, q: KeyQueries, masterKey: Buffer, brandId: string, keyId?: number) {
  return db.transaction(async () => {
    await brandOf(q, brandId);
    const now = new Date().toISOString();
    const old = keyId === undefined ? await q.brands.activeKeyNamed(brandId, DEFAULT_KEY_NAMES.secret) : await q.brands.getKey(brandId, keyId);
    if (keyId !== undefined && (!old || old.revoked_at !== null || old.kind !== 'secret')) {
      throw new Error(`brand ${brandId} has no active secret key ${keyId} (see referloop key list)`);
    }
    if (old) await q.brands.revokeKey(brandId, old.key_id, now);
    const name = old?.name ?? DEFAULT_KEY_NAMES.secret;
    const issued = await issueKey(q.brands, brandId, 'secret', name, masterKey, now);
    return { brand_id: brandId, key_id: issued.keyId, name, secret_key: issued.key };
  });
}
