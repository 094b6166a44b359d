import type { ContactCreationBatchV1, ContactCreationResultV1, EnrichmentBatchResultV1, EnrichmentUpdateV1 } from '@cds/contracts';
import type { SerializedMessage } from '@cds/kafka';
import { DEAD_LETTER_HEADERS, type InsightsBatchDependencies } from '../bridge/insights-batch-processor.js';
import type { RawRecord } from '../bridge/partition-batch-consumer.js';
import type { SyncLogEntry, SyncLogSource } from './sync-log-entry.js';

/**
 * The insights batch dependencies with every CRM answer and dead letter noted
 * in `entries` (one per update, one per letter), for the caller to append to
 * the sync log once the batch went through. The processor itself is unchanged.
 */
export function loggedInsightsDependencies(records: readonly RawRecord[], deps: InsightsBatchDependencies, entries: SyncLogEntry[]): InsightsBatchDependencies {
  // The processor sends the newest message per profile (key = profile id): the last one of the batch for that key.
  const byProfile = new Map<string, RawRecord>();
  for (const record of records) if (record.key) byProfile.set(record.key, record);
  const source = (profileId: string): SyncLogSource | null => sourceOf(byProfile.get(profileId));
  const { createContacts } = deps;
  return {
    ...deps,
    ...(createContacts && {
      createContacts: async (batch: ContactCreationBatchV1) => {
        const answer = await createContacts(batch);
        entries.push(...creationEntries(batch, answer, source));
        return answer;
      },
    }),
    sendToCrm: async (batch) => {
      const answer = await deps.sendToCrm(batch);
      entries.push(...answerEntries(batch.updates, answer, source));
      return answer;
    },
    deadLetter: async (messages) => {
      await deps.deadLetter(messages);
      entries.push(...messages.map(deadLetterEntry));
    },
  };
}

/** One entry per update: its outcome, `cleared` when an applied update removed the enrichment. */
export function answerEntries(updates: readonly EnrichmentUpdateV1[], answer: EnrichmentBatchResultV1, sourceOf: (profileId: string) => SyncLogSource | null = () => null): SyncLogEntry[] {
  return answer.results.flatMap((result) => {
    const update = updates[result.index];
    if (!update) return [];
    return [
      {
        kind: result.outcome === 'applied' && update.enrichment === null ? 'cleared' : result.outcome,
        profileId: update.profileId,
        contactId: result.contactId ?? update.contactId ?? null,
        version: update.version,
        source: sourceOf(update.profileId),
        reason: result.outcome === 'not_found' ? `no CRM contact ${update.contactId ? `with id ${update.contactId}` : 'with that email'}` : null,
      } satisfies SyncLogEntry,
    ];
  });
}

/** The contacts the CRM created for profiles (upsert mode); an existing or suppressed (erased) email is not a creation. */
export function creationEntries(batch: ContactCreationBatchV1, answer: ContactCreationResultV1, sourceOf: (profileId: string) => SyncLogSource | null = () => null): SyncLogEntry[] {
  return answer.results.flatMap((result) => {
    const contact = batch.contacts[result.index];
    if (!contact || result.outcome !== 'created') return [];
    return [{ kind: 'created', profileId: contact.profileId, contactId: result.contactId, source: sourceOf(contact.profileId), reason: 'contact created for the profile (upsert)' } satisfies SyncLogEntry];
  });
}

/** A dead letter as a log entry: its key, reason and original coordinates. */
export function deadLetterEntry(message: SerializedMessage): SyncLogEntry {
  const headers = message.headers;
  const topic = headers[DEAD_LETTER_HEADERS.originalTopic];
  return {
    kind: 'dead_lettered',
    profileId: message.key,
    source: topic ? { topic, partition: Number(headers[DEAD_LETTER_HEADERS.originalPartition] ?? -1), offset: headers[DEAD_LETTER_HEADERS.originalOffset] ?? '-1' } : null,
    reason: headers[DEAD_LETTER_HEADERS.reason] ?? null,
  };
}

export function sourceOf(record: Pick<RawRecord, 'topic' | 'partition' | 'offset'> | undefined): SyncLogSource | null {
  return record ? { topic: record.topic, partition: record.partition, offset: record.offset } : null;
}
