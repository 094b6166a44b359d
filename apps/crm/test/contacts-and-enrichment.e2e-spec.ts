import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { contactChangedV1, parseContractValue, TOPICS } from '@cds/contracts';
import { CrmHarness, eventually, SYNC_KEY } from './crm-harness.js';

interface Contact {
  id: string;
  email: string | null;
  lastName: string | null;
  version: number;
  enrichment: Record<string, unknown> | null;
  enrichmentVersion: number;
  timeline?: { kind: string; summary: string }[];
}

describe('CRM contacts and CDP enrichment on real Postgres and Kafka', () => {
  let crm: CrmHarness;
  let repKey: string;
  let readOnlyKey: string;
  const changes: unknown[] = [];
  const call: CrmHarness['call'] = (key, method, path, body) => crm.call(key, method, path, body);
  const create = async (fields: Record<string, unknown>): Promise<Contact> => {
    const { status, body } = await call(repKey, 'POST', '/v1/contacts', fields);
    expect(status).toBe(201);
    return body as Contact;
  };
  const enrichment = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    currency: 'EUR',
    lifetimeValue: 120,
    predictedLifetimeValue: 300,
    orderCount: 2,
    averageOrderValue: 60,
    lastSeenAt: '2026-11-23T10:00:00.000Z',
    churnRisk: 0.1,
    rfm: { recency: 4, frequency: 3, monetary: 3, segment: 'loyal', scoredAt: '2026-11-23T00:00:00.000Z' },
    segments: [{ key: 'winter-jacket-browsers', name: 'Winter-jacket browsers', enteredAt: '2026-11-20T10:00:00.000Z' }],
    consent: [{ purpose: 'marketing', granted: true }],
    ...overrides,
  });

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-contacts');
    ({ repKey, readOnlyKey } = crm);
    await crm.collectTopic(TOPICS.crmContactChanges.name, changes);
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  it('guards every endpoint by key and role', async () => {
    expect((await call(null, 'GET', '/v1/contacts')).status).toBe(401);
    expect((await call('not-a-key', 'GET', '/v1/contacts')).status).toBe(401);
    expect((await call(readOnlyKey, 'GET', '/v1/contacts')).status).toBe(200);
    const refused = await call(readOnlyKey, 'POST', '/v1/contacts', { email: 'ro@example.com' });
    expect(refused).toMatchObject({ status: 403, body: { message: expect.stringContaining('a read_only key may not do this') } });
    expect((await call(repKey, 'POST', '/v1/api-keys', { name: 'x', role: 'admin' })).status).toBe(403);
    // The sync key writes enrichment and nothing else; people never write enrichment.
    expect((await call(SYNC_KEY, 'GET', '/v1/contacts')).status).toBe(403);
    expect((await call(repKey, 'POST', '/internal/v1/enrichment', { updates: [] })).status).toBe(403);
  });

  it('refuses bad input with messages that say what is wrong, and enrichment above all', async () => {
    const bad = await call(repKey, 'POST', '/v1/contacts', { email: 'not-an-email', phone: 'call me', shoeSize: 44 });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string[] }).message).toEqual(
      expect.arrayContaining(['email must be an email address', expect.stringContaining('phone must be a phone number'), 'property shoeSize should not exist']),
    );
    const sneaky = await call(repKey, 'POST', '/v1/contacts', { email: 'sneaky@example.com', enrichment: { lifetimeValue: 1e6 } });
    expect(sneaky).toMatchObject({ status: 400, body: { message: ['enrichment is read-only: only the CDP writes it, through the sync bridge'] } });
    const contact = await create({ email: 'Ana@Example.com', firstName: 'Ana' });
    expect((await call(repKey, 'PATCH', `/v1/contacts/${contact.id}`, { enrichment: { churnRisk: 0 } })).status).toBe(400);
    expect((await call(repKey, 'POST', '/v1/contacts', {})).status).toBe(400);
    expect((await call(repKey, 'GET', '/v1/contacts/not-a-uuid')).status).toBe(400);
    expect((await call(repKey, 'GET', '/v1/contacts?limit=0')).status).toBe(400);
    // Nothing half-written: the refused contacts do not exist.
    expect(((await call(repKey, 'GET', '/v1/contacts?email=sneaky@example.com')).body as { data: unknown[] }).data).toEqual([]);
  });

  it('keeps one live contact per email, whatever its case, and lets a deleted one be restored', async () => {
    const first = await create({ email: 'max@example.com', lastName: 'Muster' });
    expect((await call(repKey, 'POST', '/v1/contacts', { email: 'MAX@example.com' })).status).toBe(409);
    expect((await call(repKey, 'DELETE', `/v1/contacts/${first.id}`)).status).toBe(204);
    expect((await call(repKey, 'GET', `/v1/contacts/${first.id}`)).status).toBe(404);
    const restored = await call(repKey, 'POST', `/v1/contacts/${first.id}/restore`);
    expect(restored).toMatchObject({ status: 200, body: { email: 'max@example.com', deletedAt: null } });
    const audit = (await call(readOnlyKey, 'GET', `/v1/contacts/${first.id}/audit`)).body as { actorName: string; action: string }[];
    expect(audit.map((entry) => entry.action)).toEqual(['restored', 'deleted', 'created']);
    expect(audit.every((entry) => entry.actorName === 'rep')).toBe(true);
  });

  it('pages through contacts with stable cursors', async () => {
    for (let index = 0; index < 7; index++) await create({ lastName: `Page-${index}`, companyName: 'Paging GmbH' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await call(readOnlyKey, 'GET', `/v1/contacts?q=Paging&limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body as { data: Contact[]; nextCursor: string | null };
      seen.push(...page.data.map((contact) => contact.lastName ?? ''));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, index) => `Page-${index}`));
    expect((await call(readOnlyKey, 'GET', '/v1/contacts?cursor=garbage')).status).toBe(400);
  });

  it('applies enrichment only when its version is newer, and shows insight changes on the timeline', async () => {
    const ana = (((await call(repKey, 'GET', '/v1/contacts?email=ana@example.com')).body as { data: Contact[] }).data[0]) as Contact;
    const profileId = randomUUID();
    const apply = async (updates: unknown[]): Promise<string[]> => {
      const { status, body } = await call(SYNC_KEY, 'POST', '/internal/v1/enrichment', { updates });
      expect(status).toBe(200);
      return (body as { results: { outcome: string }[] }).results.map((result) => result.outcome);
    };
    expect(await apply([{ contactId: ana.id, profileId, version: 2, enrichment: enrichment() }])).toEqual(['applied']);
    // An older version and a repeat of the same one change nothing.
    expect(await apply([{ contactId: ana.id, profileId, version: 1, enrichment: enrichment({ lifetimeValue: 5 }) }, { email: 'ANA@example.com', profileId, version: 2, enrichment: enrichment({ lifetimeValue: 5 }) }])).toEqual(['stale', 'stale']);
    expect(await apply([{ email: 'nobody@example.com', profileId, version: 1, enrichment: enrichment() }])).toEqual(['not_found']);
    expect(
      await apply([
        {
          email: 'ana@example.com',
          profileId,
          version: 3,
          enrichment: enrichment({ lifetimeValue: 480, churnRisk: 0.75, segments: [{ key: 'high-value-customers', name: 'High value', enteredAt: '2026-11-23T10:00:00.000Z' }] }),
        },
      ]),
    ).toEqual(['applied']);

    const shown = (await call(readOnlyKey, 'GET', `/v1/contacts/${ana.id}`)).body as Contact;
    expect(shown).toMatchObject({ enrichmentVersion: 3, enrichment: { lifetimeValue: 480, churnRisk: 0.75 } });
    expect(shown.timeline?.map((entry) => entry.summary)).toEqual(
      expect.arrayContaining(['Entered segment Winter-jacket browsers', 'Entered segment High value', 'Left segment Winter-jacket browsers', 'LTV 120.00 → 480.00 EUR', 'Churn risk 0.10 → 0.75']),
    );
    // A rep lists "high-value customers at risk" in one query.
    const atRisk = (await call(readOnlyKey, 'GET', '/v1/contacts?segment=high-value-customers&churnRiskGte=0.7&sort=-ltv')).body as { data: Contact[] };
    expect(atRisk.data.map((contact) => contact.id)).toEqual([ana.id]);
    // A batch with an invalid update is refused as a whole, naming it.
    const invalid = await call(SYNC_KEY, 'POST', '/internal/v1/enrichment', { updates: [{ contactId: ana.id, profileId, version: 4, enrichment: { lifetimeValue: -1 } }] });
    expect(invalid.status).toBe(400);
    expect(((await call(readOnlyKey, 'GET', `/v1/contacts/${ana.id}`)).body as Contact).enrichmentVersion).toBe(3);
    // Erasure clears the block.
    expect(await apply([{ contactId: ana.id, profileId, version: 5, enrichment: null }])).toEqual(['applied']);
    expect(((await call(readOnlyKey, 'GET', `/v1/contacts/${ana.id}`)).body as Contact).enrichment).toBeNull();
  });

  it('publishes every contact change as a contract message, in order per contact', async () => {
    await eventually(() => changes.length >= 10 || undefined, 'the contact changes');
    const parsed = changes.map((change) => parseContractValue(contactChangedV1, change));
    const max = parsed.filter((change) => change.email === 'max@example.com');
    expect(max.map((change) => change.changeType)).toEqual(['created', 'deleted', 'updated']);
    expect(max.map((change) => change.version)).toEqual([1, 2, 3]);
  });

  it('searches contacts and companies at once, by word prefixes, best match first', async () => {
    const company = await call(repKey, 'POST', '/v1/companies', { name: 'Nordwind Outdoor', domain: 'nordwind.example' });
    expect(company.status).toBe(201);
    const lena = await create({ firstName: 'Lena', lastName: 'Nordmann', email: 'lena@nordwind.example', companyName: 'Nordwind Outdoor' });
    const found = (await call(readOnlyKey, 'GET', '/v1/search?q=nord')).body as { contacts: { id: string }[]; companies: { id: string }[] };
    expect(found.contacts.map((contact) => contact.id)).toEqual([lena.id]);
    expect(found.companies.map((row) => row.id)).toEqual([(company.body as { id: string }).id]);
    expect(((await call(readOnlyKey, 'GET', '/v1/search?q=lena%20nordw')).body as { contacts: unknown[] }).contacts).toHaveLength(1);
    expect((await call(readOnlyKey, 'GET', '/v1/search?q=')).status).toBe(400);
    expect((await call(null, 'GET', '/v1/search?q=nord')).status).toBe(401);
  });
});
