import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CRM_SETTINGS, type CrmSettings } from '../config/crm-settings.js';
import { ApiKeysService } from './api-keys.service.js';

/** The configured admin and sync keys exist from the first start, so the API can be used right away. */
@Injectable()
export class ConfiguredKeysSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeysService,
    @Inject(CRM_SETTINGS) private readonly settings: CrmSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.keys.ensure('configured-admin', 'admin', this.settings.adminApiKey);
    await this.keys.ensure('configured-sync', 'sync', this.settings.syncApiKey);
  }
}
