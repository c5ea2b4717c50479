// Answer schema of /settings: the brand's programme (services/settings.ts settingsView).
import { z } from 'zod';
import type { SettingsView } from '../../services/settings.ts';
import { zSettingsPatch } from '../settings.ts';
import { zCurrency, zMoney, type Same } from './common.ts';

// The values a setting may take, as PATCH /settings accepts them.
const patch = zSettingsPatch.shape;

const zValue = z.number().min(0).meta({ description: 'By its type: a percentage (12.5), an amount in the currency (4.99) or whole points' });
const zDays = z.number().int().min(0);

/** A campaign's rules as the API answers them (services/settings.ts programmeView): the settings' and a campaign's. */
export const programmeAnswerFields = {
  attribution_window_days: zDays,
  referee_discount_type: z.enum(patch.referee_discount_type.unwrap().options),
  referee_discount_value: zValue,
  referrer_reward_type: z.enum(patch.referrer_reward_type.unwrap().options),
  referrer_reward_value: zValue,
  cooling_period_days: zDays,
  level2_reward_type: z.enum(patch.level2_reward_type.unwrap().options),
  level2_reward_value: zValue,
};

/** GET /settings, PATCH and PUT /settings: the brand's own fields, and its default campaign's rules. */
export const zSettings = z.strictObject({
  brand_id: z.string(),
  name: z.string(),
  plan: z.enum(patch.plan.unwrap().options),
  currency: zCurrency,
  allowed_origins: z.array(z.string()).meta({ description: 'The origins a publishable key is accepted from' }),
  attribution_model: z.enum(patch.attribution_model.unwrap().options),
  ...programmeAnswerFields,
  allow_negative_points: z.boolean(),
  min_payout: zMoney.meta({ description: 'Advocates whose payout subtotal is below it roll over to the next run' }),
  visit_retention_days: zDays.nullable().meta({ description: 'Visits older than this are deleted; null keeps them' }),
  respect_gpc: z.boolean().meta({ description: 'A visit sent with Sec-GPC: 1 is not recorded' }),
  sso_auto_enrol: z.boolean().meta({ description: 'POST /sso/recognize enrols and maps a customer with no mapping but an email (false: a 404)' }),
}).meta({ id: 'Settings', description: 'The brand\'s referral programme' });

const _settings: Same<z.output<typeof zSettings>, SettingsView> = true;
