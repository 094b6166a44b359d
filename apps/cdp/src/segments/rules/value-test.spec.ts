import { describe, expect, it } from '@jest/globals';
import { evaluateSegmentRule } from './evaluate-segment-rule.js';
import { parseSegmentRule } from './parse-segment-rule.js';
import type { SegmentSubject } from './segment-subject.js';

const now = new Date('2026-11-23T12:00:00.000Z');

function holds(rule: unknown, data: Partial<SegmentSubject>): boolean {
  const parsed = parseSegmentRule(rule);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return evaluateSegmentRule(parsed.rule, { traits: {}, insights: {}, consent: {}, events: [], ...data }, now).member;
}

const trait = (name: string, op: string, value?: unknown): unknown => (value === undefined ? { trait: name, op } : { trait: name, op, value });

describe('value operators on traits', () => {
  it.each<[string, unknown, Record<string, unknown>, boolean]>([
    ['eq matches the same string', trait('plan', 'eq', 'pro'), { plan: 'pro' }, true],
    ['eq is case-sensitive', trait('plan', 'eq', 'pro'), { plan: 'Pro' }, false],
    ['eq matches the same number', trait('age', 'eq', 42), { age: 42 }, true],
    ['eq does not coerce a numeric string', trait('age', 'eq', 42), { age: '42' }, false],
    ['eq matches a boolean', trait('vip', 'eq', true), { vip: true }, true],
    ['eq does not take 1 for true', trait('vip', 'eq', true), { vip: 1 }, false],
    ['eq compares dates as instants', trait('signedUpAt', 'eq', '2025-01-31'), { signedUpAt: '2025-01-31T00:00:00.000Z' }, true],
    ['eq compares dates across zones', trait('signedUpAt', 'eq', '2025-01-31T13:00:00+01:00'), { signedUpAt: '2025-01-31T12:00:00Z' }, true],
    ['eq fails on a missing trait', trait('plan', 'eq', 'pro'), {}, false],
    ['eq does not look inside a list', trait('plan', 'eq', 'pro'), { plan: ['pro'] }, false],
    ['neq holds for another value', trait('plan', 'neq', 'pro'), { plan: 'free' }, true],
    ['neq fails for the same value', trait('plan', 'neq', 'pro'), { plan: 'pro' }, false],
    ['neq holds on a missing trait (the exact complement of eq)', trait('plan', 'neq', 'pro'), {}, true],
    ['neq holds on null', trait('plan', 'neq', 'pro'), { plan: null }, true],
    ['gt is strict', trait('age', 'gt', 42), { age: 42 }, false],
    ['gt holds above', trait('age', 'gt', 42), { age: 42.5 }, true],
    ['gte holds on the bound', trait('age', 'gte', 42), { age: 42 }, true],
    ['gte fails below', trait('age', 'gte', 42), { age: 41.9 }, false],
    ['lt is strict', trait('age', 'lt', 42), { age: 42 }, false],
    ['lt holds below', trait('age', 'lt', 42), { age: -1 }, true],
    ['lte holds on the bound', trait('age', 'lte', 42), { age: 42 }, true],
    ['lte fails above', trait('age', 'lte', 42), { age: 43 }, false],
    ['gt with a number fails on a string', trait('age', 'gt', 1), { age: '50' }, false],
    ['gt with a number fails on a missing trait', trait('age', 'gt', -1), {}, false],
    ['gt compares dates', trait('signedUpAt', 'gt', '2025-01-31'), { signedUpAt: '2025-01-31T00:00:00.001Z' }, true],
    ['gte compares dates on the bound', trait('signedUpAt', 'gte', '2025-01-31T01:00:00+01:00'), { signedUpAt: '2025-01-31T00:00:00Z' }, true],
    ['lt compares dates', trait('signedUpAt', 'lt', '2025-01-31'), { signedUpAt: '2025-01-30T23:59:59Z' }, true],
    ['lt with a date fails on a non-date', trait('signedUpAt', 'lt', '2025-01-31'), { signedUpAt: 'last week' }, false],
    ['lte with a date fails on a number', trait('signedUpAt', 'lte', '2025-01-31'), { signedUpAt: 0 }, false],
    ['in holds for a listed value', trait('plan', 'in', ['pro', 'team']), { plan: 'team' }, true],
    ['in fails for an unlisted value', trait('plan', 'in', ['pro', 'team']), { plan: 'free' }, false],
    ['in does not coerce', trait('tier', 'in', [1, 2]), { tier: '1' }, false],
    ['in fails on a missing trait', trait('plan', 'in', ['pro']), {}, false],
    ['not_in holds for an unlisted value', trait('plan', 'not_in', ['pro', 'team']), { plan: 'free' }, true],
    ['not_in fails for a listed value', trait('plan', 'not_in', ['pro', 'team']), { plan: 'pro' }, false],
    ['not_in holds on a missing trait', trait('plan', 'not_in', ['pro']), {}, true],
    ['contains finds a substring', trait('email', 'contains', '@example.'), { email: 'jane@example.com' }, true],
    ['contains is case-sensitive', trait('email', 'contains', 'EXAMPLE'), { email: 'jane@example.com' }, false],
    ['contains finds a list element', trait('tags', 'contains', 'vip'), { tags: ['new', 'vip'] }, true],
    ['contains finds a number in a list', trait('sizes', 'contains', 42), { sizes: [41, 42] }, true],
    ['contains does not match part of a list element', trait('tags', 'contains', 'vi'), { tags: ['vip'] }, false],
    ['contains fails on a number', trait('age', 'contains', '4'), { age: 42 }, false],
    ['contains with a number fails on a string', trait('code', 'contains', 4), { code: 'A42' }, false],
    ['starts_with holds for a prefix', trait('city', 'starts_with', 'Lee'), { city: 'Leeds' }, true],
    ['starts_with fails elsewhere in the string', trait('city', 'starts_with', 'eds'), { city: 'Leeds' }, false],
    ['starts_with fails on a list', trait('city', 'starts_with', 'Lee'), { city: ['Leeds'] }, false],
    ['exists holds for an empty string', trait('nickname', 'exists'), { nickname: '' }, true],
    ['exists holds for false', trait('vip', 'exists'), { vip: false }, true],
    ['exists fails for null', trait('vip', 'exists'), { vip: null }, false],
    ['exists fails for a missing trait', trait('vip', 'exists'), {}, false],
    ['not_exists holds for null', trait('vip', 'not_exists'), { vip: null }, true],
    ['not_exists fails for 0', trait('visits', 'not_exists'), { visits: 0 }, false],
    ['within_last holds inside the span', trait('trialEndsAt', 'within_last', '72h'), { trialEndsAt: '2026-11-21T12:00:00Z' }, true],
    ['within_last holds one millisecond before the span ends', trait('trialEndsAt', 'within_last', '72h'), { trialEndsAt: '2026-11-20T12:00:00.001Z' }, true],
    ['within_last fails exactly when the span ends', trait('trialEndsAt', 'within_last', '72h'), { trialEndsAt: '2026-11-20T12:00:00.000Z' }, false],
    ['within_last holds for the present instant', trait('trialEndsAt', 'within_last', '1m'), { trialEndsAt: '2026-11-23T12:00:00Z' }, true],
    ['within_last fails for a future date', trait('trialEndsAt', 'within_last', '72h'), { trialEndsAt: '2026-11-23T12:00:00.001Z' }, false],
    ['within_last fails for a non-date', trait('trialEndsAt', 'within_last', '72h'), { trialEndsAt: 'soon' }, false],
    ['before_last holds exactly when the span ends', trait('trialEndsAt', 'before_last', '72h'), { trialEndsAt: '2026-11-20T12:00:00.000Z' }, true],
    ['before_last fails one millisecond before', trait('trialEndsAt', 'before_last', '72h'), { trialEndsAt: '2026-11-20T12:00:00.001Z' }, false],
    ['before_last fails for a future date', trait('trialEndsAt', 'before_last', '1w'), { trialEndsAt: '2027-01-01' }, false],
    ['before_last fails on a missing trait', trait('trialEndsAt', 'before_last', '1w'), {}, false],
  ])('%s', (_name, rule, traits, expected) => {
    expect(holds(rule, { traits })).toBe(expected);
  });
});

