// Queries for the rewards catalogue (migration 017): what a brand's advocates may spend points on. Not `rewards`
// (db/rewards.ts: the commissions an advocate earned).
import type { Conn } from './port.ts';

export type CatalogueRewardType = 'discount_code' | 'gift_card' | 'product' | 'custom';
export type CatalogueRewardStatus = 'active' | 'archived';

export interface CatalogueReward {
  id: number;
  name: string;
  description: string | null;
  pointsCost: number;
  type: CatalogueRewardType;
  /** units left; null: unlimited */
  stock: number | null;
  status: CatalogueRewardStatus;
  createdAt: string;
  updatedAt: string;
}

/** A catalogue reward as written. */
export type CatalogueRewardFields = Pick<CatalogueReward, 'name' | 'description' | 'pointsCost' | 'type' | 'stock' | 'status'>;

export interface CatalogueFilter { status?: CatalogueRewardStatus | undefined; type?: CatalogueRewardType | undefined }

/** How many catalogue rewards a brand may have (archived ones count): the list is answered whole. */
export const MAX_CATALOGUE_REWARDS = 500;

const COLUMNS = `id, name, description, points_cost AS pointsCost, type, stock, status, created_at AS createdAt, updated_at AS updatedAt`;

export function createCatalogueRewardQueries(db: Conn) {
  // One statement per combination of the list's filters, each on the index of its first equality (migration 017).
  const lists = {
    all: db.prepare(`SELECT ${COLUMNS} FROM catalogue_rewards WHERE brand_id = @brandId ORDER BY id`),
    status: db.prepare(`SELECT ${COLUMNS} FROM catalogue_rewards WHERE brand_id = @brandId AND status = @status ORDER BY id`),
    type: db.prepare(`SELECT ${COLUMNS} FROM catalogue_rewards WHERE brand_id = @brandId AND type = @type ORDER BY id`),
    both: db.prepare(`SELECT ${COLUMNS} FROM catalogue_rewards WHERE brand_id = @brandId AND type = @type AND status = @status ORDER BY id`),
  };
  const find = db.prepare(`SELECT ${COLUMNS} FROM catalogue_rewards WHERE brand_id = ? AND id = ?`);
  const count = db.prepare(`SELECT count(*) FROM catalogue_rewards WHERE brand_id = ?`, { pluck: true });
  const insert = db.prepare(
    `INSERT INTO catalogue_rewards (brand_id, name, description, points_cost, type, stock, status, created_at, updated_at)
     VALUES (@brandId, @name, @description, @pointsCost, @type, @stock, @status, @now, @now)`);
  const update = db.prepare(
    `UPDATE catalogue_rewards SET name = @name, description = @description, points_cost = @pointsCost, type = @type, stock = @stock,
       status = @status, updated_at = @now
     WHERE brand_id = @brandId AND id = @id`);
  // A unit taken (none when the stock is unlimited) or given back; the condition keeps the stock at zero or above.
  const takeUnit = db.prepare(
    `UPDATE catalogue_rewards SET stock = stock - 1, updated_at = ? WHERE brand_id = ? AND id = ? AND stock IS NOT NULL AND stock > 0`);
  const returnUnit = db.prepare(
    `UPDATE catalogue_rewards SET stock = stock + 1, updated_at = ? WHERE brand_id = ? AND id = ? AND stock IS NOT NULL`);
  const toReward = (r: CatalogueReward): CatalogueReward => ({
    ...r, id: Number(r.id), pointsCost: Number(r.pointsCost), stock: r.stock === null ? null : Number(r.stock),
  });

  return {
    /** The brand's catalogue (at most MAX_CATALOGUE_REWARDS), oldest first. */
    async list(brandId: string, f: CatalogueFilter): Promise<CatalogueReward[]> {
      const s = f.status && f.type ? lists.both : f.status ? lists.status : f.type ? lists.type : lists.all;
      const params = { brandId, ...(f.status ? { status: f.status } : {}), ...(f.type ? { type: f.type } : {}) };
      return (await s.all(params) as CatalogueReward[]).map(toReward);
    },
    find: async (brandId: string, id: number): Promise<CatalogueReward | undefined> => {
      const r = await find.get(brandId, id) as CatalogueReward | undefined;
      return r && toReward(r);
    },
    count: async (brandId: string): Promise<number> => Number(await count.get(brandId)),
    insert: async (brandId: string, r: CatalogueRewardFields, now: string): Promise<number> =>
      Number((await insert.run({ brandId, ...r, now })).lastInsertRowid),
    /** Writes every field as given. */
    async update(brandId: string, id: number, r: CatalogueRewardFields, now: string): Promise<void> {
      await update.run({ brandId, id, ...r, now });
    },
    /** Takes one unit of a limited stock: false when none is left (an unlimited stock is not touched: also false). */
    takeUnit: async (brandId: string, id: number, now: string): Promise<boolean> => (await takeUnit.run(now, brandId, id)).changes === 1,
    /** Gives one unit back to a limited stock (a cancelled redemption's). */
    async returnUnit(brandId: string, id: number, now: string): Promise<void> {
      await returnUnit.run(now, brandId, id);
    },
  };
}
