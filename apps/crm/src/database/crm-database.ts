import type { ServiceDatabase } from '@cds/service-kit';
import { ApiKeyEntity } from '../auth/api-key.entity.js';
import { CreateApiKeys1763888400000 } from './migrations/1763888400000-create-api-keys.js';
import { CreateContactsAndEnrichment1764000000000 } from './migrations/1764000000000-create-contacts-and-enrichment.js';
import { CreateCompanies1764000100000 } from './migrations/1764000100000-create-companies.js';
import { CreateDeals1764000200000 } from './migrations/1764000200000-create-deals.js';
import { CreateActivitiesTasksTickets1764000300000 } from './migrations/1764000300000-create-activities-tasks-tickets.js';
import { CreateUsers1764000400000 } from './migrations/1764000400000-create-users.js';
import { ContactSourceAndErasure1764000550000 } from './migrations/1764000550000-contact-source-and-erasure.js';

/** Everything the crm database holds: its entities and the migrations that create them, in order. */
export const crmDatabase: Omit<ServiceDatabase, 'url'> = {
  entities: [ApiKeyEntity],
  migrations: [
    CreateApiKeys1763888400000,
    CreateContactsAndEnrichment1764000000000,
    CreateCompanies1764000100000,
    CreateDeals1764000200000,
    CreateActivitiesTasksTickets1764000300000,
    CreateUsers1764000400000,
    ContactSourceAndErasure1764000550000,
  ],
};
