import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { rawEventV1, type RawEventV1 } from '@cds/contracts';
import type { ConsumedMessage, InvalidMessage, MessageConsumer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MetricsService, type MessageConsumerFactory } from '@cds/service-kit';
import { SourcesService } from '../sources/sources.service.js';
import { EventIngestionService } from './event-ingestion.service.js';

/**
 * The CDP's event processors: a consumer group over the raw-events topic, so
 * several CDP instances share its partitions. Offsets are committed only after
 * an event is stored, so a crash redelivers and the messageId check drops the repeat.
 */
@Injectable()
export class RawEventProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: MessageConsumer;
  private readonly processed: Counter<'outcome'>;

  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    private readonly ingestion: EventIngestionService,
    private readonly sources: SourcesService,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
  ) {
    this.consumer = consumerFactory();
    this.processed = new Counter({ name: 'cdp_events_processed_total', help: 'Raw events processed, by outcome', labelNames: ['outcome'], registers: [metrics.registry] });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start({
      groupId: 'cdp-event-processor',
      contract: rawEventV1,
      fromBeginning: true,
      concurrency: 4,
      onMessage: (message) => this.process(message),
      onInvalid: (message) => this.skipInvalid(message),
    });
  }

  /** Stop consuming first, while the database is still there for the in-flight event. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async process(message: ConsumedMessage<RawEventV1>): Promise<void> {
    const outcome = await this.ingestion.ingest(message.value, await this.sources.describe(message.value.sourceId));
    this.processed.inc({ outcome });
  }

  private async skipInvalid(message: InvalidMessage): Promise<void> {
    // Only the CDP's own API writes this topic, so this means a bug or a foreign writer: log loudly, move on.
    this.processed.inc({ outcome: 'invalid' });
    this.logger.pino.error({ topic: message.topic, partition: message.partition, offset: message.offset, reason: message.error.message }, 'invalid raw event skipped');
  }
}
