import { Module, type DynamicModule } from '@nestjs/common';
import type { CrmEnv } from './crm-env.js';
import { CRM_SETTINGS, crmSettingsFrom } from './crm-settings.js';

@Module({})
export class CrmConfigModule {
  static forRoot(env: CrmEnv): DynamicModule {
    return { module: CrmConfigModule, global: true, providers: [{ provide: CRM_SETTINGS, useValue: crmSettingsFrom(env) }], exports: [CRM_SETTINGS] };
  }
}
