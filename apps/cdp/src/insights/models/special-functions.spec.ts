import { describe, expect, it } from '@jest/globals';
import { expm1OverEpsilon, hypergeometric2F1, hypergeometric2F1Excess, lnBeta, lnGamma, log1pExp, logAddExp, logistic } from './special-functions.js';

describe('lnGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [0.5, 0.5 * Math.log(Math.PI)],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [0.1, 2.252712651734206], // ln Γ(0.1), below 0.5 so through the reflection formula
    [100, 359.1342053695754],
    [1e6, 12815504.569147611],
  ])('ln Γ(%p) = %p to 14 significant digits', (x, expected) => {
    expect(Math.abs(lnGamma(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('satisfies Γ(x + 1) = x Γ(x) across the range the likelihoods use', () => {
    for (const x of [0.01, 0.243, 0.793, 2.426, 7.5, 33.3, 1234.5]) {
      // Relative to ln Γ itself: the difference of two large logarithms loses their last digits.
      expect(Math.abs(lnGamma(x + 1) - lnGamma(x) - Math.log(x))).toBeLessThanOrEqual(1e-15 * Math.max(1, lnGamma(x + 1)) * 4);
    }
  });

  it('throws for arguments where Γ has poles or is not needed', () => {
    expect(() => lnGamma(0)).toThrow(RangeError);
    expect(() => lnGamma(-1.5)).toThrow(/finite positive/);
    expect(() => lnGamma(Number.NaN)).toThrow(RangeError);
  });

  it('gives ln B(a, b) consistent with B(1, b) = 1/b', () => {
    expect(lnBeta(1, 4)).toBeCloseTo(-Math.log(4), 14);
  });
});

describe('log-space helpers', () => {
  it('computes ln(1 + eˣ) without overflow or underflow', () => {
    expect(log1pExp(1000)).toBe(1000);
    expect(log1pExp(-1000)).toBe(0);
    expect(log1pExp(-50)).toBeCloseTo(Math.exp(-50), 30);
    expect(log1pExp(0)).toBeCloseTo(Math.LN2, 15);
  });

  it('adds in log space without overflow, with −∞ as the identity', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
    expect(logAddExp(3, Number.NEGATIVE_INFINITY)).toBe(3);
    expect(logAddExp(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('evaluates the logistic function at ±∞ and far out without NaN', () => {
    expect(logistic(Number.POSITIVE_INFINITY)).toBe(1);
    expect(logistic(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(logistic(-800)).toBe(0);
    expect(logistic(-40)).toBeCloseTo(Math.exp(-40), 30);
  });

  it('makes (e^(εx) − 1)/ε continuous at ε = 0', () => {
    expect(expm1OverEpsilon(0, -2.5)).toBe(-2.5);
    expect(expm1OverEpsilon(1e-12, -2.5)).toBeCloseTo(-2.5, 10);
  });
});

describe('Gaussian hypergeometric series', () => {
  it.each([
    ['₂F₁(1, 1; 2; z) = −ln(1 − z) / z', 1, 1, 2, 0.9, -Math.log(1 - 0.9) / 0.9],
    ['₂F₁(a, b; b; z) = (1 − z)^−a', 0.7, 3.2, 3.2, 0.75, Math.pow(1 - 0.75, -0.7)],
    ['₂F₁(½, ½; 3/2; z²) = arcsin(z) / z', 0.5, 0.5, 1.5, 0.64, Math.asin(0.8) / 0.8],
    ['terminating at a = −2', -2, 1.5, 2.5, 0.6, 1 - (2 * 1.5 * 0.6) / 2.5 + (1.5 * 2.5 * 0.36) / (2.5 * 3.5)],
    ['negative z', 1, 1, 2, -0.5, Math.log(1.5) / 0.5],
  ])('matches the closed form %s', (_name, a, b, c, z, expected) => {
    expect(hypergeometric2F1(a, b, c, z)).toBeCloseTo(expected, 13);
  });

  it('keeps (₂F₁(a, b; c; z) − 1)/b finite as b → 0, where it tends to −ln(1 − z) for a = c', () => {
    expect(hypergeometric2F1Excess(2.3, 0, 2.3, 0.8)).toBeCloseTo(-Math.log(0.2), 13);
    expect(hypergeometric2F1Excess(2.3, 1e-10, 2.3, 0.8)).toBeCloseTo(-Math.log(0.2), 8);
  });

  it('converges close to z = 1, at the cost of more terms', () => {
    expect(hypergeometric2F1(1, 1, 2, 0.9999)).toBeCloseTo(-Math.log(1e-4) / 0.9999, 9);
  });

  it('throws instead of returning an unconverged sum', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 0.99999, 1000)).toThrow(/did not converge/);
  });

  it.each([
    ['z = 1', 1, 1, 2, 1, /\|z\| < 1/],
    ['c a non-positive integer', 1, 1, -2, 0.5, /non-positive integer/],
    ['a non-finite argument', Number.NaN, 1, 2, 0.5, /finite/],
  ])('throws a RangeError for %s', (_name, a, b, c, z, message) => {
    expect(() => hypergeometric2F1(a, b, c, z)).toThrow(message);
  });
});
