import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@cds/contracts';
import { ServiceKitModule, type JsonLogger } from '@cds/service-kit';
import type { CrmEnv } from './config/crm-env.js';
import { crmDatabase } from './database/crm-database.js';

@Module({})
export class CrmModule {
  static forRoot(env: CrmEnv, logger: JsonLogger): DynamicModule {
    return {
      module: CrmModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'crm',
          env,
          logger,
          database: crmDatabase,
          topics: [TOPICS.crmContactChanges],
        }),
      ],
    };
  }
}
