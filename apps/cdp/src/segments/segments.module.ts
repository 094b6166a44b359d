import { Module } from '@nestjs/common';
import { SegmentCatalog } from './segment-catalog.js';
import { SegmentMembershipService } from './segment-membership.service.js';
import { SegmentSubjectsRepository } from './segment-subjects.repository.js';
import { SegmentsRepository } from './segments.repository.js';

/** Segment definitions and per-profile membership evaluation (the API lives in SegmentsApiModule). */
@Module({
  providers: [SegmentsRepository, SegmentCatalog, SegmentMembershipService, SegmentSubjectsRepository],
  exports: [SegmentsRepository, SegmentCatalog, SegmentMembershipService, SegmentSubjectsRepository],
})
export class SegmentsModule {}
