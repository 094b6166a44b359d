import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import { contractLabel, serializeContractValue, type MessageContract } from '@cds/contracts';
import type { MessageProducer, SerializedMessage } from './messaging.ports.js';
import { contractHeaders } from './message-headers.js';
import { SendCoalescer } from './send-coalescer.js';

// Well under the broker's default 1 MB per partition batch for events of a few hundred bytes.
const MAX_MESSAGES_PER_REQUEST = 2000;

export class KafkajsMessageProducer implements MessageProducer {
  private readonly producer: Producer;
  private readonly coalescer = new SendCoalescer<SerializedMessage>((messages) => this.sendNow(messages), MAX_MESSAGES_PER_REQUEST);

  constructor(
    kafka: Kafka,
    private readonly topicPrefix: string,
  ) {
    // One request in flight: a retry cannot reorder messages of one key, which
    // per-customer ordering relies on. Not kafkajs' idempotent mode, which needs
    // unbounded retries (a caller must hear of an outage); consumers deduplicate.
    this.producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async publish<T extends object>(contract: MessageContract<T>, values: readonly T[]): Promise<void> {
    if (values.length === 0) return;
    // Serialise (and so validate) everything first: one bad value sends nothing.
    const headers = contractHeaders(contractLabel(contract), contract.schemaVersion);
    await this.sendSerialized(values.map((value) => ({ topic: contract.topic.name, key: contract.keyOf(value), value: serializeContractValue(contract, value), headers })));
  }

  /** Concurrent calls share produce requests; each call resolves once its own messages are acknowledged. */
  sendSerialized(messages: readonly SerializedMessage[]): Promise<void> {
    return this.coalescer.enqueue(messages);
  }

  private async sendNow(messages: readonly SerializedMessage[]): Promise<void> {
    const byTopic = new Map<string, { key: string | null; value: string | null; headers: Record<string, string> }[]>();
    for (const message of messages) {
      const topic = `${this.topicPrefix}${message.topic}`;
      const list = byTopic.get(topic) ?? [];
      list.push({ key: message.key, value: message.value, headers: message.headers });
      byTopic.set(topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
  }

  async disconnect(): Promise<void> {
    await this.coalescer.idle();
    await this.producer.disconnect();
  }
}
