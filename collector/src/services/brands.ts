// Use cases of the operator (CLI, first start): a brand with its first keys, advocates (keys: services/keys.ts).
import { randomUUID } from 'node:crypto';
import type { Plan } from '../db/brands.ts';
import type { Queries } from '../db/queries.ts';
import type { Conn } from '../db/port.ts';
import { zCreateAdvocateRequest } from '../schemas/advocates.ts';
import { createAdvocate as createAdvocateUseCase } from './advocates.ts';
import { DEFAULT_KEY_NAMES, issueKey } from './keys.ts';

export { rotateSecretKey } from './keys.ts';

// Transactions start as writes (BEGIN IMMEDIATE): a read transaction upgraded to a write while the collector
// holds the write lock fails at once with SQLITE_BUSY; an immediate one waits for busy_timeout instead.
export function createBrand(
  db: Conn, q: Queries, masterKey: Buffer,
  input: { name: string; plan?: Plan | undefined; origins?: string[] | undefined },
) {
  return db.transaction(async () => {
    const now = new Date().toISOString();
    const id = randomUUID();
    const plan = input.plan ?? 'premier';
    await q.brands.insertBrand({ id, name: input.name, plan, allowedOrigins: input.origins ?? [] }, now);
    return {
      brand_id: id,
      secret_key: (await issueKey(q.brands, id, 'secret', DEFAULT_KEY_NAMES.secret, masterKey, now)).key,
      publishable_key: (await issueKey(q.brands, id, 'publishable', DEFAULT_KEY_NAMES.publishable, masterKey, now)).key,
      plan,
    };
  });
}

/**
 * `referloop advocate create` and the first start: the same use case as POST /api/v1/advocates, its input
 * checked by the same schema. Throws an Error naming the problem (unknown brand, bad field, email or code taken).
 */
export async function createAdvocate(q: Queries, input: { brandId: string; email: string; name: string; code?: string | undefined; campaignId?: string | undefined }) {
  const brand = await q.brands.getBrand(input.brandId);
  if (!brand) throw new Error(`no brand ${input.brandId}`);
  const parsed = zCreateAdvocateRequest.safeParse({ email: input.email, name: input.name, referral_code: input.code, campaign_id: input.campaignId });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  }
  const advocate = await createAdvocateUseCase({ q, brand, now: new Date() }, parsed.data);
  return { advocate_id: advocate.id, code: advocate.referral_code! };
}
