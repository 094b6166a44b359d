import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundTask, JsonLogger } from '@cds/service-kit';
import { SyncEnv } from '../config/sync-env.js';
import { SyncAdminGuard } from './sync-admin.guard.js';
import { SyncLog } from './sync-log.js';
import { SyncLogStore } from './sync-log.store.js';

// Often enough for an operator looking at a fresh failure; during a database outage, one warning a second.
const FLUSH_INTERVAL_MS = 1000;
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/** Writes the buffered sync log in the background and prunes rows older than SYNC_LOG_RETENTION_HOURS. */
@Injectable()
export class SyncLogTasks implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly flushTask: BackgroundTask;
  private readonly pruneTask: BackgroundTask;

  constructor(
    private readonly log: SyncLog,
    store: SyncLogStore,
    env: SyncEnv,
    private readonly logger: JsonLogger,
  ) {
    this.flushTask = new BackgroundTask('sync-log-flush', FLUSH_INTERVAL_MS, () => this.flush(), logger);
    this.pruneTask = new BackgroundTask('sync-log-prune', PRUNE_INTERVAL_MS, () => store.prune(env.SYNC_LOG_RETENTION_HOURS), logger);
  }

  onApplicationBootstrap(): void {
    this.flushTask.start();
    this.pruneTask.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.flushTask.stop(), this.pruneTask.stop()]);
  }

  // After every consumer has stopped appending (they stop before application shutdown).
  async onApplicationShutdown(): Promise<void> {
    await this.log.flushAll().catch((error: unknown) => this.logger.pino.warn({ err: error }, 'sync log entries lost at shutdown'));
  }

  private async flush(): Promise<boolean> {
    const dropped = this.log.takeDropped();
    if (dropped > 0) this.logger.pino.warn({ dropped }, 'sync log buffer full: oldest entries dropped');
    return this.log.flush();
  }
}

export const syncLogProviders: Provider[] = [
  { provide: SyncLogStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new SyncLogStore(dataSource) },
  { provide: SyncLog, inject: [SyncLogStore], useFactory: (store: SyncLogStore) => new SyncLog(store) },
  SyncLogTasks,
  SyncAdminGuard,
];
