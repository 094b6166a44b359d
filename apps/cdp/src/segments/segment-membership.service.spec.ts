import { describe, expect, it } from '@jest/globals';
import { parseSegmentRule, type SegmentSubject } from './rules/index.js';
import type { ActiveSegment } from './segment-catalog.js';
import { evaluateMemberships } from './segment-membership.service.js';

const now = new Date('2026-11-23T12:00:00.000Z');
const earlier = '2026-11-01T08:00:00.000Z';

function segment(id: string, rule: unknown): ActiveSegment {
  const parsed = parseSegmentRule(rule);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { id, key: `key-${id}`, name: `Segment ${id}`, revision: 1, rule: parsed.rule };
}

const gold = segment('gold', { trait: 'plan', op: 'eq', value: 'gold' });
const buyer = segment('buyer', { insight: 'orderCount', op: 'gte', value: 1 });
const recent = segment('recent', { insight: 'lastOrderAt', op: 'within_last', value: '72h' });
const subject = (traits: Record<string, unknown>, insights: Record<string, unknown>): SegmentSubject => ({ traits, insights, consent: {}, events: [] });
const held = (segmentId: string, enteredAt = earlier): { segmentId: string; key: string; name: string; enteredAt: string } => ({ segmentId, key: `key-${segmentId}`, name: `Segment ${segmentId}`, enteredAt });

describe('evaluateMemberships', () => {
  it('enters, keeps (with the first entry time) and exits segments against those the last snapshot lists', () => {
    const result = evaluateMemberships([gold, buyer], subject({ plan: 'gold' }, { orderCount: 0 }), [held('gold'), held('buyer')], now);
    expect(result.entered).toEqual([]);
    expect(result.exited.map((exited) => exited.id)).toEqual(['buyer']);
    expect(result.members).toEqual([held('gold')]);

    const entering = evaluateMemberships([gold, buyer], subject({}, { orderCount: 2 }), [], now);
    expect(entering.entered.map((entered) => entered.id)).toEqual(['buyer']);
    expect(entering.members).toEqual([held('buyer', now.toISOString())]);
  });

  it('gives the earliest instant at which a window passing changes an answer, or null', () => {
    const lastOrderAt = '2026-11-22T12:00:00.000Z';
    expect(evaluateMemberships([recent, gold], subject({}, { lastOrderAt }), [], now).reevaluateAt).toEqual(new Date('2026-11-25T12:00:00.000Z'));
    expect(evaluateMemberships([gold], subject({}, {}), [], now).reevaluateAt).toBeNull();
  });

  it('evaluates only the given segments, keeping the others as they were', () => {
    const result = evaluateMemberships([gold, buyer], subject({}, { orderCount: 3 }), [held('gold')], now, new Set(['buyer']));
    expect(result.exited).toEqual([]);
    expect(result.entered.map((entered) => entered.id)).toEqual(['buyer']);
    expect(result.members.map((member) => member.segmentId)).toEqual(['gold', 'buyer']);
  });

  it('forgets a listed segment that is no longer live', () => {
    const result = evaluateMemberships([buyer], subject({}, { orderCount: 0 }), [held('deleted')], now);
    expect(result).toMatchObject({ entered: [], exited: [], members: [] });
  });
});
