// Use cases of referral codes: give an advocate a code (chosen or generated), list codes with their figures,
// deactivate and reactivate them. Codes are never deleted: visits and conversions refer to them.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { normalizeCode } from '../domain/identity.ts';
import { toDecimal } from '../domain/money.ts';
import type { CodeStatus, ReferralCode } from '../db/advocates.ts';
import type { ReferralFilter, ReferralStatsRow } from '../db/advocateStats.ts';
import type { Slice } from '../db/records.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';

/** A readable code: the name's letters and a random suffix (JANEDO3F9A1C). */
function suggestCode(name: string): string {
  const letters = name.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 6) || 'REF';
  return letters + randomBytes(3).toString('hex').toUpperCase();
}

/** conversions / clicks to four decimals; 0 without clicks. */
export const conversionRate = (conversions: number, clicks: number): number =>
  clicks === 0 ? 0 : Math.round((conversions / clicks) * 10_000) / 10_000;

const codeTaken = (code: string) => new ApiError(409, 'code_taken', `The referral code ${code} is already used in this brand`, [
  { field: 'referral_code', message: 'already used by an advocate of this brand' },
]);

export const codeNotFound = () => new ApiError(404, 'not_found', 'No referral code with this code for this brand');

/**
 * Gives the advocate a code: `requested` (normalised; 409 code_taken when the brand has it already) or a
 * generated one. The UNIQUE (brand_id, code) constraint backs the check up. Returns the stored code.
 */
export async function assignCode({ q, brand, now }: Ctx, advocateId: number, name: string, requested: string | undefined): Promise<string> {
  let code: string;
  if (requested !== undefined) {
    code = normalizeCode(requested);
    if (await q.advocates.findCode(brand.id, code)) throw codeTaken(code);
  } else {
    do code = suggestCode(name); while (await q.advocates.findCode(brand.id, code));
  }
  await q.advocates.insertCode(brand.id, advocateId, code, now.toISOString());
  return code;
}

/** A code as listed inside its advocate. */
export const codeView = (c: ReferralCode) => ({
  code: c.code,
  status: c.status,
  click_count: c.clickCount,
  created_at: c.createdAt,
  deactivated_at: c.deactivatedAt,
});

/** The figures of a code, as GET /referrals/:code/stats answers them (002_*: clicks, conversions, revenue). */
function statsView(r: ReferralStatsRow, currency: string) {
  return {
    code: r.code,
    advocate_id: r.advocateId,
    clicks: r.clicks,
    conversions: r.conversions,
    revenue: toDecimal(r.revenueCents),
    gross_revenue: toDecimal(r.grossCents),
    conversion_rate: conversionRate(r.conversions, r.clicks),
    currency,
  };
}

/** A code with its advocate and figures: an item of GET /referrals and the `referral` of the other answers. */
export function referralView(r: ReferralStatsRow, currency: string) {
  const { code, advocate_id, ...figures } = statsView(r, currency);
  return {
    id: r.id,
    code,
    advocate_id,
    advocate_name: r.advocateName,
    status: r.status,
    ...figures,
    created_at: r.createdAt,
    deactivated_at: r.deactivatedAt,
  };
}

/** `value` from a path: case-insensitive; anything that cannot be a code names nothing (404). */
async function findReferral({ q, brand }: Ctx, value: string): Promise<ReferralStatsRow> {
  const code = normalizeCode(value);
  const row = /^[A-Z0-9_-]{1,64}$/.test(code) ? await q.advocateStats.referral(brand.id, code) : undefined;
  if (!row) throw codeNotFound();
  return row;
}

export async function getReferral(ctx: Ctx, value: string) {
  return referralView(await findReferral(ctx, value), ctx.brand.currency);
}

export async function getReferralStats(ctx: Ctx, value: string) {
  return statsView(await findReferral(ctx, value), ctx.brand.currency);
}

/** One slice of the brand's codes, newest first (read only). */
export const listReferrals = async ({ q, brand }: Ctx, filter: ReferralFilter, slice: Slice) =>
  (await q.advocateStats.referrals(brand.id, filter, slice)).map((r) => referralView(r, brand.currency));

/** How many codes match: exact, O(matches); only for `total=true`. */
export const countReferrals = ({ q, brand }: Ctx, filter: ReferralFilter) => q.advocateStats.countReferrals(brand.id, filter);
/** `total=true`: exact, counted within db/keyset.ts WALK_BUDGET rows (else a 400 naming total). */
export const totalReferrals = ({ q, brand }: Ctx, filter: ReferralFilter) => q.advocateStats.totalReferrals(brand.id, filter);

/** The referral_code.created event of a code just given (after its advocate's advocate.created, when both are new). */
export const publishCodeCreated = (ctx: Ctx, code: string, advocateId: number): Promise<void> =>
  publish(ctx, 'referral_code.created', () => getReferral(ctx, code), advocateSubject(advocateId));

/** Adds a code to an advocate (the caller found the advocate); answers the new referral. */
export async function addCode(ctx: Ctx, advocate: { id: number; name: string }, requested: string | undefined) {
  const code = await assignCode(ctx, advocate.id, advocate.name, requested);
  await publishCodeCreated(ctx, code, advocate.id);
  return getReferral(ctx, code);
}

/**
 * Activates or deactivates a code. A deactivated code stops attributing (domain/eligibility.ts `attributes`)
 * and its visits answer 404 inactive_code; setting the status it already has changes nothing.
 */
export async function setCodeStatus(ctx: Ctx, value: string, status: CodeStatus) {
  const row = await findReferral(ctx, value);
  if (row.status !== status) {
    await ctx.q.advocates.setCodeStatus(ctx.brand.id, row.code, status, status === 'inactive' ? ctx.now.toISOString() : null);
  }
  return getReferral(ctx, row.code);
}
