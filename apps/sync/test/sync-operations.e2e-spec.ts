import path from 'node:path';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, withPostgresClient, type ServiceProcess } from '@cds/local-infra';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, eventually, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { SyncEnv } from '../src/config/sync-env.js';
import { SyncModule } from '../src/sync.module.js';

// The CDP and the CRM run as built services, and so do the two commands (apps/sync/dist/commands):
// `npx tsc -b tsconfig.build.json` first.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const CDP_ADMIN = 'test-ops-cdp-admin-token';
const CRM_ADMIN = 'test-ops-crm-admin-key-01';
const CRM_SYNC = 'test-ops-crm-sync-key-001';
const SYNC_ADMIN = 'test-ops-sync-admin-token';
const INSIGHTS = 'cdp.profile-insights.v1';
const DEAD_LETTERS = 'sync.dead-letters.v1';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface LogRow {
  id: string;
  kind: string;
  profileId: string | null;
  contactId: string | null;
  version: number | null;
  source: { topic: string; partition: number; offset: string } | null;
  reason: string | null;
}

interface ContactView {
  enrichment: { lifetimeValue: number } | null;
  enrichmentVersion: number;
  timeline: { kind: string }[];
}

interface Report {
  counts: { inSync: number; missing: number; stale: number; extra: number; unmatched: number };
  examples: { missing: { contactId: string }[]; stale: { contactId: string }[]; extra: { contactId: string }[]; unmatched: { profileId: string }[] };
}

