// The referloop command: brands, keys, advocates, the programme's settings, commissions and payouts, and
// serving the collector. Each command runs the same use case as the API, in one transaction.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from './config.ts';
import { openDatabase, type Db } from './db/open.ts';
import { createQueries } from './db/queries.ts';
import { loadMasterKey } from './masterKey.ts';
import { parseCsv, toCsv, type CsvColumn } from './http/csv.ts';
import { parseBody } from './http/parse.ts';
import { pageOf } from './http/query.ts';
import { zAdvocateListQuery, zUpdateAdvocateRequest } from './schemas/advocates.ts';
import { zCommissionListQuery, zCommissionStatusRequest } from './schemas/commissions.ts';
import { zSettingsPatch } from './schemas/settings.ts';
import { countAdvocates, listAdvocates, updateAdvocate } from './services/advocates.ts';
import { createAdvocate, createBrand, rotateSecretKey } from './services/brands.ts';
import {
  PAYOUT_CSV_COLUMNS, SETTLE_BATCH, countCommissions, listCommissions, markPaid, payoutCsvRows, payoutList, setCommissionStatus,
  settleDueBatch, type Recovery,
} from './services/commissions.ts';
import { parseHundredths } from './domain/money.ts';
import type { Ctx } from './services/context.ts';
import { settingsView, updateSettings } from './services/settings.ts';
import { serveUntilSignalled } from './server.ts';

interface CommonOpts { db: string; json?: boolean }

const DEFAULT_DB = './data/referloop.db';

/** Opens the database and the master key kept beside it (or REFERLOOP_MASTER_KEY). */
function open(opts: CommonOpts) {
  const db = openDatabase(opts.db);
  const masterKey = loadMasterKey(process.env.REFERLOOP_MASTER_KEY, dirname(opts.db));
  return { db, q: createQueries(db), masterKey };
}

function print(opts: CommonOpts, result: Record<string, unknown>, human: string): void {
  process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : human + '\n');
}

const common = (cmd: Command) =>
  cmd.option('--db <path>', 'SQLite database file', DEFAULT_DB).option('--json', 'print one JSON object, nothing else');

/** A brand's command: its use case runs with the brand, the clock and the queries, in one transaction. */
const ofBrand = (cmd: Command) => common(cmd).requiredOption('--brand <id>', 'brand id');

/**
 * BEGIN IMMEDIATE: the transaction takes the write lock first (waiting up to busy_timeout while the collector
 * commits), instead of reading and then failing at once with "database is locked" when it tries to write.
 */
function inBrand<T>(opts: CommonOpts & { brand: string }, run: (ctx: Ctx, db: Db) => T): T {
  const { db, q } = open(opts);
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

/** Input given on the command line goes through the API's own schema: the same 400 message names the field. */
const parse = <S extends Parameters<typeof parseBody>[0]>(schema: S, input: Record<string, unknown>) =>
  parseBody(schema, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))).data;

/** KEY=VALUE arguments as an object (the values are strings, as a query string's are). */
function keyValues(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`"${pair}" is not KEY=VALUE`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
}

