// Use cases of advocates: create (the API, the CLI and the first start all come here), read with their
// figures, list, update (status, tier, metadata, the advocate who referred them).
import { ApiError, badField, notFound } from '../errors.ts';
import { toDecimal } from '../domain/money.ts';
import type { AdvocateRecord, ReferralCode } from '../db/advocates.ts';
import type { AdvocateFilter, AdvocateStatsRow } from '../db/advocateStats.ts';
import type { Slice } from '../db/records.ts';
import type { CreateAdvocateRequest, UpdateAdvocateRequest } from '../schemas/advocates.ts';
import type { Ctx } from './context.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import { assignCode, codeView, conversionRate, publishCodeCreated } from './referralCodes.ts';
import { joinableCampaign } from './campaigns.ts';
import { earnForEnrolment } from './actions.ts';


const advocateExists = (id: number) => new ApiError(409, 'advocate_exists', 'An advocate with this email already exists in this brand', [
  { field: 'email', message: 'already used by an advocate of this brand' },
], { advocate_id: id });

/**
 * An advocate with its figures. Earnings are the cash rewards it receives (level 1 and level 2):
 * total = pending + approved + paid − everything clawed back; clawback_due is the part no payout has netted
 * off yet. `codes`: the single view lists its codes as objects,
 * the list view as strings.
 */
