import { describe, expect, it } from '@jest/globals';
import { evaluateSegmentRule } from './evaluate-segment-rule.js';
import { parseSegmentRule } from './parse-segment-rule.js';
import type { SegmentRule } from './compiled-rule.js';
import type { SegmentEvaluation, SegmentSubject } from './segment-subject.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.parse('2026-11-23T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function compile(rule: unknown): SegmentRule {
  const parsed = parseSegmentRule(rule);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rule;
}

function subject(data: Partial<SegmentSubject>): SegmentSubject {
  return { traits: {}, insights: {}, consent: {}, events: [], ...data };
}

function evaluateAt(rule: unknown, data: Partial<SegmentSubject>, nowMs: number): SegmentEvaluation {
  return evaluateSegmentRule(compile(rule), subject(data), new Date(nowMs));
}

const at = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

// Conditions whose result moves with time alone, with the instant it moves (relative to t0).
const orderedRecently = { insight: 'lastOrderAt', op: 'within_last', value: '72h' }; // holds until lastOrderAt + 72h
const seenLongAgo = { insight: 'lastSeenAt', op: 'before_last', value: '30d' }; // holds from lastSeenAt + 30d
const pro = { trait: 'plan', op: 'eq', value: 'pro' };
const marketing = { consent: 'marketing', granted: true };

describe('consent conditions', () => {
  it.each<[string, boolean, Record<string, boolean>, boolean]>([
    ['granted matches an explicit grant', true, { marketing: true }, true],
    ['granted does not match a denial', true, { marketing: false }, false],
    ['granted does not match a purpose never asked', true, {}, false],
    ['not granted matches a denial', false, { marketing: false }, true],
    ['not granted matches a purpose never asked', false, { analytics: true }, true],
    ['not granted does not match a grant', false, { marketing: true }, false],
  ])('%s', (_name, granted, consent, expected) => {
    expect(evaluateAt({ consent: 'marketing', granted }, { consent }, t0)).toEqual({ member: expected, reevaluateAt: null });
  });

  it('does not take inherited names for purposes', () => {
    expect(evaluateAt({ consent: 'constructor', granted: true }, {}, t0).member).toBe(false);
  });
});

describe('all, any and not', () => {
  const data = { traits: { plan: 'pro' }, consent: { marketing: true }, insights: { churnRisk: 0.2 } };

  it.each<[string, unknown, boolean]>([
    ['all holds when every condition holds', { all: [pro, marketing] }, true],
    ['all fails when one condition fails', { all: [pro, marketing, { insight: 'churnRisk', op: 'gt', value: 0.5 }] }, false],
    ['any holds when one condition holds', { any: [{ trait: 'plan', op: 'eq', value: 'free' }, marketing] }, true],
    ['any fails when none holds', { any: [{ trait: 'plan', op: 'eq', value: 'free' }, { consent: 'sms', granted: true }] }, false],
    ['not inverts', { not: pro }, false],
    ['not of not is the condition', { not: { not: pro } }, true],
    ['not of any is none', { not: { any: [pro, { consent: 'sms', granted: true }] } }, false],
    ['all of nots excludes', { all: [marketing, { not: { trait: 'plan', op: 'eq', value: 'free' } }] }, true],
  ])('%s', (_name, rule, expected) => {
    expect(evaluateAt(rule, data, t0)).toEqual({ member: expected, reevaluateAt: null });
  });
});

describe('when to evaluate again', () => {
  const lastOrderAt = t0 - 24 * HOUR; // leaves "ordered recently" at t0 + 48h
  const lastSeenAt = t0 - 20 * DAY; // enters "seen long ago" at t0 + 10d
  const insights = { lastOrderAt: iso(lastOrderAt), lastSeenAt: iso(lastSeenAt) };

  it.each<[string, unknown, Partial<SegmentSubject>, boolean, number | null]>([
    ['within_last: when the date ages out', orderedRecently, { insights }, true, lastOrderAt + 72 * HOUR],
    ['within_last: never again once aged out', orderedRecently, { insights: { lastOrderAt: iso(t0 - 72 * HOUR) } }, false, null],
    ['within_last: when a future date is reached', orderedRecently, { insights: { lastOrderAt: iso(t0 + HOUR) } }, false, t0 + HOUR],
    ['before_last: when the date becomes old enough', seenLongAgo, { insights }, false, lastSeenAt + 30 * DAY],
    ['before_last: never again once old enough', seenLongAgo, { insights: { lastSeenAt: iso(t0 - 30 * DAY) } }, true, null],
    ['not keeps the instant of its condition', { not: orderedRecently }, { insights }, false, lastOrderAt + 72 * HOUR],
    ['all that holds: at its first change', { all: [orderedRecently, { not: seenLongAgo }] }, { insights }, true, lastOrderAt + 72 * HOUR],
    ['all that fails for good: never', { all: [pro, orderedRecently] }, { insights }, false, null],
    ['all that fails on data-only grounds even if other parts move', { all: [seenLongAgo, pro] }, { insights }, false, null],
    ['all that fails on two moving parts: not before both have moved', { all: [{ not: orderedRecently }, seenLongAgo] }, { insights }, false, lastSeenAt + 30 * DAY],
    ['any that holds for good: never', { any: [marketing, orderedRecently] }, { insights, consent: { marketing: true } }, true, null],
    ['any that holds on two moving parts: not before both have moved', { any: [orderedRecently, { not: seenLongAgo }] }, { insights }, true, lastSeenAt + 30 * DAY],
    ['any that fails: at the first part that can move', { any: [{ not: orderedRecently }, seenLongAgo, pro] }, { insights }, false, lastOrderAt + 72 * HOUR],
    ['not of any that holds: like the any', { not: { any: [orderedRecently, { not: seenLongAgo }] } }, { insights }, false, lastSeenAt + 30 * DAY],
    ['only data: never', { all: [pro, marketing] }, { traits: { plan: 'pro' }, consent: { marketing: true } }, true, null],
  ])('%s', (_name, rule, data, member, reevaluateAt) => {
    expect(evaluateAt(rule, data, t0)).toEqual({ member, reevaluateAt: at(reevaluateAt) });
  });

  it('changes its answer exactly at the instant it gives, not a millisecond before', () => {
    const rule = { any: [orderedRecently, { not: seenLongAgo }] };
    const first = evaluateAt(rule, { insights }, t0);
    const flip = first.reevaluateAt?.getTime() ?? Number.NaN;
    expect(evaluateAt(rule, { insights }, flip - 1).member).toBe(true);
    expect(evaluateAt(rule, { insights }, flip)).toEqual({ member: false, reevaluateAt: null });
  });

  it('is never in the past', () => {
    const rule = { any: [{ not: orderedRecently }, seenLongAgo] };
    for (let now = t0; now < t0 + 40 * DAY; now += 6 * HOUR) {
      const next = evaluateAt(rule, { insights }, now).reevaluateAt;
      if (next) expect(next.getTime()).toBeGreaterThan(now);
    }
  });

  it('refuses an invalid now', () => {
    expect(() => evaluateSegmentRule(compile(pro), subject({}), new Date('nope'))).toThrow(RangeError);
  });
});
