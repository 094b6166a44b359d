import type { ContactCreationV1, EnrichmentOutcome, EnrichmentUpdateV1, ProfileNameV1 } from '@cds/contracts';

/**
 * Upsert mode: the contact to create for a snapshot the CRM had no contact
 * for, or null. Only a known customer with nothing naming a CRM contact gets
 * one: the update went by email (so the profile had no stored link and carries
 * no CRM contact id) and the CRM found no live contact with that email. A
 * profile that was linked, or carries a CRM contact id the CRM no longer has,
 * lost its contact in the CRM (a rep deleted or merged it): that decision is
 * kept, not undone. A clear (tombstone) never creates anything. The contact
 * gets the name the snapshot carries (the parts the CDP knows), so a rep does
 * not find a nameless contact.
 */
export function contactToCreate(
  upsert: boolean,
  update: EnrichmentUpdateV1,
  outcome: EnrichmentOutcome,
  linked: boolean,
  name: ProfileNameV1 | null | undefined,
): ContactCreationV1 | null {
  if (!upsert || outcome !== 'not_found' || linked || update.enrichment === null) return null;
  if (update.contactId !== undefined || update.email === undefined) return null;
  return {
    profileId: update.profileId,
    email: update.email,
    ...(name?.firstName ? { firstName: name.firstName } : {}),
    ...(name?.lastName ? { lastName: name.lastName } : {}),
  };
}

/** The same update addressed to the contact the CRM created (or found) for it. */
export function addressedTo(update: EnrichmentUpdateV1, contactId: string): EnrichmentUpdateV1 {
  return { contactId, profileId: update.profileId, version: update.version, enrichment: update.enrichment };
}
