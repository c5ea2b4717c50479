// Queries for brands, their settings and their API keys.
import type { Conn } from './port.ts';
import type { KeyKind } from '../domain/keys.ts';

export type Plan = 'starter' | 'growth' | 'premier';

/**
 * A campaign's rules (db/campaigns.ts): what the referee is offered and what the advocates who refer earn. A brand's
 * own fields of these names are its default campaign's.
 */
export interface Programme {
  attributionWindowDays: number;
  refereeDiscountType: 'percentage' | 'fixed';
  /** basis points for a percentage, cents for a fixed amount */
  refereeDiscountValue: number;
  referrerRewardType: 'percentage' | 'fixed' | 'points';
  /** basis points for a percentage, cents for fixed, whole points for points */
  referrerRewardValue: number;
  coolingPeriodDays: number;
  /** the reward of the advocate who referred the referrer (level 2); 'none' turns level 2 off */
  level2RewardType: 'none' | 'percentage' | 'fixed' | 'points';
  level2RewardValue: number;
}

/** An action reward's kind: nothing, a fixed amount (cents) or points. */
export type ActionRewardType = 'none' | 'fixed' | 'points';

/**
 * A campaign's rewards for the actions other than a referred purchase (003_*'s reward_action_type 2-4): a referred
 * enrolment, and a number of clicks or shares reached on the advocate's codes (once, or at every multiple).
 */
export interface ActionRules {
  enrolmentRewardType: ActionRewardType;
  enrolmentRewardValue: number;
  clicksRewardType: ActionRewardType;
  clicksRewardValue: number;
  clicksThreshold: number;
  clicksRewardRepeats: boolean;
  sharesRewardType: ActionRewardType;
  sharesRewardValue: number;
  sharesThreshold: number;
  sharesRewardRepeats: boolean;
}

/** Every rule of a campaign. */
export type CampaignRules = Programme & ActionRules;

/** The action rules of a row read with the snake_case column names (brands' join, campaigns' own read). */
export const actionRulesOf = (r: ActionRuleRow): ActionRules => ({
  enrolmentRewardType: r.enrolment_reward_type,
  enrolmentRewardValue: Number(r.enrolment_reward_value),
  clicksRewardType: r.clicks_reward_type,
  clicksRewardValue: Number(r.clicks_reward_value),
  clicksThreshold: Number(r.clicks_threshold),
  clicksRewardRepeats: Number(r.clicks_reward_repeats) === 1,
  sharesRewardType: r.shares_reward_type,
  sharesRewardValue: Number(r.shares_reward_value),
  sharesThreshold: Number(r.shares_threshold),
  sharesRewardRepeats: Number(r.shares_reward_repeats) === 1,
});

export interface ActionRuleRow {
  enrolment_reward_type: ActionRewardType; enrolment_reward_value: number;
  clicks_reward_type: ActionRewardType; clicks_reward_value: number; clicks_threshold: number; clicks_reward_repeats: number;
  shares_reward_type: ActionRewardType; shares_reward_value: number; shares_threshold: number; shares_reward_repeats: number;
}

const ACTION_RULE_NAMES: Array<keyof ActionRuleRow> = ['enrolment_reward_type', 'enrolment_reward_value', 'clicks_reward_type',
  'clicks_reward_value', 'clicks_threshold', 'clicks_reward_repeats', 'shares_reward_type', 'shares_reward_value', 'shares_threshold',
  'shares_reward_repeats'];

/** The action rules' columns of campaigns, for a select list (`c.` before each with a table alias). */
export const actionRuleColumns = (alias = ''): string => ACTION_RULE_NAMES.map((n) => `${alias}${n}`).join(', ');

export interface Brand extends CampaignRules {
  id: string;
  name: string;
  plan: Plan;
  currency: string;
  allowedOrigins: string[];
  attributionModel: 'first_touch' | 'last_touch';
  /** the campaign of advocates not moved to another one; its rules are this brand's Programme fields */
  defaultCampaignId: number;
  /** the longest attribution window of the brand's campaigns: how far back a conversion looks for claims and visits */
  longestWindowDays: number;
  /** whether an advocate's points balance may go below zero */
  allowNegativePoints: boolean;
  /** cents: an advocate whose payout subtotal is below it rolls over to the next run */
  minPayout: number;
  /** visits older than this many days are deleted (jobs/retention.ts); null keeps them */
  visitRetentionDays: number | null;
  /** a visit sent with `Sec-GPC: 1` (Global Privacy Control) is not recorded */
  respectGpc: boolean;
  /** single sign-on: a recognised customer with no mapping but an email becomes (or is tied to) an advocate */
  ssoAutoEnrol: boolean;
}

