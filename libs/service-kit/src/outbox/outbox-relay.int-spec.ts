import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { contactChangedV1, TOPICS, type ContactChangedV1 } from '@cds/contracts';
import { createKafkajsClient, KafkajsMessageProducer, KafkajsTopicAdmin } from '@cds/kafka';
import { createIsolatedDatabase, eventually, startDedicatedKafka, type DedicatedKafka, type IsolatedDatabase } from '@cds/testing';
import { JsonLogger } from '../logging/json-logger.js';
import { OutboxRelay } from './outbox-relay.js';
import { OUTBOX_TABLE_V1_DDL } from './outbox-table.js';
import { OutboxWriter } from './outbox-writer.js';

function contactChange(version: number): ContactChangedV1 {
  return { schemaVersion: 1, changeId: randomUUID(), changeType: 'updated', contactId: '0b6f1c1e-2d3a-4b5c-8d6e-7f8a9b0c1d2e', version, occurredAt: new Date().toISOString(), email: 'jane@example.com' } as ContactChangedV1;
}

describe('the outbox relay across a Kafka outage, on a real broker and Postgres', () => {
  let kafka: DedicatedKafka;
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let producer: KafkajsMessageProducer;
  let relay: OutboxRelay;
  let consumer: Consumer;
  const received: { key: string | null; version: number }[] = [];
  const registry = new Registry();

  beforeAll(async () => {
    kafka = await startDedicatedKafka('outbox-outage');
    database = await createIsolatedDatabase('outbox-outage');
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    for (const statement of OUTBOX_TABLE_V1_DDL) await dataSource.query(statement);
    const client = createKafkajsClient({ brokers: [kafka.brokers], clientId: 'outbox-test', topicPrefix: '' });
    const admin = new KafkajsTopicAdmin(client, '');
    await admin.ensureTopics([TOPICS.crmContactChanges]);
    await admin.disconnect();
    producer = new KafkajsMessageProducer(client, '');
    await producer.connect();
    relay = new OutboxRelay(dataSource, database.url, producer, new JsonLogger('outbox-test', 'fatal'), registry);
    relay.onApplicationBootstrap();
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await relay?.beforeApplicationShutdown();
    await producer?.disconnect().catch(() => undefined);
    await dataSource?.destroy();
    await database?.drop();
    await kafka?.dispose();
  }, 60_000);

  it('keeps what was committed while Kafka is down and publishes it, in order, once Kafka is back', async () => {
    await kafka.stop();
    const writer = new OutboxWriter();
    for (const version of [1, 2, 3]) await dataSource.transaction((manager) => writer.enqueue(manager, contactChangedV1, [contactChange(version)]));
    // The relay keeps failing meanwhile, and nothing leaves the table.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await dataSource.query('SELECT count(*)::int AS count FROM outbox')) as { count: number }[]).toEqual([{ count: 3 }]);
    // The backlog shows on /metrics, counted when scraped.
    expect(await registry.getSingleMetricAsString('outbox_pending')).toContain('outbox_pending 3');

    await kafka.restart();
    await eventually(async () => ((await dataSource.query('SELECT count(*)::int AS count FROM outbox')) as { count: number }[])[0]?.count === 0 || undefined, 'the outbox to drain', 60_000);

    consumer = new Kafka({ brokers: [kafka.brokers], clientId: 'outbox-test-reader', logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.crmContactChanges.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key?.toString() ?? null, version: (JSON.parse(message.value?.toString() ?? '{}') as { version: number }).version });
      },
    });
    await eventually(() => received.length >= 3 || undefined, 'the three messages', 30_000);
    expect(received.map((message) => message.version)).toEqual([1, 2, 3]);
  }, 180_000);
});
