import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@cds/contracts';
import { ServiceKitModule, type JsonLogger } from '@cds/service-kit';
import { CollectionModule } from './collection/collection.module.js';
import { CdpConfigModule } from './config/cdp-config.module.js';
import type { CdpEnv } from './config/cdp-env.js';
import { cdpSettingsFrom } from './config/cdp-settings.js';
import { cdpDatabase } from './database/cdp-database.js';
import { ProcessingModule } from './processing/processing.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { SourcesModule } from './sources/sources.module.js';

@Module({})
export class CdpModule {
  static forRoot(env: CdpEnv, logger: JsonLogger): DynamicModule {
    const { roles } = cdpSettingsFrom(env);
    return {
      module: CdpModule,
      imports: [
        CdpConfigModule.forRoot(env),
        ServiceKitModule.forRoot({
          service: 'cdp',
          env,
          logger,
          database: cdpDatabase,
          outbox: true,
          topics: [
            TOPICS.cdpRawEvents,
            TOPICS.cdpProfileInsights,
            TOPICS.cdpSegmentMembership,
            TOPICS.cdpProfileMerges,
            TOPICS.cdpProfileErasures,
            TOPICS.crmContactChanges,
          ],
        }),
        SourcesModule,
        ProfilesModule,
        ...(roles.has('collector') ? [CollectionModule] : []),
        ...(roles.has('processor') ? [ProcessingModule] : []),
      ],
    };
  }
}
