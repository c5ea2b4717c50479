// Use cases of referral records (003_*): every commission is one record of who referred whom, at which level, for
// which action, with which reward and which incentive; an operator enters the records of referrals made elsewhere.
import { applyBasisPoints, toDecimal } from '../domain/money.ts';
import { actionReward, PURCHASE } from '../domain/actions.ts';
import { rewardFor } from '../domain/rewards.ts';
import { daysAfter } from '../domain/time.ts';
import type { ScannedPage, Slice } from '../db/keyset.ts';
import type { RecordRow } from '../db/referralRecords.ts';
import type { RewardFilters } from '../db/rewards.ts';
import { ApiError, badField } from '../errors.ts';
import type { CreateReferralRecordRequest, ReferralRecordListQuery } from '../schemas/referralRecords.ts';
import { earnReward, publishEarned } from './actions.ts';
import { programmeOf } from './campaigns.ts';
import type { Ctx } from './context.ts';

/** An email shown: none once erased ('' on a conversion, 'erased:…' on an advocate). */
const shownEmail = (email: string | null): string | null => (email === null || email === '' || email.startsWith('erased:') ? null : email);

/** A record as the API answers it (003_*'s fields, ids as this API's, money as everywhere in it). */
export function recordView(ctx: Ctx, r: RecordRow) {
  const email = shownEmail(r.referredEmail);
  return {
    // the record's commission's id: a list's cursor walks it, as the commission list's does
    id: r.id,
    uuid: r.uuid,
    campaign_id: r.campaignId,
    referrer_advocate_id: r.advocateId,
    referred_customer: email === null && r.referredAdvocateId === null ? null : { email, advocate_id: r.referredAdvocateId },
    order: r.conversionId === null && r.orderId === null ? null : { conversion_id: r.conversionId, order_id: r.orderId },
    level: r.level,
    reward_action_type: r.action,
    qualified_amount: r.qualifiedAmount,
    short_code: r.shortCode,
    reward_earned: r.kind === 'cash' ? toDecimal(r.amount) : r.amount,
    reward_type: r.kind === 'cash' ? 'commission' as const : 'points' as const,
    reward_paid: r.status === 'paid',
    incentive_used: r.incentiveUsed,
    incentive_type: r.incentiveType,
    incentive_amount: r.incentiveCents === null ? null : toDecimal(r.incentiveCents),
    currency: ctx.brand.currency,
    cooling_period_end: r.availableAt,
    status: r.status,
    commission_id: r.id,
    entered: r.origin === 'entered',
    referral_date: r.createdAt,
  };
}

export type ReferralRecordView = ReturnType<typeof recordView>;

const recordNotFound = () => new ApiError(404, 'not_found', 'No referral record with this uuid for this brand',
  [{ field: 'uuid', message: 'no referral record with this uuid' }]);

/** One record by its uuid; 404 when the brand has none (a malformed uuid is no record either). */
export async function getRecord(ctx: Ctx, uuid: string): Promise<ReferralRecordView> {
  const r = await ctx.q.referralRecords.findByUuid(ctx.brand.id, uuid.toLowerCase());
  if (!r) throw recordNotFound();
  return recordView(ctx, r);
}

/** One record by its commission's id (the Reverb adapter's "customer of this record"); 404 when the brand has none. */
export async function getRecordById(ctx: Ctx, id: number): Promise<ReferralRecordView> {
  const r = await ctx.q.referralRecords.findById(ctx.brand.id, id);
  if (!r) throw recordNotFound();
  return recordView(ctx, r);
}

/** The first record of a customer known by email (the Reverb adapter's stable customer), or null. */
export const firstRecordOfCustomer = (ctx: Ctx, email: string): Promise<number | null> =>
  ctx.q.referralRecords.firstOfCustomer(ctx.brand.id, email);

const toFilters = (query: ReferralRecordListQuery): RewardFilters => ({
  advocateId: query.advocate_id,
  customerEmail: query.customer_email,
  campaignId: query.campaign_id,
  action: query.reward_action_type,
  status: query.status,
  from: query.from,
  to: query.to,
});

