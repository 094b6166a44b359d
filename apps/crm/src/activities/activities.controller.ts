import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import type { ActivityRow } from './activities.repository.js';
import { ActivitiesService } from './activities.service.js';
import type { Page } from '../common/pagination.js';
import { CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dtos/activity.dto.js';

@Controller('v1/activities')
@UseGuards(ApiKeyGuard)
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListActivitiesQueryDto): Promise<Page<ActivityRow>> {
    return this.activities.list(query);
  }

  @Post()
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateActivityDto, @CurrentPrincipal() actor: Principal): Promise<ActivityRow> {
    return this.activities.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ActivityRow> {
    return this.activities.get(id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateActivityDto, @CurrentPrincipal() actor: Principal): Promise<ActivityRow> {
    return this.activities.update(id, dto, actor);
  }

  @Delete(':id')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.activities.remove(id, actor);
  }

  @Post(':id/restore')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  restore(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<ActivityRow> {
    return this.activities.restore(id, actor);
  }
}
