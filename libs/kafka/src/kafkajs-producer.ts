import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { contractLabel, prefixedTopic, serializeContractValue, type MessageContract } from '@cds/contracts';
import type { MessageProducer } from './messaging.ports.js';
import { contractHeaders } from './message-headers.js';

export class KafkajsMessageProducer implements MessageProducer {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly topicPrefix: string,
  ) {
    // Idempotent with one request in flight: retries can neither duplicate nor
    // reorder messages of one key, which per-customer ordering relies on.
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async publish<T extends object>(contract: MessageContract<T>, values: readonly T[]): Promise<void> {
    if (values.length === 0) return;
    // Serialise (and so validate) everything first: one bad value sends nothing.
    const messages = values.map((value) => ({
      key: contract.keyOf(value),
      value: serializeContractValue(contract, value),
      headers: contractHeaders(contractLabel(contract), contract.schemaVersion),
    }));
    await this.producer.send({
      topic: prefixedTopic(contract.topic, this.topicPrefix).name,
      acks: -1,
      compression: CompressionTypes.None,
      messages,
    });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
