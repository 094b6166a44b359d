import { CRM_BATCH_LIMIT, type ContactErasureRequestV1, type ContactErasureResultV1, type EnrichmentBatchResultV1, type EnrichmentUpdateV1, type ProfileErasedV1 } from '@cds/contracts';
import type { StoredLink } from '../matching/match-store.js';
import { contactsToErase, planErasure } from './lifecycle-decisions.js';

export interface ErasureDependencies {
  links(profileIds: readonly string[]): Promise<Map<string, StoredLink>>;
  sendToCrm(batch: { updates: EnrichmentUpdateV1[] }): Promise<EnrichmentBatchResultV1>;
  /** `SYNC_ERASURE_ACTION=delete-contact`: erase contacts in the CRM. Absent: `clear-enrichment`, the contacts keep existing. */
  eraseContacts?(request: ContactErasureRequestV1): Promise<ContactErasureResultV1>;
  forget(profileIds: readonly string[]): Promise<void>;
}

/**
 * An erased profile (and the profiles merged into it). With `clear-enrichment`
 * the linked contacts' enrichment is cleared; any CRM answer (applied, stale: a
 * newer profile's data is there now, not_found: the contact is gone) settles the
 * clear. With `delete-contact` the linked contacts, and those the erasure names
 * by CRM contact id, are erased in the CRM (erased or already absent settles
 * it). Then the links and unmatched rows go. A CRM error throws before anything
 * is forgotten, so the erasure is delivered again.
 */
export async function handleErasure(
  erasure: Pick<ProfileErasedV1, 'erasureId' | 'profileId' | 'mergedProfileIds' | 'identifiers'>,
  deps: ErasureDependencies,
): Promise<{ cleared: number; erased: number }> {
  const profileIds = [...new Set([erasure.profileId, ...erasure.mergedProfileIds])];
  const links = await deps.links(profileIds);
  let cleared = 0;
  let erased = 0;
  if (deps.eraseContacts) {
    const contactIds = contactsToErase(profileIds, links, erasure.identifiers.crmContactIds);
    for (let start = 0; start < contactIds.length; start += CRM_BATCH_LIMIT) {
      const { results } = await deps.eraseContacts({ requestId: erasure.erasureId, contactIds: contactIds.slice(start, start + CRM_BATCH_LIMIT) });
      erased += results.filter((result) => result.outcome === 'erased').length;
    }
  } else {
    const clears = planErasure(profileIds, links);
    if (clears.length > 0) await deps.sendToCrm({ updates: clears });
    cleared = clears.length;
  }
  await deps.forget(profileIds);
  return { cleared, erased };
}
