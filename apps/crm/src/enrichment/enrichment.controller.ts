import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { EnrichmentBatchV1, type EnrichmentBatchResultV1 } from '@cds/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { EnrichmentService } from './enrichment.service.js';

/** Internal: only the sync bridge's key (role `sync`) writes enrichment, and it can do nothing else. */
@Controller('internal/v1/enrichment')
@UseGuards(ApiKeyGuard)
@Roles('sync')
export class EnrichmentController {
  constructor(private readonly enrichment: EnrichmentService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  apply(@Body() batch: EnrichmentBatchV1): Promise<EnrichmentBatchResultV1> {
    return this.enrichment.apply(batch);
  }
}
