// The adapter for the clients of 003_* (Reverb) (issue 15), under /compat/reverb/api/v1: Basic auth, 003_*'s
// envelope, its names and UUIDs mapped onto Referloop's referral records (services/referralRecords.ts, the same use
// cases as /api/v1/referral-records: no rule of its own).
//   GET  /referrals/<uuid>  a record's uuid: {referral}; an advocate's or a referred customer's: {referrals} (theirs)
//   POST /referrals         a record entered, and the commission it earns: {referral}
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { ApiError, type ErrorDetail } from '../../errors.ts';
import { settledBrand } from '../../http/manage.ts';
import { parseBody } from '../../http/parse.ts';
import { listPage, pageOf, parseQuery, zPagination } from '../../http/query.ts';
import { callerOf } from '../../http/auth.ts';
import { zCreateReferralRecordRequest, type ReferralRecordListQuery } from '../../schemas/referralRecords.ts';
import { findAdvocate } from '../../services/advocates.ts';
import type { Ctx } from '../../services/context.ts';
import { createRecord, firstRecordOfCustomer, getRecord, getRecordById, recordPage, totalRecords, type ReferralRecordView } from '../../services/referralRecords.ts';
import { errorReply, OK_CREATED, OK_READ, reply, reverbErrors, reverbGuard } from './envelope.ts';
import { fromUuid, kindOf, toUuid, type Kind } from './uuids.ts';

/** The website_uuid of a brand (a brand is 003_*'s website). */
export const websiteUuid = (brandId: string) => toUuid(brandId, 'website', 1);

/** `2026-04-14T12:00:00.000Z` as 003_* writes dates: `2026-04-14T12:00:00+00:00`. */
const withOffset = (iso: string) => iso.replace(/(\.\d+)?Z$/, '+00:00');

const money = (amount: number) => amount.toFixed(2);

/**
 * A record as 003_* answers it (its fields first, in its order; then what Referloop adds). `customers`: the first
 * record of each referred customer known only by email, whose id their uuid carries (customerIds).
 */
function referralOf(ctx: Ctx, v: ReferralRecordView, customers: Map<string, number>) {
  const b = ctx.brand.id;
  const customer = v.referred_customer;
  return {
    uuid: v.uuid,
    campaign_uuid: toUuid(b, 'campaign', v.campaign_id),
    referrer_advocate_uuid: toUuid(b, 'advocate', v.referrer_advocate_id),
    referred_customer_uuid: customer?.advocate_id != null ? toUuid(b, 'advocate', customer.advocate_id)
      : customer?.email ? toUuid(b, 'customer', customers.get(customer.email) ?? v.id) : null,
    referred_order_uuid: v.order?.conversion_id != null ? toUuid(b, 'order', v.order.conversion_id) : null,
    level: v.level,
    short_code: v.short_code,
    reward_earned: v.reward_type === 'commission' ? money(v.reward_earned) : String(v.reward_earned),
    reward_type: v.reward_type,
    reward_payed: String(v.reward_paid),
    incentive_used: v.incentive_used,
    incentive_type: v.incentive_type,
    referral_date: withOffset(v.referral_date),
    // Referloop's additions: what the create took, and the commission's state
    website_uuid: websiteUuid(b),
    reward_action_type: v.reward_action_type,
    qualified_amount: v.qualified_amount,
    referred_order_number: v.order?.order_id ?? null,
    incentive_amount: v.incentive_amount === null ? null : money(v.incentive_amount),
    cooling_period_end: v.cooling_period_end.slice(0, 19).replace('T', ' '),
    status: v.status === 'rejected' || v.status === 'reversed' ? 0 : 1,
    commission_status: v.status,
  };
}

/** The first record of each referred customer the records name by email alone (one lookup per email). */
async function customerIds(ctx: Ctx, views: ReferralRecordView[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const v of views) {
    const email = v.referred_customer?.advocate_id == null ? v.referred_customer?.email : null;
    if (!email || ids.has(email)) continue;
    const first = await firstRecordOfCustomer(ctx, email);
    if (first !== null) ids.set(email, first);
  }
  return ids;
}

