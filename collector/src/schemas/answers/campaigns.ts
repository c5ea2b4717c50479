// Answer schema of /campaigns (services/campaigns.ts campaignView).
import { z } from 'zod';
import type { CampaignView } from '../../services/campaigns.ts';
import { zCampaignStatus } from '../campaigns.ts';
import { zInstant, zRecordId, type Same } from './common.ts';
import { programmeAnswerFields } from './settings.ts';

export const zCampaign = z.strictObject({
  id: zRecordId,
  name: z.string(),
  status: zCampaignStatus,
  is_default: z.boolean().meta({ description: 'The campaign of every advocate not put in another one; its rules are also /settings\' programme fields' }),
  ...programmeAnswerFields,
  advocate_count: z.number().int().min(0),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'Campaign', description: 'A set of programme rules: what the referee is offered and what the referring advocates earn' });

const _campaign: Same<z.output<typeof zCampaign>, CampaignView> = true;
