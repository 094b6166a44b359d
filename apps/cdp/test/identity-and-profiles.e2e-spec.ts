import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CdpHarness, eventually } from './cdp-harness.js';

interface ProfileBody {
  id: string;
  traits: Record<string, unknown>;
  traitSources: Record<string, { source: string; observedAt: string }>;
  consent: Record<string, { granted: boolean }>;
  identities: { type: string; value: string }[];
  conflicts: { kind: string; identifierType: string; detail: unknown }[];
}

describe('CDP identity resolution and unified profiles on real Postgres and Kafka', () => {
  let cdp: CdpHarness;
  let appKey: string;
  let posKey: string;
  let webKey: string;

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-identity');
    [appKey, posKey, webKey] = await Promise.all([cdp.createSource('mobile-app', 'app'), cdp.createSource('store-pos', 'pos'), cdp.createSource('web-shop', 'web')]);
  }, 60_000);
  afterAll(async () => {
    await cdp?.stop();
  });

  const processed = (messageId: string): Promise<unknown> =>
    eventually(async () => (await cdp.query('SELECT 1 FROM events WHERE message_id = $1', [messageId]))[0], `${messageId} to be processed`);
  const profile = async (reference: string): Promise<ProfileBody> => {
    const { status, body } = await cdp.admin('GET', `/v1/profiles/${encodeURIComponent(reference)}`);
    if (status !== 200) throw new Error(`GET profile ${reference}: ${status} ${JSON.stringify(body)}`);
    return body as ProfileBody;
  };

  it('stitches anonymous app browsing to the store purchase made with an email: one profile', async () => {
    await cdp.send('/v1/track', appKey, { anonymousId: 'a-app-1', event: 'Product Viewed', properties: { category: 'winter-jackets' }, context: { device: { id: 'device-1' } }, messageId: 'st-1' });
    await processed('st-1');
    await cdp.send('/v1/identify', appKey, { anonymousId: 'a-app-1', traits: { email: 'Jane.Doe@Example.com', firstName: 'Jane' }, messageId: 'st-2' });
    await cdp.send('/v1/track', posKey, { anonymousId: 'pos-receipt-9', event: 'Order Completed', properties: { revenue: 120 }, context: { traits: { email: 'jane.doe@example.com' } }, messageId: 'st-3' });
    await processed('st-3');

    const jane = await profile('email:jane.doe@example.com');
    expect(jane.identities).toEqual(
      expect.arrayContaining([
        { type: 'anonymous_id', value: 'a-app-1' },
        { type: 'anonymous_id', value: 'pos-receipt-9' },
        { type: 'device_id', value: 'device-1' },
        { type: 'email', value: 'jane.doe@example.com' },
      ]),
    );
    expect((await profile('anonymous_id:a-app-1')).id).toBe(jane.id);
    expect((await profile('device_id:device-1')).id).toBe(jane.id);
    const timeline = (await cdp.admin('GET', `/v1/profiles/${jane.id}/events?limit=2`)).body as { data: { messageId: string }[]; nextCursor: string };
    expect(timeline.data.map((event) => event.messageId)).toEqual(['st-3', 'st-2']);
    const rest = (await cdp.admin('GET', `/v1/profiles/${jane.id}/events?limit=2&cursor=${timeline.nextCursor}`)).body as { data: { messageId: string }[]; nextCursor: null };
    expect(rest).toEqual({ data: [expect.objectContaining({ messageId: 'st-1' })], nextCursor: null });
  });

  it('merges two profiles met by one event, publishes the merge, and finds the survivor by the merged-away id', async () => {
    await cdp.send('/v1/identify', webKey, { anonymousId: 'a-web-2', traits: { email: 'max@example.com' }, messageId: 'mg-1' });
    await cdp.send('/v1/identify', appKey, { userId: 'max', traits: { plan: 'gold' }, messageId: 'mg-2' });
    await processed('mg-1');
    await processed('mg-2');
    const before = [(await profile('email:max@example.com')).id, (await profile('user_id:max')).id];
    expect(before[0]).not.toBe(before[1]);

    await cdp.send('/v1/identify', webKey, { userId: 'max', anonymousId: 'a-web-2', messageId: 'mg-3' });
    await processed('mg-3');
    const max = await profile('user_id:max');
    expect((await profile('email:max@example.com')).id).toBe(max.id);
    const mergedAway = before.find((id) => id !== max.id) as string;
    expect((await profile(mergedAway)).id).toBe(max.id);
    expect(max.traits).toMatchObject({ email: 'max@example.com', plan: 'gold' });

    const merges = await cdp.readTopic('cdp.profile-merges.v1');
    const merge = await eventually(async () => merges.find((message) => (message.value as { survivorProfileId: string }).survivorProfileId === max.id), 'the merge message');
    expect(merge.key).toBe(max.id);
    expect(merge.value).toMatchObject({ schemaVersion: 1, mergedProfileIds: [mergedAway], identifiers: { userIds: ['max'], emails: ['max@example.com'], crmContactIds: [] } });
    expect(merge.headers['contract']).toBe('cdp.profile-merged v1');
  });

  it('never merges two different userIds: the conflict is recorded and visible on the profile', async () => {
    await cdp.send('/v1/identify', posKey, { userId: 'bob', anonymousId: 'kiosk-1', messageId: 'cf-1' });
    await processed('cf-1');
    await cdp.send('/v1/identify', posKey, { userId: 'alice', anonymousId: 'kiosk-1', traits: { email: 'alice@example.com' }, messageId: 'cf-2' });
    await processed('cf-2');
    const alice = await profile('user_id:alice');
    const bob = await profile('user_id:bob');
    expect(alice.id).not.toBe(bob.id);
    expect(bob.identities).toContainEqual({ type: 'anonymous_id', value: 'kiosk-1' });
    expect(alice.conflicts).toContainEqual(expect.objectContaining({ kind: 'merge_refused', identifierType: 'user_id', detail: { values: ['alice', 'bob'] } }));
  });

  it('keeps the newer trait when an older event arrives late, and records each trait source', async () => {
    await cdp.send('/v1/identify', webKey, { userId: 'tara', traits: { tier: 'gold' }, timestamp: '2026-11-20T10:00:00Z', messageId: 'tr-1' });
    await processed('tr-1');
    await cdp.send('/v1/identify', posKey, { userId: 'tara', traits: { tier: 'bronze', city: 'Leeds' }, timestamp: '2026-11-01T10:00:00Z', messageId: 'tr-2' });
    await processed('tr-2');
    const tara = await profile('user_id:tara');
    expect(tara.traits).toMatchObject({ tier: 'gold', city: 'Leeds' });
    expect(tara.traitSources['tier']).toEqual({ source: 'web-shop', observedAt: '2026-11-20T10:00:00.000Z' });
    expect(tara.traitSources['city']?.source).toBe('store-pos');
  });

  it('keeps consent per purpose from context.consent', async () => {
    await cdp.send('/v1/track', webKey, { userId: 'cora', event: 'Consent Updated', context: { consent: { categoryPreferences: { advertising: false, analytics: true } } }, messageId: 'cs-1' });
    await processed('cs-1');
    expect((await profile('user_id:cora')).consent).toEqual({
      advertising: expect.objectContaining({ granted: false, source: 'web-shop' }),
      analytics: expect.objectContaining({ granted: true }),
    });
  });

  it('never corrupts the graph when one person arrives on many partitions at once', async () => {
    const batch = Array.from({ length: 24 }, (_, index) => ({ type: 'identify', anonymousId: `conc-anon-${index}`, traits: { email: 'conc@example.com', [`t${index}`]: index }, messageId: `conc-${index}` }));
    await Promise.all([0, 1, 2, 3].map((part) => cdp.send('/v1/batch', webKey, { batch: batch.slice(part * 6, part * 6 + 6) })));
    await eventually(async () => (await cdp.query(`SELECT 1 FROM events WHERE message_id LIKE 'conc-%'`)).length === 24, 'all concurrent events');
    const live = await cdp.query<{ profile_id: string }>(`SELECT DISTINCT profile_id FROM identities WHERE type = 'anonymous_id' AND value LIKE 'conc-anon-%'`);
    expect(live).toHaveLength(1);
    const conc = await profile('email:conc@example.com');
    expect(conc.identities.filter((identity) => identity.type === 'anonymous_id')).toHaveLength(24);
    expect(Object.keys(conc.traits).filter((name) => name.startsWith('t'))).toHaveLength(24);
  });

  it('finds profiles by trait', async () => {
    const { body } = await cdp.admin('GET', '/v1/profiles?trait=city&value=Leeds');
    expect((body as { data: { traits: Record<string, unknown> }[] }).data).toEqual([expect.objectContaining({ traits: expect.objectContaining({ city: 'Leeds' }) })]);
  });

  it('answers clear 4xx for a bad reference, an unknown profile and a missing admin token', async () => {
    expect(await cdp.admin('GET', '/v1/profiles/shoe_size:42')).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('neither a profile id nor type:value') }) });
    expect((await cdp.admin('GET', '/v1/profiles/email:nobody@example.com')).status).toBe(404);
    expect((await fetch(`${cdp.url}/v1/profiles/user_id:tara`)).status).toBe(401);
    expect((await cdp.admin('GET', '/v1/profiles?trait=city')).status).toBe(400);
  });

  it('erases a profile on request: events, traits and identities go, the identifiers cannot re-create it, and downstream is told', async () => {
    await cdp.send('/v1/identify', webKey, { userId: 'erin', traits: { email: 'erin@example.com' }, messageId: 'er-1' });
    await cdp.send('/v1/track', webKey, { userId: 'erin', event: 'Order Completed', messageId: 'er-2' });
    await processed('er-2');
    const erin = await profile('user_id:erin');

    const erased = await cdp.admin('DELETE', '/v1/profiles/email:erin@example.com');
    expect(erased).toEqual({ status: 200, body: { profileId: erin.id, erasedProfileIds: [erin.id], eventsDeleted: 2, identifiersSuppressed: 2 } });
    expect((await cdp.admin('GET', `/v1/profiles/${erin.id}`)).status).toBe(404);
    expect(await cdp.query('SELECT 1 FROM events WHERE profile_id = $1', [erin.id])).toEqual([]);

    await cdp.send('/v1/track', webKey, { userId: 'erin', event: 'Came Back', messageId: 'er-3' });
    await cdp.send('/v1/track', webKey, { userId: 'sentinel-after-erasure', event: 'X', messageId: 'er-4' });
    await processed('er-4');
    expect((await cdp.admin('GET', '/v1/profiles/user_id:erin')).status).toBe(404);
    expect(await cdp.query('SELECT 1 FROM events WHERE message_id = $1', ['er-3'])).toEqual([]);

    const erasures = await cdp.readTopic('cdp.profile-erasures.v1');
    const message = await eventually(async () => erasures.find((candidate) => candidate.key === erin.id), 'the erasure message');
    expect(message.value).toMatchObject({ profileId: erin.id, identifiers: { userIds: ['erin'], emails: ['erin@example.com'] } });
    const insights = await cdp.readTopic('cdp.profile-insights.v1');
    await eventually(async () => insights.find((candidate) => candidate.key === erin.id && candidate.value === null), 'the insights tombstone');
  });
});
