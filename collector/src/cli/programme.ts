// referloop brand create, advocate create/list/update, settings, commission and payout: the API's own schemas and
// use cases, each in one transaction on the brand (loaded only by these commands).
import { readFileSync, writeFileSync } from 'node:fs';
import { createQueries } from '../db/queries.ts';
import { parseCsv, toCsv } from '../http/csv.ts';
import { pageOf } from '../http/query.ts';
import { zAdvocateListQuery, zUpdateAdvocateRequest } from '../schemas/advocates.ts';
import { zCommissionListQuery, zCommissionStatusRequest } from '../schemas/commissions.ts';
import { zReferralRecordListQuery } from '../schemas/referralRecords.ts';
import { zSettingsPatch } from '../schemas/settings.ts';
import { getRecord, recordPage } from '../services/referralRecords.ts';
import { zCreateCampaignRequest, zUpdateCampaignRequest } from '../schemas/campaigns.ts';
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from '../services/campaigns.ts';
import { countAdvocates, listAdvocates, updateAdvocate } from '../services/advocates.ts';
import {
  PAYOUT_CSV_COLUMNS, SETTLE_BATCH, countCommissions, listCommissions, markPaid, payoutCsvRows, setCommissionStatus,
  settleDueBatch, wholePayout, type Recovery,
} from '../services/commissions.ts';
import { parseHundredths } from '../domain/money.ts';
import type { Ctx } from '../services/context.ts';
import { settingsView, updateSettings } from '../services/settings.ts';
import { createAdvocate, createBrand } from '../services/brands.ts';
import { createPortalLink } from '../services/portal.ts';
import { loadConfig, publicUrlOf } from '../config.ts';
import { inBrand, readBrand } from './inBrand.ts';
import { masterKeyOf, openExisting, openOrCreate, parse, print, table, withDb, type BrandOpts, type CommonOpts } from './common.ts';


