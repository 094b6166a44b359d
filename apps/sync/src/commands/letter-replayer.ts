import { ContractViolationError, contactChangedV1, parseContractValue, profileErasedV1, profileMergedV1, TOPICS, type MessageContract } from '@cds/contracts';
import type { SerializedMessage } from '@cds/kafka';
import { deadLetterOf, processInsightsBatch } from '../bridge/insights-batch-processor.js';
import { PermanentCrmError } from '../crm/crm-enrichment.client.js';
import { handleErasure } from '../lifecycle/erasure-handler.js';
import { planMerge } from '../lifecycle/lifecycle-decisions.js';
import { handleContactChange } from '../rematch/contact-change-handler.js';
import { loggedInsightsDependencies } from '../sync-log/insights-log.js';
import type { SyncLogEntry } from '../sync-log/sync-log-entry.js';
import { batchDependencies, type CommandContext } from './command-context.js';
import type { OriginalMessage } from './replay-plan.js';

export type ReplayOutcome = 'applied' | 'stale' | 'not_found' | 'failed_again';

export interface ReplayResult {
  readonly outcome: ReplayOutcome;
  readonly detail: string;
  /** The letter to dead-letter again (failed_again only). */
  readonly deadLetter?: SerializedMessage;
  readonly profileId?: string | null;
  readonly contactId?: string | null;
  readonly version?: number | null;
}

export type ReplayDependencies = Pick<CommandContext, 'env' | 'crm' | 'contacts' | 'store'>;

/**
 * One letter through the handler of its original topic, as the service would
 * have handled it, directly (never re-published: an old snapshot on the
 * compacted insights topic would become the newest). Throws when the CRM or
 * Postgres cannot be reached, so the run stops without committing it.
 */
export async function replayLetter(original: OriginalMessage, deps: ReplayDependencies): Promise<ReplayResult> {
  const { record } = original;
  const failed = (reason: string): ReplayResult => ({ outcome: 'failed_again', detail: reason, deadLetter: deadLetterOf(record, reason), profileId: record.key });
  try {
    switch (original.topic) {
      case TOPICS.cdpProfileInsights.name:
        return await replayInsights(original, deps);
      case TOPICS.crmContactChanges.name: {
        const change = parse(contactChangedV1, record.value);
        const { sent, linked } = await handleContactChange(change, { pendingFor: (id, email) => deps.store.pendingFor(id, email), sendToCrm: (batch) => deps.crm.send(batch), settle: (links) => deps.store.settlePending(links) });
        return { outcome: linked > 0 ? 'applied' : 'not_found', detail: `${linked} of ${sent} waiting profile(s) applied`, contactId: change.contactId };
      }
      case TOPICS.cdpProfileMerges.name: {
        const { survivorProfileId, mergedProfileIds } = parse(profileMergedV1, record.value);
        const plan = await deps.store.applyMerge(survivorProfileId, mergedProfileIds, (links) => planMerge(survivorProfileId, mergedProfileIds, links));
        return { outcome: 'applied', detail: plan.move ? `link moved to ${survivorProfileId}` : `${plan.unlink.length} link(s) removed`, profileId: survivorProfileId, contactId: plan.move?.contactId ?? null };
      }
      case TOPICS.cdpProfileErasures.name: {
        // Erasure letters keep coordinates only (an erased person's identifiers are not copied): nothing to replay.
        if (record.value === null) return failed('the letter kept no value to replay (erasure letters carry coordinates only)');
        const erasure = parse(profileErasedV1, record.value);
        const { cleared, erased } = await handleErasure(erasure, {
          links: (ids) => deps.store.links(ids),
          sendToCrm: (batch) => deps.crm.send(batch),
          eraseContacts: deps.env.SYNC_ERASURE_ACTION === 'delete-contact' ? (request) => deps.contacts.erase(request) : undefined,
          forget: (ids) => deps.store.forget(ids),
        });
        return { outcome: 'applied', detail: `${cleared} contact(s) cleared, ${erased} erased`, profileId: erasure.profileId };
      }
      default:
        return failed(`no handler for the original topic ${JSON.stringify(record.topic)}`);
    }
  } catch (error) {
    if (error instanceof ContractViolationError || error instanceof PermanentCrmError) return failed(`replay ${original.replayCount}: ${error.message}`);
    throw error;
  }
}

async function replayInsights(original: OriginalMessage, deps: ReplayDependencies): Promise<ReplayResult> {
  const entries: SyncLogEntry[] = [];
  const letters: SerializedMessage[] = [];
  const records = [original.record];
  // Dead letters are collected, not sent: the command dead-letters again once the letter's outcome is known.
  const collect = async (messages: readonly SerializedMessage[]): Promise<void> => void letters.push(...messages);
  await processInsightsBatch(records, loggedInsightsDependencies(records, batchDependencies(deps, collect), entries));
  const [letter] = letters;
  if (letter) return { outcome: 'failed_again', detail: `replay ${original.replayCount}: ${letter.headers['dead-letter-reason'] ?? ''}`, deadLetter: letter, profileId: original.record.key };
  const [answer] = entries;
  if (!answer) return { outcome: 'not_found', detail: 'no contact could be named: the profile waits in unmatched_profiles', profileId: original.record.key };
  const outcome: ReplayOutcome = answer.kind === 'stale' ? 'stale' : answer.kind === 'not_found' ? 'not_found' : 'applied';
  return { outcome, detail: answer.reason ?? answer.kind, profileId: answer.profileId ?? null, contactId: answer.contactId ?? null, version: answer.version ?? null };
}

function parse<T extends object>(contract: MessageContract<T>, value: string | null): T {
  let plain: unknown;
  try {
    plain = JSON.parse(value ?? 'null') as unknown;
  } catch {
    throw new ContractViolationError(contract.name, ['value: is not valid JSON']);
  }
  return parseContractValue(contract, plain);
}
