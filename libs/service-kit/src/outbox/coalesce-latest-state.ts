import { ALL_TOPICS } from '@cds/contracts';

const COMPACTED_TOPICS = new Set(ALL_TOPICS.filter((topic) => topic.config['cleanup.policy'] === 'compact').map((topic) => topic.name));

/**
 * On a compacted (latest-state) topic only the last message per key matters to
 * a consumer, so within one relay batch the earlier ones for the same key are
 * dropped: a burst of changes to one profile goes out as its newest snapshot.
 * Messages on other topics, and their order, are kept as they are.
 */
export function coalesceLatestState<T extends { readonly topic: string; readonly key: string | null }>(messages: readonly T[], compacted: ReadonlySet<string> = COMPACTED_TOPICS): T[] {
  const lastIndex = new Map<string, number>();
  messages.forEach((message, index) => {
    if (compacted.has(message.topic) && message.key !== null) lastIndex.set(`${message.topic}\u0000${message.key}`, index);
  });
  return messages.filter((message, index) => !compacted.has(message.topic) || message.key === null || lastIndex.get(`${message.topic}\u0000${message.key}`) === index);
}
