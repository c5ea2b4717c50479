// What a payout pays each advocate: their approved commissions, less the clawbacks they still owe.

export interface PayoutLine<T> {
  type: 'commission' | 'clawback';
  /** the commission paid, or the paid commission whose clawback is netted off */
  item: T;
  /** cents: positive for a commission, negative for a clawback netted off */
  cents: number;
}

/**
 * Per advocate (in the order of `approved`): every approved commission, then the clawbacks still due, oldest
 * first, each netted off only as far as that advocate's commissions in this payout reach. A clawback larger
 * than the payout stays partly due for the next one; an advocate with nothing approved gets no line.
 */
export function payoutLines<T extends { advocateId: number }>(
  approved: Array<{ item: T; cents: number }>, owed: Array<{ item: T; cents: number }>,
): PayoutLine<T>[] {
  const lines: PayoutLine<T>[] = [];
  const advocates = [...new Set(approved.map((a) => a.item.advocateId))];
  for (const advocateId of advocates) {
    const mine = approved.filter((a) => a.item.advocateId === advocateId);
    let left = mine.reduce((sum, a) => sum + a.cents, 0);
    for (const a of mine) lines.push({ type: 'commission', item: a.item, cents: a.cents });
    for (const o of owed.filter((x) => x.item.advocateId === advocateId)) {
      const take = Math.min(o.cents, left);
      if (take <= 0) break;
      lines.push({ type: 'clawback', item: o.item, cents: -take });
      left -= take;
    }
  }
  return lines;
}
