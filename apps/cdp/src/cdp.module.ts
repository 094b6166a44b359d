import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@cds/contracts';
import { ServiceKitModule, type JsonLogger } from '@cds/service-kit';
import type { CdpEnv } from './config/cdp-env.js';
import { cdpDatabase } from './database/cdp-database.js';

@Module({})
export class CdpModule {
  static forRoot(env: CdpEnv, logger: JsonLogger): DynamicModule {
    return {
      module: CdpModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'cdp',
          env,
          logger,
          database: cdpDatabase,
          topics: [
            TOPICS.cdpRawEvents,
            TOPICS.cdpProfileInsights,
            TOPICS.cdpSegmentMembership,
            TOPICS.cdpProfileMerges,
            TOPICS.cdpProfileErasures,
            TOPICS.crmContactChanges,
          ],
        }),
      ],
    };
  }
}
