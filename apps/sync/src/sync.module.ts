import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@cds/contracts';
import { ServiceKitModule, type JsonLogger } from '@cds/service-kit';
import { InsightsBridge } from './bridge/insights-bridge.js';
import { SyncEnv } from './config/sync-env.js';
import { syncDatabase } from './database/sync-database.js';
import { ProfileErasuresConsumer } from './lifecycle/profile-erasures.consumer.js';
import { ProfileMergesConsumer } from './lifecycle/profile-merges.consumer.js';
import { syncSharedProviders } from './lifecycle/sync-shared.providers.js';
import { ContactChangesConsumer } from './rematch/contact-changes.consumer.js';
import { SyncLogController } from './sync-log/sync-log.controller.js';
import { syncLogProviders } from './sync-log/sync-log.providers.js';

@Module({})
export class SyncModule {
  static forRoot(env: SyncEnv, logger: JsonLogger): DynamicModule {
    return {
      module: SyncModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'sync',
          env,
          logger,
          database: syncDatabase,
          topics: [
            TOPICS.cdpProfileInsights,
            TOPICS.cdpSegmentMembership,
            TOPICS.cdpProfileMerges,
            TOPICS.cdpProfileErasures,
            TOPICS.crmContactChanges,
            TOPICS.syncDeadLetters,
          ],
        }),
      ],
      controllers: [SyncLogController],
      providers: [
        { provide: SyncEnv, useValue: env },
        ...syncSharedProviders,
        ...syncLogProviders,
        InsightsBridge,
        ContactChangesConsumer,
        ProfileMergesConsumer,
        ProfileErasuresConsumer,
      ],
    };
  }
}
