import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { rawEventV1, type RawEventV1 } from '@cds/contracts';
import type { ConsumedMessage, InvalidMessage, MessageConsumer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MetricsService, type MessageConsumerFactory } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { SourcesService } from '../sources/sources.service.js';
import { EventBatchIngestionService } from './event-batch-ingestion.service.js';
import type { SourcedEvent } from './event-batch.js';
import { EventIngestionService, type IngestionOutcome } from './event-ingestion.service.js';

// Events per transaction: large enough to spread its fixed costs, small enough to keep each commit well under a second.
const BATCH_SIZE = 500;

/**
 * The CDP's event processors: a consumer group over the raw-events topic, so
 * several CDP instances share its partitions. What one fetch brings from
 * every partition is processed in one transaction (each partition's events in
 * order); offsets are committed only after it commits, so a crash redelivers and the messageId check drops the repeats.
 */
@Injectable()
export class RawEventProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: MessageConsumer;
  private readonly processed: Counter<'outcome'>;
  private readonly batchSize: Histogram;
  private readonly batchDuration: Histogram;
  private readonly delay: Histogram;

  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    private readonly batches: EventBatchIngestionService,
    private readonly ingestion: EventIngestionService,
    private readonly sources: SourcesService,
    private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.consumer = consumerFactory();
    const registers = [metrics.registry];
    this.processed = new Counter({ name: 'cdp_events_processed_total', help: 'Raw events processed, by outcome', labelNames: ['outcome'], registers });
    this.batchSize = new Histogram({ name: 'cdp_event_batch_size', help: 'Events per processing batch (one fetch of every partition)', buckets: [1, 5, 10, 25, 50, 100, 250, 500], registers });
    this.batchDuration = new Histogram({ name: 'cdp_event_batch_duration_seconds', help: 'Time to process one batch of events', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    // The freshness operators watch: from the collector's 200 (receivedAt, on the CDP clock) to the event's insights committed.
    this.delay = new Histogram({ name: 'cdp_event_processing_delay_seconds', help: 'Time from an event accepted to its processing committed', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.startBatches({
      groupId: 'cdp-event-processor',
      contract: rawEventV1,
      fromBeginning: true,
      // Every partition's batch at once: kafkajs fetches again only when all are handled, so processing
      // them in rounds would make an event wait for several transactions (measured: p50 2.2 s → 0.5 s end to end).
      concurrency: rawEventV1.topic.partitions,
      maxBatchSize: BATCH_SIZE,
      onBatch: (messages) => this.process(messages),
      onInvalid: (message) => this.skipInvalid(message),
    });
  }

  /** Stop consuming first, while the database is still there for the in-flight batch. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async process(messages: readonly ConsumedMessage<RawEventV1>[]): Promise<void> {
    const endTimer = this.batchDuration.startTimer();
    const batch = await Promise.all(messages.map(async (message) => ({ event: message.value, source: await this.sources.describe(message.value.sourceId) })));
    let outcomes: (IngestionOutcome | 'failed')[];
    try {
      outcomes = await this.batches.ingest(batch);
    } catch (error) {
      const partitions = [...new Set(messages.map((message) => message.partition))];
      this.logger.pino.warn({ err: error, topic: messages[0]?.topic, partitions, size: messages.length }, 'batch failed; processing its events one by one');
      outcomes = await this.oneByOne(batch, messages);
    }
    for (const outcome of outcomes) this.processed.inc({ outcome });
    endTimer();
    this.batchSize.observe(messages.length);
    const now = this.clock.now().getTime();
    for (const { value } of messages) this.delay.observe(Math.max(0, now - Date.parse(value.receivedAt)) / 1000);
  }

  /**
   * Isolates the event that failed the batch: the others are stored, and one that
   * fails on its own while the database answers is skipped (logged loudly) rather
   * than blocking its partition. With the database down, the batch is retried.
   */
  private async oneByOne(batch: readonly SourcedEvent[], messages: readonly ConsumedMessage<RawEventV1>[]): Promise<(IngestionOutcome | 'failed')[]> {
    const outcomes: (IngestionOutcome | 'failed')[] = [];
    for (const [index, { event, source }] of batch.entries()) {
      try {
        outcomes.push(await this.ingestion.ingest(event, source));
      } catch (error) {
        await this.dataSource.query('SELECT 1').catch((unreachable: unknown) => {
          throw new Error('database unavailable while processing a batch', { cause: unreachable });
        });
        const message = messages[index];
        this.logger.pino.error({ err: error, topic: message?.topic, partition: message?.partition, offset: message?.offset, messageId: event.messageId }, 'raw event could not be processed; skipped');
        outcomes.push('failed');
      }
    }
    return outcomes;
  }

  private async skipInvalid(message: InvalidMessage): Promise<void> {
    // Only the CDP's own API writes this topic, so this means a bug or a foreign writer: log loudly, move on.
    this.processed.inc({ outcome: 'invalid' });
    this.logger.pino.error({ topic: message.topic, partition: message.partition, offset: message.offset, reason: message.error.message }, 'invalid raw event skipped');
  }
}
