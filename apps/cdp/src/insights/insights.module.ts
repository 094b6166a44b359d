import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { InsightModelsRepository } from './insight-models.repository.js';
import { InsightModelsService } from './insight-models.service.js';
import { InsightsQueryService } from './insights-query.service.js';
import { InsightsController } from './insights.controller.js';
import { InsightsRepository } from './insights.repository.js';
import { ModelRefreshService } from './model-refresh.service.js';
import { ProfileInsightsService } from './profile-insights.service.js';
import { ProfileReevaluationService } from './profile-reevaluation.service.js';

/** Per-profile insights and scores, the population models, and their API. */
@Module({
  imports: [IdentityModule, ProfilesModule, SegmentsModule],
  controllers: [InsightsController],
  providers: [InsightsRepository, InsightModelsRepository, InsightModelsService, ProfileInsightsService, ProfileReevaluationService, ModelRefreshService, InsightsQueryService],
  exports: [ProfileInsightsService, ProfileReevaluationService, ModelRefreshService, InsightsRepository],
})
export class InsightsModule {}
