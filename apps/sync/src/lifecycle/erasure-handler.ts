import type { EnrichmentBatchResultV1, EnrichmentUpdateV1, ProfileErasedV1 } from '@cds/contracts';
import type { StoredLink } from '../matching/match-store.js';
import { planErasure } from './lifecycle-decisions.js';

export interface ErasureDependencies {
  links(profileIds: readonly string[]): Promise<Map<string, StoredLink>>;
  sendToCrm(batch: { updates: EnrichmentUpdateV1[] }): Promise<EnrichmentBatchResultV1>;
  forget(profileIds: readonly string[]): Promise<void>;
}

/**
 * An erased profile (and the profiles merged into it): the linked contacts'
 * enrichment is cleared first, then the links and unmatched rows go. Any CRM
 * answer (applied, stale: a newer profile's data is there now, not_found: the
 * contact is gone) settles the clear; a CRM error throws before anything is
 * forgotten, so the erasure is delivered again.
 */
export async function handleErasure(erasure: Pick<ProfileErasedV1, 'profileId' | 'mergedProfileIds'>, deps: ErasureDependencies): Promise<{ cleared: number }> {
  const profileIds = [...new Set([erasure.profileId, ...erasure.mergedProfileIds])];
  const clears = planErasure(profileIds, await deps.links(profileIds));
  if (clears.length > 0) await deps.sendToCrm({ updates: clears });
  await deps.forget(profileIds);
  return { cleared: clears.length };
}
