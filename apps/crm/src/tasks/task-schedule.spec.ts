import { describe, expect, it } from '@jest/globals';
import { calendarDayIn, isOverdue, isValidTimeZone } from './task-schedule.js';

const at = (iso: string): Date => new Date(iso);
const isoDay = (day: { start: Date; end: Date }): [string, string] => [day.start.toISOString(), day.end.toISOString()];

describe('isOverdue', () => {
  const now = at('2026-12-01T12:00:00Z');

  it('is true for an open task due before now', () => {
    expect(isOverdue({ dueAt: at('2026-12-01T11:59:59Z'), completedAt: null }, now)).toBe(true);
  });

  it('is false when due now or later, when done, or with no due date', () => {
    expect(isOverdue({ dueAt: now, completedAt: null }, now)).toBe(false);
    expect(isOverdue({ dueAt: at('2026-12-02T00:00:00Z'), completedAt: null }, now)).toBe(false);
    expect(isOverdue({ dueAt: at('2026-11-01T00:00:00Z'), completedAt: at('2026-11-02T00:00:00Z') }, now)).toBe(false);
    expect(isOverdue({ dueAt: null, completedAt: null }, now)).toBe(false);
  });
});

describe('calendarDayIn', () => {
  it('gives the local day in Berlin, which starts the evening before in UTC', () => {
    expect(isoDay(calendarDayIn('Europe/Berlin', at('2026-12-01T23:30:00Z')))).toEqual(['2026-12-01T23:00:00.000Z', '2026-12-02T23:00:00.000Z']);
    expect(isoDay(calendarDayIn('Europe/Berlin', at('2026-12-01T22:59:59Z')))).toEqual(['2026-11-30T23:00:00.000Z', '2026-12-01T23:00:00.000Z']);
  });

  it('gives a 23-hour day when the clocks go forward and a 25-hour day when they go back', () => {
    expect(isoDay(calendarDayIn('Europe/Berlin', at('2026-03-29T12:00:00Z')))).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(isoDay(calendarDayIn('Europe/Berlin', at('2026-10-25T12:00:00Z')))).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });

  it('works west of UTC and across a month end', () => {
    expect(isoDay(calendarDayIn('America/New_York', at('2026-02-01T03:00:00Z')))).toEqual(['2026-01-31T05:00:00.000Z', '2026-02-01T05:00:00.000Z']);
  });

  it('starts the day at the first local time that exists when a DST jump skips midnight', () => {
    // Santiago went from 00:00 -04 straight to 01:00 -03 on 11 September 2022, and back from 00:00 -03 to 23:00 -04 on 3 April 2022.
    expect(calendarDayIn('America/Santiago', at('2022-09-11T15:00:00Z')).start.toISOString()).toBe('2022-09-11T04:00:00.000Z');
    expect(calendarDayIn('America/Santiago', at('2022-04-03T15:00:00Z')).start.toISOString()).toBe('2022-04-03T04:00:00.000Z');
    expect(calendarDayIn('America/Santiago', at('2022-04-02T15:00:00Z')).end.toISOString()).toBe('2022-04-03T04:00:00.000Z');
  });

  it('handles half-hour offsets, and gives the same day for its first and last instant', () => {
    const day = calendarDayIn('Asia/Kolkata', at('2026-12-01T12:00:00Z'));
    expect(isoDay(day)).toEqual(['2026-11-30T18:30:00.000Z', '2026-12-01T18:30:00.000Z']);
    expect(isoDay(calendarDayIn('Asia/Kolkata', day.start))).toEqual(isoDay(day));
    expect(isoDay(calendarDayIn('Asia/Kolkata', new Date(day.end.getTime() - 1)))).toEqual(isoDay(day));
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and refuses anything else', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(isValidTimeZone('not a zone')).toBe(false);
  });
});
