import { describe, expect, it } from '@jest/globals';
import { evaluateSegmentRule, parseSegmentRule, type SegmentEvent, type SegmentRule, type SegmentSubject } from '../rules/index.js';
import { EXAMPLE_SEGMENTS } from './example-segments.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const t0 = Date.parse('2026-11-23T12:00:00.000Z');

function example(key: string): SegmentRule {
  const segment = EXAMPLE_SEGMENTS.find((candidate) => candidate.key === key);
  if (!segment) throw new Error(`no example ${key}`);
  const parsed = parseSegmentRule(segment.rule);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rule;
}

function subject(data: Partial<SegmentSubject>): SegmentSubject {
  return { traits: {}, insights: {}, consent: {}, events: [], ...data };
}

function ev(event: string, ms: number, properties: Record<string, unknown> = {}): SegmentEvent {
  return { event, timestamp: new Date(ms), properties };
}

function memberAt(key: string, data: Partial<SegmentSubject>, nowMs: number): boolean {
  return evaluateSegmentRule(example(key), subject(data), new Date(nowMs)).member;
}

/**
 * What a scheduler driven only by reevaluateAt would record: membership from `fromMs`
 * and each change as [instant, member], with no new data arriving.
 */
function timeline(key: string, data: Partial<SegmentSubject>, fromMs: number): [string, boolean][] {
  const rule = example(key);
  const seen: [string, boolean][] = [];
  let now = fromMs;
  for (let step = 0; step < 20; step++) {
    const { member, reevaluateAt } = evaluateSegmentRule(rule, subject(data), new Date(now));
    if (seen.length === 0 || seen[seen.length - 1][1] !== member) seen.push([new Date(now).toISOString(), member]);
    if (!reevaluateAt) return seen;
    now = reevaluateAt.getTime();
  }
  throw new Error('the schedule does not settle');
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('example segments', () => {
  it('have unique keys, names and descriptions', () => {
    const keys = EXAMPLE_SEGMENTS.map((segment) => segment.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(['cart-abandoners', 'high-value-customers', 'winter-jacket-browsers', 'recent-purchasers', 'at-risk-customers', 'discount-suppression-high-ltv']);
    for (const segment of EXAMPLE_SEGMENTS) expect(segment.name.length * segment.description.length).toBeGreaterThan(0);
  });

  it.each(EXAMPLE_SEGMENTS.map((segment) => [segment.key, segment.rule] as const))('%s passes validation', (_key, rule) => {
    expect(parseSegmentRule(rule)).toMatchObject({ ok: true });
  });
});

describe('cart-abandoners', () => {
  const added = t0;
  const add = ev('Product Added', added, { sku: 'JKT-1' });

  it('enters 24 hours after an add with no order, and leaves when the add is a week old', () => {
    expect(timeline('cart-abandoners', { events: [add] }, added)).toEqual([
      [iso(added), false],
      [iso(added + DAY), true],
      [iso(added + 7 * DAY), false],
    ]);
  });

  it('never takes in a shopper who orders within the 24 hours', () => {
    expect(timeline('cart-abandoners', { events: [add, ev('Order Completed', added + 20 * MINUTE)] }, added + 20 * MINUTE)).toEqual([[iso(added + 20 * MINUTE), false]]);
  });

  it('lets go of an abandoner who orders days later', () => {
    const events = [add, ev('Order Completed', added + 3 * DAY)];
    expect(memberAt('cart-abandoners', { events: events.slice(0, 1) }, added + 3 * DAY - MINUTE)).toBe(true);
    expect(memberAt('cart-abandoners', { events }, added + 3 * DAY)).toBe(false);
  });
});

describe('high-value-customers', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['takes in the top spend quintile', { rfmMonetary: 5, lifetimeValue: 80 }, true],
    ['leaves out the next quintile, whatever the amount', { rfmMonetary: 4, lifetimeValue: 2000 }, false],
    ['leaves out a profile not scored yet', { lifetimeValue: 2000 }, false],
  ])('%s', (_name, insights, expected) => {
    expect(memberAt('high-value-customers', { insights }, t0)).toBe(expected);
  });
});

describe('winter-jacket-browsers', () => {
  const jacketView = (ms: number): SegmentEvent => ev('Product Viewed', ms, { category: 'winter-jackets', sku: 'JKT-1' });

  it('takes in someone who viewed a winter jacket', () => {
    expect(memberAt('winter-jacket-browsers', { events: [jacketView(t0 - HOUR)] }, t0)).toBe(true);
  });

  it('leaves out someone who viewed other categories only', () => {
    expect(memberAt('winter-jacket-browsers', { events: [ev('Product Viewed', t0 - HOUR, { category: 'boots' }), ev('Product Added', t0, { category: 'winter-jackets' })] }, t0)).toBe(false);
  });

  it('drops a winter-jacket browser when the last view is older than 7 days', () => {
    const lastView = t0 - 2 * DAY;
    expect(timeline('winter-jacket-browsers', { events: [jacketView(t0 - 6 * DAY), jacketView(lastView)] }, t0)).toEqual([
      [iso(t0), true],
      [iso(lastView + 7 * DAY), false],
    ]);
  });
});

describe('recent-purchasers', () => {
  it('leaves the suppression list 72 hours after the order, given only a later now', () => {
    const events = [ev('Order Completed', t0, { revenue: 42 })];
    expect(memberAt('recent-purchasers', { events }, t0)).toBe(true);
    expect(memberAt('recent-purchasers', { events }, t0 + 72 * HOUR - 1)).toBe(true);
    expect(memberAt('recent-purchasers', { events }, t0 + 72 * HOUR)).toBe(false);
  });

  it('is scheduled to leave at the instant the 72 hours are over', () => {
    expect(timeline('recent-purchasers', { events: [ev('Order Completed', t0)] }, t0 + HOUR)).toEqual([
      [iso(t0 + HOUR), true],
      [iso(t0 + 72 * HOUR), false],
    ]);
  });
});

describe('at-risk-customers', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['takes in a customer likely to churn', { churnRisk: 0.7, orderCount: 2 }, true],
    ['leaves out a visitor who never ordered', { churnRisk: 0.9, orderCount: 0 }, false],
    ['leaves out a customer below the risk threshold', { churnRisk: 0.69, orderCount: 5 }, false],
    ['leaves out a profile with no churn score', { orderCount: 5 }, false],
  ])('%s', (_name, insights, expected) => {
    expect(memberAt('at-risk-customers', { insights }, t0)).toBe(expected);
  });
});

describe('discount-suppression-high-ltv', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['suppresses discounts for the top spend quintile', { rfmMonetary: 5, churnRisk: 0.1 }, true],
    ['suppresses discounts for a high lifetime value without RFM scores', { lifetimeValue: 600 }, true],
    ['lets win-back discounts reach a high-value customer at risk', { rfmMonetary: 5, lifetimeValue: 900, churnRisk: 0.8 }, false],
    ['lets discounts reach everyone else', { rfmMonetary: 3, lifetimeValue: 120, churnRisk: 0.1 }, false],
  ])('%s', (_name, insights, expected) => {
    expect(memberAt('discount-suppression-high-ltv', { insights }, t0)).toBe(expected);
  });
});
