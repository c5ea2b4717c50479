// Queries for campaigns (migration 014): a brand's sets of programme rules; every advocate belongs to one.
import type { Programme } from './brands.ts';
import type { Conn } from './port.ts';

export type CampaignStatus = 'active' | 'archived';

export interface Campaign extends Programme {
  id: number;
  brandId: string;
  name: string;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

/** A campaign as written: its name, status and rules. */
export type CampaignFields = Pick<Campaign, 'name' | 'status'> & Programme;

const COLUMNS = `id, brand_id AS brandId, name, status, attribution_window_days AS attributionWindowDays,
  referee_discount_type AS refereeDiscountType, referee_discount_value AS refereeDiscountValue,
  referrer_reward_type AS referrerRewardType, referrer_reward_value AS referrerRewardValue,
  cooling_period_days AS coolingPeriodDays, level2_reward_type AS level2RewardType, level2_reward_value AS level2RewardValue,
  created_at AS createdAt, updated_at AS updatedAt`;

/** How many campaigns a brand may have (the list is answered whole, and cached brands carry none of them). */
export const MAX_CAMPAIGNS = 100;

export function createCampaignQueries(db: Conn) {
  const list = db.prepare(`SELECT ${COLUMNS} FROM campaigns WHERE brand_id = ? ORDER BY id`);
  const find = db.prepare(`SELECT ${COLUMNS} FROM campaigns WHERE brand_id = ? AND id = ?`);
  const findByName = db.prepare(`SELECT id FROM campaigns WHERE brand_id = ? AND name = ?`, { pluck: true });
  const count = db.prepare(`SELECT count(*) FROM campaigns WHERE brand_id = ?`, { pluck: true });
  const insert = db.prepare(
    `INSERT INTO campaigns (brand_id, name, status, attribution_window_days, referee_discount_type, referee_discount_value,
       referrer_reward_type, referrer_reward_value, cooling_period_days, level2_reward_type, level2_reward_value, created_at, updated_at)
     VALUES (@brandId, @name, @status, @attributionWindowDays, @refereeDiscountType, @refereeDiscountValue, @referrerRewardType,
       @referrerRewardValue, @coolingPeriodDays, @level2RewardType, @level2RewardValue, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE campaigns SET name = @name, status = @status, attribution_window_days = @attributionWindowDays,
       referee_discount_type = @refereeDiscountType, referee_discount_value = @refereeDiscountValue,
       referrer_reward_type = @referrerRewardType, referrer_reward_value = @referrerRewardValue,
       cooling_period_days = @coolingPeriodDays, level2_reward_type = @level2RewardType, level2_reward_value = @level2RewardValue,
       updated_at = @now
     WHERE brand_id = @brandId AND id = @id`,
  );
  const advocatesIn = db.prepare(`SELECT count(*) FROM advocates WHERE brand_id = ? AND campaign_id = ?`, { pluck: true });
  const toCampaign = (r: Campaign | undefined): Campaign | undefined => r && { ...r, id: Number(r.id) };

  return {
    list: async (brandId: string): Promise<Campaign[]> => (await list.all(brandId) as Campaign[]).map((r) => toCampaign(r)!),
    find: async (brandId: string, id: number): Promise<Campaign | undefined> => toCampaign(await find.get(brandId, id) as Campaign | undefined),
    idByName: async (brandId: string, name: string): Promise<number | undefined> => {
      const id = await findByName.get(brandId, name) as number | undefined;
      return id === undefined ? undefined : Number(id);
    },
    count: async (brandId: string): Promise<number> => Number(await count.get(brandId)),
    async insert(brandId: string, c: CampaignFields, now: string): Promise<number> {
      return Number((await insert.run({ brandId, ...c, now })).lastInsertRowid);
    },
    /** Writes every field as given. */
    async update(brandId: string, id: number, c: CampaignFields, now: string): Promise<void> {
      await update.run({ brandId, id, ...c, now });
    },
    /** How many advocates the campaign has (served by advocates_campaign). */
    advocateCount: async (brandId: string, id: number): Promise<number> => Number(await advocatesIn.get(brandId, id)),
  };
}
