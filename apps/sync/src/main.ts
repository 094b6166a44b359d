import 'reflect-metadata';
import { loadEnv, runService } from '@cds/service-kit';
import { SyncEnv } from './config/sync-env.js';
import { SyncModule } from './sync.module.js';

await runService({
  service: 'sync',
  loadEnv: () => loadEnv(SyncEnv),
  createModule: (env, logger) => SyncModule.forRoot(env, logger),
});
