// A background job that runs every interval and on demand: one run at a time (a call during a run joins it), a failed
// run logged and tried again at the next tick, and stopped before the database closes.
import type { Logger } from 'pino';

export class PeriodicSweep<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(private readonly work: () => Promise<T>, private readonly logger: Logger, private readonly failure: string) {}

  /** Runs the work now, or answers the run under way. */
  once(): Promise<T> {
    this.running ??= this.work().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => { this.once().catch((err: unknown) => this.logger.error({ err }, this.failure)); };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** No more ticks; resolves once a run under way has ended (its last batch committed). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
