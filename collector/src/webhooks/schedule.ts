// When a failed delivery is tried again: the Standard Webhooks schedule, with jitter, and when an endpoint that keeps
// failing is given up on.

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

/**
 * The wait before attempt n+1 after attempt n failed (index n-1): immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 14 h, 20 h, 24 h. After the tenth attempt the delivery has failed.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H];

/** Attempts a delivery gets: the first, then one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each wait is stretched or shrunk by up to this share, so retries of a burst do not all arrive together. */
export const JITTER = 0.1;

/** An endpoint whose attempts have all failed for this long is disabled ('failing'). */
export const FAILING_DISABLE_MS = 5 * 24 * H;

/**
 * When the next attempt is due after `attempts` attempts failed, or null when the delivery has had every attempt.
 * `random` in [0, 1) (Math.random; the tests pass their own).
 */
export function nextAttemptAt(attempts: number, failedAt: Date, random: number = Math.random()): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  if (delay === undefined) return null;
  return new Date(failedAt.getTime() + Math.round(delay * (1 + JITTER * (2 * random - 1))));
}
