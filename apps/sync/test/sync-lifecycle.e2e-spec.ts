import { randomUUID } from 'node:crypto';
import { profileErasedV1, profileInsightsV1, profileMergedV1, type ProfileInsightsV1 } from '@cds/contracts';
import { eventually } from '@cds/testing';
import { insightsSnapshot, profileErased, profileMerged } from './cdp-messages.js';
import { SyncStack } from './sync-stack.js';

// The CRM as a process on the bridge's topic prefix, so the bridge reads its contact changes. The CDP's
// messages are published directly.

const snapshot = (profileId: string, version: number, emails: string[], lifetimeValue: number): ProfileInsightsV1 =>
  insightsSnapshot(profileId, version, { emails }, { lifetimeValue, orderCount: 2, averageOrderValue: lifetimeValue / 2 });

describe('sync lifecycle: late contacts, merges and erasures', () => {
  let stack: SyncStack;

  beforeAll(async () => {
    stack = await SyncStack.start('sync_life');
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const first = randomUUID();
  const survivor = randomUUID();
  const stranger = randomUUID();
  let deeId: string;

  it('applies an unmatched profile as soon as a rep creates its contact', async () => {
    await stack.kafka.publish(profileInsightsV1, [snapshot(first, 3, ['dee@example.com'], 80)]);
    await eventually(async () => ((await stack.syncQuery<{ v: number }>("SELECT (pending_update->>'version')::int AS v FROM unmatched_profiles WHERE profile_id = $1", [first]))[0]?.v === 3 ? true : undefined), 'the profile to wait, unmatched, with its update');

    const created = await stack.crm('POST', '/v1/contacts', { email: 'Dee@Example.com', firstName: 'Dee' });
    expect(created.status).toBe(201);
    deeId = created.body['id'] as string;
    const enriched = await eventually(async () => {
      const view = await stack.contact(deeId);
      return view.enrichment ? view : undefined;
    }, 'the waiting enrichment to appear on the new contact');
    expect(enriched.enrichment).toMatchObject({ lifetimeValue: 80, orderCount: 2 });
    expect(enriched.enrichmentVersion).toBe(3);
    await eventually(async () => (await stack.linkOf(first)) === deeId && !(await stack.isUnmatched(first)), 'the profile to be linked and no longer unmatched');

    // The same contact changing again (a redelivery alike) finds nothing waiting: the contact is not touched.
    expect((await stack.crm('PATCH', `/v1/contacts/${deeId}`, { lastName: 'Doe' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await stack.contact(deeId)).enrichmentVersion).toBe(3);
  });

  it("moves the merged-away profile's link to the survivor, whose insights then go through it", async () => {
    await stack.kafka.publish(profileMergedV1, [profileMerged(survivor, [first], 5, { emails: ['dee@example.com'] })]);
    await eventually(async () => (await stack.linkOf(survivor)) === deeId && (await stack.linkOf(first)) === undefined, 'the link to move to the survivor');
    // No identifier names the contact: only the moved link can.
    await stack.kafka.publish(profileInsightsV1, [snapshot(survivor, 5, [], 200)]);
    await eventually(async () => ((await stack.contact(deeId)).enrichment?.lifetimeValue === 200 ? true : undefined), "the survivor's insights on the contact");
  });

  it('clears the contact on erasure and forgets the erased and merged profiles', async () => {
    await stack.kafka.publish(profileInsightsV1, [snapshot(stranger, 1, ['nobody-yet@example.com'], 10)]);
    await eventually(async () => ((await stack.isUnmatched(stranger)) ? true : undefined), 'the stranger to wait unmatched');

    await stack.kafka.publish(profileErasedV1, [profileErased(survivor, { emails: ['dee@example.com'] }, [first, stranger])]);
    const cleared = await eventually(async () => {
      const view = await stack.contact(deeId);
      return view.enrichment === null ? view : undefined;
    }, 'the enrichment to be cleared');
    expect(cleared.enrichmentVersion).toBe(6);
    await eventually(
      async () => (await stack.syncQuery('SELECT profile_id FROM profile_contact_links WHERE profile_id = ANY($1::text[]) UNION ALL SELECT profile_id FROM unmatched_profiles WHERE profile_id = ANY($1::text[])', [[first, survivor, stranger]])).length === 0,
      'the links and unmatched rows to be gone',
    );
    // A rep creating a contact for the erased stranger's email applies nothing.
    const late = await stack.crm('POST', '/v1/contacts', { email: 'nobody-yet@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await stack.contact(late.body['id'] as string)).enrichment).toBeNull();
  });
});
