import type { EnrichmentBatchResultV1, EnrichmentOutcome, EnrichmentUpdateV1 } from '@cds/contracts';
import { TOPICS } from '@cds/contracts';
import type { SerializedMessage } from '@cds/kafka';
import { PermanentCrmError } from '../crm/crm-enrichment.client.js';
import { clearEnrichmentUpdate, coalesceLatest, insightsToEnrichmentUpdate, type InsightsEntry } from '../enrichment/insights-to-enrichment.js';
import type { MatchChanges, StoredLink, UnmatchedProfile } from '../matching/match-store.js';
import type { SyncMetrics } from '../metrics/sync-metrics.js';
import { decodeInsights, type RejectedRecord } from './decode-insights.js';
import type { RawRecord } from './partition-batch-consumer.js';

/** The CRM's per-request limit. */
export const CRM_BATCH_LIMIT = 500;

export const DEAD_LETTER_HEADERS = {
  reason: 'dead-letter-reason',
  originalTopic: 'original-topic',
  originalPartition: 'original-partition',
  originalOffset: 'original-offset',
} as const;

export interface InsightsBatchDependencies {
  sendToCrm(batch: { updates: EnrichmentUpdateV1[] }): Promise<EnrichmentBatchResultV1>;
  links(profileIds: readonly string[]): Promise<Map<string, StoredLink>>;
  record(changes: MatchChanges): Promise<void>;
  deadLetter(messages: readonly SerializedMessage[]): Promise<void>;
  readonly metrics?: SyncMetrics;
}

type MutableChanges = { -readonly [K in keyof MatchChanges]: MatchChanges[K][number][] };

interface Planned {
  readonly entry: InsightsEntry<RawRecord>;
  readonly update: EnrichmentUpdateV1;
  /** The stored link this update was addressed through, if any. */
  readonly linked: boolean;
}

/**
 * One partition's batch, end to end: decode, keep the newest per profile, send
 * one enrichment batch to the CRM, record the links and the unmatched profiles,
 * dead-letter what cannot be applied. Throws (so nothing is committed) when the
 * CRM, Postgres or Kafka cannot be reached.
 */
export async function processInsightsBatch(records: readonly RawRecord[], deps: InsightsBatchDependencies): Promise<void> {
  const { entries, invalid } = decodeInsights(records);
  const latest = coalesceLatest(entries);
  const links = await deps.links(latest.map((entry) => entry.profileId));

  const planned: Planned[] = [];
  const changes: MutableChanges = { links: [], unmatched: [], forget: [], unlink: [] };
  for (const entry of latest) {
    const link = links.get(entry.profileId);
    if (entry.kind === 'tombstone') {
      if (link) planned.push({ entry, update: clearEnrichmentUpdate(entry.profileId, link.contactId, link.lastVersion), linked: true });
      else changes.forget.push(entry.profileId);
      continue;
    }
    const update = insightsToEnrichmentUpdate(entry.snapshot, link?.contactId);
    if (update) planned.push({ entry, update, linked: link !== undefined });
    else changes.unmatched.push(unmatchedOf(entry.snapshot, null));
  }

  const refused: RejectedRecord[] = [];
  for (let start = 0; start < planned.length; start += CRM_BATCH_LIMIT) {
    const chunk = planned.slice(start, start + CRM_BATCH_LIMIT);
    const outcomes = await sendChunk(chunk, deps, refused);
    for (const [position, item] of chunk.entries()) {
      const outcome = outcomes[position];
      if (!outcome) continue;
      settle(item, outcome, changes, deps.metrics);
    }
  }

  const deadLetters = [...invalid.map((rejected) => ({ ...rejected, kind: 'invalid' })), ...refused.map((rejected) => ({ ...rejected, kind: 'refused' }))];
  if (deadLetters.length > 0) {
    await deps.deadLetter(deadLetters.map(({ record, reason }) => deadLetterOf(record, reason)));
    for (const { kind } of deadLetters) deps.metrics?.deadLettered.inc({ reason: kind });
  }
  await deps.record(changes);
}

type Outcome = { readonly outcome: EnrichmentOutcome; readonly contactId: string | null };

/**
 * Sends one chunk. A permanent refusal of several updates is narrowed down by
 * sending them one at a time, so only the refused ones are dead-lettered.
 */
async function sendChunk(chunk: readonly Planned[], deps: InsightsBatchDependencies, refused: RejectedRecord[]): Promise<(Outcome | undefined)[]> {
  try {
    return [...(await deps.sendToCrm({ updates: chunk.map((item) => item.update) })).results];
  } catch (error) {
    if (!(error instanceof PermanentCrmError)) throw error;
    const [only] = chunk;
    if (only && chunk.length === 1) {
      refused.push({ record: only.entry.record, reason: error.message });
      return [undefined];
    }
    const outcomes: (Outcome | undefined)[] = [];
    for (const item of chunk) outcomes.push((await sendChunk([item], deps, refused))[0]);
    return outcomes;
  }
}

function settle(item: Planned, outcome: Outcome, changes: MutableChanges, metrics: SyncMetrics | undefined): void {
  const { entry, update } = item;
  if (outcome.outcome === 'applied') metrics?.applied.inc();
  else if (outcome.outcome === 'stale') metrics?.stale.inc();
  else metrics?.notFound.inc();
  if (entry.kind === 'tombstone') {
    changes.forget.push(entry.profileId);
    return;
  }
  if (outcome.outcome !== 'not_found' && outcome.contactId) {
    changes.links.push({ profileId: entry.profileId, contactId: outcome.contactId, version: update.version });
    return;
  }
  // No such contact (or the linked one is gone): remember the profile with the update it waits to
  // deliver (applied when a matching contact appears), and drop a dead link.
  changes.unmatched.push(unmatchedOf(entry.snapshot, update));
  if (item.linked) changes.unlink.push(entry.profileId);
}

function unmatchedOf(snapshot: Extract<InsightsEntry<RawRecord>, { kind: 'snapshot' }>['snapshot'], update: EnrichmentUpdateV1 | null): UnmatchedProfile {
  return { profileId: snapshot.profileId, version: snapshot.version, emails: [...snapshot.identifiers.emails], crmContactIds: [...snapshot.identifiers.crmContactIds], update };
}

/** The original message as it was, with why and where it came from in headers. */
export function deadLetterOf(record: RawRecord, reason: string): SerializedMessage {
  return {
    topic: TOPICS.syncDeadLetters.name,
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DEAD_LETTER_HEADERS.reason]: reason.slice(0, 1000),
      [DEAD_LETTER_HEADERS.originalTopic]: record.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(record.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: record.offset,
    },
  };
}
