import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ALL_TOPICS, ContactChangedV1, ContractViolationError, contactChangedV1, prefixedTopic, TOPICS } from '@cds/contracts';
import { eventually, testInfrastructure, uniqueTopicPrefix } from '@cds/testing';
import { createKafkajsClient, KafkajsMessageProducer, KafkajsTopicAdmin, parseBrokerList } from './index.js';

type FixtureLine = { kind: 'started' } | { kind: 'valid'; key: string; value: ContactChangedV1; headers: Record<string, string> } | { kind: 'invalid'; offset: string; error: string };

function contactChange(overrides: Partial<ContactChangedV1> = {}): ContactChangedV1 {
  return Object.assign(new ContactChangedV1(), {
    schemaVersion: 1,
    changeId: randomUUID(),
    changeType: 'created',
    contactId: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    email: 'jane@example.com',
    ...overrides,
  });
}

describe('Kafka messaging through the project library, on a real broker', () => {
  const { kafkaBrokers } = testInfrastructure();
  const topicPrefix = uniqueTopicPrefix('kafka-lib');
  const kafka = createKafkajsClient({ brokers: parseBrokerList(kafkaBrokers), clientId: 'kafka-lib-test', topicPrefix });
  const admin = new KafkajsTopicAdmin(kafka, topicPrefix);
  const producer = new KafkajsMessageProducer(kafka, topicPrefix);
  let consumerProcess: ChildProcess;
  const received: FixtureLine[] = [];

  const waitFor = (predicate: () => boolean, what: string): Promise<true> =>
    eventually(() => predicate() || undefined, () => `${what}; received: ${JSON.stringify(received)}`, 30_000);

  beforeAll(async () => {
    await admin.ensureTopics(ALL_TOPICS);
    await producer.connect();
    consumerProcess = spawn(
      process.execPath,
      [path.join(import.meta.dirname, '..', 'test', 'fixtures', 'consume-contact-changes.mjs'), kafkaBrokers, topicPrefix, 'fixture-group'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    createInterface({ input: consumerProcess.stdout as NodeJS.ReadableStream }).on('line', (line) => received.push(JSON.parse(line) as FixtureLine));
    await waitFor(() => received.some((line) => line.kind === 'started'), 'the consumer process to start');
  });

  afterAll(async () => {
    consumerProcess?.kill('SIGTERM');
    await producer.disconnect();
    await admin.disconnect();
  });

  it('creates every topic with its declared partitions and cleanup policy', async () => {
    const raw = kafka.admin();
    await raw.connect();
    try {
      const insights = prefixedTopic(TOPICS.cdpProfileInsights, topicPrefix).name;
      const metadata = await raw.fetchTopicMetadata({ topics: [insights] });
      expect(metadata.topics[0]?.partitions).toHaveLength(TOPICS.cdpProfileInsights.partitions);
      const configs = await raw.describeConfigs({ resources: [{ type: 2, name: insights, configNames: ['cleanup.policy'] }], includeSynonyms: false });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');
    } finally {
      await raw.disconnect();
    }
  });

  it('delivers a valid message to a consumer in another process, validated on both ends', async () => {
    const change = contactChange({ email: 'ada@example.com' });
    await producer.publish(contactChangedV1, [change]);

    await waitFor(() => received.some((line) => line.kind === 'valid' && line.value.changeId === change.changeId), 'the valid message');
    const line = received.find((candidate) => candidate.kind === 'valid' && candidate.value.changeId === change.changeId);
    expect(line).toMatchObject({
      kind: 'valid',
      key: change.contactId,
      value: { email: 'ada@example.com', changeType: 'created', version: 1 },
      headers: { contract: 'crm.contact-changed v1', 'schema-version': '1', 'content-type': 'application/json' },
    });
  });

  it('refuses to publish a message that breaks its contract, naming each broken field, and sends none of the batch', async () => {
    const good = contactChange();
    const bad = contactChange({ version: 0, email: 'not-an-email' });

    const attempt = producer.publish(contactChangedV1, [good, bad]);

    await expect(attempt).rejects.toThrow(ContractViolationError);
    await expect(attempt).rejects.toThrow(/version: version must not be less than 1.*email: email must be an email/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received.some((line) => line.kind === 'valid' && line.value.changeId === good.changeId)).toBe(false);
  });

  it('hands a consumer an invalid message (written around the library) as a poison message with a clear reason, then moves on', async () => {
    const raw = kafka.producer();
    await raw.connect();
    const after = contactChange();
    try {
      await raw.send({
        topic: prefixedTopic(TOPICS.crmContactChanges, topicPrefix).name,
        messages: [
          { key: 'x', value: '{"schemaVersion":1,"changeType":"exploded","rawEvent":{"page":"/secret"}}' },
          { key: 'y', value: 'this is not json' },
        ],
      });
    } finally {
      await raw.disconnect();
    }
    await producer.publish(contactChangedV1, [after]);

    await waitFor(() => received.some((line) => line.kind === 'valid' && line.value.changeId === after.changeId), 'the message after the poison ones');
    const invalid = received.filter((line): line is Extract<FixtureLine, { kind: 'invalid' }> => line.kind === 'invalid');
    // The two poison messages have different keys, so different partitions: no order between them.
    expect(invalid).toHaveLength(2);
    expect(invalid.map((line) => line.error)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^crm\.contact-changed v1 is invalid: .*property rawEvent should not exist.*changeType: changeType must be one of the following values/),
      'crm.contact-changed v1 is invalid: value: is not valid JSON',
    ]));
  });
});
