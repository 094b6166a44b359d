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

  async ensureTopics(topics: readonly TopicDefinition[], timeoutMs = 30_000): Promise<void> {
    await this.connect();
    const wanted = topics.map((topic) => prefixedTopic(topic, this.topicPrefix));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const existing = new Set(await this.admin.listTopics());
      const missing = wanted.filter((topic) => !existing.has(topic.name));
      // Services starting together race to create shared topics: a creation error
      // is judged only by what exists afterwards.
      const failure = missing.length > 0 ? await this.create(missing) : undefined;
      if (await this.allHaveLeaders(wanted.map((topic) => topic.name))) return;
      if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs / 1000} s: ${wanted.map((topic) => topic.name).join(', ')}${failure ? ` (${failure})` : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async create(topics: readonly TopicDefinition[]): Promise<string | undefined> {
    try {
      await this.admin.createTopics({
        topics: topics.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: -1,
          configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
        })),
      });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** A topic just created (by us or another service) serves clients once every partition has a leader. */
  private async allHaveLeaders(names: readonly string[]): Promise<boolean> {
    try {
      const metadata = await this.admin.fetchTopicMetadata({ topics: [...names] });
      return metadata.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0));
    } catch {
      return false;
    }
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
