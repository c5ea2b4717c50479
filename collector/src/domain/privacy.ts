// Pure decisions of a person's export and erasure: the keyed hash an erasure is recorded under, and the payouts an
// advocate received.
import { createHmac } from 'node:crypto';

/**
 * The erasure record's key for an email: HMAC-SHA256 under a per-brand key derived from the server's master key. The
 * same email of the same brand always gives the same hash (a later request can be told it was erased), another brand
 * another one, and without the master key (kept outside the database) no guessed email can be checked against it.
 */
export function erasureHash(masterKey: Buffer, brandId: string, email: string): string {
  const brandKey = createHmac('sha256', masterKey).update(`referloop erasure ${brandId}`).digest();
  return createHmac('sha256', brandKey).update(email).digest('hex');
}

/** The payouts an advocate was paid, from their commissions: one per paid_at (a payout stamps all it pays with one). */
export function payoutsOf(rewards: ReadonlyArray<Record<string, unknown>>) {
  const runs = new Map<string, { paid_at: string; commissions: number; amount_cents: number; points: number }>();
  for (const r of rewards) {
    if (typeof r.paid_at !== 'string') continue;
    const run = runs.get(r.paid_at) ?? { paid_at: r.paid_at, commissions: 0, amount_cents: 0, points: 0 };
    run.commissions++;
    if (r.kind === 'points') run.points += Number(r.amount);
    else run.amount_cents += Number(r.amount);
    runs.set(r.paid_at, run);
  }
  return [...runs.values()].sort((a, b) => a.paid_at.localeCompare(b.paid_at));
}
