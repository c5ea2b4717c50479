// referloop reward ... and redemption ...: the rewards catalogue and its redemptions, through the API's schemas and
// use cases, in one transaction on the database (a redemption's points, stock and record together, as the API does).
import {
  zCancelRedemptionRequest, zCatalogueListQuery, zCreateCatalogueRewardRequest, zFulfilRequest, zRedeemRequest, zRedemptionListQuery,
  zUpdateCatalogueRewardRequest,
} from '../schemas/catalogue.ts';
import { pageOf } from '../http/query.ts';
import {
  cancelRedemption, createCatalogueReward, fulfilRedemption, getCatalogueReward, listCatalogue, listRedemptions, redeemCatalogueReward,
  updateCatalogueReward,
} from '../services/catalogue.ts';
import { parse, print, table, type BrandOpts } from './common.ts';
import { inBrand, readBrand } from './inBrand.ts';

const REWARD_COLUMNS = ['id', 'name', 'type', 'points_cost', 'stock', 'status'];
const REDEMPTION_COLUMNS = ['id', 'reward_id', 'advocate_id', 'points_cost', 'status', 'fulfilment', 'created_at'];

/** The reward's fields as the command line gives them (PATCH /rewards/:id's names). */
export interface RewardFieldOpts { name?: string; description?: string; pointsCost?: string; type?: string; stock?: string; status?: string }

const rewardFields = (o: RewardFieldOpts) =>
  ({ name: o.name, description: o.description, points_cost: o.pointsCost, type: o.type, stock: o.stock, status: o.status });

const printRewards = (opts: BrandOpts, rewards: Array<Record<string, unknown>>, one: boolean) =>
  print(opts, one ? { reward: rewards[0] } : { rewards }, table(rewards, REWARD_COLUMNS));

const printRedemption = (opts: BrandOpts, redemption: object) => print(opts, { redemption }, table([redemption], REDEMPTION_COLUMNS));

export async function rewardList(opts: BrandOpts & { status?: string; type?: string }): Promise<void> {
  const query = parse(zCatalogueListQuery, { status: opts.status, type: opts.type });
  printRewards(opts, await readBrand(opts, (ctx) => listCatalogue(ctx, query)), false);
}

export async function rewardGet(opts: BrandOpts & { id: string }): Promise<void> {
  printRewards(opts, [await readBrand(opts, (ctx) => getCatalogueReward(ctx, Number(opts.id)))], true);
}

export async function rewardAdd(opts: BrandOpts & RewardFieldOpts): Promise<void> {
  const request = parse(zCreateCatalogueRewardRequest, rewardFields(opts));
  printRewards(opts, [await inBrand(opts, (ctx) => createCatalogueReward(ctx, request))], true);
}

export async function rewardSet(opts: BrandOpts & RewardFieldOpts & { id: string }): Promise<void> {
  const change = parse(zUpdateCatalogueRewardRequest, rewardFields(opts));
  printRewards(opts, [await inBrand(opts, (ctx) => updateCatalogueReward(ctx, Number(opts.id), change))], true);
}

export async function rewardRedeem(opts: BrandOpts & { id: string; advocate: string }): Promise<void> {
  const request = parse(zRedeemRequest, { advocate_id: opts.advocate });
  const r = await inBrand(opts, (ctx) => redeemCatalogueReward(ctx, Number(opts.id), request));
  print(opts, r, `${table([r.redemption], REDEMPTION_COLUMNS)}\nnew balance: ${r.new_balance}`);
}

export async function redemptionList(opts: BrandOpts & { advocate?: string; reward?: string; status?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zRedemptionListQuery, { advocate_id: opts.advocate, reward_id: opts.reward, status: opts.status, limit: opts.limit, page: opts.page });
  const r = await readBrand(opts, (ctx) =>
    listRedemptions(ctx, { advocateId: query.advocate_id, catalogueRewardId: query.reward_id, status: query.status }, pageOf(query)));
  print(opts, r, table(r.redemptions, REDEMPTION_COLUMNS));
}

export async function redemptionFulfil(opts: BrandOpts & { id: string; given?: string }): Promise<void> {
  const request = parse(zFulfilRequest, { fulfilment: opts.given });
  printRedemption(opts, await inBrand(opts, (ctx) => fulfilRedemption(ctx, Number(opts.id), request)));
}

export async function redemptionCancel(opts: BrandOpts & { id: string; reason?: string }): Promise<void> {
  const request = parse(zCancelRedemptionRequest, { reason: opts.reason });
  printRedemption(opts, await inBrand(opts, (ctx) => cancelRedemption(ctx, Number(opts.id), request)));
}
