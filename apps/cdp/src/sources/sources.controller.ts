import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../auth/admin-token.guard.js';
import { CreateSourceDto } from './dtos/create-source.dto.js';
import { SourcesService, type SourceView } from './sources.service.js';

@Controller('v1/admin/sources')
@UseGuards(AdminTokenGuard)
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  /** The write key is in this response only; it cannot be read back later. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateSourceDto): Promise<SourceView & { writeKey: string }> {
    return this.sources.create(dto);
  }

  @Get()
  list(): Promise<SourceView[]> {
    return this.sources.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  disable(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.sources.disable(id);
  }
}
