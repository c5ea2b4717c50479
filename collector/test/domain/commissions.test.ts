// domain/commissions.ts: which status changes an operator may make, and a commission's net value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netValue, statusChange } from '../../src/domain/commissions.ts';
import { ApiError } from '../../src/errors.ts';

const conflict = (from: string, to: string) => (e: unknown) =>
  e instanceof ApiError && e.status === 409 && e.code === 'invalid_transition' && e.message.includes(from) && e.message.includes(to);

test('allowed moves: pending -> approved|rejected, approved -> paid|rejected', () => {
  assert.equal(statusChange('pending', 'approved', 'cash'), 'change');
  assert.equal(statusChange('pending', 'rejected', 'cash'), 'change');
  assert.equal(statusChange('approved', 'paid', 'cash'), 'change');
  assert.equal(statusChange('approved', 'rejected', 'cash'), 'change');
});

test('the same status again is unchanged (a safe retry); approving a paid points reward too', () => {
  for (const s of ['approved', 'paid', 'rejected'] as const) assert.equal(statusChange(s, s, 'cash'), 'unchanged');
  assert.equal(statusChange('paid', 'approved', 'points'), 'unchanged');
});

test('every other move is 409 invalid_transition naming both states', () => {
  const forbidden: Array<[Parameters<typeof statusChange>[0], Parameters<typeof statusChange>[1]]> = [
    ['pending', 'paid'], ['paid', 'approved'], ['paid', 'rejected'], ['rejected', 'approved'], ['rejected', 'paid'],
    ['reversed', 'approved'], ['reversed', 'paid'], ['reversed', 'rejected'],
  ];
  for (const [from, to] of forbidden) assert.throws(() => statusChange(from, to, 'cash'), conflict(from, to), `${from} -> ${to}`);
  assert.throws(() => statusChange('paid', 'approved', 'cash'), conflict('paid', 'approved'));
});

test('netValue: 0 when rejected or reversed, else amount less what was clawed back', () => {
  assert.equal(netValue({ status: 'pending', amount: 850, clawedBack: 0 }), 850);
  assert.equal(netValue({ status: 'paid', amount: 850, clawedBack: 394 }), 456);
  assert.equal(netValue({ status: 'rejected', amount: 850, clawedBack: 0 }), 0);
  assert.equal(netValue({ status: 'reversed', amount: 0, clawedBack: 0 }), 0);
});
