import { CRM_BATCH_LIMIT, type ContactChangedV1, type EnrichmentBatchResultV1, type EnrichmentUpdateV1 } from '@cds/contracts';
import type { NewLink, PendingProfile } from '../matching/match-store.js';
import { linksFromAnswer, rematchUpdates } from './rematch-decisions.js';

export interface ContactChangeDependencies {
  pendingFor(contactId: string, email: string | undefined): Promise<PendingProfile[]>;
  sendToCrm(batch: { updates: EnrichmentUpdateV1[] }): Promise<EnrichmentBatchResultV1>;
  settle(links: readonly NewLink[]): Promise<void>;
}

/**
 * One CRM contact change: the unmatched profiles it names get their waiting
 * update sent to that contact, then are linked and leave unmatched_profiles.
 * Redelivery finds no waiting row (or the CRM answers stale and the link is
 * written again): nothing changes twice. A CRM that cannot be reached throws,
 * so the change is delivered again.
 */
export async function handleContactChange(change: ContactChangedV1, deps: ContactChangeDependencies): Promise<{ sent: number; linked: number }> {
  if (change.changeType !== 'created' && change.changeType !== 'updated') return { sent: 0, linked: 0 };
  const updates = rematchUpdates(change, await deps.pendingFor(change.contactId, change.email));
  const links: NewLink[] = [];
  for (let start = 0; start < updates.length; start += CRM_BATCH_LIMIT) {
    const chunk = updates.slice(start, start + CRM_BATCH_LIMIT);
    links.push(...linksFromAnswer(chunk, await deps.sendToCrm({ updates: chunk })));
  }
  await deps.settle(links);
  return { sent: updates.length, linked: links.length };
}
