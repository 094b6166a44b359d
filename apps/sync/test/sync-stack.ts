import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { SyncEnv } from '../src/config/sync-env.js';
import { SyncModule } from '../src/sync.module.js';
import { basicAuth, call, expectStatus, metric, type Answer } from './http.js';
import { TestKafka } from './test-kafka.js';
import type { ContactView, InsightsView, ProfileView } from './views.js';

// The services of one test file: the CRM (and the CDP when asked) as their built services (apps/*/dist,
// `npx tsc -b tsconfig.build.json`), the sync in-process or as processes, all with databases of their own and
// on one topic prefix of their own. Apps meet only through Kafka and HTTP, so nothing of the CDP or the CRM is
// imported here.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const CDP_ADMIN = 'test-stack-cdp-admin-token';
const CRM_ADMIN = 'test-stack-crm-admin-key-01';
const CRM_SYNC = 'test-stack-crm-sync-key-001';
const HEALTHY_WITHIN_MS = 60_000;

export interface SyncStackOptions {
  /** Start the CDP too, optionally with these variables on top of the stack's. */
  readonly cdp?: boolean | Readonly<Record<string, string>>;
  /**
   * `shared` (default): the CRM publishes its contact changes where the CDP and the sync read them. `own`: under a
   * prefix of its own, so neither sees a contact the test creates (the sync only learns of it through its own lookups).
   */
  readonly crmTopics?: 'shared' | 'own';
  /** `in-process` (default) starts the sync with the stack; `later` leaves it to startSync or startSyncProcess. */
  readonly sync?: 'in-process' | 'later';
  /** Variables of the sync on top of the stack's (SYNC_MODE, ...). */
  readonly syncEnv?: Readonly<Record<string, string>>;
  /** Kafka of the stack; the run's shared broker by default. */
  readonly kafkaBrokers?: string;
  /** LOG_LEVEL of the service processes (and of the sync's commands). */
  readonly childLogLevel?: string;
}

