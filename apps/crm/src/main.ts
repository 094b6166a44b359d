import 'reflect-metadata';
import { loadEnv, runService } from '@cds/service-kit';
import { CrmEnv } from './config/crm-env.js';
import { CRM_HTTP } from './crm-http.js';
import { CrmModule } from './crm.module.js';

await runService({
  service: 'crm',
  loadEnv: () => loadEnv(CrmEnv),
  createModule: (env, logger) => CrmModule.forRoot(env, logger),
  http: CRM_HTTP,
});
