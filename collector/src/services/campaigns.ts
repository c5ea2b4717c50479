// Use cases of campaigns: a brand's sets of programme rules, and which rules an advocate's referral follows.
import type { ActionRules, CampaignRules } from '../db/brands.ts';
import { MAX_CAMPAIGNS, type Campaign } from '../db/campaigns.ts';
import { ApiError, badField, notFound, type ErrorDetail } from '../errors.ts';
import type { ActionPatch, CreateCampaignRequest, UpdateCampaignRequest } from '../schemas/campaigns.ts';
import { publish } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';
import { applyProgramme, programmeView, refuseProblems, storedValue, valueView } from './settings.ts';

/**
 * The rules of an advocate's campaign: the brand's own fields for its default campaign (cached with the brand, no
 * read), else the campaign's row, read in the caller's transaction (so a conversion follows the campaign as it is
 * when the conversion is recorded).
 */
export async function programmeOf(ctx: Ctx, campaignId: number): Promise<CampaignRules> {
  if (campaignId === ctx.brand.defaultCampaignId) return ctx.brand;
  return await ctx.q.campaigns.find(ctx.brand.id, campaignId) ?? ctx.brand;
}

/** A campaign's action rewards as the API answers them (values as the programme's: money decimal, points whole). */
export function actionsView(a: ActionRules) {
  return {
    enrolment_reward_type: a.enrolmentRewardType,
    enrolment_reward_value: valueView(a.enrolmentRewardType, a.enrolmentRewardValue),
    clicks_reward_type: a.clicksRewardType,
    clicks_reward_value: valueView(a.clicksRewardType, a.clicksRewardValue),
    clicks_threshold: a.clicksThreshold,
    clicks_reward_repeats: a.clicksRewardRepeats,
    shares_reward_type: a.sharesRewardType,
    shares_reward_value: valueView(a.sharesRewardType, a.sharesRewardValue),
    shares_threshold: a.sharesThreshold,
    shares_reward_repeats: a.sharesRewardRepeats,
  };
}

/** `current`'s action rules with `patch` applied; each refused field is added to `problems`. */
export function applyActions(problems: ErrorDetail[], current: ActionRules, patch: ActionPatch): ActionRules {
  const value = (field: 'enrolment' | 'clicks' | 'shares') => storedValue(problems, `${field}_reward_value`, `${field}_reward_type`,
    { type: current[`${field}RewardType`], value: current[`${field}RewardValue`] },
    { type: patch[`${field}_reward_type`], hundredths: patch[`${field}_reward_value`] });
  return {
    enrolmentRewardType: patch.enrolment_reward_type ?? current.enrolmentRewardType,
    enrolmentRewardValue: value('enrolment'),
    clicksRewardType: patch.clicks_reward_type ?? current.clicksRewardType,
    clicksRewardValue: value('clicks'),
    clicksThreshold: patch.clicks_threshold ?? current.clicksThreshold,
    clicksRewardRepeats: patch.clicks_reward_repeats ?? current.clicksRewardRepeats,
    sharesRewardType: patch.shares_reward_type ?? current.sharesRewardType,
    sharesRewardValue: value('shares'),
    sharesThreshold: patch.shares_threshold ?? current.sharesThreshold,
    sharesRewardRepeats: patch.shares_reward_repeats ?? current.sharesRewardRepeats,
  };
}

export function campaignView(ctx: Ctx, c: Campaign, advocateCount: number) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    signup: c.signup,
    is_default: c.id === ctx.brand.defaultCampaignId,
    ...programmeView(c),
    ...actionsView(c),
    advocate_count: advocateCount,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export type CampaignView = ReturnType<typeof campaignView>;

/** The campaign, or 404 (unknown, or another brand's). */
export async function findCampaign({ q, brand }: Ctx, id: number): Promise<Campaign> {
  const c = await q.campaigns.find(brand.id, id);
  if (!c) throw notFound('campaign');
  return c;
}

const withCount = async (ctx: Ctx, c: Campaign): Promise<CampaignView> =>
  campaignView(ctx, c, await ctx.q.campaigns.advocateCount(ctx.brand.id, c.id));

