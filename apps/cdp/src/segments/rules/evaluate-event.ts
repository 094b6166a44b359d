import type { CompiledCount, CompiledEvent, CompiledFollowUp, CompiledPropertyTest } from './compiled-rule.js';
import type { SegmentEvent } from './segment-subject.js';
import { testAtPath, type EvalScratch } from './value-test.js';

/*
 * Windows. `within d` evaluated at `now` covers events with now - d < t <= now: an event
 * counts from its own instant until exactly d later, when it has left (lower bound
 * exclusive, upper inclusive). So "Order Completed within 72h" holds from the order
 * until, and not at, order + 72h, and `reevaluateAt` is that instant. Without `within` the
 * window is the whole history up to now. An event stamped after `now` (a client clock
 * ahead of ours) counts only once its instant is reached; `reevaluateAt` includes it.
 *
 * notFollowedBy (cart abandonment). An occurrence ("anchor", e.g. Product Added at a) of the
 * main event counts when its wait f has passed (a + f <= now) and no follow-up event
 * (e.g. Order Completed) happened at or after a, up to now. A follow-up in the same
 * millisecond counts as following (an add and an order stamped together are one checkout).
 * Why this reading: an abandonment email must not go out while the shopper may still be
 * checking out, hence the wait; and someone who bought since, even days later, has not
 * abandoned anything, so the order ends their membership as it does in the common
 * e-commerce "wait, then check placed-order since" flows. The anchor must itself be inside
 * `within`, so a counted anchor leaves at a + d. `count` applies to the counted anchors.
 */

export function evaluateEvent(condition: CompiledEvent, events: readonly SegmentEvent[], nowMs: number, scratch: EvalScratch): boolean {
  return condition.followUp === null ? countOccurrences(condition, events, nowMs, scratch) : countUnfollowed(condition, condition.followUp, events, nowMs, scratch);
}

function countOccurrences(condition: CompiledEvent, events: readonly SegmentEvent[], nowMs: number, scratch: EvalScratch): boolean {
  const windowMs = condition.windowMs;
  const from = windowMs === null ? -Infinity : nowMs - windowMs;
  let count = 0;
  let firstLeave = Infinity;
  let lastLeave = -Infinity;
  let firstArrival = Infinity;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.event !== condition.event) continue;
    const t = event.timestamp.getTime();
    // `!(t > from)` also drops invalid timestamps (NaN).
    if (!(t > from) || !matchesWhere(condition.where, event, nowMs, scratch)) continue;
    if (t > nowMs) {
      if (t < firstArrival) firstArrival = t;
      continue;
    }
    count++;
    if (windowMs !== null) {
      const leave = t + windowMs;
      if (leave < firstLeave) firstLeave = leave;
      if (leave > lastLeave) lastLeave = leave;
    }
  }
  const member = holds(condition.count, count);
  scratch.next = firstArrival === Infinity ? whenFallingCountFlips(condition.count, count, member, firstLeave, lastLeave) : Math.min(firstLeave, firstArrival);
  return member;
}

function countUnfollowed(condition: CompiledEvent, followUp: CompiledFollowUp, events: readonly SegmentEvent[], nowMs: number, scratch: EvalScratch): boolean {
  // Pass 1: the latest two follow-ups up to now. Two, so that when the main event and the
  // follow-up are the same kind of event, an occurrence is not taken to follow itself.
  let latest = -Infinity;
  let latestEvent: SegmentEvent | null = null;
  let secondLatest = -Infinity;
  let firstFutureFollowUp = Infinity;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.event !== followUp.event) continue;
    const t = event.timestamp.getTime();
    if (Number.isNaN(t) || !matchesWhere(followUp.where, event, nowMs, scratch)) continue;
    if (t > nowMs) {
      if (t < firstFutureFollowUp) firstFutureFollowUp = t;
    } else if (t > latest) {
      secondLatest = latest;
      latest = t;
      latestEvent = event;
    } else if (t > secondLatest) {
      secondLatest = t;
    }
  }

  // Pass 2: the anchors. Each is followed (never counts again), waiting (counts at a + f
  // unless a follow-up comes first), counted (until it leaves the window) or not yet happened.
  const windowMs = condition.windowMs;
  const from = windowMs === null ? -Infinity : nowMs - windowMs;
  let count = 0;
  let firstLeave = Infinity;
  let lastLeave = -Infinity;
  let firstRise = Infinity;
  let anyUnfollowed = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.event !== condition.event) continue;
    const t = event.timestamp.getTime();
    if (!(t > from) || !matchesWhere(condition.where, event, nowMs, scratch)) continue;
    if (t > nowMs) {
      anyUnfollowed = true;
      if (t + followUp.waitMs < firstRise) firstRise = t + followUp.waitMs;
      continue;
    }
    const lastFollowUp = event === latestEvent ? secondLatest : latest;
    if (lastFollowUp >= t) continue;
    anyUnfollowed = true;
    const due = t + followUp.waitMs;
    if (due > nowMs) {
      if (due < firstRise) firstRise = due;
      continue;
    }
    count++;
    if (windowMs !== null) {
      const leave = t + windowMs;
      if (leave < firstLeave) firstLeave = leave;
      if (leave > lastLeave) lastLeave = leave;
    }
  }
  const member = holds(condition.count, count);
  // A follow-up stamped in the future will cancel anchors when its instant comes.
  const firstFall = anyUnfollowed ? firstFutureFollowUp : Infinity;
  scratch.next =
    firstRise === Infinity && firstFall === Infinity
      ? whenFallingCountFlips(condition.count, count, member, firstLeave, lastLeave)
      : Math.min(firstLeave, firstRise, firstFall);
  return member;
}

/**
 * When nothing can arrive any more, the count only falls, one departure at a time, to 0.
 * Exact for the common thresholds (at least once / never), otherwise the first departure,
 * which is early but safe.
 */
function whenFallingCountFlips(count: CompiledCount, current: number, member: boolean, firstLeave: number, lastLeave: number): number {
  if (current === 0 || lastLeave === -Infinity) return Infinity;
  if (count.op === 'eq') {
    if (current < count.value) return Infinity;
    // eq 0 ("never") turns true only when the last one has left.
    return count.value === 0 ? lastLeave : firstLeave;
  }
  // gte, gt, lte, lt are monotone in the count: equal at `current` and at 0 means equal all the way down.
  if (holds(count, 0) === member) return Infinity;
  return holds(count, 1) === member ? lastLeave : firstLeave;
}

function holds(count: CompiledCount, n: number): boolean {
  switch (count.op) {
    case 'gte':
      return n >= count.value;
    case 'gt':
      return n > count.value;
    case 'lte':
      return n <= count.value;
    case 'lt':
      return n < count.value;
    case 'eq':
      return n === count.value;
  }
}

function matchesWhere(where: readonly CompiledPropertyTest[], event: SegmentEvent, nowMs: number, scratch: EvalScratch): boolean {
  for (let i = 0; i < where.length; i++) {
    const condition = where[i];
    if (testAtPath(event.properties, condition.path, condition.test, nowMs, scratch) === condition.test.negate) return false;
  }
  return true;
}
