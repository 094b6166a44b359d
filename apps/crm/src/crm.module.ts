import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@cds/contracts';
import { ServiceKitModule, type JsonLogger } from '@cds/service-kit';
import { AuthModule } from './auth/auth.module.js';
import { ActivitiesModule } from './activities/activities.module.js';
import { CompaniesModule } from './companies/companies.module.js';
import { CsvModule } from './csv/csv.module.js';
import { DealsModule } from './deals/deals.module.js';
import { DuplicatesModule } from './duplicates/duplicates.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SearchModule } from './search/search.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { TicketsModule } from './tickets/tickets.module.js';
import { UsersModule } from './users/users.module.js';
import { CrmConfigModule } from './config/crm-config.module.js';
import type { CrmEnv } from './config/crm-env.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { crmDatabase } from './database/crm-database.js';
import { EnrichmentModule } from './enrichment/enrichment.module.js';
import { InternalContactsModule } from './internal-contacts/internal-contacts.module.js';

@Module({})
export class CrmModule {
  static forRoot(env: CrmEnv, logger: JsonLogger): DynamicModule {
    return {
      module: CrmModule,
      imports: [
        CrmConfigModule.forRoot(env),
        ServiceKitModule.forRoot({
          service: 'crm',
          env,
          logger,
          database: crmDatabase,
          outbox: true,
          topics: [TOPICS.crmContactChanges],
        }),
        AuthModule,
        // Before the modules with `GET <resource>/:id` routes: Nest matches routes in registration
        // order, and `/v1/contacts/export` or `/duplicates` must not be taken for an id.
        CsvModule,
        DuplicatesModule,
        ContactsModule,
        EnrichmentModule,
        InternalContactsModule,
        UsersModule,
        CompaniesModule,
        DealsModule,
        ActivitiesModule,
        TasksModule,
        TicketsModule,
        ReportsModule,
        SearchModule,
      ],
    };
  }
}
