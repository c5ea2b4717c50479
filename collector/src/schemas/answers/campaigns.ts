// Answer schema of /campaigns (services/campaigns.ts campaignView).
import { z } from 'zod';
import type { CampaignView } from '../../services/campaigns.ts';
import { actionFields, zCampaignSignup, zCampaignStatus } from '../campaigns.ts';
import { zInstant, zRecordId, type Same } from './common.ts';
import { programmeAnswerFields } from './settings.ts';

const zActionValue = z.number().min(0).meta({ description: 'By its type: an amount in the currency (4.99) or whole points' });
const zThreshold = z.number().int().min(1);
const actionType = z.enum(actionFields.enrolment_reward_type.unwrap().options);

/** A campaign's action rewards (services/campaigns.ts actionsView). */
const actionAnswerFields = {
  enrolment_reward_type: actionType.meta({ description: 'Earned by the referrer when an advocate is created with referred_by (reward_action_type 2)' }),
  enrolment_reward_value: zActionValue,
  clicks_reward_type: actionType.meta({ description: 'Earned when the clicks on the advocate\'s codes reach clicks_threshold (reward_action_type 3)' }),
  clicks_reward_value: zActionValue,
  clicks_threshold: zThreshold,
  clicks_reward_repeats: z.boolean().meta({ description: 'Earned again at every multiple of the threshold; false: once' }),
  shares_reward_type: actionType.meta({ description: 'Earned when the shares of the advocate\'s codes reach shares_threshold (reward_action_type 4)' }),
  shares_reward_value: zActionValue,
  shares_threshold: zThreshold,
  shares_reward_repeats: z.boolean().meta({ description: 'Earned again at every multiple of the threshold; false: once' }),
};

export const zCampaign = z.strictObject({
  id: zRecordId,
  name: z.string(),
  status: zCampaignStatus,
  signup: zCampaignSignup.meta({ description: 'Self sign-up at /portal/join/{brand id}/{campaign id}: closed (a 404 page), approval (advocates join as pending), open (they join active and see their link at once)' }),
  is_default: z.boolean().meta({ description: 'The campaign of every advocate not put in another one; its rules are also /settings\' programme fields' }),
  ...programmeAnswerFields,
  ...actionAnswerFields,
  advocate_count: z.number().int().min(0),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'Campaign', description: 'A set of programme rules: what the referee is offered and what the referring advocates earn' });

const _campaign: Same<z.output<typeof zCampaign>, CampaignView> = true;
