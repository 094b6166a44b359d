/**
 * CRM enrichment benchmark, over N contacts (1,000,000 by default) written
 * straight into the database, about 5 % of them enriched and in segments:
 *  1. throughput of enrichment applied through POST /internal/v1/enrichment
 *     (batches of 500, several concurrent clients) against one update per request;
 *  2. p50/p99 latency of segment lists: by segment, sorted by LTV, and with a churn-risk filter.
 *
 *   npm run build && node tools/bench/dist/crm-enrichment.bench.js [contacts]
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { percentile, startBenchEnvironment } from './bench-environment.js';

const CONTACTS = Number(process.argv[2] ?? 1_000_000);
const ADMIN_KEY = 'bench-crm-admin-key-0001';
const SYNC_KEY = 'bench-crm-sync-key-00001';
const BATCH = 500;
const CLIENTS = 4;
const BATCHED_UPDATES = 40_000;
const SINGLE_UPDATES = 2_000;
const QUERIES = 300;
const SEGMENT = 'high-value-customers';

function enrichment(seed: number): Record<string, unknown> {
  const segments = [{ key: 'winter-jacket-browsers', name: 'Winter-jacket browsers', enteredAt: '2026-11-20T10:00:00.000Z' }];
  if (seed % 20 === 0) segments.push({ key: SEGMENT, name: 'High value customers', enteredAt: '2026-11-21T10:00:00.000Z' });
  return {
    currency: 'EUR',
    lifetimeValue: (seed % 5000) / 2,
    predictedLifetimeValue: (seed % 7000) / 2,
    orderCount: seed % 30,
    averageOrderValue: 42.5,
    lastSeenAt: '2026-11-23T10:00:00.000Z',
    churnRisk: (seed % 100) / 100,
    rfm: { recency: 1 + (seed % 5), frequency: 1 + (seed % 4), monetary: 1 + (seed % 3), segment: 'loyal', scoredAt: '2026-11-23T00:00:00.000Z' },
    segments,
    consent: [{ purpose: 'marketing', granted: seed % 2 === 0 }],
  };
}

async function main(): Promise<void> {
  console.log('starting Postgres, Kafka and the CRM (built) ...');
  const environment = await startBenchEnvironment('crm', { CRM_ADMIN_API_KEY: ADMIN_KEY, CRM_SYNC_API_KEY: SYNC_KEY });
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  const call = async (key: string, method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${environment.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  try {
    console.log(`writing ${CONTACTS} contacts into the database ...`);
    const seeded = performance.now();
    // Every 20th contact is enriched (5 %), every other one of those in the high-value segment.
    await client.query(
      `INSERT INTO contacts (first_name, last_name, email, company_name, owner, lifecycle_stage, enrichment, enrichment_version, enrichment_synced_at, cdp_profile_id, segment_keys, created_at)
       SELECT 'First' || n, 'Last' || (n % 10007), 'contact' || n || '@bench.example', 'Company ' || (n % 5003), 'owner-' || (n % 50), 'customer',
              e, CASE WHEN e IS NULL THEN 0 ELSE 1 END, CASE WHEN e IS NULL THEN NULL ELSE now() END, CASE WHEN e IS NULL THEN NULL ELSE gen_random_uuid() END,
              CASE WHEN n % 40 = 0 THEN ARRAY['winter-jacket-browsers', $2] WHEN n % 20 = 0 THEN ARRAY['winter-jacket-browsers'] ELSE '{}' END,
              now() - n * interval '1 second'
         FROM generate_series(1, $1) AS n,
              LATERAL (SELECT CASE WHEN n % 20 = 0 THEN jsonb_build_object('currency', 'EUR', 'lifetimeValue', (n % 5000) / 2.0, 'orderCount', n % 30,
                              'churnRisk', (n % 100) / 100.0, 'segments', '[]'::jsonb, 'consent', '[]'::jsonb) END AS e) AS enriched`,
      [CONTACTS, SEGMENT],
    );
    await client.query('ANALYZE contacts');
    console.log(`  ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const ids = (await client.query<{ id: string }>('SELECT id FROM contacts ORDER BY random() LIMIT $1', [BATCHED_UPDATES + SINGLE_UPDATES])).rows.map((row) => row.id);
    const update = (id: string, seed: number, version: number): unknown => ({ contactId: id, profileId: randomUUID(), version, enrichment: enrichment(seed) });

    // (a) Batches of 500 from CLIENTS concurrent clients, then the same work one update per request.
    const batchedIds = ids.slice(0, BATCHED_UPDATES);
    const batches = Array.from({ length: Math.ceil(batchedIds.length / BATCH) }, (_, index) => batchedIds.slice(index * BATCH, (index + 1) * BATCH));
    let next = 0;
    const batchedStarted = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let index = next++; index < batches.length; index = next++) {
          const result = (await call(SYNC_KEY, 'POST', '/internal/v1/enrichment', { updates: (batches[index] as string[]).map((id, offset) => update(id, index * BATCH + offset, 100 + index)) })) as { results: { outcome: string }[] };
          if (result.results.some((outcome) => outcome.outcome !== 'applied')) throw new Error('a batched update was not applied');
        }
      }),
    );
    const batchedRate = batchedIds.length / ((performance.now() - batchedStarted) / 1000);
    const singleIds = ids.slice(BATCHED_UPDATES);
    let nextSingle = 0;
    const singleStarted = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let index = nextSingle++; index < singleIds.length; index = nextSingle++) await call(SYNC_KEY, 'POST', '/internal/v1/enrichment', { updates: [update(singleIds[index] as string, index, 100)] });
      }),
    );
    const singleRate = singleIds.length / ((performance.now() - singleStarted) / 1000);

    // (b) Segment lists over the N contacts, one client, after a warm-up.
    const members = Number((await client.query<{ count: string }>('SELECT count(*) FROM contacts WHERE segment_keys @> ARRAY[$1]::text[]', [SEGMENT])).rows[0]?.count);
    const latencies = async (path: string): Promise<{ p50: number; p99: number }> => {
      for (let index = 0; index < 20; index++) await call(ADMIN_KEY, 'GET', path);
      const timings: number[] = [];
      for (let index = 0; index < QUERIES; index++) {
        const started = performance.now();
        await call(ADMIN_KEY, 'GET', path);
        timings.push(performance.now() - started);
      }
      timings.sort((a, b) => a - b);
      return { p50: percentile(timings, 0.5), p99: percentile(timings, 0.99) };
    };
    const queries = [`/v1/contacts?segment=${SEGMENT}&limit=50`, `/v1/contacts?segment=${SEGMENT}&limit=50&sort=-ltv`, `/v1/contacts?segment=${SEGMENT}&limit=50&churnRiskGte=0.7`];
    const results: [string, { p50: number; p99: number }][] = [];
    for (const path of queries) results.push([path, await latencies(path)]);

    console.log('');
    console.log(`CRM enrichment over ${CONTACTS} contacts (${members} in ${SEGMENT})`);
    console.log(`  batched (${BATCH}/request, ${CLIENTS} clients, ${batchedIds.length} updates): ${Math.round(batchedRate)} records/s`);
    console.log(`  one update per request (${CLIENTS} clients, ${singleIds.length} updates):      ${Math.round(singleRate)} records/s (batching: ×${(batchedRate / singleRate).toFixed(1)})`);
    console.log(`segment lists, ${QUERIES} requests each, one client:`);
    for (const [path, { p50, p99 }] of results) console.log(`  GET ${path.padEnd(72)} p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms`);
  } finally {
    await client.end();
    await environment.close();
  }
}

await main();
