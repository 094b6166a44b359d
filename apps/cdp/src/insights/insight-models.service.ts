import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JsonLogger } from '@cds/service-kit';
import { customerSummary, NO_MODELS, type FittedModels } from './insight-scores.js';
import { InsightModelsRepository } from './insight-models.repository.js';
import { computeRfmBoundaries, fitBgNbd, fitGammaGamma, type RfmBoundaries, type ValueModels } from './models/index.js';

// Below this many repeat buyers a fit says more about noise than about customers.
const MIN_BUYERS_FOR_FIT = 30;
const MIN_REPEAT_BUYERS_FOR_SPEND_FIT = 10;
// The fits run on a uniform sample: the parameters of 20,000 customers are as good as those of millions, at a fraction of the cost.
const FIT_SAMPLE = 20_000;
const RELOAD_MS = 60_000;

export interface ModelFitReport {
  readonly fittedAt: string;
  readonly buyers: number;
  readonly rfm: RfmBoundaries | null;
  readonly value: (ValueModels & { readonly converged: boolean }) | null;
}

/** The population models (RFM quintiles, BG/NBD + Gamma-Gamma): fitted on a schedule or on demand, read by every scoring. */
@Injectable()
export class InsightModelsService {
  private cached: { readAt: number; models: FittedModels } | null = null;

  constructor(
    private readonly repository: InsightModelsRepository,
    private readonly logger: JsonLogger,
  ) {}

  async current(manager: EntityManager): Promise<FittedModels> {
    if (this.cached && Date.now() - this.cached.readAt < RELOAD_MS) return this.cached.models;
    const stored = await this.repository.load(manager);
    const rfm = stored.get('rfm');
    const value = stored.get('bg-nbd+gamma-gamma');
    const models: FittedModels = rfm || value
      ? {
          fittedAt: (rfm?.fittedAt ?? value?.fittedAt ?? new Date(0)).toISOString(),
          rfm: (rfm?.parameters as RfmBoundaries | undefined) ?? null,
          value: (value?.parameters as ValueModels | undefined) ?? null,
        }
      : NO_MODELS;
    this.cached = { readAt: Date.now(), models };
    return models;
  }

  /** Fits every model on the current customer base and stores the result; profiles are re-scored by the caller. */
  async refit(manager: EntityManager, now: Date): Promise<ModelFitReport> {
    const everyone = await this.repository.buyers(manager, null);
    const rfm = computeRfmBoundaries(
      everyone.map((buyer) => ({
        recencyDays: Math.max(0, Math.floor((now.getTime() - buyer.lastOrderAt.getTime()) / 86_400_000)),
        frequency: buyer.orderCount,
        monetary: buyer.lifetimeValue,
      })),
    );
    await this.repository.save(manager, 'rfm', rfm, rfm.population, now);

    const sample = everyone.length <= FIT_SAMPLE ? everyone : await this.repository.buyers(manager, FIT_SAMPLE);
    const summaries = sample.map((buyer) => ({ ...customerSummary(buyer.orderCount, buyer.firstOrderAt.toISOString(), buyer.lastOrderAt.toISOString(), now), meanValue: buyer.lifetimeValue / buyer.orderCount }));
    const repeat = summaries.filter((summary) => summary.x > 0 && summary.meanValue > 0);
    let value: ModelFitReport['value'] = null;
    if (summaries.length >= MIN_BUYERS_FOR_FIT && repeat.length >= MIN_REPEAT_BUYERS_FOR_SPEND_FIT) {
      try {
        const bgNbd = fitBgNbd(summaries);
        // meanValue averages all of a customer's orders, so it covers x + 1 purchases.
        const gammaGamma = fitGammaGamma(repeat.map((summary) => ({ x: summary.x + 1, meanValue: summary.meanValue })));
        const parameters = [...Object.values(bgNbd.params), ...Object.values(gammaGamma.params)];
        // A fit at the edge of the parameter space (a base with no heterogeneity, or spend so heavy-tailed that
        // the mean is infinite) predicts nothing useful: the previous fit stays in force.
        if (!gammaGamma.finiteMean || parameters.some((parameter) => !(parameter > 1e-4 && parameter < 1e4))) {
          this.logger.pino.warn({ bgNbd: bgNbd.params, gammaGamma: gammaGamma.params, buyers: summaries.length }, 'value model fit is degenerate; the previous fit stays in force');
        } else {
          value = { bgNbd: bgNbd.params, gammaGamma: gammaGamma.params, converged: bgNbd.converged && gammaGamma.converged };
          await this.repository.save(manager, 'bg-nbd+gamma-gamma', { bgNbd: bgNbd.params, gammaGamma: gammaGamma.params }, summaries.length, now);
        }
      } catch (error) {
        // A degenerate population (everyone bought once the same day) has no maximum: keep the last good fit.
        this.logger.pino.warn({ err: error, buyers: summaries.length }, 'value models could not be fitted; the previous fit stays in force');
      }
    }
    this.cached = null;
    return { fittedAt: now.toISOString(), buyers: everyone.length, rfm, value };
  }
}
