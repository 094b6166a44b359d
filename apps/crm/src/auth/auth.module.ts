import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { ConfiguredKeysSeeder } from './configured-keys.seeder.js';

@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysService, ApiKeyGuard, ConfiguredKeysSeeder],
  exports: [ApiKeysService, ApiKeyGuard],
})
export class AuthModule {}
