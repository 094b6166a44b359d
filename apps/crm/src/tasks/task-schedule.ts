/**
 * When tasks are due, in plain functions: "overdue" is an instant comparison,
 * "due today" depends on the owner's calendar day in their IANA time zone.
 */

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Due before now and not done. A task without a due date is never overdue. */
export function isOverdue(task: { readonly dueAt: Date | null; readonly completedAt: Date | null }, now: Date): boolean {
  return task.dueAt !== null && task.completedAt === null && task.dueAt.getTime() < now.getTime();
}

/** The local calendar day containing `now` in the time zone, as instants [start, end). */
export function calendarDayIn(timeZone: string, now: Date): { readonly start: Date; readonly end: Date } {
  const { year, month, day } = wallClock(timeZone, now);
  return { start: startOfLocalDay(timeZone, year, month, day), end: startOfLocalDay(timeZone, year, month, day + 1) };
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(timeZone: string, instant: Date): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((candidate) => candidate.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(timeZone: string, instant: Date): number {
  const local = wallClock(timeZone, instant);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The first instant of a local day (`day` may overflow into the next month).
 * The offset is taken twice because it may differ between UTC midnight and
 * local midnight; where a DST jump skips midnight, the day starts at the
 * first local time that exists.
 */
function startOfLocalDay(timeZone: string, year: number, month: number, day: number): Date {
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  const firstGuess = midnightAsUtc - offsetAt(timeZone, new Date(midnightAsUtc));
  const secondGuess = midnightAsUtc - offsetAt(timeZone, new Date(firstGuess));
  const start = new Date(Math.min(firstGuess, secondGuess));
  const local = wallClock(timeZone, start);
  // Taking the earlier guess can land on the previous local day when midnight does not exist; then the later one is right.
  return Date.UTC(local.year, local.month - 1, local.day) < midnightAsUtc ? new Date(Math.max(firstGuess, secondGuess)) : start;
}
