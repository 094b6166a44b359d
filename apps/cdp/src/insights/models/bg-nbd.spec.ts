import { describe, expect, it } from '@jest/globals';
import {
  bgNbdLogLikelihood,
  bgNbdTotalLogLikelihood,
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
  probabilityDroppedOut,
  probabilityOfPurchase,
  type BgNbdParams,
  type CustomerSummary,
} from './bg-nbd.js';
import { SeededRandom, simulateBgNbdCustomers } from './simulation.js';
import { hypergeometric2F1 } from './special-functions.js';

// Fader, Hardie & Lee (2005), CDNOW cohort, time unit weeks.
const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
// The paper's worked example: CDNOW customer 1.
const WORKED_EXAMPLE: CustomerSummary = { x: 2, tx: 30.43, T: 38.86 };

/** FHL 2005 eq. (10) exactly as printed, with the plain ₂F₁ series: fine for moderate x. */
function conditionalExpectationAsPublished({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: CustomerSummary, t: number): number {
  const bracket = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hypergeometric2F1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
  return ((a + b + x - 1) / (a - 1)) * (bracket / denominator);
}

/** ∫₀¹ f(p) dp by Simpson's rule after p = u⁴, which smooths the integrable p^(a−2) singularity at 0. */
function integrateOverP(f: (p: number) => number, intervals = 20_000): number {
  const g = (u: number): number => (u === 0 || u === 1 ? 0 : f(u ** 4) * 4 * u ** 3);
  const h = 1 / intervals;
  let sum = g(0) + g(1);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * g(i * h);
  return (sum * h) / 3;
}

/**
 * E[Y(t) | history] and P(Y(t) = 0 | history) straight from the model's definition, with no
 * hypergeometric function: λ is integrated out analytically, p numerically. Given λ and p, a
 * customer alive at T buys (1 − e^(−λpt))/p times in the next t on average, and none at all with
 * probability e^(−λt); a customer who has dropped out never buys.
 */
function byQuadrature({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: CustomerSummary, t: number): { expected: number; noPurchase: number } {
  // ∫ Gamma(λ; r, α) λˣ e^(−λs) dλ up to a factor shared by every term: ((α+T)/(α+s))^(r+x).
  const k = (s: number): number => Math.pow((alpha + T) / (alpha + s), r + x);
  const prior = (p: number): number => Math.pow(p, a - 1) * Math.pow(1 - p, b - 1);
  const droppedAfterTx = (p: number): number => (x > 0 ? p * Math.pow(1 - p, x - 1) * k(tx) : 0);
  const evidence = integrateOverP((p) => prior(p) * (Math.pow(1 - p, x) * k(T) + droppedAfterTx(p)));
  const expected = integrateOverP((p) => (prior(p) * Math.pow(1 - p, x) * (k(T) - k(T + p * t))) / p);
  const noPurchase = integrateOverP((p) => prior(p) * (Math.pow(1 - p, x) * k(T + t) + droppedAfterTx(p)));
  return { expected: expected / evidence, noPurchase: noPurchase / evidence };
}

describe('BG/NBD at the published CDNOW parameters', () => {
  it("reproduces the paper's worked example: customer (x = 2, tx = 30.43, T = 38.86) buys 1.226 times in the next 39 weeks", () => {
    expect(conditionalExpectedPurchases(CDNOW, WORKED_EXAMPLE, 39)).toBeCloseTo(1.226, 3);
  });

  it('gives P(no repeat purchase in the first 39 weeks) = 0.5737864, as the R BTYD package documents for these parameters', () => {
    expect(1 - probabilityOfPurchase(CDNOW, { x: 0, tx: 0, T: 0 }, 39)).toBeCloseTo(0.5737864, 7);
  });

  it.each([
    ['the worked example', WORKED_EXAMPLE, 39],
    ['a customer with no repeat purchase', { x: 0, tx: 0, T: 38.86 }, 39],
    ['a frequent buyer', { x: 10, tx: 30, T: 38 }, 52],
    ['a customer who bought at the very end', { x: 3, tx: 20, T: 20 }, 10],
    ['a short horizon', { x: 1, tx: 1.71, T: 38.86 }, 0.5],
  ])('matches an independent numerical integration of the posterior for %s', (_name, customer, t) => {
    const reference = byQuadrature(CDNOW, customer, t);
    expect(conditionalExpectedPurchases(CDNOW, customer, t) / reference.expected).toBeCloseTo(1, 7);
    expect(1 - probabilityOfPurchase(CDNOW, customer, t) - reference.noPurchase).toBeCloseTo(0, 8);
  });

  it('agrees with eq. (10) evaluated as printed wherever that is still accurate (moderate x)', () => {
    for (const customer of [WORKED_EXAMPLE, { x: 0, tx: 0, T: 38.86 }, { x: 10, tx: 30, T: 38 }, { x: 50, tx: 37, T: 38 }]) {
      for (const t of [1, 39, 78]) expect(conditionalExpectedPurchases(CDNOW, customer, t) / conditionalExpectationAsPublished(CDNOW, customer, t)).toBeCloseTo(1, 11);
    }
  });

  it('treats the unconditional expectation as that of a customer with no history (eq. 9 = eq. 10 at x = T = 0)', () => {
    const { r, alpha, a, b } = CDNOW;
    for (const t of [0.1429, 1, 39, 78]) {
      const asPublished = ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hypergeometric2F1(r, b, a + b - 1, t / (alpha + t)));
      expect(expectedPurchases(CDNOW, t) / asPublished).toBeCloseTo(1, 11);
    }
  });

  it('expects nothing over an empty horizon and more over a longer one', () => {
    expect(expectedPurchases(CDNOW, 0)).toBe(0);
    expect(conditionalExpectedPurchases(CDNOW, WORKED_EXAMPLE, 0)).toBe(0);
    const horizons = [1, 4, 13, 26, 52, 104, 520];
    const expectations = horizons.map((t) => conditionalExpectedPurchases(CDNOW, WORKED_EXAMPLE, t));
    expectations.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(expectations[i]));
  });
});

