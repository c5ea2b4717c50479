// Use cases of the rewards catalogue (002_*'s /rewards): what a brand's advocates may spend points on, and redeeming
// it (the points, a unit of stock and the redemption in one job: all or none). Not the commissions
// (services/commissions.ts), which the `rewards` table holds.
import { MAX_CATALOGUE_REWARDS, type CatalogueFilter, type CatalogueReward } from '../db/catalogueRewards.ts';
import type { Redemption, RedemptionFilter } from '../db/redemptions.ts';
import { ApiError, badField, notFound } from '../errors.ts';
import { listPage, type Page } from '../http/query.ts';
import type { CreateCatalogueRewardRequest, RedeemRequest, UpdateCatalogueRewardRequest } from '../schemas/catalogue.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';
import { postPoints } from './points.ts';

export const catalogueRewardView = (r: CatalogueReward) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  points_cost: r.pointsCost,
  type: r.type,
  stock: r.stock,
  status: r.status,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export type CatalogueRewardView = ReturnType<typeof catalogueRewardView>;

export const redemptionView = (r: Redemption) => ({
  id: r.id,
  reward_id: r.catalogueRewardId,
  advocate_id: r.advocateId,
  points_cost: r.pointsCost,
  status: r.status,
  fulfilment: r.fulfilment,
  cancel_reason: r.cancelReason,
  points_transaction_id: r.pointsTransactionId,
  refund_transaction_id: r.refundTransactionId,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  fulfilled_at: r.fulfilledAt,
  cancelled_at: r.cancelledAt,
  quest_id: r.questId,
});

export type RedemptionView = ReturnType<typeof redemptionView>;

/** The catalogue reward, or 404 (unknown, or another brand's). */
async function findCatalogueReward({ q, brand }: Ctx, id: number): Promise<CatalogueReward> {
  const r = await q.catalogueRewards.find(brand.id, id);
  if (!r) throw notFound('reward');
  return r;
}

async function findRedemption({ q, brand }: Ctx, id: number): Promise<Redemption> {
  const r = await q.redemptions.find(brand.id, id);
  if (!r) throw notFound('redemption');
  return r;
}

/** The brand's catalogue, oldest first, archived rewards too unless `status` says otherwise. */
export const listCatalogue = async (ctx: Ctx, filter: CatalogueFilter): Promise<CatalogueRewardView[]> =>
  (await ctx.q.catalogueRewards.list(ctx.brand.id, filter)).map(catalogueRewardView);

export const getCatalogueReward = async (ctx: Ctx, id: number): Promise<CatalogueRewardView> =>
  catalogueRewardView(await findCatalogueReward(ctx, id));

export async function createCatalogueReward(ctx: Ctx, req: CreateCatalogueRewardRequest): Promise<CatalogueRewardView> {
  const { q, brand, now } = ctx;
  // Across collector processes, the count and the insert are one step per brand.
  await q.locks.hold({ catalogueOf: brand.id });
  if (await q.catalogueRewards.count(brand.id) >= MAX_CATALOGUE_REWARDS) {
    throw new ApiError(409, 'catalogue_limit', `A brand has at most ${MAX_CATALOGUE_REWARDS} catalogue rewards (archived ones count): change one instead`);
  }
  const id = await q.catalogueRewards.insert(brand.id, req, now.toISOString());
  return getCatalogueReward(ctx, id);
}

/** Changes the fields given; a redemption already made keeps the cost it was made at. */
export async function updateCatalogueReward(ctx: Ctx, id: number, req: UpdateCatalogueRewardRequest): Promise<CatalogueRewardView> {
  const { q, brand, now } = ctx;
  // A stock set here is not lost to a redemption running at once (nor the other way round).
  await q.locks.hold({ catalogueRewardOf: brand.id, catalogueRewardId: id });
  const current = await findCatalogueReward(ctx, id);
  await q.catalogueRewards.update(brand.id, id, {
    name: req.name ?? current.name,
    description: req.description !== undefined ? req.description : current.description,
    pointsCost: req.pointsCost ?? current.pointsCost,
    type: req.type ?? current.type,
    stock: req.stock !== undefined ? req.stock : current.stock,
    status: req.status ?? current.status,
  }, now.toISOString());
  return getCatalogueReward(ctx, id);
}

/**
 * Redeems a catalogue reward for an advocate: its cost leaves the advocate's points (a `redeem` ledger entry; never
 * below zero, whatever the brand allows for other deductions), one unit leaves a limited stock, and a pending
 * redemption is recorded, in this one job. Under the reward's lock and then the advocate's points lock (cancel takes
 * them in the same order), so concurrent redemptions take turns: neither the points nor the stock go below zero.
 */
