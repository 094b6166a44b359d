import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { CRM_BATCH_LIMIT, TOPICS } from '@cds/contracts';
import type { MessageProducer } from '@cds/kafka';
import { JsonLogger, KAFKA_CLIENT, MESSAGE_PRODUCER } from '@cds/service-kit';
import { SyncEnv } from '../config/sync-env.js';
import { CrmContactsClient } from '../crm/crm-contacts.client.js';
import { CrmEnrichmentClient } from '../crm/crm-enrichment.client.js';
import { MatchStore } from '../matching/match-store.js';
import { SyncMetrics } from '../metrics/sync-metrics.js';
import { loggedInsightsDependencies } from '../sync-log/insights-log.js';
import type { SyncLogEntry } from '../sync-log/sync-log-entry.js';
import { SyncLog } from '../sync-log/sync-log.js';
import { processInsightsBatch, type InsightsBatchDependencies } from './insights-batch-processor.js';
import { KafkajsPartitionBatchConsumer, type PartitionBatchConsumer } from './partition-batch-consumer.js';

export const INSIGHTS_GROUP_ID = 'sync-insights';

/** Consumer group `sync-insights` over cdp.profile-insights.v1: CDP insights onto CRM contacts. */
@Injectable()
export class InsightsBridge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: PartitionBatchConsumer;
  private readonly upsert: boolean;

  constructor(
    env: SyncEnv,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    private readonly crm: CrmEnrichmentClient,
    private readonly store: MatchStore,
    private readonly metrics: SyncMetrics,
    private readonly logger: JsonLogger,
    private readonly syncLog: SyncLog,
    private readonly contacts: CrmContactsClient,
  ) {
    this.upsert = env.SYNC_MODE === 'upsert';
    this.consumer = new KafkajsPartitionBatchConsumer(kafka, env.KAFKA_TOPIC_PREFIX, logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start({
      groupId: INSIGHTS_GROUP_ID,
      topic: TOPICS.cdpProfileInsights,
      fromBeginning: true,
      // Every partition's batch at once (see the CDP's raw-event processor), joined into one CRM request per fetch.
      concurrency: TOPICS.cdpProfileInsights.partitions,
      maxBatchSize: CRM_BATCH_LIMIT,
      onLag: (topic, partition, lag) => this.metrics.consumerLag.set({ topic, partition: String(partition) }, lag),
      onBatch: async (records) => {
        const logged: SyncLogEntry[] = [];
        const deps: InsightsBatchDependencies = {
          sendToCrm: (batch) => this.crm.send(batch),
          createContacts: this.upsert ? (batch) => this.contacts.create(batch) : undefined,
          links: (profileIds) => this.store.links(profileIds),
          record: (changes) => this.store.record(changes),
          deadLetter: (messages) => this.deadLetter(messages),
          metrics: this.metrics,
        };
        await processInsightsBatch(records, loggedInsightsDependencies(records, deps, logged));
        // Only once the batch went through (a failed one is handed over again): buffered, written in the background.
        this.syncLog.append(logged);
      },
    });
    this.logger.pino.info({ groupId: INSIGHTS_GROUP_ID }, 'insights bridge consuming');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async deadLetter(messages: Parameters<MessageProducer['sendSerialized']>[0]): Promise<void> {
    await this.producer.sendSerialized(messages);
    for (const message of messages) this.logger.pino.warn({ deadLetter: message.headers }, 'insights message dead-lettered');
  }
}
