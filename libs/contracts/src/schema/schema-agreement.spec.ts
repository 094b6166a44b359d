import { describe, expect, it } from '@jest/globals';
import { profileInsightsV1 } from '../cdp-profile-insights/profile-insights.v1.js';
import { profileErasedV1 } from '../cdp-profiles/profile-erased.v1.js';
import { profileMergedV1 } from '../cdp-profiles/profile-merged.v1.js';
import { rawEventV1 } from '../cdp-raw-events/raw-event.v1.js';
import { segmentMembershipChangedV1 } from '../cdp-segment-membership/segment-membership-changed.v1.js';
import { contactChangedV1 } from '../crm-contact-changes/contact-changed.v1.js';
import { ALL_CONTRACTS } from '../contract-registry.js';
import type { MessageContract } from '../message-contract.js';
import {
  MISSING,
  VALID_SAMPLES,
  validContactChange,
  validIdentifiers,
  validProfileErasure,
  validProfileInsights,
  validProfileMerge,
  validRawEvent,
  validSegmentMembershipChange,
  withPath,
  verdictsOf,
  type Plain,
} from '../testing/valid-messages.fixtures.js';

type Case = readonly [label: string, plain: Plain, valid: boolean];

/** The sample with fields replaced (MISSING removes one): one row of a table. */
const change = (base: () => Plain, changes: Readonly<Record<string, unknown>>): Plain =>
  Object.entries(changes).reduce((plain, [path, value]) => withPath(plain, path, value), base());

const raw = (changes: Readonly<Record<string, unknown>>): Plain => change(validRawEvent, changes);
const ANON_ONLY = { userId: MISSING, anonymousId: 'anon-1' } as const;

const RAW_EVENT_CASES: readonly Case[] = [
  ['track with a userId', raw({}), true],
  ['track with an anonymousId only', raw(ANON_ONLY), true],
  ['identify: no event name needed', raw({ type: 'identify', event: MISSING, traits: { plan: 'pro' } }), true],
  ['page with a name and no userId', raw({ type: 'page', event: MISSING, name: 'Home', ...ANON_ONLY }), true],
  ['screen with a null name (IsOptional takes null)', raw({ type: 'screen', event: MISSING, name: null }), true],
  ['group with a groupId', raw({ type: 'group', event: MISSING, groupId: 'acme' }), true],
  ['alias with userId and previousId', raw({ type: 'alias', event: MISSING, previousId: 'anon-1' }), true],
  ['alias with anonymousId as well', raw({ type: 'alias', event: MISSING, previousId: 'anon-1', anonymousId: 'anon-2' }), true],
  ['anonymousId null counts as present (class-validator tests === undefined)', raw({ userId: MISSING, anonymousId: null }), true],
  ['null objects (IsOptional)', raw({ traits: null, properties: null, context: null, integrations: null }), true],
  ['all optional times', raw({ originalTimestamp: '2026-11-23T09:59:58.000Z', sentAt: '2026-11-23T09:59:59+01:00' }), true],
  ['time with offset and microseconds', raw({ timestamp: '2026-11-23T10:00:00.123456-05:30' }), true],
  ['limits: messageId 200, event 200, userId 256, name 500', raw({ messageId: 'm'.repeat(200), event: 'e'.repeat(200), userId: 'u'.repeat(256), name: 'n'.repeat(500) }), true],
  ['the nil UUID as sourceId', raw({ sourceId: '00000000-0000-0000-0000-000000000000' }), true],
  ['an upper-case v7 UUID as sourceId', raw({ sourceId: '01890A5D-AC96-774B-BCCE-B302099A8057' }), true],
  ['track without event', raw({ event: MISSING }), false],
  ['track with an empty event', raw({ event: '' }), false],
  ['track with event null', raw({ event: null }), false],
  ['track with a 201-character event', raw({ event: 'e'.repeat(201) }), false],
  ['track with a numeric event', raw({ event: 42 }), false],
  ['neither userId nor anonymousId', raw({ userId: MISSING }), false],
  ['userId null and no anonymousId', raw({ userId: null }), false],
  ['empty userId without anonymousId', raw({ userId: '' }), false],
  ['257-character userId', raw({ userId: 'u'.repeat(257) }), false],
  ['empty anonymousId', raw({ anonymousId: '' }), false],
  ['alias without userId', raw({ type: 'alias', event: MISSING, previousId: 'p', ...ANON_ONLY }), false],
  ['alias without previousId', raw({ type: 'alias', event: MISSING }), false],
  ['alias with an empty previousId', raw({ type: 'alias', event: MISSING, previousId: '' }), false],
  ['group without groupId', raw({ type: 'group', event: MISSING }), false],
  ['group with groupId null', raw({ type: 'group', event: MISSING, groupId: null }), false],
  ['an unknown type', raw({ type: 'click' }), false],
  ['no type', raw({ type: MISSING }), false],
  ['schemaVersion 2', raw({ schemaVersion: 2 }), false],
  ['schemaVersion "1"', raw({ schemaVersion: '1' }), false],
  ['sourceId not a UUID', raw({ sourceId: 'web' }), false],
  ['sourceId a version-0 UUID', raw({ sourceId: '6f1c2d1e-8a4b-0c5d-9e6f-0a1b2c3d4e5f' }), false],
  ['sourceId with a urn: prefix', raw({ sourceId: 'urn:uuid:6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f' }), false],
  ['no messageId', raw({ messageId: MISSING }), false],
  ['an empty messageId', raw({ messageId: '' }), false],
  ['a numeric messageId', raw({ messageId: 7 }), false],
  ['timestamp not a date', raw({ timestamp: 'yesterday' }), false],
  ['timestamp on 30 February', raw({ timestamp: '2026-02-30T10:00:00Z' }), false],
  ['timestamp with a lower-case t', raw({ timestamp: '2026-11-23t10:00:00Z' }), false],
  ['timestamp with a leap second', raw({ timestamp: '2016-12-31T23:59:60Z' }), false],
  ['timestamp as epoch milliseconds', raw({ timestamp: 1732356000000 }), false],
  ['no receivedAt', raw({ receivedAt: MISSING }), false],
  ['sentAt not a date', raw({ sentAt: 'soon' }), false],
  ['traits an array', raw({ traits: ['a'] }), false],
  ['context a string', raw({ context: 'web' }), false],
  ['an unknown top-level field', raw({ writeKey: 'k' }), false],
];

