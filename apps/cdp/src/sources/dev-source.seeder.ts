import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { SourcesService } from './sources.service.js';

/** `npm start` passes a known write key so a developer can send events right away. */
@Injectable()
export class DevSourceSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly sources: SourcesService,
    @Inject(CDP_SETTINGS) private readonly settings: CdpSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.devWriteKey) await this.sources.ensure('dev-web', 'web', this.settings.devWriteKey);
  }
}
