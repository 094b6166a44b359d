import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import pg from 'pg';
import { parseContractValue, profileInsightsV1, TOPICS, type ProfileInsightsV1 } from '@cds/contracts';
import { createKafkajsClient, KafkajsMessageProducer } from '@cds/kafka';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { createIsolatedDatabase, eventually, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';

// Failure cases of the bridge on a real Postgres and Kafka, with the CRM and the
// sync run as their built services (`npx tsc -b tsconfig.build.json`) so they can
// be stopped, killed and restarted like in production. Insights are published
// straight to the topic (no CDP): each profile's versions go out in order, as the
// CDP's outbox relay sends them, and the CRM's database is the judge.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const CRM_ADMIN = 'test-sync-failures-admin-01';
const CRM_SYNC = 'test-sync-failures-sync-001';
const CHILD_LOG_LEVEL = 'error';

interface Tracked {
  readonly contactId: string;
  readonly email: string;
  readonly profileId: string;
}

/** The lifetime value of version `v`: every version changes it, so every applied version leaves exactly one timeline line. */
const ltvOf = (version: number): number => version * 10;

function snapshot(target: Tracked, version: number): ProfileInsightsV1 {
  return parseContractValue(profileInsightsV1, {
    schemaVersion: 1,
    profileId: target.profileId,
    version,
    computedAt: new Date().toISOString(),
    identifiers: { userIds: [], emails: [target.email], crmContactIds: [] },
    insights: {
      currency: 'EUR', lifetimeValue: ltvOf(version), unconvertedRevenue: [], orderCount: version, averageOrderValue: 10, firstOrderAt: null, lastOrderAt: null,
      daysSinceLastOrder: null, lastSeenAt: null, channels: ['web'], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0,
      rfm: null, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
    },
    segments: [],
    consent: [],
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('sync bridge failures: CRM outage, SIGKILL, rebalance', () => {
  const databases: IsolatedDatabase[] = [];
  const processes: ServiceProcess[] = [];
  let prefix: string;
  let brokers: string;
  let crmDb: IsolatedDatabase;
  let syncDb: IsolatedDatabase;
  let crm: ServiceProcess;
  let crmPort: number;
  let sync: { process: ServiceProcess; url: string };
  let crmSql: pg.Client;
  let producer: KafkajsMessageProducer;
  let admin: Admin;

  const startCrm = async (): Promise<ServiceProcess> => {
    const child = startServiceProcess(repoRoot, 'crm', {
      PORT: String(crmPort),
      LOG_LEVEL: CHILD_LOG_LEVEL,
      DATABASE_URL: crmDb.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: `${prefix}crm.`,
      CRM_ADMIN_API_KEY: CRM_ADMIN,
      CRM_SYNC_API_KEY: CRM_SYNC,
    });
    processes.push(child);
    await waitUntilHealthy(child, crmPort, 45_000);
    return child;
  };

  /** One sync instance, as deployed: same database, same group, same topic prefix as any other instance. */
  const startSync = async (): Promise<{ process: ServiceProcess; url: string }> => {
    const port = await findFreePort();
    const child = startServiceProcess(repoRoot, 'sync', {
      PORT: String(port),
      LOG_LEVEL: CHILD_LOG_LEVEL,
      DATABASE_URL: syncDb.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      CRM_URL: `http://127.0.0.1:${crmPort}`,
      CRM_SYNC_API_KEY: CRM_SYNC,
    });
    processes.push(child);
    await waitUntilHealthy(child, port, 45_000);
    return { process: child, url: `http://127.0.0.1:${port}` };
  };

  /** Sum of a Prometheus series of one sync instance, optionally only the lines with `label`. */
  const metric = async (url: string, name: string, label = ''): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      const [series, value] = line.split(' ');
      if (!series || series.startsWith('#')) continue;
      if ((series === name || series.startsWith(`${name}{`)) && series.includes(label)) sum += Number(value);
    }
    return sum;
  };

  /** `count` live contacts written straight into the CRM database, each with the CDP profile that will describe it. */
  const seedContacts = async (label: string, count: number): Promise<Tracked[]> => {
    const { rows } = await crmSql.query<{ id: string; email: string }>(
      `INSERT INTO contacts (first_name, last_name, email) SELECT 'First' || n, $1::text, $1::text || '-' || n || '@failures.example' FROM generate_series(1, $2::int) AS n RETURNING id, email`,
      [label, count],
    );
    return rows.map((row) => ({ contactId: row.id, email: row.email, profileId: randomUUID() }));
  };

  const publishVersion = (targets: readonly Tracked[], version: number): Promise<void> => producer.publish(profileInsightsV1, targets.map((target) => snapshot(target, version)));

  /** Publishes version after version of every target until stopped, like a busy CDP; resolves with the last version published. */
  const startStream = (targets: readonly Tracked[], paceMs: number): { readonly published: () => number; stop(): Promise<number> } => {
    let version = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        await publishVersion(targets, version + 1);
        version += 1;
        await sleep(paceMs);
      }
    })();
    return {
      published: () => version,
      stop: async () => {
        running = false;
        await loop;
        return version;
      },
    };
  };

  const versions = async (targets: readonly Tracked[]): Promise<Map<string, { version: number; ltv: number | null }>> => {
    const { rows } = await crmSql.query<{ id: string; enrichment_version: string; ltv: number | null }>(
      `SELECT id, enrichment_version, (enrichment ->> 'lifetimeValue')::float8 AS ltv FROM contacts WHERE id = ANY($1::uuid[])`,
      [targets.map((target) => target.contactId)],
    );
    return new Map(rows.map((row) => [row.id, { version: Number(row.enrichment_version), ltv: row.ltv }]));
  };

  const appliedCount = async (targets: readonly Tracked[], version: number): Promise<number> =>
    [...(await versions(targets)).values()].filter((held) => held.version >= version).length;

  /** Every contact holds `version` (and its content), never more, never less. */
  const expectAllAt = async (targets: readonly Tracked[], version: number, timeoutMs: number): Promise<void> => {
    await eventually(
      async () => (await appliedCount(targets, version)) === targets.length,
      `all ${targets.length} contacts to hold version ${version}`,
      timeoutMs,
    ).catch(async (error: unknown) => {
      const held = [...(await versions(targets)).values()].map((entry) => entry.version);
      throw new Error(`${(error as Error).message}; versions held: min ${Math.min(...held)}, max ${Math.max(...held)}, at ${version}: ${held.filter((v) => v === version).length}`);
    });
    for (const [contactId, held] of await versions(targets)) expect({ contactId, ...held }).toEqual({ contactId, version, ltv: ltvOf(version) });
  };

  /**
   * The CRM's own record of what it applied, read from contact_timeline: per
   * contact, one "LTV a → b" line per applied version, versions strictly rising,
   * each line starting where the previous one ended, the last one at the final
   * value. A duplicate (a redelivery applied twice) or a stale overwrite breaks it.
   */
  const expectCleanTimelines = async (targets: readonly Tracked[], finalVersion: number): Promise<number> => {
    const { rows } = await crmSql.query<{ contact_id: string; summary: string; version: string }>(
      `SELECT contact_id, summary, detail ->> 'version' AS version FROM contact_timeline WHERE kind = 'insight' AND contact_id = ANY($1::uuid[]) ORDER BY contact_id, id`,
      [targets.map((target) => target.contactId)],
    );
    const duplicates = await crmSql.query(
      `SELECT contact_id, detail ->> 'version' AS version, count(*) FROM contact_timeline WHERE kind = 'insight' AND contact_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
      [targets.map((target) => target.contactId)],
    );
    expect(duplicates.rows).toEqual([]);
    const byContact = new Map<string, { summary: string; version: number }[]>();
    for (const row of rows) byContact.set(row.contact_id, [...(byContact.get(row.contact_id) ?? []), { summary: row.summary, version: Number(row.version) }]);
    expect(byContact.size).toBe(targets.length);
    const problems: string[] = [];
    for (const [contactId, entries] of byContact) {
      let previousVersion = 0;
      let previousLtv = 0;
      for (const entry of entries) {
        const expected = `LTV ${previousLtv.toFixed(2)} → ${ltvOf(entry.version).toFixed(2)} EUR`;
        if (entry.version <= previousVersion || entry.summary !== expected) problems.push(`${contactId}: v${entry.version} "${entry.summary}" after v${previousVersion} (expected "${expected}")`);
        previousVersion = entry.version;
        previousLtv = ltvOf(entry.version);
      }
      if (previousVersion !== finalVersion) problems.push(`${contactId}: timeline ends at v${previousVersion}, not v${finalVersion}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    return rows.length;
  };

  const deadLetterCount = async (): Promise<number> => {
    const offsets = await admin.fetchTopicOffsets(`${prefix}${TOPICS.syncDeadLetters.name}`);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  };

  beforeAll(async () => {
    const infra = testInfrastructure();
    brokers = infra.kafkaBrokers;
    prefix = uniqueTopicPrefix('sync-failures');
    [crmDb, syncDb] = await Promise.all([createIsolatedDatabase('sync_fail_crm'), createIsolatedDatabase('sync_fail_sync')]);
    databases.push(crmDb, syncDb);
    crmPort = await findFreePort();
    crm = await startCrm();
    // The sync creates the bridge's topics (insights and dead letters) as it starts.
    sync = await startSync();
    crmSql = new pg.Client({ connectionString: crmDb.url });
    await crmSql.connect();
    const kafka = createKafkajsClient({ brokers: [brokers], clientId: 'sync-failures-e2e', topicPrefix: prefix });
    producer = new KafkajsMessageProducer(kafka, prefix);
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await crmSql?.end();
    await Promise.all(processes.map((child) => stopServiceProcess(child)));
    await Promise.all(databases.map((database) => database.drop()));
  }, 60_000);

  it('drains the backlog once the CRM is back after an outage under load, to the newest version, nothing lost or dead-lettered', async () => {
    const targets = await seedContacts('outage', 150);
    await stopServiceProcess(crm);
    const failuresBefore = await metric(sync.url, 'sync_crm_request_duration_seconds_count', 'outcome="error"');
    for (const version of [1, 2, 3]) await publishVersion(targets, version); // 450 snapshots while the CRM is down
    await eventually(async () => (await metric(sync.url, 'sync_crm_request_duration_seconds_count', 'outcome="error"')) > failuresBefore, 'the sync to find the CRM unreachable');
    await sleep(4000);
    expect(await appliedCount(targets, 1)).toBe(0);

    crm = await startCrm(); // same port, same database
    const back = Date.now();
    await expectAllAt(targets, 3, 45_000);
    console.info(`outage: backlog of 450 snapshots applied ${((Date.now() - back) / 1000).toFixed(1)} s after the CRM was back`);
    await expectCleanTimelines(targets, 3);
    expect(await deadLetterCount()).toBe(0);
    expect(await metric(sync.url, 'sync_dead_letters_total')).toBe(0);
  }, 90_000);

  it('recovers from a SIGKILL of the sync mid-stream: the CRM ends at the latest state, no timeline entry twice', async () => {
    const targets = await seedContacts('sigkill', 120);
    const stream = startStream(targets, 300);
    // Killed while it is applying: some versions in the CRM, more on the way.
    await eventually(async () => stream.published() >= 3 && (await appliedCount(targets, 1)) > 0, 'the sync to be applying the stream', 30_000);
    sync.process.child.kill('SIGKILL');
    expect(await sync.process.exited).toBe('SIGKILL');
    const killedAt = stream.published();
    const restarted = Date.now();
    sync = await startSync();
    const restartSeconds = (Date.now() - restarted) / 1000;
    // A few more versions after the restart, then the stream ends.
    await eventually(() => stream.published() >= killedAt + 3, 'the stream to go on', 20_000);
    const last = await stream.stop();
    // The killed member holds its partitions until its session times out (30 s, kafkajs' default).
    await expectAllAt(targets, last, 75_000);
    const lines = await expectCleanTimelines(targets, last);
    console.info(`sigkill: killed at v${killedAt}, restarted instance healthy after ${restartSeconds.toFixed(1)} s, stream ended at v${last}, ${lines} timeline lines over ${targets.length} contacts`);
    expect(await deadLetterCount()).toBe(0);
  }, 150_000);

  it('hands partitions over between two instances mid-stream: no loss, no stale overwrite', async () => {
    const targets = await seedContacts('rebalance', 120);
    const stream = startStream(targets, 300);
    await eventually(async () => (await appliedCount(targets, 1)) > 0, 'the first instance to be applying the stream', 30_000);
    const first = sync;
    const second = await startSync(); // the group rebalances over the two
    await eventually(() => metric(second.url, 'sync_enrichment_applied_total'), 'the second instance to apply some of the stream', 30_000);
    await stopServiceProcess(first.process); // and again over the one left
    sync = second;
    const stoppedAt = stream.published();
    await eventually(() => stream.published() >= stoppedAt + 3, 'the stream to go on', 20_000);
    const last = await stream.stop();
    await expectAllAt(targets, last, 45_000);
    await expectCleanTimelines(targets, last);
    expect(await deadLetterCount()).toBe(0);
  }, 120_000);
});
