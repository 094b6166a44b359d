import type { EnrichmentUpdateV1 } from '@cds/contracts';
import { clearEnrichmentUpdate } from '../enrichment/insights-to-enrichment.js';
import type { MergePlan, StoredLink } from '../matching/match-store.js';

/**
 * A merge: the merged-away profiles live on as the survivor. If the survivor has
 * no link yet, it takes over a merged-away profile's contact (the one the
 * highest version was sent to, with that version, so a later clear of the
 * survivor still outranks it); every merged-away link goes, and so does every
 * merged-away unmatched row (a dead profile must not be matched later), plus
 * the survivor's own when it just got a link. The survivor's insights follow on
 * the insights topic and go through its link.
 */
export function planMerge(survivorId: string, mergedIds: readonly string[], links: ReadonlyMap<string, StoredLink>): MergePlan {
  const merged = [...new Set(mergedIds)].filter((id) => id !== survivorId);
  const mergedLinked = merged.filter((id) => links.has(id));
  if (links.has(survivorId)) return { move: null, unlink: mergedLinked, dropUnmatched: merged };
  let move: MergePlan['move'] = null;
  for (const id of mergedLinked) {
    const link = links.get(id);
    if (link && (!move || link.lastVersion > move.lastVersion)) move = { from: id, contactId: link.contactId, lastVersion: link.lastVersion };
  }
  return { move, unlink: mergedLinked, dropUnmatched: move ? [...merged, survivorId] : merged };
}

/**
 * An erasure: the enrichment of every contact linked to the erased profile or a
 * profile merged into it is cleared, once per contact, with a version above the
 * highest one sent to that contact for any of them (the tombstone rule).
 */
export function planErasure(profileIds: readonly string[], links: ReadonlyMap<string, StoredLink>): EnrichmentUpdateV1[] {
  const byContact = new Map<string, { profileId: string; lastVersion: number }>();
  for (const profileId of new Set(profileIds)) {
    const link = links.get(profileId);
    if (!link) continue;
    const held = byContact.get(link.contactId);
    if (!held || link.lastVersion > held.lastVersion) byContact.set(link.contactId, { profileId, lastVersion: link.lastVersion });
  }
  return [...byContact].map(([contactId, { profileId, lastVersion }]) => clearEnrichmentUpdate(profileId, contactId, lastVersion));
}

/**
 * `SYNC_ERASURE_ACTION=delete-contact`: the contacts an erasure deletes in the
 * CRM, once each: those linked to the erased profile or a profile merged into
 * it, and those the erasure's identifiers name by CRM contact id (the same
 * person, as the CDP resolved it). The latter matter when the profile's insights
 * tombstone was applied first: it removes the link, not the person.
 */
export function contactsToErase(profileIds: readonly string[], links: ReadonlyMap<string, StoredLink>, carriedCrmContactIds: readonly string[]): string[] {
  const contactIds = new Set<string>();
  for (const profileId of new Set(profileIds)) {
    const link = links.get(profileId);
    if (link) contactIds.add(link.contactId.toLowerCase());
  }
  for (const id of carriedCrmContactIds) contactIds.add(id.toLowerCase());
  return [...contactIds];
}
