/**
 * End-to-end latency benchmark: from an event accepted by the CDP to the CRM
 * contact showing its effect, under a steady load.
 *
 * Starts Postgres, Kafka, the CDP, the CRM and the sync (all built, one instance
 * each, as `npm start` runs them). Writes contacts for part of the customers and
 * for the probe customers straight into the CRM database, identifies every
 * customer once through the CDP (so profiles exist and the sync links them),
 * then sends a steady mix of retail events (product views, add to cart, orders)
 * at the target rate for the measured period. Among them, a probe order for one
 * of the probe customers goes out every PROBE_INTERVAL_MS: its latency runs from
 * the CDP's 200 to the moment the CRM row holds the probe's order count (the CRM
 * database is polled every POLL_MS for all probes in flight, one query).
 *
 *   npm run build && node tools/bench/dist/e2e-latency.bench.js [events/s] [seconds] [customers] [--cdp-tiers]
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { findFreePort, startServiceProcess, stopServiceProcess, waitUntilHealthy, type ServiceProcess } from '@cds/local-infra';
import { percentile, repoRoot, startBenchEnvironment } from './bench-environment.js';

const positional = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const RATE = Number(positional[0] ?? 1_000);
const DURATION_S = Number(positional[1] ?? 60);
const CUSTOMERS = Number(positional[2] ?? 20_000);
/** `--cdp-tiers`: the CDP as two processes, a collector and a processor (CDP_ROLES), as a deployment can run it. */
const CDP_TIERS = process.argv.includes('--cdp-tiers');
/** One in four customers is a CRM contact, as when reps know the bigger accounts. */
const CONTACT_SHARE = 4;
const PROBES = 100;
const PROBE_INTERVAL_MS = 200;
const POLL_MS = 10;
const TICK_MS = 50;
const PROBE_TIMEOUT_MS = 60_000;
const CDP_ADMIN = 'bench-e2e-cdp-admin-token';
const WRITE_KEY = 'bench-e2e-write-key-0001';
const CRM_ADMIN = 'bench-e2e-crm-admin-key-01';
const CRM_SYNC = 'bench-e2e-crm-sync-key-001';

const customerEmail = (index: number): string => `e2e-customer-${index}@bench.example`;
const probeEmail = (index: number): string => `e2e-probe-${index}@bench.example`;

/** A realistic retail mix: mostly product views, some carts, a few orders. */
function loadEvent(sequence: number): Record<string, unknown> {
  const customer = Math.floor(Math.random() * CUSTOMERS);
  const roll = Math.random();
  const common = { type: 'track', userId: `customer-${customer}`, messageId: `load-${sequence}-${randomUUID()}`, timestamp: new Date().toISOString() };
  if (roll < 0.85) return { ...common, event: 'Product Viewed', properties: { sku: `SKU-${customer % 400}`, category: customer % 3 === 0 ? 'Winter Jackets' : 'Boots', price: 129 } };
  if (roll < 0.95) return { ...common, event: 'Product Added', properties: { sku: `SKU-${customer % 400}`, category: 'Winter Jackets', price: 129, quantity: 1 } };
  return { ...common, event: 'Order Completed', properties: { order_id: `load-order-${sequence}`, revenue: 49.9, currency: 'EUR', products: [{ sku: `SKU-${customer % 400}`, category: 'Boots' }] } };
}

interface Probe {
  readonly contactId: string;
  readonly profileId: string;
  readonly expectedOrders: number;
  readonly acceptedAt: number;
  /** When the CDP's insights row held the order (the first stage), once seen. */
  processedAt?: number;
}

