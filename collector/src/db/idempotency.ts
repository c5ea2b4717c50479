// Queries for stored answers to requests sent with an Idempotency-Key header.
import type { Db } from './open.ts';

export interface StoredAnswer {
  endpoint: string;
  requestHash: string;
  status: number;
  response: string;
}

export function createIdempotencyQueries(db: Db) {
  const select = db.prepare(
    `SELECT endpoint, request_hash AS requestHash, status, response FROM idempotency_keys
     WHERE brand_id = ? AND key = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO idempotency_keys (brand_id, key, endpoint, request_hash, status, response, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    find: (brandId: string, key: string) => select.get(brandId, key) as StoredAnswer | undefined,
    save(brandId: string, key: string, a: StoredAnswer, now: string): void {
      insert.run(brandId, key, a.endpoint, a.requestHash, a.status, a.response, now);
    },
  };
}
