import { describe, expect, it } from '@jest/globals';
import { behaviouralInsights, EMPTY_INSIGHT_STATE } from './insight-accumulator.js';
import { buildSnapshot, personName, sameSnapshot, type SnapshotParts } from './insight-snapshot.js';

const parts: SnapshotParts = {
  profileId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  identifiers: { userIds: ['u2', 'u1'], emails: ['jane@example.com'], crmContactIds: [] },
  behaviour: { ...behaviouralInsights(EMPTY_INSIGHT_STATE, new Date('2026-11-23T12:00:00Z'), { reportingCurrency: 'EUR', ratesToReporting: {} }), lastSeenAt: '2026-11-23T11:59:42.123Z' },
  scores: { rfm: null, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null },
  segments: [
    { segmentId: 'b', key: 'winter-jacket-browsers', name: 'Winter-jacket browsers', enteredAt: '2026-11-23T11:00:00.000Z' },
    { segmentId: 'a', key: 'cart-abandoners', name: 'Cart abandoners', enteredAt: '2026-11-23T10:00:00.000Z' },
  ],
  consent: { marketing: { value: true, observedAt: '2026-11-20T00:00:00.000Z' }, odd: { value: 'yes', observedAt: '2026-11-20T00:00:00.000Z' } },
  traits: { city: { value: 'Leeds', observedAt: '2026-11-20T00:00:00.000Z' } },
};

const at = (value: unknown, observedAt = '2026-11-20T00:00:00.000Z'): { value: unknown; observedAt: string } => ({ value, observedAt });

describe('insight snapshots', () => {
  it('orders lists canonically, keeps last seen to the minute and only boolean consent', () => {
    const snapshot = buildSnapshot(parts);
    expect(snapshot.identifiers.userIds).toEqual(['u1', 'u2']);
    expect(snapshot.segments.map((segment) => segment.key)).toEqual(['cart-abandoners', 'winter-jacket-browsers']);
    expect(snapshot.insights.lastSeenAt).toBe('2026-11-23T11:59:00.000Z');
    expect(snapshot.consent).toEqual([{ purpose: 'marketing', granted: true, updatedAt: '2026-11-20T00:00:00.000Z' }]);
  });

  it('sees no change when only key order differs, as after a round trip through jsonb', () => {
    const snapshot = buildSnapshot(parts);
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).reverse().map(([key, field]) => [key, reverseKeys(field)]))
          : value;
    const roundTripped = reverseKeys(snapshot) as typeof snapshot;
    expect(JSON.stringify(roundTripped)).not.toBe(JSON.stringify(snapshot));
    expect(sameSnapshot(roundTripped, snapshot)).toBe(true);
  });

  it('sees a change in any value, and in a first snapshot', () => {
    const snapshot = buildSnapshot(parts);
    expect(sameSnapshot(null, snapshot)).toBe(false);
    expect(sameSnapshot(snapshot, buildSnapshot({ ...parts, behaviour: { ...parts.behaviour, lastSeenAt: '2026-11-23T12:00:01.000Z' } }))).toBe(false);
    expect(sameSnapshot(snapshot, buildSnapshot({ ...parts, segments: parts.segments.slice(1) }))).toBe(false);
  });

  it('carries no name when the profile has no name traits, so snapshots stored before names existed still compare equal', () => {
    const storedBefore = buildSnapshot(parts);
    expect(storedBefore).not.toHaveProperty('name');
    expect(sameSnapshot(storedBefore, buildSnapshot({ ...parts, traits: { ...parts.traits, name: at('Jane Doe'), firstName: at('  ') } }))).toBe(true);
  });

  it('publishes the name from the first/last name traits: a new or changed name is a change, the same name is not', () => {
    const named = buildSnapshot({ ...parts, traits: { ...parts.traits, firstName: at('Jane'), lastName: at('Doe') } });
    expect(named.name).toEqual({ firstName: 'Jane', lastName: 'Doe' });
    expect(sameSnapshot(buildSnapshot(parts), named)).toBe(false);
    expect(sameSnapshot(named, buildSnapshot({ ...parts, traits: { ...parts.traits, firstName: at('Jane', '2026-11-22T00:00:00.000Z'), lastName: at('Doe') } }))).toBe(true);
    expect(sameSnapshot(named, buildSnapshot({ ...parts, traits: { ...parts.traits, firstName: at('Jane'), lastName: at('Doe-Smith') } }))).toBe(false);
    expect(sameSnapshot(named, buildSnapshot({ ...parts, traits: { ...parts.traits, firstName: at('Jane') } }))).toBe(false);
  });
});

describe('personName', () => {
  it('reads the Segment-spec and snake_case spellings, trimmed, and leaves an unknown part out', () => {
    expect(personName({ firstName: at(' Jane '), lastName: at('Doe') })).toEqual({ firstName: 'Jane', lastName: 'Doe' });
    expect(personName({ first_name: at('Jane'), last_name: at('Doe') })).toEqual({ firstName: 'Jane', lastName: 'Doe' });
    expect(personName({ last_name: at('Doe') })).toEqual({ lastName: 'Doe' });
  });

  it('takes the newer observation where both spellings are held, the Segment-spec one on a tie', () => {
    expect(personName({ firstName: at('Jane', '2026-11-20T00:00:00Z'), first_name: at('Janet', '2026-11-21T00:00:00Z') })).toEqual({ firstName: 'Janet' });
    expect(personName({ firstName: at('Jane', '2026-11-22T00:00:00Z'), first_name: at('Janet', '2026-11-21T00:00:00Z') })).toEqual({ firstName: 'Jane' });
    expect(personName({ firstName: at('Jane'), first_name: at('Janet') })).toEqual({ firstName: 'Jane' });
  });

  it('does not split a full name trait, and knows nothing from values that are not usable text', () => {
    expect(personName({ name: at('Jane Doe') })).toBeUndefined();
    expect(personName({ firstName: at(42), lastName: at('   ') })).toBeUndefined();
    expect(personName({ firstName: at(null), lastName: at('x'.repeat(201)) })).toBeUndefined();
    expect(personName({ firstName: at('J'.repeat(200)) })).toEqual({ firstName: 'J'.repeat(200) });
  });

  it('a newer unusable value (a name cleared with null) makes the part unknown rather than falling back to an older spelling', () => {
    expect(personName({ first_name: at('Jane', '2026-11-20T00:00:00Z'), firstName: at(null, '2026-11-21T00:00:00Z') })).toBeUndefined();
  });
});
