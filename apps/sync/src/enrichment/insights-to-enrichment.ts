import type { ContactEnrichmentV1, EnrichmentUpdateV1, ProfileInsightsV1 } from '@cds/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_MAX_LENGTH = 320;

/** How the CRM contact of a profile is named in an enrichment update. */
export type ContactTarget = { readonly contactId: string } | { readonly email: string };

/**
 * The contact a profile's insights go to, strongest rule first: the link the
 * bridge stored when the CRM last applied this profile, else the CRM contact id
 * the CDP learnt from the CRM (only a UUID can name a CRM contact), else the
 * profile's first email. Null when nothing can name a contact.
 */
export function chooseContact(snapshot: Pick<ProfileInsightsV1, 'identifiers'>, linkedContactId: string | undefined): ContactTarget | null {
  if (linkedContactId) return { contactId: linkedContactId };
  const crmContactId = snapshot.identifiers.crmContactIds.find((id) => UUID.test(id));
  if (crmContactId) return { contactId: crmContactId.toLowerCase() };
  const email = snapshot.identifiers.emails.find((candidate) => candidate.length <= EMAIL_MAX_LENGTH);
  return email ? { email: email.toLowerCase() } : null;
}

/** Only the enrichment fields, copied one by one: nothing else of the snapshot reaches the CRM. */
export function toContactEnrichment(snapshot: ProfileInsightsV1): ContactEnrichmentV1 {
  const { insights } = snapshot;
  return {
    currency: insights.currency,
    lifetimeValue: insights.lifetimeValue,
    predictedLifetimeValue: insights.predictedLifetimeValue,
    orderCount: insights.orderCount,
    averageOrderValue: insights.averageOrderValue,
    lastSeenAt: insights.lastSeenAt,
    churnRisk: insights.churnRisk,
    rfm: insights.rfm
      ? { recency: insights.rfm.recency, frequency: insights.rfm.frequency, monetary: insights.rfm.monetary, segment: insights.rfm.segment, scoredAt: insights.rfm.scoredAt }
      : null,
    segments: snapshot.segments.map((segment) => ({ key: segment.key, name: segment.name, enteredAt: segment.enteredAt })),
    consent: snapshot.consent.map((decision) => ({ purpose: decision.purpose, granted: decision.granted })),
  };
}

/** The enrichment update for one snapshot, or null when no contact can be named. */
export function insightsToEnrichmentUpdate(snapshot: ProfileInsightsV1, linkedContactId: string | undefined): EnrichmentUpdateV1 | null {
  const target = chooseContact(snapshot, linkedContactId);
  if (!target) return null;
  return { ...target, profileId: snapshot.profileId, version: snapshot.version, enrichment: toContactEnrichment(snapshot) };
}

/**
 * The update that clears what an erased or merged-away profile put on its
 * contact. A tombstone has no version, and the CRM applies only a newer one:
 * the last version the bridge sent for this profile plus one is above anything
 * this profile ever gave the contact, yet (unlike a huge sentinel) it does not
 * lock the contact against the profile that takes over (a merge survivor with
 * its own, lower, version numbers). If the contact's enrichment already comes
 * from a newer snapshot of another profile, the CRM answers `stale` and keeps it,
 * which is right: it is not this profile's data any more.
 */
export function clearEnrichmentUpdate(profileId: string, contactId: string, lastSentVersion: number): EnrichmentUpdateV1 {
  return { contactId, profileId, version: lastSentVersion + 1, enrichment: null };
}

/** One decoded message of a partition, in offset order. */
export type InsightsEntry<R> =
  | { readonly kind: 'snapshot'; readonly profileId: string; readonly snapshot: ProfileInsightsV1; readonly record: R }
  | { readonly kind: 'tombstone'; readonly profileId: string; readonly record: R };

/**
 * Keeps, per profile, what the batch ends with: the highest-versioned snapshot,
 * or a tombstone when it comes after every snapshot (a snapshot after a
 * tombstone wins again). Order of first appearance is kept.
 */
export function coalesceLatest<R>(entries: readonly InsightsEntry<R>[]): InsightsEntry<R>[] {
  const latest = new Map<string, InsightsEntry<R>>();
  for (const entry of entries) {
    const held = latest.get(entry.profileId);
    if (!held || entry.kind === 'tombstone' || held.kind === 'tombstone' || entry.snapshot.version > held.snapshot.version) {
      latest.set(entry.profileId, entry);
    }
  }
  return [...latest.values()];
}
