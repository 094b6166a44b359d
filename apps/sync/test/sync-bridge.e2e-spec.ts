import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, eventually, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { SyncEnv } from '../src/config/sync-env.js';
import { SyncModule } from '../src/sync.module.js';

// The CDP and the CRM run as their built services (apps/*/dist, `npx tsc -b tsconfig.build.json`):
// apps meet only through Kafka and HTTP, so this test does not import their code either.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const CDP_ADMIN = 'test-sync-cdp-admin-token';
const CRM_ADMIN = 'test-sync-crm-admin-key-01';
const CRM_SYNC = 'test-sync-crm-sync-key-001';
const INSIGHTS = 'cdp.profile-insights.v1';
const DEAD_LETTERS = 'sync.dead-letters.v1';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(url: string, authorization: string, method: string, route: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${url}${route}`, { method, headers: { authorization, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

interface ContactView {
  id: string;
  enrichment: { lifetimeValue: number; orderCount: number; segments: { key: string }[] } | null;
  enrichmentVersion: number;
  timeline: { kind: string; summary: string }[];
}

describe('sync bridge: CDP insights onto CRM contacts', () => {
  const databases: IsolatedDatabase[] = [];
  const processes: ServiceProcess[] = [];
  const consumers: Consumer[] = [];
  let producer: Producer;
  let kafka: Kafka;
  let cdpUrl: string;
  let crmUrl: string;
  let sync: RunningTestApp;
  let prefix: string;
  let repKey: string;

  const startChild = async (name: string, env: Record<string, string>): Promise<string> => {
    const port = await findFreePort();
    const child = startServiceProcess(repoRoot, name, { PORT: String(port), LOG_LEVEL: 'warn', ...env });
    processes.push(child);
    await waitUntilHealthy(child, port, 45_000);
    return `http://127.0.0.1:${port}`;
  };
  const crm = (method: string, route: string, body?: unknown): Promise<Answer> => call(crmUrl, `Bearer ${repKey}`, method, route, body);
  const contact = async (id: string): Promise<ContactView> => (await crm('GET', `/v1/contacts/${id}`)).body as unknown as ContactView;
  const createContact = async (email: string): Promise<string> => {
    const created = await crm('POST', '/v1/contacts', { email, firstName: email.split('@')[0] });
    expect(created.status).toBe(201);
    return created.body['id'] as string;
  };
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${sync.url}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const syncQuery = <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => sync.app.get(DataSource).query(sql, parameters) as Promise<T[]>;

  beforeAll(async () => {
    const infra = testInfrastructure();
    prefix = uniqueTopicPrefix('sync-bridge');
    const [cdpDb, crmDb, syncDb] = await Promise.all([createIsolatedDatabase('sync_e2e_cdp'), createIsolatedDatabase('sync_e2e_crm'), createIsolatedDatabase('sync_e2e_sync')]);
    databases.push(cdpDb, crmDb, syncDb);
    [cdpUrl, crmUrl] = await Promise.all([
      startChild('cdp', { DATABASE_URL: cdpDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix, CDP_ADMIN_TOKEN: CDP_ADMIN }),
      startChild('crm', { DATABASE_URL: crmDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('sync-bridge-crm'), CRM_ADMIN_API_KEY: CRM_ADMIN, CRM_SYNC_API_KEY: CRM_SYNC }),
    ]);
    // The bridge reads the CDP's topics: same prefix as the CDP.
    const env = testEnv(SyncEnv, { DATABASE_URL: syncDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix, CRM_URL: crmUrl, CRM_SYNC_API_KEY: CRM_SYNC });
    sync = await startTestApp('sync', (logger) => SyncModule.forRoot(env, logger));
    repKey = (await call(crmUrl, `Bearer ${CRM_ADMIN}`, 'POST', '/v1/api-keys', { name: 'rep', role: 'sales_rep' })).body['key'] as string;
    kafka = new Kafka({ brokers: [infra.kafkaBrokers], clientId: 'sync-e2e', logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
    await producer?.disconnect();
    await sync?.close();
    await Promise.all(processes.map((child) => stopServiceProcess(child)));
    await Promise.all(databases.map((database) => database.drop()));
  }, 60_000);

  const readTopic = async (topic: string): Promise<{ key: string | null; value: string | null; partition: number; headers: Record<string, string> }[]> => {
    const seen: { key: string | null; value: string | null; partition: number; headers: Record<string, string> }[] = [];
    const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}${topic}`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) =>
        void seen.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, partition, headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])) }),
    });
    return seen;
  };

  let anaId: string;
  let anaProfileId: string;

  it("shows a shopper's CDP insights on the rep's CRM contact within seconds", async () => {
    anaId = await createContact('ana@example.com');
    const segment = await call(cdpUrl, `Bearer ${CDP_ADMIN}`, 'POST', '/v1/segments', { key: 'big-spenders', name: 'Big spenders', rule: { insight: 'lifetimeValue', op: 'gte', value: 100 } });
    expect(segment.status).toBe(201);
    const source = await call(cdpUrl, `Bearer ${CDP_ADMIN}`, 'POST', '/v1/admin/sources', { name: 'web-shop', channel: 'web' });
    const writeKey = source.body['writeKey'] as string;
    const started = Date.now();
    const sent = await call(cdpUrl, `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'POST', '/v1/track', {
      anonymousId: 'shopper-1',
      event: 'Order Completed',
      properties: { revenue: 120, currency: 'EUR' },
      context: { traits: { email: 'Ana@Example.com' } },
    });
    expect(sent.status).toBe(200);

    const enriched = await eventually(async () => {
      const view = await contact(anaId);
      return view.enrichment?.segments.some((entry) => entry.key === 'big-spenders') ? view : undefined;
    }, 'the CRM contact to carry the CDP enrichment', 20_000);
    expect(enriched.enrichment).toMatchObject({ lifetimeValue: 120, orderCount: 1, segments: [expect.objectContaining({ key: 'big-spenders' })] });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(enriched.timeline.some((entry) => entry.kind === 'insight')).toBe(true);

    const links = await syncQuery<{ profile_id: string; contact_id: string }>('SELECT profile_id, contact_id FROM profile_contact_links');
    expect(links).toEqual([expect.objectContaining({ contact_id: anaId })]);
    anaProfileId = links[0]?.profile_id ?? '';
    expect(await metric('sync_enrichment_applied_total')).toBeGreaterThanOrEqual(1);
    expect(await metric('sync_crm_request_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    // Consumer lag is reported per partition of the insights topic.
    const lagLines = (await (await fetch(`${sync.url}/metrics`)).text()).split('\n').filter((line) => line.startsWith('sync_consumer_lag{'));
    expect(lagLines.length).toBeGreaterThan(0);
    expect(lagLines.every((line) => line.includes('cdp.profile-insights.v1'))).toBe(true);
  });

  it('dead-letters a poison message between good ones, which apply; remembers a profile with no contact', async () => {
    const boId = await createContact('bo@example.com');
    const cyId = await createContact('cy@example.com');
    const snapshot = (email: string, version: number): string => {
      return JSON.stringify({
        schemaVersion: 1,
        profileId: randomUUID(),
        version,
        computedAt: new Date().toISOString(),
        identifiers: { userIds: [], emails: [email], crmContactIds: [] },
        insights: {
          currency: 'EUR', lifetimeValue: 50, unconvertedRevenue: [], orderCount: 1, averageOrderValue: 50, firstOrderAt: null, lastOrderAt: null, daysSinceLastOrder: null,
          lastSeenAt: null, channels: ['pos'], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0, rfm: null,
          predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
        },
        segments: [],
        consent: [],
      });
    };
    const bo = snapshot('bo@example.com', 1);
    const nobody = snapshot('nobody@example.com', 1);
    const keyOf = (value: string): string => (JSON.parse(value) as { profileId: string }).profileId;
    await producer.send({
      topic: `${prefix}${INSIGHTS}`,
      messages: [
        { partition: 0, key: keyOf(bo), value: bo },
        { partition: 0, key: 'poison', value: '{"schemaVersion":1,"profileId":"not-a-uuid","version":"x"}' },
        { partition: 0, key: 'poison-json', value: 'this is not json' },
        { partition: 0, key: randomUUID(), value: snapshot('cy@example.com', 1) },
        { partition: 0, key: keyOf(nobody), value: nobody },
      ],
    });
    await eventually(async () => (await contact(boId)).enrichment?.lifetimeValue === 50 && (await contact(cyId)).enrichment?.lifetimeValue === 50, 'the good messages to apply');
    const deadLetters = await readTopic(DEAD_LETTERS);
    await eventually(() => deadLetters.length >= 2, 'the poison messages on the dead-letter topic');
    const poison = deadLetters.find((message) => message.key === 'poison');
    expect(poison?.headers).toMatchObject({ 'original-topic': `${prefix}${INSIGHTS}`, 'original-partition': '0' });
    expect(poison?.headers['dead-letter-reason']).toMatch(/profileId/);
    expect(Number(poison?.headers['original-offset'])).toBeGreaterThanOrEqual(0);
    expect(deadLetters.find((message) => message.key === 'poison-json')?.headers['dead-letter-reason']).toMatch(/JSON/);
    expect(await metric('sync_dead_letters_total')).toBeGreaterThanOrEqual(2);
    await eventually(async () => (await syncQuery('SELECT 1 FROM unmatched_profiles WHERE profile_id = $1', [keyOf(nobody)])).length === 1, 'the unmatched profile to be remembered');
  });

  it('leaves one timeline entry per change when the same insights arrive twice', async () => {
    const insights = await readTopic(INSIGHTS);
    const anaMessages = await eventually(() => {
      const found = insights.filter((message) => message.key === anaProfileId);
      return found.length > 0 ? found : undefined;
    }, "Ana's insights on the topic");
    const before = await contact(anaId);
    const staleBefore = await metric('sync_enrichment_stale_total');
    const latest = anaMessages[anaMessages.length - 1];
    if (!latest) throw new Error('no insights for Ana');
    const again = { partition: latest.partition, key: latest.key, value: latest.value };
    for (const delivery of [1, 2]) {
      await producer.send({ topic: `${prefix}${INSIGHTS}`, messages: [again] });
      await eventually(async () => (await metric('sync_enrichment_stale_total')) >= staleBefore + delivery, `redelivery ${delivery} to be answered stale`);
    }
    const after = await contact(anaId);
    expect(after.timeline.filter((entry) => entry.kind === 'insight')).toEqual(before.timeline.filter((entry) => entry.kind === 'insight'));
    expect(after.enrichmentVersion).toBe(before.enrichmentVersion);
  });
});
