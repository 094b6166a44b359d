import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createIsolatedDatabase, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';

export { eventually } from '@cds/testing';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { CDP_HTTP } from '../src/cdp-http.js';
import { CdpModule } from '../src/cdp.module.js';
import type { Clock } from '../src/clock/clock.js';
import { CdpEnv } from '../src/config/cdp-env.js';

export const ADMIN_TOKEN = 'test-admin-token-123';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date = new Date()) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A real CDP (HTTP, processors, relay) on its own database and topics, against the run's Postgres and Kafka. */
export class CdpHarness {
  private constructor(
    readonly running: RunningTestApp,
    readonly database: IsolatedDatabase,
    readonly topicPrefix: string,
    private readonly consumers: Consumer[] = [],
  ) {}

  static async start(label: string, options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<CdpHarness> {
    const infra = testInfrastructure();
    const database = await createIsolatedDatabase(label);
    const topicPrefix = uniqueTopicPrefix(label);
    const env = testEnv(CdpEnv, { DATABASE_URL: database.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix, CDP_ADMIN_TOKEN: ADMIN_TOKEN, ...options.env });
    const running = await startTestApp('cdp', (logger) => CdpModule.forRoot(env, logger, options.clock), CDP_HTTP);
    return new CdpHarness(running, database, topicPrefix);
  }

  get url(): string {
    return this.running.url;
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect()));
    await this.running.close();
    await this.database.drop();
  }

  async admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  }

  async createSource(name: string, channel = 'web'): Promise<string> {
    const { status, body } = await this.admin('POST', '/v1/admin/sources', { name, channel });
    if (status !== 201) throw new Error(`could not create source: ${status} ${JSON.stringify(body)}`);
    return (body as { writeKey: string }).writeKey;
  }

  async send(path: string, writeKey: string | null, body: unknown, raw?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (writeKey !== null) headers['authorization'] = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    const response = await fetch(`${this.url}${path}`, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.running.app.get(DataSource).query(sql, parameters)) as T[];
  }

  /** Reads a topic from the start with a throwaway consumer group: what data teams would see. */
  async readTopic(topic: string): Promise<{ key: string | null; value: unknown; headers: Record<string, string> }[]> {
    const messages: { key: string | null; value: unknown; headers: Record<string, string> }[] = [];
    const consumer = new Kafka({ brokers: [testInfrastructure().kafkaBrokers], clientId: 'cdp-test-reader', logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${Date.now()}-${Math.random()}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: `${this.topicPrefix}${topic}`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        messages.push({ key: message.key?.toString() ?? null, value: message.value ? JSON.parse(message.value.toString()) : null, headers });
      },
    });
    return messages;
  }
}
