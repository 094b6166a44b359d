import type { BehaviouralInsights } from './insight-accumulator.js';
import type { InsightScores } from './insight-snapshot.js';
import { predictCustomer, rfmSegment, scoreRfm, type CustomerSummary, type RfmBoundaries, type ValueModels } from './models/index.js';

/** The population models currently in force (fitted by InsightModelsService). */
export interface FittedModels {
  readonly fittedAt: string;
  readonly rfm: RfmBoundaries | null;
  /** Null until enough customers have ordered for a fit. Time unit: days. */
  readonly value: ValueModels | null;
}

export const NO_MODELS: FittedModels = { fittedAt: new Date(0).toISOString(), rfm: null, value: null };

const DAY_MS = 86_400_000;
// Predicted value: the next 12 months, in monthly periods, discounted at 10 % a year.
const PREDICTION = { periods: 12, periodLength: 365.25 / 12, discountRatePerPeriod: Math.pow(1.1, 1 / 12) - 1, propensityWindow: 30 } as const;

/**
 * RFM scores and model predictions for one profile, from its insights and the
 * population models. Probabilities are kept to two decimals: they drift a
 * little every day, and a consumer gains nothing from a message per drift.
 */
export function scoreInsights(behaviour: BehaviouralInsights, models: FittedModels, now: Date): InsightScores {
  if (behaviour.orderCount === 0 || behaviour.firstOrderAt === null || behaviour.lastOrderAt === null) {
    return { rfm: null, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null };
  }
  const rfmScore = models.rfm && models.rfm.population > 0 ? scoreRfm(models.rfm, { recencyDays: behaviour.daysSinceLastOrder, frequency: behaviour.orderCount, monetary: behaviour.lifetimeValue }) : null;
  const rfm = rfmScore ? { ...rfmScore, segment: rfmSegment(rfmScore), scoredAt: models.fittedAt } : null;
  if (!models.value) return { rfm, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null };

  const summary = customerSummary(behaviour.orderCount, behaviour.firstOrderAt, behaviour.lastOrderAt, now);
  let prediction;
  try {
    // The mean spend is over all orders, so it covers orderCount purchases (not only the repeat ones).
    prediction = predictCustomer(models.value, { ...summary, meanValue: Math.max(behaviour.averageOrderValue ?? 0, 0.01), valueCount: behaviour.orderCount }, PREDICTION);
  } catch {
    // A history the fitted models cannot evaluate numerically: no prediction rather than no insights at all.
    return { rfm, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null };
  }
  return {
    rfm,
    predictedLifetimeValue: round(prediction.lifetimeValue, 2),
    probabilityAlive: round(prediction.probabilityAlive, 2),
    churnRisk: round(prediction.churnRisk, 2),
    purchaseProbability30d: round(prediction.purchasePropensity, 2),
  };
}

/** BG/NBD summary in days: repeat purchases, time of the last one and the customer's age, from the first order. */
export function customerSummary(orderCount: number, firstOrderAt: string, lastOrderAt: string, now: Date): CustomerSummary {
  const first = Date.parse(firstOrderAt);
  const T = Math.max(0, (now.getTime() - first) / DAY_MS);
  const x = Math.max(0, orderCount - 1);
  const tx = x === 0 ? 0 : Math.min(T, Math.max(0, (Date.parse(lastOrderAt) - first) / DAY_MS));
  return { x, tx, T };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
