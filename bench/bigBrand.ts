// A brand of real size for the management bench, written through the collector's own use cases (createBrand,
// createAdvocate, recordVisit, recordConversion, recordRefund, settleDueRewards, markPaid), event by event in
// time order, so every row (rewards and their history included) is what the collector itself would write.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DAY_MS } from '../collector/src/domain/time.ts';
import type { Brand } from '../collector/src/db/brands.ts';
import { openDatabase, type Db } from '../collector/src/db/open.ts';
import { asConn } from '../collector/src/db/sqlite/conn.ts';
import { createQueries, type Queries } from '../collector/src/db/queries.ts';
import { zCreateAdvocateRequest } from '../collector/src/schemas/advocates.ts';
import { zSettingsPatch } from '../collector/src/schemas/settings.ts';
import { zConversionRequest, zRefundRequest, type VisitRequest } from '../collector/src/schemas/track.ts';
import { createAdvocate } from '../collector/src/services/advocates.ts';
import { createBrand } from '../collector/src/services/brands.ts';
import { markPaid, settleDueRewards } from '../collector/src/services/commissions.ts';
import type { Ctx } from '../collector/src/services/context.ts';
import { recordConversion } from '../collector/src/services/conversions.ts';
import { recordRefund } from '../collector/src/services/refunds.ts';
import { updateSettings } from '../collector/src/services/settings.ts';
import { recordVisit } from '../collector/src/services/visits.ts';
import { ROOT } from './processes.ts';

/** The size of issue 8's brand; the small brand is a tenth of it. */
export const FULL_SIZE = { advocates: 100_000, visits: 2_000_000, conversions: 300_000, dueRewards: 107_000 };

export interface BrandSize { advocates: number; visits: number; conversions: number; dueRewards: number }

export const scaled = (size: BrandSize, factor: number): BrandSize => ({
  advocates: Math.round(size.advocates * factor),
  visits: Math.round(size.visits * factor),
  conversions: Math.round(size.conversions * factor),
  dueRewards: Math.round(size.dueRewards * factor),
});

/** What the bench needs to call the seeded brand, and the search terms that find one known advocate. */
export interface SeededBrand {
  brandId: string;
  secretKey: string;
  /** the moment the seeded timeline ends; rewards are due relative to it */
  anchor: string;
  seedSeconds: number;
  counts: Record<string, number>;
  search: { name: string; email: string; code: string; advocateId: number };
}

// Conversions span 150 days before the anchor; advocates sign up in the 90 days before that.
const SPAN_DAYS = 150;
const SIGNUP_DAYS = 90;
/** One transaction per this many use-case calls: big enough that commits cost nothing, small enough for the cache. */
const BATCH = 10_000;
const REFUND_SHARE = 0.08;
const REPEAT_CUSTOMER_SHARE = 0.02;
const BY_VISITOR_SHARE = 0.1;
const REFERRED_SHARE = 0.1;

// A fixed PRNG (mulberry32), so two seedings of one size hold the same names, amounts and timeline.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Liam', 'Maya',
  'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wim', 'Xenia', 'Yusuf', 'Zoe', 'Amir', 'Bea',
  'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nina'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'sa', 'to', 'vel', 'dor', 'an', 'bri', 'cu', 'fen', 'gal', 'hol', 'ist', 'jor',
  'kel', 'mar', 'nov', 'pet', 'ros', 'sten', 'tur', 'ul', 'van', 'wes', 'yor', 'zan'];

function personName(rand: () => number): { first: string; last: string } {
  const first = FIRST[Math.floor(rand() * FIRST.length)]!;
  const parts = 2 + Math.floor(rand() * 2);
  let last = '';
  for (let i = 0; i < parts; i++) last += SYLLABLES[Math.floor(rand() * SYLLABLES.length)]!;
  return { first, last: last[0]!.toUpperCase() + last.slice(1) };
}

/** Commits every BATCH calls: one transaction per batch, as the seeding connection's only durability cost. */
function batcher(db: Db) {
  let ops = 0;
  db.exec('BEGIN IMMEDIATE');
  return {
    tick() {
      if (++ops % BATCH === 0) db.exec('COMMIT; BEGIN IMMEDIATE');
    },
    end() {
      db.exec('COMMIT');
    },
  };
}

