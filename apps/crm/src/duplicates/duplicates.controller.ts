import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import { ListDuplicatesQueryDto, MergeContactDto } from './dtos/duplicates.dto.js';
import { DuplicatesService, type MergeResult } from './duplicates.service.js';

@Controller('v1/contacts')
@UseGuards(ApiKeyGuard)
export class DuplicatesController {
  constructor(private readonly duplicates: DuplicatesService) {}

  @Get('duplicates')
  @Roles(...READERS)
  list(@Query() query: ListDuplicatesQueryDto): ReturnType<DuplicatesService['list']> {
    return this.duplicates.list(query.limit);
  }

  @Post(':survivorId/merge')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  merge(@Param('survivorId', ParseUUIDPipe) survivorId: string, @Body() dto: MergeContactDto, @CurrentPrincipal() actor: Principal): Promise<MergeResult> {
    return this.duplicates.merge(survivorId, dto.mergedContactId, actor);
  }
}
