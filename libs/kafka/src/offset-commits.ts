import type { Consumer } from 'kafkajs';
import { SendCoalescer } from './send-coalescer.js';

/** Where a consumer group resumes in one partition: the offset after the last handled message. */
export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The position after a handled message. */
export function positionAfter(topic: string, partition: number, handledOffset: string): PartitionPosition {
  return { topic, partition, offset: (BigInt(handledOffset) + 1n).toString() };
}

/** The furthest position per topic-partition: what one commit request carries for several handled batches. */
export function furthestPerPartition(positions: readonly PartitionPosition[]): PartitionPosition[] {
  const furthest = new Map<string, PartitionPosition>();
  for (const position of positions) {
    const key = `${position.topic}\u0000${position.partition}`;
    const known = furthest.get(key);
    if (!known || BigInt(position.offset) > BigInt(known.offset)) furthest.set(key, position);
  }
  return [...furthest.values()];
}

/**
 * Commits the positions of handled batches, the ones handed over while a commit
 * is in flight going together in the next request. With kafkajs' auto-commit,
 * every partition batch of a fetch sent its own OffsetCommit, each carrying all
 * partitions: a dozen requests per fetch that the broker and the next fetch wait for.
 */
export function offsetCommitter(consumer: () => Consumer | undefined): SendCoalescer<PartitionPosition> {
  return new SendCoalescer<PartitionPosition>(async (positions) => {
    await consumer()?.commitOffsets(furthestPerPartition(positions));
  }, Number.POSITIVE_INFINITY);
}
