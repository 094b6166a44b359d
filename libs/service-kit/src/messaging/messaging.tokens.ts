/** Injection tokens for the project's messaging ports (interfaces have no runtime identity). */
export const TOPIC_ADMIN = Symbol('TopicAdmin');
export const MESSAGE_PRODUCER = Symbol('MessageProducer');
export const KAFKA_CLIENT = Symbol('KafkaClient');
/** A TopicAdmin on a client that never retries, so a health check answers fast when Kafka is down. */
export const KAFKA_HEALTH_PROBE = Symbol('KafkaHealthProbe');
/** `() => MessageConsumer`: each subscription gets a consumer of its own. */
export const MESSAGE_CONSUMER_FACTORY = Symbol('MessageConsumerFactory');
