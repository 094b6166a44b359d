/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4), 415–430;
 * worked through in Fader & Hardie, "The Gamma-Gamma Model of Monetary Value", 2013).
 *
 * A customer's transaction values are Gamma(p, ν) around their own mean p/ν, and ν ~ Gamma(q, γ)
 * across customers. It assumes spend per transaction is independent of how often the customer
 * buys (check that the correlation between x and mean value is weak before relying on it).
 *
 * Units: values are in the caller's currency; γ is in that currency, p and q are unit-free. The
 * mean value should be the mean of the *repeat* transactions, the same quantity the model was
 * fitted on (the CDNOW analysis leaves the first purchase out).
 */
import { minimizeNelderMead } from './nelder-mead.js';
import { lnGamma } from './special-functions.js';

// Formulas read closer to the papers without the Math. prefix; module-level bindings are also
// much faster than global lookups inside Jest's vm sandbox, where the fits run in the tests.
const { exp, log } = Math;

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export interface SpendSummary {
  /**
   * How many purchases meanValue is the mean of. In FHL's CDNOW analysis that is the repeat
   * purchases (the BG/NBD x, first purchase left out); whichever convention, fit and score with the same one.
   */
  readonly x: number;
  /** Mean value of those purchases. */
  readonly meanValue: number;
}

export interface GammaGammaFitOptions {
  /** Starting point; by default p = 1, q = 2 and γ = the observed mean value (so E[M] starts there). */
  readonly initial?: GammaGammaParams;
  readonly maxIterations?: number;
}

export interface GammaGammaFit {
  readonly params: GammaGammaParams;
  readonly logLikelihood: number;
  /**
   * Whether the population mean spend pγ/(q−1) is finite (q > 1). When it is not, spend is too
   * heavy-tailed for the model to value a customer without repeat purchases: expectedAverageValue
   * and conditionalExpectedAverageValue(…, 0, …) throw, so check this before using the fit for CLV.
   */
  readonly finiteMean: boolean;
  /** Customers the fit used: those with x ≥ 1 and a positive mean value. */
  readonly customers: number;
  /** Customers left out because they had no repeat purchase or a mean value ≤ 0 (refunds, free orders). */
  readonly excluded: number;
  readonly iterations: number;
  readonly converged: boolean;
}

function assertSpendSummary(customer: SpendSummary): void {
  if (!Number.isInteger(customer.x) || customer.x < 0) throw new RangeError(`x (repeat purchases) must be a non-negative integer, got ${customer.x}`);
  if (!Number.isFinite(customer.meanValue)) throw new RangeError(`meanValue must be a finite number, got ${customer.meanValue}`);
}

export function assertGammaGammaParams(params: GammaGammaParams): void {
  for (const name of ['p', 'q', 'gamma'] as const) {
    const value = params[name];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`Gamma-Gamma parameter ${name} must be finite and > 0, got ${value}`);
  }
}

/**
 * ln f(m̄ | x) for one customer with x ≥ 1 transactions of mean m̄ > 0. The mean of x Gamma(p, ν)
 * values is Gamma(px, νx); mixing over ν ~ Gamma(q, γ) gives
 *
 *   f(m̄ | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) m̄^(px−1) / (γ + x m̄)^(px+q)
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, customer: SpendSummary): number {
  assertGammaGammaParams(params);
  assertSpendSummary(customer);
  if (customer.x < 1 || customer.meanValue <= 0) throw new RangeError('the Gamma-Gamma likelihood needs x ≥ 1 and meanValue > 0');
  return logDensity(params, customer.x, customer.meanValue);
}

function logDensity({ p, q, gamma }: GammaGammaParams, x: number, meanValue: number): number {
  const px = p * x;
  return (
    lnGamma(px + q) - lnGamma(px) - lnGamma(q) + q * log(gamma) + px * log(x) + (px - 1) * log(meanValue) - (px + q) * log(gamma + x * meanValue)
  );
}

/**
 * The summed log density, with the Γ-function terms computed once per distinct x (few in real
 * data) rather than once per customer, since the fit evaluates it thousands of times.
 */