/** Records as 003_* answers them. */
export async function referralsOf(ctx: Ctx, views: ReferralRecordView[]) {
  const customers = await customerIds(ctx, views);
  return views.map((v) => referralOf(ctx, v, customers));
}

const notFound = () => new ApiError(404, 'not_found', 'No referral record or customer with this uuid for this brand',
  [{ field: 'uuid', message: 'is no referral record, advocate or referred customer of this brand' }]);

/** 003_*'s create fields that Referloop keeps itself or has no place for: taken and ignored, with a warning. */
const IGNORED = ['referrer_order_uuid', 'referrer_offer_uuid', 'referred_offer_uuid', 'referred_through', 'number_of_referrals',
  'payment_status', 'transaction_uuid'];

/** The create's fields given as they are to /api/v1's schema (a form body's digits become numbers). */
const PASSED = ['reward_action_type', 'qualified_amount', 'level', 'referred_level', 'referred_order_number', 'reward_amount',
  'incentive_amount', 'is_qualified_for_reward', 'is_qualified_for_incentive', 'cooling_period_end', 'share_code', 'referred_customer_email'];

const UUIDS: Record<string, Kind> = { campaign_uuid: 'campaign', referrer_advocate_uuid: 'advocate', referred_order_uuid: 'order' };
const OURS: Record<string, string> = { campaign_uuid: 'campaign_id', referrer_advocate_uuid: 'referrer_advocate_id', referred_order_uuid: 'conversion_id' };

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/** A UUID this adapter answered, or Referloop's own id (a migrating client's bridge); null when neither. */
function idOf(brandId: string, kind: Kind, value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\d{1,15}$/.test(value.trim())) return Number(value.trim()) || null;
  return fromUuid(brandId, kind, value);
}

/**
 * 003_*'s create body as /api/v1's (zCreateReferralRecordRequest, whose rules decide): its UUIDs to ids, a
 * referred customer to an advocate or (a customer known by email) their email, status 0 to a record not qualified.
 */