interface BrandRow extends ActionRuleRow {
  id: string; name: string; plan: Plan; currency: string; allowed_origins: string;
  attribution_model: Brand['attributionModel']; attribution_window_days: number;
  referee_discount_type: Brand['refereeDiscountType']; referee_discount_value: number;
  referrer_reward_type: Brand['referrerRewardType']; referrer_reward_value: number;
  cooling_period_days: number;
  level2_reward_type: Brand['level2RewardType']; level2_reward_value: number; allow_negative_points: number;
  min_payout: number; visit_retention_days: number | null; respect_gpc: number; sso_auto_enrol: number; default_campaign_id: number;
  longest_window_days: number;
}

const toBrand = (r: BrandRow): Brand => ({
  id: r.id,
  name: r.name,
  plan: r.plan,
  currency: r.currency,
  allowedOrigins: JSON.parse(r.allowed_origins) as string[],
  attributionModel: r.attribution_model,
  attributionWindowDays: r.attribution_window_days,
  refereeDiscountType: r.referee_discount_type,
  refereeDiscountValue: r.referee_discount_value,
  referrerRewardType: r.referrer_reward_type,
  referrerRewardValue: r.referrer_reward_value,
  coolingPeriodDays: r.cooling_period_days,
  level2RewardType: r.level2_reward_type,
  level2RewardValue: r.level2_reward_value,
  ...actionRulesOf(r),
  allowNegativePoints: r.allow_negative_points === 1,
  minPayout: r.min_payout,
  visitRetentionDays: r.visit_retention_days,
  respectGpc: r.respect_gpc === 1,
  ssoAutoEnrol: Number(r.sso_auto_enrol) === 1,
  defaultCampaignId: Number(r.default_campaign_id),
  longestWindowDays: Number(r.longest_window_days),
});

export interface KeyRecord {
  id: number;
  brandId: string;
  kind: KeyKind;
}

export interface KeyOwner {
  brand: Brand;
  kind: KeyKind;
  keyId: number;
}

