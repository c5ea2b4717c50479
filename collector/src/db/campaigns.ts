// Queries for campaigns (migration 014): a brand's sets of programme rules; every advocate belongs to one.
import { actionRuleColumns, type CampaignRules } from './brands.ts';
import type { Conn } from './port.ts';

export type CampaignStatus = 'active' | 'archived';
/** Self sign-up from the campaign's public page (migration 024): nobody, as pending advocates, or as active ones. */
export type CampaignSignup = 'closed' | 'approval' | 'open';

export interface Campaign extends CampaignRules {
  id: number;
  brandId: string;
  name: string;
  status: CampaignStatus;
  signup: CampaignSignup;
  createdAt: string;
  updatedAt: string;
}

/** A campaign as written: its name, status and rules. */
export type CampaignFields = Pick<Campaign, 'name' | 'status' | 'signup'> & CampaignRules;

const COLUMNS = `id, brand_id AS brandId, name, status, signup, attribution_window_days AS attributionWindowDays,
  referee_discount_type AS refereeDiscountType, referee_discount_value AS refereeDiscountValue,
  referrer_reward_type AS referrerRewardType, referrer_reward_value AS referrerRewardValue,
  cooling_period_days AS coolingPeriodDays, level2_reward_type AS level2RewardType, level2_reward_value AS level2RewardValue,
  created_at AS createdAt, updated_at AS updatedAt, enrolment_reward_type AS enrolmentRewardType,
  enrolment_reward_value AS enrolmentRewardValue, clicks_reward_type AS clicksRewardType, clicks_reward_value AS clicksRewardValue,
  clicks_threshold AS clicksThreshold, clicks_reward_repeats AS clicksRewardRepeats, shares_reward_type AS sharesRewardType,
  shares_reward_value AS sharesRewardValue, shares_threshold AS sharesThreshold, shares_reward_repeats AS sharesRewardRepeats`;

const ACTION_PARAMS = '@enrolmentRewardType, @enrolmentRewardValue, @clicksRewardType, @clicksRewardValue, @clicksThreshold, '
  + '@clicksRewardRepeats, @sharesRewardType, @sharesRewardValue, @sharesThreshold, @sharesRewardRepeats';

/** How many campaigns a brand may have (the list is answered whole, and cached brands carry none of them). */
export const MAX_CAMPAIGNS = 100;

export function createCampaignQueries(db: Conn) {
  const list = db.prepare(`SELECT ${COLUMNS} FROM campaigns WHERE brand_id = ? ORDER BY id`);
  const find = db.prepare(`SELECT ${COLUMNS} FROM campaigns WHERE brand_id = ? AND id = ?`);
  const findByName = db.prepare(`SELECT id FROM campaigns WHERE brand_id = ? AND name = ?`, { pluck: true });
  const count = db.prepare(`SELECT count(*) FROM campaigns WHERE brand_id = ?`, { pluck: true });
  const insert = db.prepare(
    `INSERT INTO campaigns (brand_id, name, status, signup, attribution_window_days, referee_discount_type, referee_discount_value,
       referrer_reward_type, referrer_reward_value, cooling_period_days, level2_reward_type, level2_reward_value, created_at, updated_at,
       ${actionRuleColumns()})
     VALUES (@brandId, @name, @status, @signup, @attributionWindowDays, @refereeDiscountType, @refereeDiscountValue, @referrerRewardType,
       @referrerRewardValue, @coolingPeriodDays, @level2RewardType, @level2RewardValue, @now, @now, ${ACTION_PARAMS})`,
  );
  const update = db.prepare(
    `UPDATE campaigns SET name = @name, status = @status, signup = @signup, attribution_window_days = @attributionWindowDays,
       referee_discount_type = @refereeDiscountType, referee_discount_value = @refereeDiscountValue,
       referrer_reward_type = @referrerRewardType, referrer_reward_value = @referrerRewardValue,
       cooling_period_days = @coolingPeriodDays, level2_reward_type = @level2RewardType, level2_reward_value = @level2RewardValue,
       enrolment_reward_type = @enrolmentRewardType, enrolment_reward_value = @enrolmentRewardValue,
       clicks_reward_type = @clicksRewardType, clicks_reward_value = @clicksRewardValue, clicks_threshold = @clicksThreshold,
       clicks_reward_repeats = @clicksRewardRepeats, shares_reward_type = @sharesRewardType, shares_reward_value = @sharesRewardValue,
       shares_threshold = @sharesThreshold, shares_reward_repeats = @sharesRewardRepeats,
       updated_at = @now
     WHERE brand_id = @brandId AND id = @id`,
  );
  const advocatesIn = db.prepare(`SELECT count(*) FROM advocates WHERE brand_id = ? AND campaign_id = ?`, { pluck: true });
  type Row = Omit<Campaign, 'clicksRewardRepeats' | 'sharesRewardRepeats'> & { clicksRewardRepeats: number; sharesRewardRepeats: number };
  const toCampaign = (r: Row | undefined): Campaign | undefined => r && {
    ...r, id: Number(r.id), clicksRewardRepeats: Number(r.clicksRewardRepeats) === 1, sharesRewardRepeats: Number(r.sharesRewardRepeats) === 1,
  };
  // Booleans as SQLite and PostgreSQL store them here (0, 1).
  const written = (c: CampaignFields) => ({ ...c, clicksRewardRepeats: c.clicksRewardRepeats ? 1 : 0, sharesRewardRepeats: c.sharesRewardRepeats ? 1 : 0 });

  return {
    list: async (brandId: string): Promise<Campaign[]> => (await list.all(brandId) as Row[]).map((r) => toCampaign(r)!),
    find: async (brandId: string, id: number): Promise<Campaign | undefined> => toCampaign(await find.get(brandId, id) as Row | undefined),
    idByName: async (brandId: string, name: string): Promise<number | undefined> => {
      const id = await findByName.get(brandId, name) as number | undefined;
      return id === undefined ? undefined : Number(id);
    },
    count: async (brandId: string): Promise<number> => Number(await count.get(brandId)),
    async insert(brandId: string, c: CampaignFields, now: string): Promise<number> {
      return Number((await insert.run({ brandId, ...written(c), now })).lastInsertRowid);
    },
    /** Writes every field as given. */
    async update(brandId: string, id: number, c: CampaignFields, now: string): Promise<void> {
      await update.run({ brandId, id, ...written(c), now });
    },
    /** How many advocates the campaign has (served by advocates_campaign). */
    advocateCount: async (brandId: string, id: number): Promise<number> => Number(await advocatesIn.get(brandId, id)),
  };
}
