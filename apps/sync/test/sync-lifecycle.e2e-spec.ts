import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { profileErasedV1, profileInsightsV1, profileMergedV1, type ProfileInsightsV1 } from '@cds/contracts';
import { createKafkajsClient, KafkajsMessageProducer } from '@cds/kafka';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, eventually, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { SyncEnv } from '../src/config/sync-env.js';
import { SyncModule } from '../src/sync.module.js';

// The CRM runs as its built service (apps/crm/dist, `npx tsc -b tsconfig.build.json`) on the same topic
// prefix as the bridge, so the bridge reads its contact changes. The CDP's messages are published directly.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const CRM_ADMIN = 'test-lifecycle-crm-admin-01';
const CRM_SYNC = 'test-lifecycle-crm-sync-001';

interface ContactView {
  id: string;
  enrichment: { lifetimeValue: number; orderCount: number } | null;
  enrichmentVersion: number;
}

function snapshot(profileId: string, version: number, emails: string[], lifetimeValue: number): ProfileInsightsV1 {
  return {
    schemaVersion: 1,
    profileId,
    version,
    computedAt: new Date().toISOString(),
    identifiers: { userIds: [], emails, crmContactIds: [] },
    insights: {
      currency: 'EUR', lifetimeValue, unconvertedRevenue: [], orderCount: 2, averageOrderValue: lifetimeValue / 2, firstOrderAt: null, lastOrderAt: null,
      daysSinceLastOrder: null, lastSeenAt: null, channels: ['web'], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0,
      rfm: null, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
    },
    segments: [],
    consent: [],
  } as ProfileInsightsV1;
}

