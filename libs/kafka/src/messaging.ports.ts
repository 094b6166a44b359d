import type { ContractViolationError, MessageContract, TopicDefinition } from '@cds/contracts';

/**
 * The project's own messaging interface. Services depend on these types only, so
 * the Kafka client behind them (kafkajs today) can be swapped without touching them.
 */
/** A message already validated and serialised (e.g. read back from a transactional outbox). */
export interface SerializedMessage {
  /** Unprefixed topic name, as in the topic catalogue. */
  readonly topic: string;
  readonly key: string | null;
  /** JSON text, or null for a tombstone on a compacted topic. */
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface MessageProducer {
  connect(): Promise<void>;
  /** Validates every value against its contract, then sends them with acks from all in-sync replicas. */
  publish<T extends object>(contract: MessageContract<T>, values: readonly T[]): Promise<void>;
  /** Sends serialised messages in order, acks from all in-sync replicas. */
  sendSerialized(messages: readonly SerializedMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface MessageCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ConsumedMessage<T> extends MessageCoordinates {
  readonly value: T;
}

/** A message that reached a consumer but breaks its contract (a poison message). */
export interface InvalidMessage extends MessageCoordinates {
  readonly rawValue: string | null;
  readonly error: ContractViolationError;
}

export interface ConsumerSubscription<T extends object> {
  readonly groupId: string;
  readonly contract: MessageContract<T>;
  /** Start from the earliest offset when the group has no committed offset yet. */
  readonly fromBeginning?: boolean;
  /** How many partitions are handled at once (order is kept within each partition). Default 1. */
  readonly concurrency?: number;
  /** Resolving commits the message; throwing retries it (at-least-once). */
  onMessage(message: ConsumedMessage<T>): Promise<void>;
  /** Resolving commits past the poison message so the partition moves on. */
  onInvalid(message: InvalidMessage): Promise<void>;
}

/**
 * Batch mode: valid messages handed over together so the handler can apply them
 * in one transaction. Each partition's messages come in offset order; what
 * several partitions deliver in one fetch is handed over in one call (up to
 * maxBatchSize messages), so a steady trickle over many partitions does not cost
 * one transaction per partition.
 */
export interface BatchConsumerSubscription<T extends object> extends Omit<ConsumerSubscription<T>, 'onMessage'> {
  /** At most this many messages per call (a partition's fetched batch is split; several partitions' are joined up to it). Default 500. */
  readonly maxBatchSize?: number;
  /** Resolving commits every message handed over; throwing commits none of them (they are delivered again). */
  onBatch(messages: readonly ConsumedMessage<T>[]): Promise<void>;
}

export interface MessageConsumer {
  start<T extends object>(subscription: ConsumerSubscription<T>): Promise<void>;
  startBatches<T extends object>(subscription: BatchConsumerSubscription<T>): Promise<void>;
  /** Stops fetching, lets the in-flight message finish, leaves the group. */
  stop(): Promise<void>;
}

export interface TopicAdmin {
  /** Creates the missing topics with their partitions and configs; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicDefinition[], timeoutMs?: number): Promise<void>;
  /** Resolves when a broker answers within the timeout, rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  disconnect(): Promise<void>;
}
