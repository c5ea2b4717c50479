// Request schemas of the rewards catalogue (002_*'s /rewards) and its redemptions (/redemptions). 002_*'s camelCase
// names are aliases (`pointsCost`, `advocateId`); the snake_case one wins when both are sent.
import { z } from 'zod';
import { zPagination, zQueryInt } from '../http/query.ts';
import { zId, zText } from './common.ts';

export const CATALOGUE_REWARD_TYPES = ['discount_code', 'gift_card', 'product', 'custom'] as const;
export const zCatalogueRewardType = z.enum(CATALOGUE_REWARD_TYPES, { error: `must be one of ${CATALOGUE_REWARD_TYPES.join(', ')}` });
export const zCatalogueRewardStatus = z.enum(['active', 'archived'], { error: 'must be active or archived' });
export const zRedemptionStatus = z.enum(['pending', 'fulfilled', 'cancelled'], { error: 'must be pending, fulfilled or cancelled' });

/** A type as 002_*'s clients spell it too: "discount code", "gift-card", "giftCard" are discount_code, gift_card. */
const zTypeField = z.string({ error: 'must be a string' }).trim()
  .transform((s) => s.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/[\s-]+/g, '_').toLowerCase())
  .pipe(zCatalogueRewardType);

const MAX_POINTS = 1_000_000_000;
const MAX_STOCK = 1_000_000_000;

/** A whole number of points, at least `min`, as a number or a digit string (a cost here, a quest's points too). */
export const zWholePoints = (min: number) =>
  z.union([z.number(), z.string().trim().regex(/^\d{1,10}$/, 'must be a whole number').transform(Number)], {
    error: 'must be a whole number of points',
  }).pipe(z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(MAX_POINTS, `must be at most ${MAX_POINTS}`));

/** A whole number of points a redemption costs: at least 1. */
const zPointsCost = zWholePoints(1);

/** Units in stock: a whole number (0 and up, also as digits), or `"unlimited"` / null for no limit (the default). */
const zStock = z.union([
  z.literal('unlimited').transform(() => null),
  z.null(),
  z.number(),
  z.string().trim().regex(/^\d{1,10}$/, 'must be a whole number or "unlimited"').transform(Number),
], { error: 'must be a whole number or "unlimited"' })
  .pipe(z.number().int('must be a whole number').min(0, 'must be at least 0').max(MAX_STOCK, `must be at most ${MAX_STOCK}`).nullable());

const zDescription = zText(2000).nullable();

/** POST /rewards (002_*): a name, a cost in points and a type; the stock unlimited unless given. */
export const zCreateCatalogueRewardRequest = z.object({
  name: zText(200),
  description: zDescription.optional(),
  points_cost: zPointsCost.optional(),
  pointsCost: zPointsCost.optional(),
  type: zTypeField,
  stock: zStock.optional(),
  status: zCatalogueRewardStatus.optional(),
}).superRefine((b, ctx) => {
  if (b.points_cost === undefined && b.pointsCost === undefined) ctx.addIssue({ code: 'custom', path: ['points_cost'], message: 'is required' });
}).transform(({ points_cost, pointsCost, ...b }) => ({
  ...b, description: b.description ?? null, pointsCost: (points_cost ?? pointsCost)!, stock: b.stock ?? null, status: b.status ?? 'active',
}));

export type CreateCatalogueRewardRequest = z.output<typeof zCreateCatalogueRewardRequest>;

const UPDATABLE = ['name', 'description', 'pointsCost', 'type', 'stock', 'status'] as const;

/** PATCH /rewards/:id: only the fields given change; `stock: "unlimited"` lifts the limit, `status` archives or brings back. */
export const zUpdateCatalogueRewardRequest = z.object({
  name: zText(200).optional(),
  description: zDescription.optional(),
  points_cost: zPointsCost.optional(),
  pointsCost: zPointsCost.optional(),
  type: zTypeField.optional(),
  stock: zStock.optional(),
  status: zCatalogueRewardStatus.optional(),
}).transform(({ points_cost, pointsCost, ...b }) => ({ ...b, pointsCost: points_cost ?? pointsCost }))
  .refine((b) => UPDATABLE.some((k) => b[k] !== undefined), { message: 'give at least one of name, description, points_cost, type, stock, status' });

export type UpdateCatalogueRewardRequest = Partial<z.output<typeof zUpdateCatalogueRewardRequest>>;

/** POST /rewards/:id/redeem (002_*): the advocate whose points pay, `advocate_id` or `advocateId`. */
export const zRedeemRequest = z.object({
  advocate_id: zId.optional(),
  advocateId: zId.optional(),
}).superRefine((b, ctx) => {
  if (b.advocate_id === undefined && b.advocateId === undefined) ctx.addIssue({ code: 'custom', path: ['advocate_id'], message: 'is required' });
}).transform((b) => ({ advocateId: (b.advocate_id ?? b.advocateId)! }));

export type RedeemRequest = z.output<typeof zRedeemRequest>;

/** POST /redemptions/:id/fulfil: what was given (a coupon code, a gift card number, a tracking number); `given` is an alias. */
export const zFulfilRequest = z.object({
  fulfilment: zText(2000).optional(),
  given: zText(2000).optional(),
}).superRefine((b, ctx) => {
  if (b.fulfilment === undefined && b.given === undefined) ctx.addIssue({ code: 'custom', path: ['fulfilment'], message: 'is required: what was given' });
}).transform((b) => ({ fulfilment: (b.fulfilment ?? b.given)! }));

/** POST /redemptions/:id/cancel: why, optionally. */
export const zCancelRedemptionRequest = z.object({ reason: zText(500).optional() });

/** GET /rewards: the whole catalogue (a brand has at most db/catalogueRewards.ts MAX_CATALOGUE_REWARDS), by status and type. */
export const zCatalogueListQuery = z.object({
  status: zCatalogueRewardStatus.optional(),
  type: zTypeField.optional(),
});

/** GET /redemptions: newest first, paged like the other brand-sized lists. */
export const zRedemptionListQuery = z.object({
  ...zPagination,
  advocate_id: zQueryInt(1, 999_999_999).optional(),
  reward_id: zQueryInt(1, 999_999_999).optional(),
  status: zRedemptionStatus.optional(),
});
