/**
 * CDP insights benchmark:
 *  1. the processing cost per event of insights and segment evaluation: the same
 *     kind of events processed with no segment, then with 100 live segments, by
 *     one instance that collects and processes them as they are sent; then the
 *     rate at which a processor-only instance drains a backlog of them (collected
 *     by a collector-only instance while no processor ran: full batches);
 *  2. the time to back-fill a new segment over a base of profiles (1,000,000 by
 *     default), written straight into the database with their insights.
 *
 *   npm run build && node tools/bench/dist/cdp-insights.bench.js [events per phase] [profiles to back-fill]
 */
import pg from 'pg';
import { stopServiceProcess, type ServiceProcess } from '@cds/local-infra';
import { startBenchEnvironment } from './bench-environment.js';

const EVENTS = Number(process.argv[2] ?? 5000);
const PROFILES = Number(process.argv[3] ?? 1_000_000);
const ADMIN_TOKEN = 'bench-admin-token';
const CATEGORIES = ['winter-jackets', 'boots', 'socks', 'scarves', 'gloves', 'hats', 'shirts', 'trousers', 'bags', 'belts'];

/** 100 segments of the kinds retailers run: event windows with property filters, insights, traits, consent, sequences. */
function hundredSegments(): { key: string; name: string; rule: unknown }[] {
  return Array.from({ length: 100 }, (_, index) => {
    const category = CATEGORIES[index % CATEGORIES.length] as string;
    const kinds = [
      { event: 'Product Viewed', where: [{ property: 'category', op: 'eq', value: category }], count: { op: 'gte', value: 1 + (index % 3) }, within: `${1 + (index % 14)}d` },
      { event: 'Order Completed', within: `${24 + index}h` },
      { all: [{ insight: 'lifetimeValue', op: 'gte', value: 50 + index * 10 }, { insight: 'orderCount', op: 'gte', value: 1 + (index % 4) }] },
      { event: 'Product Added', within: '7d', notFollowedBy: { event: 'Order Completed', within: `${12 + (index % 36)}h` } },
      { any: [{ trait: 'plan', op: 'eq', value: 'gold' }, { all: [{ consent: 'marketing', granted: true }, { insight: 'topViewedCategory', op: 'eq', value: category }] }] },
    ];
    return { key: `bench-${index}`, name: `Bench segment ${index}`, rule: kinds[index % kinds.length] };
  });
}

function eventBatch(start: number, size: number, users: number): unknown[] {
  return Array.from({ length: size }, (_, offset) => {
    const index = start + offset;
    const userId = `user-${index % users}`;
    const category = CATEGORIES[index % CATEGORIES.length];
    const timestamp = new Date(Date.now() - (index % 600) * 60_000).toISOString();
    const kind = index % 10;
    if (kind === 0) return { type: 'track', userId, event: 'Order Completed', properties: { order_id: `o-${index}`, revenue: 20 + (index % 200), products: [{ category }] }, timestamp, messageId: `e-${index}` };
    if (kind === 1) return { type: 'track', userId, event: 'Product Added', properties: { category, price: 49 }, timestamp, messageId: `e-${index}` };
    if (kind === 2) return { type: 'identify', userId, traits: { plan: index % 7 === 0 ? 'gold' : 'basic' }, context: { consent: { categoryPreferences: { marketing: index % 2 === 0 } } }, timestamp, messageId: `e-${index}` };
    return { type: 'track', userId, event: 'Product Viewed', properties: { category, price: 49 }, timestamp, messageId: `e-${index}` };
  });
}

