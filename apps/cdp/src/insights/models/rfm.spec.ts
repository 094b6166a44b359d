import { describe, expect, it } from '@jest/globals';
import { computeQuintileThresholds, computeRfmBoundaries, scoreQuintile, scoreRfm, type BetterDirection, type RfmCustomer } from './rfm.js';
import { SeededRandom } from './simulation.js';

function scoresOf(values: readonly number[], better: BetterDirection = 'higher'): number[] {
  const thresholds = computeQuintileThresholds(values, better);
  return values.map((value) => scoreQuintile(thresholds, value, better));
}

describe('quintile scores of one dimension', () => {
  it.each([
    ['ten distinct values split into five equal groups', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]],
    ['five distinct values get one score each', [10, 20, 30, 40, 50], [1, 2, 3, 4, 5]],
    ['a single customer is average', [7], [3]],
    ['two customers', [1, 2], [2, 4]],
    ['three customers', [1, 2, 3], [1, 3, 5]],
    ['four customers', [1, 2, 3, 4], [1, 2, 4, 5]],
    ['a base where everyone is alike is average throughout', [4, 4, 4, 4, 4, 4], [3, 3, 3, 3, 3, 3]],
    ['a tie spanning the bottom three quintiles scores at its middle', [1, 1, 1, 1, 1, 1, 2, 3, 4, 5], [2, 2, 2, 2, 2, 2, 4, 4, 5, 5]],
    ['a tie at the top scores at its middle too', [1, 2, 3, 4, 5, 5, 5, 5, 5, 5], [1, 1, 2, 2, 4, 4, 4, 4, 4, 4]],
    ['negative and zero values (refunds)', [-20, 0, 0, 35, 80], [1, 2, 2, 4, 5]],
  ])('%s', (_name, values, expected) => {
    expect(scoresOf(values)).toEqual(expected);
  });

  it('scores lower-is-better values as the mirror image', () => {
    expect(scoresOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'lower')).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(scoresOf([5, 4, 3, 2, 1, 1, 1, 1, 1, 1], 'lower')).toEqual([1, 1, 2, 2, 4, 4, 4, 4, 4, 4]);
  });

  it('gives equal values equal scores and does not depend on input order', () => {
    const values = [3, 9, 1, 9, 4, 4, 4, 12, 0, 9, 7, 4];
    const shuffled = [...values].reverse();
    expect(computeQuintileThresholds(shuffled, 'higher')).toEqual(computeQuintileThresholds(values, 'higher'));
    const scores = scoresOf(values);
    const scoreByValue = new Map<number, number>();
    values.forEach((value, i) => {
      expect(scores[i]).toBe(scoreByValue.get(value) ?? scores[i]);
      scoreByValue.set(value, scores[i]);
    });
  });

  it('scores every member of a heavily tied base exactly by its mid-rank quintile', () => {
    const random = new SeededRandom(42);
    // Order counts: most customers ordered once or twice, a few many times.
    const values = Array.from({ length: 997 }, () => Math.floor(-Math.log(random.next()) * 2.5));
    const sorted = [...values].sort((p, q) => p - q);
    const n = values.length;
    const midRankScore = (value: number): number => {
      const worse = sorted.filter((v) => v < value).length;
      const equal = sorted.filter((v) => v === value).length;
      return Math.min(5, Math.max(1, Math.ceil((5 * (worse + equal / 2)) / n)));
    };
    expect(scoresOf(values)).toEqual(values.map(midRankScore));
  });

  it('scores values the base never had by the share of the base they beat', () => {
    const thresholds = computeQuintileThresholds([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'higher');
    expect(scoreQuintile(thresholds, 1000, 'higher')).toBe(5);
    expect(scoreQuintile(thresholds, -5, 'higher')).toBe(1);
    expect(scoreQuintile(thresholds, 5.5, 'higher')).toBe(3);
    expect(scoreQuintile(thresholds, 8.5, 'higher')).toBe(4);
  });

  it('scores everyone 3 against an empty base', () => {
    expect(computeQuintileThresholds([], 'higher')).toEqual([]);
    expect(scoreQuintile([], 42, 'higher')).toBe(3);
  });

  it('throws for non-finite values and malformed thresholds', () => {
    expect(() => computeQuintileThresholds([1, Number.NaN], 'higher')).toThrow(/finite/);
    expect(() => scoreQuintile(computeQuintileThresholds([1, 2, 3], 'higher'), Number.POSITIVE_INFINITY, 'higher')).toThrow(/finite/);
    expect(() => scoreQuintile([{ value: 1, inclusive: true }], 2, 'higher')).toThrow(/4 entries/);
  });
});

