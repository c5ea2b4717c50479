// Use case: read and change the brand's programme settings (the API and the CLI share it).
import type { Brand, Programme } from '../db/brands.ts';
import { ApiError, type ErrorDetail } from '../errors.ts';
import { toDecimal } from '../domain/money.ts';
import type { ProgrammePatch, SettingsPatch } from '../schemas/settings.ts';
import { publish } from '../webhooks/outbox.ts';
import { getCampaign } from './campaigns.ts';
import type { Ctx } from './context.ts';

type ValueType = 'none' | 'percentage' | 'fixed' | 'points';

/** A stored value (basis points, cents or points) in API form: percent and money as decimals, points whole. */
export const valueView = (type: ValueType, stored: number): number => (type === 'points' ? stored : toDecimal(stored));

/** A campaign's rules as the API answers them (the settings' programme fields, a campaign's own). */
export function programmeView(p: Programme) {
  return {
    attribution_window_days: p.attributionWindowDays,
    referee_discount_type: p.refereeDiscountType,
    referee_discount_value: valueView(p.refereeDiscountType, p.refereeDiscountValue),
    referrer_reward_type: p.referrerRewardType,
    referrer_reward_value: valueView(p.referrerRewardType, p.referrerRewardValue),
    cooling_period_days: p.coolingPeriodDays,
    level2_reward_type: p.level2RewardType,
    level2_reward_value: valueView(p.level2RewardType, p.level2RewardValue),
  };
}

export function settingsView(brand: Brand) {
  const programme = programmeView(brand);
  return {
    brand_id: brand.id,
    name: brand.name,
    plan: brand.plan,
    currency: brand.currency,
    allowed_origins: brand.allowedOrigins,
    attribution_model: brand.attributionModel,
    attribution_window_days: programme.attribution_window_days,
    referee_discount_type: programme.referee_discount_type,
    referee_discount_value: programme.referee_discount_value,
    referrer_reward_type: programme.referrer_reward_type,
    referrer_reward_value: programme.referrer_reward_value,
    cooling_period_days: programme.cooling_period_days,
    level2_reward_type: programme.level2_reward_type,
    level2_reward_value: programme.level2_reward_value,
    allow_negative_points: brand.allowNegativePoints,
    min_payout: toDecimal(brand.minPayout),
    visit_retention_days: brand.visitRetentionDays,
    respect_gpc: brand.respectGpc,
    sso_auto_enrol: brand.ssoAutoEnrol,
  };
}

export type SettingsView = ReturnType<typeof settingsView>;

/**
 * The stored value of a (type, value) pair after a patch. A value is read by the type in force after the patch,
 * so a changed type needs its value in the same request: 10 means 10 %, 10.00 or 10 points. `hundredths` is the
 * patch's value as parsed by the schema (12.5 -> 1250).
 */
export function storedValue(
  problems: ErrorDetail[], field: string, typeField: string, current: { type: ValueType; value: number },
  next: { type: ValueType | undefined; hundredths: number | undefined },
): number {
  const type = next.type ?? current.type;
  const problem = (message: string) => { problems.push({ field, message }); return current.value; };
  if (next.hundredths === undefined) {
    if (type === 'none') return 0;
    if (type !== current.type) {
      return problem(`is required when ${typeField} changes (now ${type}): 10 means 10 %, 10.00 or 10 points`);
    }
    return current.value;
  }
  const h = next.hundredths;
  switch (type) {
    case 'none':
      return h === 0 ? 0 : problem(`must be 0 or left out when ${typeField} is none`);
    case 'percentage':
      return h <= 10_000 ? h : problem('is a percentage: at most 100');
    case 'fixed':
      return h;
    case 'points':
      return h % 100 === 0 ? h / 100 : problem('is a number of points: must be a whole number');
  }
}

