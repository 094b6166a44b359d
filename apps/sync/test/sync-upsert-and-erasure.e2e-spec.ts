import { randomUUID } from 'node:crypto';
import { profileErasedV1, profileInsightsV1, TOPICS, type ProfileErasedV1, type ProfileIdentifiersV1, type ProfileInsightsV1 } from '@cds/contracts';
import { eventually } from '@cds/testing';
import { insightsSnapshot, profileErased } from './cdp-messages.js';
import { SyncStack } from './sync-stack.js';
import type { TopicMessage } from './test-kafka.js';
import type { ContactView } from './views.js';

// The CRM as a process, optionally the CDP too, and the bridge in-process in upsert mode with erasure by contact
// deletion, all on one topic prefix, so the bridge and the CDP read the CRM's contact changes. Without the CDP, the
// test publishes the CDP's messages itself.
const UPSERT_WITH_ERASURE = { SYNC_MODE: 'upsert', SYNC_ERASURE_ACTION: 'delete-contact' };

interface ContactChange {
  contactId: string;
  changeType: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}

const snapshot = (profileId: string, version: number, identifiers: Partial<ProfileIdentifiersV1>, lifetimeValue: number): ProfileInsightsV1 =>
  insightsSnapshot(profileId, version, identifiers, { lifetimeValue });

const named = (insights: ProfileInsightsV1, firstName: string, lastName: string): ProfileInsightsV1 => ({ ...insights, name: { firstName, lastName } });

/** What the CDP reads from the CRM: crm.contact-changes.v1, from its beginning. */
const readContactChanges = async (stack: SyncStack): Promise<() => ContactChange[]> => {
  const messages: TopicMessage[] = await stack.kafka.read(TOPICS.crmContactChanges.name);
  return () => messages.map((message) => JSON.parse(message.value ?? 'null') as ContactChange);
};

