/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting Your Customers the
 * Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275–284).
 *
 * While active, a customer buys at Poisson rate λ, λ ~ Gamma(r, α) across customers; after every
 * repeat purchase they drop out for good with probability p, p ~ Beta(a, b) across customers.
 *
 * Time unit: whatever the caller measures tx, T and t in (the CDP uses days; the paper weeks).
 * r, a and b are unit-free; α is in that time unit, so α fitted in days is 7 × α fitted in weeks.
 */
import { minimizeNelderMead } from './nelder-mead.js';
import { expm1OverEpsilon, hypergeometric2F1Excess, lnGamma, log1pExp, logAddExp, logistic } from './special-functions.js';

// Formulas read closer to the papers without the Math. prefix; module-level bindings are also
// much faster than global lookups inside Jest's vm sandbox, where the fits run in the tests.
const { exp, expm1, log, log1p, max } = Math;

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** One customer's purchase history, counted from their first purchase (which is not a repeat). */
export interface CustomerSummary {
  /** Repeat purchases: every purchase after the first. A non-negative integer. */
  readonly x: number;
  /** Time from the first purchase to the last one (0 when x = 0). */
  readonly tx: number;
  /** Time from the first purchase to the end of observation ("now"); tx ≤ T. */
  readonly T: number;
}

export interface BgNbdFitOptions {
  /** Starting point; by default r = a = b = 1 and α matched to the observed purchase rate. */
  readonly initial?: BgNbdParams;
  readonly maxIterations?: number;
}

export interface BgNbdFit {
  readonly params: BgNbdParams;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly iterations: number;
  /** False when the optimiser hit its iteration limit: the parameters are then only the best seen. */
  readonly converged: boolean;
}

/** Throws a RangeError naming the problem unless the summary is a possible purchase history. */
export function assertCustomerSummary(customer: CustomerSummary): void {
  const { x, tx, T } = customer;
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`x (repeat purchases) must be a non-negative integer, got ${x}`);
  if (!Number.isFinite(T) || T < 0) throw new RangeError(`T (time since first purchase) must be finite and ≥ 0, got ${T}`);
  if (!Number.isFinite(tx) || tx < 0 || tx > T) throw new RangeError(`tx (time of last purchase) must be within [0, T = ${T}], got ${tx}`);
  if (x === 0 && tx !== 0) throw new RangeError(`tx must be 0 when there are no repeat purchases (x = 0), got ${tx}`);
}

export function assertBgNbdParams(params: BgNbdParams): void {
  for (const name of ['r', 'alpha', 'a', 'b'] as const) {
    const value = params[name];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`BG/NBD parameter ${name} must be finite and > 0, got ${value}`);
  }
}

function assertHorizon(t: number): void {
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`time horizon t must be finite and ≥ 0, got ${t}`);
}

/**
 * ln L for one customer, FHL 2005 eq. (6):
 *
 *   L = B(a, b+x)/B(a, b) · Γ(r+x) αʳ / (Γ(r) (α+T)^(r+x))
 *     + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x) αʳ / (Γ(r) (α+tx)^(r+x))
 *
 * evaluated in logs, the two terms combined with log-sum-exp so neither underflows.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, customer: CustomerSummary): number {
  assertBgNbdParams(params);
  assertCustomerSummary(customer);
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  const common = lnGamma(r + x) - lnGamma(r) + r * log(alpha) + lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  return common + survivalTerms(r, alpha, a, b, x, tx, T);
}

/** ln of the bracket (α+T)^−(r+x) + δ(x>0) a/(b+x−1) (α+tx)^−(r+x): the part of eq. (6) that varies with tx and T. */
function survivalTerms(r: number, alpha: number, a: number, b: number, x: number, tx: number, T: number): number {
  const aliveTerm = -(r + x) * log(alpha + T);
  if (x === 0) return aliveTerm;
  return logAddExp(aliveTerm, log(a) - log(b + x - 1) - (r + x) * log(alpha + tx));
}