describe('BG/NBD probability alive', () => {
  it('is 1 for a customer with no repeat purchase, whatever their age', () => {
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 500 })).toBe(1);
    expect(probabilityDroppedOut(CDNOW, { x: 0, tx: 0, T: 500 })).toBe(0);
  });

  it('is 1 / (1 + a/(b + x − 1)) for a customer who bought just now (T = tx)', () => {
    expect(probabilityAlive(CDNOW, { x: 3, tx: 20, T: 20 })).toBeCloseTo(1 / (1 + CDNOW.a / (CDNOW.b + 2)), 14);
  });

  it('falls the longer a customer has been silent, faster for frequent buyers', () => {
    const silentFor = (x: number, gap: number): number => probabilityAlive(CDNOW, { x, tx: 38 - gap, T: 38 });
    expect(silentFor(2, 0)).toBeGreaterThan(silentFor(2, 10));
    expect(silentFor(2, 10)).toBeGreaterThan(silentFor(2, 30));
    expect(silentFor(10, 10)).toBeLessThan(silentFor(2, 10));
  });

  it('adds up with the probability of having dropped out, which keeps precision when tiny', () => {
    const customer = { x: 1, tx: 38, T: 38.5 };
    expect(probabilityAlive(CDNOW, customer) + probabilityDroppedOut(CDNOW, customer)).toBeCloseTo(1, 15);
    const loyal = { x: 300, tx: 38, T: 38 };
    const odds = CDNOW.a / (CDNOW.b + 299);
    expect(probabilityDroppedOut(CDNOW, loyal)).toBeCloseTo(odds / (1 + odds), 15);
  });
});

