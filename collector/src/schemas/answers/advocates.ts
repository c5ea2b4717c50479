// Answer schemas of /advocates, their codes and points, and /referrals (services/advocates.ts, referralCodes.ts, points.ts).
import { z } from 'zod';
import type { advocateView } from '../../services/advocates.ts';
import type { pointsLedger, pointsTransactionView, recordPointsRequest } from '../../services/points.ts';
import type { codeView, getReferralStats, referralView } from '../../services/referralCodes.ts';
import { PAYMENT_METHODS, POINTS_TYPES, zAdvocateStatus, zCodeStatus } from '../advocates.ts';
import { countedListOf, zCurrency, zInstant, zJsonObject, zMoney, zRecordId, type Fits, type Same } from './common.ts';

const zCount = z.number().int().min(0);
const zRate = z.number().min(0).meta({ description: 'conversions / clicks, to four decimals; 0 without clicks' });

/** A code as listed inside its advocate (codeView). */
export const zReferralCode = z.strictObject({
  code: z.string(),
  status: z.enum(zCodeStatus.options),
  click_count: zCount,
  created_at: zInstant,
  deactivated_at: zInstant.nullable(),
}).meta({ id: 'ReferralCode', description: "One of an advocate's referral codes" });

/** How an advocate is paid: in the advocate views and beside each advocate of a payout. */
export const paymentFields = {
  payment_method: z.enum(PAYMENT_METHODS).nullable(),
  payment_details: z.string().nullable().meta({ description: 'Where to pay: a PayPal address, an IBAN, a note' }),
};

/** The fields of both advocate views; `referral_codes` differs (objects in the single view, strings in the list). */
const advocateFields = {
  id: zRecordId,
  // after an erasure: `erased:<id>`, and the name is empty
  email: z.string(),
  name: z.string(),
  status: z.enum(zAdvocateStatus.options),
  tier: z.string().nullable(),
  metadata: zJsonObject.nullable(),
  referral_code: z.string().nullable().meta({ description: 'The oldest active code; null when none is active' }),
  referred_by: zRecordId.nullable().meta({ description: 'The advocate who referred this one (level 2)' }),
  ...paymentFields,
  campaign_id: zRecordId.meta({ description: "The campaign whose rules this advocate's referrals follow" }),
  points_balance: z.number().int(),
  click_count: zCount,
  conversion_count: zCount,
  conversion_rate: zRate,
  total_earnings: zMoney.meta({ description: 'pending + approved + paid − everything clawed back (cash commissions)' }),
  pending_earnings: zMoney,
  approved_earnings: zMoney,
  paid_earnings: zMoney,
  clawback_due: zMoney.meta({ description: 'Clawed back from paid commissions and not yet netted off a payout' }),
  currency: zCurrency,
  created_at: zInstant,
  updated_at: zInstant,
};

/** GET /advocates/:id, POST and PATCH /advocates, and the advocate.* events' data. */
export const zAdvocate = z.strictObject({ ...advocateFields, referral_codes: z.array(zReferralCode) })
  .meta({ id: 'Advocate', description: 'An advocate with its codes and figures; money in the brand\'s currency as decimals' });

/** An item of GET /advocates: the same, with its codes as strings. */
export const zAdvocateListItem = z.strictObject({ ...advocateFields, referral_codes: z.array(z.string()) })
  .meta({ id: 'AdvocateListItem', description: 'An advocate as listed: its codes as strings, oldest first' });

const zReferralFigures = {
  clicks: zCount,
  conversions: zCount,
  revenue: zMoney.meta({ description: 'Attributed revenue net of refunds' }),
  gross_revenue: zMoney,
  conversion_rate: zRate,
  currency: zCurrency,
};

/** GET /referrals/:code/stats: the code's figures, unwrapped. */
export const zReferralStats = z.strictObject({ code: z.string(), advocate_id: zRecordId, ...zReferralFigures })
  .meta({ id: 'ReferralStats', description: 'A referral code\'s clicks, conversions and revenue' });

/** An item of GET /referrals and the `referral` of the other /referrals answers (referralView). */
export const zReferral = z.strictObject({
  id: zRecordId,
  code: z.string(),
  advocate_id: zRecordId,
  advocate_name: z.string(),
  status: z.enum(zCodeStatus.options),
  ...zReferralFigures,
  created_at: zInstant,
  deactivated_at: zInstant.nullable(),
}).meta({ id: 'Referral', description: 'A referral code with its advocate and figures' });

// What the ledger holds beside POINTS_TYPES: a points commission credited, points taken back by a refund.
const LEDGER_TYPES = [...POINTS_TYPES, 'reward', 'clawback'] as const;

/** An entry of an advocate's points ledger (pointsTransactionView). */
export const zPointsTransaction = z.strictObject({
  id: zRecordId,
  advocate_id: zRecordId,
  type: z.enum(LEDGER_TYPES),
  amount: z.number().int().meta({ description: 'Signed whole points: positive awards, negative deductions' }),
  balance_after: z.number().int(),
  description: z.string().nullable(),
  reward_id: zRecordId.nullable().meta({ description: 'The commission that credited or took back these points' }),
  created_at: zInstant,
}).meta({ id: 'PointsTransaction', description: 'One entry of an advocate\'s points ledger' });

/** POST /advocates/:id/points. */
export const zPointsRecorded = z.strictObject({ transaction: zPointsTransaction, new_balance: z.number().int() })
  .meta({ id: 'PointsRecorded', description: 'The ledger entry written and the balance after it' });

/** GET /advocates/:id/points: the balance and a page of the ledger, newest first. */
export const zPointsLedger = countedListOf('transactions', zPointsTransaction).extend({ balance: z.number().int() })
  .meta({ id: 'PointsLedger', description: 'An advocate\'s points balance and a page of its ledger, newest first' });

type AdvocateView = ReturnType<typeof advocateView>;
type Ledger = Awaited<ReturnType<typeof pointsLedger>>;
const _codes: Same<z.output<typeof zReferralCode>, ReturnType<typeof codeView>> = true;
const _advocate: Fits<Omit<z.output<typeof zAdvocate>, 'referral_codes'>, Omit<AdvocateView, 'referral_codes'>> = true;
const _advocateCodes: Same<z.output<typeof zAdvocate | typeof zAdvocateListItem>['referral_codes'], AdvocateView['referral_codes']> = true;
const _stats: Same<z.output<typeof zReferralStats>, Awaited<ReturnType<typeof getReferralStats>>> = true;
const _referral: Same<z.output<typeof zReferral>, ReturnType<typeof referralView>> = true;
const _transaction: Fits<z.output<typeof zPointsTransaction>, ReturnType<typeof pointsTransactionView>> = true;
const _recorded: Fits<z.output<typeof zPointsRecorded>, Awaited<ReturnType<typeof recordPointsRequest>>> = true;
// The ledger's page fields are countedList's (http/query.ts), typed loosely there: its items, balance and total here.
const _ledger: Fits<Pick<z.output<typeof zPointsLedger>, 'balance' | 'total' | 'transactions'>,
  { balance: Ledger['balance']; total: Ledger['total']; transactions: Ledger['items'] }> = true;
