import { describe, expect, it } from '@jest/globals';
import { DURATION_HINT } from './duration.js';
import { parseSegmentRule } from './parse-segment-rule.js';
import type { RuleError } from './rule-types.js';

function errorsOf(input: unknown): RuleError[] {
  const result = parseSegmentRule(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.errors;
}

function nested(levels: number): unknown {
  let rule: unknown = { trait: 'plan', op: 'exists' };
  for (let i = 1; i < levels; i++) rule = { not: rule };
  return rule;
}

const plan = { trait: 'plan', op: 'eq', value: 'pro' };
const traits = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ trait: `t${i}`, op: 'exists' }));

describe('accepting segment rules', () => {
  it.each<[string, unknown]>([
    ['a trait condition', plan],
    ['a dotted trait path', { trait: 'address.city', op: 'eq', value: 'Leeds' }],
    ['a trait compared with a date', { trait: 'signedUpAt', op: 'lt', value: '2025-01-31T12:00:00+01:00' }],
    ['a trait within_last', { trait: 'trialEndsAt', op: 'within_last', value: '30m' }],
    ['a list operator', { trait: 'plan', op: 'not_in', value: ['pro', 'team', 1, true] }],
    ['every insight kind', { all: [
      { insight: 'lifetimeValue', op: 'gt', value: 500.5 },
      { insight: 'orderCount', op: 'in', value: [1, 2, 3] },
      { insight: 'lastOrderAt', op: 'within_last', value: '72h' },
      { insight: 'firstOrderAt', op: 'before_last', value: '2w' },
      { insight: 'lastSeenAt', op: 'gte', value: '2025-01-31' },
      { insight: 'channels', op: 'contains', value: 'web' },
      { insight: 'topViewedCategory', op: 'starts_with', value: 'winter' },
      { insight: 'rfmRecency', op: 'eq', value: 5 },
      { insight: 'churnRisk', op: 'lte', value: 1 },
      { insight: 'rfmSegment', op: 'not_exists' },
    ] }],
    ['consent', { consent: 'marketing', granted: false }],
    ['an event with everything', {
      event: 'Product Added',
      where: [{ property: 'products.0.category', op: 'starts_with', value: 'winter' }],
      count: { op: 'eq', value: 0 },
      within: '30d',
      notFollowedBy: { event: 'Order Completed', where: [{ property: 'revenue', op: 'gt', value: 0 }], within: '24h' },
    }],
    ['an event over the whole history', { event: 'Order Completed', notFollowedBy: { event: 'Refund Issued', within: '730d' } }],
    [`nesting exactly 8 levels deep`, nested(8)],
    ['exactly 100 conditions', { all: traits(99) }],
  ])('accepts %s', (_name, input) => {
    expect(parseSegmentRule(input)).toMatchObject({ ok: true });
  });

  it('hands back a copy of the rule as submitted, for storing', () => {
    const input = { all: [plan, { event: 'Order Completed', within: '72h' }] };
    const result = parseSegmentRule(input);
    if (!result.ok) throw new Error('refused');
    expect(result.rule.definition).toEqual(input);
    expect(result.rule.definition).not.toBe(input);
  });

  it('reports every problem of a rule at once', () => {
    expect(errorsOf({ all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { event: 'X', within: '7 days', count: { op: 'ge', value: 1 } }] })).toEqual([
      { path: 'rule.all[0].op', message: 'must be one of eq, neq, gt, gte, lt, lte, in, not_in, contains, starts_with, exists, not_exists, within_last, before_last' },
      { path: 'rule.all[1].count.op', message: 'must be one of gte, lte, eq, gt, lt' },
      { path: 'rule.all[1].within', message: DURATION_HINT },
    ]);
  });
});

