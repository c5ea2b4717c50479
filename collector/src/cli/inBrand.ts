// A brand's command in one transaction: the brand, the clock and every query module (loaded only by the commands
// that need them: `brand list` and `key ...` start without).
import type { Db } from '../db/open.ts';
import { createQueries } from '../db/queries.ts';
import type { Ctx } from '../services/context.ts';
import { openExisting, type BrandOpts } from './common.ts';

/**
 * BEGIN IMMEDIATE: the transaction takes the write lock first (waiting up to busy_timeout while the collector
 * commits), instead of reading and then failing at once with "database is locked" when it tries to write.
 */
export function inBrand<T>(opts: BrandOpts, run: (ctx: Ctx, db: Db) => T): T {
  const db = openExisting(opts);
  const q = createQueries(db);
  try {
    return db.transaction(() => {
      const brand = q.brands.getBrand(opts.brand);
      if (!brand) throw new Error(`no brand ${opts.brand}`);
      return run({ q, brand, now: new Date() }, db);
    }).immediate();
  } finally {
    db.close();
  }
}
