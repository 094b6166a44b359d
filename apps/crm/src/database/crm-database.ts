import type { ServiceDatabase } from '@cds/service-kit';
import { ApiKeyEntity } from '../auth/api-key.entity.js';
import { CreateApiKeys1763888400000 } from './migrations/1763888400000-create-api-keys.js';
import { CreateContactsAndEnrichment1764000000000 } from './migrations/1764000000000-create-contacts-and-enrichment.js';

/** Everything the crm database holds: its entities and the migrations that create them, in order. */
export const crmDatabase: Omit<ServiceDatabase, 'url'> = {
  entities: [ApiKeyEntity],
  migrations: [CreateApiKeys1763888400000, CreateContactsAndEnrichment1764000000000],
};
