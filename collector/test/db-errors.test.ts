// What a database error becomes in an answer: another process's lock or a PostgreSQL contention the write queue's
// retries did not outlast is 503 database_busy, a PostgreSQL server that cannot be reached 503 database_unavailable,
// both with Retry-After; any other error stays a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toApiError } from '../src/http/errors.ts';

const withCode = (code: string) => Object.assign(new Error(`failed (${code})`), { code });

test('PostgreSQL serialization failures, deadlocks and lock timeouts are 503 database_busy', () => {
  for (const code of ['40001', '40P01', '55P03']) {
    const e = toApiError(withCode(code));
    assert.deepEqual([e?.status, e?.code], [503, 'database_busy'], code);
  }
});

test('a PostgreSQL server gone, shutting down or refusing connections is 503 database_unavailable', () => {
  for (const code of ['08006', '08001', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET']) {
    const e = toApiError(withCode(code));
    assert.deepEqual([e?.status, e?.code], [503, 'database_unavailable'], code);
  }
});

test('another database error (a unique violation past the retries, a syntax error) is not turned into a 4xx or 503', () => {
  for (const code of ['23505', '42601']) assert.equal(toApiError(withCode(code)), null, code);
});
