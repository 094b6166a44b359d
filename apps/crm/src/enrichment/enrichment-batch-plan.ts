import type { EnrichmentOutcome, EnrichmentUpdateV1 } from '@cds/contracts';
import { summarizeEnrichmentChange, type EnrichmentView } from './enrichment-changes.js';

/** What the batch needs to know of a contact it may enrich. */
export interface EnrichableContact {
  readonly id: string;
  readonly email: string | null;
  readonly enrichment: Record<string, unknown> | null;
  readonly enrichmentVersion: number;
}

/** A contact's enrichment after the batch: one row write per contact, however many updates named it. */
export interface EnrichmentWrite {
  readonly contactId: string;
  readonly enrichment: Record<string, unknown> | null;
  readonly version: number;
  readonly profileId: string | null;
  readonly segmentKeys: readonly string[];
}

export interface TimelineEntry {
  readonly contactId: string;
  readonly summary: string;
  readonly detail: { readonly profileId: string; readonly version: number };
}

export interface EnrichmentBatchPlan {
  readonly results: { index: number; outcome: EnrichmentOutcome; contactId: string | null }[];
  readonly writes: EnrichmentWrite[];
  readonly timeline: TimelineEntry[];
}

/**
 * Decides a whole batch in memory, in the order of its updates, against the
 * contacts as locked: an update applies only if its version is newer than the
 * contact's (as left by the batch's earlier updates), so a redelivered or
 * reordered update changes nothing and two updates of one contact in one batch
 * behave as if sent one after the other.
 */
export function planEnrichmentBatch(updates: readonly EnrichmentUpdateV1[], contacts: readonly EnrichableContact[]): EnrichmentBatchPlan {
  const current = new Map(contacts.map((contact) => [contact.id, contact]));
  const byEmail = new Map(contacts.filter((contact) => contact.email !== null).map((contact) => [contact.email as string, contact.id]));
  const writes = new Map<string, EnrichmentWrite>();
  const results: EnrichmentBatchPlan['results'] = [];
  const timeline: TimelineEntry[] = [];
  for (const [index, update] of updates.entries()) {
    const contactId = update.contactId ?? byEmail.get((update.email ?? '').toLowerCase());
    const contact = contactId === undefined ? undefined : current.get(contactId);
    if (!contact) {
      results.push({ index, outcome: 'not_found', contactId: null });
      continue;
    }
    if (update.version <= contact.enrichmentVersion) {
      results.push({ index, outcome: 'stale', contactId: contact.id });
      continue;
    }
    // The DTO instance as plain JSON: what the contact row stores.
    const enrichment = update.enrichment === null ? null : (JSON.parse(JSON.stringify(update.enrichment)) as Record<string, unknown>);
    for (const summary of summarizeEnrichmentChange(contact.enrichment as EnrichmentView | null, enrichment as EnrichmentView | null)) {
      timeline.push({ contactId: contact.id, summary, detail: { profileId: update.profileId, version: update.version } });
    }
    current.set(contact.id, { ...contact, enrichment, enrichmentVersion: update.version });
    writes.set(contact.id, {
      contactId: contact.id,
      enrichment,
      version: update.version,
      profileId: update.enrichment === null ? null : update.profileId,
      segmentKeys: update.enrichment?.segments.map((segment) => segment.key) ?? [],
    });
    results.push({ index, outcome: 'applied', contactId: contact.id });
  }
  return { results, writes: [...writes.values()], timeline };
}
