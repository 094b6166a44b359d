import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseContractValue, profileInsightsV1, segmentMembershipChangedV1, TOPICS } from '@cds/contracts';
import { SeededRandom, simulateBgNbdCustomers } from '../src/insights/models/index.js';
import { SegmentReevaluationScheduler } from '../src/segments/segment-reevaluation.scheduler.js';
import { CdpHarness, eventually, TestClock } from './cdp-harness.js';

interface Snapshot {
  profileId: string;
  name?: { firstName?: string; lastName?: string };
  insights: Record<string, unknown> & { lifetimeValue: number; orderCount: number; rfm: unknown; predictedLifetimeValue: number | null };
  segments: { key: string; enteredAt: string }[];
}
interface InsightsBody {
  profileId: string;
  version: number;
  snapshot: Snapshot | null;
  segmentHistory: { segmentId: string; enteredAt: string; exitedAt: string | null }[];
}

const HOUR = 3_600_000;
// Event content that must never leave the CDP: a product SKU only the raw events carry.
const SECRET_SKU = 'SKU-NEVER-PUBLISHED-4711';

describe('CDP insights and segments on real Postgres and Kafka', () => {
  const clock = new TestClock();
  let cdp: CdpHarness;
  let appKey: string;
  let posKey: string;
  let emailKey: string;
  const segmentIds = new Map<string, string>();

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-insights', { clock, env: { CDP_REPORTING_CURRENCY: 'EUR', CDP_CURRENCY_RATES: 'USD=0.5', LOG_LEVEL: 'warn' } });
    [appKey, posKey, emailKey] = await Promise.all([cdp.createSource('mobile-app', 'app'), cdp.createSource('store-pos', 'pos'), cdp.createSource('newsletter', 'email')]);
    const installed = await cdp.admin('POST', '/v1/segments/examples');
    expect(installed.body).toMatchObject({ created: expect.arrayContaining(['cart-abandoners', 'recent-purchasers', 'winter-jacket-browsers']) });
    for (const segment of (await cdp.admin('GET', '/v1/segments')).body as { id: string; key: string }[]) segmentIds.set(segment.key, segment.id);
  }, 60_000);
  afterAll(async () => {
    await cdp?.stop();
  });

  /** Event time relative to the test clock. */
  const at = (offsetMs = 0): string => new Date(clock.now().getTime() + offsetMs).toISOString();
  const send = async (path: string, writeKey: string, body: unknown): Promise<void> => {
    const answer = await cdp.send(path, writeKey, body);
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
  };
  const processed = (messageId: string): Promise<unknown> =>
    eventually(async () => (await cdp.query('SELECT 1 FROM events WHERE message_id = $1', [messageId]))[0], `${messageId} to be processed`);
  const insightsOf = async (reference: string): Promise<InsightsBody> => {
    const { status, body } = await cdp.admin('GET', `/v1/profiles/${encodeURIComponent(reference)}/insights`);
    if (status !== 200) throw new Error(`GET insights ${reference}: ${status} ${JSON.stringify(body)}`);
    return body as InsightsBody;
  };
  const segmentKeys = (body: InsightsBody): string[] => (body.snapshot?.segments ?? []).map((segment) => segment.key);
  /** What the scheduler does every 15 s, run now and until nothing is due. */
  const reevaluateDue = async (): Promise<void> => {
    while ((await cdp.running.app.get(SegmentReevaluationScheduler).runDue()) > 0);
  };

  it('follows an anonymous app shopper into the store purchase: one profile, its insights and segments', async () => {
    await send('/v1/batch', appKey, {
      batch: [
        { type: 'track', anonymousId: 'anon-shopper', event: 'Product Viewed', properties: { category: 'winter-jackets', sku: SECRET_SKU }, timestamp: at(-3 * HOUR), messageId: 'ws-1' },
        { type: 'track', anonymousId: 'anon-shopper', event: 'Product Viewed', properties: { category: 'winter-jackets', sku: SECRET_SKU }, timestamp: at(-3 * HOUR + 60_000), messageId: 'ws-2' },
        { type: 'track', anonymousId: 'anon-shopper', event: 'Product Added', properties: { category: 'winter-jackets', sku: SECRET_SKU, price: 199 }, timestamp: at(-3 * HOUR + 120_000), messageId: 'ws-3' },
      ],
    });
    await processed('ws-3');
    const browsing = await eventually(async () => {
      const body = await insightsOf('anonymous_id:anon-shopper');
      return segmentKeys(body).includes('winter-jacket-browsers') ? body : undefined;
    }, 'the browser to enter winter-jacket-browsers');
    expect(browsing.snapshot?.insights).toMatchObject({ topViewedCategory: 'winter-jackets', orderCount: 0, lifetimeValue: 0, channels: ['app'] });

    // The purchase in the store, with an email only: a second profile at first ...
    await send('/v1/track', posKey, { userId: 'cust-77', event: 'Order Completed', properties: { order_id: 'pos-1', revenue: 180, currency: 'EUR', products: [{ category: 'winter-jackets', sku: SECRET_SKU }] }, context: { traits: { email: 'ana@example.com' } }, timestamp: at(-HOUR), messageId: 'ws-4' });
    await processed('ws-4');
    // ... until the app learns who the anonymous shopper is: the two profiles merge.
    await send('/v1/identify', appKey, { anonymousId: 'anon-shopper', userId: 'cust-77', traits: { email: 'ana@example.com' }, timestamp: at(), messageId: 'ws-5' });
    await processed('ws-5');

    const customer = await eventually(async () => {
      const body = await insightsOf('email:ana@example.com');
      return body.snapshot && segmentKeys(body).includes('recent-purchasers') && body.snapshot.insights.topViewedCategory === 'winter-jackets' ? body : undefined;
    }, 'the merged customer to show the store purchase and the browsing');
    expect(customer.snapshot?.insights).toMatchObject({ lifetimeValue: 180, orderCount: 1, averageOrderValue: 180, topPurchasedCategory: 'winter-jackets', channels: ['app', 'pos'] });
    expect(segmentKeys(customer)).toEqual(expect.arrayContaining(['recent-purchasers', 'winter-jacket-browsers']));
    // Added, then ordered within 24 hours: not a cart abandoner.
    expect(segmentKeys(customer)).not.toContain('cart-abandoners');
    expect((await insightsOf('anonymous_id:anon-shopper')).profileId).toBe(customer.profileId);
  });

  it('lets recent purchasers leave when 72 hours pass, with no new event, and keeps the history', async () => {
    const before = await insightsOf('email:ana@example.com');
    clock.advance(73 * HOUR);
    await reevaluateDue();
    const after = await insightsOf('email:ana@example.com');
    expect(segmentKeys(after)).not.toContain('recent-purchasers');
    // The 7-day browsing window has not passed yet.
    expect(segmentKeys(after)).toContain('winter-jacket-browsers');
    expect(after.version).toBeGreaterThan(before.version);
    const recent = after.segmentHistory.find((stay) => stay.segmentId === segmentIds.get('recent-purchasers'));
    expect(recent).toMatchObject({ enteredAt: expect.any(String), exitedAt: expect.any(String) });
    expect(Date.parse(recent?.exitedAt ?? '') - Date.parse(recent?.enteredAt ?? '')).toBeGreaterThanOrEqual(72 * HOUR);
  });

  it('makes a shopper who added to cart and did not order within 24 hours a cart abandoner, and an order ends it', async () => {
    await send('/v1/track', appKey, { anonymousId: 'anon-cart', event: 'Product Added', properties: { category: 'boots', sku: SECRET_SKU }, timestamp: at(), messageId: 'ca-1' });
    await processed('ca-1');
    expect(segmentKeys(await insightsOf('anonymous_id:anon-cart'))).not.toContain('cart-abandoners');
    clock.advance(25 * HOUR);
    await reevaluateDue();
    expect(segmentKeys(await insightsOf('anonymous_id:anon-cart'))).toContain('cart-abandoners');

    await send('/v1/track', appKey, { anonymousId: 'anon-cart', event: 'Order Completed', properties: { order_id: 'app-9', total: 80, currency: 'USD' }, timestamp: at(), messageId: 'ca-2' });
    await processed('ca-2');
    const buyer = await eventually(async () => {
      const body = await insightsOf('anonymous_id:anon-cart');
      return body.snapshot?.insights.orderCount === 1 ? body : undefined;
    }, 'the order to count');
    expect(segmentKeys(buyer)).not.toContain('cart-abandoners');
    expect(segmentKeys(buyer)).toContain('recent-purchasers');
    // 80 USD at the configured rate of 0.5 EUR per USD.
    expect(buyer.snapshot?.insights).toMatchObject({ currency: 'EUR', lifetimeValue: 40 });
  });

  it('counts email engagement of the last 30 days from the email channel', async () => {
    await send('/v1/batch', emailKey, {
      batch: [
        { type: 'track', userId: 'cust-77', event: 'Email Opened', properties: { campaign: 'winter' }, timestamp: at(-HOUR), messageId: 'em-1' },
        { type: 'track', userId: 'cust-77', event: 'Email Link Clicked', properties: { campaign: 'winter' }, timestamp: at(-HOUR + 1000), messageId: 'em-2' },
      ],
    });
    await processed('em-2');
    const body = await eventually(async () => {
      const current = await insightsOf('user_id:cust-77');
      return current.snapshot?.insights['emailClicks30d'] === 1 ? current : undefined;
    }, 'the email engagement to count');
    expect(body.snapshot?.insights).toMatchObject({ emailOpens30d: 1, emailClicks30d: 1, channels: ['app', 'email', 'pos'] });
  });

  it('refuses an invalid rule with a message that points at the bad part', async () => {
    const { status, body } = await cdp.admin('POST', '/v1/segments', { key: 'broken', name: 'Broken', rule: { all: [{ insight: 'lifetimeValue', op: 'gt', value: 100 }, { event: 'Order Completed', count: { op: 'most', value: 2 } }] } });
    expect(status).toBe(400);
    expect((body as { message: string[] }).message).toEqual([expect.stringMatching(/^rule\.all\[1\]\.count\.op: must be one of /)]);
    expect((await cdp.admin('POST', '/v1/segments', { key: 'Bad Key', name: 'x', rule: {} })).status).toBe(400);
    expect((await cdp.admin('POST', '/v1/segments', { key: 'cart-abandoners', name: 'Again', rule: { event: 'Product Added' } })).status).toBe(409);
  });

  it('back-fills a new segment over existing profiles with progress, previews its size, and lists its members', async () => {
    const rule = { event: 'Product Viewed', where: [{ property: 'category', op: 'eq', value: 'winter-jackets' }] };
    const preview = await cdp.admin('POST', '/v1/segments/preview', { rule });
    expect(preview.body).toMatchObject({ estimatedSize: 1, exact: true });
    const created = await cdp.admin('POST', '/v1/segments', { key: 'ever-viewed-jackets', name: 'Ever viewed jackets', rule });
    expect(created.status).toBe(201);
    const done = await eventually(async () => {
      const segment = (await cdp.admin('GET', '/v1/segments/ever-viewed-jackets')).body as { backfill: { status: string; processed: number; total: number }; size: number };
      return segment.backfill.status === 'done' ? segment : undefined;
    }, 'the back-fill to finish');
    expect(done.backfill.processed).toBe(done.backfill.total);
    expect(done.size).toBe(1);
    const members = (await cdp.admin('GET', '/v1/segments/ever-viewed-jackets/members')).body as { data: { profileId: string }[] };
    expect(members.data.map((member) => member.profileId)).toEqual([(await insightsOf('email:ana@example.com')).profileId]);
  });

  it('fits RFM and the value models on demand and scores every customer', async () => {
    // 200 customers whose buying follows the BG/NBD with CDNOW-like parameters (in days), seeded: some buy
    // often, some rarely, some have stopped. Repeat orders are spread evenly up to the customer's last one.
    const random = new SeededRandom(7);
    const customers = simulateBgNbdCustomers({ r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 }, Array.from({ length: 200 }, (_, index) => 120 + (index % 150)), random);
    const batch = customers.flatMap((customer, index) =>
      Array.from({ length: customer.x + 1 }, (_, order) => ({
        type: 'track',
        userId: `fit-${index}`,
        event: 'Order Completed',
        properties: { order_id: `fit-${index}-${order}`, revenue: Math.round(10 + random.next() * 90 + (index % 10) * 8) },
        timestamp: at(-(customer.T - (customer.x === 0 ? 0 : (customer.tx * order) / customer.x)) * 24 * HOUR),
        messageId: `fit-${index}-${order}`,
      })),
    );
    await send('/v1/batch', posKey, { batch });
    await eventually(async () => Number((await cdp.query<{ count: string }>(`SELECT count(*) FROM events WHERE message_id LIKE 'fit-%'`))[0]?.count) === batch.length || undefined, 'all orders stored');

    const refresh = await cdp.admin('POST', '/v1/admin/insights/refresh');
    expect(refresh.status).toBe(202);
    expect(refresh.body).toMatchObject({ fit: { buyers: 202, value: { bgNbd: { r: expect.any(Number) }, gammaGamma: { p: expect.any(Number) } } } });
    await eventually(async () => {
      const models = (await cdp.admin('GET', '/v1/admin/insights/models')).body as { rescoring: { running: boolean; finishedAt: string | null; rescored: number } };
      return !models.rescoring.running && models.rescoring.finishedAt !== null && models.rescoring.rescored >= 202 ? models : undefined;
    }, 'the re-scoring to finish');

    // Every customer is scored, and the insight-based example segments follow the scores.
    const members = { 'high-value-customers': 0, 'at-risk-customers': 0, 'discount-suppression-high-ltv': 0 };
    for (let index = 0; index < customers.length; index++) {
      const body = await insightsOf(`user_id:fit-${index}`);
      const insights = body.snapshot?.insights as Snapshot['insights'] & { rfm: { monetary: number } | null; churnRisk: number | null; probabilityAlive: number | null };
      expect(insights.rfm).toMatchObject({ recency: expect.any(Number), frequency: expect.any(Number), monetary: expect.any(Number), segment: expect.any(String) });
      expect(insights.probabilityAlive).toEqual(expect.any(Number));
      expect(insights.predictedLifetimeValue).toEqual(expect.any(Number));
      const atRisk = (insights.churnRisk ?? 0) >= 0.7;
      const keys = segmentKeys(body);
      expect(keys.includes('high-value-customers')).toBe(insights.rfm?.monetary === 5);
      expect(keys.includes('at-risk-customers')).toBe(atRisk);
      expect(keys.includes('discount-suppression-high-ltv')).toBe((insights.rfm?.monetary === 5 || insights.lifetimeValue >= 500) && !atRisk);
      for (const key of Object.keys(members) as (keyof typeof members)[]) if (keys.includes(key)) members[key] += 1;
    }
    expect(members['high-value-customers']).toBeGreaterThanOrEqual(30);
    expect(members['at-risk-customers']).toBeGreaterThan(0);
    expect(members['discount-suppression-high-ltv']).toBeGreaterThan(0);
  });

  it('publishes contract-valid snapshots with rising versions and membership changes, never event content', async () => {
    const insightsTopic = await cdp.readTopic(TOPICS.cdpProfileInsights.name);
    const membershipTopic = await cdp.readTopic(TOPICS.cdpSegmentMembership.name);
    const customerId = (await insightsOf('email:ana@example.com')).profileId;
    await eventually(() => membershipTopic.some((message) => (message.value as { segmentKey?: string } | null)?.segmentKey === 'recent-purchasers' && (message.value as { change: string }).change === 'exited') || undefined, 'the exit message');

    const versions = new Map<string, number>();
    for (const message of insightsTopic) {
      expect(JSON.stringify(message.value)).not.toContain(SECRET_SKU);
      if (message.value === null) continue; // tombstone of a merged-away profile
      const value = parseContractValue(profileInsightsV1, message.value);
      expect(message.key).toBe(value.profileId);
      expect(value.version).toBeGreaterThan(versions.get(value.profileId) ?? 0);
      versions.set(value.profileId, value.version);
    }
    expect(versions.get(customerId)).toBe((await insightsOf(customerId)).version);
    for (const message of membershipTopic) {
      expect(JSON.stringify(message.value)).not.toContain(SECRET_SKU);
      parseContractValue(segmentMembershipChangedV1, message.value);
    }
    // The store's profile entered recent-purchasers; the customer it was merged into kept that stay (no new
    // entry at the merge) and left it 72 hours later.
    const [storeProfile] = await cdp.query<{ id: string }>('SELECT id FROM profiles WHERE merged_into = $1', [customerId]);
    // The two profiles' messages may sit on different partitions: read in either order.
    const recentPurchases = (): { profileId: string; change: string }[] =>
      membershipTopic
        .map((message) => message.value as { profileId: string; segmentKey: string; change: string })
        .filter((change) => change.segmentKey === 'recent-purchasers' && [customerId, storeProfile?.id].includes(change.profileId))
        .map(({ profileId, change }) => ({ profileId, change }))
        .sort((a, b) => a.change.localeCompare(b.change));
    await eventually(async () => recentPurchases().length >= 2 || undefined, 'both recent-purchasers changes');
    expect(recentPurchases()).toEqual([
      { profileId: storeProfile?.id, change: 'entered' },
      { profileId: customerId, change: 'exited' },
    ]);
    // The merged-away profile got a tombstone on the compacted topic.
    expect(insightsTopic.some((message) => message.value === null)).toBe(true);
  });

  it('publishes nothing for an event that changes nothing', async () => {
    const before = await insightsOf('email:ana@example.com');
    const lastSeen = String(before.snapshot?.insights['lastSeenAt']);
    // Same minute as the last event, no order, no category: nothing a consumer sees changes.
    await send('/v1/page', appKey, { userId: 'cust-77', name: 'Home', timestamp: lastSeen, messageId: 'noop-1' });
    await processed('noop-1');
    expect((await insightsOf('email:ana@example.com')).version).toBe(before.version);
  });

  it('publishes the name from the first/last name traits, and no new snapshot when the same name comes again', async () => {
    const insightsTopic = await cdp.readTopic(TOPICS.cdpProfileInsights.name);
    const before = await insightsOf('email:ana@example.com');
    expect(before.snapshot?.name).toBeUndefined();
    // In the minute of the last event, so only the name changes what a consumer sees.
    const lastSeen = String(before.snapshot?.insights['lastSeenAt']);
    const identify = (messageId: string): Promise<void> => send('/v1/identify', appKey, { userId: 'cust-77', traits: { firstName: 'Ana', last_name: 'Lind' }, timestamp: lastSeen, messageId });
    await identify('name-1');
    await processed('name-1');
    const named = await insightsOf('email:ana@example.com');
    expect(named.version).toBeGreaterThan(before.version);
    expect(named.snapshot?.name).toEqual({ firstName: 'Ana', lastName: 'Lind' });
    const message = await eventually(
      () => insightsTopic.find((entry) => (entry.value as { profileId?: string; version?: number } | null)?.version === named.version && entry.key === named.profileId),
      'the named snapshot on the insights topic',
    );
    expect(parseContractValue(profileInsightsV1, message.value).name).toEqual({ firstName: 'Ana', lastName: 'Lind' });

    await identify('name-2');
    await processed('name-2');
    expect((await insightsOf('email:ana@example.com')).version).toBe(named.version);
  });

  it('lets winter-jacket browsers leave once their last view is more than 7 days old', async () => {
    expect(segmentKeys(await insightsOf('email:ana@example.com'))).toContain('winter-jacket-browsers');
    clock.advance(4 * 24 * HOUR);
    await reevaluateDue();
    const after = await insightsOf('email:ana@example.com');
    expect(segmentKeys(after)).not.toContain('winter-jacket-browsers');
    expect(after.segmentHistory.find((stay) => stay.segmentId === segmentIds.get('winter-jacket-browsers'))?.exitedAt).toEqual(expect.any(String));
  });
});
