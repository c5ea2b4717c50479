// When each key was last used: noted in memory on every authenticated request, written to api_keys.last_used_at
// through the commit queue at most once a minute per key, and once more at shutdown. Never a write per request.
import type { AppDeps } from '../app.ts';

/** How stale `last_used_at` may be while the collector runs (a crash may lose up to this much of it). */
export const KEY_USE_WRITE_INTERVAL_MS = 60_000;

type UsageDeps = Pick<AppDeps, 'q' | 'queue'>;

export class KeyUsage {
  /** key id -> ms of the last use seen */
  private readonly lastUse = new Map<number, number>();
  /** key id -> ms of the last use written (or queued to be) */
  private readonly written = new Map<number, number>();

  constructor(private readonly deps: UsageDeps) {}

  /** The request path's part: a Map write, and a queued UPDATE when this key's last one is a minute old. */
  touch(keyId: number, now: Date): void {
    const t = now.getTime();
    this.lastUse.set(keyId, t);
    const w = this.written.get(keyId);
    if (w !== undefined && t - w < KEY_USE_WRITE_INTERVAL_MS) return;
    this.write([[keyId, t]]);
  }

  /** Shutdown: every use not written yet, through the queue (call before its last drain). */
  flush(): Promise<void> {
    return this.write([...this.lastUse].filter(([id, t]) => this.written.get(id) !== t));
  }

  private write(uses: Array<[number, number]>): Promise<void> {
    if (uses.length === 0) return Promise.resolve();
    for (const [id, t] of uses) this.written.set(id, t);
    // The UPDATE joins the batch of the request being served (no fsync of its own). A failure costs only the
    // information, never the request.
    return this.deps.queue.run(() => this.deps.q.brands.recordKeyUses(uses.map(([id, t]) => [id, new Date(t).toISOString()])))
      .catch(() => undefined);
  }
}

// One per app, found by its commit queue (there is one queue per write connection).
const perApp = new WeakMap<UsageDeps['queue'], KeyUsage>();

/** The app's one KeyUsage (authentication notes uses, shutdown flushes them). */
export function keyUsageOf(deps: UsageDeps): KeyUsage {
  let usage = perApp.get(deps.queue);
  if (!usage) perApp.set(deps.queue, (usage = new KeyUsage(deps)));
  return usage;
}
