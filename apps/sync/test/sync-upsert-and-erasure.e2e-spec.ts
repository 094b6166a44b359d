import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { profileErasedV1, profileInsightsV1, TOPICS, type ProfileInsightsV1 } from '@cds/contracts';
import { createKafkajsClient, KafkajsMessageProducer } from '@cds/kafka';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, eventually, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { SyncEnv } from '../src/config/sync-env.js';
import { SyncModule } from '../src/sync.module.js';

// The CRM runs as its built service (apps/crm/dist, `npx tsc -b tsconfig.build.json`) on the same topic prefix as
// the bridge, so the bridge reads its contact changes. The CDP's messages are published directly, as the CDP would.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const CRM_ADMIN = 'test-upsert-crm-admin-001';
const CRM_SYNC = 'test-upsert-crm-sync-0001';
const CDP_ADMIN = 'test-upsert-cdp-admin-token';

interface ContactView {
  id: string;
  email: string | null;
  owner: string | null;
  enrichment: { lifetimeValue: number } | null;
  enrichmentVersion: number;
}
interface CdpInsights {
  profileId: string;
  version: number;
  snapshot: { identifiers: { crmContactIds: string[] } } | null;
}
interface ContactChange {
  contactId: string;
  changeType: string;
  email?: string;
}

function snapshot(profileId: string, version: number, identifiers: Partial<ProfileInsightsV1['identifiers']>, lifetimeValue: number): ProfileInsightsV1 {
  return {
    schemaVersion: 1,
    profileId,
    version,
    computedAt: new Date().toISOString(),
    identifiers: { userIds: [], emails: [], crmContactIds: [], ...identifiers },
    insights: {
      currency: 'EUR', lifetimeValue, unconvertedRevenue: [], orderCount: 1, averageOrderValue: lifetimeValue, firstOrderAt: null, lastOrderAt: null,
      daysSinceLastOrder: null, lastSeenAt: null, channels: ['web'], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0,
      rfm: null, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
    },
    segments: [],
    consent: [],
  } as ProfileInsightsV1;
}

/**
 * The CRM as its built service, optionally the CDP too, and the bridge in-process in upsert mode with erasure by
 * contact deletion, all on one topic prefix. Without the CDP, the test publishes the CDP's messages itself.
 */
class UpsertStack {
  readonly changes: ContactChange[] = [];
  private readonly databases: IsolatedDatabase[] = [];
  private readonly processes: ServiceProcess[] = [];
  private reader: Consumer | undefined;
  crmUrl = '';
  cdpUrl = '';
  repKey = '';
  sync: RunningTestApp | undefined;
  producer: KafkajsMessageProducer | undefined;

  private constructor(readonly prefix: string) {}

  static async start(label: string, withCdp: boolean): Promise<UpsertStack> {
    const stack = new UpsertStack(uniqueTopicPrefix(label));
    await stack.boot(label, withCdp);
    return stack;
  }

