import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JsonLogger } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { InsightModelsRepository } from './insight-models.repository.js';
import { InsightModelsService, type ModelFitReport } from './insight-models.service.js';
import { ProfileReevaluationService } from './profile-reevaluation.service.js';

const CHUNK = 500;

export interface RescoringProgress {
  readonly running: boolean;
  readonly rescored: number;
  readonly published: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/**
 * Refits the population models (RFM quintiles, BG/NBD, Gamma-Gamma), then
 * re-scores every customer with orders in the background, publishing the
 * profiles whose scores changed. One instance refits at a time.
 */
@Injectable()
export class ModelRefreshService implements BeforeApplicationShutdown {
  private progress: RescoringProgress = { running: false, rescored: 0, published: 0, startedAt: null, finishedAt: null };
  private rescoring: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: InsightModelsService,
    private readonly repository: InsightModelsRepository,
    private readonly reevaluation: ProfileReevaluationService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: JsonLogger,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.rescoring;
  }

  /** When the models were last fitted, or null if never. */
  async lastFittedAt(): Promise<Date | null> {
    return (await this.repository.load(this.dataSource.manager)).get('rfm')?.fittedAt ?? null;
  }

  /** Refits now and starts re-scoring in the background; null when another instance is refitting right now. */
  async refresh(): Promise<ModelFitReport | null> {
    const report = await this.dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('cdp-model-refit')) AS locked`)) as { locked: boolean }[];
      if (!lock?.locked) return null;
      return this.models.refit(manager, this.clock.now());
    });
    if (report && !this.progress.running) this.rescoring = this.rescoreAll();
    return report;
  }

  status(): RescoringProgress {
    return this.progress;
  }

  private async rescoreAll(): Promise<void> {
    this.progress = { running: true, rescored: 0, published: 0, startedAt: this.clock.now().toISOString(), finishedAt: null };
    try {
      for (let after: string | null = null; !this.stopping; ) {
        const ids = await this.repository.buyerIdsAfter(this.dataSource.manager, after, CHUNK);
        if (ids.length === 0) break;
        const counts = await this.reevaluation.reevaluate(ids);
        this.progress = { ...this.progress, rescored: this.progress.rescored + ids.length, published: this.progress.published + counts.published };
        after = ids.at(-1) ?? null;
      }
    } catch (error) {
      this.logger.pino.warn({ err: error }, 're-scoring after a model fit stopped; the next fit starts it again');
    } finally {
      this.progress = { ...this.progress, running: false, finishedAt: this.clock.now().toISOString() };
    }
  }
}
