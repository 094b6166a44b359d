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

  describe('in upsert mode', () => {
    const NEW_CONTACT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const C = '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f';
    function upsertFakes(create: (emails: string[]) => (string | null)[] | Error) {
      const created: string[][] = [];
      // The CRM knows ana, and every contact created so far, by id; nobody else.
      const known = new Set([CONTACT]);
      const faked = fakes((updates) =>
        updates.map((update) =>
          update.email === 'ana@example.com' ? { outcome: 'applied', contactId: CONTACT } : update.contactId && known.has(update.contactId) ? { outcome: 'applied', contactId: update.contactId } : { outcome: 'not_found', contactId: null },
        ),
      );
      faked.deps.createContacts = async ({ contacts }) => {
        created.push(contacts.map((contact) => contact.email));
        const ids = create(contacts.map((contact) => contact.email));
        if (ids instanceof Error) throw ids;
        for (const id of ids) if (id) known.add(id);
        return { results: ids.map((contactId, index) => (contactId ? { index, outcome: 'created' as const, contactId } : { index, outcome: 'suppressed' as const, contactId })) };
      };
      return { ...faked, created };
    }

    it('creates the contact of a known customer no contact matched, applies the update to it and links it in the same batch', async () => {
      const { deps, sent, recorded, created } = upsertFakes(() => [NEW_CONTACT]);
      await processInsightsBatch([record(A, insights(A, 2, 'ana@example.com')), record(B, insights(B, 7, 'bo@example.com'))], deps);
      expect(created).toEqual([['bo@example.com']]);
      expect(sent[1]).toEqual([expect.objectContaining({ contactId: NEW_CONTACT, profileId: B, version: 7 })]);
      expect(sent[1]?.[0]).not.toHaveProperty('email');
      expect(recorded[0]?.links).toEqual([
        { profileId: A, contactId: CONTACT, version: 2 },
        { profileId: B, contactId: NEW_CONTACT, version: 7 },
      ]);
      expect(recorded[0]?.unmatched).toEqual([]);
    });

    it('creates nothing for a profile that lost its linked contact, carries a CRM contact id, or has no email', async () => {
      const noEmail = JSON.stringify({ ...JSON.parse(insights(C, 1, 'x@example.com')), identifiers: { userIds: ['u1'], emails: [], crmContactIds: [] } });
      const carriesId = JSON.stringify({ ...JSON.parse(insights(B, 1, 'bo@example.com')), identifiers: { userIds: [], emails: ['bo@example.com'], crmContactIds: [NEW_CONTACT] } });
      const gone = '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918';
      const { deps, recorded, created } = upsertFakes(() => [NEW_CONTACT]);
      deps.links = async () => new Map([[A, { contactId: gone, lastVersion: 1 }]]);
      await processInsightsBatch([record(A, insights(A, 2, 'ana2@example.com')), record(B, carriesId), record(C, noEmail)], deps);
      expect(created).toEqual([]);
      expect(recorded[0]?.unmatched.map((profile) => profile.profileId).sort()).toEqual([A, B, C].sort());
      expect(recorded[0]?.unlink).toEqual([A]);
    });

    it('dead-letters only the snapshot whose contact the CRM refuses to create', async () => {
      const { deps, recorded, deadLetters } = upsertFakes((emails) => (emails.includes('bad@example.com') ? new PermanentCrmError('CRM refused the batch (400)', 400) : emails.map(() => NEW_CONTACT)));
      await processInsightsBatch([record(B, insights(B, 1, 'bo@example.com')), record(C, insights(C, 1, 'bad@example.com'))], deps);
      expect(deadLetters.map((message) => message.key)).toEqual([C]);
      expect(recorded[0]?.links).toEqual([{ profileId: B, contactId: NEW_CONTACT, version: 1 }]);
    });

    it('leaves the profile of an erased person unmatched when the CRM suppresses its creation', async () => {
      const { deps, sent, recorded } = upsertFakes(() => [null]);
      await processInsightsBatch([record(B, insights(B, 3, 'erased@example.com'))], deps);
      expect(sent).toHaveLength(1);
      expect(recorded[0]?.links).toEqual([]);
      expect(recorded[0]?.unmatched.map((profile) => profile.profileId)).toEqual([B]);
    });

    it('lets a creation the CRM cannot take now through, so the batch is delivered again', async () => {
      const { deps, recorded } = upsertFakes(() => new RetryableCrmError('503', 503));
      await expect(processInsightsBatch([record(B, insights(B, 1, 'bo@example.com'))], deps)).rejects.toBeInstanceOf(RetryableCrmError);
      expect(recorded).toHaveLength(0);
    });
  });
});
