import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EnrichmentController } from './enrichment.controller.js';
import { EnrichmentRepository } from './enrichment.repository.js';
import { EnrichmentApplyRepository } from './enrichment-apply.repository.js';
import { EnrichmentService } from './enrichment.service.js';

@Module({
  imports: [AuthModule],
  controllers: [EnrichmentController],
  providers: [EnrichmentService, EnrichmentRepository, EnrichmentApplyRepository],
})
export class EnrichmentModule {}
