// Test helpers of the commission and payout tests: a collector on a test clock, and a conversion that earns a commission.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startTestCollector, type TestCollector } from './collector.ts';
import { PATHS, testClock } from './fixtures.ts';

/** A fresh collector whose clock the test moves (closed when the test ends). */
export async function clockedCollector(t: TestContext) {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  return { clock, c };
}

/** A conversion of `value` through `code` (a new customer each order): answers its level-1 commission's id. */
export async function convert(c: TestCollector, orderId: string, value: number, code = 'JOHN123', brand = c.brand): Promise<number> {
  const r = await c.post(PATHS.conversion, { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value, referral_code: code }, { brand });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data.reward.id as number;
}