async function main(): Promise<void> {
  console.log('starting Postgres, Kafka, the CDP, the CRM and the sync (built) ...');
  const cdpEnv = { CDP_ADMIN_TOKEN: CDP_ADMIN, CDP_DEV_WRITE_KEY: WRITE_KEY };
  const environment = await startBenchEnvironment('cdp', CDP_TIERS ? { ...cdpEnv, CDP_ROLES: 'collector' } : cdpEnv);
  if (CDP_TIERS) await environment.startInstance({ CDP_ROLES: 'processor' });
  const children: ServiceProcess[] = [];
  const startService = async (name: string, env: Record<string, string>): Promise<string> => {
    const port = await findFreePort();
    const child = startServiceProcess(repoRoot, name, { PORT: String(port), KAFKA_BROKERS: environment.kafka.brokers, LOG_LEVEL: 'warn', ...env });
    children.push(child);
    await waitUntilHealthy(child, port, 120_000);
    return `http://127.0.0.1:${port}`;
  };
  const crmUrl = await startService('crm', { DATABASE_URL: environment.postgres.url('crm'), CRM_ADMIN_API_KEY: CRM_ADMIN, CRM_SYNC_API_KEY: CRM_SYNC });
  await startService('sync', { DATABASE_URL: environment.postgres.url('sync'), CRM_URL: crmUrl, CRM_SYNC_API_KEY: CRM_SYNC });
  const crm = new pg.Client({ connectionString: environment.postgres.url('crm') });
  const cdp = new pg.Client({ connectionString: environment.databaseUrl });
  // A dropped connection fails the run through main's catch, so the services are still stopped.
  let dropped: Error | undefined;
  for (const client of [crm, cdp]) client.on('error', (error) => (dropped ??= error));
  await Promise.all([crm.connect(), cdp.connect()]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
  const post = (route: string, body: unknown): Promise<number> =>
    new Promise((resolve, reject) => {
      const request = http.request(`${environment.url}${route}`, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json' } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', reject);
      request.end(JSON.stringify(body));
    });

  try {
    const contactCount = Math.ceil(CUSTOMERS / CONTACT_SHARE);
    console.log(`writing ${contactCount} customer contacts and ${PROBES} probe contacts into the CRM database ...`);
    await crm.query(
      `INSERT INTO contacts (first_name, email, lifecycle_stage) SELECT 'Customer' || n, 'e2e-customer-' || (n * $2::int) || '@bench.example', 'customer' FROM generate_series(0, $1::int - 1) AS n`,
      [contactCount, CONTACT_SHARE],
    );
    const probeRows = await crm.query<{ id: string; email: string }>(
      `INSERT INTO contacts (first_name, email, lifecycle_stage) SELECT 'Probe' || n, 'e2e-probe-' || n || '@bench.example', 'customer' FROM generate_series(0, $1::int - 1) AS n RETURNING id, email`,
      [PROBES],
    );
    const probeContact = new Map(probeRows.rows.map((row) => [row.email, row.id]));

    console.log(`identifying ${CUSTOMERS} customers and ${PROBES} probes through the CDP, waiting for the CRM to show them ...`);
    const identifies = [
      ...Array.from({ length: CUSTOMERS }, (_, index) => ({ userId: `customer-${index}`, email: customerEmail(index) })),
      ...Array.from({ length: PROBES }, (_, index) => ({ userId: `probe-${index}`, email: probeEmail(index) })),
    ].map(({ userId, email }) => ({ type: 'identify', userId, messageId: randomUUID(), traits: { email } }));
    for (let start = 0; start < identifies.length; start += 500) {
      const status = await post('/v1/batch', { batch: identifies.slice(start, start + 500) });
      if (status !== 200) throw new Error(`identify batch answered ${status}`);
    }
    const warmStarted = performance.now();
    const enriched = async (): Promise<number> => Number((await crm.query<{ count: string }>('SELECT count(*) FROM contacts WHERE enrichment_version > 0')).rows[0]?.count);
    while ((await enriched()) < contactCount + PROBES) {
      if (performance.now() - warmStarted > 15 * 60_000) throw new Error('the CRM did not show every identified customer within 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    console.log(`  every contact enriched after ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`);
    const probeProfile = new Map(
      (await cdp.query<{ value: string; profile_id: string }>(`SELECT value, profile_id FROM identities WHERE type = 'user_id' AND value LIKE 'probe-%'`)).rows.map((row) => [row.value, row.profile_id]),
    );

    // Probes: one order at a time per probe customer, round-robin, so each has one probe in flight at most.
    const inFlight = new Map<number, Probe>();
    const ordersOf = new Array<number>(PROBES).fill(0);
    const latencies: number[] = [];
    const processing: number[] = [];
    let timedOut = 0;
    let nextProbe = 0;
    let probeRejected = 0;
    let probesSent = 0;
    const sendProbe = async (): Promise<void> => {
      const index = nextProbe++ % PROBES;
      if (inFlight.has(index)) return;
      probesSent++;
      const contactId = probeContact.get(probeEmail(index)) as string;
      const status = await post('/v1/track', {
        userId: `probe-${index}`,
        event: 'Order Completed',
        messageId: randomUUID(),
        timestamp: new Date().toISOString(),
        properties: { order_id: `probe-${index}-${ordersOf[index]}`, revenue: 10, currency: 'EUR' },
      });
      if (status !== 200) {
        probeRejected++;
        return;
      }
      ordersOf[index] = (ordersOf[index] as number) + 1;
      inFlight.set(index, { contactId, profileId: probeProfile.get(`probe-${index}`) as string, expectedOrders: ordersOf[index] as number, acceptedAt: performance.now() });
    };
    let polling = true;
    const poller = (async () => {
      while (polling || inFlight.size > 0) {
        if (dropped) throw dropped;
        if (inFlight.size > 0) {
          const waiting = [...inFlight.entries()];
          const unprocessed = waiting.filter(([, probe]) => probe.processedAt === undefined);
          if (unprocessed.length > 0) {
            const stored = await cdp.query<{ profile_id: string; order_count: number }>('SELECT profile_id, order_count FROM profile_insights WHERE profile_id = ANY($1::uuid[])', [
              unprocessed.map(([, probe]) => probe.profileId),
            ]);
            const seenAt = performance.now();
            const counts = new Map(stored.rows.map((row) => [row.profile_id, Number(row.order_count)]));
            for (const [, probe] of unprocessed) {
              if ((counts.get(probe.profileId) ?? 0) >= probe.expectedOrders) {
                probe.processedAt = seenAt;
                processing.push(seenAt - probe.acceptedAt);
              }
            }
          }
          const rows = await crm.query<{ id: string; orders: number | null }>(`SELECT id, (enrichment->>'orderCount')::int AS orders FROM contacts WHERE id = ANY($1::uuid[])`, [
            waiting.map(([, probe]) => probe.contactId),
          ]);
          const now = performance.now();
          const orders = new Map(rows.rows.map((row) => [row.id, row.orders ?? 0]));
          for (const [index, probe] of waiting) {
            if ((orders.get(probe.contactId) ?? 0) >= probe.expectedOrders) {
              latencies.push(now - probe.acceptedAt);
              inFlight.delete(index);
            } else if (now - probe.acceptedAt > PROBE_TIMEOUT_MS) {
              timedOut++;
              inFlight.delete(index);
            }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();
    // Marked handled now; `await poller` below still throws what it threw.
    poller.catch(() => undefined);

    console.log(`steady load: ${RATE} events/s for ${DURATION_S} s (one probe order every ${PROBE_INTERVAL_MS} ms among them) ...`);
    const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000) - Math.round(TICK_MS / PROBE_INTERVAL_MS));
    let sent = 0;
    let rejected = 0;
    // Why batches were refused: the HTTP status, or the request's error.
    const refusals = new Map<string, number>();
    const refuse = (reason: string, count: number): void => {
      rejected += count;
      refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
    };
    let behindTicks = 0;
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let tick = 0; tick * TICK_MS < DURATION_S * 1000; tick++) {
      const due = started + tick * TICK_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      else if (wait < -TICK_MS) behindTicks++;
      const batch = Array.from({ length: perTick }, () => loadEvent(sent++));
      pending.push(
        post('/v1/batch', { batch }).then(
          (status) => {
            if (status !== 200) refuse(`HTTP ${status}`, batch.length);
          },
          (error: unknown) => refuse(error instanceof Error ? error.message : String(error), batch.length),
        ),
      );
      if ((tick * TICK_MS) % PROBE_INTERVAL_MS === 0) pending.push(sendProbe().catch(() => void probeRejected++));
    }
    await Promise.all(pending);
    const loadSeconds = (performance.now() - started) / 1000;
    console.log('waiting for the last probes ...');
    polling = false;
    await poller;

    const sorted = [...latencies].sort((a, b) => a - b);
    const processed = [...processing].sort((a, b) => a - b);
    const rate = (sent + probesSent) / loadSeconds;
    console.log('');
    console.log(`offered load        ${rate.toFixed(0)} events/s for ${loadSeconds.toFixed(1)} s (${sent} load events, ${rejected} refused, ${behindTicks} ticks late)`);
    if (refusals.size > 0) console.log(`refused batches     ${[...refusals].map(([reason, count]) => `${count} × ${reason}`).join(', ')}`);
    console.log(`probes              ${probesSent} sent, ${latencies.length} seen in the CRM, ${timedOut} not within ${PROBE_TIMEOUT_MS / 1000} s, ${probeRejected} refused by the CDP`);
    console.log(
      `event → CRM latency p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p90 ${percentile(sorted, 0.9).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms (resolution ${POLL_MS} ms)`,
    );
    console.log(`of which CDP         p50 ${percentile(processed, 0.5).toFixed(0)} ms, p99 ${percentile(processed, 0.99).toFixed(0)} ms until the CDP's insights row holds the order (the rest: outbox relay, Kafka, sync, CRM)`);
    console.log(`target              p99 under 1000 ms at 1000 events/s: ${percentile(sorted, 0.99) < 1000 && rate >= 0.95 * 1000 && timedOut === 0 ? 'met' : 'NOT met'}`);
  } finally {
    agent.destroy();
    await Promise.all([crm.end(), cdp.end()]);
    // The sync first, then the CRM it calls: no "CRM unreachable" noise at the end of a run.
    for (const child of children.reverse()) await stopServiceProcess(child);
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