/** `current`'s rules with `patch` applied; each refused field is added to `problems` (and keeps its value). */
export function applyProgramme(problems: ErrorDetail[], current: Programme, patch: ProgrammePatch): Programme {
  return {
    attributionWindowDays: patch.attribution_window_days ?? current.attributionWindowDays,
    refereeDiscountType: patch.referee_discount_type ?? current.refereeDiscountType,
    refereeDiscountValue: storedValue(problems, 'referee_discount_value', 'referee_discount_type',
      { type: current.refereeDiscountType, value: current.refereeDiscountValue },
      { type: patch.referee_discount_type, hundredths: patch.referee_discount_value }),
    referrerRewardType: patch.referrer_reward_type ?? current.referrerRewardType,
    referrerRewardValue: storedValue(problems, 'referrer_reward_value', 'referrer_reward_type',
      { type: current.referrerRewardType, value: current.referrerRewardValue },
      { type: patch.referrer_reward_type, hundredths: patch.referrer_reward_value }),
    coolingPeriodDays: patch.cooling_period_days ?? current.coolingPeriodDays,
    level2RewardType: patch.level2_reward_type ?? current.level2RewardType,
    level2RewardValue: storedValue(problems, 'level2_reward_value', 'level2_reward_type',
      { type: current.level2RewardType, value: current.level2RewardValue },
      { type: patch.level2_reward_type, hundredths: patch.level2_reward_value }),
  };
}

/** 400 naming every refused field, when there is one. */
export function refuseProblems(problems: ErrorDetail[]): void {
  if (problems.length) {
    throw new ApiError(400, 'invalid_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
}

/**
 * Applies a patch and saves every setting; answers the new settings. `plan` can only be changed by an operator
 * (the CLI passes `planChangeAllowed`); with the brand's own key the same plan is accepted and another is a 400.
 */
export async function updateSettings(ctx: Ctx, patch: SettingsPatch, opts: { planChangeAllowed?: boolean } = {}): Promise<SettingsView> {
  // Read again inside the commit queue, locked: two patches sent together must not undo each other's fields (the
  // brand's row), nor a patch of the default campaign its programme fields (the campaignsOf lock that campaign writes
  // take, after the row as every settings write does, then the rules read again under it).
  await ctx.q.brands.getBrandForUpdate(ctx.brand.id);
  await ctx.q.locks.hold({ campaignsOf: ctx.brand.id });
  const b = await ctx.q.brands.getBrand(ctx.brand.id) ?? ctx.brand;
  const problems: ErrorDetail[] = [];
  if (patch.plan !== undefined && patch.plan !== b.plan && !opts.planChangeAllowed) {
    problems.push({ field: 'plan', message: `is read-only with the brand's key (it is ${b.plan}); an operator changes it from the CLI` });
  }
  const next: Brand = {
    ...b,
    ...applyProgramme(problems, b, patch),
    plan: patch.plan ?? b.plan,
    currency: patch.currency ?? b.currency,
    allowedOrigins: patch.allowed_origins ?? b.allowedOrigins,
    attributionModel: patch.attribution_model ?? b.attributionModel,
    allowNegativePoints: patch.allow_negative_points ?? b.allowNegativePoints,
    // Hundredths of the currency are its cents.
    minPayout: patch.min_payout ?? b.minPayout,
    visitRetentionDays: patch.visit_retention_days === undefined ? b.visitRetentionDays : patch.visit_retention_days,
    respectGpc: patch.respect_gpc ?? b.respectGpc,
    ssoAutoEnrol: patch.sso_auto_enrol ?? b.ssoAutoEnrol,
  };
  refuseProblems(problems);
  await ctx.q.brands.saveSettings(next, ctx.now.toISOString());
  // The programme fields are the default campaign's: a change of them is that campaign's change too.
  if (JSON.stringify(programmeView(b)) !== JSON.stringify(programmeView(next))) {
    const campaign = await getCampaign(ctx, b.defaultCampaignId);
    await publish(ctx, 'campaign.updated', () => campaign);
  }
  return settingsView(next);
}
