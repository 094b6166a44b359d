import path from 'node:path';
import { describeServiceFoundation } from '@cds/service-testing';
import { CdpEnv } from '../src/config/cdp-env.js';
import { cdpDatabase } from '../src/database/cdp-database.js';
import { CdpModule } from '../src/cdp.module.js';

describeServiceFoundation({
  service: 'cdp',
  envSchema: CdpEnv,
  createModule: (env, logger) => CdpModule.forRoot(env, logger),
  database: cdpDatabase,
  tables: ['migrations', 'sources'],
  mainScript: path.join(import.meta.dirname, '..', 'dist', 'main.js'),
});