/** Fixed-width columns for a terminal. */
function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = [columns, ...rows.map((r) => columns.map((c) => String(r[c] ?? '')))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** The settings as KEY VALUE lines (allowed origins comma-separated, as `settings set` takes them). */
const settingsTable = (settings: Record<string, unknown>) =>
  table(Object.entries(settings).map(([key, value]) => ({ key, value: Array.isArray(value) ? value.join(',') : value })), ['key', 'value']);

/**
 * What a payout CSV says was paid: the commission lines' ids, and the clawbacks netted off (clawback lines,
 * negative amounts). A file without a type column is all commission lines.
 */
function readPayoutFile(path: string): { ids: number[]; recoveries: Recovery[] } {
  const [header = [], ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const column = (name: string) => header.indexOf(name);
  const [idAt, typeAt, amountAt] = [column('commission_id'), column('type'), column('amount')];
  if (idAt < 0) throw new Error(`${path} has no commission_id column`);
  const ids: number[] = [];
  const recoveries: Recovery[] = [];
  rows.forEach((row, i) => {
    const where = `${path} line ${i + 2}`;
    const id = row[idAt] ?? '';
    if (!/^\d+$/.test(id)) throw new Error(`${where}: commission_id "${id}" is not an id`);
    const type = typeAt < 0 ? 'commission' : row[typeAt];
    if (type === 'commission') {
      ids.push(Number(id));
    } else if (type === 'clawback') {
      const amount = parseHundredths((row[amountAt] ?? '').replace(/^-/, ''));
      if (!amount.ok) throw new Error(`${where}: amount ${amount.message}`);
      recoveries.push({ commissionId: Number(id), cents: amount.value });
    } else {
      throw new Error(`${where}: type "${type}" is neither commission nor clawback`);
    }
  });
  return { ids, recoveries };
}

export function buildCli(): Command {
  const program = new Command('referloop').description('Referloop: self-hosted referral tracking').showHelpAfterError();

  const brand = program.command('brand').description('manage brands');
  common(brand.command('create').description('create a brand with its secret and publishable keys'))
    .requiredOption('--name <name>', 'brand name')
    .addOption(new Option('--plan <plan>', 'plan tier').choices(['starter', 'growth', 'premier']).default('premier'))
    .option('--origin <url...>', 'allowed origin for browser calls (repeatable)', [])
    .action((opts: CommonOpts & { name: string; plan: 'starter' | 'growth' | 'premier'; origin: string[] }) => {
      const { db, q, masterKey } = open(opts);
      const origins = opts.origin.map((o) => new URL(o).origin);
      const r = createBrand(db, q, masterKey, { name: opts.name, plan: opts.plan, origins });
      db.close();
      print(opts, r, `brand id         ${r.brand_id}\nplan             ${r.plan}\nsecret key       ${r.secret_key}\npublishable key  ${r.publishable_key}\n(keys are shown once)`);
    });

  const advocate = program.command('advocate').description('manage advocates');
  common(advocate.command('create').description('create an advocate with a referral code'))
    .requiredOption('--brand <id>', 'brand id')
    .requiredOption('--email <email>', 'advocate email')
    .requiredOption('--name <name>', 'advocate name')
    .option('--code <code>', 'referral code (generated when absent)')
    .action((opts: CommonOpts & { brand: string; email: string; name: string; code?: string }) => {
      const { db, q } = open(opts);
      const r = db.transaction(() => createAdvocate(q, { brandId: opts.brand, email: opts.email, name: opts.name, code: opts.code })).immediate();
      db.close();
      print(opts, r, `advocate id  ${r.advocate_id}\ncode         ${r.code}`);
    });

  common(program.command('key').description('manage keys').command('rotate').description('revoke the secret key and issue a new one'))
    .requiredOption('--brand <id>', 'brand id')
    .action((opts: CommonOpts & { brand: string }) => {
      const { db, q, masterKey } = open(opts);
      const r = rotateSecretKey(db, q, masterKey, opts.brand);
      db.close();
      print(opts, r, `brand id    ${r.brand_id}\nsecret key  ${r.secret_key}\n(the old secret key no longer works)`);
    });

  ofBrand(advocate.command('list').description('list advocates with their clicks, conversions and earnings'))
    .option('--status <status>', 'active, pending or blocked')
    .option('--tier <tier>', 'only this tier')
    .option('--search <text>', 'in name, email or codes')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: CommonOpts & { brand: string; status?: string; tier?: string; search?: string; limit: string; page: string }) => {
      const query = parse(zAdvocateListQuery, { status: opts.status, tier: opts.tier, search: opts.search, limit: opts.limit, page: opts.page });
      const page = pageOf(query);
      const filter = { status: query.status ?? null, tier: query.tier ?? null, search: query.search ?? null };
      const r = inBrand(opts, (ctx) => ({ items: listAdvocates(ctx, filter, page), total: countAdvocates(ctx, filter) }));
      print(opts, { advocates: r.items, total: r.total }, `${table(r.items, ['id', 'name', 'email', 'status', 'referral_code', 'click_count', 'conversion_count',
        'pending_earnings', 'approved_earnings', 'paid_earnings', 'total_earnings'])}\n${r.items.length} of ${r.total}`);
    });

  ofBrand(advocate.command('update').description('change an advocate: block or unblock, tier, name, email'))
    .requiredOption('--id <id>', 'advocate id')
    .option('--status <status>', 'active, pending or blocked')
    .option('--tier <tier>', 'tier name')
    .option('--name <name>', 'name')
    .option('--email <email>', 'email')
    .action((opts: CommonOpts & { brand: string; id: string; status?: string; tier?: string; name?: string; email?: string }) => {
      const change = parse(zUpdateAdvocateRequest, { status: opts.status, tier: opts.tier, name: opts.name, email: opts.email });
      const r = inBrand(opts, (ctx) => updateAdvocate(ctx, Number(opts.id), change));
      print(opts, { advocate: r }, `advocate ${r.id}  ${r.name}  ${r.status}${r.tier ? `  tier ${r.tier}` : ''}`);
    });

  const settings = program.command('settings').description("the brand's programme: attribution, discount, reward, cooling period, levels");
  ofBrand(settings.command('show').description('print the settings')).action((opts: CommonOpts & { brand: string }) => {
    const r = inBrand(opts, (ctx) => settingsView(ctx.brand));
    print(opts, { settings: r }, settingsTable(r));
  });
  ofBrand(settings.command('set').description('change settings: KEY=VALUE with the fields of PATCH /api/v1/settings (plan= too)'))
    .argument('<pairs...>', 'e.g. cooling_period_days=14 referrer_reward_type=fixed referrer_reward_value=5')
    .action((pairs: string[], opts: CommonOpts & { brand: string }) => {
      const patch = parse(zSettingsPatch, keyValues(pairs));
      const r = inBrand(opts, (ctx) => updateSettings(ctx, patch, { planChangeAllowed: true }));
      print(opts, { settings: r }, settingsTable(r));
    });

  const commission = program.command('commission').description("advocates' rewards: list, approve, pay, reject");
  ofBrand(commission.command('list').description('list commissions, newest first'))
    .option('--status <status>', 'pending, approved, paid, rejected or reversed')
    .option('--advocate <id>', 'of this advocate')
    .option('--limit <n>', 'at most this many (1-100)', '100')
    .option('--page <n>', 'page number', '1')
    .action((opts: CommonOpts & { brand: string; status?: string; advocate?: string; limit: string; page: string }) => {
      const query = parse(zCommissionListQuery, { status: opts.status, advocate_id: opts.advocate, limit: opts.limit, page: opts.page });
      const r = inBrand(opts, (ctx) => ({ commissions: listCommissions(ctx, query, pageOf(query)), total: countCommissions(ctx, query) }));
      print(opts, { commissions: r.commissions, total: r.total }, `${table(r.commissions, ['id', 'advocate_id', 'level', 'status', 'amount', 'clawed_back',
        'currency', 'order_id', 'available_at', 'paid_at'])}\n${r.commissions.length} of ${r.total}`);
    });
  ofBrand(commission.command('approve-due').description('approve every pending commission whose cooling period has ended'))
    .action((opts: CommonOpts & { brand: string }) => {
      // One transaction per batch: the collector's writes on the same file wait for one batch at most, not the backlog.
      const ids: number[] = [];
      for (let batch = inBrand(opts, (ctx) => settleDueBatch(ctx)); ; batch = inBrand(opts, (ctx) => settleDueBatch(ctx))) {
        ids.push(...batch);
        if (batch.length < SETTLE_BATCH) break;
      }
      print(opts, { approved: ids.length, commissions: ids }, `${ids.length} commission(s) approved${ids.length ? `: ${ids.join(', ')}` : ''}`);
    });
  ofBrand(commission.command('set-status').description('approve (also before the cooling period ends), pay or reject one commission'))
    .requiredOption('--id <id>', 'commission id')
    .requiredOption('--status <status>', 'approved, paid or rejected')
    .option('--reason <text>', 'why (kept in the history)')
    .action((opts: CommonOpts & { brand: string; id: string; status: string; reason?: string }) => {
      const change = parse(zCommissionStatusRequest, { status: opts.status, reason: opts.reason });
      const r = inBrand(opts, (ctx) => setCommissionStatus(ctx, Number(opts.id), change.status, change.reason ?? null, 'cli'));
      print(opts, { commission: r }, `commission ${r.id}  ${r.status}  ${r.amount} ${r.currency}`);
    });

  const payout = program.command('payout').description('pay approved commissions: export the list, pay, mark paid');
  ofBrand(payout.command('export').description('the approved cash commissions to pay, less clawbacks owed, as CSV (stdout or --out)'))
    .option('--out <file>', 'write the CSV to this file')
    .action((opts: CommonOpts & { brand: string; out?: string }) => {
      const { advocates, total, rolled_over } = inBrand(opts, (ctx) => payoutList(ctx));
      const rows = payoutCsvRows(advocates);
      const csv = toCsv(PAYOUT_CSV_COLUMNS, rows);
      const commissions = rows.filter((r) => r.line.type === 'commission').length;
      if (opts.out) writeFileSync(opts.out, csv);
      if (opts.json) print(opts, { advocates, count: commissions, total, rolled_over, file: opts.out ?? null }, '');
      else if (opts.out) process.stdout.write(`${commissions} commission(s), ${total.toFixed(2)} to pay after clawbacks, written to ${opts.out}\n`);
      else process.stdout.write(csv);
    });
  ofBrand(payout.command('mark-paid').description('mark the commissions of a payout CSV (or --id) paid, all or none'))
    .option('--from <file>', 'a CSV made by payout export (its commission_id column)')
    .option('--id <ids...>', 'commission ids')
    .option('--note <text>', 'kept in each history, e.g. the transfer reference')
    .action((opts: CommonOpts & { brand: string; from?: string; id?: string[]; note?: string }) => {
      const file = opts.from ? readPayoutFile(opts.from) : { ids: [], recoveries: [] };
      const ids = [...file.ids, ...(opts.id ?? []).map((id) => {
        if (!/^\d+$/.test(id)) throw new Error(`--id ${id} is not an id`);
        return Number(id);
      })];
      if (ids.length === 0) throw new Error('nothing to mark: give --from FILE or --id');
      const r = inBrand(opts, (ctx) => markPaid(ctx, ids, 'cli', opts.note ?? null, file.recoveries));
      const netted = r.recovered.length ? `, clawbacks netted off: ${r.recovered.map((x) => `${x.amount} (commission ${x.commission_id})`).join(', ')}` : '';
      print(opts, { paid: r.paid.length, total: r.total, currency: r.currency, commissions: r.paid.map((c) => c.id), recovered: r.recovered },
        `${r.paid.length} commission(s) marked paid, ${r.total.toFixed(2)} ${r.currency} paid out${netted}`);
    });

  program.command('serve').description('start the collector')
    .option('--port <n>', 'port (default REFERLOOP_PORT or 8787)')
    .option('--db <path>', 'SQLite database file (default REFERLOOP_DB or ./data/referloop.db)')
    .action(async (opts: { port?: string; db?: string }) => {
      const config = loadConfig(process.env);
      if (opts.port !== undefined) config.port = Number(opts.port);
      if (opts.db !== undefined) {
        config.dbPath = opts.db;
        config.dataDir = dirname(opts.db);
      }
      await serveUntilSignalled(config);
    });
  return program;
}

try {
  await buildCli().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`referloop: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