describe('trait and property paths', () => {
  const traits = {
    address: { city: 'Leeds', lines: ['1 Main St', 'Flat 2'] },
    products: [{ category: 'boots', tags: ['sale'] }, { category: 'winter-jackets', tags: [] }],
    'utm.source': 'newsletter',
  };

  it.each<[string, unknown, boolean]>([
    ['reads a nested trait', trait('address.city', 'eq', 'Leeds'), true],
    ['reads a list element by index', trait('address.lines.1', 'eq', 'Flat 2'), true],
    ['reads one element by index and not the others', trait('products.0.category', 'eq', 'winter-jackets'), false],
    ['matches when any element has the value', trait('products.category', 'eq', 'winter-jackets'), true],
    ['applies contains to each element', trait('products.tags', 'contains', 'sale'), true],
    ['reads neq across elements as "none has it"', trait('products.category', 'neq', 'boots'), false],
    ['reads neq across elements as "none has it" when none has', trait('products.category', 'neq', 'hats'), true],
    ['reads exists across elements', trait('products.price', 'exists'), false],
    ['takes a key spelled with a dot as it is', trait('utm.source', 'eq', 'newsletter'), true],
    ['finds nothing past the end of a list', trait('products.5.category', 'exists'), false],
    ['finds nothing inside a string', trait('address.city.length', 'exists'), false],
    ['ignores inherited properties', trait('address.constructor', 'exists'), false],
    ['ignores an inherited top-level name', trait('toString', 'exists'), false],
  ])('%s', (_name, rule, expected) => {
    expect(holds(rule, { traits })).toBe(expected);
  });
});

