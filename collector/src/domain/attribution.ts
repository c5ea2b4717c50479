// Which advocate a conversion belongs to: the documented order of rules, the first match wins.
import { ApiError } from '../errors.ts';
import type { Advocate } from '../db/advocates.ts';
import type { Claim } from '../db/claims.ts';
import { attributes } from './eligibility.ts';
import { normalizeCode } from './identity.ts';

export type AttributionSource = 'claim_id' | 'referral_code' | 'coupon' | 'email' | 'visitor';

/** The reads attribution needs, already scoped to one brand. */
export interface AttributionLookups {
  claimById(id: number): Promise<Claim | undefined>;
  advocateByCode(code: string): Promise<Advocate | undefined>;
  advocateById(id: number): Promise<Advocate | undefined>;
  newestPendingClaim(email: string, since: string): Promise<Claim | undefined>;
  newestPendingClaimFor(email: string, advocateId: number, since: string): Promise<Claim | undefined>;
  newestVisit(visitorId: string, since: string): Promise<{ advocateId: number; code: string; createdAt: string } | undefined>;
}

export interface AttributionInput {
  claimId?: number | undefined;
  referralCode?: string | undefined;
  couponCodes: string[];
  /** normalised */
  email: string;
  visitorId?: string | undefined;
  /** ISO time: the start of the longest attribution window (of every campaign of the brand): what lookups search */
  since: string;
  /**
   * ISO time: the start of the attribution window of `advocate`'s campaign. A claim or a visit older than it does not
   * attribute to that advocate (the next rule is tried); without it, `since` is every advocate's window.
   */
  windowStart?: (advocate: Advocate) => Promise<string>;
}

export interface Attribution {
  source: AttributionSource;
  /** found through the code that matched (advocate.code) */
  advocate: Advocate;
  /** the claim this conversion converts, if any */
  claim: Claim | undefined;
}

/**
 * 1. claim_id of this brand; 2. referral_code (unknown: 404); 3. a coupons_applied code that is a referral
 * code; 4. the newest pending claim of the email inside the window; 5. the newest visit of visitor_id
 * inside the window. The window is the advocate's campaign's (`windowStart`): lookups search the longest one, and
 * a claim or visit older than its own advocate's window does not match. null: unattributed. A rule whose code is deactivated, or whose advocate is blocked or
 * pending, does not match, and the next rule is tried. Each rule is one indexed lookup, so the cost is flat
 * as data grows.
 */
export async function resolveAttribution(input: AttributionInput, look: AttributionLookups): Promise<Attribution | null> {
  const usable = (advocate: Advocate | undefined): advocate is Advocate => !!advocate && attributes(advocate);
  const windowOf = (advocate: Advocate): Promise<string> => input.windowStart?.(advocate) ?? Promise.resolve(input.since);
  const withClaimOf = async (source: AttributionSource, advocate: Advocate): Promise<Attribution> => ({
    source,
    advocate,
    claim: await look.newestPendingClaimFor(input.email, advocate.id, await windowOf(advocate)),
  });
  /** Whether evidence made at `at` (a claim, a visit) is inside the window of its advocate's campaign. */
  const inWindow = async (advocate: Advocate, at: string): Promise<boolean> => at >= await windowOf(advocate);

  if (input.claimId !== undefined) {
    const claim = await look.claimById(input.claimId);
    if (!claim) throw new ApiError(404, 'claim_not_found', `claim_id ${input.claimId} was not found`, [
      { field: 'claim_id', message: 'no claim with this id for this brand' },
    ]);
    const advocate = await look.advocateByCode(claim.code);
    if (usable(advocate)) return { source: 'claim_id', advocate, claim: claim.status === 'pending' ? claim : undefined };
  }
  if (input.referralCode !== undefined) {
    const advocate = await look.advocateByCode(normalizeCode(input.referralCode));
    if (!advocate) throw new ApiError(404, 'invalid_code', 'Referral code not found', [
      { field: 'referral_code', message: 'no advocate has this code' },
    ]);
    if (usable(advocate)) return withClaimOf('referral_code', advocate);
  }
  for (const code of input.couponCodes) {
    const advocate = await look.advocateByCode(normalizeCode(code));
    if (usable(advocate)) return withClaimOf('coupon', advocate);
  }
  const pending = await look.newestPendingClaim(input.email, input.since);
  if (pending) {
    const advocate = await look.advocateByCode(pending.code);
    if (usable(advocate) && await inWindow(advocate, pending.createdAt)) return { source: 'email', advocate, claim: pending };
  }
  if (input.visitorId !== undefined) {
    const visit = await look.newestVisit(input.visitorId, input.since);
    // The visit's code, unless the device kept another advocate's code (first touch): then that advocate's own.
    const byCode = visit && await look.advocateByCode(visit.code);
    const advocate = visit && (byCode?.id === visit.advocateId ? byCode : await look.advocateById(visit.advocateId));
    if (visit && usable(advocate) && await inWindow(advocate, visit.createdAt)) return withClaimOf('visitor', advocate);
  }
  return null;
}
