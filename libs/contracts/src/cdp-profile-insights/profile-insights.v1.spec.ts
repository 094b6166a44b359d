import { describe, expect, it } from '@jest/globals';
import { parseContractValue, serializeContractValue } from '../message-contract.js';
import { MISSING, PROFILE_ID, validProfileInsights, verdictsOf, violationsOf, withPath } from '../testing/valid-messages.fixtures.js';
import { TOPICS } from '../topics/topic-definition.js';
import { profileInsightsV1 } from './profile-insights.v1.js';

const NULLABLE_INSIGHTS = [
  'averageOrderValue',
  'firstOrderAt',
  'lastOrderAt',
  'daysSinceLastOrder',
  'lastSeenAt',
  'topViewedCategory',
  'topPurchasedCategory',
  'rfm',
  'predictedLifetimeValue',
  'probabilityAlive',
  'churnRisk',
  'purchaseProbability30d',
] as const;

const segment = (index: number): Record<string, unknown> => ({
  segmentId: `6f1c2d1e-8a4b-4c5d-9e6f-${String(index).padStart(12, '0')}`,
  key: `segment-${index}`,
  name: `Segment ${index}`,
  enteredAt: '2026-11-01T00:00:00.000Z',
});

describe('cdp.profile-insights v1', () => {
  it('accepts a full snapshot, keys it by profile and writes it back unchanged', () => {
    const value = parseContractValue(profileInsightsV1, validProfileInsights());
    expect(profileInsightsV1.keyOf(value)).toBe(PROFILE_ID);
    expect(profileInsightsV1.topic).toBe(TOPICS.cdpProfileInsights);
    expect(JSON.parse(serializeContractValue(profileInsightsV1, value))).toEqual(validProfileInsights());
  });

  it('accepts a profile with nothing computed yet: every nullable insight null, no segments, no consent', () => {
    let plain = withPath({ ...validProfileInsights(), segments: [], consent: [] }, 'insights.unconvertedRevenue', []);
    for (const field of NULLABLE_INSIGHTS) plain = withPath(plain, `insights.${field}`, null);
    expect(violationsOf(profileInsightsV1, plain)).toEqual([]);
  });

  it('accepts the limits themselves', () => {
    let plain = withPath(validProfileInsights(), 'segments', Array.from({ length: 500 }, (_, index) => segment(index)));
    plain = withPath(plain, 'insights.channels', Array.from({ length: 20 }, (_, index) => `channel-${index}`));
    for (const field of ['probabilityAlive', 'churnRisk', 'purchaseProbability30d']) plain = withPath(plain, `insights.${field}`, 1);
    plain = withPath(plain, 'insights.rfm.recency', 1);
    plain = withPath(plain, 'insights.rfm.monetary', 5);
    plain = withPath(plain, 'insights.lifetimeValue', 0);
    expect(violationsOf(profileInsightsV1, plain)).toEqual([]);
  });

  it.each(NULLABLE_INSIGHTS)('insights.%s may be null but not left out', (field) => {
    expect(violationsOf(profileInsightsV1, withPath(validProfileInsights(), `insights.${field}`, null))).toEqual([]);
    expect(violationsOf(profileInsightsV1, withPath(validProfileInsights(), `insights.${field}`, MISSING))).toEqual([
      `insights.${field}: ${field} must be present (null when there is no value)`,
    ]);
  });

  it.each([
    ['schemaVersion', 'schemaVersion: schemaVersion must be one of the following values: 1', 2],
    ['profileId', 'profileId: profileId must be a UUID', 'p-1'],
    ['version', 'version: version must not be less than 1', 0],
    ['version', 'version: version must be an integer number', 1.5],
    ['version', 'version: version must be an integer number', '7'],
    ['computedAt', 'computedAt: computedAt must be a valid ISO 8601 date string', 'yesterday'],
    ['identifiers', 'identifiers: identifiers must be an object', MISSING],
    ['identifiers', 'identifiers: identifiers must be an object', []],
    ['identifiers.emails', 'identifiers.emails: each value in emails must be an email', ['not-an-email']],
    ['identifiers.crmContactIds', 'identifiers.crmContactIds: each value in crmContactIds must be a UUID', ['c-1']],
    ['insights', 'insights: insights must be an object', null],
    ['insights.currency', 'insights.currency: currency must be an ISO 4217 currency code (3 upper-case letters)', 'eur'],
    ['insights.currency', 'insights.currency: currency must be an ISO 4217 currency code (3 upper-case letters)', 'EURO'],
    ['insights.currency', 'insights.currency: currency must be a string', MISSING],
    ['insights.lifetimeValue', 'insights.lifetimeValue: lifetimeValue must not be less than 0', -0.01],
    ['insights.lifetimeValue', 'insights.lifetimeValue: lifetimeValue must be a number conforming to the specified constraints', null],
    ['insights.unconvertedRevenue', 'insights.unconvertedRevenue: unconvertedRevenue must be an array', MISSING],
    ['insights.unconvertedRevenue', 'insights.unconvertedRevenue: each value in unconvertedRevenue must be an object', [[{ currency: 'JPY', amount: 1 }]]],
    ['insights.unconvertedRevenue.0.currency', 'insights.unconvertedRevenue.0.currency: currency must be an ISO 4217 currency code (3 upper-case letters)', 'yen'],
    ['insights.unconvertedRevenue.0.amount', 'insights.unconvertedRevenue.0.amount: amount must not be less than 0', -3],
    ['insights.orderCount', 'insights.orderCount: orderCount must be an integer number', 2.5],
    ['insights.averageOrderValue', 'insights.averageOrderValue: averageOrderValue must not be less than 0', -1],
    ['insights.averageOrderValue', 'insights.averageOrderValue: averageOrderValue must be a number conforming to the specified constraints', '140'],
    ['insights.firstOrderAt', 'insights.firstOrderAt: firstOrderAt must be a valid ISO 8601 date string', '2025-02-30T00:00:00Z'],
    ['insights.daysSinceLastOrder', 'insights.daysSinceLastOrder: daysSinceLastOrder must not be less than 0', -1],
    ['insights.daysSinceLastOrder', 'insights.daysSinceLastOrder: daysSinceLastOrder must be an integer number', 1.5],
    ['insights.lastSeenAt', 'insights.lastSeenAt: lastSeenAt must be a valid ISO 8601 date string', 1732356000000],
    ['insights.channels', 'insights.channels: channels must be an array', 'web'],
    ['insights.channels', 'insights.channels: channels must contain no more than 20 elements', Array.from({ length: 21 }, (_, index) => `c${index}`)],
    ['insights.channels', 'insights.channels: each value in channels must be a string', ['web', 7]],
    ['insights.channels', 'insights.channels: each value in channels should not be empty', ['']],
    ['insights.topViewedCategory', 'insights.topViewedCategory: topViewedCategory must be shorter than or equal to 200 characters', 'x'.repeat(201)],
    ['insights.topPurchasedCategory', 'insights.topPurchasedCategory: topPurchasedCategory must be a string', 42],
    ['insights.emailOpens30d', 'insights.emailOpens30d: emailOpens30d must not be less than 0', -1],
    ['insights.emailClicks30d', 'insights.emailClicks30d: emailClicks30d must be an integer number', MISSING],
    ['insights.rfm', 'insights.rfm: rfm must be an object', []],
    ['insights.rfm.recency', 'insights.rfm.recency: recency must not be greater than 5', 6],
    ['insights.rfm.frequency', 'insights.rfm.frequency: frequency must not be less than 1', 0],
    ['insights.rfm.monetary', 'insights.rfm.monetary: monetary must be an integer number', 2.5],
    ['insights.rfm.segment', 'insights.rfm.segment: segment should not be empty', ''],
    ['insights.rfm.scoredAt', 'insights.rfm.scoredAt: scoredAt must be a valid ISO 8601 date string', MISSING],
    ['insights.predictedLifetimeValue', 'insights.predictedLifetimeValue: predictedLifetimeValue must not be less than 0', -5],
    ['insights.probabilityAlive', 'insights.probabilityAlive: probabilityAlive must not be greater than 1', 1.01],
    ['insights.churnRisk', 'insights.churnRisk: churnRisk must not be less than 0', -0.1],
    ['insights.purchaseProbability30d', 'insights.purchaseProbability30d: purchaseProbability30d must be a number conforming to the specified constraints', '0.3'],
    ['segments', 'segments: segments must be an array', MISSING],
    ['segments', 'segments: segments must contain no more than 500 elements', Array.from({ length: 501 }, (_, index) => segment(index))],
    ['segments', 'segments: each value in segments must be an object', ['high-value']],
    ['segments', 'segments: each value in segments must be an object', [[segment(1)]]],
    ['segments.0.segmentId', 'segments.0.segmentId: segmentId must be a UUID', 'seg-1'],
    ['segments.0.key', 'segments.0.key: key must be a slug: lower-case letters and digits joined by single hyphens or underscores', 'High Value'],
    ['segments.0.key', 'segments.0.key: key must be a slug: lower-case letters and digits joined by single hyphens or underscores', 'high--value'],
    ['segments.0.key', 'segments.0.key: key must be shorter than or equal to 100 characters', 'k'.repeat(101)],
    ['segments.0.name', 'segments.0.name: name should not be empty', ''],
    ['segments.0.enteredAt', 'segments.0.enteredAt: enteredAt must be a valid ISO 8601 date string', null],
    ['consent', 'consent: consent must contain no more than 50 elements', Array.from({ length: 51 }, (_, index) => ({ purpose: `p${index}`, granted: true, updatedAt: '2026-01-01T00:00:00Z' }))],
    ['consent.0.purpose', 'consent.0.purpose: purpose must be shorter than or equal to 100 characters', 'p'.repeat(101)],
    ['consent.0.granted', 'consent.0.granted: granted must be a boolean value', 'yes'],
  ])('%s is refused: %s', (path, violation, value) => {
    expect(violationsOf(profileInsightsV1, withPath(validProfileInsights(), path, value))).toEqual([violation]);
  });

  it.each([
    ['', 'properties'],
    ['', 'traits'],
    ['', 'event'],
    ['insights.', 'properties'],
    ['insights.rfm.', 'context'],
    ['identifiers.', 'phones'],
    ['segments.0.', 'properties'],
    ['consent.0.', 'source'],
  ])('refuses an unknown field %s%s, so no event content can ride along', (prefix, field) => {
    const plain = withPath(validProfileInsights(), `${prefix}${field}`, { page: '/cart', revenue: 42 });
    expect(violationsOf(profileInsightsV1, plain)).toEqual([`${prefix}${field}: property ${field} should not exist`]);
  });

  describe('name (optional, added within schema version 1)', () => {
    const named = (name: unknown): Record<string, unknown> => withPath(validProfileInsights(), 'name', name);

    it.each([
      ['both parts', { firstName: 'Jane', lastName: 'Doe' }],
      ['only a first name', { firstName: 'Jane' }],
      ['only a last name', { lastName: 'Doe' }],
      ['200 characters each', { firstName: 'f'.repeat(200), lastName: 'l'.repeat(200) }],
    ])('accepts %s, agreed by the schema, and writes it back unchanged', (_label, name) => {
      const plain = named(name);
      expect(verdictsOf(profileInsightsV1, plain)).toEqual({ classValidator: true, compiled: true, generic: true });
      expect(JSON.parse(serializeContractValue(profileInsightsV1, parseContractValue(profileInsightsV1, plain)))).toEqual(plain);
    });

    it('may be left out: a snapshot written before it existed stays valid', () => {
      expect(validProfileInsights()).not.toHaveProperty('name');
      expect(verdictsOf(profileInsightsV1, validProfileInsights())).toEqual({ classValidator: true, compiled: true, generic: true });
    });

    it.each([
      ['name', 'name: name must be an object', 'Jane Doe'],
      ['name', 'name: name must be an object', [{ firstName: 'Jane' }]],
      ['name.firstName', 'name.firstName: firstName should not be empty', ''],
      ['name.firstName', 'name.firstName: firstName must be a string', 42],
      ['name.lastName', 'name.lastName: lastName must be shorter than or equal to 200 characters', 'l'.repeat(201)],
      ['name.middleName', 'name.middleName: property middleName should not exist', 'Q'],
    ])('%s is refused by class-validator and the schema: %s', (path, violation, value) => {
      const plain = withPath(named({ firstName: 'Jane', lastName: 'Doe' }), path, value);
      expect(violationsOf(profileInsightsV1, plain)).toEqual([violation]);
      expect(verdictsOf(profileInsightsV1, plain)).toEqual({ classValidator: false, compiled: false, generic: false });
    });
  });
});
