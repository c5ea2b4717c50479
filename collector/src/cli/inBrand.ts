// A brand's command in one transaction: the brand, the clock and every query module (loaded only by the commands
// that need them: `brand list` and `key ...` start without).
import type { Conn } from '../db/port.ts';
import { createQueries } from '../db/queries.ts';
import type { Ctx } from '../services/context.ts';
import { openExisting, type BrandOpts } from './common.ts';

/**
 * BEGIN IMMEDIATE: the transaction takes the write lock first (waiting up to busy_timeout while the collector
 * commits), instead of reading and then failing at once with "database is locked" when it tries to write.
 * `deferred` (readBrand) for a read: one moment's rows without the write lock, so the collector's conversions keep
 * committing meanwhile (WAL: a reader neither waits for the writer nor holds it up).
 */
export async function inBrand<T>(opts: BrandOpts, run: (ctx: Ctx, db: Conn) => T | Promise<T>, mode: 'immediate' | 'deferred' = 'immediate'): Promise<T> {
  const db = await openExisting(opts);
  const q = createQueries(db);
  try {
    return await db.transaction(async () => {
      const brand = await q.brands.getBrand(opts.brand);
      if (!brand) throw new Error(`no brand ${opts.brand}`);
      return await run({ q, brand, now: new Date() }, db);
    }, { mode: mode === 'deferred' ? 'read' : 'write' });
  } finally {
    await db.close();
  }
}

/** A brand's read in one read transaction (BEGIN, deferred). */
export const readBrand = <T>(opts: BrandOpts, run: (ctx: Ctx) => T | Promise<T>): Promise<T> => inBrand(opts, run, 'deferred');
