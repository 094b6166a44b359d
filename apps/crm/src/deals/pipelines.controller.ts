import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles } from '../auth/roles.decorator.js';
import { CreatePipelineDto, UpdatePipelineDto } from './dtos/pipeline.dto.js';
import type { PipelineView } from './pipelines.repository.js';
import { PipelinesService } from './pipelines.service.js';

/** Reading pipelines is for everyone; shaping them (stages, order, probabilities) for admins only. */
@Controller('v1/pipelines')
@UseGuards(ApiKeyGuard)
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Get()
  @Roles(...READERS)
  list(): Promise<PipelineView[]> {
    return this.pipelines.list();
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreatePipelineDto, @CurrentPrincipal() actor: Principal): Promise<PipelineView> {
    return this.pipelines.create(dto, actor);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePipelineDto, @CurrentPrincipal() actor: Principal): Promise<PipelineView> {
    return this.pipelines.update(id, dto, actor);
  }
}