describe('sync upsert mode and erasure by contact deletion, against a real CRM', () => {
  let stack: SyncStack;
  let changes: () => ContactChange[];
  const publish = (...snapshots: ProfileInsightsV1[]): Promise<void> => stack.kafka.publish(profileInsightsV1, snapshots);
  const tombstone = (profileId: string): Promise<void> => stack.kafka.sendSerialized([{ topic: TOPICS.cdpProfileInsights.name, key: profileId, value: null, headers: {} }]);
  const erasure = (profileId: string, emails: string[], crmContactIds: string[] = []): ProfileErasedV1 => profileErased(profileId, { emails, crmContactIds });

  beforeAll(async () => {
    stack = await SyncStack.start('sync_upsert', { syncEnv: UPSERT_WITH_ERASURE });
    changes = await readContactChanges(stack);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const customer = randomUUID();
  const twin = randomUUID();
  let customerContact: string;

  it('creates the contact of a known customer with no match, with their name, enriches and links it; the CRM publishes it for the CDP', async () => {
    await publish(named(snapshot(customer, 4, { emails: ['New.Customer@example.com'] }, 120), 'Nina', 'Newman'));
    const contact = await eventually(async () => (await stack.contactsWithEmail('new.customer@example.com')).find((view) => view.enrichment !== null), 'the created, enriched contact');
    customerContact = contact.id;
    expect(contact).toMatchObject({ owner: null, enrichment: { lifetimeValue: 120 }, enrichmentVersion: 4 });
    expect((await stack.crm('GET', `/v1/contacts/${contact.id}`)).body).toMatchObject({ firstName: 'Nina', lastName: 'Newman' });
    const audit = (await stack.crm('GET', `/v1/contacts/${contact.id}/audit`)).body as unknown as { actorName: string; action: string; changes: Record<string, unknown> }[];
    expect(audit).toContainEqual(expect.objectContaining({ actorName: 'configured-sync', action: 'created', changes: expect.objectContaining({ source: 'cdp', cdpProfileId: customer }) }));
    await eventually(async () => (await stack.linkOf(customer)) === contact.id && !(await stack.isUnmatched(customer)), 'the profile linked, not unmatched');
    const created = await eventually(async () => changes().find((change) => change.contactId === contact.id && change.changeType === 'created'), 'the creation on crm.contact-changes.v1');
    expect(created).toMatchObject({ email: 'new.customer@example.com', firstName: 'Nina', lastName: 'Newman' });
  });

  it('does not loop: the contact coming back through the CDP, and a second profile with that email, create nothing more', async () => {
    // The CDP took the created contact in: the profile now carries its CRM contact id.
    await publish(snapshot(customer, 5, { emails: ['new.customer@example.com'], crmContactIds: [customerContact] }, 150));
    // Another profile with the same email (before the CDP merges the two) is matched, not given a second contact.
    await publish(snapshot(twin, 1, { emails: ['new.customer@example.com'] }, 1));
    await eventually(async () => (await stack.linkOf(twin)) === customerContact, 'the twin linked to the same contact');
    await eventually(async () => ((await stack.contactsWithEmail('new.customer@example.com'))[0]?.enrichmentVersion === 5 ? true : undefined), 'the newer snapshot applied');
    expect((await stack.contactsWithEmail('new.customer@example.com')).map((view) => view.id)).toEqual([customerContact]);
    expect(changes().filter((change) => change.changeType === 'created' && change.email === 'new.customer@example.com')).toHaveLength(1);
  });

  it('enriches a rep-made contact with that email instead of creating one, and leaves a profile without email unmatched', async () => {
    const made = await stack.crm('POST', '/v1/contacts', { email: 'rep.made@example.com', firstName: 'Rae' });
    expect(made.status).toBe(201);
    const repMade = made.body['id'] as string;
    const anonymous = randomUUID();
    await publish(named(snapshot(randomUUID(), 2, { emails: ['rep.made@example.com'] }, 60), 'Rachel', 'Madison'), snapshot(anonymous, 1, { userIds: ['u-77'] }, 5));
    await eventually(async () => ((await stack.contactsWithEmail('rep.made@example.com'))[0]?.enrichment ? true : undefined), 'the rep-made contact enriched');
    expect((await stack.contactsWithEmail('rep.made@example.com')).map((view) => view.id)).toEqual([repMade]);
    // The rep's names stay: the CDP's name is only for a contact the bridge creates.
    expect((await stack.crm('GET', `/v1/contacts/${repMade}`)).body).toMatchObject({ firstName: 'Rae', lastName: null });
    await eventually(async () => ((await stack.isUnmatched(anonymous)) ? true : undefined), 'the profile without email waiting unmatched');
    const total = (await stack.crm('GET', '/v1/contacts?limit=100')).body as unknown as { data: ContactView[] };
    expect(total.data.map((view) => view.email).sort()).toEqual(['new.customer@example.com', 'rep.made@example.com']);
  });

  it('erases the linked contact in the CRM on a CDP erasure, forgets the profile, and takes a redelivery as done', async () => {
    const request = erasure(customer, ['new.customer@example.com']);
    await stack.kafka.publish(profileErasedV1, [request]);
    await eventually(async () => ((await stack.crm('GET', `/v1/contacts/${customerContact}`)).status === 404 ? true : undefined), 'the contact erased');
    await eventually(async () => (await stack.linkOf(customer)) === undefined && !(await stack.isUnmatched(customer)), 'the profile forgotten');
    const deletion = await eventually(async () => changes().find((change) => change.contactId === customerContact && change.changeType === 'deleted'), 'the deletion on crm.contact-changes.v1');
    expect(deletion).not.toHaveProperty('email');

    // A snapshot older than the erasure, still on the insights topic before the profile's tombstone, re-creates no one.
    await publish(snapshot(customer, 6, { emails: ['new.customer@example.com'] }, 170));
    await eventually(async () => ((await stack.isUnmatched(customer)) ? true : undefined), 'the late snapshot waiting unmatched');
    await tombstone(customer);
    await eventually(async () => (!(await stack.isUnmatched(customer)) ? true : undefined), 'the tombstone forgetting it');
    // The erasure again (a redelivery) is a success that erases nothing more.
    await stack.kafka.publish(profileErasedV1, [request]);
    const erasures = async (outcome: string): Promise<boolean> => (await stack.metric('sync_lifecycle_messages_total', `{group="sync-profile-erasures",outcome="${outcome}"}`)) === 1;
    await eventually(async () => ((await erasures('erased')) && (await erasures('nothing-linked')) ? true : undefined), 'the erasure and its redelivery handled');
    expect(await stack.contactsWithEmail('new.customer@example.com')).toEqual([]);
  });

  it("erases the contact the erasure names by CRM contact id when the profile's tombstone removed the link first", async () => {
    const late = randomUUID();
    await publish(snapshot(late, 1, { emails: ['late@example.com'] }, 30));
    const contact = await eventually(async () => (await stack.contactsWithEmail('late@example.com'))[0], 'the contact created');
    await eventually(async () => (await stack.linkOf(late)) === contact.id, 'the profile linked');
    await tombstone(late);
    await eventually(async () => (await stack.linkOf(late)) === undefined, 'the tombstone applied first');
    await stack.kafka.publish(profileErasedV1, [erasure(late, ['late@example.com'], [contact.id])]);
    await eventually(async () => ((await stack.crm('GET', `/v1/contacts/${contact.id}`)).status === 404 ? true : undefined), 'the contact erased');
  });
});

describe('sync upsert mode with the real CDP: a created contact comes back without a loop, and an erasure removes it', () => {
  let stack: SyncStack;
  let changes: () => ContactChange[];
  let writeKey: string;
  const email = 'loop.customer@example.com';
  const collect = async (route: string, body: unknown): Promise<void> => {
    const answer = await stack.collect(writeKey, route, body);
    expect(answer.status).toBe(200);
  };

  beforeAll(async () => {
    stack = await SyncStack.start('sync_upsert_cdp', { cdp: true, syncEnv: UPSERT_WITH_ERASURE });
    changes = await readContactChanges(stack);
    writeKey = await stack.createSource('web-shop', 'web');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates the contact once, named from the traits: the CDP learns its CRM contact id and the bridge reaches it through the link', async () => {
    await collect('/v1/identify', { userId: 'loop-u1', traits: { email, firstName: 'Lou', last_name: 'Pérez' } });
    await collect('/v1/track', { userId: 'loop-u1', event: 'Order Completed', properties: { order_id: 'loop-o1', revenue: 90, currency: 'EUR' } });
    const contact = await eventually(async () => (await stack.contactsWithEmail(email))[0], 'the contact created by the bridge');
    // The CRM published the creation, the CDP took it in: the profile now carries the contact id, and its newest
    // insights (a version above the one the contact was created for) went through the stored link.
    const settled = await eventually(async () => {
      const insights = await stack.insights(`email:${email}`);
      if (!insights?.snapshot?.identifiers.crmContactIds.includes(contact.id)) return undefined;
      const [view] = await stack.contactsWithEmail(email);
      return view?.enrichmentVersion === insights.version ? { insights, view } : undefined;
    }, 'the CDP snapshot carrying the CRM contact id applied to the contact');
    expect(settled.view.enrichment?.lifetimeValue).toBe(90);
    expect((await stack.crm('GET', `/v1/contacts/${contact.id}`)).body).toMatchObject({ firstName: 'Lou', lastName: 'Pérez' });

    await collect('/v1/track', { userId: 'loop-u1', event: 'Order Completed', properties: { order_id: 'loop-o2', revenue: 30, currency: 'EUR' } });
    await eventually(async () => ((await stack.contactsWithEmail(email))[0]?.enrichment?.lifetimeValue === 120 ? true : undefined), 'the next order on the same contact');
    expect((await stack.contactsWithEmail(email)).map((view) => view.id)).toEqual([contact.id]);
    expect(changes().filter((change) => change.changeType === 'created')).toHaveLength(1);
    expect(await stack.linkOf(settled.insights.profileId)).toBe(contact.id);
  });

  it("erases the contact when the CDP erases the profile, and the CDP's deletion handling re-creates no one", async () => {
    const [contact] = await stack.contactsWithEmail(email);
    expect((await stack.cdp('DELETE', `/v1/profiles/${encodeURIComponent(`email:${email}`)}`)).status).toBeLessThan(300);
    await eventually(async () => ((await stack.crm('GET', `/v1/contacts/${contact?.id}`)).status === 404 ? true : undefined), 'the contact erased in the CRM');
    await eventually(async () => (changes().some((change) => change.contactId === contact?.id && change.changeType === 'deleted') ? true : undefined), 'the deletion published');
    expect(await stack.contactsWithEmail(email)).toEqual([]);
  });
});
