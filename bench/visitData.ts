// Stored visits for the attribution bench: written straight into the SQLite file with the collector's own
// insert statement, and the collector's own visitor lookup timed in-process.
import { createHash } from 'node:crypto';
import { DEMO_CODE } from '../collector/src/bootstrap.ts';
import { openDatabase } from '../collector/src/db/open.ts';
import { asConn } from '../collector/src/db/sqlite/conn.ts';
import { createQueries } from '../collector/src/db/queries.ts';

const DAY_MS = 86_400_000;

/** Visitor i's id: recomputable, so the load generator can pick stored visitors at random without a list. */
export const visitorIdFor = (i: number): string => createHash('md5').update(`bench-visitor-${i}`).digest('hex');

/**
 * `count` visits of the demo advocate over the last 20 days (inside the 30-day window), in one
 * transaction, then a checkpoint so the collector does not start with the whole batch in its WAL.
 */
export async function seedVisits(dbPath: string, brandId: string, count: number): Promise<{ ms: number }> {
  const started = performance.now();
  const db = openDatabase(dbPath);
  try {
    // Setup only: a big page cache for this connection makes a million random-key index inserts quick.
    db.pragma('cache_size = -262144');
    const q = createQueries(db);
    const advocate = await q.advocates.findByCode(brandId, DEMO_CODE);
    if (!advocate) throw new Error(`no ${DEMO_CODE} advocate for brand ${brandId}`);
    const first = Date.now() - 20 * DAY_MS;
    const step = (20 * DAY_MS) / count;
    await asConn(db).transaction(async () => {
      for (let i = 0; i < count; i++) {
        await q.visits.insert({
          brandId,
          visitorId: visitorIdFor(i),
          code: advocate.code,
          advocateId: advocate.id,
          shareChannel: 'email',
          landingPage: 'https://shop.example/?ref=DEMO10',
          referrer: null,
          utmSource: 'email',
          utmMedium: 'referral',
          utmCampaign: 'spring',
          utmTerm: null,
          utmContent: null,
          createdAt: new Date(first + i * step).toISOString(),
        });
      }
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return { ms: performance.now() - started };
}

/** Mean time of the collector's newest-visit-of-visitor lookup, in microseconds, over random stored visitors. */
export async function timeVisitorLookup(dbPath: string, brandId: string, stored: number, lookups: number): Promise<number> {
  const db = openDatabase(dbPath);
  try {
    const q = createQueries(db);
    const since = new Date(Date.now() - 30 * DAY_MS).toISOString();
    const ids = Array.from({ length: lookups }, () => visitorIdFor(Math.floor(Math.random() * stored)));
    let found = 0;
    const started = performance.now();
    for (const id of ids) if (await q.visits.newestForVisitor(brandId, id, since) !== undefined) found++;
    const us = ((performance.now() - started) * 1000) / lookups;
    if (found !== lookups) throw new Error(`visitor lookup found ${found} of ${lookups} stored visitors`);
    return us;
  } finally {
    db.close();
  }
}