describe('value operators on insights', () => {
  const insights = {
    lifetimeValue: 640.5,
    orderCount: 3,
    lastOrderAt: '2026-11-21T12:00:00.000Z',
    channels: ['web', 'pos'],
    rfmMonetary: 5,
    rfmSegment: 'champions',
    churnRisk: 0.7,
    averageOrderValue: '213.5', // wrong kind in the data: never matches a number
  };

  it.each<[string, unknown, boolean]>([
    ['compares a number', { insight: 'lifetimeValue', op: 'gte', value: 500 }, true],
    ['compares an integer', { insight: 'orderCount', op: 'in', value: [1, 2] }, false],
    ['compares a score', { insight: 'rfmMonetary', op: 'eq', value: 5 }, true],
    ['compares a probability on its bound', { insight: 'churnRisk', op: 'gte', value: 0.7 }, true],
    ['looks inside a list of channels', { insight: 'channels', op: 'contains', value: 'pos' }, true],
    ['looks for a missing channel', { insight: 'channels', op: 'contains', value: 'email' }, false],
    ['compares a string', { insight: 'rfmSegment', op: 'starts_with', value: 'champ' }, true],
    ['compares a date with a date', { insight: 'lastOrderAt', op: 'gt', value: '2026-11-01' }, true],
    ['compares a date for equality as an instant', { insight: 'lastOrderAt', op: 'eq', value: '2026-11-21T13:00:00+01:00' }, true],
    ['ages a date with within_last', { insight: 'lastOrderAt', op: 'within_last', value: '72h' }, true],
    ['ages a date with before_last', { insight: 'lastOrderAt', op: 'before_last', value: '2d' }, true],
    ['does not match a value of the wrong kind', { insight: 'averageOrderValue', op: 'gt', value: 100 }, false],
    ['treats a missing insight as no value', { insight: 'predictedLifetimeValue', op: 'lt', value: 100 }, false],
    ['treats a missing insight as not existing', { insight: 'predictedLifetimeValue', op: 'not_exists' }, true],
  ])('%s', (_name, rule, expected) => {
    expect(holds(rule, { insights })).toBe(expected);
  });
});
