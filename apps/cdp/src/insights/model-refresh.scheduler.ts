import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundTask, JsonLogger } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ModelRefreshService } from './model-refresh.service.js';

const CHECK_MS = 15 * 60_000;
const REFIT_EVERY_MS = 24 * 3_600_000;

/** Refits the population models once a day (and at the first start), on instances that run processors. */
@Injectable()
export class ModelRefreshScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: BackgroundTask;

  constructor(refresh: ModelRefreshService, @Inject(CLOCK) clock: Clock, logger: JsonLogger) {
    this.task = new BackgroundTask(
      'model-refresh',
      CHECK_MS,
      async () => {
        const fittedAt = await refresh.lastFittedAt();
        if (!fittedAt || clock.now().getTime() - fittedAt.getTime() >= REFIT_EVERY_MS) await refresh.refresh();
        return false;
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
