import { describe, expect, it } from '@jest/globals';
import { ClockMoveError, ControllableClock, parseClockMove } from './controllable-clock.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T12:00:00.000Z');

describe('ControllableClock', () => {
  it('follows real time until moved, then keeps the offset while real time runs', () => {
    let real = START;
    const clock = new ControllableClock(() => real);
    expect(clock.now().toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(clock.move({ advanceByMs: 73 * HOUR }).toISOString()).toBe('2026-11-26T13:00:00.000Z');
    real += 5_000;
    expect(clock.now().toISOString()).toBe('2026-11-26T13:00:05.000Z');
  });

  it('jumps to a given time, including the current one, and refuses to go backwards', () => {
    const clock = new ControllableClock(() => START);
    expect(clock.move({ to: new Date('2026-12-01T00:00:00Z') }).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(clock.move({ to: new Date('2026-12-01T00:00:00Z') }).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(() => clock.move({ to: new Date('2026-11-30T23:59:59Z') })).toThrow(/never goes backwards/);
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('parseClockMove', () => {
  it('takes a duration, milliseconds or an ISO time', () => {
    expect(parseClockMove({ advanceBy: '73h' })).toEqual({ advanceByMs: 73 * HOUR });
    expect(parseClockMove({ advanceBy: '2d' })).toEqual({ advanceByMs: 48 * HOUR });
    expect(parseClockMove({ advanceBy: 1500 })).toEqual({ advanceByMs: 1500 });
    expect(parseClockMove({ to: '2026-11-26T09:00:00Z' })).toEqual({ to: new Date('2026-11-26T09:00:00Z') });
    expect(parseClockMove({ to: '2026-11-26T10:00:00.250+01:00' })).toEqual({ to: new Date('2026-11-26T09:00:00.250Z') });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{}, /exactly one of advanceBy or to/],
    [{ advanceBy: '1h', to: '2026-11-26T09:00:00Z' }, /exactly one of advanceBy or to/],
    [{ advanceBy: '1h', by: 2 }, /unknown field by/],
    [{ advanceBy: '73 hours' }, /advanceBy: must be a duration such as/],
    [{ advanceBy: '0h' }, /advanceBy: must be a duration/],
    [{ advanceBy: -5 }, /positive whole number of milliseconds/],
    [{ advanceBy: 1.5 }, /positive whole number of milliseconds/],
    [{ advanceBy: true }, /advanceBy: must be a duration/],
    [{ to: 'tomorrow' }, /to: must be an ISO 8601 time/],
    [{ to: '2026-11-26' }, /to: must be an ISO 8601 time/],
    [{ to: '2026-13-45T99:00:00Z' }, /to: must be an ISO 8601 time/],
  ])('refuses %j, naming the problem', (body, message) => {
    expect(() => parseClockMove(body)).toThrow(ClockMoveError);
    expect(() => parseClockMove(body)).toThrow(message);
  });
});
