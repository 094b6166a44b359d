import { TOPICS } from '@cds/contracts';
import type { MessageCoordinates, SerializedMessage } from '@cds/kafka';
import type { SyncLogEntry, SyncLogKind } from './sync-log-entry.js';
import { deadLetterEntry, sourceOf } from './insights-log.js';

/** The per-message topics whose handled messages are logged, and what their key names. */
const LOGGED_TOPICS: ReadonlyMap<string, { readonly kind: SyncLogKind; readonly key: 'profileId' | 'contactId' }> = new Map([
  [TOPICS.cdpProfileMerges.name, { kind: 'merged', key: 'profileId' }],
  [TOPICS.cdpProfileErasures.name, { kind: 'erased', key: 'profileId' }],
  [TOPICS.crmContactChanges.name, { kind: 'rematched', key: 'contactId' }],
]);

/** Outcomes that changed nothing: not worth a row (every contact edit would otherwise log one). */
const QUIET_OUTCOMES: ReadonlySet<string> = new Set(['nothing-linked', 'nothing-waiting', 'refused', 'invalid']);

/**
 * The log entry for a merge, erasure or contact change the bridge handled
 * (the outcome label as reason), or null when it changed nothing. `topic` is
 * the catalogue's (unprefixed) name.
 */
export function lifecycleLogEntry(topic: string, message: MessageCoordinates, outcome: string): SyncLogEntry | null {
  const logged = LOGGED_TOPICS.get(topic);
  if (!logged || QUIET_OUTCOMES.has(outcome)) return null;
  return { kind: logged.kind, [logged.key]: message.key, source: sourceOf(message), reason: outcome };
}

/** A per-message consumer's dead letter, its key logged as what the topic's key names (a contact change's is a contact id). */
export function lifecycleDeadLetterEntry(topic: string, letter: SerializedMessage): SyncLogEntry {
  const entry = deadLetterEntry(letter);
  return LOGGED_TOPICS.get(topic)?.key === 'contactId' ? { ...entry, profileId: null, contactId: letter.key } : entry;
}
