import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ProfilesRepository, type ProfileRow } from '../profiles/profiles.repository.js';
import { SegmentsRepository } from '../segments/segments.repository.js';
import { ProfileInsightsService, type InsightOutcome, type InsightTrigger, type InsightUpdate } from './profile-insights.service.js';

/**
 * Re-scores and re-evaluates profiles with no new event: a time window passing,
 * a new model fit, a segment back-fill. One transaction per call, profiles
 * locked in id order as event processing locks them.
 */
@Injectable()
export class ProfileReevaluationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesRepository,
    private readonly insights: ProfileInsightsService,
    private readonly segments: SegmentsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Re-evaluates profiles whose segment windows have passed. Claiming and
   * re-evaluating share one transaction: if it fails, the claims return.
   */
  async reevaluateDue(limit: number): Promise<number> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const due = await this.segments.claimDue(manager, now, limit);
      await this.insights.updateMany(manager, reevaluations(await this.profiles.lockLive(manager, due), { kind: 'reevaluate' }), now);
      return due.length;
    });
  }

  async reevaluate(profileIds: readonly string[], onlySegments?: ReadonlySet<string>): Promise<Record<InsightOutcome, number>> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const counts: Record<InsightOutcome, number> = { published: 0, stored: 0, unchanged: 0 };
      const now = this.clock.now();
      const profiles = await this.profiles.lockLive(manager, profileIds);
      for (const { outcome } of await this.insights.updateMany(manager, reevaluations(profiles, { kind: 'reevaluate', ...(onlySegments ? { onlySegments } : {}) }), now)) counts[outcome] += 1;
      return counts;
    });
  }
}

function reevaluations(profiles: readonly ProfileRow[], trigger: InsightTrigger): InsightUpdate[] {
  return profiles.map((profile) => ({ profileId: profile.id, person: { traits: profile.traits, consent: profile.consent }, trigger }));
}
