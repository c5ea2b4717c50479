// What every use case runs with: the queries, the brand the key belongs to, and the clock.
import type { Brand } from '../db/brands.ts';
import type { Queries } from '../db/queries.ts';
import type { AttributionLookups } from '../domain/attribution.ts';

export interface Ctx {
  q: Queries;
  brand: Brand;
  now: Date;
}

/** JSON for a stored column, or null when there is nothing to store. */
export const jsonOrNull = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** The attribution reads of one brand, for domain/attribution.ts. */
export function attributionLookups({ q, brand }: Ctx): AttributionLookups {
  const b = brand.id;
  return {
    claimById: (id) => q.claims.findById(b, id),
    advocateByCode: (code) => q.advocates.findByCode(b, code),
    advocateById: (id) => q.advocates.findById(b, id),
    newestPendingClaim: (email, since) => q.claims.newestPending(b, email, since),
    newestPendingClaimFor: (email, advocateId, since) => q.claims.newestPendingForAdvocate(b, email, advocateId, since),
    newestVisit: (visitorId, since) => q.visits.newestForVisitor(b, visitorId, since),
  };
}

/** `fn` over `items` one after another (each awaited before the next starts, as the statements of one transaction). */
export async function mapInOrder<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let i = 0;
  for (const item of items) out.push(await fn(item, i++));
  return out;
}

/** Every value of an async iterable, in order (Array.fromAsync arrives in Node 22). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
