/**
 * Sync bridge benchmark: how fast CDP insights reach CRM contacts.
 *
 * Starts Postgres, Kafka, the CRM and the sync (built), writes N contacts
 * (20,000 by default) straight into the CRM database, puts V insight snapshots
 * per contact's profile (5 by default: N × V messages, version after version, as
 * the CDP publishes them) on cdp.profile-insights.v1 while the sync is stopped,
 * then starts it and measures how fast it drains that backlog until every contact
 * holds its last version. The baseline is a naive bridge: one CRM request per
 * message, straight from this script (no Kafka, no decoding), with as many
 * clients as the bridge handles partitions at once, on contacts of their own.
 *
 *   npm run build && node tools/bench/dist/sync.bench.js [contacts] [versions]
 */
import { randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { repoRoot, startBenchEnvironment } from './bench-environment.js';

const CONTACTS = Number(process.argv[2] ?? 20_000);
const VERSIONS = Number(process.argv[3] ?? 5);
const BASELINE_CONTACTS = 1_000;
const BASELINE_VERSIONS = 3;
/** The bridge's partitionsConsumedConcurrently: one batch per partition at once. */
const BASELINE_CLIENTS = 12;
const ADMIN_KEY = 'bench-sync-crm-admin-key-01';
const SYNC_KEY = 'bench-sync-crm-sync-key-001';
const PREFIX = 'bench.';
const INSIGHTS_TOPIC = `${PREFIX}cdp.profile-insights.v1`;
const GROUP_ID = `${PREFIX}sync-insights`;
// What the project's producer puts on every profile-insights message.
const HEADERS = { 'content-type': 'application/json', contract: 'cdp.profile-insights v1', 'schema-version': '1' };
const SEND_CHUNK = 2_000;
const DRAIN_TIMEOUT_MS = 20 * 60_000;

interface Profile {
  readonly profileId: string;
  readonly email: string;
}

/** A full profile-insights v1 snapshot, of the size the CDP publishes (segments, consent, RFM, model scores). */
function snapshot(profile: Profile, seed: number, version: number): Record<string, unknown> {
  const lifetimeValue = Math.round((seed % 5000) * 10 + version * 12.5) / 10;
  const segments = [{ segmentId: '6f1c2d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f', key: 'winter-jacket-browsers', name: 'Winter-jacket browsers', enteredAt: '2026-11-20T10:00:00.000Z' }];
  if ((seed + version) % 3 === 0) segments.push({ segmentId: '0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c', key: 'high-value', name: 'High value customers', enteredAt: '2026-11-21T10:00:00.000Z' });
  return {
    schemaVersion: 1,
    profileId: profile.profileId,
    version,
    computedAt: new Date(Date.UTC(2026, 10, 23, 10, 0, version)).toISOString(),
    identifiers: { userIds: [`user-${seed}`], emails: [profile.email], crmContactIds: [] },
    insights: {
      currency: 'EUR',
      lifetimeValue,
      unconvertedRevenue: [],
      orderCount: version + (seed % 7),
      averageOrderValue: 42.5,
      firstOrderAt: '2025-02-01T09:30:00.000Z',
      lastOrderAt: '2026-11-20T18:05:12.120Z',
      daysSinceLastOrder: 3,
      lastSeenAt: '2026-11-23T09:59:00.000Z',
      channels: ['web', 'email'],
      topViewedCategory: 'Jackets',
      topPurchasedCategory: 'Boots',
      emailOpens30d: seed % 9,
      emailClicks30d: seed % 3,
      rfm: { recency: 1 + (seed % 5), frequency: 1 + (version % 5), monetary: 1 + (seed % 4), segment: 'loyal', scoredAt: '2026-11-23T00:00:00.000Z' },
      predictedLifetimeValue: lifetimeValue * 0.8,
      probabilityAlive: 0.8,
      churnRisk: 0.2,
      purchaseProbability30d: 0.3,
    },
    segments,
    consent: [{ purpose: 'marketing', granted: seed % 2 === 0, updatedAt: '2026-06-01T12:00:00.000Z' }],
  };
}

/** What a naive bridge sends for one snapshot: the CRM's enrichment block, addressed by email. */
function naiveUpdate(value: Record<string, unknown>): Record<string, unknown> {
  const insights = value['insights'] as Record<string, unknown>;
  const identifiers = value['identifiers'] as { emails: string[] };
  return {
    email: identifiers.emails[0],
    profileId: value['profileId'],
    version: value['version'],
    enrichment: {
      currency: insights['currency'],
      lifetimeValue: insights['lifetimeValue'],
      predictedLifetimeValue: insights['predictedLifetimeValue'],
      orderCount: insights['orderCount'],
      averageOrderValue: insights['averageOrderValue'],
      lastSeenAt: insights['lastSeenAt'],
      churnRisk: insights['churnRisk'],
      rfm: insights['rfm'],
      segments: (value['segments'] as { key: string; name: string; enteredAt: string }[]).map(({ key, name, enteredAt }) => ({ key, name, enteredAt })),
      consent: (value['consent'] as { purpose: string; granted: boolean }[]).map(({ purpose, granted }) => ({ purpose, granted })),
    },
  };
}

async function metrics(url: string): Promise<Map<string, number>> {
  const series = new Map<string, number>();
  for (const line of (await (await fetch(`${url}/metrics`)).text()).split('\n')) {
    const [name, value] = line.split(' ');
    if (name && value && !name.startsWith('#')) series.set(name, Number(value));
  }
  return series;
}

async function main(): Promise<void> {
  console.log('starting Postgres, Kafka and the CRM (built) ...');
  const environment = await startBenchEnvironment('crm', { CRM_ADMIN_API_KEY: ADMIN_KEY, CRM_SYNC_API_KEY: SYNC_KEY, KAFKA_TOPIC_PREFIX: PREFIX });
  const crm = new pg.Client({ connectionString: environment.databaseUrl });
  await crm.connect();
  const kafka = new Kafka({ brokers: [environment.kafka.brokers], clientId: 'sync-bench', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const syncs: ServiceProcess[] = [];
  const startSync = async (): Promise<{ process: ServiceProcess; url: string }> => {
    const port = await findFreePort();
    const child = startServiceProcess(repoRoot, 'sync', {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: environment.postgres.url('sync'),
      KAFKA_BROKERS: environment.kafka.brokers,
      KAFKA_TOPIC_PREFIX: PREFIX,
      CRM_URL: environment.url,
      CRM_SYNC_API_KEY: SYNC_KEY,
    });
    syncs.push(child);
    await waitUntilHealthy(child, port, 120_000);
    return { process: child, url: `http://127.0.0.1:${port}` };
  };
  try {
    await Promise.all([admin.connect(), producer.connect()]);
    console.log(`writing ${CONTACTS} + ${BASELINE_CONTACTS} (baseline) contacts into the CRM database ...`);
    await crm.query(
      `INSERT INTO contacts (first_name, last_name, email, company_name, lifecycle_stage, created_at)
       SELECT 'First' || n, 'Last' || n, 'sync-bench-' || n || '@bench.example', 'Company ' || (n % 997), 'customer', now() - n * interval '1 second'
         FROM generate_series(1, $1::int) AS n`,
      [CONTACTS + BASELINE_CONTACTS],
    );
    await crm.query('ANALYZE contacts');
    const profiles: Profile[] = Array.from({ length: CONTACTS + BASELINE_CONTACTS }, (_, index) => ({ profileId: randomUUID(), email: `sync-bench-${index + 1}@bench.example` }));
    const bridged = profiles.slice(0, CONTACTS);
    const baseline = profiles.slice(CONTACTS);

    // The sync creates its topics as deployed (partitions, compaction); stopped again, it leaves a topic to fill.
    console.log('starting the sync once to create its topics ...');
    await stopServiceProcess((await startSync()).process);

    // (1) The naive baseline: one request per snapshot, BASELINE_CLIENTS clients, each profile's versions in order.
    console.log(`baseline: ${BASELINE_CONTACTS * BASELINE_VERSIONS} snapshots, one CRM request each, ${BASELINE_CLIENTS} clients ...`);
    const baselineStarted = performance.now();
    await Promise.all(
      Array.from({ length: BASELINE_CLIENTS }, async (_, client) => {
        for (let version = 1; version <= BASELINE_VERSIONS; version++) {
          for (let index = client; index < baseline.length; index += BASELINE_CLIENTS) {
            const body = { updates: [naiveUpdate(snapshot(baseline[index] as Profile, CONTACTS + index, version))] };
            const response = await fetch(`${environment.url}/internal/v1/enrichment`, { method: 'POST', headers: { authorization: `Bearer ${SYNC_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
            const answer = (await response.json()) as { results?: { outcome: string }[] };
            if (response.status >= 300 || answer.results?.[0]?.outcome !== 'applied') throw new Error(`baseline update not applied: ${response.status} ${JSON.stringify(answer)}`);
          }
        }
      }),
    );
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    const baselineRate = (BASELINE_CONTACTS * BASELINE_VERSIONS) / baselineSeconds;

    // (2) The backlog: V rounds of one snapshot per profile, keyed by profile id.
    const total = CONTACTS * VERSIONS;
    console.log(`publishing ${total} snapshots (${CONTACTS} profiles × ${VERSIONS} versions) ...`);
    const publishStarted = performance.now();
    let bytes = 0;
    for (let version = 1; version <= VERSIONS; version++) {
      for (let start = 0; start < bridged.length; start += SEND_CHUNK) {
        const messages = bridged.slice(start, start + SEND_CHUNK).map((profile, offset) => {
          const value = JSON.stringify(snapshot(profile, start + offset, version));
          bytes += value.length;
          return { key: profile.profileId, value, headers: HEADERS };
        });
        await producer.send({ topic: INSIGHTS_TOPIC, acks: -1, compression: CompressionTypes.None, messages });
      }
    }
    const publishSeconds = (performance.now() - publishStarted) / 1000;
    console.log(`  ${publishSeconds.toFixed(1)} s (${Math.round(total / publishSeconds)} messages/s, ${Math.round(bytes / total)} bytes each)`);

    // (3) The sync drains it: committed offsets of its group and the contacts at their last version, once a second.
    const committed = async (): Promise<number> => {
      const [topic] = await admin.fetchOffsets({ groupId: GROUP_ID, topics: [INSIGHTS_TOPIC] });
      return (topic?.partitions ?? []).reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
    };
    const atLastVersion = async (): Promise<number> =>
      Number((await crm.query<{ count: string }>(`SELECT count(*) FROM contacts WHERE enrichment_version = $1 AND email LIKE 'sync-bench-%'`, [VERSIONS])).rows[0]?.count);
    console.log('starting the sync and draining ...');
    const launched = performance.now();
    const sync = await startSync();
    const healthySeconds = (performance.now() - launched) / 1000;
    const samples: { at: number; committed: number; done: number }[] = [];
    let firstCommitAt: number | undefined;
    let lastReport = 0;
    for (;;) {
      const [offsets, done] = await Promise.all([committed(), atLastVersion()]);
      const at = performance.now();
      samples.push({ at, committed: offsets, done });
      if (firstCommitAt === undefined && offsets > 0) firstCommitAt = at;
      if (at - lastReport > 5000) {
        console.log(`  ${((at - launched) / 1000).toFixed(0)} s: ${offsets}/${total} messages committed, ${done}/${CONTACTS} contacts at v${VERSIONS}`);
        lastReport = at;
      }
      if (done >= CONTACTS) break;
      if (at - launched > DRAIN_TIMEOUT_MS) throw new Error(`the sync did not drain ${total} messages within ${DRAIN_TIMEOUT_MS / 60_000} min`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const finishedAt = samples[samples.length - 1]?.at ?? performance.now();
    // The first commit lands once a batch is through; counting from the sample before it keeps that batch's time in.
    const startIndex = Math.max(0, samples.findIndex((sample) => sample.committed > 0) - 1);
    const drainSeconds = (finishedAt - (samples[startIndex]?.at ?? launched)) / 1000;
    const drainRate = total / drainSeconds;
    const low = samples.find((sample) => sample.committed >= total * 0.1);
    const high = samples.find((sample) => sample.committed >= total * 0.9);
    const steadyRate = low && high && high.at > low.at ? (high.committed - low.committed) / ((high.at - low.at) / 1000) : Number.NaN;
    const series = await metrics(sync.url);
    const applied = series.get('sync_enrichment_applied_total') ?? 0;
    const stale = series.get('sync_enrichment_stale_total') ?? 0;
    const notFound = series.get('sync_enrichment_not_found_total') ?? 0;
    const requests = series.get('sync_crm_request_duration_seconds_count{outcome="ok"}') ?? 0;
    const requestSeconds = series.get('sync_crm_request_duration_seconds_sum{outcome="ok"}') ?? 0;
    const deadLetters = [...series].filter(([name]) => name.startsWith('sync_dead_letters_total')).reduce((sum, [, value]) => sum + value, 0);

    console.log('');
    console.log(`Sync bridge, ${CONTACTS} contacts × ${VERSIONS} versions = ${total} insight snapshots (backlog), one sync instance (${BASELINE_CLIENTS} partitions at once), 12 partitions`);
    console.log(`  sync start to healthy:                  ${healthySeconds.toFixed(1)} s`);
    console.log(`  drained, every contact at v${VERSIONS}:            ${drainSeconds.toFixed(1)} s → ${Math.round(drainRate)} snapshots/s sustained (steady 10–90 %: ${Math.round(steadyRate)}/s)`);
    console.log(`  CRM updates sent: ${applied + stale + notFound} (applied ${applied}, stale ${stale}, not found ${notFound}) in ${requests} requests (${((applied + stale + notFound) / Math.max(1, requests)).toFixed(0)} per request, mean ${((1000 * requestSeconds) / Math.max(1, requests)).toFixed(0)} ms); ${total - (applied + stale + notFound)} coalesced away in the sync`);
    console.log(`  applied to the CRM:                     ${Math.round(applied / drainSeconds)} updates/s; dead letters: ${deadLetters}`);
    console.log(`  naive baseline, one request per snapshot (${BASELINE_CLIENTS} clients, ${BASELINE_CONTACTS * BASELINE_VERSIONS} snapshots): ${Math.round(baselineRate)} snapshots/s`);
    console.log(`  bridge / baseline:                      ×${(drainRate / baselineRate).toFixed(1)}`);
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), crm.end()]);
    await Promise.all(syncs.map((child) => stopServiceProcess(child)));
    await environment.close();
  }
}

await main();
