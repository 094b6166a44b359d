import type { Consumer, ConsumerRunConfig, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { ContractViolationError, contractLabel, parseContractValue, prefixedTopic } from '@cds/contracts';
import type { BatchConsumerSubscription, ConsumedMessage, ConsumerSubscription, InvalidMessage, MessageConsumer, MessageCoordinates } from './messaging.ports.js';
import { FetchBatchGatherer } from './fetch-batch-gatherer.js';
import { decodeHeaders } from './message-headers.js';
import { offsetCommitter, positionAfter } from './offset-commits.js';

const DEFAULT_MAX_BATCH_SIZE = 500;

type Decoded<T> = { readonly valid: ConsumedMessage<T> } | { readonly invalid: InvalidMessage };

export class KafkajsMessageConsumer implements MessageConsumer {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
  ) {}

  async start<T extends object>(subscription: ConsumerSubscription<T>): Promise<void> {
    // kafkajs commits an offset only after eachMessage resolves: a handler that
    // throws leaves the message to be delivered again (at-least-once).
    await this.run(subscription, { eachMessage: (payload) => this.dispatch(subscription, payload) });
  }

  async startBatches<T extends object>(subscription: BatchConsumerSubscription<T>): Promise<void> {
    // Offsets are resolved and committed by hand, each only after the chunk holding it was handled.
    const size = subscription.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    const gatherer = new FetchBatchGatherer<ConsumedMessage<T>>(size, (messages) => subscription.onBatch(messages));
    const commits = offsetCommitter(() => this.consumer);
    await this.run(subscription, { autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.dispatchBatch(subscription, gatherer, commits, size, payload) });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async run<T extends object>(subscription: Omit<ConsumerSubscription<T>, 'onMessage'>, handler: Pick<ConsumerRunConfig, 'autoCommit' | 'eachMessage' | 'eachBatch' | 'eachBatchAutoResolve'>): Promise<void> {
    if (this.consumer) throw new Error('This consumer is already started');
    const consumer = this.kafka.consumer({ groupId: `${this.topicPrefix}${subscription.groupId}`, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [prefixedTopic(subscription.contract.topic, this.topicPrefix).name],
      fromBeginning: subscription.fromBeginning ?? false,
    });
    await consumer.run({ autoCommit: true, partitionsConsumedConcurrently: subscription.concurrency ?? 1, ...handler });
  }

  private async dispatch<T extends object>(subscription: ConsumerSubscription<T>, payload: EachMessagePayload): Promise<void> {
    const decoded = decode(subscription, payload.topic, payload.partition, payload.message);
    if ('invalid' in decoded) await subscription.onInvalid(decoded.invalid);
    else await subscription.onMessage(decoded.valid);
  }

  private async dispatchBatch<T extends object>(
    subscription: BatchConsumerSubscription<T>,
    gatherer: FetchBatchGatherer<ConsumedMessage<T>>,
    commits: ReturnType<typeof offsetCommitter>,
    size: number,
    payload: EachBatchPayload,
  ): Promise<void> {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + size);
      const valid: ConsumedMessage<T>[] = [];
      for (const message of chunk) {
        const decoded = decode(subscription, batch.topic, batch.partition, message);
        if ('invalid' in decoded) await subscription.onInvalid(decoded.invalid);
        else valid.push(decoded.valid);
      }
      if (valid.length > 0) await gatherer.submit(valid);
      const last = (chunk[chunk.length - 1] as KafkaMessage).offset;
      payload.resolveOffset(last);
      await commits.enqueue([positionAfter(batch.topic, batch.partition, last)]);
      await payload.heartbeat();
    }
  }
}

function decode<T extends object>(subscription: Pick<ConsumerSubscription<T>, 'contract'>, topic: string, partition: number, message: KafkaMessage): Decoded<T> {
  const coordinates: MessageCoordinates = {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    headers: decodeHeaders(message.headers),
  };
  const rawValue = message.value?.toString() ?? null;
  try {
    return { valid: { ...coordinates, value: parseContractValue(subscription.contract, parseJson(subscription.contract, rawValue)) } };
  } catch (error) {
    if (!(error instanceof ContractViolationError)) throw error;
    return { invalid: { ...coordinates, rawValue, error } };
  }
}

function parseJson(contract: Parameters<typeof contractLabel>[0], rawValue: string | null): unknown {
  if (rawValue === null) throw new ContractViolationError(contractLabel(contract), ['value: is empty (tombstone)']);
  try {
    return JSON.parse(rawValue) as unknown;
  } catch {
    throw new ContractViolationError(contractLabel(contract), ['value: is not valid JSON']);
  }
}
