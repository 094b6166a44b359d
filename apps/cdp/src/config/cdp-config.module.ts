import { Module, type DynamicModule } from '@nestjs/common';
import type { CdpEnv } from './cdp-env.js';
import { CDP_SETTINGS, cdpSettingsFrom } from './cdp-settings.js';

@Module({})
export class CdpConfigModule {
  static forRoot(env: CdpEnv): DynamicModule {
    return { module: CdpConfigModule, global: true, providers: [{ provide: CDP_SETTINGS, useValue: cdpSettingsFrom(env) }], exports: [CDP_SETTINGS] };
  }
}