function compileLikelihood(customers: readonly SpendSummary[]): (params: GammaGammaParams) => number {
  const countByX = new Map<number, number>();
  for (const { x } of customers) countByX.set(x, (countByX.get(x) ?? 0) + 1);
  return ({ p, q, gamma }) => {
    let total = 0;
    for (const [x, count] of countByX) total += count * (lnGamma(p * x + q) - lnGamma(p * x) - lnGamma(q) + q * log(gamma) + p * x * log(x));
    for (const { x, meanValue } of customers) total += (p * x - 1) * log(meanValue) - (p * x + q) * log(gamma + x * meanValue);
    return total;
  };
}

/**
 * Maximum-likelihood p, q and γ (Nelder–Mead on log-parameters, deterministic), from the customers
 * with x ≥ 1 and a positive mean value; the others are counted in `excluded`.
 */
export function fitGammaGamma(customers: readonly SpendSummary[], options: GammaGammaFitOptions = {}): GammaGammaFit {
  customers.forEach(assertSpendSummary);
  const usable = customers.filter((customer) => customer.x >= 1 && customer.meanValue > 0);
  if (usable.length === 0) throw new RangeError('fitGammaGamma needs at least one customer with a repeat purchase and a positive mean value');
  const observedMean = usable.reduce((sum, customer) => sum + customer.meanValue, 0) / usable.length;
  const initial = options.initial ?? { p: 1, q: 2, gamma: observedMean };
  assertGammaGammaParams(initial);

  const toParams = (logs: readonly number[]): GammaGammaParams => ({ p: exp(logs[0]), q: exp(logs[1]), gamma: exp(logs[2]) });
  const logLikelihood = compileLikelihood(usable);
  const negativeLogLikelihood = (logs: readonly number[]): number => -logLikelihood(toParams(logs));
  const start = [initial.p, initial.q, initial.gamma].map(log);
  const result = minimizeNelderMead(negativeLogLikelihood, start, { maxIterations: options.maxIterations ?? 5000 });
  const params = toParams(result.x);
  return {
    params,
    logLikelihood: -result.value,
    finiteMean: params.q > 1,
    customers: usable.length,
    excluded: customers.length - usable.length,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** E[M] = pγ / (q − 1): the population mean spend per transaction. Infinite in the model when q ≤ 1, so that throws. */
export function expectedAverageValue(params: GammaGammaParams): number {
  assertGammaGammaParams(params);
  if (params.q <= 1) throw new RangeError(`the Gamma-Gamma population mean is infinite for q ≤ 1 (q = ${params.q})`);
  return (params.p * params.gamma) / (params.q - 1);
}

/**
 * E[M | x, m̄] = p (γ + x m̄) / (px + q − 1): a weighted average of the population mean pγ/(q−1)
 * and the customer's own mean m̄, the weight px/(px+q−1) on m̄ growing with x, the number of
 * purchases m̄ is the mean of (FHL 2005 "RFM and CLV"; Fader & Hardie's Gamma-Gamma note).
 * With x = 0 nothing is known about the customer's spend: the result is the population mean and
 * meanValue is ignored.
 */
export function conditionalExpectedAverageValue(params: GammaGammaParams, x: number, meanValue: number): number {
  assertGammaGammaParams(params);
  assertSpendSummary({ x, meanValue });
  if (x === 0) return expectedAverageValue(params);
  if (meanValue < 0) throw new RangeError(`meanValue must be ≥ 0 for the Gamma-Gamma model, got ${meanValue}`);
  const denominator = params.p * x + params.q - 1;
  if (denominator <= 0) throw new RangeError(`E[M | x, m̄] is infinite when px + q ≤ 1 (p = ${params.p}, q = ${params.q}, x = ${x})`);
  return (params.p * (params.gamma + x * meanValue)) / denominator;
}
