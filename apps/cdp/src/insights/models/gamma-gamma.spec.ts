import { describe, expect, it } from '@jest/globals';
import {
  conditionalExpectedAverageValue,
  expectedAverageValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type GammaGammaParams,
} from './gamma-gamma.js';
import { SeededRandom, simulateGammaGammaSpend } from './simulation.js';

const CDNOW: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('Gamma-Gamma expected spend', () => {
  it('gives the population mean pγ/(q − 1) for a customer with no repeat purchase', () => {
    expect(expectedAverageValue(CDNOW)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(conditionalExpectedAverageValue(CDNOW, 0, 0)).toBe(expectedAverageValue(CDNOW));
  });

  it('weights the customer’s own mean by px/(px + q − 1) against the population mean', () => {
    for (const [x, mean] of [
      [1, 10],
      [2, 22.35],
      [7, 73.74],
      [50, 5],
    ]) {
      const weight = (CDNOW.p * x) / (CDNOW.p * x + CDNOW.q - 1);
      expect(conditionalExpectedAverageValue(CDNOW, x, mean)).toBeCloseTo(weight * mean + (1 - weight) * expectedAverageValue(CDNOW), 10);
    }
  });

  it('trusts the customer’s own mean more the more purchases it rests on', () => {
    const population = expectedAverageValue(CDNOW);
    const gaps = [1, 2, 5, 20, 200].map((x) => Math.abs(conditionalExpectedAverageValue(CDNOW, x, 100) - 100));
    gaps.slice(1).forEach((gap, i) => expect(gap).toBeLessThan(gaps[i]));
    expect(conditionalExpectedAverageValue(CDNOW, 1, 100)).toBeGreaterThan(population);
    expect(conditionalExpectedAverageValue(CDNOW, 1, 100)).toBeLessThan(100);
  });

  it('throws when the model has no finite mean (q ≤ 1)', () => {
    expect(() => expectedAverageValue({ ...CDNOW, q: 1 })).toThrow(/infinite for q ≤ 1/);
    expect(() => conditionalExpectedAverageValue({ ...CDNOW, q: 0.5 }, 0, 0)).toThrow(RangeError);
    // With a purchase the posterior mean exists as long as px + q > 1.
    expect(conditionalExpectedAverageValue({ p: 0.3, q: 0.5, gamma: 10 }, 2, 20)).toBeCloseTo((0.3 * (10 + 40)) / (0.6 + 0.5 - 1), 10);
    expect(() => conditionalExpectedAverageValue({ p: 0.1, q: 0.5, gamma: 10 }, 1, 20)).toThrow(/px \+ q ≤ 1/);
  });

  it.each([
    ['a negative mean value', 2, -10, /≥ 0/],
    ['negative x', -1, 10, /non-negative integer/],
    ['fractional x', 1.5, 10, /non-negative integer/],
    ['NaN mean value', 2, Number.NaN, /finite/],
  ])('throws a RangeError for %s', (_name, x, mean, message) => {
    expect(() => conditionalExpectedAverageValue(CDNOW, x, mean)).toThrow(message);
  });

  it('throws for non-positive parameters', () => {
    expect(() => expectedAverageValue({ ...CDNOW, gamma: 0 })).toThrow(/parameter gamma/);
    expect(() => gammaGammaLogLikelihood({ ...CDNOW, p: -1 }, { x: 1, meanValue: 1 })).toThrow(/parameter p/);
  });
});

describe('Gamma-Gamma likelihood and fit', () => {
  it('is a proper density in the mean value (integrates to 1)', () => {
    // Trapezoid rule on a log grid: ∫ f(m) dm = ∫ f(eᵘ) eᵘ du.
    let total = 0;
    const step = 0.001;
    for (let u = -8; u < 10; u += step) total += Math.exp(gammaGammaLogLikelihood(CDNOW, { x: 3, meanValue: Math.exp(u) }) + u) * step;
    expect(total).toBeCloseTo(1, 6);
  });

  it('needs a repeat purchase and a positive mean for the likelihood', () => {
    expect(() => gammaGammaLogLikelihood(CDNOW, { x: 0, meanValue: 10 })).toThrow(/x ≥ 1/);
    expect(() => gammaGammaLogLikelihood(CDNOW, { x: 2, meanValue: 0 })).toThrow(/meanValue > 0/);
  });

  const truth: GammaGammaParams = { p: 4, q: 5, gamma: 80 };
  const random = new SeededRandom(2013);
  const frequencies = Array.from({ length: 5000 }, (_, i) => 1 + (i % 12));
  const spend = simulateGammaGammaSpend(truth, frequencies, random);

  it('recovers known parameters from 5 000 simulated customers within sampling error', () => {
    const fit = fitGammaGamma(spend);
    expect(fit.converged).toBe(true);
    // The truth lies inside the 99.9 % likelihood-ratio confidence region (χ²₃ quantile 16.27).
    const truthLogLikelihood = spend.reduce((total, customer) => total + gammaGammaLogLikelihood(truth, customer), 0);
    const likelihoodRatio = 2 * (fit.logLikelihood - truthLogLikelihood);
    expect(likelihoodRatio).toBeGreaterThanOrEqual(0);
    expect(likelihoodRatio).toBeLessThan(16.27);
    // p, q and γ trade off along a ridge (only the mean of each customer's purchases is seen), so
    // individually they are loose (observed: p −16 %, q +3 %, γ +22 %) while the mean spend is tight.
    for (const name of ['p', 'q', 'gamma'] as const) expect(Math.abs(fit.params[name] / truth[name] - 1)).toBeLessThan(0.3);
    expect(Math.abs(expectedAverageValue(fit.params) / expectedAverageValue(truth) - 1)).toBeLessThan(0.01);
  });

  it('leaves out customers without a repeat purchase or with a non-positive mean, and says how many', () => {
    const fit = fitGammaGamma([...spend.slice(0, 500), { x: 0, meanValue: 0 }, { x: 3, meanValue: -5 }, { x: 2, meanValue: 0 }]);
    expect(fit.customers).toBe(500);
    expect(fit.excluded).toBe(3);
    expect(fit.params).toEqual(fitGammaGamma(spend.slice(0, 500)).params);
  });

  it('says when spend is too heavy-tailed for a finite mean, while customers with purchases can still be valued', () => {
    const heavyTailed = simulateGammaGammaSpend({ p: 2, q: 0.6, gamma: 20 }, frequencies, new SeededRandom(99));
    const fit = fitGammaGamma(heavyTailed);
    expect(fit.converged).toBe(true);
    expect(fit.params.q).toBeLessThan(1);
    expect(fit.finiteMean).toBe(false);
    expect(() => expectedAverageValue(fit.params)).toThrow(/infinite/);
    expect(() => conditionalExpectedAverageValue(fit.params, 0, 0)).toThrow(/infinite/);
    expect(Number.isFinite(conditionalExpectedAverageValue(fit.params, 1, 30))).toBe(true);
    expect(fitGammaGamma(spend).finiteMean).toBe(true);
  });

  it('throws when nothing is left to fit or an input is malformed', () => {
    expect(() => fitGammaGamma(spend, { initial: { p: 1, q: 0, gamma: 10 } })).toThrow(/parameter q/);
    expect(() => fitGammaGamma([{ x: 0, meanValue: 0 }])).toThrow(/at least one customer/);
    expect(() => fitGammaGamma([{ x: 1, meanValue: Number.POSITIVE_INFINITY }])).toThrow(/finite/);
  });
});