describe('refusing segment rules, pointing at the bad part', () => {
  it.each<[string, unknown, string, string]>([
    // shape
    ['a list as the rule', [plan], 'rule', 'must be a condition object with one of the keys all, any, not, trait, insight, consent, event'],
    ['null as the rule', null, 'rule', 'must be a condition object'],
    ['an object with no condition key', { foo: 1 }, 'rule', 'must be a condition object'],
    ['two condition keys in one object', { trait: 'plan', event: 'X', op: 'exists' }, 'rule', 'must have only one of the keys all, any, not, trait, insight, consent, event; found trait and event'],
    ['an unknown key', { ...plan, extra: 1 }, 'rule.extra', 'is not a known key here; allowed keys are trait, op, value'],
    ['an unknown key with an odd name', { trait: 'plan', op: 'exists', 'bad key': 1 }, 'rule["bad key"]', 'is not a known key here'],
    ['a __proto__ key from JSON', JSON.parse('{"trait":"plan","op":"exists","__proto__":{"x":1}}'), 'rule.__proto__', 'is not a known key here'],
    ['a key of another condition kind', { consent: 'marketing', granted: true, within: '7d' }, 'rule.within', 'allowed keys are consent, granted'],
    // all / any / not
    ['an empty all', { all: [] }, 'rule.all', 'must be a list of at least one condition'],
    ['an empty any', { any: [] }, 'rule.any', 'must be a list of at least one condition'],
    ['all given an object', { all: plan }, 'rule.all', 'must be a list of at least one condition'],
    ['a bad condition inside any', { any: [plan, 'plan'] }, 'rule.any[1]', 'must be a condition object'],
    ['not given a list', { not: [plan] }, 'rule.not', 'must be a condition object'],
    ['nesting 9 levels deep', nested(9), 'rule.not.not.not.not.not.not.not.not', 'is nested too deeply: conditions may be nested at most 8 levels'],
    ['101 conditions in one list', { all: traits(101) }, 'rule.all', 'must hold at most 100 conditions'],
    ['101 conditions over nested lists', { all: [{ all: traits(60) }, { all: traits(60) }] }, 'rule.all[1].all[37]', 'is one condition too many: a rule may hold at most 100 conditions'],
    // operators and values
    ['an unknown operator', { trait: 'plan', op: 'equals', value: 'pro' }, 'rule.op', 'must be one of eq, neq, gt, gte, lt, lte, in, not_in, contains, starts_with, exists, not_exists, within_last, before_last'],
    ['a missing operator', { trait: 'plan', value: 'pro' }, 'rule.op', 'must be one of eq'],
    ['a missing value', { trait: 'plan', op: 'eq' }, 'rule.value', 'is required for eq'],
    ['a value on exists', { trait: 'plan', op: 'exists', value: true }, 'rule.value', 'must be left out for exists'],
    ['a value on not_exists', { trait: 'plan', op: 'not_exists', value: null }, 'rule.value', 'must be left out for not_exists'],
    ['null compared with eq', { trait: 'plan', op: 'eq', value: null }, 'rule.value', 'must be a string (at most 1000 characters), a number or true/false'],
    ['an object compared with eq', { trait: 'plan', op: 'eq', value: { a: 1 } }, 'rule.value', 'must be a string'],
    ['a very long string', { trait: 'plan', op: 'eq', value: 'x'.repeat(1001) }, 'rule.value', 'at most 1000 characters'],
    ['a word compared with gt', { trait: 'age', op: 'gt', value: 'ten' }, 'rule.value', 'must be a number or an ISO 8601 date such as 2025-01-31 or 2025-01-31T12:00:00Z'],
    ['an impossible date', { trait: 'signedUpAt', op: 'gt', value: '2025-02-30' }, 'rule.value', 'must be a number or an ISO 8601 date'],
    ['infinity as a number', { trait: 'age', op: 'gt', value: Number.POSITIVE_INFINITY }, 'rule.value', 'must be a number or an ISO 8601 date'],
    ['in without a list', { trait: 'plan', op: 'in', value: 'pro' }, 'rule.value', 'must be a list of 1 to 500 values'],
    ['in with an empty list', { trait: 'plan', op: 'in', value: [] }, 'rule.value', 'must be a list of 1 to 500 values'],
    ['in with too long a list', { trait: 'plan', op: 'in', value: Array.from({ length: 501 }, (_, i) => i) }, 'rule.value', 'must be a list of 1 to 500 values'],
    ['in with a bad element', { trait: 'plan', op: 'in', value: ['pro', { x: 1 }] }, 'rule.value[1]', 'must be a string'],
    ['starts_with a number', { trait: 'plan', op: 'starts_with', value: 5 }, 'rule.value', 'must be a non-empty string of at most 1000 characters'],
    ['starts_with nothing', { trait: 'plan', op: 'starts_with', value: '' }, 'rule.value', 'must be a non-empty string'],
    ['contains a list', { trait: 'tags', op: 'contains', value: ['a'] }, 'rule.value', 'must be a string'],
    ['within_last with a bad duration', { trait: 'trialEndsAt', op: 'within_last', value: '3 days' }, 'rule.value', DURATION_HINT],
    ['before_last with a number', { trait: 'trialEndsAt', op: 'before_last', value: 3 }, 'rule.value', DURATION_HINT],
    // traits
    ['an empty trait name', { trait: '', op: 'exists' }, 'rule.trait', 'must be a non-empty string'],
    ['a trait name that is not a string', { trait: 5, op: 'exists' }, 'rule.trait', 'must be a non-empty string'],
    ['a trait path with an empty part', { trait: 'address..city', op: 'exists' }, 'rule.trait', 'must be a name or a dotted path such as products.0.category'],
    ['a trait name over 200 characters', { trait: 'x'.repeat(201), op: 'exists' }, 'rule.trait', 'must be at most 200 characters'],
    // insights
    ['an unknown insight', { insight: 'lifetimeValu', op: 'gt', value: 1 }, 'rule.insight', 'must be one of the known insights: lifetimeValue, orderCount, averageOrderValue'],
    ['an inherited name as insight', { insight: 'constructor', op: 'exists' }, 'rule.insight', 'must be one of the known insights'],
    ['a string for a number insight', { insight: 'lifetimeValue', op: 'gt', value: '500' }, 'rule.value', 'must be a number'],
    ['a fraction for an integer insight', { insight: 'orderCount', op: 'gte', value: 1.5 }, 'rule.value', 'must be an integer of at least 0'],
    ['a negative order count', { insight: 'orderCount', op: 'gte', value: -1 }, 'rule.value', 'must be an integer of at least 0'],
    ['an RFM score of 6', { insight: 'rfmMonetary', op: 'eq', value: 6 }, 'rule.value', 'must be an integer from 1 to 5'],
    ['an RFM score list with 0', { insight: 'rfmRecency', op: 'in', value: [0, 1] }, 'rule.value[0]', 'must be an integer from 1 to 5'],
    ['a probability above 1', { insight: 'churnRisk', op: 'gte', value: 1.5 }, 'rule.value', 'must be a number from 0 to 1'],
    ['a number for a string insight', { insight: 'rfmSegment', op: 'eq', value: 3 }, 'rule.value', 'must be a string'],
    ['a word for a date insight', { insight: 'lastOrderAt', op: 'gt', value: 'yesterday' }, 'rule.value', 'must be an ISO 8601 date such as 2025-01-31'],
    ['a number for a date insight', { insight: 'lastOrderAt', op: 'eq', value: 1700000000000 }, 'rule.value', 'must be an ISO 8601 date'],
    ['eq on a list insight', { insight: 'channels', op: 'eq', value: 'web' }, 'rule.op', 'must be one of contains, exists, not_exists (insight channels holds a list of strings)'],
    ['within_last on a number insight', { insight: 'lifetimeValue', op: 'within_last', value: '7d' }, 'rule.op', '(insight lifetimeValue holds a number)'],
    ['starts_with on a date insight', { insight: 'lastSeenAt', op: 'starts_with', value: '2025' }, 'rule.op', 'must be one of eq, neq, gt, gte, lt, lte, exists, not_exists, within_last, before_last (insight lastSeenAt holds a date)'],
    ['a bad duration on a date insight', { insight: 'lastOrderAt', op: 'within_last', value: '0h' }, 'rule.value', DURATION_HINT],
    // consent
    ['consent without granted', { consent: 'marketing' }, 'rule.granted', 'must be true or false'],
    ['consent granted as a string', { consent: 'marketing', granted: 'yes' }, 'rule.granted', 'must be true or false'],
    ['consent with no purpose', { consent: ' ', granted: true }, 'rule.consent', 'must be a non-empty string'],
    // events
    ['an empty event name', { event: '' }, 'rule.event', 'must be a non-empty string'],
    ['a window in words', { event: 'X', within: '7 days' }, 'rule.within', DURATION_HINT],
    ['a zero window', { event: 'X', within: '0d' }, 'rule.within', DURATION_HINT],
    ['a fractional window', { event: 'X', within: '1.5h' }, 'rule.within', DURATION_HINT],
    ['a window in capitals', { event: 'X', within: '7D' }, 'rule.within', DURATION_HINT],
    ['a window over 730 days', { event: 'X', within: '731d' }, 'rule.within', DURATION_HINT],
    ['a window as a number', { event: 'X', within: 7 }, 'rule.within', DURATION_HINT],
    ['a count that is a number', { event: 'X', count: 2 }, 'rule.count', 'must be an object such as {"op": "gte", "value": 2}'],
    ['a count operator of another language', { event: 'X', count: { op: '>=', value: 2 } }, 'rule.count.op', 'must be one of gte, lte, eq, gt, lt'],
    ['a value operator as count operator', { event: 'X', count: { op: 'neq', value: 2 } }, 'rule.count.op', 'must be one of gte, lte, eq, gt, lt'],
    ['a negative count', { event: 'X', count: { op: 'gte', value: -1 } }, 'rule.count.value', 'must be a whole number from 0 to 1000000'],
    ['a fractional count', { event: 'X', count: { op: 'gte', value: 1.5 } }, 'rule.count.value', 'must be a whole number'],
    ['a count below zero', { event: 'X', count: { op: 'lt', value: 0 } }, 'rule.count', 'can never hold'],
    ['an unknown count key', { event: 'X', count: { op: 'gte', value: 1, within: '7d' } }, 'rule.count.within', 'allowed keys are op, value'],
    ['where as an object', { event: 'X', where: { property: 'a', op: 'exists' } }, 'rule.where', 'must be a list of 1 to 10 property conditions'],
    ['an empty where', { event: 'X', where: [] }, 'rule.where', 'must be a list of 1 to 10 property conditions'],
    ['a where item that is a string', { event: 'X', where: ['category'] }, 'rule.where[0]', 'must be a property condition'],
    ['a where item with a trait key', { event: 'X', where: [{ trait: 'a', op: 'exists' }] }, 'rule.where[0].trait', 'allowed keys are property, op, value'],
    ['a where path with an empty part', { event: 'X', where: [{ property: 'products.', op: 'exists' }] }, 'rule.where[0].property', 'must be a name or a dotted path'],
    ['a where with a bad operator', { event: 'X', where: [{ property: 'a', op: 'eq', value: 1 }, { property: 'b', op: 'is' }] }, 'rule.where[1].op', 'must be one of eq, neq'],
    ['a relative date on an event property', { event: 'X', where: [{ property: 'deliveredAt', op: 'within_last', value: '7d' }] }, 'rule.where[0].op', "within_last and before_last are not available on event properties; use the event's within"],
    ['notFollowedBy as a string', { event: 'X', notFollowedBy: 'Order Completed' }, 'rule.notFollowedBy', 'must be an object such as {"event": "Order Completed", "within": "24h"}'],
    ['notFollowedBy without a wait', { event: 'X', notFollowedBy: { event: 'Y' } }, 'rule.notFollowedBy.within', 'is required: how long to wait for the follow-up event'],
    ['notFollowedBy with a count', { event: 'X', notFollowedBy: { event: 'Y', within: '1h', count: { op: 'gte', value: 1 } } }, 'rule.notFollowedBy.count', 'allowed keys are event, where, within'],
    ['notFollowedBy waiting as long as the window', { event: 'X', within: '24h', notFollowedBy: { event: 'Y', within: '1d' } }, 'rule.notFollowedBy.within', "must be shorter than the event's within (24h)"],
    ['a bad where inside notFollowedBy', { event: 'X', notFollowedBy: { event: 'Y', within: '1h', where: [{ property: 'a', op: 'gt', value: 'b' }] } }, 'rule.notFollowedBy.where[0].value', 'must be a number or an ISO 8601 date'],
  ])('refuses %s', (_name, input, path, message) => {
    expect(errorsOf(input)).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('stops at 50 errors however broken the rule is', () => {
    expect(errorsOf({ all: Array.from({ length: 90 }, () => ({ trait: '', op: 'nope' })) })).toHaveLength(50);
  });

  it('does not recurse through an absurdly deep rule', () => {
    expect(errorsOf(nested(100_000))).toEqual([{ path: expect.stringMatching(/^rule(\.not){8}$/), message: expect.stringContaining('nested too deeply') }]);
  });
});
