import { describe, expect, it } from '@jest/globals';
import { evaluateSegmentRule } from './evaluate-segment-rule.js';
import { parseSegmentRule } from './parse-segment-rule.js';
import type { SegmentEvaluation, SegmentEvent } from './segment-subject.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const t0 = Date.parse('2026-11-23T12:00:00.000Z');

function ev(event: string, ms: number, properties: Record<string, unknown> = {}): SegmentEvent {
  return { event, timestamp: new Date(ms), properties };
}

function evaluateAt(rule: unknown, events: readonly SegmentEvent[], nowMs: number): SegmentEvaluation {
  const parsed = parseSegmentRule(rule);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return evaluateSegmentRule(parsed.rule, { traits: {}, insights: {}, consent: {}, events }, new Date(nowMs));
}

const result = (member: boolean, reevaluateAt: number | null): SegmentEvaluation => ({ member, reevaluateAt: reevaluateAt === null ? null : new Date(reevaluateAt) });

describe('event windows', () => {
  const ordered = { event: 'Order Completed', within: '72h' };

  it.each<[string, number, SegmentEvaluation]>([
    ['counts an event at the present instant', t0, result(true, t0 + 72 * HOUR)],
    ['counts an event one millisecond inside the window', t0 - 72 * HOUR + 1, result(true, t0 + 1)],
    ['drops an event exactly as old as the window', t0 - 72 * HOUR, result(false, null)],
    ['drops an older event', t0 - 100 * DAY, result(false, null)],
    ['waits for an event stamped in the future', t0 + 5 * MINUTE, result(false, t0 + 5 * MINUTE)],
  ])('%s', (_name, at, expected) => {
    expect(evaluateAt(ordered, [ev('Order Completed', at)], t0)).toEqual(expected);
  });

  it('takes the whole history when there is no window', () => {
    expect(evaluateAt({ event: 'Order Completed' }, [ev('Order Completed', t0 - 3000 * DAY)], t0)).toEqual(result(true, null));
    expect(evaluateAt({ event: 'Order Completed' }, [ev('Order Placed', t0 - DAY)], t0)).toEqual(result(false, null));
  });

  it('ignores events with an invalid timestamp', () => {
    expect(evaluateAt({ event: 'Order Completed' }, [{ event: 'Order Completed', timestamp: new Date('nope'), properties: {} }], t0)).toEqual(result(false, null));
  });

  it('drops a recent purchaser 72 hours after the order, told only a later now', () => {
    const events = [ev('Order Completed', t0)];
    expect(evaluateAt(ordered, events, t0 + 72 * HOUR - 1).member).toBe(true);
    expect(evaluateAt(ordered, events, t0 + 72 * HOUR)).toEqual(result(false, null));
  });

  it('keeps the member until the newest order leaves the window', () => {
    const events = [ev('Order Completed', t0 - 2 * DAY), ev('Order Completed', t0 - HOUR), ev('Order Completed', t0 - DAY)];
    expect(evaluateAt(ordered, events, t0)).toEqual(result(true, t0 - HOUR + 72 * HOUR));
  });
});