const CASES: readonly (readonly [MessageContract<object>, readonly Case[]])[] = [
  [rawEventV1, RAW_EVENT_CASES],
  [
    profileInsightsV1,
    [
      ['a full snapshot', validProfileInsights(), true],
      ['every nullable insight null', change(validProfileInsights, { 'insights.averageOrderValue': null, 'insights.rfm': null, 'insights.lastSeenAt': null, 'insights.churnRisk': null }), true],
      ['no segments, no consent', change(validProfileInsights, { segments: [], consent: [] }), true],
      ['a nullable insight left out', change(validProfileInsights, { 'insights.averageOrderValue': MISSING }), false],
      ['rfm left out', change(validProfileInsights, { 'insights.rfm': MISSING }), false],
      ['rfm an array', change(validProfileInsights, { 'insights.rfm': [] }), false],
      ['rfm score 6', change(validProfileInsights, { 'insights.rfm.recency': 6 }), false],
      ['probability above 1', change(validProfileInsights, { 'insights.probabilityAlive': 1.01 }), false],
      ['negative lifetime value', change(validProfileInsights, { 'insights.lifetimeValue': -1 }), false],
      ['fractional order count', change(validProfileInsights, { 'insights.orderCount': 1.5 }), false],
      ['lower-case currency', change(validProfileInsights, { 'insights.currency': 'eur' }), false],
      ['21 channels', change(validProfileInsights, { 'insights.channels': Array.from({ length: 21 }, (_, index) => `c${index}`) }), false],
      ['a segment key that is not a slug', change(validProfileInsights, { 'segments.0.key': 'High Value' }), false],
      ['segments nested in an array', change(validProfileInsights, { segments: [validProfileInsights()['segments']] }), false],
      ['identifiers as an array', change(validProfileInsights, { identifiers: [validIdentifiers()] }), false],
      ['identifiers left out', change(validProfileInsights, { identifiers: MISSING }), false],
      ['version 0', change(validProfileInsights, { version: 0 }), false],
      ['event properties at the top', change(validProfileInsights, { properties: { revenue: 1 } }), false],
      ['event properties inside insights', change(validProfileInsights, { 'insights.properties': { revenue: 1 } }), false],
    ],
  ],
  [
    segmentMembershipChangedV1,
    [
      ['entered', validSegmentMembershipChange(), true],
      ['exited', change(validSegmentMembershipChange, { change: 'exited' }), true],
      ['an unknown change', change(validSegmentMembershipChange, { change: 'joined' }), false],
      ['profileVersion 0', change(validSegmentMembershipChange, { profileVersion: 0 }), false],
      ['a segment key with a space', change(validSegmentMembershipChange, { segmentKey: 'high value' }), false],
      ['identifiers left out', change(validSegmentMembershipChange, { identifiers: MISSING }), false],
      ['event properties', change(validSegmentMembershipChange, { properties: {} }), false],
    ],
  ],
  [
    contactChangedV1,
    [
      ['updated', validContactChange(), true],
      ['merged into another contact', change(validContactChange, { changeType: 'merged', mergedIntoContactId: '0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c' }), true],
      ['email null (IsOptional)', change(validContactChange, { email: null }), true],
      ['merged without the contact it went into', change(validContactChange, { changeType: 'merged' }), false],
      ['merged into a non-UUID', change(validContactChange, { changeType: 'merged', mergedIntoContactId: 'c-2' }), false],
      ['not an email', change(validContactChange, { email: 'jane' }), false],
      ['a 65-character phone', change(validContactChange, { phone: '1'.repeat(65) }), false],
    ],
  ],
  [
    profileMergedV1,
    [
      ['a merge', validProfileMerge(), true],
      ['nothing merged', change(validProfileMerge, { mergedProfileIds: [] }), false],
      ['a merged id that is not a UUID', change(validProfileMerge, { mergedProfileIds: ['p-2'] }), false],
      ['identifiers null', change(validProfileMerge, { identifiers: null }), false],
    ],
  ],
  [
    profileErasedV1,
    [
      ['an erasure', validProfileErasure(), true],
      ['11 emails', change(validProfileErasure, { 'identifiers.emails': Array.from({ length: 11 }, (_, index) => `p${index}@example.com`) }), false],
      ['requestedAt missing', change(validProfileErasure, { requestedAt: MISSING }), false],
    ],
  ],
];

