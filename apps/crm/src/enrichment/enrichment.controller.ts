import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, UseGuards } from '@nestjs/common';
import { EnrichmentBatchV1, type EnrichmentBatchResultV1 } from '@cds/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import type { Page } from '../common/pagination.js';
import { EnrichmentStatesQueryDto } from './dtos/enrichment-states-query.dto.js';
import type { EnrichmentState } from './enrichment.repository.js';
import { EnrichmentService } from './enrichment.service.js';

/** Internal: only the sync bridge's key (role `sync`) writes and lists enrichment, and it can do nothing else. */
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

  /** Each live contact's enrichment state (contact id, email, profile id, version, synced at), for the sync's reconciliation. */
  @Get()
  list(@Query() query: EnrichmentStatesQueryDto): Promise<Page<EnrichmentState>> {
    return this.enrichment.listStates(query.limit, query.cursor);
  }
}
