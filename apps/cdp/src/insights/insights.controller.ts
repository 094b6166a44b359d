import { Controller, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../auth/admin-token.guard.js';
import { InsightsQueryService, type ProfileInsightsView } from './insights-query.service.js';
import type { ModelFitReport } from './insight-models.service.js';
import type { FittedModels } from './insight-scores.js';
import { ModelRefreshService, type RescoringProgress } from './model-refresh.service.js';

@Controller('v1')
@UseGuards(AdminTokenGuard)
export class InsightsController {
  constructor(
    private readonly queries: InsightsQueryService,
    private readonly refresh: ModelRefreshService,
  ) {}

  @Get('profiles/:reference/insights')
  profileInsights(@Param('reference') reference: string): Promise<ProfileInsightsView> {
    return this.queries.profileInsights(reference);
  }

  /** Refits RFM and the value models now; re-scoring runs on in the background (see GET .../models). */
  @Post('admin/insights/refresh')
  @HttpCode(HttpStatus.ACCEPTED)
  async refreshModels(): Promise<{ fit: ModelFitReport | null; rescoring: RescoringProgress }> {
    return { fit: await this.refresh.refresh(), rescoring: this.refresh.status() };
  }

  @Get('admin/insights/models')
  async models(): Promise<FittedModels & { rescoring: RescoringProgress }> {
    return { ...(await this.queries.models()), rescoring: this.refresh.status() };
  }
}