export function advocateView(row: AdvocateStatsRow, currency: string, codes?: ReferralCode[]) {
  const total = row.pendingCents + row.approvedCents + row.paidCents - row.clawedBackCents;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    tier: row.tier,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    referral_code: row.primaryCode,
    referral_codes: codes ? codes.map(codeView) : (JSON.parse(row.codes) as string[]),
    referred_by: row.referredBy,
    payment_method: row.paymentMethod,
    payment_details: row.paymentDetails,
    campaign_id: row.campaignId,
    points_balance: row.pointsBalance,
    click_count: row.clickCount,
    conversion_count: row.conversionCount,
    conversion_rate: conversionRate(row.conversionCount, row.clickCount),
    total_earnings: toDecimal(total),
    pending_earnings: toDecimal(row.pendingCents),
    approved_earnings: toDecimal(row.approvedCents),
    paid_earnings: toDecimal(row.paidCents),
    clawback_due: toDecimal(row.clawbackDueCents),
    currency,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/** The advocate's own row, or 404 (unknown, or another brand's). */
export async function findAdvocate({ q, brand }: Ctx, id: number): Promise<AdvocateRecord> {
  const advocate = await q.advocates.findRecord(brand.id, id);
  if (!advocate) throw notFound('advocate');
  return advocate;
}

/** The single view: the advocate, its figures and its codes as objects. */
export async function getAdvocate({ q, brand }: Ctx, id: number) {
  const row = await q.advocateStats.advocate(brand.id, id);
  if (!row) throw notFound('advocate');
  return advocateView(row, brand.currency, await q.advocates.codesOf(brand.id, id));
}

/** One slice of the list, newest first (read only). */
export const listAdvocates = async ({ q, brand }: Ctx, filter: AdvocateFilter, slice: Slice) =>
  (await q.advocateStats.advocates(brand.id, filter, slice)).map((r) => advocateView(r, brand.currency));

/** How many advocates match: exact, O(matches); only for `total=true`. */
export const countAdvocates = ({ q, brand }: Ctx, filter: AdvocateFilter) => q.advocateStats.countAdvocates(brand.id, filter);
/** `total=true`: exact; free unfiltered (migration 010), else counted within db/keyset.ts WALK_BUDGET rows (else a 400). */
export const totalAdvocates = ({ q, brand }: Ctx, filter: AdvocateFilter) => q.advocateStats.totalAdvocates(brand.id, filter);

/** `referred_by` must name an advocate of this brand: 400 naming the field otherwise. */
async function checkReferrer(ctx: Ctx, referrerId: number): Promise<void> {
  if (!await ctx.q.advocates.findRecord(ctx.brand.id, referrerId)) {
    throw badField('referred_by', `no advocate ${referrerId} in this brand`);
  }
}

/**
 * Creates an advocate with one referral code (given, normalised, or generated). Conflicts are checked first
 * (409 advocate_exists, 409 code_taken); the UNIQUE constraints back them up.
 *
 * When `referred_by` is absent and this email is a customer who already converted through a referral of the
 * brand, the advocate of that first referred order becomes `referred_by`: a referred customer who becomes an
 * advocate, so their own referrals later credit that advocate at level 2. `referred_by: null` opts out.
 */
export async function createAdvocate(ctx: Ctx, req: CreateAdvocateRequest) {
  const { q, brand, now } = ctx;
  const existing = await q.advocates.idByEmail(brand.id, req.email);
  if (existing !== undefined) throw advocateExists(existing);
  if (req.referredBy != null) await checkReferrer(ctx, req.referredBy);
  const referredBy = req.referredBy === undefined
    ? (await q.advocateStats.firstReferrerOf(brand.id, req.email) ?? null)
    : req.referredBy;
  const id = await q.advocates.insert(brand.id, {
    email: req.email,
    name: req.name,
    status: req.status ?? 'active',
    tier: req.tier ?? null,
    metadata: req.metadata == null ? null : JSON.stringify(req.metadata),
    referredBy,
    paymentMethod: req.paymentMethod,
    paymentDetails: req.paymentDetails,
    campaignId: req.campaignId === undefined ? brand.defaultCampaignId : await joinableCampaign(ctx, req.campaignId),
  }, now.toISOString());
  const code = await assignCode(ctx, id, req.name, req.code);
  await publish(ctx, 'advocate.created', () => getAdvocate(ctx, id), advocateSubject(id));
  await publishCodeCreated(ctx, code, id);
  // A referred enrolment (given or found above) earns the referrer their campaign's enrolment reward, if it has one.
  if (referredBy !== null) await earnForEnrolment(ctx, { id, email: req.email }, (await q.advocates.findRecord(brand.id, referredBy))!);
  return getAdvocate(ctx, id);
}

/** Whether making `referrerId` the referrer of `id` would close a loop (A referred by B referred by A). */
async function wouldCycle(ctx: Ctx, id: number, referrerId: number): Promise<boolean> {
  const seen = new Set<number>();
  for (let at: number | null = referrerId; at !== null && !seen.has(at); ) {
    if (at === id) return true;
    seen.add(at);
    at = (await ctx.q.advocates.findRecord(ctx.brand.id, at))?.referredBy ?? null;
  }
  return false;
}

/**
 * Changes the fields given. Blocking (or setting pending) makes every code of the advocate stop attributing
 * (domain/eligibility.ts `attributes`); its existing rewards are left as they are.
 */
export async function updateAdvocate(ctx: Ctx, id: number, req: UpdateAdvocateRequest) {
  const { q, brand, now } = ctx;
  const current = await findAdvocate(ctx, id);
  if (req.email !== undefined && req.email !== current.email) {
    const holder = await q.advocates.idByEmail(brand.id, req.email);
    if (holder !== undefined) throw advocateExists(holder);
  }
  if (req.referred_by != null) {
    if (req.referred_by === id) throw badField('referred_by', 'an advocate cannot refer itself');
    await checkReferrer(ctx, req.referred_by);
    if (await wouldCycle(ctx, id, req.referred_by)) {
      throw badField('referred_by', `advocate ${req.referred_by} was itself referred, directly or not, by this advocate`);
    }
  }
  await q.advocates.update(brand.id, {
    id,
    email: req.email ?? current.email,
    name: req.name ?? current.name,
    status: req.status ?? current.status,
    tier: req.tier === undefined ? current.tier : req.tier,
    metadata: req.metadata === undefined ? current.metadata : req.metadata && JSON.stringify(req.metadata),
    referredBy: req.referred_by === undefined ? current.referredBy : req.referred_by,
    paymentMethod: req.payment_method === undefined ? current.paymentMethod : req.payment_method,
    paymentDetails: req.payment_details === undefined ? current.paymentDetails : req.payment_details,
    campaignId: req.campaign_id === undefined || req.campaign_id === current.campaignId ? current.campaignId
      : await joinableCampaign(ctx, req.campaign_id),
  }, now.toISOString());
  await publishAdvocateUpdated(ctx, id);
  return getAdvocate(ctx, id);
}

/** advocate.updated: the advocate as GET /advocates/:id answers it now (a PATCH, or an erasure: then only what is left). */
export const publishAdvocateUpdated = (ctx: Ctx, id: number): Promise<void> =>
  publish(ctx, 'advocate.updated', () => getAdvocate(ctx, id), advocateSubject(id));
