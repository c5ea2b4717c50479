// Answer schemas of /referral-records (services/referralRecords.ts recordView) and POST /track/share (services/shares.ts).
import { z } from 'zod';
import type { ReferralRecordView } from '../../services/referralRecords.ts';
import type { ShareView } from '../../services/shares.ts';
import { zRewardAction, zRewardStatus } from './commissions.ts';
import { zCashOrPoints, zCurrency, zInstant, zMoney, zRecordId, type Same } from './common.ts';

export const zReferralRecord = z.strictObject({
  id: zRecordId.meta({ description: 'The id of the commission this record is (GET /commissions/{id})' }),
  uuid: z.uuid().meta({ description: 'The record\'s stable id' }),
  campaign_id: zRecordId,
  referrer_advocate_id: zRecordId,
  referred_customer: z.strictObject({
    email: z.string().nullable().meta({ description: 'null once erased' }),
    advocate_id: zRecordId.nullable().meta({ description: 'When the referred customer is an advocate of the brand' }),
  }).nullable().meta({ description: 'Who was referred: the buyer (1) or the new advocate (2); null for clicks (3) and shares (4)' }),
  order: z.strictObject({
    conversion_id: zRecordId.nullable(),
    order_id: z.string().nullable(),
  }).nullable().meta({ description: 'The referred purchase (reward_action_type 1)' }),
  level: z.union([z.literal(1), z.literal(2)]),
  reward_action_type: zRewardAction,
  qualified_amount: z.number().int().min(1).nullable().meta({ description: 'The clicks or shares that earned it (3, 4)' }),
  short_code: z.string().nullable().meta({ description: 'The referral code used, shared, or whose clicks or shares earned it' }),
  reward_earned: zCashOrPoints,
  reward_type: z.enum(['commission', 'points']).meta({ description: 'commission: cash in the currency; points' }),
  reward_paid: z.boolean(),
  incentive_used: z.string().nullable().meta({ description: 'The code or coupon that gave the referee their discount' }),
  incentive_type: z.enum(['code', 'coupon']).nullable(),
  incentive_amount: zMoney.nullable().meta({ description: 'The referee\'s discount' }),
  currency: zCurrency,
  cooling_period_end: zInstant,
  status: zRewardStatus,
  commission_id: zRecordId,
  entered: z.boolean().meta({ description: 'Entered by the operator (POST /referral-records), not tracked' }),
  referral_date: zInstant,
}).meta({ id: 'ReferralRecord', description: 'Who referred whom, at which level, for which action, with which reward and incentive (003_*)' });

export const zShare = z.strictObject({
  id: zRecordId,
  referral_code: z.string(),
  advocate_id: zRecordId,
  campaign_id: zRecordId,
  channel: z.string().meta({ description: 'Lower-cased, as sent: whatsapp, email, x, …' }),
  created_at: zInstant,
}).meta({ id: 'Share', description: 'An advocate sharing their link on a channel' });

const _record: Same<z.output<typeof zReferralRecord>, ReferralRecordView> = true;
const _share: Same<z.output<typeof zShare>, ShareView> = true;
