import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { parseProfileReference } from '../profiles/profile-reference.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { SegmentsRepository } from '../segments/segments.repository.js';
import type { FittedModels } from './insight-scores.js';
import { InsightModelsService } from './insight-models.service.js';
import type { PublishedInsights } from './insight-snapshot.js';
import { InsightsRepository } from './insights.repository.js';

export interface ProfileInsightsView {
  readonly profileId: string;
  /** The version of the last published snapshot (0: nothing published yet). */
  readonly version: number;
  readonly snapshot: PublishedInsights | null;
  readonly segmentHistory: readonly { segmentId: string; enteredAt: Date; exitedAt: Date | null }[];
}

/** Reading insights: a profile's current snapshot and segment history, and the models in force. */
@Injectable()
export class InsightsQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesRepository,
    private readonly insights: InsightsRepository,
    private readonly segments: SegmentsRepository,
    private readonly fittedModels: InsightModelsService,
    @Inject(CDP_SETTINGS) private readonly settings: CdpSettings,
  ) {}

  async profileInsights(reference: string): Promise<ProfileInsightsView> {
    const parsed = parseProfileReference(reference, this.settings.defaultPhoneRegion);
    if ('error' in parsed) throw new BadRequestException(parsed.error);
    const manager = this.dataSource.manager;
    const profile = await this.profiles.resolveLive(manager, parsed);
    if (!profile) throw new NotFoundException(`no profile for ${reference}`);
    const stored = await this.insights.read(manager, profile.id);
    return { profileId: profile.id, version: stored?.version ?? 0, snapshot: stored?.snapshot ?? null, segmentHistory: await this.segments.historyOf(manager, profile.id) };
  }

  models(): Promise<FittedModels> {
    return this.fittedModels.current(this.dataSource.manager);
  }
}
