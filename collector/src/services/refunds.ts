// Use case: a full or partial refund; updates the conversion and its claim, and takes back the reward.
import { ApiError } from '../errors.ts';
import { decideRefund } from '../domain/refunds.ts';
import { rewardAfterRefund } from '../domain/rewards.ts';
import { toDecimal } from '../domain/money.ts';
import type { Conversion } from '../db/conversions.ts';
import type { Reward } from '../db/rewards.ts';
import type { RefundRequest } from '../schemas/track.ts';
import { jsonOrNull, type Ctx } from './context.ts';
import { publishCommission, settledReward } from './commissions.ts';
import { publishConversion } from './conversions.ts';
import { postPoints } from './points.ts';

const notFound = (field: string) =>
  new ApiError(404, 'not_found', `${field}: no matching order was found for this brand`, [
    { field, message: 'no matching record for this brand' },
  ]);

async function findTarget({ q, brand }: Ctx, req: RefundRequest): Promise<{ conversion?: Conversion; claimId: number | null }> {
  if (req.order_id !== undefined) {
    const conversion = await q.conversions.findByOrderId(brand.id, req.order_id);
    if (!conversion) throw notFound('order_id');
    return { conversion, claimId: conversion.claimId };
  }
  if (req.conversion_id !== undefined) {
    const conversion = await q.conversions.findById(brand.id, req.conversion_id);
    if (!conversion) throw notFound('conversion_id');
    return { conversion, claimId: conversion.claimId };
  }
  const claim = await q.claims.findById(brand.id, req.claim_id!);
  if (!claim) throw notFound('claim_id');
  const conversion = await q.conversions.findByClaimId(brand.id, claim.id);
  return conversion ? { conversion, claimId: claim.id } : { claimId: claim.id };
}

/**
 * A paid points reward's clawback takes the points back from the balance; when the brand does not allow a
 * negative balance only what the balance holds is taken. Answers the note for the reward's history.
 */
async function clawBackPoints(ctx: Ctx, reward: Reward, points: number): Promise<string> {
  const { transaction } = await postPoints(ctx, reward.advocateId,
    { amount: -points, type: 'clawback', description: `refund of commission ${reward.id}`, rewardId: reward.id },
    { clamp: !ctx.brand.allowNegativePoints });
  const taken = -transaction.amount;
  return taken === points ? `deducted ${points} points` : `deducted only ${taken} of ${points} points: the balance held no more`;
}

export async function recordRefund(ctx: Ctx, req: RefundRequest) {
  const { q, brand, now } = ctx;
  // A refund reads what was refunded before and claws back commissions: one at a time per brand (db/locks.ts).
  await q.locks.hold({ commissionsOf: brand.id });
  if (req.refund_id !== undefined) {
    const seen = await q.conversions.findRefund(brand.id, req.refund_id);
    if (seen) {
      return {
        status: seen.status,
        claim_updated: false,
        conversion_updated: false,
        claim_id: seen.claimId,
        conversion_id: seen.conversionId,
        total_refunded: toDecimal(seen.totalRefundedCents),
        duplicate: true,
      };
    }
  }
  const { conversion, claimId } = await findTarget(ctx, req);
  // A claim that never converted: what was "paid" is the claim's value, and nothing was refunded before.
  const claim = claimId === null ? undefined : await q.claims.findById(brand.id, claimId);
  const paid = conversion?.paidCents ?? claim?.claimValueCents ?? claim?.rawValueCents ?? req.refund_amount;
  const decision = decideRefund(paid, conversion?.refundedCents ?? 0, {
    refundAmountCents: req.refund_amount,
    isFullRefund: req.is_full_refund,
    totalRefundedCents: req.total_refunded,
    newStatus: req.new_status,
  });
  const at = now.toISOString();

  let reward = null;
  const rewards = [];
  // The commission events this refund makes, sent after its conversion.refunded.
  const commissionEvents: Array<{ type: 'commission.rejected' | 'commission.clawed_back'; id: number }> = [];
  if (conversion) {
    await q.conversions.setRefunded(brand.id, conversion.id, decision.totalRefundedCents, decision.status);
    for (const found of await q.rewards.findByConversion(brand.id, conversion.id)) {
      // A reward whose cooling period ended before this refund is approved (or paid) first, so its history is in order.
      const current = await settledReward(ctx, found);
      const effect = rewardAfterRefund(current, decision.totalRefundedCents, conversion.paidCents, -current.clawedBack);
      const clawedBack = effect.event === 'clawback' ? current.clawedBack - effect.delta : current.clawedBack;
      if (effect.event) {
        const pointsNote = effect.event === 'clawback' && current.kind === 'points' ? await clawBackPoints(ctx, current, -effect.delta) : null;
        const note = [req.refund_reason, pointsNote].filter(Boolean).join('; ') || null;
        await q.rewards.save(brand.id, { ...current, amount: effect.amount, status: effect.status, clawedBack, updatedAt: at });
        await q.rewards.addEvent(brand.id, current.id, { event: effect.event, delta: effect.delta, note, actor: 'system', at });
        // Unpaid and taken to 0 (reversed): it will never be paid, commission.rejected (its status says reversed). Paid
        // and clawed back: commission.clawed_back. An unpaid one only reduced sends none of its own (conversion.refunded
        // carries its new amount).
        if (effect.event === 'reversed') commissionEvents.push({ type: 'commission.rejected', id: current.id });
        if (effect.event === 'clawback') commissionEvents.push({ type: 'commission.clawed_back', id: current.id });
      }
      const value = (units: number) => (current.kind === 'cash' ? toDecimal(units) : units);
      const summary = {
        id: current.id,
        level: current.level,
        advocate_id: current.advocateId,
        status: effect.status,
        amount: value(effect.amount),
        clawed_back: value(clawedBack),
      };
      rewards.push(summary);
      if (current.level === 1) reward = { id: summary.id, status: summary.status, amount: summary.amount };
    }
  }
  if (claimId !== null) await q.claims.setStatus(brand.id, claimId, decision.status);
  await q.conversions.insertRefund({
    brandId: brand.id,
    conversionId: conversion?.id ?? null,
    claimId,
    refundId: req.refund_id ?? null,
    amountCents: req.refund_amount,
    totalRefundedCents: decision.totalRefundedCents,
    isFullRefund: decision.full ? 1 : 0,
    status: decision.status,
    reason: req.refund_reason ?? null,
    source: req.source ?? null,
    metadata: jsonOrNull(req.metadata),
    createdAt: at,
  });
  if (conversion) {
    await publishConversion(ctx, 'conversion.refunded', conversion.id);
    for (const e of commissionEvents) await publishCommission(ctx, e.type, e.id);
  }
  return {
    status: decision.status,
    claim_updated: claimId !== null,
    conversion_updated: conversion !== undefined,
    claim_id: claimId,
    conversion_id: conversion?.id ?? null,
    total_refunded: toDecimal(decision.totalRefundedCents),
    reward,
    rewards,
  };
}