describe('RFM boundaries and scores over a customer base', () => {
  const base: RfmCustomer[] = Array.from({ length: 10 }, (_, i) => ({ recencyDays: (i + 1) * 10, frequency: i + 1, monetary: (i + 1) * 100 }));
  const neverOrdered: RfmCustomer = { recencyDays: null, frequency: 0, monetary: 0 };

  it('scores 5 for the most recent, most frequent and highest-spending customers', () => {
    const boundaries = computeRfmBoundaries(base);
    expect(scoreRfm(boundaries, { recencyDays: 10, frequency: 10, monetary: 1000 })).toEqual({ recency: 5, frequency: 5, monetary: 5 });
    expect(scoreRfm(boundaries, { recencyDays: 100, frequency: 1, monetary: 100 })).toEqual({ recency: 1, frequency: 1, monetary: 1 });
    expect(scoreRfm(boundaries, { recencyDays: 0, frequency: 50, monetary: 20 })).toEqual({ recency: 5, frequency: 5, monetary: 1 });
  });

  it('leaves customers without orders out of the base and gives them no score', () => {
    const boundaries = computeRfmBoundaries([...base, neverOrdered, neverOrdered]);
    expect(boundaries.population).toBe(10);
    expect(boundaries).toEqual(computeRfmBoundaries(base));
    expect(scoreRfm(boundaries, neverOrdered)).toBeNull();
  });

  it('produces boundaries that survive a JSON round trip, so a scheduler can store them', () => {
    const boundaries = computeRfmBoundaries([...base, { recencyDays: 0, frequency: 1, monetary: -0 }]);
    const restored = JSON.parse(JSON.stringify(boundaries)) as typeof boundaries;
    expect(restored).toEqual(boundaries);
    for (const customer of base) expect(scoreRfm(restored, customer)).toEqual(scoreRfm(boundaries, customer));
  });

  it('scores the only customer of a new store as average, and anyone against an empty base too', () => {
    expect(scoreRfm(computeRfmBoundaries([base[0]]), base[0])).toEqual({ recency: 3, frequency: 3, monetary: 3 });
    const empty = computeRfmBoundaries([neverOrdered]);
    expect(empty.population).toBe(0);
    expect(scoreRfm(empty, base[0])).toEqual({ recency: 3, frequency: 3, monetary: 3 });
  });

  it.each([
    ['a negative frequency', { recencyDays: 1, frequency: -1, monetary: 0 }, /frequency/],
    ['a fractional frequency', { recencyDays: 1, frequency: 1.5, monetary: 0 }, /frequency/],
    ['orders without a recency', { recencyDays: null, frequency: 2, monetary: 10 }, /recencyDays/],
    ['a negative recency', { recencyDays: -3, frequency: 2, monetary: 10 }, /recencyDays/],
    ['a non-finite monetary value', { recencyDays: 3, frequency: 2, monetary: Number.NaN }, /monetary/],
  ])('throws a RangeError for %s', (_name, customer, message) => {
    expect(() => computeRfmBoundaries([customer])).toThrow(message);
    expect(() => scoreRfm(computeRfmBoundaries(base), customer)).toThrow(message);
  });
});