/** A page of the brand's records, newest first (db/keyset.ts: bounded whatever the filters match). */
export async function recordPage(ctx: Ctx, query: ReferralRecordListQuery, slice: Slice): Promise<ScannedPage<ReferralRecordView>> {
  const { rows, resumeAt } = await ctx.q.referralRecords.page(ctx.brand.id, toFilters(query), slice);
  return { rows: rows.map((r) => recordView(ctx, r)), resumeAt };
}

export const totalRecords = (ctx: Ctx, query: ReferralRecordListQuery) => ctx.q.referralRecords.total(ctx.brand.id, toFilters(query));

/**
 * An entered record (POST /referral-records): the commission it earns, by the reward given or else the campaign's rule
 * for its action and level, pending until its cooling period ends (given, or the campaign's), rejected at once when
 * not qualified for the reward; then the same lifecycle as every commission.
 */
export async function createRecord(ctx: Ctx, req: CreateReferralRecordRequest): Promise<ReferralRecordView> {
  const { q, brand, now } = ctx;
  if (req.uuid !== undefined && await q.referralRecords.findByUuid(brand.id, req.uuid)) {
    throw new ApiError(409, 'record_exists', `A referral record ${req.uuid} exists`, [{ field: 'uuid', message: 'is taken' }]);
  }
  const referrer = await q.advocates.findRecord(brand.id, req.referrer_advocate_id);
  if (!referrer) throw badField('referrer_advocate_id', `no advocate ${req.referrer_advocate_id} in this brand`);
  // As on the tracked paths, only an active advocate earns.
  if (referrer.status !== 'active') throw badField('referrer_advocate_id', `advocate ${referrer.id} is ${referrer.status}: only an active advocate earns`);
  const campaignId = req.campaign_id ?? referrer.campaignId;
  if (req.campaign_id !== undefined && !await q.campaigns.find(brand.id, req.campaign_id)) {
    throw badField('campaign_id', `no campaign ${req.campaign_id} in this brand`);
  }
  const rules = await programmeOf(ctx, campaignId);

  // The order: a conversion of this brand, named or found by the shop's order id (003_*'s referred_order_number).
  let conversion = req.conversion_id === undefined ? undefined : await q.conversions.findById(brand.id, req.conversion_id);
  if (req.conversion_id !== undefined && !conversion) throw badField('conversion_id', `no conversion ${req.conversion_id} in this brand`);
  if (!conversion && req.order_id !== undefined && req.reward_action_type === PURCHASE) conversion = await q.conversions.findByOrderId(brand.id, req.order_id);
  if (req.reward_action_type === PURCHASE && !conversion && req.referred_customer_email === undefined && req.referred_advocate_id === undefined) {
    throw badField('referred_customer_email', 'is required for reward_action_type 1 when no conversion of this brand is the order: the customer who bought');
  }
  if (conversion && req.reward_action_type !== PURCHASE) {
    throw badField('conversion_id', 'names a purchase: only reward_action_type 1 has an order');
  }
  if (conversion && req.order_id !== undefined && conversion.orderId !== null && conversion.orderId !== req.order_id) {
    throw badField('order_id', `conversion ${conversion.id} is order ${conversion.orderId}`);
  }
  const referred = req.referred_advocate_id === undefined ? undefined : await q.advocates.findRecord(brand.id, req.referred_advocate_id);
  if (req.referred_advocate_id !== undefined && !referred) throw badField('referred_advocate_id', `no advocate ${req.referred_advocate_id} in this brand`);
  // An enrolment known by email of an advocate of the brand is that advocate's (one record per enrolled advocate).
  const enrolled = req.reward_action_type === 2 && !referred && req.referred_customer_email !== undefined
    ? await q.advocates.findRecord(brand.id, await q.advocates.idByEmail(brand.id, req.referred_customer_email) ?? 0) : undefined;
  if (referred && referred.id === referrer.id) throw badField('referred_advocate_id', 'is the referrer: an advocate does not refer themselves');

  const reward = rewardOf(req, rules, conversion?.orderValueCents);
  const qualified = req.is_qualified_for_reward ?? true;
  const incentive = (req.is_qualified_for_incentive ?? true)
    ? req.incentive_amount ?? (rules.refereeDiscountType === 'fixed' ? rules.refereeDiscountValue
      : conversion ? applyBasisPoints(conversion.orderValueCents, rules.refereeDiscountValue) : null)
    : null;
  const createdAt = now.toISOString();
  const id = await earnReward(ctx, {
    ...(req.uuid === undefined ? {} : { uuid: req.uuid }),
    advocateId: referrer.id,
    conversionId: conversion?.id ?? null,
    action: req.reward_action_type,
    qualifiedAmount: req.qualified_amount ?? null,
    referredAdvocateId: (referred ?? enrolled)?.id ?? null,
    level: req.level,
    kind: reward.kind,
    campaignId,
    amount: reward.amount,
    availableAt: req.cooling_period_end ?? daysAfter(now, rules.coolingPeriodDays),
    createdAt,
    shortCode: req.share_code ?? null,
    entered: {
      referredEmail: conversion || referred || enrolled ? null : req.referred_customer_email ?? null,
      orderId: conversion || req.reward_action_type !== PURCHASE ? null : req.order_id ?? null,
      incentiveUsed: incentive === null ? null : req.share_code ?? null,
      incentiveType: incentive === null || req.share_code === undefined ? null : 'code',
      incentiveCents: incentive,
    },
  }, qualified ? null : 'not qualified for the reward (entered record)', 'entered referral record');
  if (id === undefined) {
    // Which record it would repeat (a unique index refused it; a uuid may have been taken meanwhile).
    const [field, what] = req.uuid !== undefined && await q.referralRecords.findByUuid(brand.id, req.uuid) ? ['uuid', `uuid ${req.uuid}`]
      : conversion ? ['conversion_id', `conversion ${conversion.id} at level ${req.level}`]
        : req.reward_action_type === PURCHASE ? ['order_id', `order ${req.order_id} at level ${req.level}`]
          : (referred ?? enrolled) ? ['referred_advocate_id', `the enrolment of advocate ${(referred ?? enrolled)!.id}`]
            : ['referred_customer_email', `the enrolment of ${req.referred_customer_email}`];
    throw new ApiError(409, 'record_exists', `A referral record exists for ${what}`, [{ field, message: 'already has a referral record' }]);
  }
  await publishEarned(ctx, id, { orderId: conversion?.orderId ?? req.order_id ?? null, conversionAmount: conversion?.orderValueCents ?? null });
  return recordView(ctx, (await q.referralRecords.findById(brand.id, id))!);
}

