import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundTask, JsonLogger } from '@cds/service-kit';
import { InsightsRepository } from '../insights/insights.repository.js';
import { ProfileReevaluationService } from '../insights/profile-reevaluation.service.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { describeEventNeeds, evaluateSegmentRule } from './rules/index.js';
import { SegmentCatalog } from './segment-catalog.js';
import { SegmentSubjectsRepository } from './segment-subjects.repository.js';
import { SegmentsRepository, type SegmentRow } from './segments.repository.js';

const POLL_MS = 2000;
const CHUNK = 500;
// A runner records progress every chunk; one silent for this long has died and its work is taken over.
const STALE_AFTER_MS = 120_000;

/**
 * Applies a new or changed segment to every existing profile, in chunks, with
 * progress on the segment (processed / total). New events are evaluated in real
 * time meanwhile; the back-fill covers the profiles that have no new event.
 * Each chunk is evaluated in bulk first; only the profiles whose membership
 * changes (or may change as time passes) take the full, locking, publishing path.
 */
@Injectable()
export class SegmentBackfillRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: BackgroundTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly segments: SegmentsRepository,
    private readonly catalog: SegmentCatalog,
    private readonly insights: InsightsRepository,
    private readonly reevaluation: ProfileReevaluationService,
    private readonly subjects: SegmentSubjectsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: JsonLogger,
  ) {
    this.task = new BackgroundTask('segment-backfill', POLL_MS, () => this.runNext(), logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Runs the next pending back-fill to its end; false when none is pending. */
  async runNext(): Promise<boolean> {
    const manager = this.dataSource.manager;
    const segment = await this.segments.claimBackfill(manager, STALE_AFTER_MS);
    if (!segment) return false;
    // The definition just claimed must be the one evaluated, not a cached older revision.
    this.catalog.invalidate();
    try {
      return await this.run(segment);
    } catch (error) {
      // Back to pending, so that this or another instance starts it again after the poll interval.
      await this.segments.setBackfill(manager, segment.id, segment.revision, { status: 'pending' }).catch(() => undefined);
      throw error;
    }
  }

  private async run(segment: SegmentRow): Promise<boolean> {
    const manager = this.dataSource.manager;
    const started = Date.now();
    await this.segments.setBackfill(manager, segment.id, segment.revision, { total: await this.segments.countLiveProfiles(manager) });
    const compiled = (await this.catalog.active(manager)).segments.find((active) => active.id === segment.id);
    if (!compiled) return true; // changed again or deleted meanwhile: the next claim takes the new state
    const only = new Set([segment.id]);
    const needs = describeEventNeeds(compiled.rule);
    let processed = 0;
    for (let after: string | null = null; ; ) {
      const ids = await this.insights.profileIdsAfter(manager, after, CHUNK);
      if (ids.length === 0) break;
      const now = this.clock.now();
      const members = new Set(await this.segments.membersAmong(manager, segment.id, ids));
      const touched: string[] = [];
      for (const [id, subject] of await this.subjects.load(manager, ids, needs, now)) {
        const result = evaluateSegmentRule(compiled.rule, subject, now);
        if (result.member !== members.has(id) || result.reevaluateAt !== null) touched.push(id);
      }
      if (touched.length > 0) await this.reevaluation.reevaluate(touched, only);
      processed += ids.length;
      after = ids.at(-1) ?? null;
      // Stop when the segment changed or was deleted meanwhile: the new revision is back-filled anew.
      if (!(await this.segments.setBackfill(manager, segment.id, segment.revision, { processed }))) return true;
    }
    await this.segments.setBackfill(manager, segment.id, segment.revision, { status: 'done', processed });
    this.logger.pino.info({ segment: segment.key, revision: segment.revision, profiles: processed, ms: Date.now() - started }, 'segment back-filled');
    return true;
  }
}
