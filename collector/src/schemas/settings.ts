// The programme settings patch (PATCH/PUT /api/v1/settings and `referloop settings set key=value`).
import { z } from 'zod';
import { parseHundredths } from '../domain/money.ts';
import { zBoolean } from './common.ts';

export const zWholeDays = (min: number, max: number) =>
  z.union([z.number(), z.string().trim().regex(/^\d{1,9}$/, 'must be a whole number').transform(Number)], {
    error: 'must be a whole number of days',
  }).pipe(z.number().int('must be a whole number of days').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/**
 * A setting's value before its type is known: a non-negative number or decimal string with at most two decimals,
 * kept as hundredths. The service reads it by the type in force after the patch: basis points for a percentage
 * (12.5 -> 1250), cents for money (4.99 -> 499), or whole points (10 -> 1000 hundredths -> 10 points).
 */
export const zSettingValue = z.union([z.number(), z.string().trim()], { error: 'must be a number or a decimal string' })
  .transform((value, ctx) => {
    const parsed = parseHundredths(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  });

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const zCurrency = z.string({ error: 'must be a string' }).trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code such as USD')
  .transform((s) => s.toUpperCase())
  .refine((s) => CURRENCIES.has(s), 'is not an ISO 4217 currency code');

/** An http(s) origin, normalised (https://Shop.Example/path -> https://shop.example). */
export const zOrigin = z.string({ error: 'must be a string' }).trim().transform((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 100)}" is not a URL such as https://shop.example` });
    return z.NEVER;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 100)}" is not an http or https origin` });
    return z.NEVER;
  }
  return url.origin;
});

/** An array of origins, or (from the CLI) one comma-separated string; duplicates are dropped. */
const zOrigins = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter((x) => x !== '') : v),
  z.array(zOrigin, { error: 'must be an array of origins such as ["https://shop.example"]' }),
)
  .pipe(z.array(z.string()).max(50, 'at most 50 origins'))
  .transform((origins) => [...new Set(origins)]);

/**
 * A campaign's rules as a patch names them (every field optional): the settings' programme fields, which are the
 * default campaign's, and a campaign's own (schemas/campaigns.ts).
 */
export const programmeFields = {
  attribution_window_days: zWholeDays(1, 365).optional(),
  referee_discount_type: z.enum(['percentage', 'fixed'], { error: 'must be percentage or fixed' }).optional(),
  referee_discount_value: zSettingValue.optional(),
  referrer_reward_type: z.enum(['percentage', 'fixed', 'points'], { error: 'must be percentage, fixed or points' }).optional(),
  referrer_reward_value: zSettingValue.optional(),
  cooling_period_days: zWholeDays(0, 365).optional(),
  level2_reward_type: z.enum(['none', 'percentage', 'fixed', 'points'], { error: 'must be none, percentage, fixed or points' }).optional(),
  level2_reward_value: zSettingValue.optional(),
};

export type ProgrammePatch = { [K in keyof typeof programmeFields]?: z.output<(typeof programmeFields)[K]> };

/** Every field optional: a PATCH changes what it names. Read-only fields (brand_id, name) are unknown here. */
export const zSettingsPatch = z.object({
  attribution_model: z.enum(['first_touch', 'last_touch'], { error: 'must be first_touch or last_touch' }).optional(),
  currency: zCurrency.optional(),
  ...programmeFields,
  allow_negative_points: zBoolean.optional(),
  allowed_origins: zOrigins.optional(),
  /** money in the brand's currency: advocates whose payout subtotal is below it roll over to the next run */
  min_payout: zSettingValue.optional(),
  /** visits older than this many days are deleted; null keeps them (the default) */
  visit_retention_days: z.preprocess((v) => (v === null || v === 'null' || v === 'keep' ? undefined : v),
    zWholeDays(1, 3650).optional()).transform((v) => v ?? null).optional(),
  /** a visit sent with `Sec-GPC: 1` is not recorded */
  respect_gpc: zBoolean.optional(),
  /** single sign-on: an unmapped customer with an email is enrolled and mapped (true, the default), or a 404 (false) */
  sso_auto_enrol: zBoolean.optional(),
  /** read-only with the brand's key: the same value as now is accepted (a GET sent back), another one is a 400 */
  plan: z.enum(['starter', 'growth', 'premier'], { error: 'must be starter, growth or premier' }).optional(),
});

export type SettingsPatch = z.infer<typeof zSettingsPatch>;