export interface SyncProcess {
  readonly process: ServiceProcess;
  readonly url: string;
}

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class SyncStack {
  private readonly processes: ServiceProcess[] = [];
  private readonly databases: IsolatedDatabase[] = [];
  private readonly sqlClients: pg.Client[] = [];
  private crmProcess: ServiceProcess | undefined;
  private crmEnv: Record<string, string> = {};
  private crmPort = 0;
  private repKey = '';
  private syncApp: RunningTestApp | undefined;
  private crmClient: pg.Client | undefined;
  /** The variables the sync runs with: the in-process sync, sync processes and the sync's commands. */
  private syncVariables: Record<string, string> = {};
  readonly kafka: TestKafka;
  cdpUrl = '';

  private constructor(
    readonly topicPrefix: string,
    private readonly brokers: string,
    private readonly childLogLevel: string,
  ) {
    this.kafka = new TestKafka(brokers, topicPrefix);
  }

  static async start(label: string, options: SyncStackOptions = {}): Promise<SyncStack> {
    const stack = new SyncStack(uniqueTopicPrefix(label), options.kafkaBrokers ?? testInfrastructure().kafkaBrokers, options.childLogLevel ?? 'warn');
    try {
      await stack.boot(label, options);
    } catch (error) {
      await stack.stop();
      throw new Error(`could not start the services of ${label}`, { cause: error });
    }
    return stack;
  }

  private async boot(label: string, options: SyncStackOptions): Promise<void> {
    const [crmDb, syncDb, cdpDb] = await Promise.all(['crm', 'sync', ...(options.cdp ? ['cdp'] : [])].map((name) => createIsolatedDatabase(`${label}_${name}`)));
    if (!crmDb || !syncDb) throw new Error('a CRM and a sync database expected');
    this.databases.push(crmDb, syncDb, ...(cdpDb ? [cdpDb] : []));
    const shared = { KAFKA_BROKERS: this.brokers, KAFKA_TOPIC_PREFIX: this.topicPrefix, LOG_LEVEL: this.childLogLevel };
    const crmPrefix = options.crmTopics === 'own' ? `${this.topicPrefix}crm.` : this.topicPrefix;
    this.crmEnv = { ...shared, KAFKA_TOPIC_PREFIX: crmPrefix, DATABASE_URL: crmDb.url, CRM_ADMIN_API_KEY: CRM_ADMIN, CRM_SYNC_API_KEY: CRM_SYNC };
    this.crmPort = await findFreePort();
    await Promise.all([this.startCrm(), cdpDb ? this.startCdp({ ...shared, DATABASE_URL: cdpDb.url, CDP_ADMIN_TOKEN: CDP_ADMIN, ...(typeof options.cdp === 'object' ? options.cdp : {}) }) : undefined]);
    this.syncVariables = { DATABASE_URL: syncDb.url, KAFKA_BROKERS: this.brokers, KAFKA_TOPIC_PREFIX: this.topicPrefix, CRM_URL: this.crmUrl, CRM_SYNC_API_KEY: CRM_SYNC, ...options.syncEnv };
    const key = expectStatus(await call(this.crmUrl, `Bearer ${CRM_ADMIN}`, 'POST', '/v1/api-keys', { name: 'rep', role: 'sales_rep' }), 201, 'create the rep key');
    this.repKey = key['key'] as string;
    this.crmClient = await this.connect(crmDb.url);
    if (options.sync !== 'later') await this.startSync();
  }

  private async startCdp(env: Record<string, string>): Promise<void> {
    const port = await findFreePort();
    await this.startChild('cdp', port, env);
    this.cdpUrl = `http://127.0.0.1:${port}`;
  }

  private async startChild(name: string, port: number, env: Record<string, string>): Promise<ServiceProcess> {
    const child = startServiceProcess(repoRoot, name, { PORT: String(port), ...env });
    this.processes.push(child);
    await waitUntilHealthy(child, port, HEALTHY_WITHIN_MS);
    return child;
  }

  private async connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    this.sqlClients.push(client);
    await client.connect();
    return client;
  }

  async stop(): Promise<void> {
    await this.kafka.close();
    await Promise.allSettled(this.sqlClients.map((client) => client.end()));
    await this.syncApp?.close();
    await Promise.all(this.processes.map((child) => stopServiceProcess(child)));
    await Promise.all(this.databases.map((database) => database.drop()));
  }

  /** The CRM's database, to check what it holds or to damage it on purpose. */
  get crmSql(): pg.Client {
    if (!this.crmClient) throw new Error('the stack is not started');
    return this.crmClient;
  }

  get crmUrl(): string {
    return `http://127.0.0.1:${this.crmPort}`;
  }

  /** Starts the CRM again (same port, same database) after stopCrm. */
  async startCrm(): Promise<void> {
    this.crmProcess = await this.startChild('crm', this.crmPort, this.crmEnv);
  }

  async stopCrm(): Promise<void> {
    if (this.crmProcess) await stopServiceProcess(this.crmProcess);
  }

  /** The sync in-process, on top of its variables `variables` (the CRM behind a proxy, an admin token, ...). */
  async startSync(variables: Readonly<Record<string, string>> = {}): Promise<void> {
    this.syncVariables = { ...this.syncVariables, ...variables };
    const env = testEnv(SyncEnv, this.syncVariables);
    this.syncApp = await startTestApp('sync', (logger) => SyncModule.forRoot(env, logger));
  }

  /** One more sync instance as a process, as deployed: same database, same group, same topic prefix as any other. */
  async startSyncProcess(): Promise<SyncProcess> {
    const port = await findFreePort();
    const child = await this.startChild('sync', port, { ...this.syncVariables, LOG_LEVEL: this.childLogLevel });
    return { process: child, url: `http://127.0.0.1:${port}` };
  }

  /** Runs a built command of the sync (apps/sync/dist/commands/<name>.js) with the sync's variables, overridden by `variables`. */
  runCommand(name: string, args: string[], variables: Readonly<Record<string, string>> = {}): Promise<CommandRun> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env, ...this.syncVariables, LOG_LEVEL: this.childLogLevel, ...variables };
      const child = spawn(process.execPath, [path.join(repoRoot, 'apps', 'sync', 'dist', 'commands', `${name}.js`), ...args], { cwd: repoRoot, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** The in-process sync. */
  get sync(): RunningTestApp {
    if (!this.syncApp) throw new Error('the sync runs in-process only after startSync');
    return this.syncApp;
  }

  /** Sum of a Prometheus series of the in-process sync, optionally only over the lines whose labels include `label`. */
  metric(name: string, label = ''): Promise<number> {
    return metric(this.sync.url, name, label);
  }

  syncQuery<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.sync.app.get(DataSource).query(sql, parameters) as Promise<T[]>;
  }

  /** The contact the sync linked a profile to. */
  async linkOf(profileId: string): Promise<string | undefined> {
    return (await this.syncQuery<{ contact_id: string }>('SELECT contact_id FROM profile_contact_links WHERE profile_id = $1', [profileId]))[0]?.contact_id;
  }

  /** Whether the sync remembers a profile as having no contact (yet). */
  async isUnmatched(profileId: string): Promise<boolean> {
    return (await this.syncQuery('SELECT 1 FROM unmatched_profiles WHERE profile_id = $1', [profileId])).length === 1;
  }

  /** The CDP's admin API. */
  cdp(method: string, route: string, body?: unknown): Promise<Answer> {
    return call(this.cdpUrl, `Bearer ${CDP_ADMIN}`, method, route, body);
  }

  /** The CDP's collection API, as a source's SDK calls it. */
  collect(writeKey: string, route: string, body: unknown): Promise<Answer> {
    return call(this.cdpUrl, basicAuth(writeKey), 'POST', route, body);
  }

  /** The CRM's API with a sales rep's key. */
  crm(method: string, route: string, body?: unknown): Promise<Answer> {
    return call(this.crmUrl, `Bearer ${this.repKey}`, method, route, body);
  }

  /** The CRM's internal API with the sync's key. */
  crmInternal(method: string, route: string, body?: unknown): Promise<Answer> {
    return call(this.crmUrl, `Bearer ${CRM_SYNC}`, method, route, body);
  }

  async createSource(name: string, channel: string): Promise<string> {
    return expectStatus(await this.cdp('POST', '/v1/admin/sources', { name, channel }), 201, `create source ${name}`)['writeKey'] as string;
  }

  async createSegment(key: string, name: string, rule: unknown): Promise<void> {
    expectStatus(await this.cdp('POST', '/v1/segments', { key, name, rule }), 201, `create segment ${key}`);
  }

  /** A rep's new contact: the given fields, or an email alone (its local part as the first name). */
  async createContact(fields: Record<string, string> | string): Promise<string> {
    const body = typeof fields === 'string' ? { email: fields, firstName: fields.split('@')[0] } : fields;
    return expectStatus(await this.crm('POST', '/v1/contacts', body), 201, 'create contact')['id'] as string;
  }

  async contact(id: string): Promise<ContactView> {
    return expectStatus(await this.crm('GET', `/v1/contacts/${id}`), 200, `get contact ${id}`) as unknown as ContactView;
  }

  async contactsWithEmail(email: string): Promise<ContactView[]> {
    return expectStatus(await this.crm('GET', `/v1/contacts?email=${encodeURIComponent(email)}`), 200, `contacts with ${email}`)['data'] as ContactView[];
  }

  /** The CDP's insights of a profile reference (`email:…`, `user_id:…`), or null when it has none (yet). */
  async insights(reference: string): Promise<InsightsView | null> {
    const answer = await this.cdp('GET', `/v1/profiles/${encodeURIComponent(reference)}/insights`);
    if (answer.status === 404) return null;
    return expectStatus(answer, 200, `insights of ${reference}`) as unknown as InsightsView;
  }

  async profile(reference: string): Promise<ProfileView | null> {
    const answer = await this.cdp('GET', `/v1/profiles/${encodeURIComponent(reference)}`);
    if (answer.status === 404) return null;
    return expectStatus(answer, 200, `profile ${reference}`) as unknown as ProfileView;
  }

  /** The messageIds of a profile's stored events, newest first, every page; empty when there is no such profile. */
  async eventMessageIds(reference: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await this.cdp('GET', `/v1/profiles/${encodeURIComponent(reference)}/events?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (answer.status === 404) return [];
      const page = expectStatus(answer, 200, `events of ${reference}`) as { data: { messageId: string }[]; nextCursor: string | null };
      ids.push(...page.data.map((event) => event.messageId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids;
  }

  /** Moves the CDP's controllable clock; the answer comes after the due re-evaluation. */
  async advanceClock(advanceBy: string): Promise<Date> {
    return new Date(expectStatus(await this.cdp('POST', '/v1/admin/clock', { advanceBy }), 200, `advance the clock by ${advanceBy}`)['now'] as string);
  }
}