  private async boot(label: string, withCdp: boolean): Promise<void> {
    const brokers = testInfrastructure().kafkaBrokers;
    const [crmDb, syncDb, cdpDb] = await Promise.all(['crm', 'sync', ...(withCdp ? ['cdp'] : [])].map((name) => createIsolatedDatabase(`${label}_${name}`)));
    if (!crmDb || !syncDb) throw new Error('two databases expected');
    this.databases.push(crmDb, syncDb, ...(cdpDb ? [cdpDb] : []));
    const shared = { LOG_LEVEL: 'warn', KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: this.prefix };
    [this.crmUrl, this.cdpUrl] = await Promise.all([
      this.startChild('crm', { ...shared, DATABASE_URL: crmDb.url, CRM_ADMIN_API_KEY: CRM_ADMIN, CRM_SYNC_API_KEY: CRM_SYNC }),
      cdpDb ? this.startChild('cdp', { ...shared, DATABASE_URL: cdpDb.url, CDP_ADMIN_TOKEN: CDP_ADMIN }) : Promise.resolve(''),
    ]);
    const env = testEnv(SyncEnv, { ...shared, DATABASE_URL: syncDb.url, CRM_URL: this.crmUrl, CRM_SYNC_API_KEY: CRM_SYNC, SYNC_MODE: 'upsert', SYNC_ERASURE_ACTION: 'delete-contact' });
    this.sync = await startTestApp('sync', (logger) => SyncModule.forRoot(env, logger));
    const created = await fetch(`${this.crmUrl}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${CRM_ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'rep', role: 'sales_rep' }) });
    this.repKey = ((await created.json()) as { key: string }).key;
    this.producer = new KafkajsMessageProducer(createKafkajsClient({ brokers: [brokers], clientId: 'sync-upsert-e2e', topicPrefix: this.prefix }), this.prefix);
    await this.producer.connect();
    // What the CDP reads from the CRM.
    this.reader = new Kafka({ brokers: [brokers], clientId: 'sync-upsert-reader', logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${randomUUID()}` });
    await this.reader.connect();
    await this.reader.subscribe({ topic: `${this.prefix}${TOPICS.crmContactChanges.name}`, fromBeginning: true });
    await this.reader.run({ eachMessage: async ({ message }) => void this.changes.push(JSON.parse(message.value?.toString() ?? 'null') as ContactChange) });
  }

  private async startChild(name: string, env: Record<string, string>): Promise<string> {
    const port = await findFreePort();
    const child = startServiceProcess(repoRoot, name, { PORT: String(port), ...env });
    this.processes.push(child);
    await waitUntilHealthy(child, port, 60_000);
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await this.reader?.disconnect();
    await this.producer?.disconnect();
    await this.sync?.close();
    await Promise.all(this.processes.map((child) => stopServiceProcess(child)));
    await Promise.all(this.databases.map((database) => database.drop()));
  }

  async call(url: string, authorization: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${url}${route}`, { method, headers: { authorization, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  crm(method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    return this.call(this.crmUrl, `Bearer ${this.repKey}`, method, route, body);
  }

  async contactsWithEmail(email: string): Promise<ContactView[]> {
    return ((await this.crm('GET', `/v1/contacts?email=${encodeURIComponent(email)}`)).body as { data: ContactView[] }).data;
  }

  syncQuery<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.sync?.app.get(DataSource).query(sql, parameters) as Promise<T[]>;
  }

  async linkOf(profileId: string): Promise<string | undefined> {
    return (await this.syncQuery<{ contact_id: string }>('SELECT contact_id FROM profile_contact_links WHERE profile_id = $1', [profileId]))[0]?.contact_id;
  }
}

describe('sync upsert mode and erasure by contact deletion, against a real CRM', () => {
  let stack: UpsertStack;
  let changes: ContactChange[];
  let producer: KafkajsMessageProducer;
  let sync: RunningTestApp;
  const crm = (method: string, route: string, body?: unknown): ReturnType<UpsertStack['crm']> => stack.crm(method, route, body);
  const contactsWithEmail = (email: string): Promise<ContactView[]> => stack.contactsWithEmail(email);
  const linkOf = (profileId: string): Promise<string | undefined> => stack.linkOf(profileId);
  const isUnmatched = async (profileId: string): Promise<boolean> => (await stack.syncQuery('SELECT 1 FROM unmatched_profiles WHERE profile_id = $1', [profileId])).length === 1;
  const tombstone = (profileId: string): Promise<void> => producer.sendSerialized([{ topic: TOPICS.cdpProfileInsights.name, key: profileId, value: null, headers: {} }]);
  const erasure = (profileId: string, emails: string[], crmContactIds: string[] = []) => ({
    schemaVersion: 1 as const,
    erasureId: randomUUID(),
    profileId,
    mergedProfileIds: [],
    identifiers: { userIds: [], emails, crmContactIds },
    requestedAt: new Date().toISOString(),
  });

  beforeAll(async () => {
    stack = await UpsertStack.start('sync_upsert', false);
    ({ changes } = stack);
    producer = stack.producer as KafkajsMessageProducer;
    sync = stack.sync as RunningTestApp;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const customer = randomUUID();
  const twin = randomUUID();
  let customerContact: string;

  it('creates the contact of a known customer with no match, enriches and links it; the CRM publishes it for the CDP', async () => {
    await producer.publish(profileInsightsV1, [snapshot(customer, 4, { emails: ['New.Customer@example.com'] }, 120)]);
    const contact = await eventually(async () => (await contactsWithEmail('new.customer@example.com')).find((view) => view.enrichment !== null), 'the created, enriched contact');
    customerContact = contact.id;
    expect(contact).toMatchObject({ owner: null, enrichment: { lifetimeValue: 120 }, enrichmentVersion: 4 });
    const audit = (await crm('GET', `/v1/contacts/${contact.id}/audit`)).body as { actorName: string; action: string; changes: Record<string, unknown> }[];
    expect(audit).toContainEqual(expect.objectContaining({ actorName: 'configured-sync', action: 'created', changes: expect.objectContaining({ source: 'cdp', cdpProfileId: customer }) }));
    await eventually(async () => (await linkOf(customer)) === contact.id && !(await isUnmatched(customer)), 'the profile linked, not unmatched');
    await eventually(async () => (changes.some((change) => change.contactId === contact.id && change.changeType === 'created' && change.email === 'new.customer@example.com') ? true : undefined), 'the creation on crm.contact-changes.v1');
  });

  it('does not loop: the contact coming back through the CDP, and a second profile with that email, create nothing more', async () => {
    // The CDP took the created contact in: the profile now carries its CRM contact id.
    await producer.publish(profileInsightsV1, [snapshot(customer, 5, { emails: ['new.customer@example.com'], crmContactIds: [customerContact] }, 150)]);
    // Another profile with the same email (before the CDP merges the two) is matched, not given a second contact.
    await producer.publish(profileInsightsV1, [snapshot(twin, 1, { emails: ['new.customer@example.com'] }, 1)]);
    await eventually(async () => (await linkOf(twin)) === customerContact, 'the twin linked to the same contact');
    await eventually(async () => ((await contactsWithEmail('new.customer@example.com'))[0]?.enrichmentVersion === 5 ? true : undefined), 'the newer snapshot applied');
    expect((await contactsWithEmail('new.customer@example.com')).map((view) => view.id)).toEqual([customerContact]);
    expect(changes.filter((change) => change.changeType === 'created' && change.email === 'new.customer@example.com')).toHaveLength(1);
  });

  it('enriches a rep-made contact with that email instead of creating one, and leaves a profile without email unmatched', async () => {
    const made = await crm('POST', '/v1/contacts', { email: 'rep.made@example.com', firstName: 'Rae' });
    expect(made.status).toBe(201);
    const repMade = (made.body as { id: string }).id;
    const anonymous = randomUUID();
    await producer.publish(profileInsightsV1, [snapshot(randomUUID(), 2, { emails: ['rep.made@example.com'] }, 60), snapshot(anonymous, 1, { userIds: ['u-77'] }, 5)]);
    await eventually(async () => ((await contactsWithEmail('rep.made@example.com'))[0]?.enrichment ? true : undefined), 'the rep-made contact enriched');
    expect((await contactsWithEmail('rep.made@example.com')).map((view) => view.id)).toEqual([repMade]);
    await eventually(async () => ((await isUnmatched(anonymous)) ? true : undefined), 'the profile without email waiting unmatched');
    const total = (await crm('GET', '/v1/contacts?limit=100')).body as { data: ContactView[] };
    expect(total.data.map((view) => view.email).sort()).toEqual(['new.customer@example.com', 'rep.made@example.com']);
  });

  it('erases the linked contact in the CRM on a CDP erasure, forgets the profile, and takes a redelivery as done', async () => {
    const request = erasure(customer, ['new.customer@example.com']);
    await producer.publish(profileErasedV1, [request]);
    await eventually(async () => ((await crm('GET', `/v1/contacts/${customerContact}`)).status === 404 ? true : undefined), 'the contact erased');
    await eventually(async () => (await linkOf(customer)) === undefined && !(await isUnmatched(customer)), 'the profile forgotten');
    const deletion = await eventually(async () => changes.find((change) => change.contactId === customerContact && change.changeType === 'deleted'), 'the deletion on crm.contact-changes.v1');
    expect(deletion).not.toHaveProperty('email');

    // A snapshot older than the erasure, still on the insights topic before the profile's tombstone, re-creates no one.
    await producer.publish(profileInsightsV1, [snapshot(customer, 6, { emails: ['new.customer@example.com'] }, 170)]);
    await eventually(async () => ((await isUnmatched(customer)) ? true : undefined), 'the late snapshot waiting unmatched');
    await tombstone(customer);
    await eventually(async () => (!(await isUnmatched(customer)) ? true : undefined), 'the tombstone forgetting it');
    // The erasure again (a redelivery) is a success that erases nothing more.
    await producer.publish(profileErasedV1, [request]);
    const erasures = async (outcome: string): Promise<boolean> =>
      new RegExp(`sync_lifecycle_messages_total\\{group="sync-profile-erasures",outcome="${outcome}"\\} 1\\b`).test(await (await fetch(`${sync.url}/metrics`)).text());
    await eventually(async () => ((await erasures('erased')) && (await erasures('nothing-linked')) ? true : undefined), 'the erasure and its redelivery handled');
    expect(await contactsWithEmail('new.customer@example.com')).toEqual([]);
  });

  it("erases the contact the erasure names by CRM contact id when the profile's tombstone removed the link first", async () => {
    const late = randomUUID();
    await producer.publish(profileInsightsV1, [snapshot(late, 1, { emails: ['late@example.com'] }, 30)]);
    const contact = await eventually(async () => (await contactsWithEmail('late@example.com'))[0], 'the contact created');
    await eventually(async () => (await linkOf(late)) === contact.id, 'the profile linked');
    await tombstone(late);
    await eventually(async () => (await linkOf(late)) === undefined, 'the tombstone applied first');
    await producer.publish(profileErasedV1, [erasure(late, ['late@example.com'], [contact.id])]);
    await eventually(async () => ((await crm('GET', `/v1/contacts/${contact.id}`)).status === 404 ? true : undefined), 'the contact erased');
  });
});

describe('sync upsert mode with the real CDP: a created contact comes back without a loop, and an erasure removes it', () => {
  let stack: UpsertStack;
  let writeKey: string;
  const email = 'loop.customer@example.com';
  const cdp = (method: string, route: string, body?: unknown): ReturnType<UpsertStack['call']> => stack.call(stack.cdpUrl, `Bearer ${CDP_ADMIN}`, method, route, body);
  const collect = async (route: string, body: unknown): Promise<void> => {
    const answer = await stack.call(stack.cdpUrl, `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'POST', route, body);
    expect(answer.status).toBe(200);
  };
  const cdpInsights = async (): Promise<CdpInsights | undefined> => {
    const answer = await cdp('GET', `/v1/profiles/${encodeURIComponent(`email:${email}`)}/insights`);
    return answer.status === 200 ? (answer.body as CdpInsights) : undefined;
  };

  beforeAll(async () => {
    stack = await UpsertStack.start('sync_upsert_cdp', true);
    const source = await cdp('POST', '/v1/admin/sources', { name: 'web-shop', channel: 'web' });
    expect(source.status).toBe(201);
    writeKey = (source.body as { writeKey: string }).writeKey;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates the contact once: the CDP learns its CRM contact id and the bridge reaches it through the link', async () => {
    await collect('/v1/identify', { userId: 'loop-u1', traits: { email } });
    await collect('/v1/track', { userId: 'loop-u1', event: 'Order Completed', properties: { order_id: 'loop-o1', revenue: 90, currency: 'EUR' } });
    const contact = await eventually(async () => (await stack.contactsWithEmail(email))[0], 'the contact created by the bridge');
    // The CRM published the creation, the CDP took it in: the profile now carries the contact id, and its newest
    // insights (a version above the one the contact was created for) went through the stored link.
    const settled = await eventually(async () => {
      const insights = await cdpInsights();
      if (!insights?.snapshot?.identifiers.crmContactIds.includes(contact.id)) return undefined;
      const [view] = await stack.contactsWithEmail(email);
      return view?.enrichmentVersion === insights.version ? { insights, view } : undefined;
    }, 'the CDP snapshot carrying the CRM contact id applied to the contact');
    expect(settled.view.enrichment?.lifetimeValue).toBe(90);

    await collect('/v1/track', { userId: 'loop-u1', event: 'Order Completed', properties: { order_id: 'loop-o2', revenue: 30, currency: 'EUR' } });
    await eventually(async () => ((await stack.contactsWithEmail(email))[0]?.enrichment?.lifetimeValue === 120 ? true : undefined), 'the next order on the same contact');
    expect((await stack.contactsWithEmail(email)).map((view) => view.id)).toEqual([contact.id]);
    expect(stack.changes.filter((change) => change.changeType === 'created')).toHaveLength(1);
    expect(await stack.linkOf(settled.insights.profileId)).toBe(contact.id);
  });

  it("erases the contact when the CDP erases the profile, and the CDP's deletion handling re-creates no one", async () => {
    const [contact] = await stack.contactsWithEmail(email);
    expect((await cdp('DELETE', `/v1/profiles/${encodeURIComponent(`email:${email}`)}`)).status).toBeLessThan(300);
    await eventually(async () => ((await stack.crm('GET', `/v1/contacts/${contact?.id}`)).status === 404 ? true : undefined), 'the contact erased in the CRM');
    await eventually(async () => (stack.changes.some((change) => change.contactId === contact?.id && change.changeType === 'deleted') ? true : undefined), 'the deletion published');
    expect(await stack.contactsWithEmail(email)).toEqual([]);
  });
});