describe('event counts', () => {
  const threeViews = [ev('Product Viewed', t0 - 3 * DAY), ev('Product Viewed', t0 - 2 * DAY), ev('Product Viewed', t0 - DAY)];
  const viewed = (op: string, value: number): unknown => ({ event: 'Product Viewed', within: '7d', count: { op, value } });
  const firstLeave = t0 + 4 * DAY;
  const lastLeave = t0 + 6 * DAY;

  it.each<[string, unknown, readonly SegmentEvent[], SegmentEvaluation]>([
    ['gte holds on the count', viewed('gte', 3), threeViews, result(true, firstLeave)],
    ['gte fails above the count, for good', viewed('gte', 4), threeViews, result(false, null)],
    ['gt fails on the count, for good', viewed('gt', 3), threeViews, result(false, null)],
    ['gt holds below the count until enough have left', viewed('gt', 1), threeViews, result(true, firstLeave)],
    ['eq holds on the count until one leaves', viewed('eq', 3), threeViews, result(true, firstLeave)],
    ['eq fails above the count until one leaves', viewed('eq', 2), threeViews, result(false, firstLeave)],
    ['eq fails below the count for good', viewed('eq', 4), threeViews, result(false, null)],
    ['lte fails above the count until one leaves', viewed('lte', 2), threeViews, result(false, firstLeave)],
    ['lt holds above the count for good', viewed('lt', 4), threeViews, result(true, null)],
    ['at least once holds until the last one leaves', viewed('gte', 1), threeViews, result(true, lastLeave)],
    ['never (eq 0) fails until the last one leaves', viewed('eq', 0), threeViews, result(false, lastLeave)],
    ['never (lt 1) fails until the last one leaves', viewed('lt', 1), threeViews, result(false, lastLeave)],
    ['never (lte 0) holds with no events, for good', viewed('lte', 0), [], result(true, null)],
    ['never holds until an event stamped in the future arrives', viewed('eq', 0), [ev('Product Viewed', t0 + MINUTE)], result(true, t0 + MINUTE)],
  ])('%s', (_name, rule, events, expected) => {
    expect(evaluateAt(rule, events, t0)).toEqual(expected);
  });

  it('gives the exact instant a count threshold is crossed, or an earlier one that re-evaluates to the same', () => {
    const rule = viewed('gt', 1); // flips when the second-newest view leaves, at t0 + 5d
    expect(evaluateAt(rule, threeViews, firstLeave)).toEqual(result(true, t0 + 5 * DAY));
    expect(evaluateAt(rule, threeViews, t0 + 5 * DAY)).toEqual(result(false, null));
  });
});

describe('event property filters', () => {
  const jacket = { category: 'winter-jackets', price: 120, products: [{ sku: 'a', category: 'boots' }, { sku: 'b', category: 'hats' }] };

  it.each<[string, unknown[], Record<string, unknown>, boolean]>([
    ['matches a property', [{ property: 'category', op: 'eq', value: 'winter-jackets' }], jacket, true],
    ['needs every filter to match', [{ property: 'category', op: 'eq', value: 'winter-jackets' }, { property: 'price', op: 'lt', value: 100 }], jacket, false],
    ['matches any element of a list', [{ property: 'products.category', op: 'eq', value: 'hats' }], jacket, true],
    ['matches one element by index', [{ property: 'products.1.sku', op: 'eq', value: 'a' }], jacket, false],
    ['reads not_exists on a missing property', [{ property: 'coupon', op: 'not_exists' }], jacket, true],
    ['reads neq as "not this value"', [{ property: 'category', op: 'neq', value: 'boots' }], jacket, true],
    ['does not match an event without the property', [{ property: 'category', op: 'eq', value: 'winter-jackets' }], {}, false],
  ])('%s', (_name, where, properties, expected) => {
    expect(evaluateAt({ event: 'Product Viewed', where }, [ev('Product Viewed', t0 - HOUR, properties)], t0).member).toBe(expected);
  });

  it('counts only matching events', () => {
    const events = [ev('Product Viewed', t0 - DAY, { category: 'hats' }), ev('Product Viewed', t0 - 2 * DAY, { category: 'winter-jackets' })];
    const rule = { event: 'Product Viewed', within: '7d', where: [{ property: 'category', op: 'eq', value: 'winter-jackets' }] };
    expect(evaluateAt(rule, events, t0)).toEqual(result(true, t0 + 5 * DAY));
  });
});

