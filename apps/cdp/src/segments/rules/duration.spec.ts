import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

describe('durations', () => {
  it.each<[string, number]>([
    ['30m', 30 * 60_000],
    ['72h', 72 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['730d', 730 * 86_400_000],
    ['104w', 728 * 86_400_000],
    ['1051200m', 730 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each<[string, unknown]>([
    ['zero', '0d'],
    ['a leading zero', '07d'],
    ['a fraction', '1.5h'],
    ['a negative span', '-1d'],
    ['a capital unit', '7D'],
    ['a space', '7 d'],
    ['no unit', '7'],
    ['no number', 'd'],
    ['seconds', '30s'],
    ['more than 730 days', '731d'],
    ['more than 730 days in weeks', '105w'],
    ['a number', 7],
    ['nothing', undefined],
  ])('refuses %s', (_name, text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