/** The reward an entered record earns: reward_amount when given, else its campaign's rule for the action and level. */
function rewardOf(req: CreateReferralRecordRequest, rules: Awaited<ReturnType<typeof programmeOf>>, orderValueCents: number | undefined) {
  if (req.reward_amount !== undefined) return { kind: 'cash' as const, amount: req.reward_amount };
  const missing = (why: string) => badField('reward_amount', `is required: ${why}`);
  if (req.reward_action_type === PURCHASE) {
    const rule = req.level === 1 ? { type: rules.referrerRewardType, value: rules.referrerRewardValue }
      : rules.level2RewardType === 'none' ? null : { type: rules.level2RewardType, value: rules.level2RewardValue };
    if (!rule) throw missing('the campaign has no level-2 reward');
    if (rule.type === 'percentage' && orderValueCents === undefined) {
      throw missing('the campaign\'s reward is a percentage and no conversion of this brand gives the order value');
    }
    return rewardFor(rule, orderValueCents ?? 0);
  }
  const rule = req.reward_action_type === 2 ? [rules.enrolmentRewardType, rules.enrolmentRewardValue] as const
    : req.reward_action_type === 3 ? [rules.clicksRewardType, rules.clicksRewardValue] as const
      : [rules.sharesRewardType, rules.sharesRewardValue] as const;
  const earned = actionReward(rule[0], rule[1]);
  if (!earned) throw missing(`the campaign has no reward for reward_action_type ${req.reward_action_type}`);
  return earned;
}
