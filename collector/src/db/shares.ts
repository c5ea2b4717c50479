// Queries for shares (migration 015): an advocate sharing their link on a channel, counted on the code like a click.
import type { Conn } from './port.ts';

export interface ShareRecord {
  id: number;
  advocateId: number;
  code: string;
  channel: string;
  campaignId: number;
  createdAt: string;
}

export function createShareQueries(db: Conn) {
  const insert = db.prepare(
    `INSERT INTO shares (brand_id, advocate_id, code, channel, campaign_id, created_at)
     VALUES (@brandId, @advocateId, @code, @channel, @campaignId, @createdAt)`,
  );
  return {
    async insert(brandId: string, s: Omit<ShareRecord, 'id'>): Promise<number> {
      return Number((await insert.run({ brandId, ...s })).lastInsertRowid);
    },
  };
}
