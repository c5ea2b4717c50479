// Request schemas of /referral-records (003_*'s referral records): the list's filters and an entered record.
import { z } from 'zod';
import { zDateRange, zPagination, zQueryInt } from '../http/query.ts';
import { zCents, zEmail, zId, zText } from './common.ts';
import { zCommissionStatus } from './commissions.ts';

const zAction = z.union([z.number(), z.string().trim().regex(/^\d$/).transform(Number)], { error: 'must be 1, 2, 3 or 4' })
  .pipe(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: 'must be 1 (purchase), 2 (enrolment), 3 (clicks) or 4 (shares)' }));

const zQueryId = zQueryInt(1, 999_999_999_999_999).optional();

/** GET /referral-records: newest first, by cursor or offset as every list. */
export const zReferralRecordListQuery = z.object({
  advocate_id: zQueryId,
  customer_email: zEmail.optional(),
  campaign_id: zQueryId,
  reward_action_type: zAction.optional(),
  status: zCommissionStatus.optional(),
  ...zDateRange,
  ...zPagination,
});

export type ReferralRecordListQuery = z.output<typeof zReferralRecordListQuery>;

/** 0 or 1, or a boolean, as 003_*'s is_qualified_for_* flags. */
const zFlag = z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1'), z.boolean()], { error: 'must be 0 or 1' })
  .transform((v) => v === 1 || v === '1' || v === true);

/** 003_*'s cooling_period_end: `YYYY-MM-DD HH:MM:SS` (UTC) or an ISO 8601 date-time. */
const zMoment = z.string({ error: 'must be a date-time such as 2026-12-31 23:59:59' }).trim().transform((text, ctx) => {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  // An ISO time names its offset (no server's local time); a day that does not exist (02-30) is refused, not rolled over.
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) ? new Date(iso) : new Date(NaN);
  const sameDay = !Number.isNaN(at.getTime()) && (!iso.endsWith('Z') || at.toISOString().slice(0, 10) === iso.slice(0, 10));
  if (!sameDay) {
    ctx.addIssue({ code: 'custom', message: 'must be a date-time such as 2026-12-31 23:59:59 or 2026-12-31T23:59:59Z' });
    return z.NEVER;
  }
  return at.toISOString();
});

const need = (ctx: z.RefinementCtx, field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });

/**
 * POST /referral-records: a referral that happened elsewhere, entered by the operator (003_*'s create). The
 * referrer is required; a purchase (1) needs its order (a conversion of this brand, or the shop's order id) and, when
 * no conversion of the brand names them, the referred customer (checked by the use case, which looks the order up); an enrolment (2) its referred customer; clicks (3) and shares (4)
 * the qualified_amount that earned them. 003_*'s names are taken too: referred_level for level, referred_order_number
 * for order_id, referred_customer_uuid for referred_advocate_id.
 */
export const zCreateReferralRecordRequest = z.object({
  /** the record's id where it came from; generated when absent */
  uuid: z.uuid({ error: 'must be a UUID such as 4f1c9a3e-8b2d-4e6f-9a1b-3c5d7e9f0a2b' }).transform((u) => u.toLowerCase()).optional(),
  referrer_advocate_id: zId,
  reward_action_type: zAction,
  campaign_id: zId.optional(),
  level: z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')], { error: 'must be 1 or 2' }).transform(Number).optional(),
  referred_level: z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')], { error: 'must be 1 or 2' }).transform(Number).optional(),
  conversion_id: zId.optional(),
  order_id: zText(255).optional(),
  referred_order_number: zText(255).optional(),
  referred_customer_email: zEmail.optional(),
  referred_advocate_id: zId.optional(),
  referred_customer_uuid: zId.optional(),
  qualified_amount: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1_000_000_000).optional(),
  reward_amount: zCents.optional(),
  incentive_amount: zCents.optional(),
  is_qualified_for_reward: zFlag.optional(),
  is_qualified_for_incentive: zFlag.optional(),
  cooling_period_end: zMoment.optional(),
  share_code: zText(64).optional(),
}).superRefine((body, ctx) => {
  const order = body.conversion_id ?? body.order_id ?? body.referred_order_number;
  const customer = body.referred_customer_email ?? body.referred_advocate_id ?? body.referred_customer_uuid;
  if (body.reward_action_type === 1) {
    if (order === undefined) need(ctx, 'conversion_id', 'is required for reward_action_type 1 (a purchase): give conversion_id or order_id');
  }
  if (body.reward_action_type === 2 && customer === undefined) {
    need(ctx, 'referred_advocate_id', 'is required for reward_action_type 2 (an enrolment): give referred_advocate_id or referred_customer_email');
  }
  if ((body.reward_action_type === 3 || body.reward_action_type === 4) && body.qualified_amount === undefined) {
    need(ctx, 'qualified_amount', `is required for reward_action_type ${body.reward_action_type}: the ${body.reward_action_type === 3 ? 'clicks' : 'shares'} that earned it`);
  }
}).transform(({ referred_level, referred_order_number, referred_customer_uuid, level, order_id, referred_advocate_id, ...rest }) => ({
  ...rest,
  level: (level ?? referred_level ?? 1) as 1 | 2,
  order_id: order_id ?? referred_order_number,
  referred_advocate_id: referred_advocate_id ?? referred_customer_uuid,
}));

export type CreateReferralRecordRequest = z.output<typeof zCreateReferralRecordRequest>;
