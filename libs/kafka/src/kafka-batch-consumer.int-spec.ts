import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ALL_TOPICS, ContactChangedV1, contactChangedV1, prefixedTopic, TOPICS } from '@cds/contracts';
import { eventually, testInfrastructure, uniqueTopicPrefix } from '@cds/testing';
import { createKafkajsClient, KafkajsMessageConsumer, KafkajsMessageProducer, KafkajsTopicAdmin, parseBrokerList, type ConsumedMessage, type InvalidMessage } from './index.js';

function contactChange(contactId: string, version: number): ContactChangedV1 {
  return Object.assign(new ContactChangedV1(), { schemaVersion: 1, changeId: randomUUID(), changeType: 'updated', contactId, version, occurredAt: new Date().toISOString(), email: 'ada@example.com' });
}

describe('Kafka batch consumption through the project library, on a real broker', () => {
  const { kafkaBrokers } = testInfrastructure();
  const topicPrefix = uniqueTopicPrefix('kafka-batch');
  const kafka = createKafkajsClient({ brokers: parseBrokerList(kafkaBrokers), clientId: 'kafka-batch-test', topicPrefix });
  const admin = new KafkajsTopicAdmin(kafka, topicPrefix);
  const producer = new KafkajsMessageProducer(kafka, topicPrefix);
  const consumers: KafkajsMessageConsumer[] = [];

  beforeAll(async () => {
    await admin.ensureTopics(ALL_TOPICS);
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await producer.disconnect();
    await admin.disconnect();
  });

  const startConsumer = async (
    onBatch: (messages: readonly ConsumedMessage<ContactChangedV1>[]) => Promise<void>,
    onInvalid: (message: InvalidMessage) => Promise<void>,
    options: { groupId: string; maxBatchSize: number; concurrency?: number } = { groupId: 'batch-group', maxBatchSize: 3 },
  ): Promise<void> => {
    const consumer = new KafkajsMessageConsumer(kafka, topicPrefix);
    consumers.push(consumer);
    await consumer.startBatches({ contract: contactChangedV1, fromBeginning: true, onBatch, onInvalid, ...options });
  };

  it('hands over a partition in offset order, in batches of at most maxBatchSize, redelivers a batch that failed, and commits the rest', async () => {
    const contactId = randomUUID();
    // One key: one partition, so one order.
    await producer.publish(contactChangedV1, [1, 2, 3, 4].map((version) => contactChange(contactId, version)));
    const raw = kafka.producer();
    await raw.connect();
    try {
      await raw.send({ topic: prefixedTopic(TOPICS.crmContactChanges, topicPrefix).name, messages: [{ key: contactId, value: 'not json' }] });
    } finally {
      await raw.disconnect();
    }
    await producer.publish(contactChangedV1, [5, 6, 7].map((version) => contactChange(contactId, version)));

    const batches: number[][] = [];
    const invalid: string[] = [];
    let failed = false;
    await startConsumer(
      async (messages) => {
        const versions = messages.map((message) => message.value.version);
        if (!failed && versions.includes(5)) {
          failed = true;
          throw new Error('the handler fails once');
        }
        batches.push(versions);
      },
      async (message) => {
        invalid.push(message.error.message);
      },
    );
    await eventually(() => batches.flat().includes(7) || undefined, () => `every version to arrive; batches: ${JSON.stringify(batches)}`, 30_000);

    expect(failed).toBe(true);
    expect(batches.every((batch) => batch.length <= 3)).toBe(true);
    // Each version once, in order, though the batch holding 5 failed once and came again.
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(invalid[0]).toBe('crm.contact-changed v1 is invalid: value: is not valid JSON');

    // A new member of the group starts after the committed offsets: only what is new.
    await consumers.pop()?.stop();
    const later: number[] = [];
    await startConsumer(
      async (messages) => {
        later.push(...messages.map((message) => message.value.version));
      },
      async () => undefined,
    );
    await producer.publish(contactChangedV1, [contactChange(contactId, 8)]);
    await eventually(() => later.includes(8) || undefined, () => `the new message; received: ${JSON.stringify(later)}`, 30_000);
    expect(later).toEqual([8]);
  }, 90_000);

  it('hands what several partitions deliver in one fetch to one call, each partition still in offset order', async () => {
    const contactIds: string[] = Array.from({ length: 24 }, () => randomUUID());
    await producer.publish(
      contactChangedV1,
      [1, 2, 3].flatMap((version) => contactIds.map((contactId) => contactChange(contactId, version))),
    );
    const calls: ConsumedMessage<ContactChangedV1>[][] = [];
    await startConsumer(async (messages) => void calls.push([...messages]), async () => undefined, { groupId: 'joined-group', maxBatchSize: 500, concurrency: TOPICS.crmContactChanges.partitions });
    await eventually(() => calls.flat().filter((message) => contactIds.includes(message.value.contactId)).length === contactIds.length * 3 || undefined, 'every message', 30_000);

    expect(calls.some((messages) => new Set(messages.map((message) => message.partition)).size > 1)).toBe(true);
    for (const contactId of contactIds) {
      expect(calls.flat().filter((message) => message.value.contactId === contactId).map((message) => message.value.version)).toEqual([1, 2, 3]);
    }
  }, 60_000);
});
