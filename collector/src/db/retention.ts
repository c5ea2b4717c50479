// Queries of the visit retention sweep (jobs/retention.ts): the brands that keep visits for a limited time, and their
// oldest visits, read and deleted in id order (visits_brand) so no batch walks or sorts the brand's visits.
import type { Conn } from './port.ts';

export interface RetainingBrand { id: string; days: number }

export function createRetentionQueries(db: Conn) {
  // The sweep's one query over every brand, as the settlement sweep's (a handful of rows, brands is small).
  const brands = db.prepare('SELECT id, visit_retention_days AS days FROM brands WHERE visit_retention_days IS NOT NULL ORDER BY id');
  // A visit's id and created_at grow together (ids are given at insert, created_at is the insert's clock), so the
  // brand's lowest ids are its oldest visits.
  const oldest = db.prepare('SELECT id, created_at AS createdAt FROM visits WHERE brand_id = ? ORDER BY id LIMIT ?');
  const oldestOne = db.prepare('SELECT created_at FROM visits WHERE brand_id = ? ORDER BY id LIMIT 1', { pluck: true });
  const deleteUpTo = db.prepare('DELETE FROM visits WHERE brand_id = ? AND id <= ? AND created_at < ?');
  return {
    retainingBrands: async (): Promise<RetainingBrand[]> => await brands.all() as RetainingBrand[],
    /** Whether the brand's oldest visit is older than `cutoff` (one step on the index). */
    hasExpired: async (brandId: string, cutoff: string): Promise<boolean> => {
      const at = await oldestOne.get(brandId) as string | undefined;
      return at !== undefined && at < cutoff;
    },
    oldestVisits: async (brandId: string, limit: number) => await oldest.all(brandId, limit) as Array<{ id: number; createdAt: string }>,
    /** Deletes the brand's visits up to id `lastId` created before `cutoff`; answers how many. */
    deleteExpiredUpTo: async (brandId: string, lastId: number, cutoff: string): Promise<number> => (await deleteUpTo.run(brandId, lastId, cutoff)).changes,
  };
}
