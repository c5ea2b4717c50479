// Queries for advocates (the referrers) and their referral codes (an advocate may have several).
import type { Db } from './open.ts';

export type AdvocateStatus = 'active' | 'pending' | 'blocked';

/** An advocate as seen through one of its codes: the code looked up, or its primary code. */
export interface Advocate {
  id: number;
  brandId: string;
  email: string;
  name: string;
  status: AdvocateStatus;
  referredBy: number | null;
  /** the code this advocate was found by (findByCode), or its primary code: the oldest active one */
  code: string;
  /** whether that code is active (a deactivated code, like a blocked advocate, attributes nothing) */
  codeActive: boolean;
}

export interface NewAdvocate {
  email: string;
  name: string;
  status: AdvocateStatus;
  tier: string | null;
  metadata: string | null;
  referredBy: number | null;
}

const FIELDS = `a.id, a.brand_id AS brandId, a.email, a.name, a.status, a.referred_by AS referredBy`;

export function createAdvocateQueries(db: Db) {
  const insert = db.prepare(
    `INSERT INTO advocates (brand_id, email, name, status, tier, metadata, referred_by, created_at, updated_at)
     VALUES (@brandId, @email, @name, @status, @tier, @metadata, @referredBy, @now, @now)`,
  );
  const insertCode = db.prepare(
    `INSERT INTO referral_codes (brand_id, advocate_id, code, created_at) VALUES (?, ?, ?, ?)`,
  );
  const byCode = db.prepare(
    `SELECT ${FIELDS}, c.code, c.status = 'active' AS codeActive
     FROM referral_codes c JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id
     WHERE c.brand_id = ? AND c.code = ?`,
  );
  const byId = db.prepare(
    `SELECT ${FIELDS}, c.code, c.status = 'active' AS codeActive
     FROM advocates a JOIN referral_codes c ON c.brand_id = a.brand_id AND c.advocate_id = a.id
     WHERE a.brand_id = ? AND a.id = ?
     ORDER BY c.status = 'active' DESC, c.id LIMIT 1`,
  );
  const setStatus = db.prepare(`UPDATE advocates SET status = ?, updated_at = ? WHERE brand_id = ? AND id = ?`);
  const countClick = db.prepare(`UPDATE referral_codes SET click_count = click_count + 1 WHERE brand_id = ? AND code = ?`);
  const toAdvocate = (row: (Omit<Advocate, 'codeActive'> & { codeActive: number }) | undefined): Advocate | undefined =>
    row && { ...row, codeActive: row.codeActive === 1 };
  return {
    insert(brandId: string, a: NewAdvocate, now: string): number {
      return Number(insert.run({ brandId, ...a, now }).lastInsertRowid);
    },
    /** `code` must already be normalised (domain/identity.ts). Throws on a code the brand already has. */
    insertCode(brandId: string, advocateId: number, code: string, now: string): number {
      return Number(insertCode.run(brandId, advocateId, code, now).lastInsertRowid);
    },
    /** `code` must already be normalised (domain/identity.ts). */
    findByCode: (brandId: string, code: string) => toAdvocate(byCode.get(brandId, code) as never),
    findById: (brandId: string, id: number) => toAdvocate(byId.get(brandId, id) as never),
    setStatus(brandId: string, id: number, status: AdvocateStatus, now = new Date().toISOString()): void {
      setStatus.run(status, now, brandId, id);
    },
    /** One more click on a referral link with this code. */
    countClick(brandId: string, code: string): void {
      countClick.run(brandId, code);
    },
  };
}
