import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message } from 'kafkajs';
import type { MessageContract, TopicDefinition } from '@cds/contracts';
import { createKafkajsClient, KafkajsMessageProducer, KafkajsTopicAdmin, type SerializedMessage } from '@cds/kafka';

export interface TopicMessage {
  readonly key: string | null;
  readonly value: string | null;
  readonly partition: number;
  readonly headers: Record<string, string>;
}

interface Connection {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * The test's own Kafka clients on one topic prefix (topics are named without it): producing as the CDP does, or raw
 * (a chosen partition, text no service would send), and reading topics. Each client connects on first use.
 */
export class TestKafka {
  private readonly kafka: Kafka;
  private readonly connections: Connection[] = [];
  private contractProducer: Promise<KafkajsMessageProducer> | undefined;
  private rawProducer: Promise<ReturnType<Kafka['producer']>> | undefined;
  private admin: Promise<ReturnType<Kafka['admin']>> | undefined;

  constructor(
    private readonly brokers: string,
    readonly topicPrefix: string,
  ) {
    this.kafka = new Kafka({ brokers: [brokers], clientId: 'sync-e2e', logLevel: logLevel.NOTHING });
  }

  /** Contract values through the services' own producer: their headers, their partitioner. */
  async publish<T extends object>(contract: MessageContract<T>, values: readonly T[]): Promise<void> {
    await (await this.contracts()).publish(contract, values);
  }

  /** Already serialised messages (a tombstone: `value: null`) through the services' own producer. */
  async sendSerialized(messages: readonly SerializedMessage[]): Promise<void> {
    await (await this.contracts()).sendSerialized(messages);
  }

  /** Messages exactly as given, to a partition of their own choosing. */
  async send(topic: string, messages: Message[]): Promise<void> {
    this.rawProducer ??= this.connected(this.kafka.producer());
    await (await this.rawProducer).send({ topic: this.topic(topic), messages });
  }

  /** Every message of a topic from its beginning, collected by a reader of its own as they arrive. */
  async read(topic: string): Promise<TopicMessage[]> {
    const seen: TopicMessage[] = [];
    const reader = await this.connected(this.kafka.consumer({ groupId: `reader-${randomUUID()}` }));
    await reader.subscribe({ topic: this.topic(topic), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) =>
        void seen.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          partition,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
        }),
    });
    return seen;
  }

  /** How many messages a topic holds, over all its partitions. */
  async messageCount(topic: string): Promise<number> {
    this.admin ??= this.connected(this.kafka.admin());
    const offsets = await (await this.admin).fetchTopicOffsets(this.topic(topic));
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  }

  /** Creates topics as the services do (their partitions and configs), for messages sent before any service started. */
  async ensureTopics(topics: readonly TopicDefinition[]): Promise<void> {
    const admin = new KafkajsTopicAdmin(createKafkajsClient({ brokers: [this.brokers], clientId: 'sync-e2e', topicPrefix: this.topicPrefix }), this.topicPrefix);
    try {
      await admin.ensureTopics(topics);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.connections.map((connection) => connection.disconnect()));
  }

  private contracts(): Promise<KafkajsMessageProducer> {
    this.contractProducer ??= this.connected(new KafkajsMessageProducer(createKafkajsClient({ brokers: [this.brokers], clientId: 'sync-e2e', topicPrefix: this.topicPrefix }), this.topicPrefix));
    return this.contractProducer;
  }

  private topic(name: string): string {
    return `${this.topicPrefix}${name}`;
  }

  private async connected<C extends Connection>(connection: C): Promise<C> {
    this.connections.push(connection);
    await connection.connect();
    return connection;
  }
}
