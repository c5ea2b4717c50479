// The management scenario of npm run bench: the API's lists, search, payouts, export and settlement timed on a brand
// of real size and on one a tenth of it, against real collector processes, with /healthz polled throughout.
import Database from 'better-sqlite3';
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { PAYOUT_MAX_COMMISSIONS } from '../collector/src/schemas/commissions.ts';
import { copySeeded, FULL_SIZE, scaled, seededFiles, type BrandSize, type SeededFile } from './bigBrand.ts';
import { makeTempDir, startCollector, type Collector } from './processes.ts';

/** BENCH_MANAGE_SCALE=0.1 measures brands of a tenth of the real size (and a hundredth), for quick iterations. */
const SCALE = Number(process.env.BENCH_MANAGE_SCALE ?? 1);
const CALLS = 25;
/** A slow call is repeated while the figure has taken less than this, at least MIN_CALLS times (once if slower). */
const FIGURE_BUDGET_MS = 5_000;
const MIN_CALLS = 3;
const CONVERSION_CONNECTIONS = 4;
const ALONE_MS = 3_000;
const SETTLE_TIMEOUT_MS = 120_000;
/** A call silent for this long is given up (a figure of "more than"), and its collector restarted. */
const CALL_TIMEOUT_MS = 60_000;
const LIST_BUDGET_MS = 50;
const LIST_GROWTH = 1.5;
const HEALTHZ_BUDGET_MS = 100;
const EXPORT_RSS_BUDGET_MB = 100;
/** How many commission ids the big POST /payouts sends (the other one sends the maximum a payout takes). */
const PAYOUT_IDS = 5_000;

type Log = (line?: string) => void;
const clock = () => performance.timeOrigin + performance.now();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
};
const num = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const msText = (n: number) => (Number.isNaN(n) ? 'n/a' : n < 100 ? `${num(n, 1)} ms` : `${num(n)} ms`);

// ---- the /healthz probe: a worker thread (its own event loop) asking every ~10 ms, one request at a time ----

const PROBE_SOURCE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const now = () => performance.timeOrigin + performance.now();
const samples = [];
let url = workerData.url;
let stopped = false;
let inFlight = null;
function probe() {
  if (stopped) return;
  const sent = now();
  // A keep-alive socket the server has just closed fails at once: one retry on a fresh socket tells that apart.
  const attempt = (retry, resolve) => {
    const req = http.get(url + '/healthz', { agent }, (res) => {
      res.resume();
      res.on('end', () => { samples.push(sent, now() - sent, res.statusCode === 200 ? 1 : 0); resolve(); });
    });
    req.on('error', () => {
      if (retry) attempt(false, resolve);
      else { samples.push(sent, now() - sent, 0); resolve(); }
    });
  };
  inFlight = new Promise((resolve) => attempt(true, resolve));
  inFlight.then(() => { inFlight = null; setTimeout(probe, Math.max(0, 10 - (now() - sent))); });
}
parentPort.on('message', async (m) => {
  if (m === 'stop') stopped = true;
  if (typeof m === 'object') { url = m.url; agent.destroy(); }
  while (inFlight) await inFlight;
  parentPort.postMessage(samples.splice(0));
  if (stopped) { agent.destroy(); parentPort.close(); }
});
probe();
`;

/** Samples of /healthz: when each probe was sent, how long its answer (or its failure) took, whether it was a 200. */
export class HealthzProbe {
  private readonly worker: Worker;
  private readonly sent: number[] = [];
  private readonly took: number[] = [];
  private readonly ok: boolean[] = [];
  private waiting: Array<() => void> = [];

  constructor(url: string) {
    this.worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { url } });
    this.worker.on('message', (flat: number[]) => {
      for (let i = 0; i < flat.length; i += 3) {
        this.sent.push(flat[i]!);
        this.took.push(flat[i + 1]!);
        this.ok.push(flat[i + 2] === 1);
      }
      for (const resolve of this.waiting.splice(0)) resolve();
    });
  }

  /** Every answer up to now (an answer still awaited is waited for). */
  private flush(message: 'flush' | 'stop' | { url: string }): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage(message);
    });
  }

  /** The slowest probe (answered or failed) in flight at some moment of [from, to], and how many failed. */
  async worst(from: number, to: number): Promise<{ ms: number; probes: number; failed: number }> {
    await this.flush('flush');
    let ms = 0;
    let probes = 0;
    let failed = 0;
    for (let i = 0; i < this.sent.length; i++) {
      const sent = this.sent[i]!;
      const took = this.took[i]!;
      if (sent > to || sent + took < from) continue;
      probes++;
      if (!this.ok[i]) failed++;
      ms = Math.max(ms, took);
    }
    return { ms, probes, failed };
  }

  /** Resolves once the first probe has been answered, so that nothing measured runs unwatched. */
  async started(): Promise<void> {
    while (this.sent.length === 0) await this.flush('flush');
  }

  /** Polls another collector from now on (a restarted one listens on another port). */
  retarget(url: string): Promise<void> {
    return this.flush({ url });
  }

  async stop(): Promise<void> {
    await this.flush('stop');
    await this.worker.terminate();
  }
}

// ---- HTTP calls as the client sees them: from the request written to the last byte of the answer ----

interface Answer { status: number; ms: number; bytes: number; lines: number; text: string }

/** No byte of an answer for CALL_TIMEOUT_MS: the collector is stuck in the call (it is then restarted). */
class CallTimeout extends Error {
  constructor(method: string, path: string) {
    super(`${method} ${path}: no answer within ${CALL_TIMEOUT_MS / 1000} s`);
  }
}

function call(
  agent: http.Agent, base: string, key: string, method: string, path: string,
  opts: { body?: unknown; keepText?: boolean; timeoutMs?: number } = {},
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const started = clock();
    const req = http.request(`${base}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        if (opts.keepText !== false) chunks.push(chunk);
      });
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, ms: clock() - started, bytes, lines, text: Buffer.concat(chunks).toString('utf8'),
      }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? CALL_TIMEOUT_MS, () => req.destroy(new CallTimeout(method, path)));
    req.on('error', reject);
    req.end(body);
  });
}