async function call(url: string, authorization: string | null, method: string, route: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
  const response = await fetch(`${url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function snapshot(profileId: string, version: number, email: string, lifetimeValue = 50): string {
  return JSON.stringify({
    schemaVersion: 1,
    profileId,
    version,
    computedAt: new Date().toISOString(),
    identifiers: { userIds: [], emails: [email], crmContactIds: [] },
    insights: {
      currency: 'EUR', lifetimeValue, unconvertedRevenue: [], orderCount: 1, averageOrderValue: lifetimeValue, firstOrderAt: null, lastOrderAt: null, daysSinceLastOrder: null,
      lastSeenAt: null, channels: ['pos'], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0, rfm: null,
      predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
    },
    segments: [],
    consent: [],
  });
}

/** Runs a built command as its own process; resolves with its exit code and output. */
function runCommand(name: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'apps', 'sync', 'dist', 'commands', `${name}.js`), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sync operations: sync log, dead-letter replay, full resync', () => {
  const databases: IsolatedDatabase[] = [];
  const processes: ServiceProcess[] = [];
  const consumers: Consumer[] = [];
  // Updates for these profiles are refused (422) by the proxy in front of the CRM, as a CRM refusing their content would.
  const refusedProfiles = new Set<string>();
  let proxy: Server;
  let proxyUrl: string;
  let producer: Producer;
  let kafka: Kafka;
  let cdpUrl: string;
  let crmUrl: string;
  let crmDbUrl: string;
  let sync: RunningTestApp;
  let prefix: string;
  let repKey: string;
  let commandEnv: Record<string, string>;

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
  const syncLog = async (query: string, token: string | null = SYNC_ADMIN): Promise<Answer> => call(sync.url, token ? `Bearer ${token}` : null, 'GET', `/v1/sync-log${query}`);
  const logRows = async (query: string): Promise<LogRow[]> => (await syncLog(query)).body['data'] as LogRow[];
  const produce = (messages: { key: string; value: string }[]): Promise<unknown> => producer.send({ topic: `${prefix}${INSIGHTS}`, messages: messages.map((message) => ({ partition: 0, ...message })) });

  beforeAll(async () => {
    const infra = testInfrastructure();
    prefix = uniqueTopicPrefix('sync-ops');
    const [cdpDb, crmDb, syncDb] = await Promise.all([createIsolatedDatabase('sync_ops_cdp'), createIsolatedDatabase('sync_ops_crm'), createIsolatedDatabase('sync_ops_sync')]);
    databases.push(cdpDb, crmDb, syncDb);
    crmDbUrl = crmDb.url;
    [cdpUrl, crmUrl] = await Promise.all([
      startChild('cdp', { DATABASE_URL: cdpDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix, CDP_ADMIN_TOKEN: CDP_ADMIN }),
      startChild('crm', { DATABASE_URL: crmDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('sync-ops-crm'), CRM_ADMIN_API_KEY: CRM_ADMIN, CRM_SYNC_API_KEY: CRM_SYNC }),
    ]);
    proxy = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const updates = request.method === 'POST' && body ? ((JSON.parse(body) as { updates?: { profileId: string }[] }).updates ?? []) : [];
        if (updates.some((update) => refusedProfiles.has(update.profileId))) {
          response.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 422, message: 'refused by the test proxy' }));
          return;
        }
        const headers = { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' };
        void fetch(`${crmUrl}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, body: body || undefined })
          .then(async (answer) => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()))
          .catch(() => response.writeHead(502).end());
      });
    });
    const proxyPort = await findFreePort();
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    commandEnv = { DATABASE_URL: syncDb.url, KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix, CRM_URL: proxyUrl, CRM_SYNC_API_KEY: CRM_SYNC, LOG_LEVEL: 'warn' };
    const env = testEnv(SyncEnv, { ...commandEnv, SYNC_ADMIN_TOKEN: SYNC_ADMIN });
    sync = await startTestApp('sync', (logger) => SyncModule.forRoot(env, logger));
    repKey = (await call(crmUrl, `Bearer ${CRM_ADMIN}`, 'POST', '/v1/api-keys', { name: 'rep', role: 'sales_rep' })).body['key'] as string;
    kafka = new Kafka({ brokers: [infra.kafkaBrokers], clientId: 'sync-ops-e2e', logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
    await producer?.disconnect();
    await sync?.close();
    await new Promise((resolve) => proxy?.close(resolve));
    await Promise.all(processes.map((child) => stopServiceProcess(child)));
    await Promise.all(databases.map((database) => database.drop()));
  }, 60_000);

  const ids: Record<string, string> = {};
  const profiles = { ana: randomUUID(), bo: randomUUID(), cy: randomUUID(), fay: randomUUID(), nobody: randomUUID() };

  it('logs what real traffic did, queryable by profile, contact and kind, page by page, for the admin token only', async () => {
    for (const name of ['ana', 'bo', 'cy', 'dee']) ids[name] = await createContact(`${name}@example.com`);
    // One real shopper through the CDP...
    const source = await call(cdpUrl, `Bearer ${CDP_ADMIN}`, 'POST', '/v1/admin/sources', { name: 'web-shop', channel: 'web' });
    const basic = `Basic ${Buffer.from(`${source.body['writeKey'] as string}:`).toString('base64')}`;
    const tracked = await call(cdpUrl, basic, 'POST', '/v1/track', { anonymousId: 'dee-1', event: 'Order Completed', properties: { revenue: 90, currency: 'EUR' }, context: { traits: { email: 'dee@example.com' } } });
    expect(tracked.status).toBe(200);
    // ...and snapshots as the CDP publishes them, with a poison message in between.
    await produce([
      { key: profiles.ana, value: snapshot(profiles.ana, 1, 'ana@example.com') },
      { key: profiles.bo, value: snapshot(profiles.bo, 1, 'bo@example.com') },
      { key: 'poison-json', value: 'this is not json' },
      { key: profiles.cy, value: snapshot(profiles.cy, 3, 'cy@example.com') },
      { key: profiles.nobody, value: snapshot(profiles.nobody, 1, 'nobody@example.com') },
    ]);
    await produce([{ key: profiles.ana, value: snapshot(profiles.ana, 2, 'ana@example.com', 75) }]);
    await eventually(async () => (await contact(ids['dee'] ?? '')).enrichment !== null, "the CDP's insights on Dee's contact", 20_000);
    await eventually(async () => (await logRows(`?profileId=${profiles.ana}&kind=applied`)).some((row) => row.version === 2), "Ana's second version in the sync log", 20_000);

    expect((await syncLog('', null)).status).toBe(401);
    expect((await syncLog('', 'wrong-token-of-length')).status).toBe(401);

    const ana = await logRows(`?contactId=${ids['ana'] ?? ''}`);
    expect(ana.length).toBeGreaterThanOrEqual(1);
    expect(ana.every((row) => row.contactId === ids['ana'] && row.profileId === profiles.ana)).toBe(true);
    expect(ana[0]).toMatchObject({ kind: 'applied', version: 2, source: { topic: `${prefix}${INSIGHTS}`, partition: 0 } });
    const [poison] = await eventually(async () => {
      const rows = await logRows('?kind=dead_lettered');
      return rows.length > 0 ? rows : undefined;
    }, 'the poison message in the sync log');
    expect(poison).toMatchObject({ kind: 'dead_lettered', profileId: 'poison-json', source: { topic: `${prefix}${INSIGHTS}`, partition: 0 }, reason: expect.stringMatching(/JSON/) });
    expect(await logRows(`?profileId=${profiles.nobody}`)).toEqual([expect.objectContaining({ kind: 'not_found', reason: expect.stringContaining('email') })]);
    // The per-message consumers log too: Bo's profile merged into a new survivor moves its link.
    const survivor = randomUUID();
    const merge = { schemaVersion: 1, mergeId: randomUUID(), survivorProfileId: survivor, mergedProfileIds: [profiles.bo], identifiers: { userIds: [], emails: ['bo@example.com'], crmContactIds: [] }, survivorVersion: 1, occurredAt: new Date().toISOString() };
    await producer.send({ topic: `${prefix}cdp.profile-merges.v1`, messages: [{ key: survivor, value: JSON.stringify(merge) }] });
    const [merged] = await eventually(async () => {
      const rows = await logRows(`?profileId=${survivor}&kind=merged`);
      return rows.length > 0 ? rows : undefined;
    }, "Bo's merge in the sync log", 20_000);
    expect(merged).toMatchObject({ reason: 'link-moved', source: { topic: `${prefix}cdp.profile-merges.v1` } });

    const applied = await logRows('?kind=applied');
    expect(applied.length).toBeGreaterThanOrEqual(4);
    const first = await syncLog('?kind=applied&limit=2');
    const second = await syncLog(`?kind=applied&limit=2&cursor=${first.body['nextCursor'] as string}`);
    const pages = [...(first.body['data'] as LogRow[]), ...(second.body['data'] as LogRow[])];
    expect(pages.map((row) => row.id)).toEqual(applied.slice(0, 4).map((row) => row.id));
    expect(pages.map((row) => Number(row.id))).toEqual(pages.map((row) => Number(row.id)).sort((a, b) => b - a));
    expect((await logRows(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).length).toBe(0);

    for (const [query, parameter] of [['?limit=0', 'limit'], ['?kind=exploded', 'kind'], ['?since=yesterday', 'since'], ['?cursor=forged', 'cursor']] as const) {
      expect(await syncLog(query)).toMatchObject({ status: 400, body: { parameter, message: expect.stringContaining(parameter) } });
    }
  }, 60_000);

  it('replays a refused message once the CRM takes it, leaving filtered-out letters for later; a second run does nothing', async () => {
    ids['fay'] = await createContact('fay@example.com');
    refusedProfiles.add(profiles.fay);
    await produce([{ key: profiles.fay, value: snapshot(profiles.fay, 1, 'fay@example.com') }]);
    await eventually(async () => (await logRows(`?profileId=${profiles.fay}&kind=dead_lettered`)).length === 1, "Fay's refused snapshot dead-lettered", 20_000);
    expect((await contact(ids['fay'] ?? '')).enrichment).toBeNull();
    refusedProfiles.clear();

    const dry = await runCommand('replay-dead-letters', ['--dry-run', '--reason-contains', 'refused'], commandEnv);
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining('would replay 1') });
    const replay = await runCommand('replay-dead-letters', ['--reason-contains', 'refused'], commandEnv);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('read 2, applied 1, stale 0, not found 0, failed again 0, skipped 1');
    const fay = await contact(ids['fay'] ?? '');
    expect(fay.enrichment?.lifetimeValue).toBe(50);
    expect(await logRows(`?profileId=${profiles.fay}&kind=replayed`)).toEqual([expect.objectContaining({ contactId: ids['fay'], version: 1, reason: expect.stringContaining('applied') })]);

    const again = await runCommand('replay-dead-letters', ['--reason-contains', 'refused'], commandEnv);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('applied 0, stale 0, not found 0, failed again 0, skipped 1');
    expect((await contact(ids['fay'] ?? '')).timeline.filter((entry) => entry.kind === 'insight')).toHaveLength(fay.timeline.filter((entry) => entry.kind === 'insight').length);

    // Unfiltered, the poison message fails again and goes back with its replay count.
    const all = await runCommand('replay-dead-letters', [], commandEnv);
    expect(all.stdout).toContain('applied 0, stale 0, not found 0, failed again 1, skipped 0');
    const letters: { key: string | null; headers: Record<string, string> }[] = [];
    const reader = kafka.consumer({ groupId: `reader-${randomUUID()}` });
    consumers.push(reader);
    await reader.connect();
    await reader.subscribe({ topic: `${prefix}${DEAD_LETTERS}`, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void letters.push({ key: message.key?.toString() ?? null, headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])) }) });
    const replayed = await eventually(() => letters.find((letter) => letter.key === 'poison-json' && letter.headers['replay-count'] === '1'), 'the poison letter back with replay-count 1');
    expect(replayed.headers).toMatchObject({ 'original-topic': `${prefix}${INSIGHTS}`, 'original-partition': '0', 'dead-letter-reason': expect.stringMatching(/JSON/) });

    const unreachable = await runCommand('replay-dead-letters', [], { ...commandEnv, CRM_URL: `http://127.0.0.1:${await findFreePort()}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the CRM (CRM_URL)');
  }, 90_000);

  it('reports deliberate CRM damage as exactly missing, stale and extra, repairs it, and then finds everything in sync', async () => {
    ids['gus'] = await createContact('gus@example.com');
    const ghost = randomUUID();
    // An enrichment from a profile the topic never had (as left behind by a lost tombstone).
    const enrichment = { currency: 'EUR', lifetimeValue: 1, predictedLifetimeValue: null, orderCount: 1, averageOrderValue: 1, lastSeenAt: null, churnRisk: null, rfm: null, segments: [], consent: [] };
    const extra = await call(crmUrl, `Bearer ${CRM_SYNC}`, 'POST', '/internal/v1/enrichment', { updates: [{ contactId: ids['gus'], profileId: ghost, version: 5, enrichment }] });
    expect(extra.status).toBe(200);
    await withPostgresClient(crmDbUrl, async (client) => {
      await client.query(`UPDATE contacts SET enrichment = NULL, cdp_profile_id = NULL, enrichment_version = 0, enrichment_synced_at = NULL, segment_keys = '{}' WHERE id = $1`, [ids['ana']]);
      await client.query('UPDATE contacts SET enrichment_version = 1 WHERE id = $1', [ids['cy']]);
    });

    const dry = await runCommand('resync', ['--dry-run', '--json'], commandEnv);
    expect(dry.code).toBe(0);
    const before = JSON.parse(dry.stdout) as { before: Report; repaired: unknown; after: unknown };
    expect(before.before.counts).toMatchObject({ missing: 1, stale: 1, extra: 1, unmatched: 1 });
    expect(before.before.examples.missing.map((item) => item.contactId)).toEqual([ids['ana']]);
    expect(before.before.examples.stale.map((item) => item.contactId)).toEqual([ids['cy']]);
    expect(before.before.examples.extra.map((item) => item.contactId)).toEqual([ids['gus']]);
    expect(before.before.examples.unmatched.map((item) => item.profileId)).toEqual([profiles.nobody]);
    expect(before).toMatchObject({ repaired: null, after: null });
    expect((await contact(ids['ana'] ?? '')).enrichment).toBeNull();

    const repair = await runCommand('resync', ['--json'], commandEnv);
    expect(repair.code).toBe(0);
    const repaired = JSON.parse(repair.stdout) as { repaired: Record<string, number>; after: Report };
    expect(repaired.repaired).toEqual({ sent: 2, applied: 2, stale: 0, notFound: 0, deadLettered: 0, cleared: 1 });
    expect(repaired.after.counts).toMatchObject({ missing: 0, stale: 0, extra: 0, unmatched: 1 });
    expect(await contact(ids['ana'] ?? '')).toMatchObject({ enrichment: { lifetimeValue: 75 }, enrichmentVersion: 2 });
    expect((await contact(ids['cy'] ?? '')).enrichmentVersion).toBe(3);
    expect((await contact(ids['gus'] ?? '')).enrichment).toBeNull();
    expect((await logRows('?kind=resynced')).map((row) => row.contactId).sort()).toEqual([ids['ana'], ids['cy'], ids['gus']].sort());

    const check = await runCommand('resync', ['--dry-run'], commandEnv);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/missing\s+0\n/);
    expect(check.stdout).toMatch(/stale\s+0\n/);
    expect(check.stdout).toMatch(/extra\s+0\n/);
  }, 120_000);
});
