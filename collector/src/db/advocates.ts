// Queries for advocates (the referrers) and their referral codes (an advocate may have several).
import type { Conn } from './port.ts';

export type AdvocateStatus = 'active' | 'pending' | 'blocked';

/** An advocate as seen through one of its codes: the code looked up, or its primary code. */
export interface Advocate {
  id: number;
  brandId: string;
  email: string;
  name: string;
  status: AdvocateStatus;
  referredBy: number | null;
  /** the campaign whose rules the advocate's referrals follow (db/campaigns.ts) */
  campaignId: number;
  /** the code this advocate was found by (findByCode), or its primary code: the oldest active one */
  code: string;
  /** whether that code is active (a deactivated code, like a blocked advocate, attributes nothing) */
  codeActive: boolean;
}

export type CodeStatus = 'active' | 'inactive';

export interface ReferralCode {
  id: number;
  advocateId: number;
  code: string;
  status: CodeStatus;
  clickCount: number;
  createdAt: string;
  deactivatedAt: string | null;
}

export interface NewAdvocate {
  email: string;
  name: string;
  status: AdvocateStatus;
  tier: string | null;
  /** JSON text */
  metadata: string | null;
  referredBy: number | null;
  /** how the advocate is paid (schemas/advocates.ts lists the methods) and where: the PayPal email, an IBAN, ... */
  paymentMethod: string | null;
  paymentDetails: string | null;
  /** the campaign whose rules the advocate's referrals follow */
  campaignId: number;
}

/** The advocate's own row, without its codes: what PATCH changes. */
export type AdvocateRecord = NewAdvocate & { id: number };

/** An advocate another one referred, as the referrer's page lists it. */
export interface ReferredAdvocate { id: number; name: string; email: string; status: AdvocateStatus; createdAt: string }

const RECORD = `id, email, name, status, tier, metadata, referred_by AS referredBy, payment_method AS paymentMethod,
  payment_details AS paymentDetails, campaign_id AS campaignId`;
const CODE = `id, advocate_id AS advocateId, code, status, click_count AS clickCount, created_at AS createdAt,
  deactivated_at AS deactivatedAt`;

// 1 or 0 on both engines (a comparison is a boolean on PostgreSQL).
const CODE_ACTIVE = `CASE WHEN c.status = 'active' THEN 1 ELSE 0 END AS codeActive`;

const FIELDS = `a.id, a.brand_id AS brandId, a.email, a.name, a.status, a.referred_by AS referredBy, a.campaign_id AS campaignId`;

