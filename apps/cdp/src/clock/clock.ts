export const CLOCK = Symbol('Clock');

/**
 * Where the CDP reads the current time for insights and segment windows, so
 * tests can move time forward (a 72-hour window passing) without waiting.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
