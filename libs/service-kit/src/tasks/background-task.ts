import type { JsonLogger } from '../logging/json-logger.js';

/**
 * A unit of background work run again and again: right away while it reports
 * more to do, otherwise after `intervalMs` (or when woken). A failure is logged
 * and retried after the interval; it never stops the loop or the service.
 */
export class BackgroundTask {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    /** One round of work; resolves true when more is waiting. */
    private readonly round: () => Promise<boolean>,
    private readonly logger: JsonLogger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the round in progress finish, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Runs the next round now instead of after the interval. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let more = false;
      try {
        more = await this.round();
      } catch (error) {
        this.logger.pino.warn({ err: error, task: this.name }, 'background task failed; retrying after its interval');
      }
      if (!more && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.intervalMs);
      this.wakeUp = done;
    });
  }
}
