// The bounds of the payout's write and reads: POST /payouts records at most PAYOUT_MAX_COMMISSIONS commissions (one
// short commit-queue job), a 400 naming the field past it with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, assertError, count, testClock } from '../support/fixtures.ts';
import { PAYOUT_MAX_COMMISSIONS } from '../../src/schemas/commissions.ts';

test('POST /payouts: more than PAYOUT_MAX_COMMISSIONS commission ids or clawback lines is a 400 naming the field, nothing written', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const r = await c.post(PATHS.conversion, { customer_email: 'one@customer.example', order_id: 'P-1', order_value: 100, referral_code: 'JOHN123' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.data.reward.id as number;
  clock.advance(31 * DAY_MS);
  const events = await count(c, 'reward_events');
  const tooMany = Array.from({ length: PAYOUT_MAX_COMMISSIONS + 1 }, (_, i) => (i === 0 ? id : 1_000_000 + i));
  const refused = await c.call('POST', '/api/v1/payouts', { commission_ids: tooMany });
  assertError(refused, 400, 'invalid_request', 'commission_ids');
  assert.match(refused.body.error, new RegExp(`at most ${PAYOUT_MAX_COMMISSIONS}.*several`));
  const clawbacks = Array.from({ length: PAYOUT_MAX_COMMISSIONS + 1 }, (_, i) => ({ commission_id: 1_000_000 + i, amount: 1 }));
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: [id], clawbacks }), 400, 'invalid_request', 'clawbacks');
  assert.equal(await count(c, 'reward_events'), events, 'nothing written');
  assert.equal((await c.call('GET', `/api/v1/commissions/${id}`)).body.data.commission.status, 'approved');
  // At the maximum the request is taken (the unknown ids are then a 404, all or nothing).
  assertError(await c.call('POST', '/api/v1/payouts', { commission_ids: tooMany.slice(0, PAYOUT_MAX_COMMISSIONS) }), 404, 'not_found');
  assert.equal((await c.call('POST', '/api/v1/payouts', { commission_ids: [id] })).status, 200);
});