/** Settles everything due at `now`, however the use case bounds one call (it answers how many it approved). */
async function settleAll(ctx: Ctx): Promise<void> {
  while (await settleDueRewards(ctx) > 0) { /* next batch */ }
}

/**
 * An operator's payout run at `now`: the brand's approved cash commissions approved at or before `approvedBy`
 * are paid through the payout use case, in slices (the CLI's mark-paid does the same with a file).
 */
async function payoutRun(db: Db, ctx: Ctx, approvedBy: string): Promise<number> {
  await settleAll(ctx);
  const ids = db.prepare(
    `SELECT id FROM rewards WHERE brand_id = ? AND status = 'approved' AND kind = 'cash' AND approved_at <= ? ORDER BY id`,
  ).pluck().all(ctx.brand.id, approvedBy) as number[];
  for (let i = 0; i < ids.length; i += 5_000) await markPaid(ctx, ids.slice(i, i + 5_000), 'cli', 'bench payout run');
  return ids.length;
}

interface PendingRefund { at: number; orderId: string; cents: number; full: boolean }

/**
 * Seeds one brand of `size` into a fresh file at `dbPath`. The timeline ends at `anchor`: rewards of conversions
 * older than the cooling period are due; the last settlement (a payout run) is placed so that about
 * `size.dueRewards` of them are still pending, for the bench's approve-due to find.
 */
