import type { ContactCreationBatchV1, ContactCreationResultV1, ContactCreationV1, EnrichmentBatchResultV1, EnrichmentOutcome, EnrichmentUpdateV1 } from '@cds/contracts';
import { CRM_BATCH_LIMIT, TOPICS } from '@cds/contracts';
import type { SerializedMessage } from '@cds/kafka';
import { PermanentCrmError } from '../crm/crm-enrichment.client.js';
import { addressedTo, contactToCreate } from '../enrichment/contact-creation.js';
import { clearEnrichmentUpdate, coalesceLatest, insightsToEnrichmentUpdate, type InsightsEntry } from '../enrichment/insights-to-enrichment.js';
import type { MatchChanges, StoredLink, UnmatchedProfile } from '../matching/match-store.js';
import type { SyncMetrics } from '../metrics/sync-metrics.js';
import { decodeInsights, type RejectedRecord } from './decode-insights.js';
import type { RawRecord } from './partition-batch-consumer.js';

export const DEAD_LETTER_HEADERS = {
  reason: 'dead-letter-reason',
  originalTopic: 'original-topic',
  originalPartition: 'original-partition',
  originalOffset: 'original-offset',
} as const;

export interface InsightsBatchDependencies {
  sendToCrm(batch: { updates: EnrichmentUpdateV1[] }): Promise<EnrichmentBatchResultV1>;
  /** Upsert mode (`SYNC_MODE=upsert`): create-or-get CRM contacts by email. Absent: update-only, nothing is created. */
  createContacts?(batch: ContactCreationBatchV1): Promise<ContactCreationResultV1>;
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
 * One fetch's batch (one or several partitions), end to end: decode, keep the newest per profile, send
 * one enrichment batch to the CRM, record the links and the unmatched profiles,
 * dead-letter what cannot be applied. In upsert mode, the known customers the
 * CRM had no contact for get one created, then their update, in the same batch.
 * Throws (so nothing is committed) when the CRM, Postgres or Kafka cannot be reached.
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
  const toCreate: ToCreate[] = [];
  await sendUpdates(planned, deps, refused, (item, outcome) => {
    const name = item.entry.kind === 'snapshot' ? item.entry.snapshot.name : undefined;
    const creation = contactToCreate(deps.createContacts !== undefined, item.update, outcome.outcome, item.linked, name);
    if (creation) toCreate.push({ ...item, creation });
    else settle(item, outcome, changes, deps.metrics);
  });
  if (toCreate.length > 0) await createAndApply(toCreate, deps, refused, changes);

  const deadLetters = [...invalid.map((rejected) => ({ ...rejected, kind: 'invalid' })), ...refused.map((rejected) => ({ ...rejected, kind: 'refused' }))];
  if (deadLetters.length > 0) {
    await deps.deadLetter(deadLetters.map(({ record, reason }) => deadLetterOf(record, reason)));
    for (const { kind } of deadLetters) deps.metrics?.deadLettered.inc({ reason: kind });
  }
  await deps.record(changes);
}

type Outcome = { readonly outcome: EnrichmentOutcome; readonly contactId: string | null };
type ToCreate = Planned & { readonly creation: ContactCreationV1 };

/** Sends the updates in CRM-sized chunks and hands each answered one to `onOutcome`. */
async function sendUpdates(items: readonly Planned[], deps: InsightsBatchDependencies, refused: RejectedRecord[], onOutcome: (item: Planned, outcome: Outcome) => void): Promise<void> {
  for (let start = 0; start < items.length; start += CRM_BATCH_LIMIT) {
    const chunk = items.slice(start, start + CRM_BATCH_LIMIT);
    const outcomes = await sendNarrowing(chunk, async (part) => (await deps.sendToCrm({ updates: part.map((item) => item.update) })).results, refused);
    for (const [position, item] of chunk.entries()) {
      const outcome = outcomes[position];
      if (outcome) onOutcome(item, outcome);
    }
  }
}

/**
 * Upsert: create-or-get the contacts by email, then send each update to its
 * contact by id and settle it as any other. A redelivered batch finds the
 * contacts the first attempt created (the CRM is idempotent by email).
 * The CRM creates none for the email of a contact erased on request.
 */
async function createAndApply(items: readonly ToCreate[], deps: InsightsBatchDependencies, refused: RejectedRecord[], changes: MutableChanges): Promise<void> {
  const { createContacts } = deps;
  if (!createContacts) return;
  const retargeted: Planned[] = [];
  for (let start = 0; start < items.length; start += CRM_BATCH_LIMIT) {
    const chunk = items.slice(start, start + CRM_BATCH_LIMIT);
    const created = await sendNarrowing(chunk, async (part) => (await createContacts({ contacts: part.map((item) => item.creation) })).results, refused);
    for (const [position, item] of chunk.entries()) {
      const result = created[position];
      if (!result) continue;
      // Suppressed: the person's contact was erased on request; the profile waits unmatched until its tombstone.
      if (result.contactId === null) settle(item, { outcome: 'not_found', contactId: null }, changes, deps.metrics);
      else retargeted.push({ entry: item.entry, linked: item.linked, update: addressedTo(item.update, result.contactId) });
    }
  }
  await sendUpdates(retargeted, deps, refused, (item, outcome) => settle(item, outcome, changes, deps.metrics));
}

/**
 * Sends one chunk. A permanent refusal of several items is narrowed down by
 * sending them one at a time, so only the refused ones are dead-lettered.
 */
async function sendNarrowing<T extends Planned, R>(chunk: readonly T[], send: (part: readonly T[]) => Promise<readonly R[]>, refused: RejectedRecord[]): Promise<(R | undefined)[]> {
  try {
    return [...(await send(chunk))];
  } catch (error) {
    if (!(error instanceof PermanentCrmError)) throw error;
    const [only] = chunk;
    if (only && chunk.length === 1) {
      refused.push({ record: only.entry.record, reason: error.message });
      return [undefined];
    }
    const outcomes: (R | undefined)[] = [];
    for (const item of chunk) outcomes.push((await sendNarrowing([item], send, refused))[0]);
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