describe('sync lifecycle: late contacts, merges and erasures', () => {
  const databases: IsolatedDatabase[] = [];
  let crmProcess: ServiceProcess | undefined;
  let crmUrl: string;
  let repKey: string;
  let sync: RunningTestApp;
  let producer: KafkajsMessageProducer;

  const crm = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${crmUrl}${route}`, { method, headers: { authorization: `Bearer ${repKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const contact = async (id: string): Promise<ContactView> => (await crm('GET', `/v1/contacts/${id}`)).body as unknown as ContactView;
  const syncQuery = <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => sync.app.get(DataSource).query(sql, parameters) as Promise<T[]>;
  const linkOf = async (profileId: string): Promise<string | undefined> => (await syncQuery<{ contact_id: string }>('SELECT contact_id FROM profile_contact_links WHERE profile_id = $1', [profileId]))[0]?.contact_id;
  const isUnmatched = async (profileId: string): Promise<boolean> => (await syncQuery('SELECT 1 FROM unmatched_profiles WHERE profile_id = $1', [profileId])).length === 1;

  beforeAll(async () => {
    const infra = testInfrastructure();
    const prefix = uniqueTopicPrefix('sync-lifecycle');
    const [crmDb, syncDb] = await Promise.all([createIsolatedDatabase('sync_life_crm'), createIsolatedDatabase('sync_life_sync')]);
    databases.push(crmDb, syncDb);
    const port = await findFreePort();
    crmProcess = startServiceProcess(repoRoot, 'crm', {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: crmDb.url,
      KAFKA_BROKERS: infra.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: prefix,
      CRM_ADMIN_API_KEY: CRM_ADMIN,
      CRM_SYNC_API_KEY: CRM_SYNC,
    });
    await waitUntilHealthy(crmProcess, port, 45_000);
    crmUrl = `http://127.0.0.1:${port}`;
    const env = testEnv(SyncEnv, { DATABASE_URL: syncDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix, CRM_URL: crmUrl, CRM_SYNC_API_KEY: CRM_SYNC });
    sync = await startTestApp('sync', (logger) => SyncModule.forRoot(env, logger));
    const created = await fetch(`${crmUrl}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${CRM_ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'rep', role: 'sales_rep' }) });
    repKey = ((await created.json()) as { key: string }).key;
    producer = new KafkajsMessageProducer(createKafkajsClient({ brokers: [infra.kafkaBrokers], clientId: 'sync-lifecycle-e2e', topicPrefix: prefix }), prefix);
    await producer.connect();
  }, 90_000);

  afterAll(async () => {
    await producer?.disconnect();
    await sync?.close();
    if (crmProcess) await stopServiceProcess(crmProcess);
    await Promise.all(databases.map((database) => database.drop()));
  }, 60_000);

  const first = randomUUID();
  const survivor = randomUUID();
  const stranger = randomUUID();
  let deeId: string;

  it('applies an unmatched profile as soon as a rep creates its contact', async () => {
    await producer.publish(profileInsightsV1, [snapshot(first, 3, ['dee@example.com'], 80)]);
    await eventually(async () => ((await syncQuery<{ v: number }>("SELECT (pending_update->>'version')::int AS v FROM unmatched_profiles WHERE profile_id = $1", [first]))[0]?.v === 3 ? true : undefined), 'the profile to wait, unmatched, with its update');

    const created = await crm('POST', '/v1/contacts', { email: 'Dee@Example.com', firstName: 'Dee' });
    expect(created.status).toBe(201);
    deeId = created.body['id'] as string;
    const enriched = await eventually(async () => {
      const view = await contact(deeId);
      return view.enrichment ? view : undefined;
    }, 'the waiting enrichment to appear on the new contact');
    expect(enriched.enrichment).toMatchObject({ lifetimeValue: 80, orderCount: 2 });
    expect(enriched.enrichmentVersion).toBe(3);
    await eventually(async () => (await linkOf(first)) === deeId && !(await isUnmatched(first)), 'the profile to be linked and no longer unmatched');

    // The same contact changing again (a redelivery alike) finds nothing waiting: the contact is not touched.
    expect((await crm('PATCH', `/v1/contacts/${deeId}`, { lastName: 'Doe' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await contact(deeId)).enrichmentVersion).toBe(3);
  });

  it("moves the merged-away profile's link to the survivor, whose insights then go through it", async () => {
    await producer.publish(profileMergedV1, [
      {
        schemaVersion: 1,
        mergeId: randomUUID(),
        survivorProfileId: survivor,
        mergedProfileIds: [first],
        identifiers: { userIds: [], emails: ['dee@example.com'], crmContactIds: [] },
        survivorVersion: 5,
        occurredAt: new Date().toISOString(),
      },
    ]);
    await eventually(async () => (await linkOf(survivor)) === deeId && (await linkOf(first)) === undefined, 'the link to move to the survivor');
    // No identifier names the contact: only the moved link can.
    await producer.publish(profileInsightsV1, [snapshot(survivor, 5, [], 200)]);
    await eventually(async () => ((await contact(deeId)).enrichment?.lifetimeValue === 200 ? true : undefined), "the survivor's insights on the contact");
  });

  it('clears the contact on erasure and forgets the erased and merged profiles', async () => {
    await producer.publish(profileInsightsV1, [snapshot(stranger, 1, ['nobody-yet@example.com'], 10)]);
    await eventually(async () => ((await isUnmatched(stranger)) ? true : undefined), 'the stranger to wait unmatched');

    await producer.publish(profileErasedV1, [
      { schemaVersion: 1, erasureId: randomUUID(), profileId: survivor, mergedProfileIds: [first, stranger], identifiers: { userIds: [], emails: ['dee@example.com'], crmContactIds: [] }, requestedAt: new Date().toISOString() },
    ]);
    const cleared = await eventually(async () => {
      const view = await contact(deeId);
      return view.enrichment === null ? view : undefined;
    }, 'the enrichment to be cleared');
    expect(cleared.enrichmentVersion).toBe(6);
    await eventually(
      async () => (await syncQuery('SELECT profile_id FROM profile_contact_links WHERE profile_id = ANY($1::text[]) UNION ALL SELECT profile_id FROM unmatched_profiles WHERE profile_id = ANY($1::text[])', [[first, survivor, stranger]])).length === 0,
      'the links and unmatched rows to be gone',
    );
    // A rep creating a contact for the erased stranger's email applies nothing.
    const late = await crm('POST', '/v1/contacts', { email: 'nobody-yet@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await contact(late.body['id'] as string)).enrichment).toBeNull();
  });
});