export async function seedBigBrand(dbPath: string, masterKey: Buffer, size: BrandSize, anchor: number): Promise<SeededBrand> {
  const started = performance.now();
  const db = openDatabase(dbPath);
  // Bench data only: this seeding connection skips fsync and keeps a large page cache; the collector opens the
  // file later with its own verified pragmas (synchronous=FULL).
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -4194304');
  const q: Queries = createQueries(db);
  const rand = prng(size.advocates);
  try {
    const keys = await createBrand(asConn(db), q, masterKey, { name: `Bench brand ${size.advocates}` });
    let brand: Brand = (await q.brands.getBrand(keys.brand_id))!;
    const ctxAt = (t: number): Ctx => ({ q, brand, now: new Date(t) });
    const start = anchor - SPAN_DAYS * DAY_MS;
    await updateSettings(ctxAt(start - SIGNUP_DAYS * DAY_MS), zSettingsPatch.parse({ level2_reward_type: 'percentage', level2_reward_value: 2 }));
    brand = (await q.brands.getBrand(keys.brand_id))!;

    // Advocates: signed up over SIGNUP_DAYS before the first visit; some referred by an earlier one (level 2),
    // a few blocked, some with a tier.
    const batch = batcher(db);
    const advocates: Array<{ id: number; code: string; blocked: boolean }> = [];
    const target = Math.floor(size.advocates * 0.03);
    let search: SeededBrand['search'] | undefined;
    for (let i = 0; i < size.advocates; i++) {
      const { first, last } = personName(rand);
      const email = `${first}.${last}.${i}@example.com`.toLowerCase();
      const blocked = i > 10 && rand() < 0.01;
      const referred = i > 100 && rand() < REFERRED_SHARE;
      const tierRoll = rand();
      const req = zCreateAdvocateRequest.parse({
        email,
        name: `${first} ${last}`,
        status: blocked ? 'blocked' : 'active',
        tier: tierRoll < 0.05 ? 'gold' : tierRoll < 0.2 ? 'silver' : null,
        ...(referred ? { referred_by: advocates[Math.floor(rand() * advocates.length)]!.id } : {}),
      });
      const a = await createAdvocate(ctxAt(start - SIGNUP_DAYS * DAY_MS + (i * SIGNUP_DAYS * DAY_MS) / size.advocates), req);
      advocates.push({ id: a.id, code: a.referral_code!, blocked });
      if (i === target) {
        search = { name: `${first} ${last.slice(0, 3)}`, email: email.slice(0, email.indexOf('@') - 1), code: a.referral_code!, advocateId: a.id };
      }
      batch.tick();
    }
    // Older advocates are shared more: half the picks uniform, half skewed to the first signed up.
    const pickAdvocate = () => {
      for (;;) {
        const u = rand();
        const a = advocates[Math.floor(advocates.length * (rand() < 0.5 ? u : u * u * u))]!;
        if (!a.blocked) return a;
      }
    };

    // The last settlement (a payout run) is placed so that about size.dueRewards rewards fall due after it:
    // rewards per day ~ conversions per day x (1 + level-2 share), less the repeat customers' rejected ones.
    const perDay = (size.conversions / SPAN_DAYS) * (1 + REFERRED_SHARE) * (1 - REPEAT_CUSTOMER_SHARE);
    const lastSettle = anchor - (size.dueRewards / perDay) * DAY_MS;
    // Payout runs: one early (everything approved so far), one at lastSettle paying what was approved by then
    // except its last ~25 days, which stays approved: the payout list of the bench.
    const payouts = [
      { at: start + 50 * DAY_MS, approvedBy: start + 50 * DAY_MS },
      { at: lastSettle, approvedBy: lastSettle - 25 * DAY_MS },
    ];

    const freeVisits = size.visits - Math.ceil(size.conversions / Math.round(1 / BY_VISITOR_SHARE));
    const step = (SPAN_DAYS * DAY_MS) / size.conversions;
    const customers: string[] = [];
    let visitsDone = 0;
    let refundsDone = 0;
    const visit = async (t: number, code: string): Promise<string> => {
      visitsDone++;
      batch.tick();
      // Typed as the schema's output rather than parsed: two million zod parses would be a tenth of the seeding.
      const req: VisitRequest = { referral_code: code, landing_page: `https://shop.example/?ref=${code}`, utm_source: 'email', utm_medium: 'referral' };
      return (await recordVisit(ctxAt(t), req)).visitor_id;
    };
    // Refunds wait in hourly slots and are recorded, oldest slot first, once the timeline has passed their slot.
    const slotOf = (t: number) => Math.floor((t - start) / 3_600_000);
    const refundSlots: PendingRefund[][] = [];
    let nextSlot = 0;
    const dueRefunds = async (upTo: number) => {
      for (; nextSlot < slotOf(upTo); nextSlot++) {
        for (const r of (refundSlots[nextSlot] ?? []).sort((a, b) => a.at - b.at)) {
          await recordRefund(ctxAt(r.at), zRefundRequest.parse({
            order_id: r.orderId, refund_amount: (r.cents / 100).toFixed(2), is_full_refund: r.full, refund_reason: 'customer returned the order',
          }));
          refundsDone++;
          batch.tick();
        }
        refundSlots[nextSlot] = [];
      }
    };

    for (let i = 0; i < size.conversions; i++) {
      const t = start + i * step;
      // The visits of this slice of time, each a click on a referral link.
      const visitsTo = Math.round(((i + 1) * freeVisits) / size.conversions);
      for (let v = Math.round((i * freeVisits) / size.conversions); v < visitsTo; v++) {
        await visit(t - step + ((v % 7) + 0.5) * (step / 7), pickAdvocate().code);
      }
      await dueRefunds(t);
      while (payouts.length > 0 && payouts[0]!.at <= t) {
        const run = payouts.shift()!;
        await dueRefunds(run.at);
        await payoutRun(db, ctxAt(run.at), new Date(run.approvedBy).toISOString());
      }

      const advocate = pickAdvocate();
      const repeat = customers.length > 0 && rand() < REPEAT_CUSTOMER_SHARE;
      const email = repeat ? customers[Math.floor(rand() * customers.length)]! : `customer${i}@example.net`;
      if (!repeat) customers.push(email);
      const cents = 2_000 + Math.floor(rand() * 28_000);
      const orderId = `bench-${i}`;
      const byVisitor = i % Math.round(1 / BY_VISITOR_SHARE) === 0;
      const attribution = byVisitor
        ? { visitor_id: await visit(t - 2 * 3_600_000, advocate.code) }
        : { referral_code: advocate.code };
      await recordConversion(ctxAt(t), zConversionRequest.parse({
        order_id: orderId, email, name: 'Bench Customer', order_value: (cents / 100).toFixed(2), ...attribution,
      }));
      batch.tick();
      // Refunds come 1 to 45 days later, never after the last settlement (a refund settles what is due first).
      const refundAt = t + (1 + rand() * 44) * DAY_MS;
      if (rand() < REFUND_SHARE && refundAt <= lastSettle) {
        const full = rand() < 0.6;
        (refundSlots[slotOf(refundAt)] ??= []).push({ at: refundAt, orderId, cents: full ? cents : Math.round(cents / 2), full });
      }
    }
    await dueRefunds(lastSettle + 3_600_000);
    for (const run of payouts) await payoutRun(db, ctxAt(run.at), new Date(run.approvedBy).toISOString());
    batch.end();
    db.pragma('wal_checkpoint(TRUNCATE)');

    const count = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;
    const b = keys.brand_id;
    const now = new Date(anchor).toISOString();
    const counts = {
      advocates: count('SELECT count(*) FROM advocates WHERE brand_id = ?', b),
      visits: visitsDone,
      conversions: count('SELECT count(*) FROM conversions WHERE brand_id = ?', b),
      refunds: refundsDone,
      rewards: count('SELECT count(*) FROM rewards WHERE brand_id = ?', b),
      reward_events: count('SELECT count(*) FROM reward_events WHERE brand_id = ?', b),
      pending_due: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at <= ?`, b, now),
      pending_not_due: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at > ?`, b, now),
      approved: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'approved'`, b),
      paid: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'paid'`, b),
      clawbacks: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND clawed_back > 0`, b),
      reversed: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'reversed'`, b),
      rejected: count(`SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'rejected'`, b),
    };
    return {
      brandId: b, secretKey: keys.secret_key, anchor: now, seedSeconds: (performance.now() - started) / 1000, counts, search: search!,
    };
  } finally {
    db.close();
  }
}

