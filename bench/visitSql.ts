// The visit's SQL in-process, in CPU time per job: each statement of recordVisit, in 25-job batches as the commit queue
// runs them, with and without migration 009's visits_daily_insert trigger. CPU time (process.cpuUsage), not wall time,
// and many short alternating rounds: other work on the shared cores moves these figures far less than throughput.
//   node --import tsx bench/visitSql.ts          (VISIT_SQL_ROUNDS=15)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../collector/src/db/open.ts';
import { asConn } from '../collector/src/db/sqlite/conn.ts';
import { createQueries } from '../collector/src/db/queries.ts';
import { uuidv7 } from '../collector/src/domain/ids.ts';
import { createAdvocate, createBrand } from '../collector/src/services/brands.ts';
import { recordVisit } from '../collector/src/services/visits.ts';
import type { VisitRequest } from '../collector/src/schemas/track.ts';

const ROUNDS = Number(process.env.VISIT_SQL_ROUNDS ?? 15);
const BATCH = 25;
const BATCHES_PER_RUN = 80;
const TRIGGER = 'visits_daily_insert';

const dir = mkdtempSync(join(tmpdir(), 'referloop-bench-visit-sql-'));
const db = openDatabase(join(dir, 'referloop.db'));
// The fsync is the disk's, measured by bench.ts's probe; here only what the statements cost the CPU.
db.pragma('synchronous = OFF');
const q = createQueries(db);
const conn = asConn(db);
const created = await createBrand(conn, q, Buffer.alloc(32, 7), { name: 'Bench brand', plan: 'premier', origins: [] });
await createAdvocate(q, { brandId: created.brand_id, email: 'sarah@advocate.example', name: 'Sarah Jones', code: 'DEMO10' });
const brand = (await q.brands.getBrand(created.brand_id))!;
const advocate = (await q.advocates.findByCode(brand.id, 'DEMO10'))!;
const triggerSql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(TRIGGER) as string | undefined;
const setTrigger = (on: boolean) => {
  const present = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?`).get(TRIGGER) !== undefined;
  if (on && !present && triggerSql) db.exec(triggerSql);
  if (!on && present) db.exec(`DROP TRIGGER ${TRIGGER}`);
};

const request: VisitRequest = { referral_code: 'DEMO10', landing_page: 'https://shop.example/?ref=DEMO10', utm_source: 'email' };
const now = new Date();
const newVisit = () => ({
  brandId: brand.id, visitorId: uuidv7(now.getTime()), code: 'DEMO10', advocateId: advocate.id, shareChannel: 'email',
  landingPage: request.landing_page!, referrer: null, utmSource: 'email', utmMedium: null, utmCampaign: null, utmTerm: null,
  utmContent: null, createdAt: now.toISOString(),
});
// As the commit queue runs them: a batch of jobs in one BEGIN IMMEDIATE, a job in a savepoint (a nested transaction).
const isolated = (fn: () => Promise<unknown>) => conn.transaction(fn);
const batchOf = (job: () => unknown) => () => conn.transaction(async () => {
  for (let i = 0; i < BATCH; i++) await job();
});

const cases: Array<{ name: string; trigger: boolean; run: () => Promise<void> }> = [
  { name: 'BEGIN IMMEDIATE + COMMIT, shared by 25', trigger: true, run: batchOf(() => {}) },
  { name: 'SAVEPOINT + RELEASE', trigger: true, run: batchOf(() => isolated(async () => 0)) },
  { name: 'advocate by code', trigger: true, run: batchOf(async () => { await q.advocates.findByCode(brand.id, 'DEMO10'); }) },
  { name: 'click counter', trigger: true, run: batchOf(() => q.advocates.countClick(brand.id, 'DEMO10')) },
  { name: 'visit insert, 009 trigger', trigger: true, run: batchOf(async () => { await q.visits.insert(newVisit()); }) },
  { name: 'visit insert, no trigger', trigger: false, run: batchOf(async () => { await q.visits.insert(newVisit()); }) },
  { name: 'recordVisit in its SAVEPOINT, 009', trigger: true, run: batchOf(() => isolated(() => recordVisit({ q, brand, now }, request))) },
  { name: 'recordVisit in its SAVEPOINT, no 009', trigger: false, run: batchOf(() => isolated(() => recordVisit({ q, brand, now }, request))) },
];

const perJob: number[][] = cases.map(() => []);
try {
  for (let round = -1; round < ROUNDS; round++) {
    // Each round runs the cases in another order; round -1 is the warm-up.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + Math.max(round, 0)) % cases.length;
      const c = cases[i]!;
      setTrigger(c.trigger);
      const start = process.cpuUsage();
      for (let b = 0; b < BATCHES_PER_RUN; b++) await c.run();
      const used = process.cpuUsage(start);
      if (round >= 0) perJob[i]!.push((used.user + used.system) / (BATCHES_PER_RUN * BATCH));
    }
  }
} finally {
  setTrigger(true);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(`CPU per job, median of ${ROUNDS} rounds of ${BATCHES_PER_RUN} batches of ${BATCH} (synchronous=OFF: no fsync):\n`);
cases.forEach((c, i) => process.stdout.write(`  ${c.name.padEnd(40)} ${median(perJob[i]!).toFixed(2).padStart(6)} us\n`));
const withTrigger = median(perJob[6]!);
const without = median(perJob[7]!);
process.stdout.write(`  migration 009's trigger per visit: ${(withTrigger - without).toFixed(2)} us (${((withTrigger / without - 1) * 100).toFixed(0)}% of the visit's SQL)\n`);