describe('BG/NBD numerics at the edges', () => {
  it('stays finite for huge x where the published form overflows', () => {
    const lapsed = { x: 2000, tx: 10, T: 38 };
    expect(Number.isNaN(conditionalExpectationAsPublished(CDNOW, lapsed, 39))).toBe(true);
    expect(probabilityAlive(CDNOW, lapsed)).toBe(0);
    expect(conditionalExpectedPurchases(CDNOW, lapsed, 39)).toBe(0);

    const active = { x: 100_000, tx: 38, T: 38 };
    const expected = conditionalExpectedPurchases(CDNOW, active, 39);
    // About as many purchases per week as so far (100 000 in 38 weeks), slightly fewer for dropout risk.
    expect(expected).toBeGreaterThan(0.5 * 100_000);
    expect(expected).toBeLessThan((39 / 38) * 100_000);
  });

  it('is continuous at a = 1, where eq. (10) divides zero by zero', () => {
    const at = (a: number): number => conditionalExpectedPurchases({ ...CDNOW, a }, WORKED_EXAMPLE, 39);
    expect(Number.isFinite(at(1))).toBe(true);
    expect(at(1)).toBeCloseTo(at(1 + 1e-7), 6);
    expect(at(1)).toBeCloseTo(at(1 - 1e-7), 6);
    expect(at(1)).toBeCloseTo(byQuadrature({ ...CDNOW, a: 1 }, WORKED_EXAMPLE, 39).expected, 6);
  });

  it('gives the same predictions in days as in weeks once α is scaled by 7', () => {
    const inDays: BgNbdParams = { ...CDNOW, alpha: CDNOW.alpha * 7 };
    const customerInDays = { x: 2, tx: 30.43 * 7, T: 38.86 * 7 };
    expect(conditionalExpectedPurchases(inDays, customerInDays, 39 * 7)).toBeCloseTo(conditionalExpectedPurchases(CDNOW, WORKED_EXAMPLE, 39), 12);
    expect(probabilityAlive(inDays, customerInDays)).toBeCloseTo(probabilityAlive(CDNOW, WORKED_EXAMPLE), 14);
    expect(probabilityOfPurchase(inDays, customerInDays, 30)).toBeCloseTo(probabilityOfPurchase(CDNOW, WORKED_EXAMPLE, 30 / 7), 14);
  });

  it('accepts a repeat purchase at the same instant as the first (tx = 0 with x > 0)', () => {
    expect(Number.isFinite(bgNbdLogLikelihood(CDNOW, { x: 1, tx: 0, T: 10 }))).toBe(true);
    expect(probabilityAlive(CDNOW, { x: 1, tx: 0, T: 10 })).toBeLessThan(1);
  });
});

describe('BG/NBD input checks', () => {
  it.each([
    ['x negative', { x: -1, tx: 0, T: 10 }, /non-negative integer/],
    ['x fractional', { x: 1.5, tx: 1, T: 10 }, /non-negative integer/],
    ['tx after T', { x: 2, tx: 11, T: 10 }, /within \[0, T/],
    ['tx negative', { x: 2, tx: -1, T: 10 }, /within \[0, T/],
    ['tx set without repeat purchases', { x: 0, tx: 3, T: 10 }, /tx must be 0/],
    ['T infinite', { x: 0, tx: 0, T: Number.POSITIVE_INFINITY }, /finite/],
    ['T NaN', { x: 0, tx: 0, T: Number.NaN }, /finite/],
  ])('throws a RangeError for %s', (_name, customer, message) => {
    expect(() => probabilityAlive(CDNOW, customer)).toThrow(message);
    expect(() => conditionalExpectedPurchases(CDNOW, customer, 1)).toThrow(RangeError);
    expect(() => bgNbdLogLikelihood(CDNOW, customer)).toThrow(RangeError);
    expect(() => fitBgNbd([customer])).toThrow(RangeError);
  });

  it('throws for non-positive parameters and horizons', () => {
    expect(() => probabilityAlive({ ...CDNOW, b: 0 }, WORKED_EXAMPLE)).toThrow(/parameter b/);
    expect(() => expectedPurchases({ ...CDNOW, alpha: Number.NaN }, 1)).toThrow(/parameter alpha/);
    expect(() => conditionalExpectedPurchases(CDNOW, WORKED_EXAMPLE, -1)).toThrow(/horizon/);
    expect(() => probabilityOfPurchase(CDNOW, WORKED_EXAMPLE, Number.POSITIVE_INFINITY)).toThrow(/horizon/);
  });

  it('refuses to fit nothing, or customers never observed', () => {
    expect(() => fitBgNbd([])).toThrow(/at least one customer/);
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 0 }])).toThrow(/every T is 0/);
  });
});

