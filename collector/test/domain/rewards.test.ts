// domain/rewards.ts: what a conversion earns (both levels), and what a refund takes back (pending, approved, paid).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { earnsLevel2, rewardAfterRefund, rewardFor } from '../../src/domain/rewards.ts';
import type { RewardStatus } from '../../src/db/rewards.ts';

const reward = (status: RewardStatus, amount = 1000, originalAmount = 1000) => ({ originalAmount, amount, status });
const PAID = 10_000; // the order: 100.00, reward 10.00

test('rewardFor: a percentage (basis points, half away from zero), a fixed amount, or points', () => {
  assert.deepEqual(rewardFor({ type: 'percentage', value: 1000 }, 5130), { kind: 'cash', amount: 513 });
  assert.deepEqual(rewardFor({ type: 'percentage', value: 1000 }, 1615), { kind: 'cash', amount: 162 });
  assert.deepEqual(rewardFor({ type: 'fixed', value: 2500 }, 1615), { kind: 'cash', amount: 2500 });
  assert.deepEqual(rewardFor({ type: 'points', value: 50 }, 1615), { kind: 'points', amount: 50 });
});

test('pending, partial refund: the reward shrinks in proportion, still pending', () => {
  assert.deepEqual(rewardAfterRefund(reward('pending'), 2500, PAID, 0),
    { amount: 750, status: 'pending', delta: -250, event: 'refund_adjustment' });
  // A second partial refund (cumulative 50.00) from the already reduced reward.
  assert.deepEqual(rewardAfterRefund(reward('pending', 750), 5000, PAID, 0),
    { amount: 500, status: 'pending', delta: -250, event: 'refund_adjustment' });
  // The same cumulative total again changes nothing.
  assert.deepEqual(rewardAfterRefund(reward('pending', 500), 5000, PAID, 0),
    { amount: 500, status: 'pending', delta: 0, event: null });
  // Rounding of the proportion: a third of 10.00 refunded keeps 6.67.
  assert.deepEqual(rewardAfterRefund(reward('pending'), 3333, 9999, 0).amount, 667);
});

test('approved, partial refund: reduced like a pending one', () => {
  assert.deepEqual(rewardAfterRefund(reward('approved'), 2500, PAID, 0),
    { amount: 750, status: 'approved', delta: -250, event: 'refund_adjustment' });
});

test('pending or approved, full refund: reversed to zero', () => {
  assert.deepEqual(rewardAfterRefund(reward('pending'), PAID, PAID, 0), { amount: 0, status: 'reversed', delta: -1000, event: 'reversed' });
  assert.deepEqual(rewardAfterRefund(reward('pending', 750), PAID, PAID, 0), { amount: 0, status: 'reversed', delta: -750, event: 'reversed' });
  assert.deepEqual(rewardAfterRefund(reward('approved'), PAID, PAID, 0), { amount: 0, status: 'reversed', delta: -1000, event: 'reversed' });
});

test('paid: the amount stays, the refunded share is a clawback, never counted twice', () => {
  assert.deepEqual(rewardAfterRefund(reward('paid'), 2500, PAID, 0), { amount: 1000, status: 'paid', delta: -250, event: 'clawback' });
  // 50.00 refunded in all, 2.50 already clawed back: 2.50 more.
  assert.deepEqual(rewardAfterRefund(reward('paid'), 5000, PAID, -250), { amount: 1000, status: 'paid', delta: -250, event: 'clawback' });
  // The same total again: nothing more.
  assert.deepEqual(rewardAfterRefund(reward('paid'), 5000, PAID, -500), { amount: 1000, status: 'paid', delta: 0, event: null });
  // Then a full refund: the rest of the reward.
  assert.deepEqual(rewardAfterRefund(reward('paid'), PAID, PAID, -500), { amount: 1000, status: 'paid', delta: -500, event: 'clawback' });
  assert.deepEqual(rewardAfterRefund(reward('paid'), PAID, PAID, 0), { amount: 1000, status: 'paid', delta: -1000, event: 'clawback' });
});

test('rejected or reversed rewards are left alone', () => {
  assert.deepEqual(rewardAfterRefund(reward('rejected'), PAID, PAID, 0), { amount: 1000, status: 'rejected', delta: 0, event: null });
  assert.deepEqual(rewardAfterRefund(reward('reversed', 0), 2500, PAID, 0), { amount: 0, status: 'reversed', delta: 0, event: null });
});

test('paid after a partial refund while unpaid: a later refund claws back only what was not taken already', () => {
  // 25.00 refunded while pending: 10.00 -> 7.50, then paid; 50.00 in all -> 5.00 kept: 2.50 clawed back, not 5.00.
  assert.deepEqual(rewardAfterRefund(reward('paid', 750), 5000, PAID, 0), { amount: 750, status: 'paid', delta: -250, event: 'clawback' });
  // Then a full refund: the rest of what is carried (7.50 - 2.50).
  assert.deepEqual(rewardAfterRefund(reward('paid', 750), PAID, PAID, -250), { amount: 750, status: 'paid', delta: -500, event: 'clawback' });
});

test('a refunded total that goes down (total_refunded) never raises a reward', () => {
  assert.deepEqual(rewardAfterRefund(reward('pending', 500), 2500, PAID, 0), { amount: 500, status: 'pending', delta: 0, event: null });
  assert.deepEqual(rewardAfterRefund(reward('paid'), 2500, PAID, -500), { amount: 1000, status: 'paid', delta: 0, event: null });
});

test('earnsLevel2: the referrer exists, is active, and is neither the customer nor the level-1 advocate', () => {
  const a = { id: 1, email: 'a@example.com', status: 'active' };
  assert.equal(earnsLevel2(a, 2, 'buyer@example.com'), true);
  assert.equal(earnsLevel2(undefined, 2, 'buyer@example.com'), false);
  assert.equal(earnsLevel2({ ...a, status: 'blocked' }, 2, 'buyer@example.com'), false);
  assert.equal(earnsLevel2({ ...a, status: 'pending' }, 2, 'buyer@example.com'), false);
  assert.equal(earnsLevel2(a, 2, 'a@example.com'), false);
  assert.equal(earnsLevel2(a, 1, 'buyer@example.com'), false);
});
