import { DURATION_HINT, parseDuration } from '../segments/rules/duration.js';
import type { Clock } from './clock.js';

/**
 * A clock an operator moves forward by hand (`CDP_CLOCK=controllable`), so scenario
 * tests and demos can let a 72-hour window pass without waiting. It runs with real
 * time between moves, and never goes backwards: stored event times, segment stays
 * and insight versions all assume time only grows.
 */
export class ControllableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  /** Applies a move checked by `parseClockMove`; returns the new time. */
  move(move: ClockMove): Date {
    const current = this.now().getTime();
    const target = 'advanceByMs' in move ? current + move.advanceByMs : move.to.getTime();
    if (target < current) throw new ClockMoveError(`to: ${new Date(target).toISOString()} is before the clock's current time ${new Date(current).toISOString()}; the clock never goes backwards`);
    this.offsetMs += target - current;
    return this.now();
  }
}

export type ClockMove = { readonly advanceByMs: number } | { readonly to: Date };

export class ClockMoveError extends Error {}

const BODY_HINT = 'send {"advanceBy": "73h"} (a duration such as 30m, 73h or 2d, or a whole number of milliseconds) or {"to": "<ISO 8601 time>"}';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads a `POST /v1/admin/clock` body; throws ClockMoveError naming what is wrong. */
export function parseClockMove(body: unknown): ClockMove {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ClockMoveError(`body must be a JSON object: ${BODY_HINT}`);
  const fields = Object.keys(body);
  const unknown = fields.filter((field) => field !== 'advanceBy' && field !== 'to');
  if (unknown.length > 0) throw new ClockMoveError(`unknown field ${unknown.join(', ')}: ${BODY_HINT}`);
  if (fields.length !== 1) throw new ClockMoveError(`exactly one of advanceBy or to is needed: ${BODY_HINT}`);
  const { advanceBy, to } = body as { advanceBy?: unknown; to?: unknown };
  if (advanceBy !== undefined) return { advanceByMs: parseAdvance(advanceBy) };
  if (typeof to !== 'string' || !ISO_TIME.test(to) || Number.isNaN(Date.parse(to))) throw new ClockMoveError('to: must be an ISO 8601 time with a time zone, such as 2026-11-26T09:00:00Z');
  return { to: new Date(to) };
}

function parseAdvance(advanceBy: unknown): number {
  if (typeof advanceBy === 'number') {
    if (Number.isSafeInteger(advanceBy) && advanceBy > 0) return advanceBy;
    throw new ClockMoveError('advanceBy: a number must be a positive whole number of milliseconds');
  }
  const ms = parseDuration(advanceBy);
  if (ms === null) throw new ClockMoveError(`advanceBy: ${DURATION_HINT}, or a positive whole number of milliseconds`);
  return ms;
}
