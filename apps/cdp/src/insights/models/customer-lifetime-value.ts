/**
 * Per-customer predictions that combine the BG/NBD (how many purchases, whether still active)
 * with the Gamma-Gamma (how much per purchase): lifetime value over a horizon, churn risk and
 * purchase propensity.
 */
import {
  assertCustomerSummary,
  conditionalExpectedPurchases,
  probabilityAlive,
  probabilityDroppedOut,
  probabilityOfPurchase,
  type BgNbdParams,
  type CustomerSummary,
} from './bg-nbd.js';
import { conditionalExpectedAverageValue, type GammaGammaParams } from './gamma-gamma.js';

export interface ValueModels {
  readonly bgNbd: BgNbdParams;
  readonly gammaGamma: GammaGammaParams;
}

/** A customer's purchase history (BG/NBD summary, same time unit as the fit) and the mean value of their purchases. */
export interface ValuedCustomer extends CustomerSummary {
  readonly meanValue: number;
  /**
   * How many purchases meanValue is the mean of; by default x, the repeat purchases, as in FHL's
   * CDNOW analysis. Pass x + 1 when the mean includes the first purchase, and fit the Gamma-Gamma
   * model with the same convention.
   */
  readonly valueCount?: number;
}

export interface LifetimeValueOptions {
  /** Number of periods in the horizon, e.g. 12 for a year of months. */
  readonly periods: number;
  /** Length of one period in the BG/NBD time unit, e.g. 365.25 / 12 when the model was fitted in days. */
  readonly periodLength: number;
  /** Discount rate per period (0.01 ≈ 12.7 % a year for monthly periods); 0 for undiscounted value. */
  readonly discountRatePerPeriod: number;
}

/** The per-period rate equivalent to an annual one: (1 + annual)^(1/periodsPerYear) − 1. */
export function discountRatePerPeriod(annualRate: number, periodsPerYear: number): number {
  if (!Number.isFinite(annualRate) || annualRate <= -1) throw new RangeError(`annual discount rate must be finite and > −1, got ${annualRate}`);
  if (!Number.isInteger(periodsPerYear) || periodsPerYear < 1) throw new RangeError(`periodsPerYear must be a positive integer, got ${periodsPerYear}`);
  return Math.pow(1 + annualRate, 1 / periodsPerYear) - 1;
}

function assertLifetimeValueOptions(options: LifetimeValueOptions): void {
  if (!Number.isInteger(options.periods) || options.periods < 1) throw new RangeError(`periods must be a positive integer, got ${options.periods}`);
  if (!Number.isFinite(options.periodLength) || options.periodLength <= 0) throw new RangeError(`periodLength must be finite and > 0, got ${options.periodLength}`);
  if (!Number.isFinite(options.discountRatePerPeriod) || options.discountRatePerPeriod <= -1) {
    throw new RangeError(`discountRatePerPeriod must be finite and > −1, got ${options.discountRatePerPeriod}`);
  }
}

/**
 * Expected discounted value of the customer's purchases over the next `periods` periods:
 *
 *   CLV = Σᵢ₌₁ⁿ  E[M | x, m̄] · (E[Y(i·L) | x, tx, T] − E[Y((i−1)·L) | x, tx, T]) / (1 + d)ⁱ
 *
 * where L is the period length, d the per-period discount rate, E[Y(t) | …] the BG/NBD
 * conditional expectation and E[M | …] the Gamma-Gamma conditional mean spend (over valueCount
 * purchases when given rather than x). Purchases expected
 * within period i are discounted as if made at its end. This is the discrete-time form used in
 * practice (e.g. by the `lifetimes` package); it treats spend per purchase as independent of the
 * number of purchases, as the Gamma-Gamma model assumes. It is revenue, not margin: multiply by a
 * margin if wanted.
 */
export function customerLifetimeValue(models: ValueModels, customer: ValuedCustomer, options: LifetimeValueOptions): number {
  assertCustomerSummary(customer);
  assertLifetimeValueOptions(options);
  const value = expectedSpend(models, customer);
  let lifetimeValue = 0;
  let purchasedBefore = 0;
  for (let i = 1; i <= options.periods; i++) {
    const purchasedBy = conditionalExpectedPurchases(models.bgNbd, customer, i * options.periodLength);
    lifetimeValue += (value * (purchasedBy - purchasedBefore)) / Math.pow(1 + options.discountRatePerPeriod, i);
    purchasedBefore = purchasedBy;
  }
  return lifetimeValue;
}

function expectedSpend(models: ValueModels, customer: ValuedCustomer): number {
  return conditionalExpectedAverageValue(models.gammaGamma, customer.valueCount ?? customer.x, customer.meanValue);
}

/**
 * Churn risk = 1 − P(alive | x, tx, T): the posterior probability that the customer has already
 * dropped out (computed directly rather than as 1 − P(alive), so small risks keep their precision).
 * Always 0 for customers with no repeat purchase: the BG/NBD lets customers drop out only right
 * after a repeat purchase, so a one-time buyer's risk shows in a low purchase propensity instead.
 */
export function churnRisk(params: BgNbdParams, customer: CustomerSummary): number {
  return probabilityDroppedOut(params, customer);
}

/**
 * Purchase propensity = P(at least one purchase in the next `window` | x, tx, T)
 * = P(alive) · (1 − ((α+T)/(α+T+window))^(r+x)); see probabilityOfPurchase in bg-nbd.ts for the
 * derivation. `window` is in the BG/NBD time unit (30 for "the next 30 days" with a model in days).
 */
export function purchasePropensity(params: BgNbdParams, customer: CustomerSummary, window: number): number {
  return probabilityOfPurchase(params, customer, window);
}

export interface CustomerPrediction {
  readonly probabilityAlive: number;
  readonly churnRisk: number;
  readonly purchasePropensity: number;
  /** Expected repeat purchases over the lifetime-value horizon. */
  readonly expectedPurchases: number;
  readonly expectedAverageValue: number;
  readonly lifetimeValue: number;
}

export interface PredictionOptions extends LifetimeValueOptions {
  /** Window for the purchase propensity, in the BG/NBD time unit. */
  readonly propensityWindow: number;
}

/** Everything the CDP shows for one customer, from one pair of fitted models. */
export function predictCustomer(models: ValueModels, customer: ValuedCustomer, options: PredictionOptions): CustomerPrediction {
  const lifetimeValue = customerLifetimeValue(models, customer, options);
  return {
    probabilityAlive: probabilityAlive(models.bgNbd, customer),
    churnRisk: churnRisk(models.bgNbd, customer),
    purchasePropensity: purchasePropensity(models.bgNbd, customer, options.propensityWindow),
    expectedPurchases: conditionalExpectedPurchases(models.bgNbd, customer, options.periods * options.periodLength),
    expectedAverageValue: expectedSpend(models, customer),
    lifetimeValue,
  };
}
