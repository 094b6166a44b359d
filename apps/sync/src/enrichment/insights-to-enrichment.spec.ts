import type { ProfileInsightsV1 } from '@cds/contracts';
import { chooseContact, clearEnrichmentUpdate, coalesceLatest, insightsToEnrichmentUpdate, type InsightsEntry } from './insights-to-enrichment.js';

const PROFILE = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const CONTACT = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';
const LINKED = '9a0d3f3c-1d7e-4f3e-8b1a-2c3d4e5f6a7b';

function snapshot(overrides: Partial<ProfileInsightsV1> = {}): ProfileInsightsV1 {
  return {
    schemaVersion: 1,
    profileId: PROFILE,
    version: 3,
    computedAt: '2025-01-02T10:00:00.000Z',
    identifiers: { userIds: ['u-1'], emails: ['ana@example.com', 'ana@work.example'], crmContactIds: [] },
    insights: {
      currency: 'EUR',
      lifetimeValue: 480,
      unconvertedRevenue: [{ currency: 'JPY', amount: 1000 }],
      orderCount: 2,
      averageOrderValue: 240,
      firstOrderAt: '2025-01-01T10:00:00.000Z',
      lastOrderAt: '2025-01-02T10:00:00.000Z',
      daysSinceLastOrder: 0,
      lastSeenAt: '2025-01-02T10:00:00.000Z',
      channels: ['web'],
      topViewedCategory: 'shoes',
      topPurchasedCategory: 'shoes',
      emailOpens30d: 1,
      emailClicks30d: 0,
      rfm: { recency: 5, frequency: 2, monetary: 4, segment: 'promising', scoredAt: '2025-01-02T10:00:00.000Z' },
      predictedLifetimeValue: 300,
      probabilityAlive: 0.9,
      churnRisk: 0.1,
      purchaseProbability30d: 0.4,
    },
    segments: [{ segmentId: '1c7e3b0a-5f1d-4d7e-9b8a-0a1b2c3d4e5f', key: 'high-value', name: 'High value', enteredAt: '2025-01-02T10:00:00.000Z' }],
    consent: [{ purpose: 'marketing', granted: true, updatedAt: '2025-01-01T00:00:00.000Z' }],
    ...overrides,
  } as ProfileInsightsV1;
}

describe('chooseContact', () => {
  it('prefers the stored link, then the CRM contact id the CDP carries, then the first email', () => {
    const withCrmId = snapshot({ identifiers: { userIds: [], emails: ['ana@example.com'], crmContactIds: [CONTACT] } });
    expect(chooseContact(withCrmId, LINKED)).toEqual({ contactId: LINKED });
    expect(chooseContact(withCrmId, undefined)).toEqual({ contactId: CONTACT });
    expect(chooseContact(snapshot(), undefined)).toEqual({ email: 'ana@example.com' });
  });

  it('skips a CRM contact id that is not a UUID (the CRM could not take it) and gives up with no email', () => {
    expect(chooseContact(snapshot({ identifiers: { userIds: [], emails: ['b@example.com'], crmContactIds: ['legacy-42'] } }), undefined)).toEqual({ email: 'b@example.com' });
    expect(chooseContact(snapshot({ identifiers: { userIds: ['u'], emails: [], crmContactIds: [] } }), undefined)).toBeNull();
  });
});

describe('insightsToEnrichmentUpdate', () => {
  it('copies only the enrichment fields, with the profile and its version', () => {
    const update = insightsToEnrichmentUpdate(snapshot(), undefined);
    expect(update).toEqual({
      email: 'ana@example.com',
      profileId: PROFILE,
      version: 3,
      enrichment: {
        currency: 'EUR',
        lifetimeValue: 480,
        predictedLifetimeValue: 300,
        orderCount: 2,
        averageOrderValue: 240,
        lastSeenAt: '2025-01-02T10:00:00.000Z',
        churnRisk: 0.1,
        rfm: { recency: 5, frequency: 2, monetary: 4, segment: 'promising', scoredAt: '2025-01-02T10:00:00.000Z' },
        segments: [{ key: 'high-value', name: 'High value', enteredAt: '2025-01-02T10:00:00.000Z' }],
        consent: [{ purpose: 'marketing', granted: true }],
      },
    });
    const text = JSON.stringify(update);
    for (const leaked of ['u-1', 'ana@work.example', 'shoes', 'JPY', 'segmentId', 'updatedAt', 'channels']) expect(text).not.toContain(leaked);
  });

  it('returns null when no contact can be named', () => {
    expect(insightsToEnrichmentUpdate(snapshot({ identifiers: { userIds: [], emails: [], crmContactIds: [] } }), undefined)).toBeNull();
  });

  it('clears with a version above the last one sent', () => {
    expect(clearEnrichmentUpdate(PROFILE, LINKED, 7)).toEqual({ contactId: LINKED, profileId: PROFILE, version: 8, enrichment: null });
  });
});

describe('coalesceLatest', () => {
  const at = (version: number, profileId = PROFILE): InsightsEntry<number> => ({ kind: 'snapshot', profileId, snapshot: snapshot({ profileId, version }), record: version });
  const tombstone = (record: number, profileId = PROFILE): InsightsEntry<number> => ({ kind: 'tombstone', profileId, record });
  const OTHER = '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f';

  it('keeps the highest version per profile, whatever the order', () => {
    const result = coalesceLatest([at(2), at(5, OTHER), at(4), at(3), at(1, OTHER)]);
    expect(result.map((entry) => [entry.profileId, entry.record])).toEqual([
      [PROFILE, 4],
      [OTHER, 5],
    ]);
  });

  it('lets a tombstone win over earlier snapshots, and a later snapshot over a tombstone', () => {
    expect(coalesceLatest([at(2), at(3), tombstone(99)]).map((entry) => entry.kind)).toEqual(['tombstone']);
    expect(coalesceLatest([at(2), tombstone(99), at(1)]).map((entry) => entry.record)).toEqual([1]);
  });
});
