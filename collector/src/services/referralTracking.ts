// Use cases of 002_*'s simple referral calls: POST /referrals/track (a click, recorded as a visit) and
// POST /referrals/convert (a conversion of a code, recorded as /track/conversion records one), through those use cases.
import { ApiError } from '../errors.ts';
import type { ConversionRequest, VisitRequest } from '../schemas/track.ts';
import type { Ctx } from './context.ts';
import { recordConversion } from './conversions.ts';
import { recordVisit } from './visits.ts';

/** The use cases name the code `referral_code`; these calls send it as `code`, so a refusal names `code`. */
async function asCode<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ApiError) || !error.details.some((d) => d.field === 'referral_code')) throw error;
    const details = error.details.map((d) => (d.field === 'referral_code' ? { ...d, field: 'code' } : d));
    throw new ApiError(error.status, error.code, error.message, details, error.extra);
  }
}

/** A click on a referral link: a visit of the code, counted on it like any visit (its click milestones included). */
export async function trackReferral(ctx: Ctx, req: VisitRequest) {
  const visit = await asCode(() => recordVisit(ctx, req));
  return { tracked: true as const, visitor_id: visit.visitor_id };
}

/**
 * A conversion of the code: the conversion as /track/conversion answers it (a repeated order_id answers the first,
 * with `duplicate: true`), and the points its code's advocate earned by it: the level-1 commission's when the
 * campaign rewards points and it was not rejected (pending until its cooling period ends), else 0.
 */
export async function convertReferral(ctx: Ctx, req: ConversionRequest) {
  const { data } = await asCode(() => recordConversion(ctx, req));
  const reward = data.reward;
  return { conversion: data, points_awarded: reward && reward.kind === 'points' && reward.status !== 'rejected' ? reward.amount : 0 };
}
