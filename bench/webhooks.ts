// Outgoing webhooks under load (npm run bench's seventh part; BENCH_ONLY=webhooks runs it alone): conversions/s of a
// collector whose demo brand has no endpoint against one whose brand has an endpoint subscribed to every event ('*'),
// delivering to a local receiver that answers 204, in alternating rounds; the delivery latency from commit to the
// receiver's 2xx, and what was delivered, against what the outbox wrote, once the load stops (the drain). Before
// them, an A/A control: the collector without an endpoint against a third one, also without.
// `node --import tsx bench/webhooks.ts receiver` is that receiver: its own process, so its work is not the load
// generator's, reporting what it received over the IPC channel.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { encryptSecret } from '../collector/src/domain/keys.ts';
import { pgText } from '../collector/src/db/pg/conn.ts';
import { decodeMasterKey } from '../collector/src/masterKey.ts';
import { generateSecret } from '../collector/src/webhooks/signature.ts';
import { runLoad, type LoadResult } from './load.ts';
import { benchDatabase } from './postgres.ts';
import { cpuUs, demoKeysFromBanner, ioWrites, makeTempDir, onCleanUp, ROOT, startCollector, type Collector } from './processes.ts';
import { CONVERSION_PATH, conversionBodies, demoHeaders } from './requests.ts';

type Log = (line?: string) => void;

const CONNECTIONS = 50;
// BENCH_WEBHOOK_ROUNDS rounds of one run of each collector, BENCH_SECONDS / 2 each, the order turning each round.
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 6);
const RUN_SECONDS = Math.max(1, Number(process.env.BENCH_SECONDS ?? 10) / 2);
const WARMUP_SECONDS = 2;
// Before each measured run, BENCH_WEBHOOK_PREWARM seconds (default 1, 0: none) of the same load on the same collector,
// not measured (the hooked one's deliveries drained after it): each run starts warm. Without it, the collector that
// ran last (or drained) started its run warm and the other one cold, after 10 s or more idle: measured, a round's ratio
// then moved by 15-25% with the order of the round alone, in the direction of whichever collector went first.
const PREWARM_SECONDS = Number(process.env.BENCH_WEBHOOK_PREWARM ?? 1);
// Then BENCH_WEBHOOK_LIGHT_ROUNDS (default 2, 0: none) rounds at BENCH_WEBHOOK_LIGHT connections (default 2): a load the
// collector is not saturated by, where the deliverer is not competing with 50 connections for the event loop.
const LIGHT_CONNECTIONS = Number(process.env.BENCH_WEBHOOK_LIGHT ?? 2);
const LIGHT_ROUNDS = Number(process.env.BENCH_WEBHOOK_LIGHT_ROUNDS ?? 2);
// Before them, BENCH_WEBHOOK_CONTROL_ROUNDS (default 6, 0: none) rounds of an A/A control: the collector without an
// endpoint against a third one, also without, alternating the same way (no drain): how far the ratio moves when
// nothing differs, the noise the bar's verdict has to be read against.
const CONTROL_ROUNDS = Number(process.env.BENCH_WEBHOOK_CONTROL_ROUNDS ?? 6);
// BENCH_WEBHOOK_ENGINES=sqlite (default sqlite,pg): the engines measured; PostgreSQL is skipped where no server can start.
const ENGINES = (process.env.BENCH_WEBHOOK_ENGINES ?? 'sqlite,pg').split(',').map((e) => e.trim());
// BENCH_WEBHOOK_PROF=<dir>: CPU profiles of the collectors' main threads, one per measured run and per drain, written there.
const PROF_DIR = process.env.BENCH_WEBHOOK_PROF;
// BENCH_WEBHOOK_VIA=rows: the endpoint written into the stopped collector's database (as the test fixtures do) even where
// POST /api/v1/webhooks exists; default: the API when the collector has it.
const VIA_ROWS = process.env.BENCH_WEBHOOK_VIA === 'rows';
/** How long the deliveries written under load may take to arrive once it stops, before the bench gives up waiting. */
const DRAIN_LIMIT_MS = 120_000;
/** Deliveries the receiver verifies with the spec's own library (its first ones: proof that they are signed, cheaply). */
const VERIFIED = 200;
/** The throughput the issue allows an endpoint on every event to cost. */
const ALLOWED_DROP = 0.10;

const THIS_FILE = fileURLToPath(import.meta.url);
/** Wall-clock milliseconds with sub-millisecond resolution, comparable between this process and the receiver. */
const clock = () => performance.timeOrigin + performance.now();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** The median; of an even count, the mean of the two middle values (the upper one alone leaned to the better half). */
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const spread = (xs: number[], digits = 2) => `${fmt(Math.min(...xs), digits)}-${fmt(Math.max(...xs), digits)}`;

