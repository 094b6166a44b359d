import { TOPICS } from '@cds/contracts';
import { DEAD_LETTER_HEADERS } from '../bridge/insights-batch-processor.js';
import type { RawRecord } from '../bridge/partition-batch-consumer.js';
import type { ReplayArgs } from './command-args.js';

export const REPLAY_COUNT_HEADER = 'replay-count';

/** The topics a letter can be replayed for, by catalogue name. */
export type ReplayableTopic = (typeof TOPICS)['cdpProfileInsights' | 'crmContactChanges' | 'cdpProfileMerges' | 'cdpProfileErasures']['name'];
const DEAD_LETTER_HEADER_NAMES: readonly string[] = Object.values(DEAD_LETTER_HEADERS);
const REPLAYABLE: readonly string[] = [TOPICS.cdpProfileInsights.name, TOPICS.crmContactChanges.name, TOPICS.cdpProfileMerges.name, TOPICS.cdpProfileErasures.name];

/** A dead letter turned back into the message it was, ready for its original handler. */
export interface OriginalMessage {
  /** The catalogue (unprefixed) name of the original topic, or null when the letter names none this command knows. */
  readonly topic: ReplayableTopic | null;
  /**
   * As read at first, at its original coordinates. Its headers are the
   * original ones plus the incremented replay count: dead-lettering it again
   * (deadLetterOf) carries that count and the new reason.
   */
  readonly record: RawRecord;
  readonly replayCount: number;
}

/** Whether a letter passes the command's filters (`--original-topic` with or without the topic prefix). */
export function letterMatches(letter: RawRecord, args: Pick<ReplayArgs, 'reasonContains' | 'originalTopic'>, topicPrefix: string): boolean {
  const reason = letter.headers[DEAD_LETTER_HEADERS.reason] ?? '';
  const topic = letter.headers[DEAD_LETTER_HEADERS.originalTopic] ?? '';
  if (args.reasonContains !== null && !reason.toLowerCase().includes(args.reasonContains.toLowerCase())) return false;
  if (args.originalTopic !== null && topic !== args.originalTopic && topic !== `${topicPrefix}${args.originalTopic}`) return false;
  return true;
}

export function originalMessage(letter: RawRecord, topicPrefix: string): OriginalMessage {
  const topic = letter.headers[DEAD_LETTER_HEADERS.originalTopic] ?? '';
  const partition = letter.headers[DEAD_LETTER_HEADERS.originalPartition];
  const offset = letter.headers[DEAD_LETTER_HEADERS.originalOffset];
  const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !DEAD_LETTER_HEADER_NAMES.includes(name)));
  const replayCount = Number(/^\d+$/.test(headers[REPLAY_COUNT_HEADER] ?? '') ? headers[REPLAY_COUNT_HEADER] : 0) + 1;
  const unprefixed = topic.startsWith(topicPrefix) ? topic.slice(topicPrefix.length) : topic;
  return {
    topic: REPLAYABLE.includes(unprefixed) ? (unprefixed as ReplayableTopic) : null,
    record: { topic, partition: Number(partition ?? -1), offset: offset ?? '-1', key: letter.key, value: letter.value, headers: { ...headers, [REPLAY_COUNT_HEADER]: String(replayCount) } },
    replayCount,
  };
}

export interface ReplayCommitPlan {
  /** Per dead-letter partition, the offset to commit (the one after the last letter handled). */
  readonly commits: ReadonlyMap<number, string>;
  /** Letters filtered out but read before a handled one of their partition: copied to the end of the topic, so they wait for a later run. */
  readonly carryForward: readonly RawRecord[];
}

/**
 * What to commit once letters were handled (replayed, or dead-lettered again)
 * or filtered out. One committed offset per partition cannot skip a letter in
 * the middle, so a filtered-out letter before a handled one is copied to the
 * end of the topic; filtered-out letters after the last handled one are simply
 * not committed past. A second run therefore never replays a handled letter.
 */
export function planReplayCommits(letters: readonly { readonly letter: RawRecord; readonly handled: boolean }[]): ReplayCommitPlan {
  const lastHandled = new Map<number, number>();
  for (const { letter, handled } of letters) if (handled) lastHandled.set(letter.partition, Math.max(lastHandled.get(letter.partition) ?? -1, Number(letter.offset)));
  const carryForward = letters.filter(({ letter, handled }) => !handled && Number(letter.offset) < (lastHandled.get(letter.partition) ?? -1)).map(({ letter }) => letter);
  return { commits: new Map([...lastHandled].map(([partition, offset]) => [partition, String(offset + 1)])), carryForward };
}
