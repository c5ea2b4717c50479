// domain/payouts.ts: each advocate's approved commissions, then their clawbacks netted off as far as those reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { payoutLines } from '../../src/domain/payouts.ts';

const c = (id: number, advocateId: number, cents: number) => ({ item: { id, advocateId }, cents });
const shape = (lines: ReturnType<typeof payoutLines<{ id: number; advocateId: number }>>) =>
  lines.map((l) => [l.type, l.item.advocateId, l.item.id, l.cents]);

test('clawbacks follow their advocate\'s commissions, oldest first, and never take more than those commissions', () => {
  const approved = [c(10, 1, 500), c(11, 1, 300), c(20, 2, 1000)];
  const owed = [c(1, 1, 600), c(2, 1, 400), c(3, 2, 250), c(4, 3, 999)];
  assert.deepEqual(shape(payoutLines(approved, owed)), [
    ['commission', 1, 10, 500], ['commission', 1, 11, 300], ['clawback', 1, 1, -600], ['clawback', 1, 2, -200],
    ['commission', 2, 20, 1000], ['clawback', 2, 3, -250],
  ]);
});

test('no commission, no line: a clawback alone waits for a payout', () => {
  assert.deepEqual(payoutLines([], [c(1, 1, 600)]), []);
  assert.deepEqual(shape(payoutLines([c(10, 1, 500)], [])), [['commission', 1, 10, 500]]);
});

test('each advocate is paid the sum of their lines, never below zero', () => {
  const lines = payoutLines([c(10, 1, 500), c(20, 2, 100)], [c(1, 1, 200), c(2, 2, 5000)]);
  const paid = (advocateId: number) => lines.filter((l) => l.item.advocateId === advocateId).reduce((s, l) => s + l.cents, 0);
  assert.deepEqual([paid(1), paid(2)], [300, 0]);
});