describe('JSON Schema and class-validator agree', () => {
  it('on a table for every contract', () => {
    expect(CASES.map(([contract]) => contract)).toEqual(expect.arrayContaining([...ALL_CONTRACTS]));
    for (const contract of ALL_CONTRACTS) expect(VALID_SAMPLES.has(contract)).toBe(true);
  });

  describe.each(CASES.map(([contract, cases]) => ({ name: contract.name, contract, cases })))('$name', ({ contract, cases }) => {
    it.each(cases.map(([label, plain, valid]) => [label, valid, plain] as const))('%s: valid=%s for all three checks', (_label, valid, plain) => {
      expect(verdictsOf(contract, plain)).toEqual({ classValidator: valid, compiled: valid, generic: valid });
    });
  });
});

// Where class-validator accepts what the schema refuses. The pre-check stays
// sound (schema valid implies class-validator valid); each schema's description
// names the difference.
const STRICTER_SCHEMA: readonly (readonly [string, MessageContract<object>, Plain])[] = [
  ['a numeric userId (a @Transform makes it a string first)', rawEventV1, raw({ userId: 42 })],
  ['a numeric anonymousId', rawEventV1, raw({ ...ANON_ONLY, anonymousId: 7 })],
  ['a page event with event 42 (checked only for track)', rawEventV1, raw({ type: 'page', event: 42 })],
  ['an identify with an empty groupId (checked only for group)', rawEventV1, raw({ type: 'identify', event: MISSING, groupId: '' })],
  ['userId {} beside an anonymousId (checked only without one)', rawEventV1, raw({ anonymousId: 'a-1', userId: {} })],
  ['a date without a time', rawEventV1, raw({ timestamp: '2026-11-23' })],
  ['a time without seconds', rawEventV1, raw({ timestamp: '2026-11-23T10:00Z' })],
  ['a week date', rawEventV1, raw({ receivedAt: '2026-W47-1' })],
  ['a year before 1000', rawEventV1, raw({ timestamp: '0999-01-01T00:00:00Z' })],
  ['200 characters and their variation selectors', rawEventV1, raw({ event: '\u263A\uFE0F'.repeat(200) })],
  ['a merged-into id on an update (checked only for merged)', contactChangedV1, change(validContactChange, { mergedIntoContactId: 'c-2' })],
  ['a consent time without a time of day', profileInsightsV1, change(validProfileInsights, { 'consent.0.updatedAt': '2026-06-01' })],
];

describe('identifiers a consumer matches on are required as an object, by both', () => {
  it.each([
    ['a merge without identifiers', profileMergedV1, change(validProfileMerge, { identifiers: MISSING })],
    ['a merge with identifiers as an array', profileMergedV1, change(validProfileMerge, { identifiers: [validIdentifiers()] })],
    ['an erasure with identifiers []', profileErasedV1, change(validProfileErasure, { identifiers: [] })],
  ] as const)('%s is refused', (_label, contract, plain) => {
    expect(verdictsOf(contract as MessageContract<object>, plain)).toEqual({ classValidator: false, compiled: false, generic: false });
  });
});

describe('where the schema is stricter than class-validator', () => {
  it.each(STRICTER_SCHEMA)('%s: class-validator accepts, the schema refuses', (_label, contract, plain) => {
    expect(verdictsOf(contract, plain)).toEqual({ classValidator: true, compiled: false, generic: false });
  });

  it.each([
    ['a quoted local part', '"jane doe"@example.com'],
    ['a non-ASCII local part', 'jäne@example.com'],
  ])('emails: %s passes isEmail but not format: email, so the pre-check refuses it', (_label, email) => {
    const plain = change(validContactChange, { email });
    expect(verdictsOf(contactChangedV1, plain)).toEqual({ classValidator: true, compiled: false, generic: false });
  });

  it.each([
    ['a one-letter top-level domain', 'jane@example.c'],
    ['a numeric top-level domain', 'jane@example.123'],
  ])('emails: %s passes a generic format: email but not isEmail; the compiled validator refuses it too', (_label, email) => {
    const plain = change(validContactChange, { email });
    expect(verdictsOf(contactChangedV1, plain)).toEqual({ classValidator: false, compiled: false, generic: true });
  });
});
