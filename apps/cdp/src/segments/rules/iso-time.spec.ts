import { describe, expect, it } from '@jest/globals';
import { parseIsoTime, timeOf } from './iso-time.js';

describe('ISO 8601 times', () => {
  it.each<[string, string]>([
    ['2025-01-31', '2025-01-31T00:00:00.000Z'],
    ['2025-01-31T12:30:00Z', '2025-01-31T12:30:00.000Z'],
    ['2025-01-31T12:30Z', '2025-01-31T12:30:00.000Z'],
    ['2025-01-31T12:30:00.123456Z', '2025-01-31T12:30:00.123Z'],
    ['2025-01-31T12:30:00+01:00', '2025-01-31T11:30:00.000Z'],
    ['2025-01-31T12:30:00-0530', '2025-01-31T18:00:00.000Z'],
    ['2025-01-31T12:30:00', '2025-01-31T12:30:00.000Z'],
    ['2025-01-31 12:30:00Z', '2025-01-31T12:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['0050-06-01', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s (a missing zone is UTC)', (text, expected) => {
    expect(new Date(parseIsoTime(text)).toISOString()).toBe(expected);
  });

  it.each(['2025-02-29', '2025-02-30', '2025-13-01', '2025-00-10', '2025-01-31T24:00Z', '2025-01-31T12:60Z', '2025-01-31T12:00+25:00', 'yesterday', 'March 7, 2025', '2025', '20250131', ''])(
    'refuses %p',
    (text) => {
      expect(parseIsoTime(text)).toBeNaN();
    },
  );

  it('reads the time of Date objects and refuses other values', () => {
    expect(timeOf(new Date(5))).toBe(5);
    expect(timeOf(5)).toBeNaN();
    expect(timeOf(null)).toBeNaN();
  });
});
