import { describe, expect, it } from '@jest/globals';
import { parseContractValue, serializeContractValue } from '../message-contract.js';
import { MISSING, PROFILE_ID, validSegmentMembershipChange, violationsOf, withPath } from '../testing/valid-messages.fixtures.js';
import { TOPICS } from '../topics/topic-definition.js';
import { segmentMembershipChangedV1 } from './segment-membership-changed.v1.js';

describe('cdp.segment-membership-changed v1', () => {
  it.each(['entered', 'exited'])('accepts a profile that %s a segment, keyed by profile', (change) => {
    const value = parseContractValue(segmentMembershipChangedV1, { ...validSegmentMembershipChange(), change });
    expect(segmentMembershipChangedV1.keyOf(value)).toBe(PROFILE_ID);
    expect(segmentMembershipChangedV1.topic).toBe(TOPICS.cdpSegmentMembership);
    expect(JSON.parse(serializeContractValue(segmentMembershipChangedV1, value))).toEqual({ ...validSegmentMembershipChange(), change });
  });

  it.each([
    ['schemaVersion', 'schemaVersion: schemaVersion must be one of the following values: 1', 2],
    ['profileId', 'profileId: profileId must be a UUID', MISSING],
    ['identifiers', 'identifiers: identifiers must be an object', MISSING],
    ['identifiers', 'identifiers: identifiers must be an object', [{ userIds: [], emails: [], crmContactIds: [] }]],
    ['identifiers.userIds', 'identifiers.userIds: userIds must contain no more than 10 elements', Array.from({ length: 11 }, (_, index) => `u${index}`)],
    ['segmentId', 'segmentId: segmentId must be a UUID', 'high-value'],
    ['segmentKey', 'segmentKey: segmentKey must be a slug: lower-case letters and digits joined by single hyphens or underscores', 'High-Value'],
    ['segmentKey', 'segmentKey: segmentKey must be a slug: lower-case letters and digits joined by single hyphens or underscores', '-high'],
    ['segmentKey', 'segmentKey: segmentKey must be shorter than or equal to 100 characters', 'k'.repeat(101)],
    ['segmentKey', 'segmentKey: segmentKey must be a string', 7],
    ['segmentName', 'segmentName: segmentName should not be empty', ''],
    ['segmentName', 'segmentName: segmentName must be shorter than or equal to 200 characters', 'n'.repeat(201)],
    ['change', 'change: change must be one of the following values: entered, exited', 'joined'],
    ['change', 'change: change must be one of the following values: entered, exited', MISSING],
    ['occurredAt', 'occurredAt: occurredAt must be a valid ISO 8601 date string', 'now'],
    ['profileVersion', 'profileVersion: profileVersion must not be less than 1', 0],
    ['profileVersion', 'profileVersion: profileVersion must be an integer number', 2.5],
    ['profileVersion', 'profileVersion: profileVersion must be an integer number', MISSING],
  ])('%s is refused: %s', (path, violation, value) => {
    expect(violationsOf(segmentMembershipChangedV1, withPath(validSegmentMembershipChange(), path, value))).toEqual([violation]);
  });

  it.each([
    ['', 'properties'],
    ['', 'traits'],
    ['', 'insights'],
    ['identifiers.', 'properties'],
  ])('refuses an unknown field %s%s, so no event content can ride along', (prefix, field) => {
    const plain = withPath(validSegmentMembershipChange(), `${prefix}${field}`, { page: '/cart' });
    expect(violationsOf(segmentMembershipChangedV1, plain)).toEqual([`${prefix}${field}: property ${field} should not exist`]);
  });
});
