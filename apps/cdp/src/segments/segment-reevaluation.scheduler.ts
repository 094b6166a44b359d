import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundTask, JsonLogger } from '@cds/service-kit';
import { ProfileReevaluationService } from '../insights/profile-reevaluation.service.js';

// Members must leave within a minute of a window passing; checking every 15 s leaves room for a busy database.
const INTERVAL_MS = 15_000;
const CLAIM = 200;

/** Moves profiles in and out of time-windowed segments when a window passes, with no new event needed. */
@Injectable()
export class SegmentReevaluationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: BackgroundTask;

  constructor(
    private readonly reevaluation: ProfileReevaluationService,
    logger: JsonLogger,
  ) {
    this.task = new BackgroundTask('segment-reevaluation', INTERVAL_MS, async () => (await this.runDue()) === CLAIM, logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One round: the profiles due now (at most CLAIM); returns how many were taken. */
  runDue(): Promise<number> {
    return this.reevaluation.reevaluateDue(CLAIM);
  }
}
