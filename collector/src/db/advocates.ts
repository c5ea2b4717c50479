// Queries for advocates (the referrers) and their referral codes.
import type { Db } from './open.ts';

export interface Advocate {
  id: number;
  brandId: string;
  email: string;
  name: string;
  code: string;
  status: 'active' | 'inactive';
}

const COLUMNS = 'id, brand_id AS brandId, email, name, code, status';

export function createAdvocateQueries(db: Db) {
  const insert = db.prepare(
    `INSERT INTO advocates (brand_id, email, name, code, created_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const byCode = db.prepare(`SELECT ${COLUMNS} FROM advocates WHERE brand_id = ? AND code = ?`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM advocates WHERE brand_id = ? AND id = ?`);
  const setStatus = db.prepare(`UPDATE advocates SET status = ? WHERE brand_id = ? AND id = ?`);
  return {
    insert(brandId: string, email: string, name: string, code: string, now: string): number {
      return Number(insert.run(brandId, email, name, code, now).lastInsertRowid);
    },
    /** `code` must already be normalised (see domain/codes.ts). */
    findByCode: (brandId: string, code: string) => byCode.get(brandId, code) as Advocate | undefined,
    findById: (brandId: string, id: number) => byId.get(brandId, id) as Advocate | undefined,
    setStatus(brandId: string, id: number, status: Advocate['status']): void {
      setStatus.run(status, brandId, id);
    },
  };
}
