import { Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '../clock/clock.js';
import type { CdpEnv } from './cdp-env.js';
import { CDP_SETTINGS, cdpSettingsFrom } from './cdp-settings.js';

@Module({})
export class CdpConfigModule {
  static forRoot(env: CdpEnv, clock: Clock = systemClock): DynamicModule {
    return {
      module: CdpConfigModule,
      global: true,
      providers: [
        { provide: CDP_SETTINGS, useValue: cdpSettingsFrom(env) },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [CDP_SETTINGS, CLOCK],
    };
  }
}
