// The dashboard at real size (npm run bench's fifth part; BENCH_ONLY=dashboard runs it alone): each page's time on
// the management bench's big brand (bench/bigBrand.ts, the same cached file), signed in as a real user, with the
// worst /healthz meanwhile (bench/manage.ts's probe). Add a page to DASHBOARD_PAGES with one line.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { DAY_MS } from '../collector/src/domain/time.ts';
import { copySeeded, FULL_SIZE, scaled, seededFiles, type SeededBrand } from './bigBrand.ts';
import { HealthzProbe } from './manage.ts';
import { makeTempDir, ROOT, startCollector, type Collector } from './processes.ts';

/** The same sizes as bench/manage.ts (BENCH_MANAGE_SCALE too), so both parts share one seeded file. */
const SCALE = Number(process.env.BENCH_MANAGE_SCALE ?? 1);
const CALLS = Number(process.env.BENCH_DASHBOARD_CALLS ?? 9);
const PAGE_BUDGET_MS = 100;
const HEALTHZ_BUDGET_MS = 100;
const FIRST_CALL_TIMEOUT_MS = 300_000;

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The pages measured, as a signed-in owner opens them; `path` may use the seeded brand (its timeline's end). */
export const DASHBOARD_PAGES: Array<{ label: string; path: (b: SeededBrand) => string }> = [
  { label: 'overview, last 7 days', path: () => '/dashboard?range=7' },
  { label: 'overview, last 30 days (default)', path: () => '/dashboard' },
  { label: 'overview, last 90 days', path: () => '/dashboard?range=90' },
  { label: 'overview, custom 366 days', path: (b) => `/dashboard?range=custom&from=${day(Date.parse(b.anchor) - 365 * DAY_MS)}&to=${day(Date.parse(b.anchor))}` },
  { label: 'advocates', path: () => '/dashboard/advocates' },
  { label: 'advocates, search', path: (b) => `/dashboard/advocates?search=${encodeURIComponent(b.search.name)}` },
  { label: 'advocates, blocked', path: () => '/dashboard/advocates?status=blocked' },
  { label: 'advocate, the busiest (id 1)', path: () => '/dashboard/advocates/1' },
  { label: 'advocate, found by search', path: (b) => `/dashboard/advocates/${b.search.advocateId}` },
  { label: 'conversions', path: () => '/dashboard/conversions' },
  { label: 'conversions, unattributed', path: () => '/dashboard/conversions?attributed=false' },
  { label: 'conversions, one advocate', path: () => '/dashboard/conversions?advocate_id=1' },
  { label: 'conversion, the newest', path: (b) => `/dashboard/conversions/${b.counts.conversions}` },
  { label: 'commissions', path: () => '/dashboard/commissions' },
  { label: 'commissions, pending', path: () => '/dashboard/commissions?status=pending' },
  { label: 'commissions, a week by created date', path: (b) => `/dashboard/commissions?from=${day(Date.parse(b.anchor) - 100 * DAY_MS)}&to=${day(Date.parse(b.anchor) - 94 * DAY_MS)}` },
  { label: 'commissions, one advocate, level 2', path: (b) => `/dashboard/commissions?advocate_id=${b.search.advocateId}&level=2` },
  { label: 'commission, with its history', path: () => '/dashboard/commissions/1' },
  { label: 'payouts (the busiest advocate first)', path: () => '/dashboard/payouts' },
  { label: 'payouts, advocates after 1', path: () => '/dashboard/payouts?after=1' },
  { label: 'payouts, advocates after 90,000', path: () => '/dashboard/payouts?after=90000' },
  { label: 'settings', path: () => '/dashboard/settings' },
  { label: 'settings, API keys', path: () => '/dashboard/settings/keys' },
  { label: 'settings, script tag and checkout form', path: () => '/dashboard/settings/embed' },
  { label: 'dashboard users', path: () => '/dashboard/users' },
  { label: 'your account', path: () => '/dashboard/account' },
];

type Log = (line?: string) => void;
const clock = () => performance.timeOrigin + performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(1)} ms`);

/** A GET with the session cookie, timed from the request written to the answer's last byte. */
export function get(agent: http.Agent, base: string, path: string, cookie: string, timeoutMs = 60_000): Promise<{ status: number; ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = clock();
    const req = http.get(`${base}${path}`, { agent, headers: { cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: clock() - started, bytes }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
  });
}

/** A dashboard owner made with the CLI (as an operator would), signed in through the printed single-use link. */
async function signIn(collector: Collector, masterKey: string, brandId: string): Promise<string> {
  const out = execFileSync(process.execPath, [join(ROOT, 'collector/bin/referloop.mjs'), 'user', 'create', '--brand', brandId,
    '--email', `bench-${Date.now()}@owner.example`, '--role', 'owner', '--json'], {
    env: { ...process.env, REFERLOOP_DATA_DIR: collector.dataDir, REFERLOOP_MASTER_KEY: masterKey }, encoding: 'utf8',
  });
  const { login_url } = JSON.parse(out) as { login_url: string };
  const res = await fetch(`${collector.url}${new URL(login_url).pathname}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual',
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('rl_session='));
  if (res.status !== 303 || !cookie) throw new Error(`sign-in answered ${res.status}`);
  return cookie;
}

