import type { Provider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { TopicDefinition } from '@cds/contracts';
import {
  createKafkajsClient,
  KafkajsMessageConsumer,
  type MessageConsumer,
  KafkajsMessageProducer,
  KafkajsTopicAdmin,
  parseBrokerList,
  type KafkaSettings,
  type MessageProducer,
  type TopicAdmin,
} from '@cds/kafka';
import { JsonLogger } from '../logging/json-logger.js';
import type { ServiceEnv } from '../config/service-env.js';
import { KAFKA_CLIENT, KAFKA_HEALTH_PROBE, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, TOPIC_ADMIN } from './messaging.tokens.js';

export type MessageConsumerFactory = () => MessageConsumer;
import { MessagingLifecycle } from './messaging.lifecycle.js';

export function kafkaSettingsFrom(service: string, env: ServiceEnv): KafkaSettings {
  return { brokers: parseBrokerList(env.KAFKA_BROKERS), clientId: service, topicPrefix: env.KAFKA_TOPIC_PREFIX };
}

export function messagingProviders(settings: KafkaSettings, topics: readonly TopicDefinition[]): Provider[] {
  return [
    {
      provide: KAFKA_CLIENT,
      inject: [JsonLogger],
      useFactory: (logger: JsonLogger): Kafka =>
        createKafkajsClient(settings, (level, message, extra) => logger.pino[level]({ kafka: extra }, message)),
    },
    {
      provide: TOPIC_ADMIN,
      inject: [KAFKA_CLIENT],
      useFactory: (kafka: Kafka): TopicAdmin => new KafkajsTopicAdmin(kafka, settings.topicPrefix),
    },
    {
      provide: KAFKA_HEALTH_PROBE,
      useFactory: (): TopicAdmin =>
        new KafkajsTopicAdmin(
          createKafkajsClient({ ...settings, clientId: `${settings.clientId}-health` }, () => undefined, {
            retries: 0,
            connectionTimeoutMs: 1000,
            requestTimeoutMs: 2000,
          }),
          settings.topicPrefix,
        ),
    },
    {
      provide: MESSAGE_PRODUCER,
      inject: [KAFKA_CLIENT],
      useFactory: (kafka: Kafka): MessageProducer => new KafkajsMessageProducer(kafka, settings.topicPrefix),
    },
    {
      provide: MESSAGE_CONSUMER_FACTORY,
      inject: [KAFKA_CLIENT],
      useFactory: (kafka: Kafka): MessageConsumerFactory => () => new KafkajsMessageConsumer(kafka, settings.topicPrefix),
    },
    {
      provide: MessagingLifecycle,
      inject: [TOPIC_ADMIN, KAFKA_HEALTH_PROBE, MESSAGE_PRODUCER, JsonLogger],
      useFactory: (admin: TopicAdmin, probe: TopicAdmin, producer: MessageProducer, logger: JsonLogger) =>
        new MessagingLifecycle(topics, admin, probe, producer, logger),
    },
  ];
}
