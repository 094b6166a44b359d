import { describe, expect, it } from '@jest/globals';
import type { RawRecord } from '../bridge/partition-batch-consumer.js';
import type { StoredLink } from '../matching/match-store.js';
import type { ContactEnrichmentState } from './crm-enrichment-states.js';
import { NewestProfiles, newestProfiles, reconcile, reportOf } from './reconciliation.js';

const P = ['0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11', '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f', '3e4f5061-7b8c-4d9e-8f10-2b3c4d5e6f70', '4f506172-8c9d-4eaf-9021-3c4d5e6f7081', '50617283-9dae-4fb0-a132-4d5e6f708192'] as const;
const C = ['6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01', '7a2b8c63-3c8f-4b66-8e5f-8e1d2c2f0a12', '8b3c9d74-4d90-4c77-9f60-9f2e3d301b23', '9c4dae85-5ea1-4d88-a071-a03f4e412c34'] as const;

let offset = 0;
function snapshot(profileId: string, version: number, identifiers: { emails?: string[]; crmContactIds?: string[] }): RawRecord {
  const value = {
    schemaVersion: 1,
    profileId,
    version,
    computedAt: '2026-11-23T10:00:00.000Z',
    identifiers: { userIds: [], emails: identifiers.emails ?? [], crmContactIds: identifiers.crmContactIds ?? [] },
    insights: {
      currency: 'EUR', lifetimeValue: 50, unconvertedRevenue: [], orderCount: 1, averageOrderValue: 50, firstOrderAt: null, lastOrderAt: null, daysSinceLastOrder: null,
      lastSeenAt: null, channels: ['pos'], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0, rfm: null,
      predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
    },
    segments: [],
    consent: [],
  };
  return { topic: 'cdp.profile-insights.v1', partition: 0, offset: String(offset++), key: profileId, value: JSON.stringify(value), headers: {} };
}
const tombstone = (profileId: string): RawRecord => ({ topic: 'cdp.profile-insights.v1', partition: 0, offset: String(offset++), key: profileId, value: null, headers: {} });
const contact = (contactId: string, email: string | null, profileId: string | null, version: number): ContactEnrichmentState => ({ contactId, email, profileId, version, syncedAt: null });

describe('newestProfiles', () => {
  it('keeps the newest snapshot per profile, drops tombstoned profiles and counts invalid messages', () => {
    const records = [snapshot(P[0], 1, {}), snapshot(P[0], 3, {}), snapshot(P[0], 2, {}), snapshot(P[1], 1, {}), tombstone(P[1]), { ...tombstone(P[2]), value: 'not json' }];
    const { profiles, invalid } = newestProfiles(records);
    expect([...profiles.keys()]).toEqual([P[0]]);
    expect(profiles.get(P[0])?.snapshot.version).toBe(3);
    expect(invalid).toBe(1);
  });
});

describe('NewestProfiles', () => {
  it('folds batch after batch by the same rule: an older snapshot later changes nothing, a later tombstone removes, a snapshot after it returns', () => {
    const folded = new NewestProfiles();
    folded.add([snapshot(P[0], 3, {}), snapshot(P[1], 1, {})]);
    folded.add([snapshot(P[0], 2, {}), tombstone(P[1])]);
    expect([...folded.profiles()].map(([id, profile]) => [id, profile.snapshot.version])).toEqual([[P[0], 3]]);
    folded.add([snapshot(P[1], 1, {})]);
    expect([...folded.profiles().keys()].sort()).toEqual([P[0], P[1]].sort());
  });
});

describe('reconcile', () => {
  it('sorts profiles into in sync, missing, stale, unmatched, and enriched contacts of vanished profiles into extra', () => {
    const { profiles } = newestProfiles([
      snapshot(P[0], 4, { emails: ['Ana@Example.com'] }), // matched by email, in sync
      snapshot(P[1], 5, { crmContactIds: [C[1]] }), // matched by carried id, contact has no enrichment
      snapshot(P[2], 7, { emails: ['someone-else@example.com'] }), // matched by the stored link, CRM behind
      snapshot(P[3], 2, { emails: ['nobody@example.com'] }), // no contact
    ]);
    const links = new Map<string, StoredLink>([[P[2], { contactId: C[2], lastVersion: 3 }]]);
    const contacts = [contact(C[0], 'ana@example.com', P[0], 4), contact(C[1], null, null, 0), contact(C[2], 'cy@example.com', P[2], 3), contact(C[3], 'dee@example.com', P[4], 9)];
    const result = reconcile(profiles, contacts, links);
    expect(result).toEqual({
      inSync: [{ profileId: P[0], contactId: C[0], topicVersion: 4, crmVersion: 4 }],
      missing: [{ profileId: P[1], contactId: C[1], topicVersion: 5, crmVersion: null }],
      stale: [{ profileId: P[2], contactId: C[2], topicVersion: 7, crmVersion: 3 }],
      extra: [{ contactId: C[3], profileId: P[4], crmVersion: 9 }],
      unmatched: [{ profileId: P[3], topicVersion: 2, target: 'nobody@example.com' }],
    });
    expect(reportOf(result, { profiles: 4, contacts: 4, invalidMessages: 0 }, 1).counts).toEqual({ inSync: 1, missing: 1, stale: 1, extra: 1, unmatched: 1 });
  });

  it('counts a contact already holding a newer version from another profile as in sync, as the CRM would keep it', () => {
    const { profiles } = newestProfiles([snapshot(P[0], 2, { crmContactIds: [C[0]] }), snapshot(P[1], 8, { crmContactIds: [C[0]] })]);
    const result = reconcile(profiles, [contact(C[0], null, P[1], 8)], new Map());
    expect(result.inSync.map((item) => item.profileId)).toEqual([P[0], P[1]]);
    expect(result.extra).toEqual([]);
  });

  it('finds no contact for a link to a deleted contact, nor for a carried id the CRM does not have', () => {
    const { profiles } = newestProfiles([snapshot(P[0], 1, { crmContactIds: [C[3]] })]);
    expect(reconcile(profiles, [], new Map([[P[0], { contactId: C[0], lastVersion: 1 }]])).unmatched).toEqual([{ profileId: P[0], topicVersion: 1, target: C[0] }]);
  });
});
