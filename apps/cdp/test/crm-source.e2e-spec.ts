import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { contactChangedV1, type ContactChangedV1 } from '@cds/contracts';
import { createKafkajsClient, KafkajsMessageProducer } from '@cds/kafka';
import { testInfrastructure } from '@cds/testing';
import { CdpHarness, eventually, TestClock } from './cdp-harness.js';

describe('the CRM as a source of the CDP, on real Postgres and Kafka', () => {
  let cdp: CdpHarness;
  let producer: KafkajsMessageProducer;
  let webKey: string;
  const clock = new TestClock();

  beforeAll(async () => {
    cdp = await CdpHarness.start('cdp-crm-source', { clock });
    webKey = await cdp.createSource('web-shop', 'web');
    producer = new KafkajsMessageProducer(createKafkajsClient({ brokers: [testInfrastructure().kafkaBrokers], clientId: 'crm-test', topicPrefix: cdp.topicPrefix }), cdp.topicPrefix);
    await producer.connect();
  }, 60_000);
  afterAll(async () => {
    await producer?.disconnect();
    await cdp?.stop();
  });

  it('joins a contact a rep entered to the shopper with the same email, as the crm source', async () => {
    await cdp.send('/v1/identify', webKey, { anonymousId: 'anon-web-1', traits: { email: 'lena@example.com' }, messageId: 'web-1' });
    await eventually(async () => (await cdp.query('SELECT 1 FROM events WHERE message_id = $1', ['web-1']))[0], 'the web identify');
    const contactId = randomUUID();
    // Time as the CDP sees it (a test clock far from the wall clock): a contact change is received then.
    clock.advance(3 * 24 * 3600_000);
    const change: ContactChangedV1 = { schemaVersion: 1, changeId: randomUUID(), changeType: 'created', contactId, version: 1, occurredAt: new Date().toISOString(), email: 'Lena@Example.com', firstName: 'Lena', companyName: 'Nordwind' };
    await producer.publish(contactChangedV1, [change]);

    const profile = await eventually(async () => {
      const { status, body } = await cdp.admin('GET', `/v1/profiles/crm_contact_id:${contactId}`);
      return status === 200 ? (body as { id: string; traits: Record<string, unknown>; traitSources: Record<string, { source: string }>; identities: { type: string; value: string }[] }) : undefined;
    }, 'the contact to join a profile');
    expect(profile.identities).toEqual(expect.arrayContaining([{ type: 'anonymous_id', value: 'anon-web-1' }, { type: 'email', value: 'lena@example.com' }, { type: 'crm_contact_id', value: contactId }]));
    expect(profile.traits).toMatchObject({ firstName: 'Lena', company: 'Nordwind' });
    expect(profile.traitSources['company']?.source).toBe('crm');
    // The CRM contact id reaches consumers of the insights: the sync bridge matches on it.
    const insights = await eventually(async () => {
      const body = (await cdp.admin('GET', `/v1/profiles/${profile.id}/insights`)).body as { snapshot: { identifiers: { crmContactIds: string[] } } | null };
      return body.snapshot?.identifiers.crmContactIds.includes(contactId) ? body : undefined;
    }, 'the insights to carry the CRM contact id');
    expect(insights.snapshot?.identifiers.crmContactIds).toEqual([contactId]);

    const [stored] = (await cdp.query(`SELECT received_at FROM events WHERE message_id = $1`, [`crm-${contactId}-v1`])) as { received_at: Date }[];
    expect(stored?.received_at.getTime()).toBe(clock.now().getTime());

    // The same change delivered again stores nothing new.
    await producer.publish(contactChangedV1, [{ ...change, changeId: randomUUID() }]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await cdp.query(`SELECT message_id FROM events WHERE message_id LIKE 'crm-%'`)).toEqual([{ message_id: `crm-${contactId}-v1` }]);
  });
});