/** What `referloop key list` shows of a key: never the key, only its kind prefix and last four characters. */
export interface KeyListing {
  key_id: number;
  name: string;
  kind: KeyKind;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface BrandListing { brand_id: string; name: string; plan: Plan; created_at: string }

/** Bumped by every write to brands or keys made through any query object of the same connection. */
const generations = new WeakMap<Conn, { n: number }>();
function generationOf(db: Conn): { n: number } {
  let g = generations.get(db);
  if (!g) generations.set(db, (g = { n: 0 }));
  return g;
}

const OWNER_CACHE_MAX = 10_000;

export function createBrandQueries(db: Conn) {
  const insertBrand = db.prepare(
    `INSERT INTO brands (id, name, plan, allowed_origins, created_at) VALUES (?, ?, ?, ?, ?)`,
  );
  // A new brand's first campaign, its default, with the programme's defaults (the columns' own).
  const insertDefaultCampaign = db.prepare(`INSERT INTO campaigns (brand_id, name, is_default, created_at, updated_at) VALUES (?, 'Default', 1, ?, ?)`);
  // The brand with its default campaign's rules, in one read.
  const BRAND = `SELECT b.*, c.id AS default_campaign_id, c.attribution_window_days, c.referee_discount_type, c.referee_discount_value, c.referrer_reward_type,
      c.referrer_reward_value, c.cooling_period_days, c.level2_reward_type, c.level2_reward_value,
      ${actionRuleColumns('c.')},
      (SELECT max(w.attribution_window_days) FROM campaigns w WHERE w.brand_id = b.id) AS longest_window_days
    FROM brands b JOIN campaigns c ON c.brand_id = b.id AND c.is_default = 1 WHERE b.id = ?`;
  const selectBrand = db.prepare(BRAND);
  // The same read inside a write job, the brand's row locked until the job's transaction ends on PostgreSQL, where
  // jobs run side by side: another job changing the brand waits, then reads what this one wrote. A SQLite job runs alone.
  // Only the brand's row: the campaign rows take turns on the campaignsOf lock (services/campaigns.ts).
  // FOR NO KEY UPDATE: a row's key is never changed, and the foreign-key checks of inserts that name the brand (an
  // advocate, a campaign: FOR KEY SHARE) must not wait for it, or a settings write holding it and waiting for the
  // campaignsOf lock deadlocks with an advocate's insert made under that lock.
  const selectBrandForUpdate = db.prepare({ sqlite: BRAND, pg: `${BRAND} FOR NO KEY UPDATE OF b` });
  const countBrands = db.prepare('SELECT count(*) FROM brands', { pluck: true });
  // Whether a brand exists, without its campaign's rules (a join PostgreSQL plans anew, about 1 ms, on each of a pooled
  // connection's first executions).
  const brandExists = db.prepare('SELECT 1 FROM brands WHERE id = ?', { pluck: true });
  // The operator's list of every tenant (`referloop brand list`): the one query over all brands.
  const selectBrands = db.prepare('SELECT id AS brand_id, name, plan, created_at FROM brands ORDER BY created_at, id');
  const insertKey = db.prepare(
    `INSERT INTO api_keys (brand_id, kind, name, key_hash, key_hint, secret_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const revokeKey = db.prepare(`UPDATE api_keys SET revoked_at = ? WHERE brand_id = ? AND id = ? AND revoked_at IS NULL`);
  const selectKeys = db.prepare(
    `SELECT id AS key_id, name, kind, key_hint AS prefix, created_at, last_used_at, revoked_at
     FROM api_keys WHERE brand_id = ? ORDER BY id`,
  );
  const selectKeyById = db.prepare(
    `SELECT id AS key_id, name, kind, key_hint AS prefix, created_at, last_used_at, revoked_at
     FROM api_keys WHERE brand_id = ? AND id = ?`,
  );
  const selectActiveKeyByName = db.prepare(
    `SELECT id AS key_id, name, kind, key_hint AS prefix, created_at, last_used_at, revoked_at
     FROM api_keys WHERE brand_id = ? AND name = ? AND revoked_at IS NULL`,
  );
  const selectKey = db.prepare(
    `SELECT id, brand_id AS brandId, kind FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`,
  );
  const selectSealedSecrets = db.prepare(
    `SELECT id, secret_enc AS sealed FROM api_keys WHERE brand_id = ? AND kind = 'secret' AND revoked_at IS NULL ORDER BY id`,
  );
  // Only ever moves forward, so a late write of an older use never hides a newer one.
  const updateLastUsed = db.prepare(
    `UPDATE api_keys SET last_used_at = @at WHERE id = @keyId AND (last_used_at IS NULL OR last_used_at < @at)`,
  );
  const generation = generationOf(db);
  // A write to brands or keys: this connection's cache is emptied at once, the other processes' at COMMIT.
  const changed = async () => {
    generation.n++;
    await db.announceKeyChange();
  };
  // Key -> brand for authentication, the hottest read of all. Valid while neither this connection (generation)
  // nor another process, such as `referloop key rotate` (the engine's keyVersion), has written since it was filled.
  const owners = new Map<string, KeyOwner>();
  let ownersFilledAt = { generation: -1, dataVersion: -1 };
  let version = -1;
  let versionCheckedThisTurn = false;
  const updateSettings = db.prepare(
    `UPDATE brands SET attribution_model = @attributionModel, plan = @plan, allowed_origins = @allowedOrigins, currency = @currency,
       allow_negative_points = @allowNegativePoints, min_payout = @minPayout,
       visit_retention_days = @visitRetentionDays, respect_gpc = @respectGpc, sso_auto_enrol = @ssoAutoEnrol
     WHERE id = @id`,
  );
  const updateDefaultProgramme = db.prepare(
    `UPDATE campaigns SET attribution_window_days = @attributionWindowDays,
       referee_discount_type = @refereeDiscountType, referee_discount_value = @refereeDiscountValue,
       referrer_reward_type = @referrerRewardType, referrer_reward_value = @referrerRewardValue,
       cooling_period_days = @coolingPeriodDays, level2_reward_type = @level2RewardType, level2_reward_value = @level2RewardValue,
       -- the campaign changed only when one of its rules did (the right-hand sides read the row as it was)
       updated_at = CASE WHEN attribution_window_days <> @attributionWindowDays OR referee_discount_type <> @refereeDiscountType
         OR referee_discount_value <> @refereeDiscountValue OR referrer_reward_type <> @referrerRewardType
         OR referrer_reward_value <> @referrerRewardValue OR cooling_period_days <> @coolingPeriodDays
         OR level2_reward_type <> @level2RewardType OR level2_reward_value <> @level2RewardValue THEN @updatedAt ELSE updated_at END
     WHERE id = @defaultCampaignId AND brand_id = @id`,
  );

  return {
    /** A new brand and its default campaign (inside the caller's transaction). */
    async insertBrand(b: { id: string; name: string; plan: Plan; allowedOrigins: string[] }, now: string): Promise<void> {
      await insertBrand.run(b.id, b.name, b.plan, JSON.stringify(b.allowedOrigins), now);
      await insertDefaultCampaign.run(b.id, now, now);
      await changed();
    },
    async getBrand(id: string): Promise<Brand | undefined> {
      const row = await selectBrand.get(id) as BrandRow | undefined;
      return row && toBrand(row);
    },
    /** The brand read in order to change it (inside a write job): no other job changes it until this one ends. */
    async getBrandForUpdate(id: string): Promise<Brand | undefined> {
      const row = await selectBrandForUpdate.get(id) as BrandRow | undefined;
      return row && toBrand(row);
    },
    countBrands: async (): Promise<number> => await countBrands.get() as number,
    brandExists: async (id: string): Promise<boolean> => await brandExists.get(id) !== undefined,
    /**
     * Writes every setting of the brand, its programme fields to its default campaign (the CLI and tests change
     * settings through this).
     */
    async saveSettings(b: Brand, now: string = new Date().toISOString()): Promise<void> {
      await updateSettings.run({
        id: b.id, attributionModel: b.attributionModel, plan: b.plan, allowedOrigins: JSON.stringify(b.allowedOrigins), currency: b.currency,
        allowNegativePoints: b.allowNegativePoints ? 1 : 0, minPayout: b.minPayout, visitRetentionDays: b.visitRetentionDays,
        respectGpc: b.respectGpc ? 1 : 0, ssoAutoEnrol: b.ssoAutoEnrol ? 1 : 0,
      });
      await updateDefaultProgramme.run({
        id: b.id, defaultCampaignId: b.defaultCampaignId, attributionWindowDays: b.attributionWindowDays,
        refereeDiscountType: b.refereeDiscountType, refereeDiscountValue: b.refereeDiscountValue, referrerRewardType: b.referrerRewardType,
        referrerRewardValue: b.referrerRewardValue, coolingPeriodDays: b.coolingPeriodDays, level2RewardType: b.level2RewardType,
        level2RewardValue: b.level2RewardValue, updatedAt: now,
      });
      await changed();
    },
    /** After a write to campaigns (db/campaigns.ts): cached brands carry their default campaign's rules and the longest window. */
    campaignsChanged: changed,
    listBrands: async (): Promise<BrandListing[]> => await selectBrands.all() as BrandListing[],
    async insertKey(k: { brandId: string; kind: KeyKind; name: string; keyHash: string; hint: string; sealed: string | null }, now: string): Promise<number> {
      const id = Number((await insertKey.run(k.brandId, k.kind, k.name, k.keyHash, k.hint, k.sealed, now)).lastInsertRowid);
      await changed();
      return id;
    },
    /** false when the brand has no such active key. */
    async revokeKey(brandId: string, keyId: number, now: string): Promise<boolean> {
      const revoked = (await revokeKey.run(now, brandId, keyId)).changes === 1;
      await changed();
      return revoked;
    },
    listKeys: async (brandId: string): Promise<KeyListing[]> => await selectKeys.all(brandId) as KeyListing[],
    getKey: async (brandId: string, keyId: number): Promise<KeyListing | undefined> => await selectKeyById.get(brandId, keyId) as KeyListing | undefined,
    activeKeyNamed: async (brandId: string, name: string): Promise<KeyListing | undefined> =>
      await selectActiveKeyByName.get(brandId, name) as KeyListing | undefined,
    /** Last uses as they stand in memory (see services/keyUsage.ts); not a change of who owns a key, so no cache reset. */
    async recordKeyUses(uses: Iterable<[keyId: number, at: string]>): Promise<void> {
      for (const [keyId, at] of uses) await updateLastUsed.run({ keyId, at });
    },
    /**
     * The brand and kind of an active key, by its hash; cached (unknown keys are not). The one lookup that does
     * not filter by brand: it is how the brand is found from a key.
     */
    async findKeyOwner(keyHash: string): Promise<KeyOwner | undefined> {
      // Other processes' commits are looked for once per turn of the event loop: requests that arrived
      // together see the same state, and any request after a rotation sees it.
      if (!versionCheckedThisTurn) {
        versionCheckedThisTurn = true;
        setImmediate(() => { versionCheckedThisTurn = false; });
        version = await db.keyVersion();
      }
      if (version !== ownersFilledAt.dataVersion || generation.n !== ownersFilledAt.generation || owners.size >= OWNER_CACHE_MAX) {
        owners.clear();
        ownersFilledAt = { generation: generation.n, dataVersion: version };
      }
      const cached = owners.get(keyHash);
      if (cached) return cached;
      const record = await selectKey.get(keyHash) as KeyRecord | undefined;
      const row = record && (await selectBrand.get(record.brandId) as BrandRow | undefined);
      if (!record || !row) return undefined;
      const owner = { brand: toBrand(row), kind: record.kind, keyId: record.id };
      owners.set(keyHash, owner);
      return owner;
    },
    /** The sealed copies of the brand's active secret keys, oldest first (the /convert webhook's HMAC secrets). */
    sealedSecrets: async (brandId: string): Promise<Array<{ id: number; sealed: string }>> =>
      await selectSealedSecrets.all(brandId) as Array<{ id: number; sealed: string }>,
  };
}
