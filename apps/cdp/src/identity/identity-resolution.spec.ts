import { describe, expect, it } from '@jest/globals';
import { normalizeIdentifier, parseIdentifierKey, type Identifier } from './identifier.js';
import { planResolution, type MatchedProfile } from './identity-resolution.js';

const id = (type: Identifier['type'], value: string): Identifier => ({ type, value });
const profile = (profileId: string, createdAt: string, identifiers: Identifier[]): MatchedProfile => ({ id: profileId, createdAt: new Date(createdAt), identifiers });

describe('identifier normalisation', () => {
  it.each([
    ['email', '  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['phone', '+44 20 7946 0958', '+442079460958'],
    ['phone', '(415) 555-2671', '+14155552671'],
    ['user_id', ' u-1 ', 'u-1'],
  ] as const)('normalises %s %j to %j', (type, raw, expected) => {
    expect(normalizeIdentifier(type, raw, 'US')?.value).toBe(expected);
  });

  it.each([
    ['email', 'not-an-email'],
    ['phone', '12'],
    ['user_id', '   '],
  ] as const)('refuses %s %j', (type, raw) => {
    expect(normalizeIdentifier(type, raw, 'US')).toBeNull();
  });

  it('parses type:value keys from URLs and refuses unknown types', () => {
    expect(parseIdentifierKey('email:Jane@Example.com')).toEqual(id('email', 'jane@example.com'));
    expect(parseIdentifierKey('anonymous_id:a:b')).toEqual(id('anonymous_id', 'a:b'));
    expect(parseIdentifierKey('shoe_size:42')).toBeNull();
    expect(parseIdentifierKey('no-colon')).toBeNull();
  });
});

describe('planResolution', () => {
  it('creates a profile when no identifier is known', () => {
    expect(planResolution([id('anonymous_id', 'a1'), id('email', 'j@x.io')], [])).toEqual({
      survivorId: null,
      mergedIds: [],
      newIdentifiers: [id('email', 'j@x.io'), id('anonymous_id', 'a1')],
      conflicts: [],
    });
  });

  it('adds the new identifiers of a known customer to their profile', () => {
    const known = profile('p1', '2026-01-01', [id('user_id', 'u1')]);
    expect(planResolution([id('user_id', 'u1'), id('anonymous_id', 'a9')], [known])).toMatchObject({ survivorId: 'p1', mergedIds: [], newIdentifiers: [id('anonymous_id', 'a9')] });
  });

  it('stitches an anonymous profile to the known customer, keeping the older profile id', () => {
    const anonymous = profile('anon', '2026-01-01', [id('anonymous_id', 'a1')]);
    const known = profile('known', '2026-02-01', [id('user_id', 'u1'), id('email', 'j@x.io')]);
    const plan = planResolution([id('user_id', 'u1'), id('anonymous_id', 'a1')], [known, anonymous]);
    expect(plan).toEqual({ survivorId: 'anon', mergedIds: ['known'], newIdentifiers: [], conflicts: [] });
  });

  it('gives a new userId met with another user\'s anonymous id a profile of its own, recording the conflict', () => {
    const bob = profile('bob', '2025-01-01', [id('user_id', 'bob'), id('anonymous_id', 'kiosk')]);
    const plan = planResolution([id('user_id', 'alice'), id('anonymous_id', 'kiosk')], [bob]);
    expect(plan).toEqual({
      survivorId: null,
      mergedIds: [],
      newIdentifiers: [id('user_id', 'alice')],
      conflicts: [{ kind: 'merge_refused', profileId: null, otherProfileId: 'bob', identifierType: 'user_id', values: ['alice', 'bob'] }],
    });
  });

  it('takes over an anonymous profile for a new userId even when another user shares an identifier', () => {
    const bob = profile('bob', '2025-01-01', [id('user_id', 'bob'), id('anonymous_id', 'kiosk')]);
    const anon = profile('anon', '2026-01-01', [id('anonymous_id', 'a-web')]);
    const plan = planResolution([id('user_id', 'alice'), id('anonymous_id', 'kiosk'), id('anonymous_id', 'a-web')], [bob, anon]);
    expect(plan.survivorId).toBe('anon');
    expect(plan.newIdentifiers).toEqual([id('user_id', 'alice')]);
    expect(plan.conflicts).toEqual([{ kind: 'merge_refused', profileId: 'anon', otherProfileId: 'bob', identifierType: 'user_id', values: ['alice', 'bob'] }]);
  });

  it('never merges two different user ids: the merge is refused, recorded, and the event stays with the strongest match', () => {
    const alice = profile('alice', '2026-01-01', [id('user_id', 'alice'), id('email', 'shared@x.io')]);
    const bob = profile('bob', '2025-01-01', [id('user_id', 'bob'), id('anonymous_id', 'kiosk')]);
    const plan = planResolution([id('user_id', 'alice'), id('anonymous_id', 'kiosk')], [bob, alice]);
    expect(plan.survivorId).toBe('alice');
    expect(plan.mergedIds).toEqual([]);
    expect(plan.newIdentifiers).toEqual([]);
    expect(plan.conflicts).toEqual([{ kind: 'merge_refused', profileId: 'alice', otherProfileId: 'bob', identifierType: 'user_id', values: ['alice', 'bob'] }]);
  });

  it('refuses an identifier beyond its type limit instead of adding it', () => {
    const known = profile('p1', '2026-01-01', [id('user_id', 'u1')]);
    const plan = planResolution([id('user_id', 'u1'), id('user_id', 'u2')], [known]);
    expect(plan.newIdentifiers).toEqual([]);
    expect(plan.conflicts).toEqual([{ kind: 'identifier_refused', profileId: 'p1', identifier: id('user_id', 'u2') }]);
  });

  it('merges three profiles met by one event (app device, store email, web cookie) into one', () => {
    const app = profile('app', '2026-03-01', [id('device_id', 'd1'), id('anonymous_id', 'a-app')]);
    const store = profile('store', '2026-03-03', [id('email', 'j@x.io')]);
    const web = profile('web', '2026-03-02', [id('anonymous_id', 'a-web')]);
    const plan = planResolution([id('email', 'j@x.io'), id('device_id', 'd1'), id('anonymous_id', 'a-web'), id('user_id', 'u1')], [store, web, app]);
    expect(plan.survivorId).toBe('app');
    expect([...plan.mergedIds].sort()).toEqual(['store', 'web']);
    expect(plan.newIdentifiers).toEqual([id('user_id', 'u1')]);
    expect(plan.conflicts).toEqual([]);
  });

  it('does not take over an identifier that belongs to a profile it refused to merge with', () => {
    const alice = profile('alice', '2026-01-01', [id('user_id', 'alice')]);
    const bob = profile('bob', '2026-01-02', [id('user_id', 'bob'), id('email', 'bob@x.io')]);
    const plan = planResolution([id('user_id', 'alice'), id('email', 'bob@x.io')], [alice, bob]);
    expect(plan.survivorId).toBe('alice');
    expect(plan.newIdentifiers).toEqual([]);
  });
});
