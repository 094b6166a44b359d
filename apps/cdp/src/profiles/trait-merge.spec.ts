import { describe, expect, it } from '@jest/globals';
import { applyTraits, mergeTraitStates, traitValues, type TraitState } from './trait-merge.js';

const state: TraitState = {
  name: { value: 'Jane', observedAt: '2026-11-20T10:00:00.000Z', source: 'web' },
  plan: { value: 'gold', observedAt: '2026-11-22T10:00:00.000Z', source: 'crm' },
};

describe('trait merging by event time', () => {
  it('keeps the newer trait when an older event arrives late', () => {
    const result = applyTraits(state, { plan: 'silver' }, '2026-11-21T10:00:00.000Z', 'app');
    expect(result.state['plan']).toEqual(state['plan']);
    expect(result.changed).toEqual([]);
  });

  it('hands back the very same state when it wrote nothing, so the caller can skip saving', () => {
    expect(applyTraits(state, {}, '2026-11-23T00:00:00.000Z', 'web').state).toBe(state);
    expect(applyTraits(state, { plan: 'silver' }, '2026-11-21T10:00:00.000Z', 'app').state).toBe(state);
    expect(applyTraits(state, { plan: 'gold' }, '2026-11-23T00:00:00.000Z', 'web').state).not.toBe(state);
  });

  it('takes a newer value and records where it came from', () => {
    const result = applyTraits(state, { name: 'Jane Doe', city: 'Leeds' }, '2026-11-23T09:00:00.000Z', 'pos');
    expect(traitValues(result.state)).toEqual({ name: 'Jane Doe', plan: 'gold', city: 'Leeds' });
    expect(result.state['city']).toEqual({ value: 'Leeds', observedAt: '2026-11-23T09:00:00.000Z', source: 'pos' });
    expect(result.changed).toEqual(['name', 'city']);
  });

  it('changes nothing when the same event is applied twice', () => {
    const once = applyTraits(state, { city: 'Leeds' }, '2026-11-23T09:00:00.000Z', 'pos');
    const twice = applyTraits(once.state, { city: 'Leeds' }, '2026-11-23T09:00:00.000Z', 'pos');
    expect(twice.changed).toEqual([]);
    expect(twice.state).toEqual(once.state);
  });

  it('compares structured values by content', () => {
    const withAddress = applyTraits({}, { address: { city: 'Leeds' } }, '2026-11-01T00:00:00.000Z', 'web').state;
    expect(applyTraits(withAddress, { address: { city: 'Leeds' } }, '2026-11-02T00:00:00.000Z', 'web').changed).toEqual([]);
  });

  it('merges two profiles trait by trait, newer observation winning', () => {
    const other: TraitState = {
      name: { value: 'J. Doe', observedAt: '2026-11-21T00:00:00.000Z', source: 'pos' },
      plan: { value: 'bronze', observedAt: '2026-01-01T00:00:00.000Z', source: 'pos' },
      phone: { value: '+441', observedAt: '2026-01-01T00:00:00.000Z', source: 'pos' },
    };
    expect(traitValues(mergeTraitStates(state, other))).toEqual({ name: 'J. Doe', plan: 'gold', phone: '+441' });
  });
});
