// Request schemas of /campaigns (003_*'s programme model): a campaign's name, status and rules.
import { z } from 'zod';
import { zText } from './common.ts';
import { programmeFields } from './settings.ts';

export const zCampaignStatus = z.enum(['active', 'archived'], { error: 'must be active or archived' });

/** POST /campaigns: a name, and any rule given (the others start as the default campaign's). */
export const zCreateCampaignRequest = z.object({
  name: zText(100),
  ...programmeFields,
});

export type CreateCampaignRequest = z.output<typeof zCreateCampaignRequest>;

/** PATCH /campaigns/:id: only the fields given change; `status` archives or brings back a campaign. */
export const zUpdateCampaignRequest = z.object({
  name: zText(100).optional(),
  status: zCampaignStatus.optional(),
  ...programmeFields,
}).refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'give at least one field to change' });

export type UpdateCampaignRequest = z.output<typeof zUpdateCampaignRequest>;
