import { describe, expect, it } from '@jest/globals';
import { conditionalExpectedPurchases, probabilityAlive, type BgNbdParams } from './bg-nbd.js';
import { churnRisk, customerLifetimeValue, discountRatePerPeriod, predictCustomer, purchasePropensity, type ValueModels } from './customer-lifetime-value.js';
import { conditionalExpectedAverageValue, expectedAverageValue } from './gamma-gamma.js';

// The CDNOW estimates (weeks, US dollars) from Fader, Hardie & Lee (2005).
const bgNbd: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const models: ValueModels = { bgNbd, gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 } };
const customerOne = { x: 2, tx: 30.43, T: 38.86, meanValue: 22.35 };
const monthInWeeks = 52 / 12;
const yearOfMonths = { periods: 12, periodLength: monthInWeeks, discountRatePerPeriod: 0 };

describe('customer lifetime value', () => {
  it('without discounting is the expected purchases over the horizon times the expected spend per purchase', () => {
    const expected = conditionalExpectedPurchases(bgNbd, customerOne, 52) * conditionalExpectedAverageValue(models.gammaGamma, 2, 22.35);
    expect(customerLifetimeValue(models, customerOne, yearOfMonths)).toBeCloseTo(expected, 10);
  });

  it('discounts each period’s expected purchases to the end of that period', () => {
    const d = 0.01;
    const value = conditionalExpectedAverageValue(models.gammaGamma, 2, 22.35);
    let expected = 0;
    for (let i = 1; i <= 12; i++) {
      const inPeriod = conditionalExpectedPurchases(bgNbd, customerOne, i * monthInWeeks) - conditionalExpectedPurchases(bgNbd, customerOne, (i - 1) * monthInWeeks);
      expected += (value * inPeriod) / (1 + d) ** i;
    }
    const discounted = customerLifetimeValue(models, customerOne, { ...yearOfMonths, discountRatePerPeriod: d });
    expect(discounted).toBeCloseTo(expected, 10);
    expect(discounted).toBeLessThan(customerLifetimeValue(models, customerOne, yearOfMonths));
  });

  it('values a customer with no repeat purchase at the population mean spend', () => {
    const newcomer = { x: 0, tx: 0, T: 38.86, meanValue: 0 };
    const expected = conditionalExpectedPurchases(bgNbd, newcomer, 52) * expectedAverageValue(models.gammaGamma);
    expect(customerLifetimeValue(models, newcomer, yearOfMonths)).toBeCloseTo(expected, 10);
  });

  it('weights the mean value by valueCount purchases when the mean includes the first purchase', () => {
    const withFirst = { ...customerOne, valueCount: 3 };
    const expected = conditionalExpectedPurchases(bgNbd, customerOne, 52) * conditionalExpectedAverageValue(models.gammaGamma, 3, 22.35);
    expect(customerLifetimeValue(models, withFirst, yearOfMonths)).toBeCloseTo(expected, 10);
    const oneTimeBuyer = { x: 0, tx: 0, T: 10, meanValue: 80, valueCount: 1 };
    expect(predictCustomer(models, oneTimeBuyer, { ...yearOfMonths, propensityWindow: 30 / 7 }).expectedAverageValue).toBeCloseTo(
      conditionalExpectedAverageValue(models.gammaGamma, 1, 80),
      12,
    );
  });

  it('values a lapsed frequent buyer at nearly nothing and an active one highly', () => {
    const lapsed = { x: 20, tx: 5, T: 38.86, meanValue: 40 };
    const active = { x: 20, tx: 38, T: 38.86, meanValue: 40 };
    expect(customerLifetimeValue(models, lapsed, yearOfMonths)).toBeLessThan(0.01);
    expect(customerLifetimeValue(models, active, yearOfMonths)).toBeGreaterThan(100 * customerLifetimeValue(models, lapsed, yearOfMonths));
  });

  it('converts an annual discount rate to the per-period rate that compounds back to it', () => {
    const monthly = discountRatePerPeriod(0.1, 12);
    expect((1 + monthly) ** 12).toBeCloseTo(1.1, 14);
    expect(discountRatePerPeriod(0, 12)).toBe(0);
  });

  it.each([
    ['zero periods', { ...yearOfMonths, periods: 0 }, /periods/],
    ['fractional periods', { ...yearOfMonths, periods: 1.5 }, /periods/],
    ['a zero period length', { ...yearOfMonths, periodLength: 0 }, /periodLength/],
    ['a discount rate of −100 %', { ...yearOfMonths, discountRatePerPeriod: -1 }, /discountRatePerPeriod/],
  ])('throws a RangeError for %s', (_name, options, message) => {
    expect(() => customerLifetimeValue(models, customerOne, options)).toThrow(message);
  });

  it('throws for an invalid annual rate or periods per year', () => {
    expect(() => discountRatePerPeriod(-1, 12)).toThrow(RangeError);
    expect(() => discountRatePerPeriod(0.1, 0)).toThrow(RangeError);
  });
});

describe('churn risk and purchase propensity', () => {
  it('defines churn risk as 1 − P(alive)', () => {
    for (const customer of [customerOne, { x: 1, tx: 2, T: 38 }, { x: 12, tx: 34.43, T: 38.57 }]) {
      expect(churnRisk(bgNbd, customer) + probabilityAlive(bgNbd, customer)).toBeCloseTo(1, 15);
    }
  });

  it('gives no churn risk to a customer without repeat purchases, whose risk shows in the propensity instead', () => {
    const oneTimeBuyer = { x: 0, tx: 0, T: 38.86 };
    expect(churnRisk(bgNbd, oneTimeBuyer)).toBe(0);
    expect(purchasePropensity(bgNbd, oneTimeBuyer, 30 / 7)).toBeLessThan(purchasePropensity(bgNbd, { x: 0, tx: 0, T: 1 }, 30 / 7));
  });

  it('computes P(at least one purchase in the window) = P(alive) · (1 − ((α+T)/(α+T+t))^(r+x))', () => {
    const t = 30 / 7;
    const { r, alpha } = bgNbd;
    const expected = probabilityAlive(bgNbd, customerOne) * (1 - ((alpha + 38.86) / (alpha + 38.86 + t)) ** (r + 2));
    expect(purchasePropensity(bgNbd, customerOne, t)).toBeCloseTo(expected, 14);
  });

  it('never exceeds P(alive), grows with the window, and is 0 for an empty window', () => {
    const windows = [0, 1, 4, 13, 52, 520];
    const propensities = windows.map((t) => purchasePropensity(bgNbd, customerOne, t));
    expect(propensities[0]).toBe(0);
    propensities.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(propensities[i]));
    expect(propensities[propensities.length - 1]).toBeLessThan(probabilityAlive(bgNbd, customerOne));
  });

  it('bundles every prediction for one customer consistently', () => {
    const prediction = predictCustomer(models, customerOne, { ...yearOfMonths, discountRatePerPeriod: 0.01, propensityWindow: 30 / 7 });
    expect(prediction).toEqual({
      probabilityAlive: probabilityAlive(bgNbd, customerOne),
      churnRisk: churnRisk(bgNbd, customerOne),
      purchasePropensity: purchasePropensity(bgNbd, customerOne, 30 / 7),
      expectedPurchases: conditionalExpectedPurchases(bgNbd, customerOne, 12 * monthInWeeks),
      expectedAverageValue: conditionalExpectedAverageValue(models.gammaGamma, 2, 22.35),
      lifetimeValue: customerLifetimeValue(models, customerOne, { ...yearOfMonths, discountRatePerPeriod: 0.01 }),
    });
  });
});
