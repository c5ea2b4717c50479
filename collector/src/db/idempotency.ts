// Queries for stored answers to requests sent with an Idempotency-Key header.
import type { Conn } from './port.ts';

export interface StoredAnswer {
  endpoint: string;
  requestHash: string;
  status: number;
  response: string;
}

export function createIdempotencyQueries(db: Conn) {
  const select = db.prepare(
    `SELECT endpoint, request_hash AS requestHash, status, response FROM idempotency_keys
     WHERE brand_id = ? AND key = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO idempotency_keys (brand_id, key, endpoint, request_hash, status, response, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    find: async (brandId: string, key: string) => await select.get(brandId, key) as StoredAnswer | undefined,
    async save(brandId: string, key: string, a: StoredAnswer, now: string): Promise<void> {
      await insert.run(brandId, key, a.endpoint, a.requestHash, a.status, a.response, now);
    },
  };
}
