import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { SegmentsRepository } from '../segments/segments.repository.js';
import { ProfileInsightsService, type InsightOutcome } from './profile-insights.service.js';

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
      for (const profile of await this.profiles.lockLive(manager, due)) {
        await this.insights.update(manager, profile.id, { traits: profile.traits, consent: profile.consent }, { kind: 'reevaluate' }, now);
      }
      return due.length;
    });
  }

  async reevaluate(profileIds: readonly string[], onlySegments?: ReadonlySet<string>): Promise<Record<InsightOutcome, number>> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const counts: Record<InsightOutcome, number> = { published: 0, stored: 0, unchanged: 0 };
      const now = this.clock.now();
      for (const profile of await this.profiles.lockLive(manager, profileIds)) {
        const outcome = await this.insights.update(manager, profile.id, { traits: profile.traits, consent: profile.consent }, { kind: 'reevaluate', ...(onlySegments ? { onlySegments } : {}) }, now);
        counts[outcome] += 1;
      }
      return counts;
    });
  }
}