// ---- the receiver (its own process) ------------------------------------------------------------------------------

/** One delivery as the receiver saw it: webhook-id, event type, the conversion's order_id, when, the body's timestamp. */
type Received = [id: string, type: string, orderId: string | null, at: number, eventAt: number];
type ToReceiver = { take: true } | { secret: string };
type FromReceiver = { port: number } | { records: Received[]; badSignatures: number; verified: number };

function runReceiver(): void {
  let records: Received[] = [];
  let webhook: Webhook | undefined;
  let verified = 0;
  let badSignatures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The answer first: the deliverer's attempt ends with it, the bookkeeping below is the receiver's own.
      res.writeHead(204).end();
      const at = clock();
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      if (webhook && verified < VERIFIED) {
        verified++;
        try {
          webhook.verify(body, req.headers as Record<string, string>);
        } catch {
          badSignatures++;
        }
      }
      const event = JSON.parse(body) as { type: string; timestamp: string; data: { order_id?: string } };
      records.push([id, event.type, event.type === 'conversion.created' ? event.data.order_id ?? null : null, at, Date.parse(event.timestamp)]);
    });
  });
  server.keepAliveTimeout = 60_000;
  process.on('message', (m: ToReceiver) => {
    if ('secret' in m) webhook = new Webhook(m.secret);
    else {
      process.send!({ records, badSignatures, verified } satisfies FromReceiver);
      records = [];
    }
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port } satisfies FromReceiver));
}

interface Receiver {
  url: string;
  pid: number;
  /** what arrived since the last take (cumulative signature counts) */
  take(): Promise<{ records: Received[]; badSignatures: number; verified: number }>;
  verifyWith(secret: string): void;
  stop(): void;
}