async function main(): Promise<void> {
  console.log('starting Postgres, Kafka and the CDP (built) ...');
  const environment = await startBenchEnvironment('cdp', { CDP_ADMIN_TOKEN: ADMIN_TOKEN });
  // Where events and admin calls go: the first instance (collector and processor), later a collector-only one.
  let base = environment.url;
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  const admin = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? {} : await response.json()) as Record<string, unknown>;
  };
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    const { writeKey } = (await admin('POST', '/v1/admin/sources', { name: 'bench', channel: 'web' })) as { writeKey: string };
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    const stored = async (): Promise<number> => Number((await client.query<{ count: string }>('SELECT count(*) FROM events')).rows[0]?.count);
    const send = async (start: number): Promise<void> => {
      for (let offset = 0; offset < EVENTS; offset += 100) {
        const response = await fetch(`${base}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch: eventBatch(start + offset, Math.min(100, EVENTS - offset), 1000) }) });
        if (response.status !== 200) throw new Error(`batch refused: ${response.status} ${await response.text()}`);
      }
    };

    /** Sends `EVENTS` events to one instance that also processes them; returns the time per event, from the first send to the last one stored. */
    const processingPhase = async (start: number): Promise<number> => {
      const before = await stored();
      const started = performance.now();
      await send(start);
      while ((await stored()) < before + EVENTS) await pause(200);
      return (performance.now() - started) / EVENTS;
    };

    // Warm-up: profiles exist, JIT is warm.
    await processingPhase(10_000_000);
    const withoutSegments = await processingPhase(0);
    for (const segment of hundredSegments()) await admin('POST', '/v1/segments', segment);
    // Let the 100 back-fills over the 1,000 profiles finish before measuring.
    while (((await admin('GET', '/v1/segments')) as unknown as { backfill: { status: string } }[]).some((segment) => segment.backfill.status !== 'done')) await pause(500);
    const withSegments = await processingPhase(EVENTS);

    // From here a collector-only instance takes the events, so a backlog builds up while no processor runs.
    await stopServiceProcess(environment.service);
    base = `http://127.0.0.1:${(await environment.startInstance({ CDP_ROLES: 'collector' })).port}`;
    let processor: ServiceProcess | null = null;
    /**
     * Collects `EVENTS` events with no processor running, then starts one: returns the time
     * per event it takes to drain that backlog, from the first event stored to the last (the
     * instance's start and its joining the consumer group are not counted).
     */
    const backlogPhase = async (start: number): Promise<number> => {
      if (processor) await stopServiceProcess(processor);
      const before = await stored();
      await send(start);
      processor = await environment.startInstance({ CDP_ROLES: 'processor' });
      let first = await stored();
      for (; first === before; first = await stored()) await pause(20);
      const started = performance.now();
      while ((await stored()) < before + EVENTS) await pause(20);
      return (performance.now() - started) / (before + EVENTS - first);
    };
    const backlogWithSegments = await backlogPhase(20_000_000);
    for (const segment of (await admin('GET', '/v1/segments')) as unknown as { id: string }[]) await admin('DELETE', `/v1/segments/${segment.id}`);
    const backlogWithoutSegments = await backlogPhase(30_000_000);

    // Back-fill: PROFILES profiles with insights, written straight into the database.
    console.log(`writing ${PROFILES} profiles with insights into the database ...`);
    await client.query(`
      INSERT INTO profiles (id, traits) SELECT gen_random_uuid(), jsonb_build_object('plan', jsonb_build_object('value', CASE WHEN n % 5 = 0 THEN 'gold' ELSE 'basic' END, 'observedAt', '2026-01-01T00:00:00.000Z', 'source', 'bench'))
        FROM generate_series(1, $1) AS n`, [PROFILES]);
    await client.query(`
      INSERT INTO profile_insights (profile_id, state, snapshot, version, lifetime_value, order_count)
      SELECT id,
             jsonb_build_object('revenueByCurrency', jsonb_build_object('EUR', ltv), 'orderCount', orders, 'firstOrderAt', null, 'lastOrderAt', null,
               'recentOrderIds', '[]'::jsonb, 'lastSeenAt', null, 'channels', '["web"]'::jsonb, 'viewedCategories', '{}'::jsonb,
               'purchasedCategories', '{}'::jsonb, 'emailByDay', '{}'::jsonb),
             jsonb_build_object('profileId', id, 'insights', jsonb_build_object('lifetimeValue', ltv, 'orderCount', orders, 'currency', 'EUR', 'rfm', null)),
             1, ltv, orders
        FROM (SELECT id, round((random() * 1000)::numeric, 2) AS ltv, (random() * 10)::int AS orders FROM profiles
               WHERE NOT EXISTS (SELECT 1 FROM profile_insights i WHERE i.profile_id = profiles.id)) AS base`);
    await client.query('ANALYZE');
    const backfillStarted = performance.now();
    await admin('POST', '/v1/segments', { key: 'bench-backfill', name: 'LTV over 900', rule: { all: [{ insight: 'lifetimeValue', op: 'gte', value: 900 }, { trait: 'plan', op: 'eq', value: 'gold' }] } });
    let segment: { backfill: { status: string; processed: number; total: number }; size: number };
    for (;;) {
      segment = (await admin('GET', '/v1/segments/bench-backfill')) as unknown as typeof segment;
      if (segment.backfill.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const backfillS = (performance.now() - backfillStarted) / 1000;

    console.log('');
    console.log(`CDP insights and segments, ${EVENTS} events per phase over 1,000 customers`);
    const rate = (msPerEvent: number): string => `${msPerEvent.toFixed(2)} ms/event (${Math.round(1000 / msPerEvent)} events/s)`;
    console.log(`  processing with no segment:    ${rate(withoutSegments)}`);
    console.log(`  processing with 100 segments:  ${rate(withSegments)}`);
    console.log(`  cost of 100 segments:          ${(withSegments - withoutSegments).toFixed(2)} ms/event`);
    console.log(`  draining a backlog of ${EVENTS} events collected with no processor running (a processor-only instance):`);
    console.log(`    with no segment:             ${rate(backlogWithoutSegments)}`);
    console.log(`    with 100 segments:           ${rate(backlogWithSegments)}`);
    console.log(`back-fill of a new segment over ${segment.backfill.total} profiles: ${backfillS.toFixed(1)} s (${Math.round(segment.backfill.total / backfillS)} profiles/s), ${segment.size} members`);
  } finally {
    await client.end();
    await environment.close();
  }
}

await main();
