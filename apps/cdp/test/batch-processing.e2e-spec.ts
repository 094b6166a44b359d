import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RawEventV1 } from '@cds/contracts';
import { EventBatchIngestionService } from '../src/processing/event-batch-ingestion.service.js';
import { EventIngestionService } from '../src/processing/event-ingestion.service.js';
import type { AuthenticatedSource } from '../src/sources/sources.service.js';
import { CdpHarness, eventually } from './cdp-harness.js';

interface InsightsBody {
  profileId: string;
  version: number;
  snapshot: { insights: Record<string, unknown>; identifiers: Record<string, string[]>; segments: unknown[] } | null;
}

const START = Date.parse('2026-02-01T09:00:00.000Z');

describe('CDP batch processing of raw events on real Postgres and Kafka', () => {
  let cdp: CdpHarness;
  let writeKey: string;
  let source: AuthenticatedSource;
  let batches: EventBatchIngestionService;
  let single: EventIngestionService;
  let sequence = 0;

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-batch');
    writeKey = await cdp.createSource('web-shop', 'web');
    const [row] = await cdp.query<{ id: string }>(`SELECT id FROM sources WHERE name = 'web-shop'`);
    source = { id: (row as { id: string }).id, name: 'web-shop', channel: 'web' };
    batches = cdp.running.app.get(EventBatchIngestionService);
    single = cdp.running.app.get(EventIngestionService);
  }, 60_000);
  afterAll(async () => {
    await cdp?.stop();
  });

  /** A raw event as the collection API puts it on Kafka; event times rise with each one built. */
  const raw = (fields: Partial<RawEventV1> & Pick<RawEventV1, 'type' | 'messageId'>): RawEventV1 => {
    sequence += 1;
    return { schemaVersion: 1, sourceId: source.id, timestamp: new Date(START + sequence * 1000).toISOString(), receivedAt: new Date().toISOString(), ...fields } as RawEventV1;
  };
  const ingestBatch = (events: readonly RawEventV1[]): Promise<string[]> => batches.ingest(events.map((event) => ({ event, source })));
  const ownerOf = async (reference: string): Promise<string> => {
    const { status, body } = await cdp.admin('GET', `/v1/profiles/${encodeURIComponent(reference)}`);
    if (status !== 200) throw new Error(`GET profile ${reference}: ${status}`);
    return (body as { id: string }).id;
  };
  const insightsOf = async (reference: string): Promise<InsightsBody> => (await cdp.admin('GET', `/v1/profiles/${encodeURIComponent(reference)}/insights`)).body as InsightsBody;
  const messageIdsOf = async (profileId: string): Promise<string[]> =>
    (await cdp.query<{ message_id: string }>('SELECT message_id FROM events WHERE profile_id = $1 ORDER BY id', [profileId])).map((row) => row.message_id);
  /** What a profile looks like to a reader, without ids, versions and computation times. */
  const stateOf = async (reference: string): Promise<unknown> => {
    const profileId = await ownerOf(reference);
    const [row] = await cdp.query<{ traits: unknown; consent: unknown; version: string }>('SELECT traits, consent, version FROM profiles WHERE id = $1', [profileId]);
    const insights = await insightsOf(reference);
    const identities = await cdp.query<{ type: string; value: string }>('SELECT type, value FROM identities WHERE profile_id = $1 ORDER BY type, value', [profileId]);
    return { traits: row?.traits, consent: row?.consent, profileVersion: row?.version, identities, insights: insights.snapshot?.insights, events: (await messageIdsOf(profileId)).length };
  };

  /** One shopping day of three people, interleaved, at the same times whatever the `tag` that keeps the people of two runs apart. */
  const shoppingDay = (tag: string): RawEventV1[] => sameTimes([
    raw({ type: 'identify', messageId: `${tag}-1`, userId: `${tag}-ana`, traits: { plan: 'basic', email: `${tag}-ana@example.com` } }),
    raw({ type: 'identify', messageId: `${tag}-2`, userId: `${tag}-ben`, traits: { plan: 'basic' }, context: { consent: { categoryPreferences: { marketing: true } } } }),
    raw({ type: 'track', messageId: `${tag}-3`, userId: `${tag}-ana`, event: 'Order Completed', properties: { order_id: `${tag}-o1`, revenue: 10, products: [{ category: 'boots' }] } }),
    raw({ type: 'track', messageId: `${tag}-4`, anonymousId: `${tag}-cai-anon`, event: 'Product Viewed', properties: { category: 'hats' } }),
    raw({ type: 'identify', messageId: `${tag}-5`, userId: `${tag}-ana`, traits: { plan: 'gold' } }),
    raw({ type: 'track', messageId: `${tag}-6`, userId: `${tag}-ben`, event: 'Order Completed', properties: { order_id: `${tag}-o2`, revenue: 20 } }),
    raw({ type: 'track', messageId: `${tag}-7`, userId: `${tag}-ana`, event: 'Order Completed', properties: { order_id: `${tag}-o1`, revenue: 10 } }),
    raw({ type: 'page', messageId: `${tag}-8`, anonymousId: `${tag}-cai-anon`, name: 'Home' }),
    raw({ type: 'track', messageId: `${tag}-9`, userId: `${tag}-ana`, anonymousId: `${tag}-ana-anon`, event: 'Order Completed', properties: { order_id: `${tag}-o3`, revenue: 7 } }),
  ]);
  const sameTimes = (events: RawEventV1[]): RawEventV1[] => events.map((event, index) => ({ ...event, timestamp: new Date(START + index * 1000).toISOString() }));

  it('folds a batch mixing several people into each profile, in order, as processing them one by one would', async () => {
    const batched = shoppingDay('b');
    expect(await ingestBatch(batched)).toEqual(batched.map(() => 'stored'));
    for (const event of shoppingDay('s')) expect(await single.ingest(event, source)).toBe('stored');

    const ana = await ownerOf('user_id:b-ana');
    expect(await messageIdsOf(ana)).toEqual(['b-1', 'b-3', 'b-5', 'b-7', 'b-9']);
    expect(await messageIdsOf(await ownerOf('user_id:b-ben'))).toEqual(['b-2', 'b-6']);
    expect(await messageIdsOf(await ownerOf('anonymous_id:b-cai-anon'))).toEqual(['b-4', 'b-8']);
    // The order re-sent under another messageId counts once; the later identify wins.
    expect((await insightsOf('user_id:b-ana')).snapshot?.insights).toMatchObject({ orderCount: 2, lifetimeValue: 17, topPurchasedCategory: 'boots' });
    expect((await insightsOf('user_id:b-ben')).snapshot?.insights).toMatchObject({ orderCount: 1, lifetimeValue: 20 });
    for (const person of ['ana', 'ben']) expect(await stateOf(`user_id:b-${person}`)).toEqual(JSON.parse(JSON.stringify(await stateOf(`user_id:s-${person}`)).replaceAll('s-', 'b-')));
    expect(await stateOf('anonymous_id:b-cai-anon')).toEqual(JSON.parse(JSON.stringify(await stateOf('anonymous_id:s-cai-anon')).replaceAll('s-', 'b-')));
  });

  it('merges in the middle of a batch: the oldest profile survives and takes every event, in order', async () => {
    const events = [
      raw({ type: 'identify', messageId: 'mg-1', anonymousId: 'mia-anon', traits: { email: 'mia@example.com' } }),
      raw({ type: 'identify', messageId: 'mg-2', userId: 'mia', traits: { plan: 'gold' } }),
      raw({ type: 'track', messageId: 'mg-3', userId: 'mia', anonymousId: 'mia-anon', event: 'Product Viewed', properties: { category: 'scarves' } }),
      raw({ type: 'track', messageId: 'mg-4', anonymousId: 'mia-anon', event: 'Order Completed', properties: { order_id: 'mia-o1', revenue: 30 } }),
      raw({ type: 'identify', messageId: 'mg-5', userId: 'mia', traits: { city: 'Leeds' } }),
    ];
    expect(await ingestBatch(events)).toEqual(events.map(() => 'stored'));

    const survivor = await ownerOf('user_id:mia');
    expect(await ownerOf('email:mia@example.com')).toBe(survivor);
    const merged = await cdp.query<{ id: string; created_at: Date; merged_into: string | null }>('SELECT id, created_at, merged_into FROM profiles WHERE merged_into = $1', [survivor]);
    expect(merged).toHaveLength(1);
    const [survivorRow] = await cdp.query<{ created_at: string; merged_first: boolean }>(
      'SELECT s.created_at < m.created_at AS merged_first FROM profiles s, profiles m WHERE s.id = $1 AND m.id = $2',
      [survivor, merged[0]?.id],
    );
    expect(survivorRow?.merged_first).toBe(true);
    expect(await messageIdsOf(survivor)).toEqual(['mg-1', 'mg-2', 'mg-3', 'mg-4', 'mg-5']);
    const profile = (await cdp.admin('GET', `/v1/profiles/${survivor}`)).body as { traits: Record<string, unknown> };
    expect(profile.traits).toMatchObject({ email: 'mia@example.com', plan: 'gold', city: 'Leeds' });
    expect((await insightsOf(survivor)).snapshot?.insights).toMatchObject({ orderCount: 1, lifetimeValue: 30, topViewedCategory: 'scarves' });
    expect(await insightsOf(merged[0]?.id as string)).toMatchObject({ profileId: survivor });
  });

  it('stores a messageId repeated within one batch or across batches once: the first one', async () => {
    const first = raw({ type: 'track', messageId: 'dup-1', userId: 'dora', event: 'Order Completed', properties: { order_id: 'dora-o1', revenue: 11 } });
    const again = raw({ type: 'track', messageId: 'dup-1', userId: 'dora', event: 'Order Completed', properties: { order_id: 'dora-o2', revenue: 99 } });
    const second = raw({ type: 'track', messageId: 'dup-2', userId: 'dora', event: 'Product Viewed' });
    expect(await ingestBatch([first, again, second])).toEqual(['stored', 'duplicate', 'stored']);
    expect(await ingestBatch([second, raw({ type: 'track', messageId: 'dup-3', userId: 'dora', event: 'Product Viewed' })])).toEqual(['duplicate', 'stored']);

    const stored = await cdp.query<{ message_id: string; properties: { revenue?: number } | null }>(`SELECT message_id, properties FROM events WHERE message_id LIKE 'dup-%' ORDER BY id`);
    expect(stored.map((row) => row.message_id)).toEqual(['dup-1', 'dup-2', 'dup-3']);
    expect(stored[0]?.properties?.revenue).toBe(11);
    expect((await insightsOf('user_id:dora')).snapshot?.insights).toMatchObject({ orderCount: 1, lifetimeValue: 11 });
  });

  it('gives a merge survivor a version above every version its merged-away profile published', async () => {
    expect(await ingestBatch([raw({ type: 'identify', messageId: 'ver-1', userId: 'vic', traits: { plan: 'basic' } })])).toEqual(['stored']);
    // The profile merged away later publishes many snapshots first; the survivor only one.
    for (let order = 1; order <= 6; order++) {
      await ingestBatch([raw({ type: 'track', messageId: `ver-order-${order}`, anonymousId: 'vic-anon', event: 'Order Completed', properties: { order_id: `vic-o${order}`, revenue: order } })]);
    }
    const survivor = await insightsOf('user_id:vic');
    const mergedAway = await insightsOf('anonymous_id:vic-anon');
    expect(mergedAway.profileId).not.toBe(survivor.profileId);
    expect(mergedAway.version).toBeGreaterThan(survivor.version);

    expect(await ingestBatch([raw({ type: 'identify', messageId: 'ver-merge', userId: 'vic', anonymousId: 'vic-anon' })])).toEqual(['stored']);
    const after = await insightsOf('anonymous_id:vic-anon');
    expect(after.profileId).toBe(survivor.profileId);
    expect(after.version).toBeGreaterThan(mergedAway.version);

    const merges = await cdp.readTopic('cdp.profile-merges.v1');
    const merge = await eventually(async () => merges.find((message) => (message.value as { survivorProfileId: string }).survivorProfileId === survivor.profileId), 'the merge message');
    expect((merge.value as { survivorVersion: number }).survivorVersion).toBe(after.version);
    const snapshots = await cdp.readTopic('cdp.profile-insights.v1');
    const published = await eventually(async () => snapshots.find((message) => message.key === survivor.profileId && (message.value as { version: number } | null)?.version === after.version), "the survivor's new snapshot");
    expect(published.value).toMatchObject({ identifiers: { userIds: ['vic'] } });
  });

  it('undoes a whole batch when one event fails to store', async () => {
    const poison = raw({ type: 'track', messageId: 'atomic-2', userId: 'olga', event: 'Product Viewed', properties: { note: 'nul \u0000 byte' } });
    await expect(ingestBatch([raw({ type: 'track', messageId: 'atomic-1', userId: 'olga', event: 'Product Viewed' }), poison])).rejects.toThrow();
    expect(await cdp.query(`SELECT 1 FROM events WHERE message_id LIKE 'atomic-%'`)).toEqual([]);
  });

  it('skips a poison event arriving over Kafka and processes the rest of its batch and what follows', async () => {
    const batch = [
      { type: 'track', userId: 'pia', event: 'Product Viewed', properties: { category: 'socks' }, messageId: 'poison-1' },
      { type: 'track', userId: 'pia', event: 'Product Viewed', properties: { note: 'nul \u0000 byte' }, messageId: 'poison-2' },
      { type: 'track', userId: 'pia', event: 'Order Completed', properties: { order_id: 'pia-o1', revenue: 12 }, messageId: 'poison-3' },
    ];
    expect(await cdp.send('/v1/batch', writeKey, { batch })).toMatchObject({ status: 200, body: { accepted: 3 } });
    await eventually(async () => (await cdp.query(`SELECT 1 FROM events WHERE message_id = 'poison-3'`))[0], 'the event after the poison one');
    expect(await cdp.send('/v1/track', writeKey, { userId: 'pia', event: 'Product Viewed', messageId: 'poison-4' })).toMatchObject({ status: 200 });
    await eventually(async () => (await cdp.query(`SELECT 1 FROM events WHERE message_id = 'poison-4'`))[0], 'a later event of the same partition');

    expect((await cdp.query<{ message_id: string }>(`SELECT message_id FROM events WHERE message_id LIKE 'poison-%' ORDER BY id`)).map((row) => row.message_id)).toEqual(['poison-1', 'poison-3', 'poison-4']);
    expect((await insightsOf('user_id:pia')).snapshot?.insights).toMatchObject({ orderCount: 1, lifetimeValue: 12 });
    const metrics = await (await fetch(`${cdp.url}/metrics`)).text();
    expect(metrics).toMatch(/cdp_events_processed_total\{outcome="failed"\} 1\b/);
    // Every event processed over Kafka counts in the freshness histogram, every batch in the batch ones.
    const series = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    expect(series('cdp_event_processing_delay_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(series('cdp_event_batch_size_sum')).toBe(series('cdp_event_processing_delay_seconds_count'));
    expect(series('cdp_event_batch_duration_seconds_count')).toBe(series('cdp_event_batch_size_count'));
  });
});
