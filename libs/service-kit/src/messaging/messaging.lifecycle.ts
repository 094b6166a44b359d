import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { TopicDefinition } from '@cds/contracts';
import type { MessageProducer, TopicAdmin } from '@cds/kafka';
import type { JsonLogger } from '../logging/json-logger.js';

/**
 * Creates the service's topics and connects its producer while modules
 * initialise, so that consumers, which start at application bootstrap, find
 * their topics in place; on shutdown
 * flushes the producer (kafkajs waits for in-flight sends) and closes admin clients.
 */
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly topics: readonly TopicDefinition[],
    private readonly admin: TopicAdmin,
    private readonly probe: TopicAdmin,
    private readonly producer: MessageProducer,
    private readonly logger: JsonLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admin.ensureTopics(this.topics);
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), this.probe.disconnect()]);
    this.logger.pino.info('messaging closed: producer flushed, Kafka clients disconnected');
  }
}
