// REFERLOOP_RATE_LIMIT_* -> the budgets of the rate-limit policy; the per-IP settings of secret-key calls that no
// longer exist are refused by name rather than silently ignored; the data paths the CLI shares with the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS, loadConfig } from '../src/config.ts';
import { databasePaths } from '../src/paths.ts';

test('the defaults: 6,000 per minute per secret key, 20 failed authentications per minute per IP, 000_*\'s per-IP table', () => {
  assert.deepEqual(loadConfig({}).rateLimits, {
    visit: { limit: 100, windowMs: 60_000 },
    share: { limit: 100, windowMs: 60_000 },
    claim: { limit: 20, windowMs: 3_600_000 },
    check_eligibility: { limit: 100, windowMs: 60_000 },
    convert: { limit: 100, windowMs: 60_000 },
    testimonial: { limit: 20, windowMs: 3_600_000 },
    testimonial_read: { limit: 100, windowMs: 60_000 },
    secret_key: { limit: 6_000, windowMs: 60_000 },
    auth_failure: { limit: 20, windowMs: 60_000 },
    sign_in: { limit: 10, windowMs: 900_000 },
    sign_up: { limit: 10, windowMs: 3_600_000 },
  });
  assert.equal(loadConfig({ REFERLOOP_RATE_LIMITS: 'off' }).rateLimits, null);
});

test('each budget is set by REFERLOOP_RATE_LIMIT_<NAME>', () => {
  const limits = loadConfig({ REFERLOOP_RATE_LIMIT_SECRET_KEY: '50000/1h', REFERLOOP_RATE_LIMIT_AUTH_FAILURE: '5/30s', REFERLOOP_RATE_LIMIT_SIGN_IN: '3/1h',
    REFERLOOP_RATE_LIMIT_SHARE: '30/1m' }).rateLimits!;
  assert.deepEqual(limits.share, { limit: 30, windowMs: 60_000 });
  assert.deepEqual(limits.sign_in, { limit: 3, windowMs: 3_600_000 });
  assert.deepEqual(limits.secret_key, { limit: 50_000, windowMs: 3_600_000 });
  assert.deepEqual(limits.auth_failure, { limit: 5, windowMs: 30_000 });
  assert.deepEqual(limits.visit, DEFAULT_RATE_LIMITS.visit);
  assert.throws(() => loadConfig({ REFERLOOP_RATE_LIMIT_SECRET_KEY: 'lots' }), /100\/1m/);
});

test('the retired per-IP limits of secret-key calls are refused by name, pointing at the per-key budget', () => {
  for (const name of ['REFERLOOP_RATE_LIMIT_CONVERSION', 'REFERLOOP_RATE_LIMIT_REFUND', 'REFERLOOP_RATE_LIMIT_MANAGE']) {
    assert.throws(() => loadConfig({ [name]: '20/1h' }), new RegExp(`${name} is no longer read.*REFERLOOP_RATE_LIMIT_SECRET_KEY`));
  }
});

test('REFERLOOP_DB, else REFERLOOP_DATA_DIR/referloop.db, else ./data/referloop.db: the server\'s and the CLI\'s', () => {
  assert.deepEqual(databasePaths({}), { dataDir: './data', dbPath: './data/referloop.db' });
  assert.deepEqual(databasePaths({ REFERLOOP_DATA_DIR: '/srv/rl/' }), { dataDir: '/srv/rl/', dbPath: '/srv/rl/referloop.db' });
  assert.deepEqual(databasePaths({ REFERLOOP_DATA_DIR: '/srv/rl', REFERLOOP_DB: '/db/x.db' }), { dataDir: '/srv/rl', dbPath: '/db/x.db' });
  const config = loadConfig({ REFERLOOP_DATA_DIR: '/srv/rl' });
  assert.deepEqual([config.dataDir, config.dbPath], ['/srv/rl', '/srv/rl/referloop.db']);
});