/** Σ ln L over the customers. */
export function bgNbdTotalLogLikelihood(params: BgNbdParams, customers: readonly CustomerSummary[]): number {
  customers.forEach(assertCustomerSummary);
  assertBgNbdParams(params);
  return compileLikelihood(customers)(params);
}

/**
 * Prepares the data once so that each likelihood evaluation costs a few logs per customer: the
 * Γ-function terms depend only on x, and real bases have few distinct x values.
 */
function compileLikelihood(customers: readonly CustomerSummary[]): (params: BgNbdParams) => number {
  const distinctX = [...new Set(customers.map((customer) => customer.x))];
  const xIndex = new Map(distinctX.map((x, i) => [x, i]));
  const countByX = new Float64Array(distinctX.length);
  for (const customer of customers) countByX[xIndex.get(customer.x) ?? 0] += 1;

  return ({ r, alpha, a, b }) => {
    let total = 0;
    for (let i = 0; i < distinctX.length; i++) {
      const x = distinctX[i];
      const gammaTerms = lnGamma(r + x) - lnGamma(r) + lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
      total += countByX[i] * (gammaTerms + r * log(alpha));
    }
    for (const { x, tx, T } of customers) total += survivalTerms(r, alpha, a, b, x, tx, T);
    return total;
  };
}

/**
 * Maximum-likelihood estimates of r, α, a and b: Nelder–Mead on the log-parameters (so they stay
 * positive), restarted until a fresh simplex finds nothing better. Deterministic.
 */
export function fitBgNbd(customers: readonly CustomerSummary[], options: BgNbdFitOptions = {}): BgNbdFit {
  if (customers.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  customers.forEach(assertCustomerSummary);
  const totalT = customers.reduce((sum, customer) => sum + customer.T, 0);
  if (!(totalT > 0)) throw new RangeError('fitBgNbd needs customers observed for some time (every T is 0)');
  const totalX = customers.reduce((sum, customer) => sum + customer.x, 0);
  // With r = 1 the mean purchase rate is 1 / α; starting there makes the start independent of the time unit.
  const initial = options.initial ?? { r: 1, alpha: totalT / max(totalX, 1), a: 1, b: 1 };
  assertBgNbdParams(initial);

  const logLikelihood = compileLikelihood(customers);
  const toParams = (logs: readonly number[]): BgNbdParams => ({ r: exp(logs[0]), alpha: exp(logs[1]), a: exp(logs[2]), b: exp(logs[3]) });
  const start = [initial.r, initial.alpha, initial.a, initial.b].map(log);
  const result = minimizeNelderMead((logs) => -logLikelihood(toParams(logs)), start, { maxIterations: options.maxIterations ?? 5000 });
  return { params: toParams(result.x), logLikelihood: -result.value, customers: customers.length, iterations: result.iterations, converged: result.converged };
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] for a customer just acquired, FHL 2005 eq. (9):
 *
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))]
 *
 * It is the conditional expectation for a customer with no history (x = 0, T = 0), and computed
 * that way (see {@link conditionalExpectedPurchases} for the numerics).
 */
export function expectedPurchases(params: BgNbdParams, t: number): number {
  return conditionalExpectedPurchases(params, { x: 0, tx: 0, T: 0 }, t);
}

/**
 * E[Y(t) | x, tx, T]: expected repeat purchases in (T, T + t], FHL 2005 eq. (10):
 *
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)]
 *   ───────────────────────────────────────────────────────────────────────────,  z = t/(α+T+t)
 *            1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)
 *
 * Evaluated as published it breaks down in three places, each handled here:
 * - ₂F₁(r+x, b+x; …) grows like (1−z)^−(r+x) for large x while the factor before it shrinks as
 *   fast, so 1 − product cancels catastrophically. Euler's transformation
 *   ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z) turns the product into
 *   (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose series is bounded and converges faster as x grows.
 * - At a = 1 both the bracket and the a − 1 before it vanish; with ε = a − 1 and
 *   ₂F₁(A, ε; C; z) = 1 + ε·G the bracket over ε is −expm1(ε ln(1−z))/ε − (1−z)^ε G, finite at ε = 0.
 * - ((α+T)/(α+tx))^(r+x) overflows for frequent buyers who then lapsed; the denominator is taken in logs.
 *
 * The series argument z = t/(α+T+t) is always in [0, 1); its cost grows like (α+T+t)/(α+T) terms,
 * which stays small unless the horizon dwarfs α (see hypergeometric2F1Excess for the limit).
 */