async function ourRequest(ctx: Ctx, body: Record<string, unknown>): Promise<{ request: Record<string, unknown>; warnings: string[] }> {
  const b = ctx.brand.id;
  const problems: ErrorDetail[] = [];
  const request: Record<string, unknown> = {};
  const digits = (v: unknown) => (typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : v);
  for (const f of PASSED) if (given(body[f])) request[f] = f === 'qualified_amount' ? digits(body[f]) : body[f];
  if (given(body.website_uuid) && body.website_uuid !== websiteUuid(b) && body.website_uuid !== b) {
    problems.push({ field: 'website_uuid', message: `is not the website of this consumer key (${websiteUuid(b)})` });
  }
  for (const [field, kind] of Object.entries(UUIDS)) {
    if (!given(body[field])) continue;
    const id = idOf(b, kind, body[field]);
    if (id === null) problems.push({ field, message: `is no ${kind} of this brand` });
    else request[OURS[field]!] = id;
  }
  const customer = body.referred_customer_uuid;
  if (given(customer)) {
    const kind = typeof customer === 'string' ? kindOf(b, customer) : null;
    const advocate = kind === 'customer' ? null : idOf(b, 'advocate', customer);
    const ofRecord = kind === 'customer' ? fromUuid(b, 'customer', customer as string) : null;
    const email = ofRecord === null ? null : await getRecordById(ctx, ofRecord).then((r) => r.referred_customer?.email ?? null, () => null);
    if (advocate !== null) request.referred_advocate_id = advocate;
    else if (email !== null) request.referred_customer_email ??= email;
    else problems.push({ field: 'referred_customer_uuid', message: 'is no advocate or referred customer of this brand' });
  }
  if (given(body.status)) {
    const s = String(body.status).trim();
    if (s !== '0' && s !== '1') problems.push({ field: 'status', message: 'must be 0 (inactive) or 1 (active)' });
    // An inactive record earns nothing: its commission is rejected at once, as one not qualified for the reward.
    if (s === '0') request.is_qualified_for_reward = 0;
  }
  if (problems.length) throw new ApiError(400, 'invalid_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  const known = new Set(['website_uuid', 'referred_customer_uuid', 'status', ...PASSED, ...Object.keys(UUIDS)]);
  const warnings = Object.keys(body).map((k) => (IGNORED.includes(k) ? `"${k}" is kept by Referloop itself: the value given was ignored`
    : known.has(k) ? null : `unknown field "${k}" was ignored`)).filter((w): w is string => w !== null);
  // Only a purchase has an order: the document's example sends its order whatever the action, so another action's is left out.
  if (['2', '3', '4'].includes(String(body.reward_action_type).trim())) {
    for (const [field, ours] of [['referred_order_uuid', 'conversion_id'], ['referred_order_number', 'referred_order_number']] as const) {
      if (request[ours] === undefined) continue;
      delete request[ours];
      warnings.push(`"${field}" was ignored: only reward_action_type 1 (a purchase) has an order`);
    }
  }
  return { request, warnings };
}

const zListQuery = z.object(zPagination);

/** A read's context, after the brand's due commissions were settled (as every /api/v1 read). */
async function readCtx(deps: AppDeps, res: Response): Promise<Ctx> {
  const { brand } = callerOf(res);
  const now = deps.now();
  await settledBrand(deps, brand, now);
  return { q: deps.rq, brand, now };
}

/** A customer's records, newest first, keyset-paged (`limit`, default 100, and `cursor`: the answer's next_cursor). */
async function customerRecords(ctx: Ctx, req: Request, filter: Partial<ReferralRecordListQuery>) {
  const { data: query } = parseQuery(zListQuery, req.query);
  const q = { ...query, ...filter } as ReferralRecordListQuery;
  const page = await listPage('referrals', pageOf({ ...query, limit: query.limit ?? 100 }), (slice) => recordPage(ctx, q, slice), () => totalRecords(ctx, q));
  return { ...page, referrals: await referralsOf(ctx, page.referrals) };
}

export function reverbRoutes(deps: AppDeps): Router {
  const r = Router();
  const guard = reverbGuard(deps);

  r.get('/referrals/:uuid', ...guard, async (req, res) => {
    const ctx = await readCtx(deps, res);
    const uuid = String(req.params.uuid).trim();
    const record = await getRecord(ctx, uuid).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)));
    if (record) return reply(res, 200, OK_READ, { referral: (await referralsOf(ctx, [record]))[0] });
    const kind = kindOf(ctx.brand.id, uuid);
    const id = kind === 'advocate' || kind === 'customer' ? fromUuid(ctx.brand.id, kind, uuid) : null;
    if (id === null) throw notFound();
    if (kind === 'advocate') {
      await findAdvocate(ctx, id).catch(() => Promise.reject(notFound()));
      return reply(res, 200, OK_READ, await customerRecords(ctx, req, { advocate_id: id }));
    }
    const email = await getRecordById(ctx, id).then((v) => v.referred_customer?.email ?? null, () => null);
    if (email === null) throw notFound();
    reply(res, 200, OK_READ, await customerRecords(ctx, req, { customer_email: email }));
  });

  r.post('/referrals', ...guard, async (req, res) => {
    const { brand } = callerOf(res);
    const now = deps.now();
    await settledBrand(deps, brand, now);
    const { referral, warnings } = await deps.queue.run(async () => {
      const ctx: Ctx = { q: deps.q, brand, now };
      const { request, warnings: ours } = await ourRequest(ctx, (req.body ?? {}) as Record<string, unknown>);
      const { data } = parseBody(zCreateReferralRecordRequest, request);
      return { referral: (await referralsOf(ctx, [await createRecord(ctx, data)]))[0], warnings: ours };
    });
    reply(res, 200, OK_CREATED, { referral, ...(warnings.length ? { warnings } : {}) });
  });

  // Anything else under the prefix is 003_*'s 404, in its envelope.
  r.use((req, res) => errorReply(res, new ApiError(404, 'route_not_found', `No route for ${req.method} ${req.baseUrl}${req.path}`)));
  r.use(reverbErrors(deps.logger));
  return r;
}
