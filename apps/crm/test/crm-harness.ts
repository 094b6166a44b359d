import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { CrmEnv } from '../src/config/crm-env.js';
import { CRM_HTTP } from '../src/crm-http.js';
import { CrmModule } from '../src/crm.module.js';

export { eventually } from '@cds/testing';

export const ADMIN_KEY = 'test-crm-admin-key-0001';
export const SYNC_KEY = 'test-crm-sync-key-00001';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A real CRM (HTTP, outbox relay) on its own database and topics, with an admin, a sales-rep and a read-only key. */
export class CrmHarness {
  private readonly consumers: Consumer[] = [];

  private constructor(
    readonly running: RunningTestApp,
    readonly database: IsolatedDatabase,
    readonly topicPrefix: string,
    readonly repKey: string,
    readonly readOnlyKey: string,
  ) {}

  static async start(label: string): Promise<CrmHarness> {
    const infra = testInfrastructure();
    const database = await createIsolatedDatabase(label);
    const topicPrefix = uniqueTopicPrefix(label);
    const env = testEnv(CrmEnv, { DATABASE_URL: database.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix, CRM_ADMIN_API_KEY: ADMIN_KEY, CRM_SYNC_API_KEY: SYNC_KEY });
    const running = await startTestApp('crm', (logger) => CrmModule.forRoot(env, logger), CRM_HTTP);
    const keyOf = async (role: string): Promise<string> => {
      const answer = await callApi(running.url, ADMIN_KEY, 'POST', '/v1/api-keys', { name: role === 'sales_rep' ? 'rep' : 'viewer', role });
      return (answer.body as { key: string }).key;
    };
    return new CrmHarness(running, database, topicPrefix, await keyOf('sales_rep'), await keyOf('read_only'));
  }

  get url(): string {
    return this.running.url;
  }

  /** Calls the API with a key (null: without one). */
  call(key: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
    return callApi(this.url, key, method, path, body);
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.running.app.get(DataSource).query(sql, parameters)) as T[];
  }

  /** Collects a topic's messages from the start, as a data team's consumer would. */
  async collectTopic(topic: string, into: unknown[]): Promise<void> {
    const consumer = new Kafka({ brokers: [testInfrastructure().kafkaBrokers], clientId: 'crm-test-reader', logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${randomUUID()}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: `${this.topicPrefix}${topic}`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void into.push(JSON.parse(message.value?.toString() ?? 'null')) });
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect()));
    await this.running.close();
    await this.database.drop();
  }
}

async function callApi(url: string, key: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers['authorization'] = `Bearer ${key}`;
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}
