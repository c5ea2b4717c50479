// Management API, /rewards and /redemptions (002_*): the brand's rewards catalogue, redeeming a reward with an
// advocate's points, and the redemptions' fulfilment or cancellation (secret key only). /rewards is the catalogue;
// the commissions advocates earn are /commissions.
import express, { type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import {
  zCancelRedemptionRequest, zCatalogueListQuery, zCreateCatalogueRewardRequest, zFulfilRequest, zRedeemRequest, zRedemptionListQuery,
  zUpdateCatalogueRewardRequest,
} from '../../schemas/catalogue.ts';
import {
  cancelRedemption, createCatalogueReward, fulfilRedemption, getCatalogueReward, getRedemption, listCatalogue, listRedemptions,
  redeemCatalogueReward, updateCatalogueReward,
} from '../../services/catalogue.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { pageOf, pathId } from '../query.ts';
import { ok } from '../useCase.ts';

const rewardIdOf = (req: Request) => pathId(req.params.id, 'reward');
const redemptionIdOf = (req: Request) => pathId(req.params.id, 'redemption');

export function catalogueRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  // The whole catalogue at once, oldest first: a brand has at most MAX_CATALOGUE_REWARDS (db/catalogueRewards.ts).
  router.get('/rewards', guard, readCase(deps, zCatalogueListQuery, async (ctx, query) => ({ rewards: await listCatalogue(ctx, query) })));

  router.post('/rewards', guard, writeCase(deps, zCreateCatalogueRewardRequest,
    async (ctx, data) => ok(201, { reward: await createCatalogueReward(ctx, data) })));

  router.get('/rewards/:id', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ reward: await getCatalogueReward(ctx, rewardIdOf(req)) })));

  router.patch('/rewards/:id', guard, writeCase(deps, zUpdateCatalogueRewardRequest,
    async (ctx, data, req) => ok(200, { reward: await updateCatalogueReward(ctx, rewardIdOf(req), data) })));

  // Archiving is a status change (PATCH status); also a route of its own that needs no body.
  router.post('/rewards/:id/archive', guard, writeCase(deps, zNoFields,
    async (ctx, _data, req) => ok(200, { reward: await updateCatalogueReward(ctx, rewardIdOf(req), { status: 'archived' }) })));

  router.post('/rewards/:id/redeem', guard, writeCase(deps, zRedeemRequest,
    async (ctx, data, req) => ok(200, await redeemCatalogueReward(ctx, rewardIdOf(req), data))));

  router.get('/redemptions', guard, readCase(deps, zRedemptionListQuery, async (ctx, query) =>
    listRedemptions(ctx, { advocateId: query.advocate_id, catalogueRewardId: query.reward_id, status: query.status }, pageOf(query))));

  router.get('/redemptions/:id', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ redemption: await getRedemption(ctx, redemptionIdOf(req)) })));

  router.post('/redemptions/:id/fulfil', guard, writeCase(deps, zFulfilRequest,
    async (ctx, data, req) => ok(200, { redemption: await fulfilRedemption(ctx, redemptionIdOf(req), data) })));

  router.post('/redemptions/:id/cancel', guard, writeCase(deps, zCancelRedemptionRequest,
    async (ctx, data, req) => ok(200, { redemption: await cancelRedemption(ctx, redemptionIdOf(req), data) })));

  return router;
}
