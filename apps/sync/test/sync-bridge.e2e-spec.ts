import { randomUUID } from 'node:crypto';
import { eventually } from '@cds/testing';
import { insightsSnapshot } from './cdp-messages.js';
import { SyncStack } from './sync-stack.js';

// The CDP and the CRM as processes, the bridge in-process on the CDP's topics. The CRM publishes its contact
// changes on topics of its own: the bridge finds contacts by its own lookups only.
const INSIGHTS = 'cdp.profile-insights.v1';
const DEAD_LETTERS = 'sync.dead-letters.v1';

const snapshot = (email: string, version: number): string => JSON.stringify(insightsSnapshot(randomUUID(), version, { emails: [email] }, { lifetimeValue: 50, channels: ['pos'] }));

describe('sync bridge: CDP insights onto CRM contacts', () => {
  let stack: SyncStack;

  beforeAll(async () => {
    stack = await SyncStack.start('sync_e2e', { cdp: true, crmTopics: 'own' });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  let anaId: string;
  let anaProfileId: string;

  it("shows a shopper's CDP insights on the rep's CRM contact within seconds", async () => {
    anaId = await stack.createContact('ana@example.com');
    await stack.createSegment('big-spenders', 'Big spenders', { insight: 'lifetimeValue', op: 'gte', value: 100 });
    const writeKey = await stack.createSource('web-shop', 'web');
    const started = Date.now();
    const sent = await stack.collect(writeKey, '/v1/track', {
      anonymousId: 'shopper-1',
      event: 'Order Completed',
      properties: { revenue: 120, currency: 'EUR' },
      context: { traits: { email: 'Ana@Example.com' } },
    });
    expect(sent.status).toBe(200);

    const enriched = await eventually(async () => {
      const view = await stack.contact(anaId);
      return view.enrichment?.segments.some((entry) => entry.key === 'big-spenders') ? view : undefined;
    }, 'the CRM contact to carry the CDP enrichment', 20_000);
    expect(enriched.enrichment).toMatchObject({ lifetimeValue: 120, orderCount: 1, segments: [expect.objectContaining({ key: 'big-spenders' })] });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(enriched.timeline.some((entry) => entry.kind === 'insight')).toBe(true);

    const links = await stack.syncQuery<{ profile_id: string; contact_id: string }>('SELECT profile_id, contact_id FROM profile_contact_links');
    expect(links).toEqual([expect.objectContaining({ contact_id: anaId })]);
    anaProfileId = links[0]?.profile_id ?? '';
    expect(await stack.metric('sync_enrichment_applied_total')).toBeGreaterThanOrEqual(1);
    expect(await stack.metric('sync_crm_request_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    // Consumer lag is reported per partition of the insights topic.
    const lagLines = (await (await fetch(`${stack.sync.url}/metrics`)).text()).split('\n').filter((line) => line.startsWith('sync_consumer_lag{'));
    expect(lagLines.length).toBeGreaterThan(0);
    expect(lagLines.every((line) => line.includes('cdp.profile-insights.v1'))).toBe(true);
  });

  it('dead-letters a poison message between good ones, which apply; remembers a profile with no contact', async () => {
    const boId = await stack.createContact('bo@example.com');
    const cyId = await stack.createContact('cy@example.com');
    const bo = snapshot('bo@example.com', 1);
    const nobody = snapshot('nobody@example.com', 1);
    const keyOf = (value: string): string => (JSON.parse(value) as { profileId: string }).profileId;
    await stack.kafka.send(INSIGHTS, [
      { partition: 0, key: keyOf(bo), value: bo },
      { partition: 0, key: 'poison', value: '{"schemaVersion":1,"profileId":"not-a-uuid","version":"x"}' },
      { partition: 0, key: 'poison-json', value: 'this is not json' },
      { partition: 0, key: randomUUID(), value: snapshot('cy@example.com', 1) },
      { partition: 0, key: keyOf(nobody), value: nobody },
    ]);
    await eventually(async () => (await stack.contact(boId)).enrichment?.lifetimeValue === 50 && (await stack.contact(cyId)).enrichment?.lifetimeValue === 50, 'the good messages to apply');
    const deadLetters = await stack.kafka.read(DEAD_LETTERS);
    await eventually(() => deadLetters.length >= 2, 'the poison messages on the dead-letter topic');
    const poison = deadLetters.find((message) => message.key === 'poison');
    expect(poison?.headers).toMatchObject({ 'original-topic': `${stack.topicPrefix}${INSIGHTS}`, 'original-partition': '0' });
    expect(poison?.headers['dead-letter-reason']).toMatch(/profileId/);
    expect(Number(poison?.headers['original-offset'])).toBeGreaterThanOrEqual(0);
    expect(deadLetters.find((message) => message.key === 'poison-json')?.headers['dead-letter-reason']).toMatch(/JSON/);
    expect(await stack.metric('sync_dead_letters_total')).toBeGreaterThanOrEqual(2);
    await eventually(() => stack.isUnmatched(keyOf(nobody)), 'the unmatched profile to be remembered');
  });

  it('leaves one timeline entry per change when the same insights arrive twice', async () => {
    const insights = await stack.kafka.read(INSIGHTS);
    const anaMessages = await eventually(() => {
      const found = insights.filter((message) => message.key === anaProfileId);
      return found.length > 0 ? found : undefined;
    }, "Ana's insights on the topic");
    const before = await stack.contact(anaId);
    const staleBefore = await stack.metric('sync_enrichment_stale_total');
    const latest = anaMessages[anaMessages.length - 1];
    if (!latest) throw new Error('no insights for Ana');
    const again = { partition: latest.partition, key: latest.key, value: latest.value };
    for (const delivery of [1, 2]) {
      await stack.kafka.send(INSIGHTS, [again]);
      await eventually(async () => (await stack.metric('sync_enrichment_stale_total')) >= staleBefore + delivery, `redelivery ${delivery} to be answered stale`);
    }
    const after = await stack.contact(anaId);
    expect(after.timeline.filter((entry) => entry.kind === 'insight')).toEqual(before.timeline.filter((entry) => entry.kind === 'insight'));
    expect(after.enrichmentVersion).toBe(before.enrichmentVersion);
  });
});
