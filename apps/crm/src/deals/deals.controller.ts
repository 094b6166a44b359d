import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import type { DealRow } from './deals.repository.js';
import type { Page } from '../common/pagination.js';
import { DealsService } from './deals.service.js';
import { CreateDealDto, ListDealsQueryDto, UpdateDealDto } from './dtos/deal.dto.js';

@Controller('v1/deals')
@UseGuards(ApiKeyGuard)
export class DealsController {
  constructor(private readonly deals: DealsService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListDealsQueryDto): Promise<Page<DealRow>> {
    return this.deals.list(query);
  }

  @Post()
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateDealDto, @CurrentPrincipal() actor: Principal): Promise<DealRow> {
    return this.deals.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): ReturnType<DealsService['get']> {
    return this.deals.get(id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDealDto, @CurrentPrincipal() actor: Principal): Promise<DealRow> {
    return this.deals.update(id, dto, actor);
  }

  @Delete(':id')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.deals.remove(id, actor);
  }

  @Post(':id/restore')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  restore(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<DealRow> {
    return this.deals.restore(id, actor);
  }
}
