import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { bgNbdTotalLogLikelihood, conditionalExpectedPurchases, expectedPurchases, fitBgNbd, type BgNbdParams, type CustomerSummary } from './bg-nbd.js';
import { conditionalExpectedAverageValue, expectedAverageValue, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.js';

/**
 * The CDNOW cohort of Fader, Hardie & Lee (2005): 2,357 customers, 39-week calibration period,
 * time in weeks, zbar the mean value of the repeat purchases (fixtures/README.md has the source).
 */
interface CdnowCustomer extends CustomerSummary {
  readonly id: number;
  readonly meanValue: number;
}

function loadCdnow(): CdnowCustomer[] {
  const [header, ...lines] = readFileSync(new URL('./fixtures/cdnow-customers-summary.csv', import.meta.url), 'utf8').trim().split('\n');
  expect(header).toBe('ID,x,t_x,T,zbar');
  return lines.map((line) => {
    const [id, x, tx, T, meanValue] = line.split(',').map(Number);
    return { id, x, tx, T, meanValue };
  });
}

const customers = loadCdnow();

// FHL 2005 "Counting Your Customers the Easy Way", CDNOW estimates (log-likelihood −9582.4).
const PUBLISHED_BG_NBD: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
// FHL 2005 "RFM and CLV", CDNOW repeat customers.
const PUBLISHED_GAMMA_GAMMA: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

function expectWithinRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThanOrEqual(tolerance);
}

describe('BG/NBD on the CDNOW data set', () => {
  it('holds the 2,357 customers of the paper, 946 of whom made a repeat purchase', () => {
    expect(customers).toHaveLength(2357);
    expect(customers.filter((customer) => customer.x > 0)).toHaveLength(946);
  });

  it('has log-likelihood −9582.4 at the published parameters', () => {
    expect(bgNbdTotalLogLikelihood(PUBLISHED_BG_NBD, customers)).toBeCloseTo(-9582.4, 1);
  });

  const started = performance.now();
  const fit = fitBgNbd(customers);
  const fitMilliseconds = performance.now() - started;

  it('recovers the published estimates r = 0.243, α = 4.414, a = 0.793, b = 2.426 within 0.5 %', () => {
    expect(fit.converged).toBe(true);
    expectWithinRelative(fit.params.r, PUBLISHED_BG_NBD.r, 0.005);
    expectWithinRelative(fit.params.alpha, PUBLISHED_BG_NBD.alpha, 0.005);
    expectWithinRelative(fit.params.a, PUBLISHED_BG_NBD.a, 0.005);
    expectWithinRelative(fit.params.b, PUBLISHED_BG_NBD.b, 0.005);
  });

  it('reaches a likelihood at least as high as at the (rounded) published parameters', () => {
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdTotalLogLikelihood(PUBLISHED_BG_NBD, customers));
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it('fits the 2,357 customers well within the time a scheduled refit can afford', () => {
    expect(fitMilliseconds).toBeLessThan(2000);
  });

  it("reproduces the worked example's 1.226 expected purchases in the next 39 weeks at the fitted parameters", () => {
    expect(conditionalExpectedPurchases(fit.params, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  // Hardie's Excel implementation of the BG/NBD (brucehardie.com/notes/004), E[X(t)] for CDNOW.
  it.each([
    [0.1429, 0.0078],
    [1, 0.0532],
    [3, 0.1506],
    [31.8571, 1.0405],
    [32, 1.0437],
    [78, 1.8576],
  ])('expects E[X(%p weeks)] ≈ %p repeat purchases per new customer, as in the BG/NBD spreadsheet', (t, expected) => {
    expect(Math.abs(expectedPurchases(fit.params, t) - expected)).toBeLessThan(1e-3);
  });
});

describe('Gamma-Gamma on the CDNOW data set', () => {
  const fit = fitGammaGamma(customers.map(({ x, meanValue }) => ({ x, meanValue })));

  it('fits on the 946 repeat customers only', () => {
    expect(fit.customers).toBe(946);
    expect(fit.excluded).toBe(2357 - 946);
  });

  it('recovers the published estimates p = 6.25, q = 3.74, γ = 15.44 within 0.5 %', () => {
    expect(fit.converged).toBe(true);
    expectWithinRelative(fit.params.p, PUBLISHED_GAMMA_GAMMA.p, 0.005);
    expectWithinRelative(fit.params.q, PUBLISHED_GAMMA_GAMMA.q, 0.005);
    expectWithinRelative(fit.params.gamma, PUBLISHED_GAMMA_GAMMA.gamma, 0.005);
  });

  // Fader & Hardie's Gamma-Gamma spreadsheet (brucehardie.com/notes/025), the first ten CDNOW customers.
  it('reproduces the expected average transaction values of the first ten customers from the Gamma-Gamma spreadsheet', () => {
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    customers.slice(0, 10).forEach((customer, i) => {
      expect(Math.abs(conditionalExpectedAverageValue(fit.params, customer.x, customer.meanValue) - expected[i])).toBeLessThan(0.015);
    });
    expect(expectedAverageValue(fit.params)).toBeCloseTo(35.17, 2);
  });
});
