import { randomUUID } from 'node:crypto';
import { TOPICS } from '@cds/contracts';
import { eventually } from '@cds/testing';
import { insightsSnapshot } from './cdp-messages.js';
import { SyncStack } from './sync-stack.js';

const INSIGHTS = TOPICS.cdpProfileInsights;

describe('sync bridge: what one fetch brings from every partition goes to the CRM together', () => {
  let stack: SyncStack;

  beforeAll(async () => {
    stack = await SyncStack.start('sync_fetch', { sync: 'later' });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('applies a snapshot waiting in each partition with fewer CRM requests than partitions', async () => {
    const partitions = Array.from({ length: INSIGHTS.partitions }, (_, partition) => partition);
    await stack.kafka.ensureTopics([INSIGHTS, TOPICS.syncDeadLetters]);
    const contacts = await Promise.all(partitions.map((partition) => stack.createContact(`fetch-${partition}@example.com`)));
    await stack.kafka.send(
      INSIGHTS.name,
      partitions.map((partition) => {
        const profileId = randomUUID();
        return { partition, key: profileId, value: JSON.stringify(insightsSnapshot(profileId, 1, { emails: [`fetch-${partition}@example.com`] }, { lifetimeValue: 10 + partition })) };
      }),
    );

    // Started after the snapshots are on the topic: its first fetch holds every partition.
    await stack.startSync();
    await eventually(async () => {
      const views = await Promise.all(contacts.map((id) => stack.contact(id)));
      return views.every((view, partition) => view.enrichment?.lifetimeValue === 10 + partition) || undefined;
    }, 'every contact enriched');
    expect(await stack.metric('sync_enrichment_applied_total')).toBe(INSIGHTS.partitions);
    // One request per partition before; joined, the 12 partitions' snapshots need far fewer.
    expect(await stack.metric('sync_crm_request_duration_seconds_count')).toBeLessThan(INSIGHTS.partitions);
  });
});
