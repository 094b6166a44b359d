import type { Provider } from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import type { InvalidMessage, MessageProducer, SerializedMessage } from '@cds/kafka';
import { MetricsService, type JsonLogger } from '@cds/service-kit';
import { deadLetterOf } from '../bridge/insights-batch-processor.js';
import { SyncEnv } from '../config/sync-env.js';
import { CrmContactsClient } from '../crm/crm-contacts.client.js';
import { CrmEnrichmentClient } from '../crm/crm-enrichment.client.js';
import type { CrmClientOptions } from '../crm/crm-request.js';
import { MatchStore } from '../matching/match-store.js';
import { SyncMetrics } from '../metrics/sync-metrics.js';

/** The per-message consumers' series: messages handled, by consumer group and outcome. */
export class LifecycleMetrics {
  readonly handled: Counter<'group' | 'outcome'>;

  constructor(metrics: MetricsService) {
    this.handled = new Counter({
      name: 'sync_lifecycle_messages_total',
      help: 'Contact changes, profile merges and erasures handled by the sync bridge, by consumer group and outcome',
      labelNames: ['group', 'outcome'],
      registers: [metrics.registry],
    });
  }
}

/** The CRM clients, one match store and one set of metrics for the insights bridge and the per-message consumers. */
export const syncSharedProviders: Provider[] = [
  { provide: SyncMetrics, inject: [MetricsService], useFactory: (metrics: MetricsService) => new SyncMetrics(metrics.registry) },
  { provide: LifecycleMetrics, inject: [MetricsService], useFactory: (metrics: MetricsService) => new LifecycleMetrics(metrics) },
  { provide: MatchStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new MatchStore(dataSource) },
  { provide: CrmEnrichmentClient, inject: [SyncEnv, SyncMetrics], useFactory: (env: SyncEnv, metrics: SyncMetrics) => new CrmEnrichmentClient(crmClientOptions(env, metrics)) },
  { provide: CrmContactsClient, inject: [SyncEnv, SyncMetrics], useFactory: (env: SyncEnv, metrics: SyncMetrics) => new CrmContactsClient(crmClientOptions(env, metrics)) },
];

/** The CRM's internal endpoints with the sync key, every request timed on sync_crm_request_duration_seconds. */
function crmClientOptions(env: SyncEnv, metrics: SyncMetrics): CrmClientOptions {
  return { baseUrl: env.CRM_URL, apiKey: env.CRM_SYNC_API_KEY, observe: (seconds, outcome) => metrics.crmLatency.observe({ outcome }, seconds) };
}

/** A message that breaks its contract goes to sync.dead-letters.v1 as it was, with the reason and where it came from. */
export async function deadLetterInvalid(producer: MessageProducer, logger: JsonLogger, message: InvalidMessage): Promise<SerializedMessage> {
  return deadLetter(producer, logger, message, message.rawValue, message.error.message);
}

export async function deadLetter(
  producer: MessageProducer,
  logger: JsonLogger,
  coordinates: Pick<InvalidMessage, 'topic' | 'partition' | 'offset' | 'key' | 'headers'>,
  value: string | null,
  reason: string,
): Promise<SerializedMessage> {
  const letter = deadLetterOf({ topic: coordinates.topic, partition: coordinates.partition, offset: coordinates.offset, key: coordinates.key, value, headers: coordinates.headers }, reason);
  await producer.sendSerialized([letter]);
  logger.pino.warn({ deadLetter: letter.headers }, 'message dead-lettered');
  return letter;
}
