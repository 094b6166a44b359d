import path from 'node:path';
import { describeServiceFoundation } from '@cds/service-testing';
import { CrmEnv } from '../src/config/crm-env.js';
import { crmDatabase } from '../src/database/crm-database.js';
import { CrmModule } from '../src/crm.module.js';

describeServiceFoundation({
  service: 'crm',
  envSchema: CrmEnv,
  createModule: (env, logger) => CrmModule.forRoot(env, logger),
  database: crmDatabase,
  tables: ['migrations', 'api_keys', 'contacts', 'contact_timeline', 'audit_log', 'outbox'],
  mainScript: path.join(import.meta.dirname, '..', 'dist', 'main.js'),
});