export function conditionalExpectedPurchases(params: BgNbdParams, customer: CustomerSummary, t: number): number {
  assertBgNbdParams(params);
  assertCustomerSummary(customer);
  assertHorizon(t);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const { x, T } = customer;
  const c = a + b + x - 1;
  const logOneMinusZ = -log1p(t / (alpha + T));
  const z = t / (alpha + T + t);
  const epsilon = a - 1;
  const g = hypergeometric2F1Excess(a + b - 1 - r, epsilon, c, z);
  const bracketOverEpsilon = -expm1OverEpsilon(epsilon, logOneMinusZ) - exp(epsilon * logOneMinusZ) * g;
  const numerator = c * bracketOverEpsilon;
  // Below zero only by rounding (the expectation is a count); a clamp keeps the log defined.
  if (!(numerator > 0)) return 0;
  return exp(log(numerator) - log1pExp(logOddsDeadAtT(params, customer)));
}

/**
 * ln of a/(b+x−1) · ((α+T)/(α+tx))^(r+x): the odds that a customer with this history has
 * already dropped out (−∞ when x = 0, since dropout happens only after a repeat purchase).
 */
function logOddsDeadAtT(params: BgNbdParams, customer: CustomerSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return log(a) - log(b + x - 1) + (r + x) * log1p((T - tx) / (alpha + tx));
}

/**
 * P(alive | x, tx, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)), the posterior
 * probability that the customer has not dropped out by T (Fader, Hardie & Lee, "Computing
 * P(alive) Using the BG/NBD Model", 2008). Always 1 for x = 0: under the BG/NBD a customer can
 * only drop out right after a repeat purchase.
 */
export function probabilityAlive(params: BgNbdParams, customer: CustomerSummary): number {
  assertBgNbdParams(params);
  assertCustomerSummary(customer);
  return logistic(-logOddsDeadAtT(params, customer));
}

/** 1 − P(alive | x, tx, T), computed as a logistic of the log-odds so that small values keep their precision. */
export function probabilityDroppedOut(params: BgNbdParams, customer: CustomerSummary): number {
  assertBgNbdParams(params);
  assertCustomerSummary(customer);
  return logistic(logOddsDeadAtT(params, customer));
}

/**
 * P(Y(t) > 0 | x, tx, T): the probability of at least one purchase in (T, T + t].
 *
 *   P(Y(t) = 0 | x, tx, T) = [((α+T)/(α+T+t))^(r+x) + δ(x>0) a/(b+x−1) ((α+T)/(α+tx))^(r+x)]
 *                            / [1 + δ(x>0) a/(b+x−1) ((α+T)/(α+tx))^(r+x)]
 *
 * so P(Y(t) > 0 | …) = P(alive | …) · (1 − ((α+T)/(α+T+t))^(r+x)). Derived from the
 * individual-level likelihood behind eq. (6): a customer who is alive at T and has rate λ makes no
 * purchase in the next t with probability e^(−λt), a customer who has dropped out never buys, and
 * integrating over the posterior of λ and p gives the ratio above. It is the y = 0 case of the
 * conditional distribution of Y(t) under the BG/NBD.
 */
export function probabilityOfPurchase(params: BgNbdParams, customer: CustomerSummary, t: number): number {
  assertBgNbdParams(params);
  assertCustomerSummary(customer);
  assertHorizon(t);
  const logNoPurchaseIfAlive = -(params.r + customer.x) * log1p(t / (params.alpha + customer.T));
  return probabilityAlive(params, customer) * -expm1(logNoPurchaseIfAlive);
}