export async function dashboardScenario(log: Log): Promise<void> {
  log();
  log('5. The dashboard at real size: the management bench\'s big brand, a collector on a copy of its file, an owner');
  log(`   signed in through a CLI sign-in link; each page the median of ${CALLS} calls (request to last byte), /healthz polled`);
  log('   from a worker thread every ~10 ms meanwhile.');
  const large = scaled(FULL_SIZE, SCALE);
  const { masterKey, files } = await seededFiles({ small: scaled(large, 0.1), large }, log);
  await measureDashboard(files.large!, masterKey, log);
}

/** Every page of DASHBOARD_PAGES against a collector on a copy of `seeded.file` (migrated at its start if it is older). */
export async function measureDashboard(seeded: { file: string; brand: SeededBrand }, masterKey: string, log: Log): Promise<void> {
  const dir = makeTempDir('dashboard');
  copySeeded(seeded.file, dir);
  const startedAt = clock();
  const collector = await startCollector(dir, masterKey, 1);
  log(`  collector ready ${(clock() - startedAt) / 1000 | 0} s after start (any pending migration included)`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const probe = new HealthzProbe(collector.url);
  try {
    await probe.started();
    const cookie = await signIn(collector, masterKey, seeded.brand.brandId);
    // The first page settles the brand's due backlog first (as the API's reads do; a long one is drained in the
    // background meanwhile, answered 503 settling): timed apart, until a page answers.
    const firstStarted = clock();
    let first = await get(agent, collector.url, DASHBOARD_PAGES[0]!.path(seeded.brand), cookie, FIRST_CALL_TIMEOUT_MS);
    let tries = 1;
    while (first.status === 503 && clock() - firstStarted < FIRST_CALL_TIMEOUT_MS) {
      await new Promise((r) => setTimeout(r, 1000));
      first = await get(agent, collector.url, DASHBOARD_PAGES[0]!.path(seeded.brand), cookie, FIRST_CALL_TIMEOUT_MS);
      tries++;
    }
    const firstMs = clock() - firstStarted;
    log(`  first page after start (the due backlog settled first): ${ms(firstMs)} over ${tries} call(s), HTTP ${first.status};`
      + ` /healthz worst ${ms((await probe.worst(firstStarted, clock())).ms)}`);
    log(`  ${'page'.padEnd(34)} ${'path'.padEnd(58)} ${'time'.padEnd(10)} ${'healthz'.padEnd(10)} result`);
    let worstHealthz = 0;
    for (const p of DASHBOARD_PAGES) {
      const path = p.path(seeded.brand);
      const started = clock();
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i <= CALLS; i++) {
        const a = await get(agent, collector.url, path, cookie);
        status = a.status;
        bytes = a.bytes;
        if (a.status !== 200) break;
        if (i > 0) times.push(a.ms); // the first call warms the statements of that page
      }
      const healthz = (await probe.worst(started, clock())).ms;
      worstHealthz = Math.max(worstHealthz, healthz);
      const t = median(times);
      const pass = status === 200 && t <= PAGE_BUDGET_MS && healthz <= HEALTHZ_BUDGET_MS;
      log(`  ${p.label.padEnd(34)} ${path.padEnd(58)} ${ms(t).padEnd(10)} ${ms(healthz).padEnd(10)} ${status === 200 ? '' : `HTTP ${status} `}`
        + `${pass ? 'PASS' : 'FAIL'} (${Math.round(bytes / 1024)} KB)`);
    }
    log(`  budget: each page <= ${PAGE_BUDGET_MS} ms and /healthz <= ${HEALTHZ_BUDGET_MS} ms; worst /healthz over the pages ${ms(worstHealthz)}`);
  } finally {
    agent.destroy();
    await probe.stop();
    await collector.stop();
  }
}
