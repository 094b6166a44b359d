import type { Admin, Kafka } from 'kafkajs';
import { rawRecordOf, type RawRecord } from '../bridge/partition-batch-consumer.js';

export interface TopicRangeOptions {
  /** The full (prefixed) topic name. */
  readonly topic: string;
  /** The full consumer group id. */
  readonly groupId: string;
  /** Start at the group's committed offsets (else at the beginning: the group must be new). */
  readonly fromCommitted: boolean;
  /** Fail when no message arrives for this long while partitions are still short of their end. */
  readonly idleTimeoutMs?: number;
}

/** Handed the messages of one fetched batch of one partition, in offset order; batches of a partition come in order. */
export type RangeBatchHandler = (records: readonly RawRecord[]) => void;

/**
 * Reads a topic from the group's committed offsets (or the beginning) up to
 * the high watermarks taken at start, and commits nothing: what later
 * arrives is left for the next run, and the caller decides what to commit.
 * Batches are handed over as they come, so a large topic need not be held whole.
 */
export async function readTopicRange(kafka: Kafka, admin: Admin, options: TopicRangeOptions, onRecords: RangeBatchHandler): Promise<void> {
  const watermarks = await admin.fetchTopicOffsets(options.topic);
  const committed = options.fromCommitted ? ((await admin.fetchOffsets({ groupId: options.groupId, topics: [options.topic] }))[0]?.partitions ?? []) : [];
  const endOffsets = new Map(watermarks.map((mark) => [mark.partition, mark.high]));
  const pending = new Set<number>();
  for (const mark of watermarks) {
    const start = Number(committed.find((entry) => entry.partition === mark.partition)?.offset ?? '-1');
    if (Math.max(start, Number(mark.low)) < Number(mark.high)) pending.add(mark.partition);
  }
  if (pending.size > 0) await consumeUntilEnd(kafka, options, endOffsets, pending, onRecords);
}

async function consumeUntilEnd(kafka: Kafka, options: TopicRangeOptions, endOffsets: ReadonlyMap<number, string>, pending: Set<number>, onRecords: RangeBatchHandler): Promise<void> {
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let lastProgress = Date.now();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = Number(endOffsets.get(batch.partition) ?? '0');
        const list: RawRecord[] = [];
        for (const message of batch.messages) {
          if (Number(message.offset) >= end) break;
          list.push(rawRecordOf(batch, message));
        }
        onRecords(list);
        lastProgress = Date.now();
        // Compaction leaves gaps: the batch's last offset, not the last message kept, says how far the partition is read.
        if (Number(batch.lastOffset()) >= end - 1 && pending.delete(batch.partition)) {
          consumer.pause([{ topic: options.topic, partitions: [batch.partition] }]);
          if (pending.size === 0) finished();
        }
      },
    });
    const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    while (pending.size > 0) {
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 500))]);
      if (pending.size > 0 && Date.now() - lastProgress > idleTimeoutMs) {
        throw new Error(`reading ${options.topic}: partitions ${[...pending].join(', ')} did not reach their end offsets within ${idleTimeoutMs / 1000} s`);
      }
    }
  } finally {
    await consumer.disconnect();
  }
}
