import 'reflect-metadata';
import { TOPICS } from '@cds/contracts';
import type { RawRecord } from '../bridge/partition-batch-consumer.js';
import type { SyncLogEntry } from '../sync-log/sync-log-entry.js';
import { parseReplayArgs, REPLAY_USAGE, type ReplayArgs } from './command-args.js';
import { runCommand, withCommandContext, type CommandContext } from './command-context.js';
import { replayLetter, type ReplayOutcome } from './letter-replayer.js';
import { letterMatches, originalMessage, planReplayCommits } from './replay-plan.js';
import { readTopicRange } from './topic-range-reader.js';

export const REPLAY_GROUP_ID = 'sync-dead-letter-replay';

export interface ReplaySummary {
  read: number;
  applied: number;
  stale: number;
  notFound: number;
  failedAgain: number;
  skipped: number;
}

const SUMMARY_FIELD: Record<ReplayOutcome, keyof ReplaySummary> = { applied: 'applied', stale: 'stale', not_found: 'notFound', failed_again: 'failedAgain' };

/**
 * sync.dead-letters.v1 from the committed position of `sync-dead-letter-replay`
 * up to its end at start: each letter that passes the filters goes through
 * its original topic's handler; letters that fail again go back to the
 * dead-letter topic (replay-count + 1, new reason). Only then are offsets committed.
 */
export async function replayDeadLetters(context: CommandContext, args: ReplayArgs, print: (line: string) => void): Promise<ReplaySummary> {
  const prefix = context.env.KAFKA_TOPIC_PREFIX;
  const topic = `${prefix}${TOPICS.syncDeadLetters.name}`;
  const groupId = `${prefix}${REPLAY_GROUP_ID}`;
  // Dead letters are few: held whole, then handled one by one.
  const records: RawRecord[] = [];
  await readTopicRange(context.kafka, context.admin, { topic, groupId, fromCommitted: true }, (batch) => void records.push(...batch));
  const summary: ReplaySummary = { read: records.length, applied: 0, stale: 0, notFound: 0, failedAgain: 0, skipped: 0 };
  const decisions: { letter: RawRecord; handled: boolean }[] = [];
  const logged: SyncLogEntry[] = [];
  try {
    for (const letter of records) {
      const original = originalMessage(letter, prefix);
      if (!letterMatches(letter, args, prefix)) {
        summary.skipped++;
        decisions.push({ letter, handled: false });
        continue;
      }
      if (args.dryRun) {
        print(`would replay ${original.record.topic}/${original.record.partition}@${original.record.offset} key=${letter.key ?? ''} (${letter.headers['dead-letter-reason'] ?? 'no reason'})`);
        continue;
      }
      const result = await replayLetter(original, context);
      if (result.deadLetter) await context.producer.sendSerialized([result.deadLetter]);
      summary[SUMMARY_FIELD[result.outcome]]++;
      decisions.push({ letter, handled: true });
      logged.push({
        kind: 'replayed',
        profileId: result.profileId ?? null,
        contactId: result.contactId ?? null,
        version: result.version ?? null,
        source: { topic: original.record.topic, partition: original.record.partition, offset: original.record.offset },
        reason: `${result.outcome}: ${result.detail}`,
      });
      print(`${result.outcome.padEnd(12)} ${original.record.topic}/${original.record.partition}@${original.record.offset} key=${letter.key ?? ''}: ${result.detail}`);
    }
  } finally {
    // Also after a failure midway: what was handled is committed, so it is not replayed twice.
    if (!args.dryRun) await commit(context, topic, groupId, decisions);
    context.syncLog.append(logged);
  }
  return summary;
}

async function commit(context: CommandContext, topic: string, groupId: string, decisions: readonly { letter: RawRecord; handled: boolean }[]): Promise<void> {
  const plan = planReplayCommits(decisions);
  if (plan.carryForward.length > 0) {
    await context.producer.sendSerialized(plan.carryForward.map((letter) => ({ topic: TOPICS.syncDeadLetters.name, key: letter.key, value: letter.value, headers: letter.headers })));
  }
  if (plan.commits.size === 0) return;
  const partitions = [...plan.commits].map(([partition, offset]) => ({ partition, offset }));
  // The reader has just left the group; the coordinator may take a moment to see it empty.
  for (let attempt = 1; ; attempt++) {
    try {
      await context.admin.setOffsets({ groupId, topic, partitions });
      return;
    } catch (error) {
      if (attempt >= 10) throw new Error(`could not commit the replayed letters' offsets for ${groupId}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export function formatReplaySummary(summary: ReplaySummary, dryRun: boolean): string {
  const counts = `read ${summary.read}, applied ${summary.applied}, stale ${summary.stale}, not found ${summary.notFound}, failed again ${summary.failedAgain}, skipped ${summary.skipped}`;
  return dryRun ? `dry run (nothing replayed or committed): ${counts}, would replay ${summary.read - summary.skipped}` : counts;
}

await runCommand(REPLAY_USAGE, async () => {
  const args = parseReplayArgs(process.argv.slice(2));
  const summary = await withCommandContext((context) => replayDeadLetters(context, args, (line) => process.stdout.write(`${line}\n`)));
  process.stdout.write(`${formatReplaySummary(summary, args.dryRun)}\n`);
});
process.exit(process.exitCode ?? 0);
