import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { CRM_BATCH_LIMIT, TOPICS } from '@cds/contracts';
import { processInsightsBatch } from '../bridge/insights-batch-processor.js';
import { clearEnrichmentUpdate } from '../enrichment/insights-to-enrichment.js';
import { answerEntries, loggedInsightsDependencies } from '../sync-log/insights-log.js';
import type { SyncLogEntry } from '../sync-log/sync-log-entry.js';
import { parseResyncArgs, RESYNC_USAGE } from './command-args.js';
import { batchDependencies, runCommand, withCommandContext, type CommandContext } from './command-context.js';
import { listEnrichmentStates } from './crm-enrichment-states.js';
import { formatReport, NewestProfiles, reconcile, reportOf, type NewestProfile, type Reconciliation, type ReconciliationReport } from './reconciliation.js';
import { readTopicRange } from './topic-range-reader.js';

export interface RepairFigures {
  /** Missing and stale profiles sent again, and how the CRM answered. */
  readonly sent: number;
  readonly applied: number;
  readonly stale: number;
  readonly notFound: number;
  readonly deadLettered: number;
  /** Extra enrichments cleared (answered applied). */
  readonly cleared: number;
}

export interface ResyncResult {
  readonly dryRun: boolean;
  readonly before: ReconciliationReport;
  readonly repaired: RepairFigures | null;
  readonly after: ReconciliationReport | null;
}

/**
 * The insights topic from the beginning up to its end at start (newest
 * snapshot per profile) against every CRM contact's enrichment; unless a dry
 * run, the missing and stale profiles go through the bridge's batch path
 * again and the extra enrichments are cleared, then the comparison is redone.
 */
export async function resync(context: CommandContext, dryRun: boolean): Promise<ResyncResult> {
  const prefix = context.env.KAFKA_TOPIC_PREFIX;
  // A group of its own that is never committed: the bridge's position is untouched.
  const groupId = `${prefix}sync-resync-${randomUUID()}`;
  const folded = new NewestProfiles();
  await readTopicRange(context.kafka, context.admin, { topic: `${prefix}${TOPICS.cdpProfileInsights.name}`, groupId, fromCommitted: false }, (records) => folded.add(records));
  await context.admin.deleteGroups([groupId]).catch(() => undefined);
  const profiles = folded.profiles();
  const invalid = folded.invalid;

  const compare = async (): Promise<{ reconciliation: Reconciliation; report: ReconciliationReport }> => {
    const contacts = await listEnrichmentStates(context.env.CRM_URL, context.env.CRM_SYNC_API_KEY);
    const reconciliation = reconcile(profiles, contacts, await context.store.links([...profiles.keys()]));
    return { reconciliation, report: reportOf(reconciliation, { profiles: profiles.size, contacts: contacts.length, invalidMessages: invalid }) };
  };
  const before = await compare();
  if (dryRun) return { dryRun, before: before.report, repaired: null, after: null };
  const repaired = await repair(context, profiles, before.reconciliation);
  return { dryRun, before: before.report, repaired, after: (await compare()).report };
}

async function repair(context: CommandContext, profiles: ReadonlyMap<string, NewestProfile>, reconciliation: Reconciliation): Promise<RepairFigures> {
  const logged: SyncLogEntry[] = [];
  const records = [...reconciliation.missing, ...reconciliation.stale].flatMap((item) => {
    const profile = profiles.get(item.profileId);
    return profile ? [profile.record] : [];
  });
  // The bridge's own batch path (CRM batches of at most CRM_BATCH_LIMIT, links and unmatched rows recorded, refusals dead-lettered).
  await processInsightsBatch(records, loggedInsightsDependencies(records, batchDependencies(context, (messages) => context.producer.sendSerialized(messages)), logged));
  const clears = reconciliation.extra.map((item) => clearEnrichmentUpdate(item.profileId, item.contactId, item.crmVersion));
  for (let start = 0; start < clears.length; start += CRM_BATCH_LIMIT) {
    const chunk = clears.slice(start, start + CRM_BATCH_LIMIT);
    logged.push(...answerEntries(chunk, await context.crm.send({ updates: chunk })));
  }
  // The extras' profiles are gone from the topic, as after a tombstone: their links and unmatched rows go too.
  await context.store.forget(reconciliation.extra.map((item) => item.profileId));
  context.syncLog.append(logged.map((entry) => (entry.kind === 'dead_lettered' ? entry : { ...entry, kind: 'resynced', reason: entry.reason ? `${entry.kind}: ${entry.reason}` : entry.kind })));
  const count = (kind: SyncLogEntry['kind']): number => logged.filter((entry) => entry.kind === kind).length;
  return { sent: records.length, applied: count('applied'), stale: count('stale'), notFound: count('not_found'), deadLettered: count('dead_lettered'), cleared: count('cleared') };
}

function formatResult(result: ResyncResult): string {
  const lines = [formatReport(result.dryRun ? 'Reconciliation (dry run: nothing repaired)' : 'Reconciliation', result.before)];
  const { repaired, after } = result;
  if (repaired) {
    lines.push(
      `Repaired: sent ${repaired.sent} (applied ${repaired.applied}, stale ${repaired.stale}, not found ${repaired.notFound}, dead-lettered ${repaired.deadLettered}), extra enrichments cleared ${repaired.cleared}`,
    );
  }
  if (after) lines.push(formatReport('After repair', after));
  return lines.join('\n');
}

await runCommand(RESYNC_USAGE, async () => {
  const args = parseResyncArgs(process.argv.slice(2));
  const result = await withCommandContext((context) => resync(context, args.dryRun));
  process.stdout.write(`${args.json ? JSON.stringify(result) : formatResult(result)}\n`);
});
process.exit(process.exitCode ?? 0);
