// Answer schemas of /commissions and /payouts (services/commissions.ts: commissionView, getCommission, the payout's
// groupView/lineView, markPaid).
import { z } from 'zod';
import type { Reward } from '../../db/rewards.ts';
import type { CommissionView, getCommission, markPaid, PayoutAdvocateView, payoutAnswer } from '../../services/commissions.ts';
import { zCommissionStatus } from '../commissions.ts';
import { paymentFields } from './advocates.ts';
import { zCashOrPoints, zCurrency, zInstant, zMoney, zRecordId, type Fits, type Same } from './common.ts';

export const zRewardStatus = z.enum(zCommissionStatus.options)
  .meta({ description: 'pending (cooling period), approved, paid, rejected, or reversed (an unpaid one refunded in full)' });
export const zRewardKind = z.enum(['cash', 'points']);
export const zRewardAction = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
  .meta({ description: "003_*'s reward_action_type: 1 a referred purchase, 2 a referred enrolment, 3 a number of clicks reached, 4 a number of shares reached" });
export const zLevel = z.union([z.literal(1), z.literal(2)])
  .meta({ description: '1: the referrer\'s reward; 2: the reward of the advocate who referred the referrer' });

/** Who changed a commission: the collector, a secret key, the CLI, or a dashboard user (`dashboard:` and their email). */
export const zActor = z.union([z.enum(['system', 'api', 'cli']), z.templateLiteral(['dashboard:', z.string()])]);

/** An item of GET /commissions, and the commission.* events' data. */
export const zCommission = z.strictObject({
  id: zRecordId,
  advocate_id: zRecordId,
  conversion_id: zRecordId.nullable().meta({ description: 'The referred purchase; null for the other actions and for an entered record of an order made elsewhere' }),
  order_id: z.string().nullable(),
  reward_action_type: zRewardAction,
  referral_record_uuid: z.uuid().meta({ description: 'The referral record this commission is (GET /referral-records/{uuid})' }),
  level: zLevel,
  kind: zRewardKind,
  campaign_id: zRecordId.meta({ description: "The campaign whose rules made it: the referring advocate's when it was earned" }),
  amount: zCashOrPoints.meta({ description: 'The value after refunds (before clawbacks)' }),
  original_amount: zCashOrPoints,
  clawed_back: zCashOrPoints.meta({ description: 'Taken back after payment by refunds: the advocate owes it' }),
  clawback_recovered: zCashOrPoints.meta({ description: 'How much of clawed_back payouts have netted off' }),
  net_amount: zCashOrPoints.meta({ description: '0 when rejected or reversed, else amount − clawed_back' }),
  status: zRewardStatus,
  reason: z.string().nullable().meta({ description: 'Why it was rejected' }),
  currency: zCurrency,
  conversion_amount: zMoney.nullable().meta({ description: 'The order\'s attributable revenue; null without a conversion' }),
  available_at: zInstant.meta({ description: 'When the cooling period ends' }),
  approved_at: zInstant.nullable(),
  paid_at: zInstant.nullable(),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'Commission', description: 'An advocate\'s reward for one conversion and level, or for another action' });

/** GET /commissions/:id and a status change: the commission with its history, oldest change first. */
export const zCommissionDetail = zCommission.extend({
  history: z.array(z.strictObject({
    event: z.string().meta({ description: 'created, approved, paid, rejected, reversed, refund_adjustment, clawback, clawback_recovered' }),
    delta: zCashOrPoints.meta({ description: 'The change of the net value; the deltas add up to net_amount' }),
    note: z.string().nullable(),
    actor: zActor,
    created_at: zInstant,
  })),
}).meta({ id: 'CommissionDetail', description: 'A commission with its history' });

/** POST /commissions/approve-due. */
export const zApproveDueAnswer = z.strictObject({
  approved: z.number().int().min(0).meta({ description: 'How many commissions were approved' }),
  commissions: z.array(zRecordId).meta({ description: 'Their ids, oldest due first (the first 1,000)' }),
  truncated: z.boolean().meta({ description: 'More were approved than `commissions` lists' }),
  remaining: z.boolean().meta({ description: 'More were due: they are approved in the background' }),
}).meta({ id: 'ApproveDueAnswer', description: 'The commissions whose cooling period had ended, approved' });

/** An advocate's part of GET /payouts (groupView). */
const zPayoutAdvocate = z.strictObject({
  advocate_id: zRecordId,
  advocate_name: z.string(),
  advocate_email: z.string(),
  ...paymentFields,
  subtotal: zMoney,
  currency: zCurrency,
  lines: z.array(z.strictObject({
    type: z.enum(['commission', 'clawback']),
    commission_id: zRecordId,
    amount: zMoney.meta({ description: 'Positive for a commission, negative for a clawback netted off' }),
    level: zLevel,
    order_id: z.string().nullable(),
    approved_at: zInstant.nullable(),
  })).meta({ description: 'The approved commissions, then the clawbacks netted off against them' }),
}).meta({ id: 'PayoutAdvocate', description: 'What to pay one advocate, line by line' });

/** GET /payouts: what to pay now, per advocate in id order. */
export const zPayout = z.strictObject({
  advocates: z.array(zPayoutAdvocate),
  total: zMoney,
  currency: zCurrency,
  min_payout: zMoney,
  advocate_count: z.number().int().min(0),
  rolled_over: z.number().int().min(0).meta({ description: 'Advocates below min_payout, left for the next run' }),
  // streamCase writes a list's `warnings` inside `data` (http/manage.ts), not beside it as every other answer does
  warnings: z.array(z.string()).optional().meta({ description: 'One message per query parameter that was sent and ignored' }),
}).meta({ id: 'Payout', description: 'The payout to make now: approved commissions less the clawbacks owed' });

/** POST /payouts, and the payout.created event's data. */
export const zPayoutRecorded = z.strictObject({
  paid: z.array(zCommission),
  recovered: z.array(z.strictObject({ commission_id: zRecordId, amount: zMoney }))
    .meta({ description: 'The clawbacks netted off, positive' }),
  total: zMoney.meta({ description: 'What was paid: the commissions less the clawbacks' }),
  currency: zCurrency,
}).meta({ id: 'PayoutRecorded', description: 'A payout recorded: the commissions now paid and the clawbacks recovered' });

type Summary = ReturnType<ReturnType<typeof payoutAnswer>['summary']>;
const _status: Same<z.output<typeof zRewardStatus>, Reward['status']> = true;
const _kind: Same<z.output<typeof zRewardKind>, Reward['kind']> = true;
const _action: Same<z.output<typeof zRewardAction>, Reward['action']> = true;
const _commission: Same<z.output<typeof zCommission>, CommissionView> = true;
const _detail: Same<z.output<typeof zCommissionDetail>, Awaited<ReturnType<typeof getCommission>>> = true;
const _payoutAdvocate: Fits<z.output<typeof zPayoutAdvocate>, PayoutAdvocateView> = true;
const _payout: Same<Omit<z.output<typeof zPayout>, 'advocates' | 'warnings'>, Summary> = true;
const _recorded: Same<z.output<typeof zPayoutRecorded>, Awaited<ReturnType<typeof markPaid>>> = true;
