// What a payout pays each advocate: their approved commissions, less the clawbacks they still owe, in one pass.

export interface PayoutLine<T> {
  type: 'commission' | 'clawback';
  /** the commission paid, or the paid commission whose clawback is netted off */
  item: T;
  /** cents: positive for a commission, negative for a clawback netted off */
  cents: number;
}

/** One advocate's part of a payout: the lines, and what they add up to (never below zero). */
export interface PayoutGroup<T> {
  advocateId: number;
  lines: PayoutLine<T>[];
  subtotal: number;
}

export interface Payable<T> {
  item: T;
  cents: number;
}

/**
 * Per advocate, in one pass over both lists (each ordered by advocate id, ascending, then oldest first): every
 * approved commission, then the clawbacks still due, oldest first, each netted off only as far as that advocate's
 * commissions in this payout reach. A clawback larger than the payout stays partly due for the next one; an
 * advocate with nothing approved gets no line, and one whose subtotal is below `minPayout` (cents) gets none
 * either: everything of theirs rolls over to the next run (counted in `rolledOver`).
 */
export function payoutGroups<T extends { advocateId: number }>(
  approved: Array<Payable<T>>, owed: Array<Payable<T>>, minPayout = 0,
): { groups: Array<PayoutGroup<T>>; rolledOver: number } {
  const groups: Array<PayoutGroup<T>> = [];
  let rolledOver = 0;
  let o = 0;
  for (let i = 0; i < approved.length;) {
    const advocateId = approved[i]!.item.advocateId;
    const lines: PayoutLine<T>[] = [];
    let subtotal = 0;
    for (; i < approved.length && approved[i]!.item.advocateId === advocateId; i++) {
      lines.push({ type: 'commission', item: approved[i]!.item, cents: approved[i]!.cents });
      subtotal += approved[i]!.cents;
    }
    // Clawbacks of advocates with nothing approved wait for a payout that has something to net them against.
    while (o < owed.length && owed[o]!.item.advocateId < advocateId) o++;
    for (; o < owed.length && owed[o]!.item.advocateId === advocateId; o++) {
      const take = Math.min(owed[o]!.cents, subtotal);
      if (take > 0) {
        lines.push({ type: 'clawback', item: owed[o]!.item, cents: -take });
        subtotal -= take;
      }
    }
    if (subtotal < minPayout) rolledOver++;
    else groups.push({ advocateId, lines, subtotal });
  }
  return { groups, rolledOver };
}

/** The lines of every advocate, one after another (no minimum). */
export const payoutLines = <T extends { advocateId: number }>(approved: Array<Payable<T>>, owed: Array<Payable<T>>): PayoutLine<T>[] =>
  payoutGroups(approved, owed).groups.flatMap((g) => g.lines);

/** One advocate's share of a payout being recorded: their commissions in it and the clawbacks it nets off (cents). */
export interface PayoutShare {
  advocateId: number;
  commissions: number;
  clawbacks: number;
}

/**
 * The advocates whose clawbacks in a payout exceed their own commissions in that payout. A payout nets an
 * advocate's clawbacks only against that advocate's commissions (as GET /payouts lists them): netting them against
 * another advocate's money, or against nothing, would record as recovered what nobody paid back.
 */
export function overNetted(
  commissions: Array<{ advocateId: number; cents: number }>, clawbacks: Array<{ advocateId: number; cents: number }>,
): PayoutShare[] {
  const shares = new Map<number, PayoutShare>();
  const share = (advocateId: number) => {
    let s = shares.get(advocateId);
    if (!s) shares.set(advocateId, (s = { advocateId, commissions: 0, clawbacks: 0 }));
    return s;
  };
  for (const c of commissions) share(c.advocateId).commissions += c.cents;
  for (const c of clawbacks) share(c.advocateId).clawbacks += c.cents;
  return [...shares.values()].filter((s) => s.clawbacks > s.commissions);
}
