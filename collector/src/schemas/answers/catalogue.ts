// Answer schemas of the rewards catalogue and its redemptions (services/catalogue.ts catalogueRewardView, redemptionView).
import { z } from 'zod';
import type { CatalogueRewardView, redeemCatalogueReward, RedemptionView } from '../../services/catalogue.ts';
import { zCatalogueRewardStatus, zCatalogueRewardType, zRedemptionStatus } from '../catalogue.ts';
import { zInstant, zRecordId, type Same } from './common.ts';

export const zCatalogueReward = z.strictObject({
  id: zRecordId,
  name: z.string(),
  description: z.string().nullable(),
  points_cost: z.number().int().positive().meta({ description: 'Whole points a redemption takes from the advocate' }),
  type: zCatalogueRewardType,
  stock: z.number().int().min(0).nullable().meta({ description: 'Units left to redeem; null: unlimited' }),
  status: zCatalogueRewardStatus.meta({ description: 'archived: listed, not redeemable' }),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'CatalogueReward', description: 'A reward of the catalogue: what an advocate may spend points on (002_*\'s reward)' });

export const zRedemption = z.strictObject({
  id: zRecordId,
  reward_id: zRecordId.meta({ description: 'The catalogue reward redeemed' }),
  advocate_id: zRecordId,
  points_cost: z.number().int().min(0).meta({ description: 'The points deducted (the reward\'s cost when it was redeemed; 0 for a quest\'s grant)' }),
  status: zRedemptionStatus.meta({ description: 'pending until fulfilled; cancelled gives the points and the unit back' }),
  fulfilment: z.string().nullable().meta({ description: 'What was given (a coupon code, a gift card number), once fulfilled' }),
  cancel_reason: z.string().nullable(),
  points_transaction_id: zRecordId.nullable().meta({ description: 'The ledger entry that took the points; null for a quest\'s grant' }),
  refund_transaction_id: zRecordId.nullable().meta({ description: 'The ledger entry that gave them back, once cancelled' }),
  created_at: zInstant,
  updated_at: zInstant,
  fulfilled_at: zInstant.nullable(),
  cancelled_at: zInstant.nullable(),
  quest_id: zRecordId.nullable().meta({ description: 'The quest whose completion granted the reward (0 points); null: redeemed with points' }),
}).meta({ id: 'Redemption', description: 'A catalogue reward redeemed by an advocate with points' });

/** POST /rewards/:id/redeem: the redemption and the advocate's balance after it. */
export const zRedeemed = z.strictObject({
  redemption: zRedemption,
  new_balance: z.number().int().min(0),
});

const _reward: Same<z.output<typeof zCatalogueReward>, CatalogueRewardView> = true;
const _redemption: Same<z.output<typeof zRedemption>, RedemptionView> = true;
const _redeemed: Same<z.output<typeof zRedeemed>, Awaited<ReturnType<typeof redeemCatalogueReward>>> = true;
