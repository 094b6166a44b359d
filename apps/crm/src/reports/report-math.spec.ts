import { describe, expect, it } from '@jest/globals';
import { addAmounts, monthBounds, monthOf, reportPeriod, totalsByCurrency, weightedAmount, winRate, winRatesByOwner } from './report-math.js';

describe('weightedAmount', () => {
  it('weights an amount by the stage probability exactly, rounding half up to the cent', () => {
    expect(weightedAmount('1000.00', 0.25)).toBe('250.00');
    expect(weightedAmount('0.10', 0.05)).toBe('0.01');
    expect(weightedAmount('0.10', 0.04)).toBe('0.00');
    expect(weightedAmount('333.33', 0.333)).toBe('111.00');
    expect(weightedAmount('999999999999.99', 1)).toBe('999999999999.99');
    expect(weightedAmount('12', 0)).toBe('0.00');
  });

  it('refuses a probability outside 0–1 rather than inventing money', () => {
    expect(() => weightedAmount('10.00', 1.5)).toThrow('probability');
    expect(() => weightedAmount('10.00', -0.1)).toThrow('probability');
  });
});

describe('totalsByCurrency', () => {
  it('adds amounts and weighted amounts per currency, never across currencies', () => {
    expect(
      totalsByCurrency([
        { currency: 'USD', amount: '100.00', probability: 0.5 },
        { currency: 'EUR', amount: '0.10', probability: 0.1 },
        { currency: 'EUR', amount: '0.20', probability: 0.1 },
      ]),
    ).toEqual([
      { currency: 'EUR', amount: '0.30', weightedAmount: '0.03' },
      { currency: 'USD', amount: '100.00', weightedAmount: '50.00' },
    ]);
    expect(addAmounts()).toBe('0.00');
  });
});

describe('win rate', () => {
  it('is won over won plus lost, and unknown when nothing closed', () => {
    expect(winRate(2, 1)).toEqual({ won: 2, lost: 1, winRate: 0.6667 });
    expect(winRate(0, 3).winRate).toBe(0);
    expect(winRate(0, 0).winRate).toBeNull();
  });

  it('is given per owner and overall, from all closed deals rather than averaging owners', () => {
    const report = winRatesByOwner([
      { owner: null, won: 0, lost: 1 },
      { owner: 'zoe', won: 1, lost: 0 },
      { owner: 'ana', won: 3, lost: 1 },
    ]);
    expect(report.owners.map((row) => [row.owner, row.winRate])).toEqual([
      ['ana', 0.75],
      ['zoe', 1],
      [null, 0],
    ]);
    expect(report.overall).toEqual({ won: 4, lost: 2, winRate: 0.6667 });
  });
});

describe('calendar bounds', () => {
  it('gives a month as its first day and the first day of the next, across year ends and leap years', () => {
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01', before: '2027-01-01' });
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', before: '2028-03-01' });
    expect(() => monthBounds('2026-13')).toThrow('not a month');
    expect(monthOf(new Date('2026-03-31T23:59:59Z'))).toBe('2026-03');
  });

  it('turns an inclusive date period into UTC instants, defaulting to the last 30 days', () => {
    const now = new Date('2026-03-15T12:00:00Z');
    expect(reportPeriod('2026-01-01', '2026-01-31', now)).toEqual({ from: '2026-01-01', to: '2026-01-31', start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z') });
    expect(reportPeriod(undefined, undefined, now)).toMatchObject({ from: '2026-02-14', to: '2026-03-15', end: new Date('2026-03-16T00:00:00Z') });
    expect(reportPeriod('2026-02-01', '2026-01-31', now)).toBeNull();
  });
});
