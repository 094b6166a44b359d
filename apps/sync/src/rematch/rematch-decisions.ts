import type { ContactChangedV1, EnrichmentBatchResultV1, EnrichmentUpdateV1 } from '@cds/contracts';
import type { NewLink, PendingProfile } from '../matching/match-store.js';

/** Contact changes that can make a contact appear under an email or id an unmatched profile carries. */
const REMATCHING_CHANGES: ReadonlySet<ContactChangedV1['changeType']> = new Set(['created', 'updated']);

/**
 * The waiting updates a contact change lets through: for each unmatched profile
 * whose emails or CRM contact ids name the changed contact, its stored update,
 * addressed to that contact by id (the change names it exactly).
 */
export function rematchUpdates(change: Pick<ContactChangedV1, 'changeType' | 'contactId' | 'email'>, candidates: readonly PendingProfile[]): EnrichmentUpdateV1[] {
  if (!REMATCHING_CHANGES.has(change.changeType)) return [];
  const contactId = change.contactId.toLowerCase();
  const email = change.email?.toLowerCase();
  const updates: EnrichmentUpdateV1[] = [];
  for (const candidate of candidates) {
    const byId = candidate.crmContactIds.some((id) => id.toLowerCase() === contactId);
    const byEmail = email !== undefined && candidate.emails.some((candidateEmail) => candidateEmail.toLowerCase() === email);
    if (!byId && !byEmail) continue;
    const { profileId, version, enrichment } = candidate.update;
    updates.push({ contactId: change.contactId, profileId, version, enrichment });
  }
  return updates;
}

/** The links the CRM's answer proves: applied or stale (the contact already had it, e.g. on redelivery). Not found: still waiting. */
export function linksFromAnswer(updates: readonly EnrichmentUpdateV1[], answer: EnrichmentBatchResultV1): NewLink[] {
  const links: NewLink[] = [];
  for (const result of answer.results) {
    const update = updates[result.index];
    if (!update || result.outcome === 'not_found' || !result.contactId) continue;
    links.push({ profileId: update.profileId, contactId: result.contactId, version: update.version });
  }
  return links;
}
