import 'reflect-metadata';
import { loadEnv, runService } from '@cds/service-kit';
import { CDP_HTTP } from './cdp-http.js';
import { CdpEnv } from './config/cdp-env.js';
import { CdpModule } from './cdp.module.js';

await runService({
  service: 'cdp',
  loadEnv: () => loadEnv(CdpEnv),
  createModule: (env, logger) => CdpModule.forRoot(env, logger),
  http: CDP_HTTP,
});
