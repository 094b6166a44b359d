export * from './messaging.ports.js';
export * from './kafka-settings.js';
export * from './kafkajs-client.js';
export * from './kafkajs-producer.js';
export * from './kafkajs-consumer.js';
export * from './kafkajs-topic-admin.js';
export * from './message-headers.js';
export { FetchBatchGatherer } from './fetch-batch-gatherer.js';
export { offsetCommitter, positionAfter, type PartitionPosition } from './offset-commits.js';
