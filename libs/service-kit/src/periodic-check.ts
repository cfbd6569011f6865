import type { Logger } from '@paperwire/telemetry';

/**
 * A check a process repeats in the background. One run at a time: a run asked for while another is in
 * progress is skipped. An error (Redis or Postgres unreachable) is logged at debug as `failure`: the
 * next tick tries again. `run()` answers what the check answered, or false when skipped or failed.
 */
export class PeriodicCheck {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly log: Logger,
    private readonly failure: string,
    private readonly check: () => Promise<boolean>,
  ) {}

  async run(): Promise<boolean> {
    if (this.running) return false;
    this.running = true;
    try {
      return await this.check();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, this.failure);
      return false;
    } finally {
      this.running = false;
    }
  }

  /** Runs the check every `everyMs`, without keeping the process alive. */
  start(everyMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
