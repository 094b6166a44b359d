import type { Admin, Kafka } from 'kafkajs';
import { prefixedTopic, type TopicDefinition } from '@cds/contracts';
import type { TopicAdmin } from './messaging.ports.js';

export class KafkajsTopicAdmin implements TopicAdmin {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly topicPrefix: string,
  ) {
    this.admin = kafka.admin();
  }

  async ensureTopics(topics: readonly TopicDefinition[]): Promise<void> {
    await this.connect();
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.map((topic) => prefixedTopic(topic, this.topicPrefix)).filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: -1,
        configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async ping(timeoutMs: number): Promise<void> {
    await withTimeout(
      (async () => {
        await this.connect();
        await this.admin.describeCluster();
      })(),
      timeoutMs,
      'Kafka did not answer',
    );
  }

  async disconnect(): Promise<void> {
    this.connected = undefined;
    await this.admin.disconnect();
  }

  private async connect(): Promise<void> {
    // A failed connect is forgotten so the next call (e.g. the next health check) retries it.
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${timeoutMs} ms`)), timeoutMs);
  });
  // The loser of the race must not surface later as an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