export function createAdvocateQueries(db: Conn) {
  const insert = db.prepare(
    `INSERT INTO advocates (brand_id, email, name, status, tier, metadata, referred_by, payment_method, payment_details,
       campaign_id, created_at, updated_at)
     VALUES (@brandId, @email, @name, @status, @tier, @metadata, @referredBy, @paymentMethod, @paymentDetails, @campaignId, @now, @now)`,
  );
  const insertCode = db.prepare(
    `INSERT INTO referral_codes (brand_id, advocate_id, code, created_at) VALUES (?, ?, ?, ?)`,
  );
  const byCode = db.prepare(
    `SELECT ${FIELDS}, c.code, ${CODE_ACTIVE}
     FROM referral_codes c JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id
     WHERE c.brand_id = ? AND c.code = ?`,
  );
  const byId = db.prepare(
    `SELECT ${FIELDS}, c.code, ${CODE_ACTIVE}
     FROM advocates a JOIN referral_codes c ON c.brand_id = a.brand_id AND c.advocate_id = a.id
     WHERE a.brand_id = ? AND a.id = ?
     ORDER BY c.status = 'active' DESC, c.id LIMIT 1`,
  );
  const setStatus = db.prepare(`UPDATE advocates SET status = ?, updated_at = ? WHERE brand_id = ? AND id = ?`);
  const countClick = db.prepare(`UPDATE referral_codes SET click_count = click_count + 1 WHERE brand_id = ? AND code = ?`);
  const countShare = db.prepare(`UPDATE referral_codes SET share_count = share_count + 1 WHERE brand_id = ? AND code = ?`);
  // An advocate's clicks and shares over all their codes (referral_codes_advocate: a few rows).
  const clickTotal = db.prepare(`SELECT coalesce(sum(click_count), 0) FROM referral_codes WHERE brand_id = ? AND advocate_id = ?`, { pluck: true });
  const shareTotal = db.prepare(`SELECT coalesce(sum(share_count), 0) FROM referral_codes WHERE brand_id = ? AND advocate_id = ?`, { pluck: true });
  const record = db.prepare(`SELECT ${RECORD} FROM advocates WHERE brand_id = ? AND id = ?`);
  const idByEmail = db.prepare(`SELECT id FROM advocates WHERE brand_id = ? AND email = ?`, { pluck: true });
  const update = db.prepare(
    `UPDATE advocates SET email = @email, name = @name, status = @status, tier = @tier, metadata = @metadata,
       referred_by = @referredBy, payment_method = @paymentMethod, payment_details = @paymentDetails, campaign_id = @campaignId,
       updated_at = @now
     WHERE brand_id = @brandId AND id = @id`,
  );
  const code = db.prepare(`SELECT ${CODE} FROM referral_codes WHERE brand_id = ? AND code = ?`);
  const codesOf = db.prepare(`SELECT ${CODE} FROM referral_codes WHERE brand_id = ? AND advocate_id = ? ORDER BY id`);
  const setCodeStatus = db.prepare(
    `UPDATE referral_codes SET status = ?, deactivated_at = ? WHERE brand_id = ? AND code = ?`,
  );
  // ---- dashboard (advocate page): the advocates this one referred, newest first, by keyset; served by
  // advocates_referred_by (brand_id, referred_by), whose entries are in id order within one referrer.
  const referredBy = db.prepare(
    `SELECT id, name, email, status, created_at AS createdAt FROM advocates
     WHERE brand_id = ? AND referred_by = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  );
  const toAdvocate = (row: (Omit<Advocate, 'codeActive'> & { codeActive: number }) | undefined): Advocate | undefined =>
    row && { ...row, codeActive: row.codeActive === 1 };
  return {
    async insert(brandId: string, a: NewAdvocate, now: string): Promise<number> {
      return Number((await insert.run({ brandId, ...a, now })).lastInsertRowid);
    },
    /** `code` must already be normalised (domain/identity.ts). Throws on a code the brand already has. */
    async insertCode(brandId: string, advocateId: number, code: string, now: string): Promise<number> {
      return Number((await insertCode.run(brandId, advocateId, code, now)).lastInsertRowid);
    },
    /** `code` must already be normalised (domain/identity.ts). */
    findByCode: async (brandId: string, code: string) => toAdvocate(await byCode.get(brandId, code) as never),
    findById: async (brandId: string, id: number) => toAdvocate(await byId.get(brandId, id) as never),
    async setStatus(brandId: string, id: number, status: AdvocateStatus, now = new Date().toISOString()): Promise<void> {
      await setStatus.run(status, now, brandId, id);
    },
    findRecord: async (brandId: string, id: number) => await record.get(brandId, id) as AdvocateRecord | undefined,
    /** `email` must already be normalised. */
    idByEmail: async (brandId: string, email: string) => await idByEmail.get(brandId, email) as number | undefined,
    /** Writes every changeable field as given. */
    async update(brandId: string, a: AdvocateRecord, now: string): Promise<void> {
      await update.run({ brandId, ...a, now });
    },
    /** `code` must already be normalised. */
    findCode: async (brandId: string, value: string) => await code.get(brandId, value) as ReferralCode | undefined,
    /** The advocate's codes, oldest first. */
    codesOf: async (brandId: string, advocateId: number) => await codesOf.all(brandId, advocateId) as ReferralCode[],
    /** `deactivatedAt`: when an inactive code stopped attributing; null for an active one. */
    async setCodeStatus(brandId: string, value: string, status: CodeStatus, deactivatedAt: string | null): Promise<void> {
      await setCodeStatus.run(status, deactivatedAt, brandId, value);
    },
    /** ---- dashboard: at most `limit` advocates referred by `referrerId` with ids below `before`, newest first. */
    referredBy: async (brandId: string, referrerId: number, before: number, limit: number) =>
      await referredBy.all(brandId, referrerId, before, limit) as ReferredAdvocate[],
    /** One more click on a referral link with this code. */
    async countClick(brandId: string, code: string): Promise<void> {
      await countClick.run(brandId, code);
    },
    async countShare(brandId: string, code: string): Promise<void> {
      await countShare.run(brandId, code);
    },
    clickTotal: async (brandId: string, advocateId: number): Promise<number> => Number(await clickTotal.get(brandId, advocateId)),
    shareTotal: async (brandId: string, advocateId: number): Promise<number> => Number(await shareTotal.get(brandId, advocateId)),
  };
}
