// Identifiers the collector makes: visitor ids are UUIDv7 (RFC 9562), time-ordered.
import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7: 48 bits of Unix milliseconds, then random bits. New visitors' ids sort by time, so their entries
 * land at the end of the visits index instead of on a random page each: far fewer pages written per commit.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  // randomUUID draws from a pooled entropy buffer (randomBytes(16) would cost a call into the system each time).
  // Its v4 layout already has the RFC variant at character 19; the first 13 characters become time and version.
  const random = randomUUID();
  const time = nowMs.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
