import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DealsController } from './deals.controller.js';
import { DealsRepository } from './deals.repository.js';
import { DealsService } from './deals.service.js';
import { PipelinesController } from './pipelines.controller.js';
import { PipelinesRepository } from './pipelines.repository.js';
import { PipelinesService } from './pipelines.service.js';

@Module({
  imports: [AuthModule],
  controllers: [PipelinesController, DealsController],
  providers: [PipelinesRepository, PipelinesService, DealsRepository, DealsService],
})
export class DealsModule {}
