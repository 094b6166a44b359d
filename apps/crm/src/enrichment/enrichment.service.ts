import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EnrichmentBatchResultV1, EnrichmentBatchV1 } from '@cds/contracts';
import { retryingTransaction } from '@cds/service-kit';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { EnrichmentApplyRepository } from './enrichment-apply.repository.js';
import { planEnrichmentBatch } from './enrichment-batch-plan.js';
import { EnrichmentRepository, type EnrichmentState } from './enrichment.repository.js';

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
    private readonly store: EnrichmentApplyRepository,
    private readonly states: EnrichmentRepository,
  ) {}

  /** Lock, decide in memory, write: a constant number of statements per batch, not per update. */
  async apply(batch: EnrichmentBatchV1): Promise<EnrichmentBatchResultV1> {
    const ids = batch.updates.flatMap((update) => (update.contactId ? [update.contactId] : []));
    const emails = batch.updates.flatMap((update) => (!update.contactId && update.email ? [update.email.toLowerCase()] : []));
    return retryingTransaction(this.dataSource, async (manager) => {
      const plan = planEnrichmentBatch(batch.updates, await this.store.lock(manager, [...new Set(ids)], [...new Set(emails)]));
      await this.store.write(manager, plan.writes);
      await this.store.addTimeline(manager, plan.timeline);
      return { results: plan.results };
    });
  }

  /** Every live contact's enrichment state, in contact id order (keyset on id). */
  async listStates(limit: number, cursor: string | undefined): Promise<Page<EnrichmentState>> {
    const after = decodeCursor(cursor);
    const rows = await this.states.listStates(this.dataSource.manager, after?.id ?? null, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > limit && last ? encodeCursor({ key: last.contactId, id: last.contactId }) : null };
  }
}
