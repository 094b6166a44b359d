import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MessageProducer } from '@cds/kafka';
import type { TopicDefinition } from '@cds/contracts';
import type { ServiceEnv } from './config/service-env.js';
import { openServiceDatabase, postgresDataSourceOptions, type ServiceDatabase } from './database/postgres-database.js';
import { HealthController } from './health/health.controller.js';
import { JsonLogger } from './logging/json-logger.js';
import { kafkaSettingsFrom, messagingProviders } from './messaging/messaging.providers.js';
import { KAFKA_CLIENT, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, TOPIC_ADMIN } from './messaging/messaging.tokens.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { RequestLoggingMiddleware } from './metrics/request-logging.middleware.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { OutboxWriter } from './outbox/outbox-writer.js';

export interface ServiceKitOptions {
  /** Short service name: the Kafka client id and the `service` field of every log line. */
  readonly service: string;
  readonly env: ServiceEnv;
  readonly database: Omit<ServiceDatabase, 'url'>;
  /** Topics the service produces or consumes; created at start when missing. */
  readonly topics: readonly TopicDefinition[];
  readonly logger: JsonLogger;
  /** The service's migrations create an `outbox` table: provide OutboxWriter and run the relay. */
  readonly outbox?: boolean;
}

/**
 * What every service of the stack has: its own database (migrated at start),
 * Kafka clients behind the project's messaging ports, JSON logs, `/health` and `/metrics`.
 */
@Module({})
export class ServiceKitModule implements NestModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const database: ServiceDatabase = { ...options.database, url: options.env.DATABASE_URL };
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => postgresDataSourceOptions(database, options.logger),
          dataSourceFactory: () => openServiceDatabase(database, options.logger),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: JsonLogger, useValue: options.logger },
        MetricsService,
        RequestLoggingMiddleware,
        ...messagingProviders(kafkaSettingsFrom(options.service, options.env), options.topics),
        ...(options.outbox
          ? [
              OutboxWriter,
              {
                provide: OutboxRelay,
                inject: [getDataSourceToken(), MESSAGE_PRODUCER, JsonLogger, MetricsService],
                useFactory: (dataSource: DataSource, producer: MessageProducer, logger: JsonLogger, metrics: MetricsService) =>
                  new OutboxRelay(dataSource, database.url, producer, logger, metrics.registry),
              },
            ]
          : []),
      ],
      exports: [JsonLogger, MetricsService, KAFKA_CLIENT, TOPIC_ADMIN, MESSAGE_PRODUCER, MESSAGE_CONSUMER_FACTORY, ...(options.outbox ? [OutboxWriter, OutboxRelay] : [])],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggingMiddleware).forRoutes('{*path}');
  }
}