/** Every campaign of the brand, oldest first (a brand has at most MAX_CAMPAIGNS). */
export async function listCampaigns(ctx: Ctx): Promise<CampaignView[]> {
  const all = await ctx.q.campaigns.list(ctx.brand.id);
  const views: CampaignView[] = [];
  for (const c of all) views.push(await withCount(ctx, c));
  return views;
}

export const getCampaign = async (ctx: Ctx, id: number): Promise<CampaignView> => withCount(ctx, await findCampaign(ctx, id));

async function checkName(ctx: Ctx, name: string, self?: number): Promise<void> {
  const holder = await ctx.q.campaigns.idByName(ctx.brand.id, name);
  if (holder !== undefined && holder !== self) {
    throw new ApiError(409, 'campaign_name_taken', `A campaign named "${name}" exists (id ${holder})`, [{ field: 'name', message: 'is taken' }]);
  }
}

/** A new campaign: the rules given, the others as the brand's default campaign has them now. */
export async function createCampaign(ctx: Ctx, req: CreateCampaignRequest): Promise<CampaignView> {
  const { q, brand, now } = ctx;
  // Across collector processes, the checks and the write are one step per brand.
  await q.locks.hold({ campaignsOf: brand.id });
  if (await q.campaigns.count(brand.id) >= MAX_CAMPAIGNS) {
    throw new ApiError(409, 'campaign_limit', `A brand has at most ${MAX_CAMPAIGNS} campaigns (archived ones count): change one instead`);
  }
  await checkName(ctx, req.name);
  const problems: ErrorDetail[] = [];
  // The default campaign as committed now (under the lock), not as the brand was cached.
  const base = await q.campaigns.find(brand.id, brand.defaultCampaignId) ?? brand;
  const rules = { ...applyProgramme(problems, base, req), ...applyActions(problems, base, req) };
  refuseProblems(problems);
  const id = await q.campaigns.insert(brand.id, { name: req.name, status: 'active', signup: req.signup ?? 'closed', ...rules }, now.toISOString());
  // Cached brands carry the longest attribution window.
  await q.brands.campaignsChanged();
  const view = await getCampaign(ctx, id);
  await publish(ctx, 'campaign.created', () => view);
  return view;
}

/**
 * Changes the fields given. The default campaign cannot be archived (its advocates and new ones need it); its rules
 * are also the settings' programme fields.
 */
export async function updateCampaign(ctx: Ctx, id: number, req: UpdateCampaignRequest): Promise<CampaignView> {
  const { q, brand, now } = ctx;
  await q.locks.hold({ campaignsOf: brand.id });
  const current = await findCampaign(ctx, id);
  if (req.name !== undefined) await checkName(ctx, req.name, id);
  if (req.status === 'archived' && id === brand.defaultCampaignId) {
    throw new ApiError(409, 'default_campaign', 'The default campaign cannot be archived: its advocates and every new one belong to it',
      [{ field: 'status', message: 'the default campaign stays active' }]);
  }
  const problems: ErrorDetail[] = [];
  const rules = { ...applyProgramme(problems, current, req), ...applyActions(problems, current, req) };
  refuseProblems(problems);
  await q.campaigns.update(brand.id, id, { name: req.name ?? current.name, status: req.status ?? current.status, signup: req.signup ?? current.signup, ...rules }, now.toISOString());
  // Cached brands carry the default campaign's rules and the longest attribution window.
  await q.brands.campaignsChanged();
  const view = await getCampaign(ctx, id);
  // Archiving (and bringing back) is a change of status: campaign.updated, its status says which.
  await publish(ctx, 'campaign.updated', () => view);
  return view;
}

/** The campaign an advocate is put in: one of the brand's, active (an archived one takes no one new). */
export async function joinableCampaign(ctx: Ctx, id: number, field = 'campaign_id'): Promise<number> {
  // Under the lock an archive takes: across collector processes, no advocate joins a campaign being archived.
  await ctx.q.locks.hold({ campaignsOf: ctx.brand.id });
  const c = await ctx.q.campaigns.find(ctx.brand.id, id);
  if (!c) throw badField(field, `no campaign ${id} in this brand`);
  if (c.status !== 'active') throw badField(field, `campaign ${id} is archived: it takes no advocate`);
  return c.id;
}
