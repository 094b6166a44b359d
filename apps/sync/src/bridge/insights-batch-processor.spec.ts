import type { EnrichmentUpdateV1 } from '@cds/contracts';
import { PermanentCrmError, RetryableCrmError } from '../crm/crm-enrichment.client.js';
import type { MatchChanges, StoredLink } from '../matching/match-store.js';
import { DEAD_LETTER_HEADERS, processInsightsBatch, type InsightsBatchDependencies } from './insights-batch-processor.js';
import type { RawRecord } from './partition-batch-consumer.js';

const A = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const B = '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const CONTACT = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';

function insights(profileId: string, version: number, email: string): string {
  return JSON.stringify({
    schemaVersion: 1,
    profileId,
    version,
    computedAt: '2025-01-02T10:00:00.000Z',
    identifiers: { userIds: [], emails: [email], crmContactIds: [] },
    insights: {
      currency: 'EUR', lifetimeValue: 10 * version, unconvertedRevenue: [], orderCount: version, averageOrderValue: 10, firstOrderAt: null, lastOrderAt: null,
      daysSinceLastOrder: null, lastSeenAt: null, channels: [], topViewedCategory: null, topPurchasedCategory: null, emailOpens30d: 0, emailClicks30d: 0,
      rfm: null, predictedLifetimeValue: null, probabilityAlive: null, churnRisk: null, purchaseProbability30d: null,
    },
    segments: [],
    consent: [],
  });
}

let offset = 0;
const record = (key: string | null, value: string | null): RawRecord => ({ topic: 't.cdp.profile-insights.v1', partition: 2, offset: String(offset++), key, value, headers: {} });

function fakes(answer: (updates: EnrichmentUpdateV1[]) => { outcome: 'applied' | 'stale' | 'not_found'; contactId: string | null }[] | Error, links = new Map<string, StoredLink>()) {
  const sent: EnrichmentUpdateV1[][] = [];
  const recorded: MatchChanges[] = [];
  const deadLetters: { key: string | null; value: string | null; headers: Readonly<Record<string, string>> }[] = [];
  const deps: InsightsBatchDependencies = {
    sendToCrm: async ({ updates }) => {
      sent.push(updates);
      const result = answer(updates);
      if (result instanceof Error) throw result;
      return { results: result.map((outcome, index) => ({ index, ...outcome })) };
    },
    links: async () => links,
    record: async (changes) => void recorded.push(changes),
    deadLetter: async (messages) => void deadLetters.push(...messages),
  };
  return { deps, sent, recorded, deadLetters };
}

describe('processInsightsBatch', () => {
  it('sends the newest snapshot per profile once, links matches, remembers the unmatched and dead-letters poison', async () => {
    const { deps, sent, recorded, deadLetters } = fakes((updates) => updates.map((update) => (update.email === 'ana@example.com' ? { outcome: 'applied', contactId: CONTACT } : { outcome: 'not_found', contactId: null })));
    const poison = record(A, '{"schemaVersion":1,"profileId":"nope"}');
    await processInsightsBatch([record(A, insights(A, 1, 'ana@example.com')), poison, record(A, insights(A, 2, 'ana@example.com')), record(B, insights(B, 1, 'bo@example.com'))], deps);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.map((update) => [update.profileId, update.version])).toEqual([
      [A, 2],
      [B, 1],
    ]);
    expect(recorded[0]?.links).toEqual([{ profileId: A, contactId: CONTACT, version: 2 }]);
    expect(recorded[0]?.unmatched.map((profile) => profile.profileId)).toEqual([B]);
    // The unmatched profile keeps the update it could not deliver, for when its contact appears.
    expect(recorded[0]?.unmatched[0]?.update).toMatchObject({ profileId: B, version: 1, email: 'bo@example.com' });
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.headers[DEAD_LETTER_HEADERS.originalOffset]).toBe(poison.offset);
    expect(deadLetters[0]?.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe('t.cdp.profile-insights.v1');
    expect(deadLetters[0]?.headers[DEAD_LETTER_HEADERS.reason]).toContain('profileId');
  });

  it('narrows a permanent refusal down to the refused update and applies the others', async () => {
    const { deps, sent, recorded, deadLetters } = fakes((updates) =>
      updates.length > 1 ? new PermanentCrmError('400', 400) : updates[0]?.profileId === B ? new PermanentCrmError('CRM refused the batch (400)', 400) : [{ outcome: 'applied', contactId: CONTACT }],
    );
    await processInsightsBatch([record(A, insights(A, 1, 'ana@example.com')), record(B, insights(B, 1, 'bo@example.com'))], deps);
    expect(sent).toHaveLength(3);
    expect(recorded[0]?.links.map((link) => link.profileId)).toEqual([A]);
    expect(deadLetters.map((message) => message.key)).toEqual([B]);
  });

  it('lets a retryable error through so nothing is committed', async () => {
    const { deps, recorded, deadLetters } = fakes(() => new RetryableCrmError('503', 503));
    await expect(processInsightsBatch([record(A, insights(A, 1, 'ana@example.com'))], deps)).rejects.toBeInstanceOf(RetryableCrmError);
    expect(recorded).toHaveLength(0);
    expect(deadLetters).toHaveLength(0);
  });

  it('clears a linked contact on a tombstone with a newer version and forgets the profile', async () => {
    const { deps, sent, recorded } = fakes(() => [{ outcome: 'applied', contactId: CONTACT }], new Map([[A, { contactId: CONTACT, lastVersion: 4 }]]));
    await processInsightsBatch([record(A, insights(A, 4, 'ana@example.com')), record(A, null), record(B, null)], deps);
    expect(sent).toEqual([[{ contactId: CONTACT, profileId: A, version: 5, enrichment: null }]]);
    expect([...(recorded[0]?.forget ?? [])].sort()).toEqual([A, B].sort());
    expect(recorded[0]?.links).toEqual([]);
  });
});
