import { randomUUID } from 'node:crypto';
import type { ProfileErasedV1, ProfileIdentifiersV1, ProfileInsightsV1, ProfileMergedV1 } from '@cds/contracts';

// The CDP's messages as the CDP would publish them, for tests that stand in for the CDP.

type InsightValues = ProfileInsightsV1['insights'];

const identifiersOf = (identifiers: Partial<ProfileIdentifiersV1>): ProfileIdentifiersV1 => ({ userIds: [], emails: [], crmContactIds: [], ...identifiers });

/** A cdp.profile-insights.v1 snapshot: one order worth `lifetimeValue` in EUR on the web, unless `insights` says otherwise. */
export function insightsSnapshot(profileId: string, version: number, identifiers: Partial<ProfileIdentifiersV1>, insights: Partial<InsightValues> & Pick<InsightValues, 'lifetimeValue'>): ProfileInsightsV1 {
  return {
    schemaVersion: 1,
    profileId,
    version,
    computedAt: new Date().toISOString(),
    identifiers: identifiersOf(identifiers),
    insights: {
      currency: 'EUR',
      unconvertedRevenue: [],
      orderCount: 1,
      averageOrderValue: insights.lifetimeValue,
      firstOrderAt: null,
      lastOrderAt: null,
      daysSinceLastOrder: null,
      lastSeenAt: null,
      channels: ['web'],
      topViewedCategory: null,
      topPurchasedCategory: null,
      emailOpens30d: 0,
      emailClicks30d: 0,
      rfm: null,
      predictedLifetimeValue: null,
      probabilityAlive: null,
      churnRisk: null,
      purchaseProbability30d: null,
      ...insights,
    },
    segments: [],
    consent: [],
  };
}

/** A cdp.profile-merges.v1 message: `mergedProfileIds` merged into `survivorProfileId`. */
export function profileMerged(survivorProfileId: string, mergedProfileIds: string[], survivorVersion: number, identifiers: Partial<ProfileIdentifiersV1>): ProfileMergedV1 {
  return { schemaVersion: 1, mergeId: randomUUID(), survivorProfileId, mergedProfileIds, identifiers: identifiersOf(identifiers), survivorVersion, occurredAt: new Date().toISOString() };
}

/** A cdp.profile-erasures.v1 request for a profile (and the profiles merged into it). */
export function profileErased(profileId: string, identifiers: Partial<ProfileIdentifiersV1>, mergedProfileIds: string[] = []): ProfileErasedV1 {
  return { schemaVersion: 1, erasureId: randomUUID(), profileId, mergedProfileIds, identifiers: identifiersOf(identifiers), requestedAt: new Date().toISOString() };
}
