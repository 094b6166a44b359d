import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { TopicDefinition } from '@cds/contracts';
import type { MessageProducer, TopicAdmin } from '@cds/kafka';
import type { JsonLogger } from '../logging/json-logger.js';

/**
 * Creates the service's topics and connects its producer at start; on shutdown
 * flushes the producer (kafkajs waits for in-flight sends) and closes admin clients.
 */
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly topics: readonly TopicDefinition[],
    private readonly admin: TopicAdmin,
    private readonly probe: TopicAdmin,
    private readonly producer: MessageProducer,
    private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.admin.ensureTopics(this.topics);
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), this.probe.disconnect()]);
    this.logger.pino.info('messaging closed: producer flushed, Kafka clients disconnected');
  }
}
