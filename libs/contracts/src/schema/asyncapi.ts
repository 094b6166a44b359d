import { ALL_CONTRACTS } from '../contract-registry.js';
import { classDescription } from '../contract-decorators.js';
import { contractLabel, contractMessageHeaders, type MessageContract } from '../message-contract.js';
import { TOPICS, type TopicDefinition } from '../topics/topic-definition.js';
import { classSchemas } from './class-schema.js';
import { contractFileStem } from './contract-json-schema.js';
import type { JsonSchema } from './json-schema.js';

/** An AsyncAPI document as plain JSON data (what YAML or JSON writes out). */
export type AsyncApiDocument = Record<string, unknown>;

const KAFKA_BINDING_VERSION = '0.5.0';

/**
 * The AsyncAPI 3.0 document of every topic in the catalogue: its address,
 * partitions and configs, and the messages on it, with their headers, key and
 * payload schema (the same schemas as the JSON Schema files, under
 * components/schemas). A topic with no contract yet is listed with what its
 * description says; a compacted topic also lists its tombstone.
 */
export function contractAsyncApiDocument(
  topics: Readonly<Record<string, TopicDefinition>> = TOPICS,
  contracts: readonly MessageContract<object>[] = ALL_CONTRACTS,
): AsyncApiDocument {
  const schemas = new Map<string, JsonSchema>();
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  for (const contract of contracts) {
    if (!Object.values(topics).includes(contract.topic)) throw new Error(`${contractLabel(contract)} is on ${contract.topic.name}, which is not in the catalogue`);
    for (const [name, schema] of classSchemas(contract.valueClass, (className) => `#/components/schemas/${className}`)) {
      const known = schemas.get(name);
      if (known && JSON.stringify(known) !== JSON.stringify(schema)) throw new Error(`two different schemas named ${name}`);
      schemas.set(name, schema);
    }
  }
  for (const [channelId, topic] of Object.entries(topics)) {
    const onTopic = contracts.filter((contract) => contract.topic === topic);
    const topicMessages: Record<string, unknown> = {};
    for (const contract of onTopic) topicMessages[contractFileStem(contract)] = contractMessage(contract);
    if (onTopic.length === 0) topicMessages[`${topic.name}.message`] = uncontractedMessage(topic);
    if (isCompacted(topic)) topicMessages[`${topic.name}.tombstone`] = tombstoneMessage(topic, onTopic);
    const references: Record<string, unknown> = {};
    for (const [messageId, message] of Object.entries(topicMessages)) {
      messages[messageId] = message;
      references[messageId] = { $ref: `#/components/messages/${messageId}` };
    }
    channels[channelId] = {
      address: topic.name,
      title: topic.name,
      description: topic.description,
      messages: references,
      bindings: { kafka: { topic: topic.name, partitions: topic.partitions, topicConfiguration: topicConfiguration(topic), bindingVersion: KAFKA_BINDING_VERSION } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Customer-data stack: Kafka topics and message contracts',
      version: '1.0.0',
      description: [
        'Every Kafka topic of the stack and the messages on it, generated from libs/contracts (the topic catalogue and the class-validator contracts).',
        'Topic names carry a version: a breaking change to a message means a new topic. A service started with KAFKA_TOPIC_PREFIX prefixes every name.',
        'Each message carries the headers content-type, contract and schema-version; values are JSON. The contract classes are the authority: where a schema differs from them, its description says how.',
      ].join('\n\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The single Kafka node that `npm start` runs; KAFKA_BROKERS points the services at another cluster.',
      },
    },
    channels,
    components: { schemas: Object.fromEntries(schemas), messages },
  };
}

function contractMessage(contract: MessageContract<object>): Record<string, unknown> {
  const headers = contractMessageHeaders(contract);
  const description = classDescription(contract.valueClass);
  return {
    name: contract.name,
    title: contractLabel(contract),
    ...(description ? { summary: description } : {}),
    contentType: 'application/json',
    headers: {
      type: 'object',
      properties: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { type: 'string', const: value }])),
      required: Object.keys(headers),
    },
    payload: { $ref: `#/components/schemas/${contract.valueClass.name}` },
    bindings: { kafka: { key: keySchema(contract), bindingVersion: KAFKA_BINDING_VERSION } },
  };
}

function keySchema(contract: MessageContract<object>): Record<string, unknown> {
  return { type: 'string', ...(contract.key.format ? { format: contract.key.format } : {}), description: contract.key.description };
}

function tombstoneMessage(topic: TopicDefinition, onTopic: readonly MessageContract<object>[]): Record<string, unknown> {
  const [contract] = onTopic;
  return {
    name: 'tombstone',
    title: `Tombstone on ${topic.name}`,
    summary: 'A null value under a key: the topic forgets the key once compacted, and consumers delete what they hold for it. Sent without headers.',
    payload: { type: 'null' },
    ...(contract && onTopic.length === 1 ? { bindings: { kafka: { key: keySchema(contract), bindingVersion: KAFKA_BINDING_VERSION } } } : {}),
  };
}

function uncontractedMessage(topic: TopicDefinition): Record<string, unknown> {
  return {
    name: `${topic.name} message`,
    title: `${topic.name} (no contract yet)`,
    summary: `No message contract is defined for this topic yet. ${topic.description}`,
    headers: {
      type: 'object',
      description: 'Not fixed by a contract yet: see the topic description for what the headers carry.',
      additionalProperties: { type: 'string' },
    },
    payload: { description: 'Not fixed by a contract yet: see the topic description.' },
  };
}

function isCompacted(topic: TopicDefinition): boolean {
  return (topic.config['cleanup.policy'] ?? '').split(',').includes('compact');
}

/** Kafka's string configs as the Kafka binding types them: a policy list, numbers as numbers. */
function topicConfiguration(topic: TopicDefinition): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(topic.config).map(([name, value]) => {
      if (name === 'cleanup.policy') return [name, value.split(',').map((policy) => policy.trim())];
      return [name, /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value];
    }),
  );
}
