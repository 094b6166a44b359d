import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundTask, JsonLogger } from '@cds/service-kit';
import { TasksService } from './tasks.service.js';

// Reminders are minute-grained for people; every 30 s keeps them under a minute late.
const INTERVAL_MS = 30_000;
const BATCH = 200;

/** Sends due task reminders: marks them reminded and puts them on the linked contact's timeline. */
@Injectable()
export class TaskRemindersScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: BackgroundTask;

  constructor(
    private readonly tasks: TasksService,
    logger: JsonLogger,
  ) {
    this.task = new BackgroundTask('task-reminders', INTERVAL_MS, async () => (await this.runDue()) === BATCH, logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One round: the reminders due now (at most BATCH); returns how many were sent. */
  runDue(): Promise<number> {
    return this.tasks.sendDueReminders(BATCH);
  }
}
