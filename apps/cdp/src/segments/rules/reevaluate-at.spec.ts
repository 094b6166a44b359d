import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';
import { evaluateSegmentRule } from './evaluate-segment-rule.js';
import { parseSegmentRule } from './parse-segment-rule.js';
import type { SegmentRule } from './compiled-rule.js';
import type { SegmentEvent, SegmentSubject } from './segment-subject.js';

// The scheduler contract, checked against brute force: membership only changes at an
// instant `x + d` where x is an event time or insight date and d is 0 or a duration of the
// rule, so evaluating at each such instant in turn finds the real next change. reevaluateAt
// must never come after it.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const t0 = Date.parse('2026-11-23T12:00:00.000Z');
const names = ['Product Viewed', 'Product Added', 'Order Completed'];

const abandoned = { event: 'Product Added', within: '2d', notFollowedBy: { event: 'Order Completed', within: '6h' } };
const viewedToday = { event: 'Product Viewed', within: '1d' };
const rules: Record<string, unknown> = {
  'cart abandoners': abandoned,
  'recent purchasers': { event: 'Order Completed', within: '12h' },
  'two views in a day': { ...viewedToday, count: { op: 'gte', value: 2 } },
  'no views in a day': { ...viewedToday, count: { op: 'eq', value: 0 } },
  'at most one view in a day': { ...viewedToday, count: { op: 'lte', value: 1 } },
  'exactly two views in a day': { ...viewedToday, count: { op: 'eq', value: 2 } },
  'not viewed in 6 hours': { not: { event: 'Product Viewed', within: '6h' } },
  'ordered lately, either way': { any: [{ event: 'Order Completed', within: '12h' }, { insight: 'lastOrderAt', op: 'within_last', value: '1d' }] },
  'browsing without buying': { all: [viewedToday, { not: { event: 'Order Completed', within: '6h' } }] },
  'abandoners still around': { all: [abandoned, { not: { insight: 'lastSeenAt', op: 'before_last', value: '1d' } }] },
  'not abandoned, or one view': { any: [{ not: abandoned }, { ...viewedToday, count: { op: 'eq', value: 1 } }] },
  'viewed, never added since': { event: 'Product Viewed', within: '3d', notFollowedBy: { event: 'Product Added', within: '90m' } },
  'viewed, not viewed again': { event: 'Product Viewed', notFollowedBy: { event: 'Product Viewed', within: '12h' } },
};

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function durationsOf(rule: unknown): number[] {
  const found: number[] = [];
  JSON.stringify(rule, (_key, value: unknown) => {
    const ms = parseDuration(value);
    if (ms !== null) found.push(ms);
    return value;
  });
  return found;
}

function history(next: () => number): SegmentSubject {
  const minuteIn = (from: number, to: number): number => t0 + Math.floor(from / MINUTE + next() * ((to - from) / MINUTE)) * MINUTE;
  const events: SegmentEvent[] = [];
  const count = Math.floor(next() * 9);
  for (let i = 0; i < count; i++) {
    events.push({ event: names[Math.floor(next() * names.length)], timestamp: new Date(minuteIn(-3 * DAY, DAY / 4)), properties: {} });
  }
  const insights: Record<string, unknown> = {};
  if (next() < 0.7) insights['lastOrderAt'] = new Date(minuteIn(-3 * DAY, DAY / 24)).toISOString();
  if (next() < 0.7) insights['lastSeenAt'] = new Date(minuteIn(-3 * DAY, DAY / 24)).toISOString();
  return { traits: {}, insights, consent: {}, events };
}

function realNextChange(rule: SegmentRule, subject: SegmentSubject, durations: number[]): number | null {
  const times = [...subject.events.map((event) => event.timestamp.getTime()), ...Object.values(subject.insights).map((value) => Date.parse(String(value)))];
  const instants = [...new Set(times.flatMap((time) => [0, ...durations].map((d) => time + d)))].filter((instant) => instant > t0).sort((a, b) => a - b);
  const member = evaluateSegmentRule(rule, subject, new Date(t0)).member;
  return instants.find((instant) => evaluateSegmentRule(rule, subject, new Date(instant)).member !== member) ?? null;
}

describe('reevaluateAt against brute force', () => {
  it.each(Object.entries(rules))('never schedules later than the real change: %s', (_name, input) => {
    const parsed = parseSegmentRule(input);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const durations = durationsOf(input);
    const next = random(input === abandoned ? 7 : JSON.stringify(input).length);
    for (let run = 0; run < 300; run++) {
      const subject = history(next);
      const { reevaluateAt } = evaluateSegmentRule(parsed.rule, subject, new Date(t0));
      const change = realNextChange(parsed.rule, subject, durations);
      if (reevaluateAt !== null) expect(reevaluateAt.getTime()).toBeGreaterThan(t0);
      if (change !== null) {
        expect(reevaluateAt).not.toBeNull();
        expect(reevaluateAt?.getTime()).toBeLessThanOrEqual(change);
      }
    }
  });
});
