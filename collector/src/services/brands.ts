// Use cases of the operator (CLI, first start): brands with their keys, advocates, key rotation.
import { randomBytes, randomUUID } from 'node:crypto';
import { encryptSecret, generateKey, hashKey, keyHint } from '../domain/keys.ts';
import { normalizeCode, normalizeEmail } from '../domain/identity.ts';
import type { Plan } from '../db/brands.ts';
import type { Queries } from '../db/queries.ts';
import type { Db } from '../db/open.ts';

function issueKey(q: Queries, brandId: string, kind: 'secret' | 'publishable', masterKey: Buffer, now: string): string {
  const key = generateKey(kind);
  q.brands.insertKey(brandId, kind, hashKey(key), keyHint(key), kind === 'secret' ? encryptSecret(key, masterKey) : null, now);
  return key;
}

export function createBrand(
  db: Db, q: Queries, masterKey: Buffer,
  input: { name: string; plan?: Plan | undefined; origins?: string[] | undefined },
) {
  return db.transaction(() => {
    const now = new Date().toISOString();
    const id = randomUUID();
    const plan = input.plan ?? 'premier';
    q.brands.insertBrand({ id, name: input.name, plan, allowedOrigins: input.origins ?? [] }, now);
    return {
      brand_id: id,
      secret_key: issueKey(q, id, 'secret', masterKey, now),
      publishable_key: issueKey(q, id, 'publishable', masterKey, now),
      plan,
    };
  })();
}

/** Revokes the brand's secret key(s) at once and issues a new one. */
export function rotateSecretKey(db: Db, q: Queries, masterKey: Buffer, brandId: string) {
  return db.transaction(() => {
    if (!q.brands.getBrand(brandId)) throw new Error(`no brand ${brandId}`);
    const now = new Date().toISOString();
    q.brands.revokeKeys(brandId, 'secret', now);
    return { brand_id: brandId, secret_key: issueKey(q, brandId, 'secret', masterKey, now) };
  })();
}

/** A readable unique code when none is given: the name's letters and a random suffix. */
function suggestCode(name: string): string {
  const letters = name.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 6) || 'REF';
  return letters + randomBytes(3).toString('hex').toUpperCase();
}

export function createAdvocate(q: Queries, input: { brandId: string; email: string; name: string; code?: string | undefined }) {
  if (!q.brands.getBrand(input.brandId)) throw new Error(`no brand ${input.brandId}`);
  const code = normalizeCode(input.code ?? suggestCode(input.name));
  if (!/^[A-Z0-9_-]{1,64}$/.test(code)) throw new Error('a code may contain only letters, digits, _ and -');
  const now = new Date().toISOString();
  const id = q.advocates.insert(input.brandId, {
    email: normalizeEmail(input.email), name: input.name.trim(), status: 'active', tier: null, metadata: null, referredBy: null,
  }, now);
  q.advocates.insertCode(input.brandId, id, code, now);
  return { advocate_id: id, code };
}
