import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../auth/admin-token.guard.js';
import { PageQueryDto } from '../profiles/dtos/profile-queries.dto.js';
import type { Page } from '../profiles/profiles.service.js';
import { CreateSegmentDto, PreviewSegmentDto, UpdateSegmentDto } from './dtos/segment.dto.js';
import type { SegmentPreview } from './segment-preview.service.js';
import { SegmentsService, type SegmentView } from './segments.service.js';

@Controller('v1/segments')
@UseGuards(AdminTokenGuard)
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get()
  list(): Promise<SegmentView[]> {
    return this.segments.list();
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateSegmentDto): Promise<SegmentView> {
    return this.segments.create(dto);
  }

  // Declared before ':segment' so that "preview" and "examples" are not taken for segment keys.
  @Post('preview')
  @HttpCode(HttpStatus.OK)
  preview(@Body() dto: PreviewSegmentDto): Promise<SegmentPreview> {
    return this.segments.preview(dto.rule);
  }

  @Post('examples')
  @HttpCode(HttpStatus.OK)
  installExamples(): Promise<{ created: string[]; existing: string[] }> {
    return this.segments.installExamples();
  }

  @Get(':segment')
  get(@Param('segment') segment: string): Promise<SegmentView> {
    return this.segments.get(segment);
  }

  @Patch(':segment')
  update(@Param('segment') segment: string, @Body() dto: UpdateSegmentDto): Promise<SegmentView> {
    return this.segments.update(segment, dto);
  }

  @Delete(':segment')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('segment') segment: string): Promise<void> {
    return this.segments.remove(segment);
  }

  @Get(':segment/members')
  members(@Param('segment') segment: string, @Query() query: PageQueryDto): Promise<Page<{ profileId: string; enteredAt: Date }>> {
    return this.segments.members(segment, query.limit, query.cursor);
  }
}
