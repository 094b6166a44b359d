import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@cds/contracts';
import { ServiceKitModule, type JsonLogger } from '@cds/service-kit';
import { CollectionModule } from './collection/collection.module.js';
import { cdpClock } from './clock/cdp-clock.js';
import { ClockAdminModule } from './clock/clock-admin.module.js';
import type { Clock } from './clock/clock.js';
import { CdpConfigModule } from './config/cdp-config.module.js';
import type { CdpEnv } from './config/cdp-env.js';
import { cdpSettingsFrom } from './config/cdp-settings.js';
import { cdpDatabase } from './database/cdp-database.js';
import { CrmSourceModule } from './crm-source/crm-source.module.js';
import { InsightJobsModule } from './insights/insight-jobs.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { ProcessingModule } from './processing/processing.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { SegmentsApiModule } from './segments/segments-api.module.js';
import { SourcesModule } from './sources/sources.module.js';

@Module({})
export class CdpModule {
  /** `givenClock` replaces the clock `CDP_CLOCK` names (tests that let a 72-hour window pass). */
  static forRoot(env: CdpEnv, logger: JsonLogger, givenClock?: Clock): DynamicModule {
    const { roles } = cdpSettingsFrom(env);
    const { clock, controllable } = cdpClock(env.CDP_CLOCK, givenClock);
    return {
      module: CdpModule,
      imports: [
        CdpConfigModule.forRoot(env, clock),
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
        InsightsModule,
        SegmentsApiModule,
        ...(roles.has('collector') ? [CollectionModule] : []),
        ...(roles.has('processor') ? [ProcessingModule, InsightJobsModule, CrmSourceModule] : []),
        ...(controllable ? [ClockAdminModule.forRoot(controllable)] : []),
      ],
    };
  }
}