// ---- one brand: a collector on a copy of its seeded file, every figure measured in turn ----

interface Figure {
  /** the number compared across sizes (ms, or MB for the export's memory) */
  value: number;
  text: string;
  healthz: number;
  /** a problem that makes the figure fail whatever its value (an error answer, a search that found nothing) */
  problem?: string;
  extra?: Record<string, number>;
}

type Figures = Map<string, Figure>;

const dataOf = (text: string): Record<string, unknown> => {
  const parsed = JSON.parse(text) as { data?: Record<string, unknown> };
  return parsed.data ?? (parsed as Record<string, unknown>);
};

function vm(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function measureBrand(label: string, seeded: SeededFile, masterKey: string, log: Log): Promise<Figures> {
  const dir = makeTempDir(`manage-${label.replace(/\W/g, '')}`);
  const copyStarted = clock();
  const dbPath = copySeeded(seeded.file, dir);
  log(`  ${label}: copied the seeded file in ${num((clock() - copyStarted) / 1000, 1)} s; starting its collector`);
  let starts = 1;
  let collector: Collector = await startCollector(dir, masterKey, starts);
  const ready = clock();
  const { brandId, secretKey, search } = seeded.brand;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method: string, path: string, opts: Parameters<typeof call>[5] = {}) =>
    call(agent, collector.url, secretKey, method, path, opts);
  const probe = new HealthzProbe(collector.url);
  await probe.started();
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  const dueCount = reader.prepare(
    `SELECT count(*) FROM rewards WHERE brand_id = ? AND status = 'pending' AND available_at <= ?`,
  ).pluck();
  const due = () => dueCount.get(brandId, new Date().toISOString()) as number;
  const figures: Figures = new Map();
  const healthzOf = async (from: number) => (await probe.worst(from, clock())).ms;
  const record = (key: string, figure: Figure) => {
    figures.set(key, figure);
    const call = ROWS.find((r) => r.key === key)?.call ?? key;
    log(`    ${call}: ${figure.text}; /healthz worst ${msText(figure.healthz)}${figure.problem ? `; ${figure.problem}` : ''}`);
  };
  /** A collector stuck in a call answers nothing more: it is killed and started again on the same file. */
  const restart = async () => {
    await collector.stop({ kill: true });
    collector = await startCollector(dir, masterKey, ++starts);
    await probe.retarget(collector.url);
  };
  const timedOut = (err: unknown) => {
    if (!(err instanceof CallTimeout)) throw err;
    return `${err.message}: collector restarted`;
  };

  try {
    // 1. The due backlog: the first management call, or the collector's own background settlement.
    const dueAtStart = due();
    const approveStarted = clock();
    let approve: Answer | undefined;
    let approveProblem: string | undefined;
    try {
      approve = await request('POST', '/api/v1/commissions/approve-due', { body: {} });
      if (approve.status !== 200) approveProblem = `HTTP ${approve.status}`;
    } catch (err) {
      approveProblem = timedOut(err);
      await restart();
    }
    const approvedByCall = approve?.status === 200 ? Number(dataOf(approve.text).approved ?? NaN) : NaN;
    let left = due();
    while (left > 0 && clock() - approveStarted < SETTLE_TIMEOUT_MS) {
      await new Promise((r) => setTimeout(r, 100));
      left = due();
    }
    const settledAfter = clock() - ready;
    record('approveDue', {
      value: approve?.ms ?? NaN,
      text: `${approve ? msText(approve.ms) : `> ${CALL_TIMEOUT_MS / 1000} s`}: ${num(dueAtStart)} due, ${num(approvedByCall)} approved`,
      healthz: await healthzOf(approveStarted),
      ...(approveProblem ? { problem: approveProblem } : {}),
    });
    record('backlogSettled', {
      value: settledAfter,
      text: left === 0 ? `${num(settledAfter / 1000, 1)} s after start` : `${num(left)} still due after ${SETTLE_TIMEOUT_MS / 1000} s`,
      healthz: await healthzOf(ready),
      ...(left === 0 ? {} : { problem: `${num(left)} rewards still due` }),
    });

    /** The median of up to CALLS calls of `path` (fewer when slow), and the worst /healthz meanwhile. */
    // `accept`: statuses that are a documented answer for this call (a 400 saying to page by cursor), timed as any.
    const timed = async (
      key: string, path: string, check?: (data: Record<string, unknown>) => string | undefined, accept: number[] = [200],
    ) => {
      const started = clock();
      const times: number[] = [];
      let problem: string | undefined;
      let first: Record<string, unknown> | undefined;
      let status = 0;
      // A call slower than the whole budget is measured once: the figure is plain enough, and the run stays short.
      while (times.length < CALLS && (clock() - started < FIGURE_BUDGET_MS || (times.length < MIN_CALLS && times[0]! < FIGURE_BUDGET_MS))) {
        let a: Answer;
        try {
          a = await request('GET', path, { keepText: times.length === 0 });
        } catch (err) {
          problem = timedOut(err);
          await restart();
          break;
        }
        if (!accept.includes(a.status)) {
          problem = `HTTP ${a.status}: ${a.text.slice(0, 120)}`;
          break;
        }
        if (times.length === 0) {
          first = dataOf(a.text);
          problem = a.status === 200 ? check?.(first) : undefined;
          status = a.status;
        }
        times.push(a.ms);
      }
      const value = times.length > 0 ? median(times) : NaN;
      const text = times.length > 0
        ? `${msText(value)}${times.length < CALLS ? ` (${times.length} calls)` : ''}${status !== 200 ? ` (HTTP ${status})` : ''}`
        : `> ${CALL_TIMEOUT_MS / 1000} s`;
      const figure: Figure = { value, text, healthz: await healthzOf(started), ...(problem ? { problem } : {}) };
      return { figure, first, done: () => record(key, figure) };
    };
    const measured = async (...args: Parameters<typeof timed>) => {
      const result = await timed(...args);
      result.done();
      return result;
    };
    const listed = (name: string) => (d: Record<string, unknown>) =>
      Array.isArray(d[name]) && (d[name] as unknown[]).length > 0 ? undefined : `no ${name} listed`;

    // 2. Advocates: the first page, the last page by offset, and by cursor when the API has one.
    const { first } = await measured('advocates', '/api/v1/advocates?limit=20', listed('advocates'));
    const advocates = reader.prepare('SELECT count(*) FROM advocates WHERE brand_id = ?').pluck().get(brandId) as number;
    await measured('advocatesLastOffset', `/api/v1/advocates?limit=20&offset=${advocates - 20}`, listed('advocates'));
    if (first !== undefined && 'next_cursor' in first) {
      const walkStarted = clock();
      let cursor = first.next_cursor as string | null;
      let deep: string | null = null;
      let pages = 0;
      let walked = (first.advocates as unknown[] | undefined)?.length ?? 0;
      let problem: string | undefined;
      try {
        while (cursor) {
          const a = await request('GET', `/api/v1/advocates?limit=100&cursor=${encodeURIComponent(cursor)}`);
          if (a.status !== 200) {
            problem = `HTTP ${a.status}`;
            break;
          }
          pages++;
          deep = cursor;
          const page = dataOf(a.text);
          walked += (page.advocates as unknown[] | undefined)?.length ?? 0;
          cursor = (page.next_cursor as string | null | undefined) ?? null;
        }
        // The walk is also a check: every advocate exactly once (the brand's count read from the file).
        if (!problem && walked !== advocates) problem = `the walk listed ${num(walked)} advocates of ${num(advocates)}`;
      } catch (err) {
        problem = timedOut(err);
        await restart();
      }
      const walkMs = clock() - walkStarted;
      record('advocatesWalk', {
        value: walkMs, text: `${num(walkMs / 1000, 1)} s, ${num(pages)} pages`, healthz: await healthzOf(walkStarted),
        ...(problem ? { problem } : {}),
      });
      if (deep) await measured('advocatesLastCursor', `/api/v1/advocates?limit=20&cursor=${encodeURIComponent(deep)}`, listed('advocates'));
    }

    // 3. Search: a name prefix, an email prefix, a code (the code must find its advocate).
    await measured('searchName', `/api/v1/advocates?search=${encodeURIComponent(search.name)}`, listed('advocates'));
    await measured('searchEmail', `/api/v1/advocates?search=${encodeURIComponent(search.email)}`, listed('advocates'));
    await measured('searchCode', `/api/v1/advocates?search=${encodeURIComponent(search.code)}`, (d) =>
      ((d.advocates as Array<{ id: number }> | undefined) ?? []).some((a) => a.id === search.advocateId)
        ? undefined : `advocate ${search.advocateId} not found by its code`);

    // 4. The other lists and the payout list.
    await measured('referrals', '/api/v1/referrals?limit=20', listed('referrals'));
    await measured('commissions', '/api/v1/commissions?limit=20', listed('commissions'));
    await measured('commissionsApproved', '/api/v1/commissions?status=approved', listed('commissions'));
    await measured('visits', '/api/v1/visits?limit=20', listed('visits'));
    // Filters of the last review: commissions by level and by date (no index on created_at), totals, deep offsets.
    const anchor = Date.parse(seeded.brand.anchor);
    const day = (days: number) => encodeURIComponent(new Date(anchor - days * 86_400_000).toISOString());
    await measured('commissionsLevel', '/api/v1/commissions?level=2&limit=20', listed('commissions'));
    await measured('commissionsFrom', `/api/v1/commissions?from=${day(1)}&limit=20`);
    await measured('commissionsTo', `/api/v1/commissions?to=${day(140)}&limit=20`);
    await measured('visitsTotal', '/api/v1/visits?limit=20&total=true', undefined, [200, 400]);
    const visitCount = reader.prepare('SELECT count(*) FROM visits WHERE brand_id = ?').pluck().get(brandId) as number;
    await measured('visitsDeepOffset', `/api/v1/visits?limit=20&offset=${Math.floor(visitCount * 0.95)}`, undefined, [200, 400]);
    await measured('visitsOffset10k', '/api/v1/visits?limit=20&offset=10000', listed('visits'));
    const payouts = await timed('payouts', '/api/v1/payouts');
    // The lines as listed: flat (`lines`), or grouped per advocate (`advocates[].lines`).
    const grouped = payouts.first?.advocates as Array<{ lines?: unknown[] }> | undefined;
    const lines = Array.isArray(payouts.first?.lines) ? (payouts.first.lines as unknown[]).length
      : Array.isArray(grouped) ? grouped.reduce((sum, a) => sum + (a.lines?.length ?? 0), 0) : undefined;
    if (lines !== undefined) {
      const thousands = (n: number) => (n >= 10_000 ? `${num(n / 1000)}k` : num(n));
      payouts.figure.text += `, ${thousands(lines)} lines${Array.isArray(grouped) ? ` / ${thousands(grouped.length)} advocates` : ''}`;
    }
    payouts.done();

    // 5. The export alone (time, memory), conversions alone (the baseline of this run), then both together.
    const exportOnce = async () => {
      try {
        writeFileSync(`/proc/${collector.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      } catch { /* an older kernel: the sampled VmRSS alone is the peak */ }
      const pid = collector.pid;
      const before = vm(pid);
      let peak = before.rss;
      const sampler = setInterval(() => { peak = Math.max(peak, vm(pid).rss); }, 20);
      const started = clock();
      try {
        const a = await request('GET', '/api/v1/conversions/export', { keepText: false });
        peak = Math.max(peak, vm(pid).hwm);
        return { a, started, before: before.rss, peak, problem: a.status === 200 ? undefined : `HTTP ${a.status}` };
      } catch (err) {
        const problem = timedOut(err);
        await restart();
        return { a: undefined, started, before: before.rss, peak, problem };
      } finally {
        clearInterval(sampler);
      }
    };
    const exp = await exportOnce();
    const exportFigure: Figure = {
      value: exp.a?.ms ?? NaN,
      text: exp.a ? `${msText(exp.a.ms)}, ${num(Math.max(0, exp.a.lines - 1))} rows` : `> ${CALL_TIMEOUT_MS / 1000} s`,
      healthz: await healthzOf(exp.started),
      ...(exp.problem ? { problem: exp.problem } : {}),
    };
    record('export', exportFigure);
    record('exportRss', {
      value: exp.peak - exp.before, text: `+${num(exp.peak - exp.before)} MB (peak ${num(exp.peak)} MB)`, healthz: exportFigure.healthz,
    });

    const conversionAgent = new http.Agent({ keepAlive: true, maxSockets: CONVERSION_CONNECTIONS });
    let orderNo = 0;
    const runTag = Date.now().toString(36);
    /** CONVERSION_CONNECTIONS clients sending conversions back to back until `until()`; only 201s are timed. */
    const sendConversions = async (until: () => boolean) => {
      const latencies: number[] = [];
      let failed = 0;
      const started = clock();
      await Promise.all(Array.from({ length: CONVERSION_CONNECTIONS }, async () => {
        while (!until()) {
          orderNo++;
          try {
            const a = await call(conversionAgent, collector.url, secretKey, 'POST', '/api/v1/track/conversion', {
              body: { order_id: `manage-${runTag}-${orderNo}`, email: `late${orderNo}@example.net`, order_value: 54, referral_code: search.code },
              keepText: false,
            });
            if (a.status === 201) latencies.push(a.ms);
            else failed++;
          } catch {
            failed++; // the collector was restarted under it
          }
        }
      }));
      return { latencies, failed, seconds: (clock() - started) / 1000 };
    };
    const p99 = (l: number[]) => percentile(l, 0.99);
    const aloneStarted = clock();
    const alone = await sendConversions(() => clock() - aloneStarted > ALONE_MS);
    record('conversionsAlone', {
      value: p99(alone.latencies),
      text: `${num(alone.latencies.length / alone.seconds)}/s, p99 ${msText(p99(alone.latencies))}`,
      healthz: await healthzOf(aloneStarted),
      ...(alone.failed > 0 ? { problem: `${alone.failed} conversions failed` } : {}),
    });

    let exporting = true;
    const during = sendConversions(() => !exporting);
    const exp2 = await exportOnce();
    exporting = false;
    const busy = await during;
    record('conversionsDuringExport', {
      value: p99(busy.latencies),
      text: `${num(busy.latencies.length)} in ${num(busy.seconds, 1)} s (${num(busy.latencies.length / busy.seconds)}/s), p99 ${msText(p99(busy.latencies))}`,
      healthz: await healthzOf(exp2.started),
      ...(busy.failed > 0 || exp2.problem ? { problem: [exp2.problem, busy.failed > 0 ? `${busy.failed} conversions failed` : ''].filter(Boolean).join('; ') } : {}),
      extra: { aloneP99: p99(alone.latencies) },
    });
    conversionAgent.destroy();

    // 6. A payout of many commissions at once (changes the data, so last): one long write job, or a 400 past the maximum.
    const approvedIds = reader.prepare(
      `SELECT id FROM rewards WHERE brand_id = ? AND status = 'approved' AND kind = 'cash' ORDER BY advocate_id, id LIMIT ?`,
    ).pluck().all(brandId, PAYOUT_IDS * 1.2) as number[];
    // Disjoint ids: the big payout's may have been paid.
    const atMost = approvedIds.slice(PAYOUT_IDS, PAYOUT_IDS + PAYOUT_MAX_COMMISSIONS);
    for (const [key, ids] of [['payoutPostBig', approvedIds.slice(0, PAYOUT_IDS)], ['payoutPost', atMost]] as const) {
      const started = clock();
      try {
        const a = await request('POST', '/api/v1/payouts', { body: { commission_ids: ids, note: 'bench' } });
        record(key, {
          value: a.ms, text: `${msText(a.ms)}: ${num(ids.length)} ids, HTTP ${a.status}`, healthz: await healthzOf(started),
          ...(a.status === 200 || a.status === 400 ? {} : { problem: `HTTP ${a.status}: ${a.text.slice(0, 120)}` }),
        });
      } catch (err) {
        record(key, { value: NaN, text: 'no answer', healthz: await healthzOf(started), problem: timedOut(err) });
        await restart();
      }
    }

    const overall = await probe.worst(ready, clock());
    record('overall', {
      value: NaN, text: `${num(overall.probes)} probes`, healthz: overall.ms,
      ...(overall.failed > 0 || starts > 1 ? {
        problem: [overall.failed > 0 ? `${overall.failed} /healthz probes failed` : '',
          starts > 1 ? `collector restarted ${starts - 1} time(s) after a call gave no answer` : ''].filter(Boolean).join('; '),
      } : {}),
    });
  } finally {
    reader.close();
    agent.destroy();
    await probe.stop();
    await collector.stop();
  }
  return figures;
}

// ---- the report ----

interface RowSpec {
  key: string;
  call: string;
  budget: string;
  /** the value's own budget at N, given both sizes (undefined: only /healthz is budgeted) */
  pass?: (small: Figure, large: Figure) => boolean;
  growth?: boolean;
}

const listBudget = (s: Figure, l: Figure) => l.value <= LIST_BUDGET_MS && l.value / s.value <= LIST_GROWTH;
const LIST = { budget: `<= ${LIST_BUDGET_MS} ms, <= ${LIST_GROWTH}x`, pass: listBudget, growth: true };

const ROWS: RowSpec[] = [
  { key: 'advocates', call: 'GET /advocates?limit=20', ...LIST },
  { key: 'advocatesLastOffset', call: 'same, last page by offset', ...LIST },
  { key: 'advocatesLastCursor', call: 'same, last page by cursor', ...LIST },
  { key: 'advocatesWalk', call: 'every advocate by cursor, limit=100', budget: 'healthz', growth: true },
  { key: 'searchName', call: 'GET /advocates?search=<name prefix>', ...LIST },
  { key: 'searchEmail', call: 'GET /advocates?search=<email prefix>', ...LIST },
  { key: 'searchCode', call: 'GET /advocates?search=<code>', ...LIST },
  { key: 'referrals', call: 'GET /referrals?limit=20', ...LIST },
  { key: 'commissions', call: 'GET /commissions?limit=20', ...LIST },
  { key: 'commissionsApproved', call: 'GET /commissions?status=approved', ...LIST },
  { key: 'visits', call: 'GET /visits?limit=20', ...LIST },
  { key: 'commissionsLevel', call: 'GET /commissions?level=2', ...LIST },
  { key: 'commissionsFrom', call: 'GET /commissions?from=<a day ago>', ...LIST },
  { key: 'commissionsTo', call: 'GET /commissions?to=<140 days ago>', ...LIST },
  { key: 'visitsTotal', call: 'GET /visits?total=true', ...LIST },
  { key: 'visitsDeepOffset', call: 'GET /visits?offset=<95% deep>', ...LIST },
  { key: 'visitsOffset10k', call: 'GET /visits?offset=10000', ...LIST },
  { key: 'payouts', call: 'GET /payouts', budget: 'healthz', growth: true },
  { key: 'export', call: 'GET /conversions/export', budget: 'healthz', growth: true },
  {
    key: 'exportRss', call: 'export: collector RSS up', budget: `<= ${EXPORT_RSS_BUDGET_MB} MB`,
    pass: (_s, l) => l.value <= EXPORT_RSS_BUDGET_MB, growth: true,
  },
  { key: 'approveDue', call: 'POST /commissions/approve-due, backlog', budget: 'healthz', growth: true },
  { key: 'backlogSettled', call: 'no reward due any more', budget: 'healthz', growth: true },
  { key: 'conversionsAlone', call: 'conversions alone (baseline)', budget: 'p99 printed' },
  {
    key: 'conversionsDuringExport', call: 'conversions during an export', budget: 'p99 <= 2x alone',
    pass: (_s, l) => l.value <= 2 * (l.extra?.aloneP99 ?? NaN),
  },
  { key: 'payoutPostBig', call: `POST /payouts, ${PAYOUT_IDS} ids`, budget: 'healthz' },
  { key: 'payoutPost', call: `POST /payouts, ${PAYOUT_MAX_COMMISSIONS} ids (the maximum)`, budget: 'healthz' },
  { key: 'overall', call: 'the whole scenario', budget: 'healthz' },
];

function printReport(size: BrandSize, small: Figures, large: Figures, log: Log): void {
  log();
  log(`Management at real size: N = ${num(size.advocates)} advocates, ${num(size.visits)} visits, `
    + `${num(size.conversions)} conversions (and a brand of N/10)`);
  log(`  time: median of ${CALLS} calls (fewer when a figure takes over ${FIGURE_BUDGET_MS / 1000} s: at least ${MIN_CALLS}, or 1 slower than that), `
    + `request to last byte; healthz: the slowest /healthz polled every ~10 ms meanwhile, N/10 | N; budget ${HEALTHZ_BUDGET_MS} ms`);
  const w = [40, 46, 50, 7, 19, 18];
  const cell = (text: string, width: number) => text.padEnd(width);
  log(`  ${cell('call', w[0]!)} ${cell('at N/10', w[1]!)} ${cell('at N', w[2]!)} ${cell('growth', w[3]!)} `
    + `${cell('healthz worst', w[4]!)} ${cell('budget', w[5]!)} result`);
  log(`  ${'-'.repeat(w.reduce((a, b) => a + b + 1, 0) + 6)}`);
  for (const row of ROWS) {
    const s = small.get(row.key);
    const l = large.get(row.key);
    if (!s || !l) {
      log(`  ${cell(row.call, w[0]!)} ${cell(s?.text ?? 'n/a', w[1]!)} ${cell(l?.text ?? 'n/a (no cursor in the answer)', w[2]!)}`);
      continue;
    }
    const growth = row.growth && Number.isFinite(l.value / s.value) ? `${num(l.value / s.value, 1)}x` : '';
    const healthzOk = Math.max(s.healthz, l.healthz) <= HEALTHZ_BUDGET_MS;
    const valueOk = row.pass ? row.pass(s, l) : true;
    const problem = s.problem ?? l.problem;
    const failed = [problem ? 'error' : '', valueOk ? '' : 'time', healthzOk ? '' : 'healthz'].filter(Boolean);
    const budget = row.budget === 'healthz' ? `healthz <= ${HEALTHZ_BUDGET_MS} ms` : row.budget;
    log(`  ${cell(row.call, w[0]!)} ${cell(s.text, w[1]!)} ${cell(l.text, w[2]!)} ${cell(growth, w[3]!)} `
      + `${cell(`${msText(s.healthz)} | ${msText(l.healthz)}`, w[4]!)} ${cell(budget, w[5]!)} `
      + `${failed.length ? `FAIL (${failed.join(', ').replace('time', row.key === 'exportRss' ? 'memory' : 'time')})` : 'PASS'}`);
    if (problem) log(`      ${problem}`);
  }
}

/** Seeds (or takes from the cache) both brands, measures each against its own collector, prints the table. */
export async function managementScenario(log: Log): Promise<void> {
  log();
  log('4. Management at real size: two brands seeded through the collector\'s own use cases, each measured against');
  log('   its own collector (one at a time), /healthz polled from a worker thread every ~10 ms.');
  const seedStarted = clock();
  const large = scaled(FULL_SIZE, SCALE);
  const { masterKey, files } = await seededFiles({ small: scaled(large, 0.1), large }, log);
  log(`  seeding ready in ${num((clock() - seedStarted) / 1000, 1)} s`);
  const atTenth = await measureBrand('N/10', files.small!, masterKey, log);
  const atFull = await measureBrand('N', files.large!, masterKey, log);
  printReport(large, atTenth, atFull, log);
}
