import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CrmHarness, SYNC_KEY } from './crm-harness.js';

interface EnrichmentState {
  contactId: string;
  email: string | null;
  profileId: string | null;
  version: number;
  syncedAt: string | null;
}

interface StatesPage {
  data: EnrichmentState[];
  nextCursor: string | null;
}

const enrichment = {
  currency: 'EUR',
  lifetimeValue: 80,
  predictedLifetimeValue: null,
  orderCount: 1,
  averageOrderValue: 80,
  lastSeenAt: null,
  churnRisk: null,
  rfm: null,
  segments: [],
  consent: [],
};

describe('GET /internal/v1/enrichment: every contact enrichment state, for the sync reconciliation', () => {
  let crm: CrmHarness;
  const ids: string[] = [];
  const profileId = randomUUID();

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-enrichment-states');
    for (const name of ['ana', 'bo', 'cy', 'dee', 'eve']) {
      const { status, body } = await crm.call(crm.repKey, 'POST', '/v1/contacts', { email: `${name.toUpperCase()}@example.com`, firstName: name });
      expect(status).toBe(201);
      ids.push((body as { id: string }).id);
    }
    const applied = await crm.call(SYNC_KEY, 'POST', '/internal/v1/enrichment', { updates: [{ contactId: ids[0], profileId, version: 4, enrichment }] });
    expect(applied.status).toBe(200);
    expect((await crm.call(crm.repKey, 'DELETE', `/v1/contacts/${ids[4]}`)).status).toBeLessThan(300);
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  it('answers only the sync key', async () => {
    expect((await crm.call(null, 'GET', '/internal/v1/enrichment')).status).toBe(401);
    expect((await crm.call(crm.repKey, 'GET', '/internal/v1/enrichment')).status).toBe(403);
    expect((await crm.call(SYNC_KEY, 'GET', '/internal/v1/enrichment')).status).toBe(200);
  });

  it('lists live contacts in pages, with the profile and version of their enrichment', async () => {
    const seen: EnrichmentState[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const { status, body } = await crm.call(SYNC_KEY, 'GET', `/internal/v1/enrichment${query}`);
      expect(status).toBe(200);
      const page = body as StatesPage;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    // The deleted contact is not listed; ids come in order, each once.
    expect(seen.map((state) => state.contactId)).toEqual([...ids.slice(0, 4)].sort());
    const ana = seen.find((state) => state.contactId === ids[0]);
    expect(ana).toEqual({ contactId: ids[0], email: 'ana@example.com', profileId, version: 4, syncedAt: expect.any(String) });
    expect(seen.find((state) => state.contactId === ids[1])).toEqual({ contactId: ids[1], email: 'bo@example.com', profileId: null, version: 0, syncedAt: null });
  });

  it('shows a cleared enrichment as none, with the version that cleared it', async () => {
    const cleared = await crm.call(SYNC_KEY, 'POST', '/internal/v1/enrichment', { updates: [{ contactId: ids[0], profileId, version: 5, enrichment: null }] });
    expect(cleared.status).toBe(200);
    const { body } = await crm.call(SYNC_KEY, 'GET', '/internal/v1/enrichment?limit=1000');
    expect((body as StatesPage).data.find((state) => state.contactId === ids[0])).toMatchObject({ profileId: null, version: 5 });
  });

  it('refuses a bad limit or a cursor it did not hand out, saying which', async () => {
    const tooMany = await crm.call(SYNC_KEY, 'GET', '/internal/v1/enrichment?limit=5000');
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('limit');
    const forged = await crm.call(SYNC_KEY, 'GET', '/internal/v1/enrichment?cursor=forged');
    expect(forged).toMatchObject({ status: 400, body: { message: 'cursor is not one this API handed out' } });
  });
});
