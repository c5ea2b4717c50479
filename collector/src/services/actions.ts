// Use cases of earning a reward: the one way a commission is made (a referred purchase's, services/conversions.ts; an
// entered record's, services/referralRecords.ts), and the actions other than a purchase that earn one: a referred
// enrolment, and clicks or shares reached on an advocate's codes.
import { actionReward, CLICKS, ENROLMENT, milestoneAt, SHARES } from '../domain/actions.ts';
import { daysAfter } from '../domain/time.ts';
import type { AdvocateRecord } from '../db/advocates.ts';
import type { CampaignRules } from '../db/brands.ts';
import type { NewReward, Reward } from '../db/rewards.ts';
import { advocateSubject, conversionSubject, publishAll, recordSubject, type Published } from '../webhooks/outbox.ts';
import { programmeOf } from './campaigns.ts';
import { commissionView } from './commissions.ts';
import type { Ctx } from './context.ts';
import { recordView } from './referralRecords.ts';

/**
 * Stores a reward with its history: created, then rejected at once when it earns nothing (`ineligible` says why).
 * Undefined when an enrolment or a milestone was earned already (nothing written).
 */
export async function earnReward(ctx: Ctx, r: Omit<NewReward, 'originalAmount' | 'status' | 'reason'>, ineligible: string | null, note: string): Promise<number | undefined> {
  const { q, brand } = ctx;
  const id = await q.rewards.insert(brand.id, { ...r, originalAmount: r.amount, status: ineligible ? 'rejected' : 'pending', reason: ineligible });
  if (id === undefined) return undefined;
  await q.rewards.addEvent(brand.id, id, { event: 'created', delta: r.amount, note, actor: 'system', at: r.createdAt });
  if (ineligible) await q.rewards.addEvent(brand.id, id, { event: 'rejected', delta: -r.amount, note: ineligible, actor: 'system', at: r.createdAt });
  return id;
}

/**
 * The events of rewards just earned, in this order for each: commission.created, commission.rejected when it earns
 * nothing, referral_record.created. `order`: the order id and value the commission view shows (a conversion's).
 */
export function earnedEvents(ctx: Ctx, rewards: Reward[], order: { orderId: string | null; conversionAmount: number | null }): Published[] {
  const events: Published[] = [];
  for (const reward of rewards) {
    const data = () => commissionView(ctx, { ...reward, ...order });
    events.push({ type: 'commission.created', data });
    if (reward.status === 'rejected') events.push({ type: 'commission.rejected', data });
    // Whom the record names: a purchase's customer (its conversion's subject), an enrolment's new advocate, or an entered
    // record's email, so that an erasure finds the delivery.
    const subject = reward.conversionId !== null ? conversionSubject(reward.conversionId)
      : reward.referredAdvocateId !== null ? advocateSubject(reward.referredAdvocateId) : recordSubject(reward.id);
    events.push({ type: 'referral_record.created', data: async () => recordView(ctx, (await ctx.q.referralRecords.findById(ctx.brand.id, reward.id))!), subject });
  }
  return events;
}

/** Publishes one earned reward's events (an action's, or an entered record's with the order it names). */
export async function publishEarned(ctx: Ctx, id: number, order: { orderId: string | null; conversionAmount: number | null } = { orderId: null, conversionAmount: null }): Promise<void> {
  const reward = (await ctx.q.rewards.findById(ctx.brand.id, id))!;
  await publishAll(ctx, earnedEvents(ctx, [reward], order));
}

/**
 * A referred enrolment (reward_action_type 2): `advocate` was created with `referrer` as their referred_by, so the
 * referrer earns their campaign's enrolment reward, if it has one and the referrer is active. One per new advocate.
 */
export async function earnForEnrolment(ctx: Ctx, advocate: { id: number; email: string }, referrer: AdvocateRecord): Promise<void> {
  if (referrer.status !== 'active' || referrer.id === advocate.id) return;
  // An enrolment of this email entered before (POST /referral-records) is this advocate's: not earned again.
  if ((await ctx.q.rewards.adoptEnteredEnrolment(ctx.brand.id, advocate.email, advocate.id)).length > 0) return;
  const rules = await programmeOf(ctx, referrer.campaignId);
  const reward = actionReward(rules.enrolmentRewardType, rules.enrolmentRewardValue);
  if (!reward) return;
  const createdAt = ctx.now.toISOString();
  const id = await earnReward(ctx, {
    advocateId: referrer.id, conversionId: null, action: ENROLMENT, referredAdvocateId: advocate.id, level: 1, kind: reward.kind,
    campaignId: referrer.campaignId, amount: reward.amount, availableAt: daysAfter(ctx.now, rules.coolingPeriodDays), createdAt,
  }, null, `enrolment of advocate ${advocate.id}`);
  if (id !== undefined) await publishEarned(ctx, id);
}

/**
 * One more click (reward_action_type 3) or share (4) on `code` of `advocate`, already counted: when the advocate's
 * campaign rewards that action and the advocate's count over all their codes reaches the threshold (or, repeating, a
 * multiple of it), the advocate earns it, once per milestone. Nothing is read when the campaign rewards no such action.
 */
export async function earnForCount(
  ctx: Ctx, action: typeof CLICKS | typeof SHARES, advocate: { id: number; campaignId: number; status: string }, code: string,
  known?: CampaignRules,
): Promise<void> {
  // `known`: the advocate's campaign's rules, when the caller has read them already.
  const rules = known ?? await programmeOf(ctx, advocate.campaignId);
  const rule = action === CLICKS
    ? { type: rules.clicksRewardType, value: rules.clicksRewardValue, threshold: rules.clicksThreshold, repeats: rules.clicksRewardRepeats }
    : { type: rules.sharesRewardType, value: rules.sharesRewardValue, threshold: rules.sharesThreshold, repeats: rules.sharesRewardRepeats };
  const reward = actionReward(rule.type, rule.value);
  if (!reward || advocate.status !== 'active') return;
  // Across collector processes, one advocate's counts are read one job at a time, so each count is seen once.
  await ctx.q.locks.hold({ countsOf: ctx.brand.id, advocateId: advocate.id });
  const count = action === CLICKS ? await ctx.q.advocates.clickTotal(ctx.brand.id, advocate.id) : await ctx.q.advocates.shareTotal(ctx.brand.id, advocate.id);
  const milestone = milestoneAt(count, rule.threshold, rule.repeats);
  if (milestone === null) return;
  const id = await earnReward(ctx, {
    advocateId: advocate.id, conversionId: null, action, qualifiedAmount: rule.threshold, milestone, level: 1, kind: reward.kind,
    campaignId: advocate.campaignId, amount: reward.amount, availableAt: daysAfter(ctx.now, rules.coolingPeriodDays),
    createdAt: ctx.now.toISOString(), shortCode: code,
  }, null, `${milestone} ${action === CLICKS ? 'clicks' : 'shares'} reached`);
  if (id !== undefined) await publishEarned(ctx, id);
}
