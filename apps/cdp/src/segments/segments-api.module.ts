import { Module } from '@nestjs/common';
import { SegmentPreviewService } from './segment-preview.service.js';
import { SegmentsController } from './segments.controller.js';
import { SegmentsModule } from './segments.module.js';
import { SegmentsService } from './segments.service.js';

/** The segment admin API, served by every instance. */
@Module({
  imports: [SegmentsModule],
  controllers: [SegmentsController],
  providers: [SegmentsService, SegmentPreviewService],
})
export class SegmentsApiModule {}