export async function redeemCatalogueReward(ctx: Ctx, id: number, req: RedeemRequest) {
  const { q, brand, now } = ctx;
  await q.locks.hold({ catalogueRewardOf: brand.id, catalogueRewardId: id });
  const reward = await findCatalogueReward(ctx, id);
  if (reward.status !== 'active') {
    throw new ApiError(409, 'reward_archived', `Reward ${id} is archived: it cannot be redeemed (PATCH status=active brings it back)`);
  }
  if (reward.stock === 0) throw new ApiError(409, 'out_of_stock', `Reward ${id} is out of stock`, [{ field: 'stock', message: 'none left' }]);
  const advocate = await q.advocates.findById(brand.id, req.advocateId);
  if (!advocate) {
    throw new ApiError(404, 'not_found', 'No advocate with this id for this brand', [{ field: 'advocate_id', message: 'no such advocate in this brand' }]);
  }
  if (advocate.status === 'blocked') throw badField('advocate_id', `advocate ${advocate.id} is blocked: a blocked advocate redeems nothing`);
  await q.locks.hold({ pointsOf: brand.id, advocateId: advocate.id });
  const balance = await q.points.balance(brand.id, advocate.id) ?? 0;
  if (balance < reward.pointsCost) {
    throw new ApiError(400, 'insufficient_points', `advocate_id: advocate ${advocate.id} has ${balance} points; the reward costs ${reward.pointsCost}`,
      [{ field: 'advocate_id', message: `has ${balance} points, fewer than the ${reward.pointsCost} the reward costs` }]);
  }
  const { transaction, new_balance } = await postPoints(ctx, advocate.id,
    { amount: -reward.pointsCost, type: 'redeem', description: `Redeemed reward ${reward.id}: ${reward.name}` }, { neverNegative: true });
  const at = now.toISOString();
  if (reward.stock !== null && !await q.catalogueRewards.takeUnit(brand.id, reward.id, at)) {
    // Under the lock the stock read above is the stock: reaching this is a fault, and the job rolls back whole.
    throw new Error(`catalogue reward ${reward.id}: stock changed under its lock`);
  }
  const redemptionId = await q.redemptions.insert(brand.id, {
    catalogueRewardId: reward.id, advocateId: advocate.id, pointsCost: reward.pointsCost, pointsTransactionId: transaction.id, createdAt: at,
  });
  const redemption = redemptionView(await findRedemption(ctx, redemptionId));
  await publish(ctx, 'reward.redeemed', () => redemption, advocateSubject(advocate.id));
  return { redemption, new_balance };
}

/** Locks the redemption's catalogue reward and reads the redemption again under it (what another job moved meanwhile). */
async function lockedRedemption(ctx: Ctx, id: number): Promise<Redemption> {
  const found = await findRedemption(ctx, id);
  await ctx.q.locks.hold({ catalogueRewardOf: ctx.brand.id, catalogueRewardId: found.catalogueRewardId });
  return findRedemption(ctx, id);
}

const refuseMove = (r: Redemption, to: string) =>
  new ApiError(409, 'invalid_transition', `Redemption ${r.id} is ${r.status}: it cannot be ${to}`, [{ field: 'status', message: `is ${r.status}` }]);

/** pending -> fulfilled, with what was given (a coupon code...). */
export async function fulfilRedemption(ctx: Ctx, id: number, req: { fulfilment: string }): Promise<RedemptionView> {
  const r = await lockedRedemption(ctx, id);
  if (r.status !== 'pending' || !await ctx.q.redemptions.fulfil(ctx.brand.id, id, req.fulfilment, ctx.now.toISOString())) {
    throw refuseMove(r, 'fulfilled');
  }
  const view = redemptionView(await findRedemption(ctx, id));
  await publish(ctx, 'redemption.fulfilled', () => view, advocateSubject(r.advocateId));
  return view;
}

/**
 * pending or fulfilled -> cancelled: the points come back (an `adjust` ledger entry) and so does the unit of a limited
 * stock. A fulfilled redemption may be cancelled too: the operator took back what was given (a revoked coupon code).
 */
export async function cancelRedemption(ctx: Ctx, id: number, req: { reason?: string | undefined }): Promise<RedemptionView> {
  const { q, brand, now } = ctx;
  const r = await lockedRedemption(ctx, id);
  if (r.status === 'cancelled') throw refuseMove(r, 'cancelled again');
  // A quest's grant took no points: none come back.
  const refund = r.pointsCost === 0 ? null : (await postPoints(ctx, r.advocateId,
    { amount: r.pointsCost, type: 'adjust', description: `Redemption ${r.id} cancelled: its points returned` })).transaction.id;
  const at = now.toISOString();
  await q.redemptions.cancel(brand.id, id, r.status, { reason: req.reason ?? null, refundTransactionId: refund }, at);
  await q.catalogueRewards.returnUnit(brand.id, r.catalogueRewardId, at);
  const view = redemptionView(await findRedemption(ctx, id));
  await publish(ctx, 'redemption.cancelled', () => view, advocateSubject(r.advocateId));
  return view;
}

/** A page of the brand's redemptions, newest first. */
export const listRedemptions = (ctx: Ctx, filter: RedemptionFilter, page: Page) =>
  listPage('redemptions', page, async (slice) => {
    const p = await ctx.q.redemptions.page(ctx.brand.id, filter, slice);
    return { ...p, rows: p.rows.map(redemptionView) };
  }, () => ctx.q.redemptions.total(ctx.brand.id, filter));

export const getRedemption = async (ctx: Ctx, id: number): Promise<RedemptionView> => redemptionView(await findRedemption(ctx, id));