async function startReceiver(): Promise<Receiver> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, 'receiver'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  onCleanUp(kill);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: FromReceiver) => ('port' in m ? resolve(m.port) : reject(new Error('receiver: no port'))));
    child.once('exit', (code) => reject(new Error(`the webhook receiver exited (${code}) before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    pid: child.pid!,
    take: () => new Promise((resolve) => {
      child.once('message', (m: FromReceiver) => resolve(m as Extract<FromReceiver, { records: Received[] }>));
      child.send({ take: true } satisfies ToReceiver);
    }),
    verifyWith: (secret) => child.send({ secret } satisfies ToReceiver),
    stop: kill,
  };
}

// ---- the collectors --------------------------------------------------------------------------------------------

/** What the outbox wrote and where it stands, as the collector's database says: cumulative counts. */
interface Outbox { pending: number; delivered: number; failed: number; conversionEvents: number; failedAttempts: number }

// Pending: the deliveries not delivered yet, and those of the changes still queued (webhook_events, one delivery per
// event there: the bench's brand has one endpoint).
const queuedSql = (json: string) => `(SELECT COALESCE(SUM(json_array_length(${json})), 0) FROM webhook_events)`;
const pendingSql = (engine: 'sqlite' | 'pg') =>
  `(SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending') + ${queuedSql(engine === 'sqlite' ? 'events' : 'events::json')}`;
const outboxSql = (engine: 'sqlite' | 'pg') => `SELECT
  ${pendingSql(engine)} AS pending,
  (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered') AS delivered,
  (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'failed') AS failed,
  (SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'conversion.created') AS "conversionEvents",
  (SELECT COUNT(*) FROM webhook_attempts WHERE outcome = 'failed') AS "failedAttempts"`;

const PENDING_SQL = { sqlite: `SELECT ${pendingSql('sqlite')} AS n`, pg: `SELECT ${pendingSql('pg')} AS n` };
const OUTBOX_SQL = { sqlite: outboxSql('sqlite'), pg: outboxSql('pg') };

/** The two statements that subscribe an endpoint (as collector/test/support/webhookFixtures.ts does in a job). */
const INSERT_ENDPOINT = `INSERT INTO webhook_endpoints (brand_id, url, description, source, status, secret_sealed, created_at, updated_at)
  VALUES (?, ?, 'bench receiver', 'api', 'enabled', ?, ?, ?) RETURNING id`;
const INSERT_SUBSCRIPTION = `INSERT INTO webhook_subscriptions (brand_id, event_type, endpoint_id) VALUES (?, '*', ?)`;

/** The engine's file or database, read and written from the bench (the collector's own tables). */
interface Storage {
  subscribe(brandId: string, url: string, secretSealed: string): Promise<void>;
  outbox(): Promise<Outbox>;
  /** the pending deliveries alone, queued ones included (cheap to ask every few ms while the collector drains) */
  pending(): Promise<number>;
  close(): Promise<void>;
}

function sqliteStorage(dbPath: string): Storage {
  let reader: Database.Database | undefined;
  return {
    async subscribe(brandId, url, sealed) {
      // Only while the collector is stopped: it reads its endpoints' cache afresh when it starts.
      const db = new Database(dbPath, { fileMustExist: true });
      try {
        const at = new Date().toISOString();
        db.transaction(() => {
          const { id } = db.prepare(INSERT_ENDPOINT).get(brandId, url, sealed, at, at) as { id: number };
          db.prepare(INSERT_SUBSCRIPTION).run(brandId, id);
        })();
      } finally {
        db.close();
      }
    },
    async outbox() {
      reader ??= new Database(dbPath, { readonly: true, fileMustExist: true });
      return reader.prepare(OUTBOX_SQL.sqlite).get() as Outbox;
    },
    async pending() {
      reader ??= new Database(dbPath, { readonly: true, fileMustExist: true });
      return (reader.prepare(PENDING_SQL.sqlite).get() as { n: number }).n;
    },
    async close() { reader?.close(); },
  };
}

function pgStorage(url: string): Storage {
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  return {
    async subscribe(brandId, endpointUrl, sealed) {
      await connected;
      const at = new Date().toISOString();
      await client.query('BEGIN');
      const { rows } = await client.query(pgText(INSERT_ENDPOINT).text, [brandId, endpointUrl, sealed, at, at]);
      await client.query(pgText(INSERT_SUBSCRIPTION).text, [brandId, rows[0].id]);
      await client.query('COMMIT');
    },
    async outbox() {
      await connected;
      const row = (await client.query(OUTBOX_SQL.pg)).rows[0] as Record<keyof Outbox, string>;
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Outbox;
    },
    async pending() {
      await connected;
      return Number((await client.query(PENDING_SQL.pg)).rows[0].n);
    },
    async close() { await connected; await client.end(); },
  };
}

/**
 * What the collectors preload: REFERLOOP_WEBHOOK_ALLOW_PRIVATE=1 (the receiver is on 127.0.0.1, over http), set before
 * the collector reads its configuration; bench/processes.ts passes a collector no REFERLOOP_* but its own, so the
 * setting rides in NODE_OPTIONS (--import of this file). With `profileDir`, SIGUSR2 starts a CPU profile of the main
 * thread (named by <profileDir>/next-<pid>) and the next SIGUSR2 writes it there (node refuses --cpu-prof in NODE_OPTIONS).
 */
function preload(profileDir: string | undefined): string {
  const lines = [`process.env.REFERLOOP_WEBHOOK_ALLOW_PRIVATE = '1';`];
  if (profileDir) {
    const dir = JSON.stringify(profileDir);
    lines.push(
      `import { Session } from 'node:inspector';`,
      `import { readFileSync, writeFileSync } from 'node:fs';`,
      `import { isMainThread } from 'node:worker_threads';`,
      `let session, label;`,
      `if (isMainThread) process.on('SIGUSR2', () => {`,
      `  if (!session) { session = new Session(); session.connect(); session.post('Profiler.enable'); session.post('Profiler.setSamplingInterval', { interval: 500 }); }`,
      `  if (label === undefined) { label = readFileSync(${dir} + '/next-' + process.pid, 'utf8'); session.post('Profiler.start'); return; }`,
      `  const name = label; label = undefined;`,
      `  session.post('Profiler.stop', (err, r) => { if (!err) writeFileSync(${dir} + '/' + name + '.cpuprofile', JSON.stringify(r.profile)); });`,
      `});`,
    );
  }
  const file = join(makeTempDir('webhooks-preload'), 'preload.mjs');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const profiling = new Map<number, string>();

/**
 * BENCH_WEBHOOK_PROF: profiled(c, label) starts the collector's profile of what follows, profiled(c) ends it and waits
 * until it is written (signals do not queue: the next one must not come before the collector took this one).
 */
async function profiled(c: Collector, label?: string): Promise<void> {
  if (!PROF_DIR) return;
  if (label) {
    writeFileSync(join(PROF_DIR, `next-${c.pid}`), label);
    profiling.set(c.pid, label);
    process.kill(c.pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  const file = join(PROF_DIR, `${profiling.get(c.pid)}.cpuprofile`);
  profiling.delete(c.pid);
  process.kill(c.pid, 'SIGUSR2');
  for (const deadline = Date.now() + 20_000; !existsSync(file) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
}

async function startWebhookCollector(
  dataDir: string, masterKey: string, startNo: number, databaseUrl: string | undefined,
): Promise<Collector> {
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = [saved ?? '', `--import=${pathToFileURL(preload(PROF_DIR)).href}`].join(' ').trim();
  try {
    return await startCollector(dataDir, masterKey, startNo, databaseUrl ? { databaseUrl } : {});
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
}

interface Target {
  name: 'none' | 'hooked' | 'control';
  collector: Collector;
  headers: Record<string, string>;
  storage: Storage;
}

/**
 * The endpoint, subscribed to '*': through POST /api/v1/webhooks when the collector has it (live at once), else written
 * into the stopped collector's database as the test fixtures do, and the collector started again. Answers the
 * collector serving it and the secret.
 */
async function subscribe(t: Target, receiverUrl: string, masterKey: string, restart: () => Promise<Collector>): Promise<{ collector: Collector; secret: string; via: string }> {
  if (!VIA_ROWS) {
    const res = await fetch(`${t.collector.url}/api/v1/webhooks`, {
      method: 'POST', headers: t.headers, body: JSON.stringify({ url: receiverUrl, events: ['*'], description: 'bench receiver' }),
    });
    const text = await res.text();
    if (res.status === 201) {
      const secret = /"(whsec_[^"]+)"/.exec(text)?.[1];
      if (!secret) throw new Error(`POST /api/v1/webhooks answered 201 without a whsec_ secret: ${text.slice(0, 300)}`);
      return { collector: t.collector, secret, via: 'POST /api/v1/webhooks' };
    }
    if (res.status !== 404) throw new Error(`POST /api/v1/webhooks answered ${res.status}: ${text.slice(0, 300)}`);
  }
  await t.collector.stop();
  const secret = generateSecret();
  const brandId = t.headers['x-brand-id']!;
  await t.storage.subscribe(brandId, receiverUrl, encryptSecret(secret, decodeMasterKey(masterKey)));
  return { collector: await restart(), secret, via: `rows written into the stopped collector's database (${VIA_ROWS ? 'BENCH_WEBHOOK_VIA=rows' : 'no POST /api/v1/webhooks'})` };
}

// ---- the runs ---------------------------------------------------------------------------------------------------

interface Run extends LoadResult {
  /** collector CPU per 2xx conversion during the load (us) */
  cpu: number;
  /** bytes the collector wrote (its database file and WAL, mostly) and its write calls, per 2xx conversion */
  writeBytes: number;
  writeCalls: number;
  /** order_id -> when the load generator had the 2xx (the commit, as the client learns it) */
  committedAt: Map<string, number>;
  endedAt: number;
}

async function load(t: Target, makeBody: () => string, seconds: number, connections: number, profile?: string): Promise<Run> {
  const committedAt = new Map<string, number>();
  if (profile) await profiled(t.collector, profile);
  const before = cpuUs(t.collector.pid);
  const ioBefore = ioWrites(t.collector.pid);
  const r = await runLoad({
    url: t.collector.url, path: CONVERSION_PATH, connections, seconds, headers: t.headers, makeBody,
    onAnswer: (status, body) => {
      if (status < 200 || status >= 300) return;
      const orderId = /"order_id":"([^"]+)"/.exec(body)?.[1];
      if (orderId) committedAt.set(orderId, clock());
    },
  });
  const endedAt = clock();
  const after = cpuUs(t.collector.pid);
  const ioAfter = ioWrites(t.collector.pid);
  if (profile) await profiled(t.collector);
  const each = (x: number) => x / Math.max(1, r.ok);
  return {
    ...r, cpu: each(after.user + after.system - before.user - before.system), committedAt, endedAt,
    writeBytes: each(ioAfter.bytes - ioBefore.bytes), writeCalls: each(ioAfter.calls - ioBefore.calls),
  };
}

interface Drain {
  /** the outbox when the load stopped */
  atStop: Outbox;
  /** the outbox when every delivery had its answer (or the limit passed) */
  atEnd: Outbox;
  /** from the load's end to the last delivery received */
  ms: number;
  timedOut: boolean;
  /** collector CPU spent draining (us) */
  cpu: number;
  records: Received[];
}

/** Waits until nothing is pending in the outbox and the receiver has every delivered event. */
async function drain(t: Target, receiver: Receiver, run: Run, receivedBefore: Set<string>, profile?: string): Promise<Drain> {
  if (profile) await profiled(t.collector, profile);
  const atStop = await t.storage.outbox();
  const cpuBefore = cpuUs(t.collector.pid);
  const deadline = Date.now() + DRAIN_LIMIT_MS;
  const records: Received[] = [];
  let atEnd = atStop;
  let timedOut = false;
  for (;;) {
    records.push(...(await receiver.take()).records);
    if (await t.storage.pending() === 0) {
      atEnd = await t.storage.outbox();
      const received = new Set(receivedBefore);
      for (const r of records) received.add(r[0]);
      if (atEnd.pending === 0 && received.size >= atEnd.delivered) break;
    }
    if (Date.now() > deadline) {
      atEnd = await t.storage.outbox();
      timedOut = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpuAfter = cpuUs(t.collector.pid);
  if (profile) await profiled(t.collector);
  const last = records.reduce((m, r) => Math.max(m, r[3]), run.endedAt);
  return { atStop, atEnd, ms: last - run.endedAt, timedOut, cpu: cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system, records };
}

interface HookedRound {
  run: Run; drain: Drain; fromCommit: number[]; fromEvent: number[]; unmatched: number; duplicates: number;
  /** conversions answered 2xx whose conversion.created never arrived */
  missing: number;
  /** deliveries written and delivered while the load ran, per second */
  writtenPerS: number; deliveredPerS: number;
}

/** Matches each conversion.created delivery to its conversion's 2xx: commit -> receiver's 2xx, in ms. */
function latencies(run: Run, records: Received[], seen: Set<string>) {
  const fromCommit: number[] = [];
  const fromEvent: number[] = [];
  let unmatched = 0;
  let duplicates = 0;
  for (const [id, type, orderId, at, eventAt] of records) {
    if (seen.has(id)) { duplicates++; continue; }
    seen.add(id);
    fromEvent.push(at - eventAt);
    if (type !== 'conversion.created' || orderId === null) continue;
    const committed = run.committedAt.get(orderId);
    if (committed === undefined) unmatched++;
    else fromCommit.push(at - committed);
  }
  // Every conversion answered 2xx must have had its event delivered by the end of the drain.
  const missing = run.committedAt.size - fromCommit.length;
  return { fromCommit, fromEvent, unmatched, duplicates, missing };
}

const pct = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN };
};

/** The figures of one series of alternating rounds at one number of connections. */
interface Series {
  connections: number;
  runs: Record<'none' | 'hooked', Run[]>;
  hooked: HookedRound[];
  /** per round: hooked conversions/s over none's, during the load */
  ratios: number[];
  /** per round: hooked conversions over the load and its drain together, per second, over none's conversions/s */
  sustained: number[];
}

/** The order of round `round` (from 0): `first` then `second`, turned every other round. */
const inTurn = <T>(round: number, first: T, second: T): [T, T] => (round % 2 ? [second, first] : [first, second]);

/** What the runs before the measured ones need: the receiver, the webhook-ids it delivered so far, the warm-ups' runs. */
interface Warming {
  receiver: Receiver;
  seen: Set<string>;
  /** every unmeasured run of the hooked collector (its 2xx conversions are counted against what the outbox wrote) */
  hookedRuns: Run[];
}

/**
 * PREWARM_SECONDS of unmeasured load on `t` right before its measured run; the hooked collector's deliveries drained
 * after it (their webhook-ids seen), so none of them lands in the measured run.
 */
async function prewarm(t: Target, makeBody: () => string, connections: number, w: Warming): Promise<void> {
  if (PREWARM_SECONDS <= 0) return;
  const run = await load(t, makeBody, PREWARM_SECONDS, connections);
  if (t.name !== 'hooked') return;
  w.hookedRuns.push(run);
  latencies(run, (await drain(t, w.receiver, run, w.seen)).records, w.seen);
}

/**
 * `rounds` rounds of one run of each collector at `connections`, the order turning each round, each run right after
 * its own warm-up (prewarm); each run of the hooked collector is followed by its drain, so its deliveries' work never
 * lands in the other collector's run.
 */
async function alternate(
  log: Log, label: string, none: Target, hooked: Target, warming: Warming, makeBody: () => string, connections: number, rounds: number,
): Promise<Series> {
  const { receiver, seen } = warming;
  const series: Series = { connections, runs: { none: [], hooked: [] }, hooked: [], ratios: [], sustained: [] };
  for (let round = 0; round < rounds; round++) {
    for (const t of inTurn(round, none, hooked)) {
      const name = `${label}-${t.name}-round${round + 1}`;
      await prewarm(t, makeBody, connections, warming);
      const before = await t.storage.outbox();
      const run = await load(t, makeBody, RUN_SECONDS, connections, `${name}-load`);
      series.runs[t === hooked ? 'hooked' : 'none'].push(run);
      if (t.name === 'hooked') {
        const d = await drain(t, receiver, run, seen, `${name}-drain`);
        const total = (o: Outbox) => o.pending + o.delivered + o.failed;
        series.hooked.push({
          run, drain: d, ...latencies(run, d.records, seen),
          writtenPerS: (total(d.atStop) - total(before)) / RUN_SECONDS, deliveredPerS: (d.atStop.delivered - before.delivered) / RUN_SECONDS,
        });
      }
    }
    const n = series.runs.none[round]!;
    const h = series.runs.hooked[round]!;
    const hr = series.hooked[round]!;
    series.ratios.push(h.rps / n.rps);
    series.sustained.push(h.ok / (RUN_SECONDS + hr.drain.ms / 1000) / n.rps);
    const l = pct(hr.fromCommit);
    log(`  ${connections} conn, round ${round + 1}: none ${fmt(n.rps).padStart(5)}/s (${fmt(n.cpu)} us CPU each), with endpoint ${fmt(h.rps).padStart(5)}/s`
      + ` (${fmt(h.cpu)} us + ${fmt(hr.drain.cpu / Math.max(1, h.ok))} us draining): ${fmt(h.rps / n.rps, 2)} x, with the drain ${fmt(series.sustained[round]!, 2)} x;`
      + ` commit -> 2xx p50 ${fmt(l.p50, 1)} ms p99 ${fmt(l.p99, 1)} ms; written ${fmt(hr.writtenPerS)}/s, delivered ${fmt(hr.deliveredPerS)}/s under load;`
      + ` pending at stop ${fmt(hr.drain.atStop.pending)}, drained in ${fmt(hr.drain.ms)} ms;`
      + ` written to disk per conversion ${fmt(n.writeBytes)} B in ${fmt(n.writeCalls, 1)} calls / ${fmt(h.writeBytes)} B in ${fmt(h.writeCalls, 1)};`
      + ` non-2xx ${n.non2xx + h.non2xx} errors ${n.errors + h.errors}`);
  }
  return series;
}

/** The A/A control: `rounds` rounds of one run of each of two collectors without an endpoint, the order turning each round. */
async function control(log: Log, label: string, none: Target, other: Target, warming: Warming, makeBody: () => string, rounds: number) {
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const runs = new Map<Target, Run>();
    for (const t of inTurn(round, none, other)) {
      await prewarm(t, makeBody, CONNECTIONS, warming);
      runs.set(t, await load(t, makeBody, RUN_SECONDS, CONNECTIONS, `${label}-${t.name}-round${round + 1}-load`));
    }
    const n = runs.get(none)!;
    const o = runs.get(other)!;
    ratios.push(o.rps / n.rps);
    cpuRatios.push(o.cpu / n.cpu);
    log(`  A/A control, ${CONNECTIONS} conn, round ${round + 1}: none ${fmt(n.rps).padStart(5)}/s (${fmt(n.cpu)} us CPU each), the other without an endpoint`
      + ` ${fmt(o.rps).padStart(5)}/s (${fmt(o.cpu)} us): ${fmt(o.rps / n.rps, 2)} x; non-2xx ${n.non2xx + o.non2xx} errors ${n.errors + o.errors}`);
  }
  return { ratios, cpuRatios };
}

/** One engine: the collectors, the warm-ups, the A/A control, the rounds at the bench's load and at a light one. */
async function measureEngine(
  log: Log, masterKey: string, engine: 'SQLite' | 'PostgreSQL', receiver: Receiver, urls: { none?: string; hooked?: string; control?: string },
) {
  const targets: Target[] = [];
  try {
    for (const name of ['none', 'hooked', ...(CONTROL_ROUNDS > 0 ? ['control' as const] : [])] as const) {
      const dataDir = makeTempDir(`webhooks-${engine}-${name}`);
      const databaseUrl = urls[name];
      const start = (no: number) => startWebhookCollector(dataDir, masterKey, no, databaseUrl);
      const collector = await start(1);
      const headers = demoHeaders(demoKeysFromBanner(collector.logFile));
      const storage = databaseUrl ? pgStorage(databaseUrl) : sqliteStorage(join(dataDir, 'referloop.db'));
      const t: Target = { name, collector, headers, storage };
      targets.push(t);
      if (name === 'hooked') {
        const { collector: running, secret, via } = await subscribe(t, receiver.url, masterKey, () => start(2));
        t.collector = running;
        receiver.verifyWith(secret);
        log(`   ${engine}: the endpoint (events ["*"], ${receiver.url}) subscribed by ${via}`);
      }
    }
    const [none, hooked, other] = targets as [Target, Target, Target | undefined];
    const makeBody = conversionBodies();
    const seen = new Set<string>();
    // Warm-up: each collector once; the hooked one's deliveries drained before anything is measured.
    await load(none, makeBody, WARMUP_SECONDS, CONNECTIONS);
    if (other) await load(other, makeBody, WARMUP_SECONDS, CONNECTIONS);
    const warm = await load(hooked, makeBody, WARMUP_SECONDS, CONNECTIONS);
    const warmDrain = await drain(hooked, receiver, warm, seen);
    latencies(warm, warmDrain.records, seen);
    if (warmDrain.atEnd.delivered === 0) {
      // The data folder goes with the bench's clean-up: what the collector said comes along.
      const said = readFileSync(hooked.collector.logFile, 'utf8').split('\n').filter((l) => !l.includes('"req"')).slice(-30).join('\n');
      throw new Error(`${engine}: no delivery arrived in the warm-up (outbox ${JSON.stringify(warmDrain.atEnd)}); the collector's log, requests left out:\n${said}`);
    }
    const warming: Warming = { receiver, seen, hookedRuns: [warm] };
    const aa = other ? await control(log, `${engine}-control`, none, other, warming, makeBody, CONTROL_ROUNDS) : undefined;
    const full = await alternate(log, engine, none, hooked, warming, makeBody, CONNECTIONS, ROUNDS);
    const light = LIGHT_ROUNDS > 0
      ? await alternate(log, `${engine}-light`, none, hooked, warming, makeBody, LIGHT_CONNECTIONS, LIGHT_ROUNDS)
      : undefined;
    const answered = [...warming.hookedRuns, ...full.runs.hooked, ...(light?.runs.hooked ?? [])].reduce((sum, x) => sum + x.ok, 0);
    return { aa, full, light, answered, outbox: await hooked.storage.outbox(), receivedUnique: seen.size };
  } finally {
    for (const t of targets) {
      await t.collector.stop();
      await t.storage.close();
    }
  }
}

export async function webhooksScenario(log: Log, masterKey: string): Promise<void> {
  log();
  log(`7. Webhooks: ${CONNECTIONS} connections of unique conversions (as part 2) against a collector whose brand has no endpoint and one`);
  log('   whose brand has one endpoint on every event (["*"]: conversion.created, commission.created, ...) delivering to a local');
  log(`   receiver (its own process) that answers 204; ${ROUNDS} rounds of one ${fmt(RUN_SECONDS)} s run of each after a ${WARMUP_SECONDS} s warm-up, the`);
  log(`   order turning each round, then ${LIGHT_ROUNDS} rounds at ${LIGHT_CONNECTIONS} connections (a load that does not saturate the collector).`);
  if (PREWARM_SECONDS > 0) log(`   Each measured run right after ${fmt(PREWARM_SECONDS)} s of the same load on the same collector, not measured (the hooked one then drained).`);
  if (CONTROL_ROUNDS > 0) log(`   First, ${CONTROL_ROUNDS} rounds of an A/A control: the collector without an endpoint against a third one, also without.`);
  log('   After each run of the hooked collector the bench waits for its outbox to drain. Latency: from the load generator\'s 2xx');
  log('   for the conversion (matched by order_id) to the receiver\'s answer to its conversion.created delivery.');
  const receiver = await startReceiver();
  try {
    for (const engine of ENGINES) {
      if (engine === 'sqlite') report(log, 'SQLite', await measureEngine(log, masterKey, 'SQLite', receiver, {}));
      else if (engine === 'pg') {
        const db = await benchDatabase();
        if ('unavailable' in db) {
          log(`   PostgreSQL: skipped (${db.unavailable})`);
          continue;
        }
        const { createTestDatabase } = await import('../collector/test/support/postgres.ts');
        const second = await createTestDatabase();
        const third = CONTROL_ROUNDS > 0 ? await createTestDatabase() : undefined;
        log(`   PostgreSQL ${db.settings.server_version}: fsync=${db.settings.fsync}, synchronous_commit=${db.settings.synchronous_commit}; one database per collector on one server`);
        report(log, 'PostgreSQL', await measureEngine(log, masterKey, 'PostgreSQL', receiver, { none: db.url, hooked: second.url, control: third?.url }));
      } else throw new Error(`BENCH_WEBHOOK_ENGINES: ${engine} is not sqlite or pg`);
    }
    const signed = await receiver.take();
    log(`   signatures: the receiver verified ${signed.verified} deliveries with the standardwebhooks library, ${signed.badSignatures} failed`);
  } finally {
    receiver.stop();
  }
  if (PROF_DIR) log(`   CPU profiles of the collectors' main threads, each measured run's and each drain's: ${PROF_DIR}`);
}

function report(log: Log, engine: string, r: Awaited<ReturnType<typeof measureEngine>>): void {
  const o = r.outbox;
  const all = [r.full, ...(r.light ? [r.light] : [])];
  const failed = all.flatMap((x) => [...x.runs.none, ...x.runs.hooked]).reduce((s, x) => s + x.non2xx + x.errors, 0);
  const unmatched = all.flatMap((x) => x.hooked).reduce((s, h) => s + h.unmatched, 0);
  const duplicates = all.flatMap((x) => x.hooked).reduce((s, h) => s + h.duplicates, 0);
  const missing = all.flatMap((x) => x.hooked).reduce((s, h) => s + h.missing, 0);
  log();
  log(`  ${engine} | figure | value |`);
  log('  | --- | --- |');
  if (r.aa) {
    log(`  | ${CONNECTIONS} conn, A/A control: no endpoint / no endpoint | ${fmt(median(r.aa.ratios), 2)} x (${spread(r.aa.ratios)}, ${r.aa.ratios.length} rounds);`
      + ` CPU per conversion ${fmt(median(r.aa.cpuRatios), 2)} x (${spread(r.aa.cpuRatios)}): the noise of the ratio below |`);
  }
  for (const x of all) {
    const at = `${x.connections} conn`;
    const of = (name: 'none' | 'hooked', f: (run: Run) => number) => median(x.runs[name].map(f));
    const fromCommit = x.hooked.flatMap((h) => h.fromCommit);
    const fromEvent = x.hooked.flatMap((h) => h.fromEvent);
    const lat = pct(fromCommit);
    const ev = pct(fromEvent);
    const drains = x.hooked.map((h) => h.drain.ms);
    const pendingAtStop = x.hooked.map((h) => h.drain.atStop.pending);
    const timedOut = x.hooked.filter((h) => h.drain.timedOut).length;
    const ratio = median(x.ratios);
    const drainCpu = median(x.hooked.map((h) => h.drain.cpu / Math.max(1, h.run.ok)));
    log(`  | ${at}: conversions/s, no endpoint | ${fmt(of('none', (run) => run.rps))} (p99 ${fmt(of('none', (run) => run.latencyMs.p99), 1)} ms, ${fmt(of('none', (run) => run.cpu))} us collector CPU each) |`);
    log(`  | ${at}: conversions/s, endpoint on ["*"] | ${fmt(of('hooked', (run) => run.rps))} (p99 ${fmt(of('hooked', (run) => run.latencyMs.p99), 1)} ms, ${fmt(of('hooked', (run) => run.cpu))} us each under load + ${fmt(drainCpu)} us each draining) |`);
    log(`  | ${at}: with / without endpoint, under load | ${fmt(ratio, 2)} x (${spread(x.ratios)}, ${x.ratios.length} rounds)${x.connections === CONNECTIONS ? `: ${ratio >= 1 - ALLOWED_DROP ? 'PASS' : 'FAIL'} (>= ${fmt(1 - ALLOWED_DROP, 2)} x)` : ''} |`);
    log(`  | ${at}: with / without, the drain counted | ${fmt(median(x.sustained), 2)} x (${spread(x.sustained)}): conversions / (load + drain time) |`);
    const cpuRatios = x.runs.hooked.map((h, i) => h.cpu / x.runs.none[i]!.cpu);
    const cpuDrained = x.hooked.map((h, i) => (h.run.cpu + h.drain.cpu / Math.max(1, h.run.ok)) / x.runs.none[i]!.cpu);
    log(`  | ${at}: collector CPU per conversion, with / without | ${fmt(median(cpuRatios), 2)} x under load (${spread(cpuRatios)}), ${fmt(median(cpuDrained), 2)} x with the drain's (${spread(cpuDrained)}) |`);
    log(`  | ${at}: commit -> receiver's 2xx (conversion.created) | p50 ${fmt(lat.p50, 1)} ms, p99 ${fmt(lat.p99, 1)} ms, max ${fmt(lat.max, 0)} ms (${fmt(fromCommit.length)} events; rounds' p50 ${spread(x.hooked.map((h) => pct(h.fromCommit).p50), 1)}, p99 ${spread(x.hooked.map((h) => pct(h.fromCommit).p99), 1)}) |`);
    log(`  | ${at}: event timestamp -> receiver's 2xx (every event) | p50 ${fmt(ev.p50, 1)} ms, p99 ${fmt(ev.p99, 1)} ms (${fmt(fromEvent.length)} events) |`);
    log(`  | ${at}: deliveries written / delivered per second under load | ${fmt(median(x.hooked.map((h) => h.writtenPerS)))} / ${fmt(median(x.hooked.map((h) => h.deliveredPerS)))} (delivered ${spread(x.hooked.map((h) => h.deliveredPerS), 0)}) |`);
    log(`  | ${at}: pending when the load stopped | median ${fmt(median(pendingAtStop))} (${spread(pendingAtStop, 0)}) |`);
    log(`  | ${at}: drain, load stop -> last delivery | median ${fmt(median(drains))} ms (${spread(drains, 0)})${timedOut ? `, ${timedOut} rounds NOT drained in ${DRAIN_LIMIT_MS / 1000} s` : ''} |`);
  }
  log(`  | delivered / written by the outbox | ${fmt(o.delivered)} / ${fmt(o.pending + o.delivered + o.failed)} (received ${fmt(r.receivedUnique)} distinct webhook-ids, ${duplicates} again; pending ${o.pending}, failed ${o.failed}, failed attempts ${o.failedAttempts}) |`);
  log(`  | conversion.created written / conversions answered 2xx | ${fmt(o.conversionEvents)} / ${fmt(r.answered)}, the warm-up's included (${unmatched} measured events whose 2xx the load generator never saw: cut at a run's end); measured conversions answered 2xx without their event received: ${missing} |`);
  log(`  | non-2xx + errors | ${failed} |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'receiver') runReceiver();
