import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Analytics } from '@segment/analytics-node';
import { CdpHarness, eventually } from './cdp-harness.js';

interface EventRow {
  message_id: string;
  type: string;
  event: string | null;
  timestamp: Date;
  received_at: Date;
  source_id: string;
}

describe('CDP collection API (Segment spec) on real Postgres and Kafka', () => {
  let cdp: CdpHarness;
  let writeKey: string;

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-collection');
    writeKey = await cdp.createSource('web-shop', 'web');
  }, 60_000);
  afterAll(async () => {
    await cdp?.stop();
  });

  const storedEvent = (messageId: string): Promise<EventRow> =>
    eventually(async () => (await cdp.query<EventRow>('SELECT * FROM events WHERE message_id = $1', [messageId]))[0], `event ${messageId} to be stored`);

  it('accepts each call type and stores it with its source and receivedAt', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/identify', { userId: 'u-1', traits: { email: 'ada@example.com' }, messageId: 'm-identify' }],
      ['/v1/track', { userId: 'u-1', event: 'Product Viewed', properties: { category: 'winter-jackets' }, messageId: 'm-track' }],
      ['/v1/page', { userId: 'u-1', name: 'Home', messageId: 'm-page' }],
      ['/v1/screen', { userId: 'u-1', name: 'Cart', messageId: 'm-screen' }],
      ['/v1/group', { userId: 'u-1', groupId: 'acme', traits: { plan: 'b2b' }, messageId: 'm-group' }],
      ['/v1/alias', { userId: 'u-1', previousId: 'anon-77', messageId: 'm-alias' }],
    ];
    for (const [path, body] of calls) {
      const response = await cdp.send(path, writeKey, body);
      expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 200, body: { success: true, accepted: 1 } });
    }
    const sources = await cdp.admin('GET', '/v1/admin/sources');
    const sourceId = (sources.body as { id: string; name: string }[]).find((source) => source.name === 'web-shop')?.id;
    for (const [, body] of calls) {
      const row = await storedEvent(body['messageId'] as string);
      expect(row.source_id).toBe(sourceId);
      expect(row.received_at).toBeInstanceOf(Date);
    }
  });

  it('answers 404 naming the endpoints for a call type Segment does not have', async () => {
    expect(await cdp.send('/v1/launch', writeKey, { userId: 'u' })).toEqual({ status: 404, body: expect.objectContaining({ message: expect.stringContaining('use one of /v1/track, /v1/identify') }) });
  });

  it('refuses a missing, wrong or disabled write key with 401 and a message saying why', async () => {
    expect(await cdp.send('/v1/track', null, { userId: 'u', event: 'X' })).toEqual({ status: 401, body: expect.objectContaining({ message: expect.stringContaining('missing write key') }) });
    expect(await cdp.send('/v1/track', 'not-a-key', { userId: 'u', event: 'X' })).toEqual({ status: 401, body: expect.objectContaining({ message: 'unknown or disabled write key' }) });
    const doomedKey = await cdp.createSource('doomed', 'app');
    const sources = (await cdp.admin('GET', '/v1/admin/sources')).body as { id: string; name: string }[];
    expect((await cdp.admin('DELETE', `/v1/admin/sources/${sources.find((source) => source.name === 'doomed')?.id}`)).status).toBe(204);
    expect((await cdp.send('/v1/track', doomedKey, { userId: 'u', event: 'X' })).status).toBe(401);
  });

  it('keeps the valid events of a batch, reports the invalid ones by index, and stores only the valid', async () => {
    const response = await cdp.send('/v1/batch', writeKey, {
      batch: [
        { type: 'track', userId: 'u-2', event: 'Product Added', messageId: 'b-1' },
        { type: 'track', userId: 'u-2', messageId: 'b-2' },
        { type: 'identify', anonymousId: 'a-2', traits: { plan: 'gold' }, messageId: 'b-3' },
      ],
    });
    expect(response).toEqual({ status: 200, body: { success: true, accepted: 2, rejected: [{ index: 1, errors: ['event: event is required for track calls and must be a string'] }] } });
    await storedEvent('b-1');
    await storedEvent('b-3');
    expect(await cdp.query('SELECT 1 FROM events WHERE message_id = $1', ['b-2'])).toEqual([]);
  });

  it('answers 400 naming the problem for malformed JSON, a batch with no valid event, and an invalid single call', async () => {
    const malformed = await cdp.send('/v1/track', writeKey, undefined, '{"userId": "u", "event": ');
    expect(malformed.status).toBe(400);
    expect(String(malformed.body['message'])).toContain('request body is not valid JSON');
    const allBad = await cdp.send('/v1/batch', writeKey, { batch: [{ type: 'track' }] });
    expect(allBad).toEqual({ status: 400, body: expect.objectContaining({ message: ['no event in the batch is valid'], rejected: [{ index: 0, errors: expect.arrayContaining(['event: event is required for track calls and must be a string']) }] }) });
    const single = await cdp.send('/v1/identify', writeKey, { traits: { email: 'x@y.z' } });
    expect(single).toEqual({ status: 400, body: expect.objectContaining({ message: ['userId: userId or anonymousId is required (alias requires userId)'] }) });
  });

  it('enforces the 32 KB event and 500 KB batch limits with messages naming them', async () => {
    const big = await cdp.send('/v1/track', writeKey, { userId: 'u-3', event: 'Big', properties: { blob: 'x'.repeat(40 * 1024) } });
    expect(big).toEqual({ status: 400, body: expect.objectContaining({ message: ['event: is 41 KB; the limit is 32 KB per event'] }) });
    const hugeBatch = { batch: Array.from({ length: 30 }, (_, index) => ({ type: 'track', userId: 'u-3', event: 'Chunk', messageId: `huge-${index}`, properties: { blob: 'y'.repeat(20 * 1024) } })) };
    const tooLarge = await cdp.send('/v1/batch', writeKey, hugeBatch);
    expect(tooLarge).toEqual({ status: 413, body: expect.objectContaining({ message: [expect.stringMatching(/^request body is \d+ KB; the limit is 500 KB$/)] }) });
    expect(await cdp.query('SELECT 1 FROM events WHERE message_id = $1', ['huge-0'])).toEqual([]);
  });

  it('stores a repeated messageId once', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await cdp.send('/v1/track', writeKey, { userId: 'u-4', event: 'Order Completed', messageId: 'dup-1' })).status).toBe(200);
    }
    await storedEvent('dup-1');
    await cdp.send('/v1/track', writeKey, { userId: 'u-4', event: 'Sentinel', messageId: 'dup-sentinel' });
    await storedEvent('dup-sentinel');
    expect(await cdp.query('SELECT message_id FROM events WHERE message_id = $1', ['dup-1'])).toHaveLength(1);
  });

  it('corrects the event time for a client clock running an hour fast', async () => {
    const now = Date.now();
    await cdp.send('/v1/track', writeKey, {
      userId: 'u-5',
      event: 'Skewed',
      messageId: 'skew-1',
      timestamp: new Date(now + 3_600_000 - 5_000).toISOString(),
      sentAt: new Date(now + 3_600_000).toISOString(),
    });
    const row = await storedEvent('skew-1');
    expect(Math.abs(row.timestamp.getTime() - (row.received_at.getTime() - 5_000))).toBeLessThan(1000);
  });

  it('works with the real Segment SDK (@segment/analytics-node) unchanged, which sees success', async () => {
    const analytics = new Analytics({ writeKey, host: cdp.url, flushAt: 3, flushInterval: 200, maxRetries: 0 });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));
    analytics.identify({ userId: 'sdk-user', traits: { email: 'sdk@example.com' } });
    analytics.track({ userId: 'sdk-user', event: 'Order Completed', properties: { revenue: 99.5 } });
    analytics.page({ userId: 'sdk-user', name: 'Checkout' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(failures).toEqual([]);
    const rows = await eventually(async () => {
      const found = await cdp.query<{ type: string }>(`SELECT type FROM events WHERE user_id = 'sdk-user' ORDER BY type`);
      return found.length === 3 ? found : undefined;
    }, 'the SDK events');
    expect(rows.map((row) => row.type)).toEqual(['identify', 'page', 'track']);
  });
});
