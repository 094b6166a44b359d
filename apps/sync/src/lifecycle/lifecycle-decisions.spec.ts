import type { ContactErasureRequestV1, EnrichmentUpdateV1 } from '@cds/contracts';
import type { StoredLink } from '../matching/match-store.js';
import { handleErasure } from './erasure-handler.js';
import { contactsToErase, planErasure, planMerge } from './lifecycle-decisions.js';

const SURVIVOR = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const M1 = '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const M2 = '3e4f5061-7b8c-4d9e-8f10-2b3c4d5e6f70';
const X = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';
const Y = '7a2b8c63-3c8f-4b66-8e5f-8e1d2c2f0a12';

const links = (entries: [string, string, number][]): Map<string, StoredLink> => new Map(entries.map(([profileId, contactId, lastVersion]) => [profileId, { contactId, lastVersion }]));

describe('planMerge', () => {
  it("moves a merged-away profile's link to a survivor that has none, keeping its version, and drops the rest", () => {
    expect(planMerge(SURVIVOR, [M1, M2], links([[M1, X, 4]]))).toEqual({ move: { from: M1, contactId: X, lastVersion: 4 }, unlink: [M1], dropUnmatched: [M1, M2, SURVIVOR] });
  });

  it('takes the link the highest version was sent through when several merged-away profiles are linked', () => {
    const plan = planMerge(SURVIVOR, [M1, M2], links([[M1, X, 4], [M2, Y, 9]]));
    expect(plan.move).toEqual({ from: M2, contactId: Y, lastVersion: 9 });
    expect(plan.unlink).toEqual([M1, M2]);
  });

  it('removes the merged-away links when the survivor is linked already, and keeps its unmatched row out of it', () => {
    expect(planMerge(SURVIVOR, [M1, M2, M1], links([[SURVIVOR, Y, 2], [M1, X, 4]]))).toEqual({ move: null, unlink: [M1], dropUnmatched: [M1, M2] });
  });

  it('changes only unmatched rows when nothing is linked (and so again on redelivery)', () => {
    expect(planMerge(SURVIVOR, [M1], links([]))).toEqual({ move: null, unlink: [], dropUnmatched: [M1] });
    expect(planMerge(SURVIVOR, [SURVIVOR], links([]))).toEqual({ move: null, unlink: [], dropUnmatched: [] });
  });
});

describe('planErasure', () => {
  it('clears each linked contact once, above the highest version any of the profiles sent it', () => {
    expect(planErasure([SURVIVOR, M1, M2], links([[SURVIVOR, X, 3], [M1, X, 7], [M2, Y, 1]]))).toEqual([
      { contactId: X, profileId: M1, version: 8, enrichment: null },
      { contactId: Y, profileId: M2, version: 2, enrichment: null },
    ]);
  });

  it('sends nothing when no profile is linked', () => {
    expect(planErasure([SURVIVOR], links([]))).toEqual([]);
  });
});

describe('contactsToErase', () => {
  it('erases each linked contact once, and the contacts the erasure names by CRM contact id', () => {
    expect(contactsToErase([SURVIVOR, M1, M2], links([[SURVIVOR, X, 3], [M1, X, 7]]), [Y.toUpperCase(), X])).toEqual([X, Y]);
  });

  it('erases nothing when nothing is linked or named', () => {
    expect(contactsToErase([SURVIVOR], links([]), [])).toEqual([]);
  });
});

describe('handleErasure', () => {
  const ERASURE_ID = '8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e';
  const erasure = (mergedProfileIds: string[], crmContactIds: string[] = []) => ({
    erasureId: ERASURE_ID,
    profileId: SURVIVOR,
    mergedProfileIds,
    identifiers: { userIds: [], emails: ['dee@example.com'], crmContactIds },
  });
  function fakes(stored: Map<string, StoredLink>, crm: () => Promise<void> = async () => undefined) {
    const sent: EnrichmentUpdateV1[][] = [];
    const forgotten: string[][] = [];
    const deps = {
      links: async (ids: readonly string[]) => new Map([...stored].filter(([id]) => ids.includes(id))),
      sendToCrm: async ({ updates }: { updates: EnrichmentUpdateV1[] }) => {
        await crm();
        sent.push(updates);
        return { results: updates.map((_, index) => ({ index, outcome: 'applied' as const, contactId: X })) };
      },
      forget: async (ids: readonly string[]) => {
        forgotten.push([...ids]);
        for (const id of ids) stored.delete(id);
      },
    };
    return { deps, sent, forgotten };
  }

  it('clears the contact, then forgets the erased and merged profiles; a redelivery sends nothing', async () => {
    const { deps, sent, forgotten } = fakes(links([[SURVIVOR, X, 5]]));
    await handleErasure(erasure([M1]), deps);
    await handleErasure(erasure([M1]), deps);
    expect(sent).toEqual([[{ contactId: X, profileId: SURVIVOR, version: 6, enrichment: null }]]);
    expect(forgotten).toEqual([
      [SURVIVOR, M1],
      [SURVIVOR, M1],
    ]);
  });

  it('forgets nothing when the CRM cannot be reached, so the erasure comes again', async () => {
    const { deps, forgotten } = fakes(links([[SURVIVOR, X, 5]]), async () => {
      throw new Error('CRM unreachable');
    });
    await expect(handleErasure(erasure([]), deps)).rejects.toThrow('CRM unreachable');
    expect(forgotten).toEqual([]);
  });

  describe('with delete-contact', () => {
    function erasing(stored: Map<string, StoredLink>, crm: () => Promise<void> = async () => undefined) {
      const faked = fakes(stored);
      const erasures: ContactErasureRequestV1[] = [];
      const gone = new Set<string>();
      const deps = {
        ...faked.deps,
        eraseContacts: async (request: ContactErasureRequestV1) => {
          await crm();
          erasures.push(request);
          const results = request.contactIds.map((contactId) => ({ contactId, outcome: gone.has(contactId) ? ('absent' as const) : ('erased' as const) }));
          for (const id of request.contactIds) gone.add(id);
          return { results };
        },
      };
      return { ...faked, deps, erasures };
    }

    it('erases the linked and named contacts under the erasure id instead of clearing them, then forgets the profiles', async () => {
      const { deps, sent, forgotten, erasures } = erasing(links([[SURVIVOR, X, 5]]));
      expect(await handleErasure(erasure([M1], [Y]), deps)).toEqual({ cleared: 0, erased: 2 });
      expect(erasures).toEqual([{ requestId: ERASURE_ID, contactIds: [X, Y] }]);
      expect(sent).toEqual([]);
      expect(forgotten).toEqual([[SURVIVOR, M1]]);
      // Redelivered: the link is gone, the named contact is already erased: a success that erases nothing more.
      expect(await handleErasure(erasure([M1], [Y]), deps)).toEqual({ cleared: 0, erased: 0 });
    });

    it('forgets nothing when the CRM cannot erase now, so the erasure comes again', async () => {
      const { deps, forgotten } = erasing(links([[SURVIVOR, X, 5]]), async () => {
        throw new Error('CRM unreachable');
      });
      await expect(handleErasure(erasure([]), deps)).rejects.toThrow('CRM unreachable');
      expect(forgotten).toEqual([]);
    });
  });
});
