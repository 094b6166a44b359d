import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { ContractViolationError, contractLabel, parseContractValue, prefixedTopic } from '@cds/contracts';
import type { ConsumerSubscription, MessageConsumer, MessageCoordinates } from './messaging.ports.js';
import { decodeHeaders } from './message-headers.js';

export class KafkajsMessageConsumer implements MessageConsumer {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
  ) {}

  async start<T extends object>(subscription: ConsumerSubscription<T>): Promise<void> {
    if (this.consumer) throw new Error('This consumer is already started');
    const consumer = this.kafka.consumer({ groupId: `${this.topicPrefix}${subscription.groupId}`, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [prefixedTopic(subscription.contract.topic, this.topicPrefix).name],
      fromBeginning: subscription.fromBeginning ?? false,
    });
    // kafkajs commits an offset only after eachMessage resolves: a handler that
    // throws leaves the message to be delivered again (at-least-once).
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: subscription.concurrency ?? 1,
      eachMessage: (payload) => this.dispatch(subscription, payload),
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async dispatch<T extends object>(subscription: ConsumerSubscription<T>, payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    const coordinates: MessageCoordinates = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      headers: decodeHeaders(message.headers),
    };
    const rawValue = message.value?.toString() ?? null;
    let value: T;
    try {
      value = parseContractValue(subscription.contract, parseJson(subscription.contract, rawValue));
    } catch (error) {
      if (!(error instanceof ContractViolationError)) throw error;
      await subscription.onInvalid({ ...coordinates, rawValue, error });
      return;
    }
    await subscription.onMessage({ ...coordinates, value });
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
