// Request schemas of /campaigns (003_*'s programme model): a campaign's name, status and rules.
import { z } from 'zod';
import { zBoolean, zText } from './common.ts';
import { programmeFields, zSettingValue } from './settings.ts';

export const zCampaignStatus = z.enum(['active', 'archived'], { error: 'must be active or archived' });
/** Self sign-up from /portal/join/BRAND/CAMPAIGN: closed (nobody), approval (pending advocates), open (active ones). */
export const zCampaignSignup = z.enum(['closed', 'approval', 'open'], { error: 'must be closed, approval or open' });

const zActionRewardType = z.enum(['none', 'fixed', 'points'], { error: 'must be none, fixed or points' });
const zThreshold = z.union([z.number(), z.string().trim().regex(/^\d{1,9}$/, 'must be a whole number').transform(Number)], {
  error: 'must be a whole number',
}).pipe(z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000_000, 'must be at most 1000000000'));

/**
 * The rewards of the actions other than a referred purchase (003_*'s reward_action_type 2, 3, 4): a value read by its
 * type as the programme's are (10 means 10.00 or 10 points); a threshold of clicks or shares on the advocate's codes,
 * earned once when the count reaches it or, with `..._reward_repeats`, at every multiple of it.
 */
export const actionFields = {
  enrolment_reward_type: zActionRewardType.optional(),
  enrolment_reward_value: zSettingValue.optional(),
  clicks_reward_type: zActionRewardType.optional(),
  clicks_reward_value: zSettingValue.optional(),
  clicks_threshold: zThreshold.optional(),
  clicks_reward_repeats: zBoolean.optional(),
  shares_reward_type: zActionRewardType.optional(),
  shares_reward_value: zSettingValue.optional(),
  shares_threshold: zThreshold.optional(),
  shares_reward_repeats: zBoolean.optional(),
};

export type ActionPatch = { [K in keyof typeof actionFields]?: z.output<(typeof actionFields)[K]> };

/** POST /campaigns: a name, and any rule given (the others start as the default campaign's). */
export const zCreateCampaignRequest = z.object({
  name: zText(100),
  /** closed unless given (not the default campaign's: a new campaign opens to the public only when told) */
  signup: zCampaignSignup.optional(),
  ...programmeFields,
  ...actionFields,
});

export type CreateCampaignRequest = z.output<typeof zCreateCampaignRequest>;

/** PATCH /campaigns/:id: only the fields given change; `status` archives or brings back a campaign. */
export const zUpdateCampaignRequest = z.object({
  name: zText(100).optional(),
  status: zCampaignStatus.optional(),
  signup: zCampaignSignup.optional(),
  ...programmeFields,
  ...actionFields,
}).refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'give at least one field to change' });

export type UpdateCampaignRequest = z.output<typeof zUpdateCampaignRequest>;