/**
 * The cache key's code part: the migrations (the schema) and this file (what is seeded). A change to how a use case
 * writes its rows without a migration is not seen: BENCH_RESEED=1 then.
 */
function codeHash(): string {
  const hash = createHash('sha256');
  const migrations = join(ROOT, 'collector/src/db/migrations');
  for (const name of readdirSync(migrations).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
  hash.update(readFileSync(join(ROOT, 'bench/bigBrand.ts')));
  return hash.digest('hex').slice(0, 16);
}

export interface SeededFile { file: string; brand: SeededBrand; cached: boolean }

const CACHE_ROOT = join(tmpdir(), 'referloop-bench-cache');

/**
 * The seeded files of `sizes`, from the cache when a seeding of the same code, sizes and UTC day is there
 * (BENCH_RESEED=1 ignores it), else seeded now and stored. The cache keeps pristine files: the caller copies
 * them before a collector changes them. Older days' entries are removed.
 */
export async function seededFiles(
  sizes: Record<string, BrandSize>, log: (line: string) => void,
): Promise<{ masterKey: string; files: Record<string, SeededFile> }> {
  const day = new Date().toISOString().slice(0, 10);
  const key = `${day}-${codeHash()}-${createHash('sha256').update(JSON.stringify(sizes)).digest('hex').slice(0, 8)}`;
  const dir = join(CACHE_ROOT, key);
  mkdirSync(CACHE_ROOT, { recursive: true });
  for (const entry of readdirSync(CACHE_ROOT)) {
    if (!entry.startsWith(day)) rmSync(join(CACHE_ROOT, entry), { recursive: true, force: true });
  }
  const metaFile = join(dir, 'meta.json');
  if (process.env.BENCH_RESEED !== '1' && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { masterKey: string; brands: Record<string, SeededBrand> };
    log(`  seeded files from the cache ${dir} (BENCH_RESEED=1 seeds again)`);
    const files = Object.fromEntries(Object.entries(meta.brands).map(([label, brand]) =>
      [label, { file: join(dir, `${label}.db`), brand, cached: true }]));
    return { masterKey: meta.masterKey, files };
  }
  const building = `${dir}.partial-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const masterKey = randomBytes(32).toString('hex');
  const anchor = Date.now();
  const brands: Record<string, SeededBrand> = {};
  try {
    for (const [label, size] of Object.entries(sizes)) {
      brands[label] = await seedBigBrand(join(building, `${label}.db`), Buffer.from(masterKey, 'hex'), size, anchor);
      log(`  seeded ${label}: ${Object.entries(brands[label]!.counts).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`
        + ` in ${brands[label]!.seedSeconds.toFixed(1)} s`);
    }
    writeFileSync(join(building, 'meta.json'), JSON.stringify({ masterKey, brands }, null, 2));
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  const files = Object.fromEntries(Object.entries(brands).map(([label, brand]) =>
    [label, { file: join(dir, `${label}.db`), brand, cached: false }]));
  return { masterKey, files };
}

/** A private copy of a pristine seeded file as `<dataDir>/referloop.db`, for a collector to change. */
export function copySeeded(file: string, dataDir: string): string {
  const target = join(dataDir, 'referloop.db');
  copyFileSync(file, target);
  return target;
}
