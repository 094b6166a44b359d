import { describe, expect, it } from '@jest/globals';
import { describeEventNeeds, type EventNeeds } from './event-needs.js';
import { parseSegmentRule } from './parse-segment-rule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function needsOf(rule: unknown): EventNeeds {
  const parsed = parseSegmentRule(rule);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return describeEventNeeds(parsed.rule);
}

describe('which events a rule needs', () => {
  it.each<[string, unknown, EventNeeds]>([
    ['no events for a rule on traits and insights', { all: [{ trait: 'plan', op: 'exists' }, { insight: 'lastOrderAt', op: 'within_last', value: '72h' }] }, { eventNames: [], lookbackMs: 0 }],
    ['one event over its window', { event: 'Order Completed', within: '72h' }, { eventNames: ['Order Completed'], lookbackMs: 72 * HOUR }],
    ['the whole history for an event without a window', { any: [{ event: 'Order Completed', within: '1d' }, { event: 'Signed Up' }] }, { eventNames: ['Order Completed', 'Signed Up'], lookbackMs: null }],
    ['the longest window of several, names sorted once', { all: [{ event: 'Product Viewed', within: '7d' }, { not: { event: 'Order Completed', within: '2w' } }, { event: 'Product Viewed', within: '30m' }] }, { eventNames: ['Order Completed', 'Product Viewed'], lookbackMs: 14 * DAY }],
    [
      'follow-up events within the window of their anchor',
      { event: 'Product Added', within: '7d', notFollowedBy: { event: 'Order Completed', within: '24h' } },
      { eventNames: ['Order Completed', 'Product Added'], lookbackMs: 7 * DAY },
    ],
    ['the whole history for a follow-up of an unbounded anchor', { event: 'Trial Started', notFollowedBy: { event: 'Subscription Started', within: '14d' } }, { eventNames: ['Subscription Started', 'Trial Started'], lookbackMs: null }],
  ])('%s', (_name, rule, expected) => {
    expect(needsOf(rule)).toEqual(expected);
  });
});
