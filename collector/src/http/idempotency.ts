// Idempotency-Key: the first answer to a key is kept (in the same transaction as the write) and replayed.
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { Queries } from '../db/queries.ts';

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Runs `produce` once per (brand, key). The same key with the same body answers the stored answer again;
 * with another body (or endpoint) a 409. Only successful answers are stored: a failed request wrote nothing
 * and may be retried under the same key.
 */
export async function withIdempotency(
  q: Queries, brandId: string, key: string | undefined, endpoint: string, body: unknown, now: Date,
  produce: () => Promise<Answer> | Answer,
): Promise<Answer> {
  if (!key) return await produce();
  if (key.length > 255) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key: must be at most 255 characters', [
      { field: 'Idempotency-Key', message: 'must be at most 255 characters' },
    ]);
  }
  const requestHash = createHash('sha256').update(endpoint).update('\0').update(JSON.stringify(body)).digest('hex');
  // A twin request at another collector process waits here for the first to commit, then replays its answer.
  await q.locks.hold({ idempotencyOf: brandId, key });
  const stored = await q.idempotency.find(brandId, key);
  if (stored) {
    if (stored.requestHash !== requestHash) {
      throw new ApiError(409, 'idempotency_conflict', 'Idempotency-Key was already used with a different request', [
        { field: 'Idempotency-Key', message: 'already used with another body or endpoint' },
      ]);
    }
    return { status: stored.status, body: JSON.parse(stored.response) };
  }
  const answer = await produce();
  if (answer.status < 300) {
    await q.idempotency.save(brandId, key, { endpoint, requestHash, status: answer.status, response: JSON.stringify(answer.body) }, now.toISOString());
  }
  return answer;
}
