import path from 'node:path';
import { describeServiceFoundation } from '@cds/service-testing';
import { SyncEnv } from '../src/config/sync-env.js';
import { syncDatabase } from '../src/database/sync-database.js';
import { SyncModule } from '../src/sync.module.js';

describeServiceFoundation({
  service: 'sync',
  envSchema: SyncEnv,
  createModule: (env, logger) => SyncModule.forRoot(env, logger),
  database: syncDatabase,
  tables: ['migrations', 'profile_contact_links', 'unmatched_profiles'],
  mainScript: path.join(import.meta.dirname, '..', 'dist', 'main.js'),
});
