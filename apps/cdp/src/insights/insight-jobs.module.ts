import { Module } from '@nestjs/common';
import { SegmentBackfillRunner } from '../segments/segment-backfill.runner.js';
import { SegmentReevaluationScheduler } from '../segments/segment-reevaluation.scheduler.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { InsightsModule } from './insights.module.js';
import { ModelRefreshScheduler } from './model-refresh.scheduler.js';

/** Background work of processor instances: window re-evaluation, segment back-fills, daily model refits. */
@Module({
  imports: [InsightsModule, SegmentsModule],
  providers: [SegmentReevaluationScheduler, SegmentBackfillRunner, ModelRefreshScheduler],
})
export class InsightJobsModule {}
