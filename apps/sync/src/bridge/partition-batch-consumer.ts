import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { prefixedTopic, type TopicDefinition } from '@cds/contracts';
import { decodeHeaders, FetchBatchGatherer, offsetCommitter, positionAfter } from '@cds/kafka';
import type { JsonLogger } from '@cds/service-kit';
import { backoffDelayMs } from './backoff.js';

/** One raw message as read from Kafka (the value is not parsed yet). */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message of a fetched kafkajs batch as a RawRecord of that batch's topic and partition. */
export function rawRecordOf(batch: Pick<Batch, 'topic' | 'partition'>, message: KafkaMessage): RawRecord {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers: decodeHeaders(message.headers),
  };
}

export interface PartitionBatchSubscription {
  /** Unprefixed; the service's topic prefix is prepended, as for every consumer group of the stack. */
  readonly groupId: string;
  readonly topic: TopicDefinition;
  readonly fromBeginning?: boolean;
  /** Partitions handled at once; order is kept within each partition. */
  readonly concurrency?: number;
  /** What several partitions deliver in one fetch is handed over together, up to this many messages (a partition's batch is never split). */
  readonly maxBatchSize: number;
  /**
   * The messages of one fetch, each partition's in offset order. Resolving
   * commits all of them; throwing commits none: their partitions are paused and
   * the same messages are handed over again after an exponential back-off.
   */
  onBatch(records: readonly RawRecord[]): Promise<void>;
  /** After each batch: how many messages of the partition are still to be handled (its consumer lag). */
  onLag?(topic: string, partition: number, lag: number): void;
}

/** The bridge's own batch port: the project's MessageConsumer hands over one message at a time. */
export interface PartitionBatchConsumer {
  start(subscription: PartitionBatchSubscription): Promise<void>;
  stop(): Promise<void>;
}

/** kafkajs eachBatch with offsets resolved by hand, only once a whole batch is handled. */
export class KafkajsPartitionBatchConsumer implements PartitionBatchConsumer {
  private consumer: Consumer | undefined;
  private readonly attempts = new Map<number, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
    private readonly logger: JsonLogger,
    private readonly backoff: (attempt: number) => number = (attempt) => backoffDelayMs(attempt),
  ) {}

  async start(subscription: PartitionBatchSubscription): Promise<void> {
    if (this.consumer) throw new Error('This consumer is already started');
    // A member that died without leaving (SIGKILL) holds its partitions until its session times out:
    // 10 s rather than kafkajs' 30 s, so a restarted bridge resumes sooner. Heartbeats every 3 s keep a
    // live member (even one whose partitions are paused while the CRM recovers) well inside it.
    const consumer = this.kafka.consumer({ groupId: `${this.topicPrefix}${subscription.groupId}`, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 3000 });
    this.consumer = consumer;
    const gatherer = new FetchBatchGatherer<RawRecord>(subscription.maxBatchSize, (records) => subscription.onBatch(records));
    const commits = offsetCommitter(() => this.consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [prefixedTopic(subscription.topic, this.topicPrefix).name], fromBeginning: subscription.fromBeginning ?? false });
    await consumer.run({
      // Committed by hand once a batch is handled, one request for the partitions handled together.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: subscription.concurrency ?? 1,
      eachBatch: (payload) => this.handle(consumer, subscription, gatherer, commits, payload),
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async handle(
    consumer: Consumer,
    subscription: PartitionBatchSubscription,
    gatherer: FetchBatchGatherer<RawRecord>,
    commits: ReturnType<typeof offsetCommitter>,
    payload: EachBatchPayload,
  ): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const records = batch.messages.map((message) => rawRecordOf(batch, message));
    try {
      await gatherer.submit(records);
    } catch (error) {
      // Nothing resolved: kafkajs fetches again from the last resolved offset once
      // the partition is resumed. Meanwhile its fetch loop keeps heartbeating, so
      // this member stays in the group and keeps its other partitions going.
      const attempt = (this.attempts.get(batch.partition) ?? 0) + 1;
      this.attempts.set(batch.partition, attempt);
      const delayMs = this.backoff(attempt);
      this.logger.pino.warn({ err: error, topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset(), attempt, retryInMs: delayMs }, 'batch not applied; partition paused, will retry');
      payload.pause();
      subscription.onLag?.(batch.topic, batch.partition, Number(batch.highWatermark) - Number(batch.firstOffset() ?? batch.highWatermark));
      const timer = setTimeout(() => {
        this.resumeTimers.delete(timer);
        if (this.consumer === consumer) consumer.resume([{ topic: batch.topic, partitions: [batch.partition] }]);
      }, delayMs);
      this.resumeTimers.add(timer);
      return;
    }
    this.attempts.delete(batch.partition);
    subscription.onLag?.(batch.topic, batch.partition, Number(batch.offsetLag()));
    payload.resolveOffset(batch.lastOffset());
    await commits.enqueue([positionAfter(batch.topic, batch.partition, batch.lastOffset())]);
    await payload.heartbeat();
  }
}
