/**
 * CDP ingest benchmark: sustained events/s through POST /v1/batch (100 events per
 * batch, acknowledged only once Kafka has them with acks=all) and request latency,
 * measured on a collector-only CDP instance; then how fast a processor-only
 * instance stores the backlog (identity + profile + event row); and the machine's
 * raw baseline: the same rows written straight into Postgres with COPY. The two
 * tiers are measured one after the other so that each figure is its own tier's
 * on this 2-core machine, not a share of the CPU split with the other.
 *
 *   npm run build && node tools/bench/dist/cdp-ingest.bench.js [seconds] [concurrency] [processing seconds] [collector instances]
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { percentile, startBenchEnvironment } from './bench-environment.js';

const DURATION_S = Number(process.argv[2] ?? 20);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const PROCESS_S = Number(process.argv[4] ?? 60);
// Collector instances behind the clients (round-robin), as a deployment scales the API tier out.
const COLLECTORS = Number(process.argv[5] ?? 2);
const BATCH = 100;
const ADMIN_TOKEN = 'bench-admin-token';

/** A batch body whose messageIds contain `@@`, replaced per request so no two requests repeat an id (the CDP drops repeats). */
function batchTemplate(): string {
  const batch = Array.from({ length: BATCH }, (_, index) => {
    const user = `user-${Math.floor(Math.random() * 20_000)}`;
    return index % 4 === 0
      ? { type: 'track', userId: user, event: 'Order Completed', messageId: `@@-${index}`, properties: { revenue: 49.9, currency: 'EUR', products: [{ sku: 'JKT-1', category: 'winter-jackets' }] } }
      : { type: 'track', anonymousId: `anon-${user}`, event: 'Product Viewed', messageId: `@@-${index}`, properties: { sku: 'JKT-1', category: 'winter-jackets', price: 129 } };
  });
  return JSON.stringify({ batch });
}

async function main(): Promise<void> {
  console.log(`starting Postgres, Kafka and the CDP (built) ...`);
  const environment = await startBenchEnvironment('cdp', { CDP_ADMIN_TOKEN: ADMIN_TOKEN, CDP_ROLES: 'collector' });
  console.log(`CDP ${environment.url}, database ${environment.databaseUrl}`);
  try {
    const created = await fetch(`${environment.url}/v1/admin/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', channel: 'server' }),
    });
    const { writeKey } = (await created.json()) as { writeKey: string };
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    const templates = Array.from({ length: 50 }, batchTemplate);
    let requestNumber = 0;
    const nextBody = (): string => (templates[requestNumber % templates.length] as string).replaceAll('@@', `r${++requestNumber}`);

    const collectorUrls = [environment.url];
    for (let extra = 1; extra < COLLECTORS; extra++) collectorUrls.push(`http://127.0.0.1:${(await environment.startInstance({ CDP_ROLES: 'collector' })).port}`);
    let nextCollector = 0;
    // node:http with keep-alive costs the load generator less CPU than fetch, leaving more of this 2-core machine to the CDP.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const post = (body: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const url = new URL('/v1/batch', collectorUrls[nextCollector++ % collectorUrls.length]);
        const request = http.request(url, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString()) as { accepted?: number };
            if (response.statusCode !== 200 || answer.accepted !== BATCH) reject(new Error(`batch refused: ${response.statusCode} ${JSON.stringify(answer)}`));
            else resolve(performance.now() - started);
          });
        });
        request.on('error', reject);
        request.end(body);
      });
    // Warm up JIT, connections and the first partitions' leaders.
    for (let index = 0; index < 20; index++) await post(nextBody());

    const latencies: number[] = [];
    let sent = 0;
    const started = performance.now();
    const deadline = started + DURATION_S * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          latencies.push(await post(nextBody()));
          sent += BATCH;
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const ingestRate = sent / elapsedS;

    const client = new pg.Client({ connectionString: environment.databaseUrl });
    await client.connect();
    const target = sent + 20 * BATCH;
    // The backlog is now in Kafka; a processor-only instance stores it. It gets
    // PROCESS_S seconds, and the rate counts from its start-up.
    const processingStarted = performance.now();
    await environment.startInstance({ CDP_ROLES: 'processor' });
    const drainDeadline = Date.now() + PROCESS_S * 1000;
    let stored = 0;
    while (Date.now() < drainDeadline) {
      stored = Number((await client.query<{ count: string }>('SELECT count(*) FROM events')).rows[0]?.count);
      if (stored >= target) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const processedRate = stored / ((performance.now() - processingStarted) / 1000);

    // Baseline: the same number of rows, straight into a table shaped like events, with COPY.
    await client.query('CREATE TABLE events_copy_baseline (LIKE events INCLUDING ALL)');
    const rows = Array.from({ length: sent }, (_, index) =>
      [`00000000-0000-4000-8000-000000000000`, randomUUID(), `00000000-0000-4000-8000-000000000000`, 'track', 'Product Viewed', '\\N', `user-${index % 20_000}`, '\\N', '{"sku":"JKT-1","category":"winter-jackets","price":129}', '\\N', '{}', new Date().toISOString(), new Date().toISOString()].join('\t'),
    );
    // The baseline rows need a profile to reference.
    await client.query(`INSERT INTO profiles (id) VALUES ('00000000-0000-4000-8000-000000000000') ON CONFLICT DO NOTHING`);
    const copyStarted = performance.now();
    await pipeline(
      Readable.from(rows.map((row) => `${row}\n`)),
      client.query(copyFrom('COPY events_copy_baseline (source_id, message_id, profile_id, type, event, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at) FROM STDIN')),
    );
    const copyRate = sent / ((performance.now() - copyStarted) / 1000);
    await client.end();
    agent.destroy();

    console.log('');
    console.log(`CDP ingest, batches of ${BATCH}, ${CONCURRENCY} concurrent clients, ${COLLECTORS} collector instance(s), ${elapsedS.toFixed(1)} s`);
    console.log(`  accepted (durable in Kafka, acks=all): ${sent} events, ${Math.round(ingestRate)} events/s`);
    console.log(`  request latency: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`);
    console.log(`  processed into Postgres by a processor-only instance (identity + profile + event row): ${stored}/${target} stored, ${Math.round(processedRate)} events/s from its start`);
    console.log(`  raw baseline, COPY of the same rows into Postgres: ${Math.round(copyRate)} rows/s`);
    console.log(`  ingest / baseline: ${(ingestRate / copyRate).toFixed(2)}`);
  } finally {
    await environment.close();
  }
}

await main();
