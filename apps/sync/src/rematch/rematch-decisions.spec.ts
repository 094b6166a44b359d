import type { ContactChangedV1, ContactEnrichmentV1, EnrichmentOutcome, EnrichmentUpdateV1 } from '@cds/contracts';
import type { NewLink, PendingProfile } from '../matching/match-store.js';
import { handleContactChange } from './contact-change-handler.js';
import { linksFromAnswer, rematchUpdates } from './rematch-decisions.js';

const A = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const B = '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const CONTACT = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';
const ENRICHMENT: ContactEnrichmentV1 = { currency: 'EUR', lifetimeValue: 30, orderCount: 3, segments: [], consent: [] };

const pending = (profileId: string, version: number, emails: string[], crmContactIds: string[] = []): PendingProfile => ({
  profileId,
  version,
  emails,
  crmContactIds,
  update: { email: emails[0], profileId, version, enrichment: ENRICHMENT } as EnrichmentUpdateV1,
});
const change = (changeType: ContactChangedV1['changeType'], email?: string): ContactChangedV1 =>
  ({ schemaVersion: 1, changeId: B, changeType, contactId: CONTACT, version: 1, occurredAt: '2025-01-02T10:00:00.000Z', ...(email ? { email } : {}) }) as ContactChangedV1;

describe('rematchUpdates', () => {
  it("addresses a matching profile's stored update to the changed contact by id, matching email in any case or the CRM contact id", () => {
    const updates = rematchUpdates(change('created', 'Dee@Example.com'), [pending(A, 3, ['dee@example.com']), pending(B, 2, [], [CONTACT.toUpperCase()])]);
    expect(updates).toEqual([
      { contactId: CONTACT, profileId: A, version: 3, enrichment: ENRICHMENT },
      { contactId: CONTACT, profileId: B, version: 2, enrichment: ENRICHMENT },
    ]);
  });

  it('ignores candidates the change does not name, and merged or deleted contacts', () => {
    expect(rematchUpdates(change('updated', 'other@example.com'), [pending(A, 3, ['dee@example.com'])])).toEqual([]);
    expect(rematchUpdates(change('updated'), [pending(A, 3, ['dee@example.com'])])).toEqual([]);
    expect(rematchUpdates(change('deleted', 'dee@example.com'), [pending(A, 3, ['dee@example.com'])])).toEqual([]);
    expect(rematchUpdates(change('merged', 'dee@example.com'), [pending(A, 3, ['dee@example.com'])])).toEqual([]);
  });
});

describe('linksFromAnswer', () => {
  it('links what the CRM applied or already had, and leaves the not-found waiting', () => {
    const updates = [A, B].map((profileId, index) => ({ contactId: CONTACT, profileId, version: index + 1, enrichment: ENRICHMENT }));
    const answer = (outcomes: EnrichmentOutcome[]) => ({ results: outcomes.map((outcome, index) => ({ index, outcome, contactId: outcome === 'not_found' ? null : CONTACT })) });
    expect(linksFromAnswer(updates, answer(['applied', 'not_found']))).toEqual([{ profileId: A, contactId: CONTACT, version: 1 }]);
    expect(linksFromAnswer(updates, answer(['stale', 'applied'])).map((link) => link.profileId)).toEqual([A, B]);
  });
});

describe('handleContactChange', () => {
  function fakes(waiting: PendingProfile[], outcome: EnrichmentOutcome) {
    const sent: EnrichmentUpdateV1[][] = [];
    const settled: NewLink[][] = [];
    const deps = {
      pendingFor: async (_contactId: string, email: string | undefined) => waiting.filter((profile) => email !== undefined && profile.emails.includes(email.toLowerCase())),
      sendToCrm: async ({ updates }: { updates: EnrichmentUpdateV1[] }) => {
        sent.push(updates);
        return { results: updates.map((_, index) => ({ index, outcome, contactId: outcome === 'not_found' ? null : CONTACT })) };
      },
      settle: async (links: readonly NewLink[]) => {
        settled.push([...links]);
        for (const link of links) waiting.splice(waiting.findIndex((profile) => profile.profileId === link.profileId), 1);
      },
    };
    return { deps, sent, settled };
  }

  it('sends the waiting update to the new contact and links it; a redelivered change sends nothing', async () => {
    const { deps, sent, settled } = fakes([pending(A, 3, ['dee@example.com'])], 'applied');
    expect(await handleContactChange(change('created', 'dee@example.com'), deps)).toEqual({ sent: 1, linked: 1 });
    expect(await handleContactChange(change('created', 'dee@example.com'), deps)).toEqual({ sent: 0, linked: 0 });
    expect(sent).toEqual([[{ contactId: CONTACT, profileId: A, version: 3, enrichment: ENRICHMENT }]]);
    expect(settled[0]).toEqual([{ profileId: A, contactId: CONTACT, version: 3 }]);
  });

  it('links on a stale answer too (applied before a crash, delivered again)', async () => {
    const { deps, settled } = fakes([pending(A, 3, ['dee@example.com'])], 'stale');
    await handleContactChange(change('updated', 'dee@example.com'), deps);
    expect(settled[0]).toEqual([{ profileId: A, contactId: CONTACT, version: 3 }]);
  });

  it('keeps the profile waiting when the contact is gone by then', async () => {
    const { deps, settled } = fakes([pending(A, 3, ['dee@example.com'])], 'not_found');
    expect(await handleContactChange(change('created', 'dee@example.com'), deps)).toEqual({ sent: 1, linked: 0 });
    expect(settled).toEqual([[]]);
  });
});
