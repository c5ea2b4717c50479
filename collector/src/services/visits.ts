// Use case: record a click on a referral link and tell the device which code to keep.
import { ApiError } from '../errors.ts';
import { uuidv7 } from '../domain/ids.ts';
import { firstName, normalizeCode } from '../domain/identity.ts';
import { toDecimal } from '../domain/money.ts';
import { decideCodeStorage } from '../domain/visits.ts';
import { attributes } from '../domain/eligibility.ts';
import type { VisitRequest } from '../schemas/track.ts';
import { publish, visitorSubject } from '../webhooks/outbox.ts';
import type { Advocate } from '../db/advocates.ts';
import type { Ctx } from './context.ts';
import { visitView } from './records.ts';
import { programmeOf } from './campaigns.ts';
import { earnForCount } from './actions.ts';
import { CLICKS } from '../domain/actions.ts';

/** The advocate of a code a link was followed (or shared) by: 404 invalid_code, or inactive_code when it attributes nothing. */
export async function followedCode(ctx: Ctx, code: string): Promise<Advocate> {
  const followed = await ctx.q.advocates.findByCode(ctx.brand.id, normalizeCode(code));
  if (!followed) throw new ApiError(404, 'invalid_code', 'Referral code not found', [
    { field: 'referral_code', message: 'no advocate has this code' },
  ]);
  if (!attributes(followed)) throw new ApiError(404, 'inactive_code', 'This referral code is no longer active', [
    { field: 'referral_code', message: 'this code or its advocate is not active' },
  ]);
  return followed;
}

export async function recordVisit(ctx: Ctx, req: VisitRequest) {
  const { q, brand, now } = ctx;
  const followed = await followedCode(ctx, req.referral_code);
  const existingGiven = !!req.existing_code;
  const existing = existingGiven ? await q.advocates.findByCode(brand.id, normalizeCode(req.existing_code!)) : undefined;
  const decision = decideCodeStorage(brand.attributionModel, followed, existing, existingGiven);
  const visitorId = req.visitor_id ?? uuidv7(now.getTime());
  const visit = {
    brandId: brand.id,
    visitorId,
    code: followed.code,
    advocateId: decision.attributed.id,
    shareChannel: req.share_channel ?? req.utm_source ?? null,
    landingPage: req.landing_page ?? null,
    referrer: req.referrer || null,
    utmSource: req.utm_source ?? null,
    utmMedium: req.utm_medium ?? null,
    utmCampaign: req.utm_campaign ?? null,
    utmTerm: req.utm_term ?? null,
    utmContent: req.utm_content ?? null,
    createdAt: now.toISOString(),
  };
  const id = await q.visits.insert(visit, decision.attributed.campaignId);
  await q.advocates.countClick(brand.id, followed.code);
  // The hot path: nothing is built unless an endpoint of the brand asked for visit.created (an answer from memory).
  await publish(ctx, 'visit.created', () => visitView({ ...visit, id }), visitorSubject(visitorId));
  // What the visitor is offered: the rules of the campaign of the advocate the visit counts for.
  const rules = await programmeOf(ctx, decision.attributed.campaignId);
  // A clicks reward of the followed advocate's campaign, after the visit's event (its rules read once: nothing more
  // is read when it rewards no clicks).
  await earnForCount(ctx, CLICKS, followed, followed.code, followed.campaignId === decision.attributed.campaignId ? rules : undefined);
  return {
    store_code: decision.storeCode,
    clear_existing: decision.clearExisting,
    code: decision.attributed.code,
    referrer_first_name: firstName(decision.attributed.name),
    visitor_id: visitorId,
    attribution_window_days: rules.attributionWindowDays,
    referee_discount: {
      type: rules.refereeDiscountType,
      value: toDecimal(rules.refereeDiscountValue),
    },
  };
}