describe('not followed by (cart abandonment)', () => {
  const abandoned = { event: 'Product Added', within: '7d', notFollowedBy: { event: 'Order Completed', within: '24h' } };
  const added = t0;
  const add = ev('Product Added', added);

  it('waits 24 hours before counting an add', () => {
    expect(evaluateAt(abandoned, [add], added)).toEqual(result(false, added + DAY));
    expect(evaluateAt(abandoned, [add], added + DAY - 1)).toEqual(result(false, added + DAY));
  });

  it('counts an add with no order exactly 24 hours later, until the add leaves the 7 days', () => {
    expect(evaluateAt(abandoned, [add], added + DAY)).toEqual(result(true, added + 7 * DAY));
    expect(evaluateAt(abandoned, [add], added + 7 * DAY - 1)).toEqual(result(true, added + 7 * DAY));
    expect(evaluateAt(abandoned, [add], added + 7 * DAY)).toEqual(result(false, null));
  });

  it.each<[string, number]>([
    ['an hour after', added + HOUR],
    ['in the same millisecond', added],
    ['on the last millisecond of the wait', added + DAY],
    ['three days after, having abandoned first', added + 3 * DAY],
  ])('drops the shopper for good once an order comes %s', (_name, orderedAt) => {
    expect(evaluateAt(abandoned, [add, ev('Order Completed', orderedAt)], orderedAt + DAY)).toEqual(result(false, null));
  });

  it('counts the add as abandoned until the order comes', () => {
    expect(evaluateAt(abandoned, [add], added + 3 * DAY - 1).member).toBe(true);
  });

  it('is not cancelled by an order placed before the add', () => {
    expect(evaluateAt(abandoned, [ev('Order Completed', added - MINUTE), add], added + DAY)).toEqual(result(true, added + 7 * DAY));
  });

  it('counts a new add after an order on its own, once its wait has passed', () => {
    const second = added + 2 * DAY;
    const events = [add, ev('Order Completed', added + DAY + HOUR), ev('Product Added', second)];
    expect(evaluateAt(abandoned, events, second + HOUR)).toEqual(result(false, second + DAY));
    expect(evaluateAt(abandoned, events, second + DAY)).toEqual(result(true, second + 7 * DAY));
  });

  it('keeps an abandoner while any add is unfollowed, until the newest leaves', () => {
    const events = [add, ev('Product Added', added + 2 * DAY)];
    expect(evaluateAt(abandoned, events, added + 4 * DAY)).toEqual(result(true, added + 9 * DAY));
  });

  it('only lets a matching follow-up cancel', () => {
    const rule = { ...abandoned, notFollowedBy: { ...abandoned.notFollowedBy, where: [{ property: 'revenue', op: 'gt', value: 0 }] } };
    expect(evaluateAt(rule, [add, ev('Order Completed', added + HOUR, { revenue: 0 })], added + DAY).member).toBe(true);
    expect(evaluateAt(rule, [add, ev('Order Completed', added + HOUR, { revenue: 5 })], added + DAY).member).toBe(false);
  });

  it('counts abandoned adds against count', () => {
    const rule = { ...abandoned, count: { op: 'gte', value: 2 } };
    const events = [add, ev('Product Added', added + HOUR), ev('Product Added', added + 2 * HOUR), ev('Order Completed', added + 90 * MINUTE)];
    // The order follows the first two adds; only the third is unfollowed.
    expect(evaluateAt(rule, events, added + 2 * DAY).member).toBe(false);
    expect(evaluateAt(rule, events.slice(0, 2), added + 2 * DAY)).toEqual(result(true, added + 7 * DAY));
  });

  it('wakes up for an order stamped in the future', () => {
    expect(evaluateAt(abandoned, [add, ev('Order Completed', added + DAY + MINUTE)], added + DAY)).toEqual(result(true, added + DAY + MINUTE));
    expect(evaluateAt(abandoned, [add, ev('Order Completed', added + DAY + MINUTE)], added + DAY + MINUTE)).toEqual(result(false, null));
  });

  it('works over the whole history', () => {
    const rule = { event: 'Trial Started', notFollowedBy: { event: 'Subscription Started', within: '14d' } };
    expect(evaluateAt(rule, [ev('Trial Started', t0 - 400 * DAY)], t0)).toEqual(result(true, null));
    expect(evaluateAt(rule, [ev('Trial Started', t0 - DAY)], t0)).toEqual(result(false, t0 + 13 * DAY));
  });

  it('does not let an event follow itself when both sides are the same event', () => {
    // "Not seen for a day": a visit not followed by another visit, a day on.
    const rule = { event: 'Page Viewed', notFollowedBy: { event: 'Page Viewed', within: '1d' } };
    const lastVisit = t0 - 2 * HOUR;
    const visits = [ev('Page Viewed', t0 - 3 * DAY), ev('Page Viewed', lastVisit)];
    expect(evaluateAt(rule, visits.slice(0, 1), t0)).toEqual(result(true, null));
    expect(evaluateAt(rule, visits, t0)).toEqual(result(false, lastVisit + DAY));
    expect(evaluateAt(rule, visits, lastVisit + DAY)).toEqual(result(true, null));
    // The earlier visit was followed by the later one, so only the later one counts.
    expect(evaluateAt({ ...rule, count: { op: 'eq', value: 1 } }, visits, lastVisit + DAY)).toEqual(result(true, null));
  });
});