describe('BG/NBD likelihood and fit', () => {
  it('sums per-customer log-likelihoods, a brand-new customer contributing ln 1 = 0', () => {
    const customers = [WORKED_EXAMPLE, { x: 0, tx: 0, T: 38.86 }, { x: 7, tx: 29.43, T: 38.86 }];
    const sum = customers.reduce((total, customer) => total + bgNbdLogLikelihood(CDNOW, customer), 0);
    expect(bgNbdTotalLogLikelihood(CDNOW, customers)).toBeCloseTo(sum, 10);
    expect(bgNbdLogLikelihood(CDNOW, { x: 0, tx: 0, T: 0 })).toBeCloseTo(0, 14);
  });

  const truth: BgNbdParams = { r: 0.5, alpha: 6, a: 0.7, b: 3 };
  const random = new SeededRandom(20050301);
  // A year's cohort observed for 13 to 52 weeks, then followed for 26 more.
  const ages = Array.from({ length: 20_000 }, (_, i) => 13 + (39 * i) / 20_000);
  const simulated = simulateBgNbdCustomers(truth, ages, random, 26);

  it('recovers known parameters from 20 000 simulated customers within sampling error', () => {
    const fit = fitBgNbd(simulated);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(20_000);
    // The truth lies inside the 99.9 % likelihood-ratio confidence region (χ²₄ quantile 18.47)…
    const likelihoodRatio = 2 * (fit.logLikelihood - bgNbdTotalLogLikelihood(truth, simulated));
    expect(likelihoodRatio).toBeGreaterThanOrEqual(0);
    expect(likelihoodRatio).toBeLessThan(18.47);
    // …and every estimate is within 10 % of it (observed: r −1 %, α −1 %, a +5 %, b +6 %).
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.params[name] / truth[name] - 1)).toBeLessThan(0.1);
  });

  it('fits deterministically, and from a different start to the same optimum', () => {
    const sample = simulated.slice(0, 2000);
    const first = fitBgNbd(sample);
    expect(fitBgNbd(sample)).toEqual(first);
    const fromElsewhere = fitBgNbd(sample, { initial: { r: 3, alpha: 1, a: 0.2, b: 10 } });
    expect(fromElsewhere.logLikelihood).toBeCloseTo(first.logLikelihood, 6);
    expect(fromElsewhere.params.r).toBeCloseTo(first.params.r, 3);
  });

  /** Observed total minus predicted total, in standard errors of the per-customer differences. */
  function standardisedGap(observed: readonly number[], predicted: readonly number[]): number {
    const differences = observed.map((value, i) => value - predicted[i]);
    const mean = differences.reduce((sum, d) => sum + d, 0) / differences.length;
    const variance = differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (differences.length - 1);
    return mean / Math.sqrt(variance / differences.length);
  }

  it('predicts, at the true parameters, what simulated customers go on to do (within 4 standard errors)', () => {
    const holdout = 26;
    expect(Math.abs(standardisedGap(simulated.map((c) => c.holdoutPurchases), simulated.map((c) => conditionalExpectedPurchases(truth, c, holdout))))).toBeLessThan(4);
    expect(Math.abs(standardisedGap(simulated.map((c) => (c.holdoutPurchases > 0 ? 1 : 0)), simulated.map((c) => probabilityOfPurchase(truth, c, holdout))))).toBeLessThan(4);
    expect(Math.abs(standardisedGap(simulated.map((c) => (c.alive ? 1 : 0)), simulated.map((c) => probabilityAlive(truth, c))))).toBeLessThan(4);
  });

  it('matches the simulated mean number of repeat purchases with the unconditional expectation', () => {
    const fresh = simulateBgNbdCustomers(truth, new Array<number>(20_000).fill(39), new SeededRandom(7));
    expect(Math.abs(standardisedGap(fresh.map((c) => c.x), fresh.map(() => expectedPurchases(truth, 39))))).toBeLessThan(4);
  });
});
