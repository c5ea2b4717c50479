// Answer schemas of the site widget's reads (services/widget.ts): a code's referrer and offer, a session's advocate.
import { z } from 'zod';
import type { advocateSummaryOf, referrerOf } from '../../services/widget.ts';
import { zSettings } from './settings.ts';
import { zMoney, zRecordId, type Fits } from './common.ts';

const zCurrency = z.string().meta({ description: "The brand's currency (ISO 4217)" });

/** GET /track/referrer. */
export const zReferrer = z.strictObject({
  code: z.string().meta({ description: 'The code, as the brand spells it' }),
  referrer_first_name: z.string().meta({ description: "The advocate's first name only: no surname, email or id reaches the page" }),
  referee_discount: z.strictObject({ type: zSettings.shape.referee_discount_type, value: zMoney })
    .meta({ description: "The discount of the advocate's campaign for the referred customer: a percentage, or an amount in the currency" }),
  currency: zCurrency,
}).meta({ id: 'Referrer', description: 'Who referred the visitor holding a code, and what they are offered' });

/** GET /sso/me. */
export const zSessionAdvocate = z.strictObject({
  advocate_id: zRecordId,
  first_name: z.string(),
  referral_code: z.string().nullable().meta({ description: 'The advocate\'s oldest active code; null when they have none' }),
  referral_link: z.string().nullable().meta({ description: "The brand's first allowed origin with ?ref=CODE (the code alone when the brand has no origin)" }),
  click_count: z.number().int().nonnegative(),
  share_count: z.number().int().nonnegative().meta({ description: 'Shares recorded by POST /track/share, over all their codes' }),
  conversion_count: z.number().int().nonnegative(),
  total_earnings: zMoney,
  pending_earnings: zMoney,
  paid_earnings: zMoney,
  currency: zCurrency,
}).meta({ id: 'SessionAdvocate', description: "A session token's own advocate: their referral link and figures" });

const _referrer: Fits<z.output<typeof zReferrer>, Awaited<ReturnType<typeof referrerOf>>> = true;
const _me: Fits<z.output<typeof zSessionAdvocate>, Awaited<ReturnType<typeof advocateSummaryOf>>> = true;
