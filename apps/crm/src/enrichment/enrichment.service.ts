import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EnrichmentBatchResultV1, EnrichmentBatchV1, EnrichmentOutcome, EnrichmentUpdateV1 } from '@cds/contracts';
import { retryingTransaction } from '@cds/service-kit';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { summarizeEnrichmentChange, type EnrichmentView } from './enrichment-changes.js';

/**
 * Applies the sync bridge's enrichment batches: each update only if its version
 * is newer than the contact's, so a redelivered or reordered update changes
 * nothing. The whole batch is one transaction: the bridge commits its Kafka
 * offsets only after this answers, so a failure leaves nothing half-applied.
 */
@Injectable()
export class EnrichmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
  ) {}

  async apply(batch: EnrichmentBatchV1): Promise<EnrichmentBatchResultV1> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const results: { index: number; outcome: EnrichmentOutcome; contactId: string | null }[] = [];
      for (const [index, update] of batch.updates.entries()) results.push({ index, ...(await this.applyOne(manager, update)) });
      return { results };
    });
  }

  private async applyOne(manager: Parameters<ContactsRepository['find']>[0], update: EnrichmentUpdateV1): Promise<{ outcome: EnrichmentOutcome; contactId: string | null }> {
    const contact = update.contactId ? await this.contacts.find(manager, update.contactId, { lock: true }) : await this.contacts.findLiveByEmail(manager, (update.email ?? '').toLowerCase(), true);
    if (!contact) return { outcome: 'not_found', contactId: null };
    if (update.version <= contact.enrichmentVersion) return { outcome: 'stale', contactId: contact.id };
    const enrichment = update.enrichment === null ? null : (JSON.parse(JSON.stringify(update.enrichment)) as Record<string, unknown>);
    await manager.query(
      `UPDATE contacts SET enrichment = $2, enrichment_version = $3, enrichment_synced_at = now(), cdp_profile_id = $4, segment_keys = $5 WHERE id = $1`,
      [contact.id, enrichment === null ? null : JSON.stringify(enrichment), update.version, update.enrichment === null ? null : update.profileId, update.enrichment?.segments.map((segment) => segment.key) ?? []],
    );
    const summaries = summarizeEnrichmentChange(contact.enrichment as EnrichmentView | null, enrichment as EnrichmentView | null);
    await this.contacts.addTimeline(manager, contact.id, 'insight', summaries, { profileId: update.profileId, version: update.version });
    return { outcome: 'applied', contactId: contact.id };
  }
}