/** KEY=VALUE arguments as an object (the values are strings, as a query string's are). */
function keyValues(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`"${pair}" is not KEY=VALUE`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
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

export async function brandCreate(opts: CommonOpts & { name: string; plan: 'starter' | 'growth' | 'premier'; origin: string[] }): Promise<void> {
  const origins = opts.origin.map((o) => new URL(o).origin);
  const masterKey = masterKeyOf(opts);
  const r = await withDb(openOrCreate(opts), (db) => createBrand(db, createQueries(db), masterKey, { name: opts.name, plan: opts.plan, origins }));
  print(opts, r, `brand id         ${r.brand_id}\nplan             ${r.plan}\nsecret key       ${r.secret_key}\npublishable key  ${r.publishable_key}\n(keys are shown once)`);
}

export async function advocateCreate(opts: BrandOpts & { email: string; name: string; code?: string; campaign?: string }): Promise<void> {
  const r = await withDb(openExisting(opts), (db) => db.transaction(async () =>
    createAdvocate(createQueries(db), { brandId: opts.brand, email: opts.email, name: opts.name, code: opts.code, campaignId: opts.campaign })));
  print(opts, r, `advocate id  ${r.advocate_id}\ncode         ${r.code}`);
}

export async function advocateList(opts: BrandOpts & { status?: string; tier?: string; campaign?: string; search?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zAdvocateListQuery, { status: opts.status, tier: opts.tier, campaign_id: opts.campaign, search: opts.search, limit: opts.limit, page: opts.page });
  const page = pageOf(query);
  const filter = { status: query.status ?? null, tier: query.tier ?? null, campaignId: query.campaign_id ?? null, search: query.search ?? null };
  const r = await inBrand(opts, async (ctx) => ({ items: await listAdvocates(ctx, filter, page), total: await countAdvocates(ctx, filter) }));
  print(opts, { advocates: r.items, total: r.total }, `${table(r.items, ['id', 'name', 'email', 'status', 'referral_code', 'click_count', 'conversion_count',
    'pending_earnings', 'approved_earnings', 'paid_earnings', 'total_earnings'])}\n${r.items.length} of ${r.total}`);
}

export async function advocateUpdate(opts: BrandOpts & { id: string; status?: string; tier?: string; name?: string; email?: string; campaign?: string }): Promise<void> {
  const change = parse(zUpdateAdvocateRequest, { status: opts.status, tier: opts.tier, name: opts.name, email: opts.email, campaign_id: opts.campaign });
  const r = await inBrand(opts, (ctx) => updateAdvocate(ctx, Number(opts.id), change));
  print(opts, { advocate: r }, `advocate ${r.id}  ${r.name}  ${r.status}${r.tier ? `  tier ${r.tier}` : ''}`);
}

/** `referloop advocate portal-link`: the advocate's single-use portal link (an hour), as POST /advocates/:id/portal-link. */
export async function advocatePortalLink(opts: BrandOpts & { id: string }): Promise<void> {
  const publicUrl = publicUrlOf(loadConfig(process.env));
  const r = await inBrand(opts, (ctx) => createPortalLink(ctx, Number(opts.id), publicUrl));
  print(opts, r, `${r.url}\nworks once, until ${r.expires_at}`);
}

export async function settingsShow(opts: BrandOpts): Promise<void> {
  const r = await inBrand(opts, (ctx) => settingsView(ctx.brand));
  print(opts, { settings: r }, settingsTable(r));
}

export async function settingsSet(pairs: string[], opts: BrandOpts): Promise<void> {
  const patch = parse(zSettingsPatch, keyValues(pairs));
  const r = await inBrand(opts, (ctx) => updateSettings(ctx, patch, { planChangeAllowed: true }));
  print(opts, { settings: r }, settingsTable(r));
}

const CAMPAIGN_COLUMNS = ['id', 'name', 'status', 'signup', 'is_default', 'referrer_reward_type', 'referrer_reward_value', 'referee_discount_type',
  'referee_discount_value', 'cooling_period_days', 'attribution_window_days', 'advocate_count'];

export async function campaignList(opts: BrandOpts): Promise<void> {
  const r = await inBrand(opts, (ctx) => listCampaigns(ctx));
  print(opts, { campaigns: r }, table(r, CAMPAIGN_COLUMNS));
}

export async function campaignGet(opts: BrandOpts & { id: string }): Promise<void> {
  const r = await readBrand(opts, (ctx) => getCampaign(ctx, Number(opts.id)));
  print(opts, { campaign: r }, table([r], CAMPAIGN_COLUMNS));
}

export async function campaignAdd(name: string, pairs: string[], opts: BrandOpts): Promise<void> {
  const request = parse(zCreateCampaignRequest, { ...keyValues(pairs), name });
  const r = await inBrand(opts, (ctx) => createCampaign(ctx, request));
  print(opts, { campaign: r }, table([r], CAMPAIGN_COLUMNS));
}

export async function campaignSet(pairs: string[], opts: BrandOpts & { id: string }): Promise<void> {
  const change = parse(zUpdateCampaignRequest, keyValues(pairs));
  const r = await inBrand(opts, (ctx) => updateCampaign(ctx, Number(opts.id), change));
  print(opts, { campaign: r }, table([r], CAMPAIGN_COLUMNS));
}

const RECORD_COLUMNS = ['uuid', 'referrer_advocate_id', 'reward_action_type', 'level', 'reward_earned', 'reward_type', 'status', 'campaign_id',
  'referral_date'];

export async function recordList(opts: BrandOpts & { advocate?: string; email?: string; campaign?: string; action?: string; status?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zReferralRecordListQuery, {
    advocate_id: opts.advocate, customer_email: opts.email, campaign_id: opts.campaign, reward_action_type: opts.action, status: opts.status,
    limit: opts.limit, page: opts.page,
  });
  const page = await readBrand(opts, (ctx) => recordPage(ctx, query, pageOf(query)));
  print(opts, { referral_records: page.rows }, table(page.rows, RECORD_COLUMNS));
}

export async function recordGet(opts: BrandOpts & { uuid: string }): Promise<void> {
  const r = await readBrand(opts, (ctx) => getRecord(ctx, opts.uuid));
  print(opts, { referral_record: r }, table([r], [...RECORD_COLUMNS, 'short_code', 'commission_id']));
}

export async function commissionList(opts: BrandOpts & { status?: string; advocate?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zCommissionListQuery, { status: opts.status, advocate_id: opts.advocate, limit: opts.limit, page: opts.page });
  const r = await inBrand(opts, async (ctx) => ({ commissions: await listCommissions(ctx, query, pageOf(query)), total: await countCommissions(ctx, query) }));
  print(opts, { commissions: r.commissions, total: r.total }, `${table(r.commissions, ['id', 'advocate_id', 'level', 'status', 'amount', 'clawed_back',
    'currency', 'order_id', 'available_at', 'paid_at'])}\n${r.commissions.length} of ${r.total}`);
}

/**
 * The brand's due backlog approved batch by batch, one write transaction per batch: the collector's writes on the
 * same file wait for one batch at most, not the backlog. Nothing due: one read, and the write lock is never taken.
 */
async function settleInBatches(opts: BrandOpts): Promise<number[]> {
  const ids: number[] = [];
  // What was due when the command started: a collector recording conversions meanwhile (with no cooling period each
  // is due at once) would otherwise keep every batch full, and the command would never end.
  const startedAt = new Date();
  const settle = () => inBrand(opts, (ctx) => settleDueBatch({ ...ctx, now: startedAt }));
  if (!await readBrand(opts, (ctx) => ctx.q.rewards.hasDue(ctx.brand.id, startedAt.toISOString()))) return ids;
  for (let batch = await settle(); ; batch = await settle()) {
    ids.push(...batch);
    if (batch.length < SETTLE_BATCH) return ids;
  }
}

export async function commissionApproveDue(opts: BrandOpts): Promise<void> {
  const ids = await settleInBatches(opts);
  print(opts, { approved: ids.length, commissions: ids }, `${ids.length} commission(s) approved${ids.length ? `: ${ids.join(', ')}` : ''}`);
}

export async function commissionSetStatus(opts: BrandOpts & { id: string; status: string; reason?: string }): Promise<void> {
  const change = parse(zCommissionStatusRequest, { status: opts.status, reason: opts.reason });
  const r = await inBrand(opts, (ctx) => setCommissionStatus(ctx, Number(opts.id), change.status, change.reason ?? null, 'cli'));
  print(opts, { commission: r }, `commission ${r.id}  ${r.status}  ${r.amount} ${r.currency}`);
}

export async function payoutExport(opts: BrandOpts & { out?: string }): Promise<void> {
  // Settled first, batch by batch; then listed in one read transaction, without the write lock.
  await settleInBatches(opts);
  const { advocates, total, rolled_over } = await readBrand(opts, (ctx) => wholePayout(ctx));
  const rows = payoutCsvRows(advocates);
  const csv = toCsv(PAYOUT_CSV_COLUMNS, rows);
  const commissions = rows.filter((r) => r.line.type === 'commission').length;
  if (opts.out) writeFileSync(opts.out, csv);
  if (opts.json) print(opts, { advocates, count: commissions, total, rolled_over, file: opts.out ?? null }, '');
  else if (opts.out) process.stdout.write(`${commissions} commission(s), ${total.toFixed(2)} to pay after clawbacks, written to ${opts.out}\n`);
  else process.stdout.write(csv);
}

export async function payoutMarkPaid(opts: BrandOpts & { from?: string; id?: string[]; note?: string }): Promise<void> {
  const file = opts.from ? readPayoutFile(opts.from) : { ids: [], recoveries: [] };
  const ids = [...file.ids, ...(opts.id ?? []).map((id) => {
    if (!/^\d+$/.test(id)) throw new Error(`--id ${id} is not an id`);
    return Number(id);
  })];
  if (ids.length === 0) throw new Error('nothing to mark: give --from FILE or --id');
  const r = await inBrand(opts, (ctx) => markPaid(ctx, ids, 'cli', opts.note ?? null, file.recoveries));
  const netted = r.recovered.length ? `, clawbacks netted off: ${r.recovered.map((x) => `${x.amount} (commission ${x.commission_id})`).join(', ')}` : '';
  print(opts, { paid: r.paid.length, total: r.total, currency: r.currency, commissions: r.paid.map((c) => c.id), recovered: r.recovered },
    `${r.paid.length} commission(s) marked paid, ${r.total.toFixed(2)} ${r.currency} paid out${netted}`);
}
