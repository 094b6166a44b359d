import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { TOPICS, type ContactChangedV1 } from '@cds/contracts';
import { erasedEmailHash } from '../src/internal-contacts/contact-erasure.js';
import { CrmHarness, eventually, SYNC_KEY } from './crm-harness.js';

interface Created {
  results: { index: number; outcome: 'created' | 'existing'; contactId: string }[];
}

describe('CRM internal contacts: creation for CDP customers and erasure on request', () => {
  let crm: CrmHarness;
  let repKey: string;
  const changes: ContactChangedV1[] = [];
  const call: CrmHarness['call'] = (key, method, path, body) => crm.call(key, method, path, body);
  const createForCdp = async (contacts: { profileId: string; email: string; firstName?: string; lastName?: string }[]): Promise<Created['results']> => {
    const answer = await call(SYNC_KEY, 'POST', '/internal/v1/contacts', { contacts });
    expect(answer.status).toBe(200);
    return (answer.body as Created).results;
  };
  const created = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const answer = await call(repKey, 'POST', path, body);
    expect(answer.status).toBe(201);
    return (answer.body as { id: string }).id;
  };

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-internal-contacts');
    repKey = crm.repKey;
    await crm.collectTopic(TOPICS.crmContactChanges.name, changes);
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  it('admits the sync key only, and refuses bad input naming the field', async () => {
    expect((await call(repKey, 'POST', '/internal/v1/contacts', { contacts: [{ profileId: randomUUID(), email: 'x@example.com' }] })).status).toBe(403);
    expect((await call(repKey, 'POST', '/internal/v1/contacts/erase', { requestId: randomUUID(), contactIds: [randomUUID()] })).status).toBe(403);
    expect((await call(null, 'POST', '/internal/v1/contacts/erase', { requestId: randomUUID(), contactIds: [randomUUID()] })).status).toBe(401);

    const badEmail = await call(SYNC_KEY, 'POST', '/internal/v1/contacts', { contacts: [{ profileId: randomUUID(), email: 'not-an-email' }] });
    expect(badEmail).toMatchObject({ status: 400, body: { message: ['contacts.0.email must be an email'] } });
    const badProfile = await call(SYNC_KEY, 'POST', '/internal/v1/contacts', { contacts: [{ profileId: 'p1', email: 'ok@example.com' }] });
    expect(badProfile).toMatchObject({ status: 400, body: { message: ['contacts.0.profileId must be the CDP profile id (a UUID)'] } });
    expect((await call(SYNC_KEY, 'POST', '/internal/v1/contacts', { contacts: [] })).body).toMatchObject({ message: ['contacts must contain at least 1 elements'] });
    expect((await call(SYNC_KEY, 'POST', '/internal/v1/contacts', { contacts: [{ profileId: randomUUID(), email: 'ok@example.com', owner: 'me' }] })).body).toMatchObject({
      message: ['contacts.0.property owner should not exist'],
    });
    expect((await call(SYNC_KEY, 'POST', '/internal/v1/contacts', { contacts: [{ profileId: randomUUID(), email: 'ok@example.com', firstName: '', lastName: 'l'.repeat(201) }] })).body).toMatchObject({
      message: ['contacts.0.firstName should not be empty', 'contacts.0.lastName must be shorter than or equal to 200 characters'],
    });
    expect((await call(SYNC_KEY, 'POST', '/internal/v1/contacts/erase', { contactIds: [randomUUID()] })).body).toMatchObject({ message: ['requestId must be the erasure request id (a UUID)'] });
    expect((await call(SYNC_KEY, 'POST', '/internal/v1/contacts/erase', { requestId: randomUUID(), contactIds: ['nope'] })).body).toMatchObject({
      message: ['each of contactIds must be a contact id (a UUID)'],
    });
    // Nothing was half-written by the refused requests.
    expect(await crm.query("SELECT id FROM contacts WHERE email = 'ok@example.com'")).toEqual([]);
  });

  it('creates an owner-less `cdp` contact with the CDP\'s names once per normalised email, audited under the sync key and published', async () => {
    const existingId = await created('/v1/contacts', { email: 'Rep.Made@Example.com', firstName: 'Rae' });
    const profileId = randomUUID();
    const results = await createForCdp([
      { profileId, email: 'New.Customer@Example.com', firstName: 'Nina', lastName: 'Newman' },
      { profileId: randomUUID(), email: 'rep.made@example.com', firstName: 'Rachel', lastName: 'Madison' },
      { profileId: randomUUID(), email: 'new.customer@example.com', firstName: 'Nora' },
    ]);
    const newId = results[0]?.contactId;
    expect(results).toEqual([
      { index: 0, outcome: 'created', contactId: expect.any(String) },
      { index: 1, outcome: 'existing', contactId: existingId },
      { index: 2, outcome: 'existing', contactId: newId },
    ]);
    expect(await crm.query('SELECT email, first_name, last_name, owner, source FROM contacts WHERE id = $1', [newId])).toEqual([
      { email: 'new.customer@example.com', first_name: 'Nina', last_name: 'Newman', owner: null, source: 'cdp' },
    ]);
    // Reps own an existing contact's names: the CDP's never replace them, nor fill a blank one.
    expect(await crm.query('SELECT source, first_name, last_name FROM contacts WHERE id = $1', [existingId])).toEqual([{ source: 'crm', first_name: 'Rae', last_name: null }]);
    expect((await call(repKey, 'GET', `/v1/contacts/${newId}`)).body).toMatchObject({ id: newId, source: 'cdp', firstName: 'Nina', lastName: 'Newman' });
    expect((await call(repKey, 'GET', `/v1/contacts/${existingId}`)).body).toMatchObject({ id: existingId, source: 'crm', firstName: 'Rae' });
    expect((await call(repKey, 'GET', `/v1/contacts/${existingId}/audit`)).body).toEqual([expect.objectContaining({ action: 'created' })]);
    const audit = (await call(repKey, 'GET', `/v1/contacts/${newId}/audit`)).body;
    expect(audit).toEqual([
      expect.objectContaining({
        actorName: 'configured-sync',
        action: 'created',
        changes: { email: 'new.customer@example.com', firstName: 'Nina', lastName: 'Newman', source: 'cdp', cdpProfileId: profileId },
      }),
    ]);
    const published = await eventually(async () => changes.find((change) => change.contactId === newId && change.changeType === 'created'), 'the creation on crm.contact-changes.v1');
    expect(published).toMatchObject({ email: 'new.customer@example.com', firstName: 'Nina', lastName: 'Newman' });

    // A redelivered batch returns the same contact.
    expect(await createForCdp([{ profileId, email: 'new.customer@example.com' }])).toEqual([{ index: 0, outcome: 'existing', contactId: newId }]);
  });

  it('never makes two contacts of one email created concurrently', async () => {
    const email = `race-${randomUUID()}@example.com`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => createForCdp([{ profileId: randomUUID(), email }])));
    const ids = new Set(answers.map((results) => results[0]?.contactId));
    expect(ids.size).toBe(1);
    expect(answers.filter((results) => results[0]?.outcome === 'created')).toHaveLength(1);
    expect(await crm.query('SELECT count(*)::int AS n FROM contacts WHERE email = $1', [email])).toEqual([{ n: 1 }]);
  });

  it('erases a contact and its personal data, keeps the business records detached, and is idempotent', async () => {
    const contactId = await created('/v1/contacts', { email: 'erase.me@example.com', firstName: 'Ezra', lastName: 'Raze', phone: '+447700900123' });
    expect((await call(repKey, 'PATCH', `/v1/contacts/${contactId}`, { lastName: 'Razed' })).status).toBe(200);
    const duplicateId = await created('/v1/contacts', { email: 'ezra.old@example.com', firstName: 'Ezra', lastName: 'Razed' });
    expect((await call(repKey, 'POST', `/v1/contacts/${contactId}/merge`, { mergedContactId: duplicateId })).status).toBe(200);
    const bystanderId = await created('/v1/contacts', { email: 'bystander@example.com' });
    const dealId = await created('/v1/deals', { name: 'Renewal 2027', currency: 'EUR', amount: 500, contactId });
    const privateNoteId = await created('/v1/activities', { kind: 'call', subject: 'Called Ezra about his divorce', contactId });
    const dealNoteId = await created('/v1/activities', { kind: 'note', subject: 'Renewal terms', contactId, dealId });
    const taskId = await created('/v1/tasks', { title: 'Send the contract', contactId, owner: 'rep' });
    const ticketId = await created('/v1/tickets', { subject: 'Invoice question', contactId });
    const enriched = await call(SYNC_KEY, 'POST', '/internal/v1/enrichment', {
      updates: [{ contactId, profileId: randomUUID(), version: 1, enrichment: { currency: 'EUR', lifetimeValue: 80, orderCount: 1, segments: [], consent: [] } }],
    });
    expect(enriched.status).toBe(200);
    expect((await crm.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_timeline WHERE contact_id = $1', [contactId]))[0]?.n).toBeGreaterThan(0);

    const requestId = randomUUID();
    const erased = await call(SYNC_KEY, 'POST', '/internal/v1/contacts/erase', { requestId, contactIds: [contactId, contactId.toUpperCase()] });
    expect(erased).toEqual({ status: 200, body: { results: [{ contactId, outcome: 'erased' }] } });

    // The person is gone: the contact, the contact merged into it, their timeline and the note about them alone.
    expect(await crm.query('SELECT id FROM contacts WHERE id = ANY($1::uuid[])', [[contactId, duplicateId]])).toEqual([]);
    expect(await crm.query('SELECT id FROM contact_timeline WHERE contact_id = ANY($1::uuid[])', [[contactId, duplicateId]])).toEqual([]);
    expect(await crm.query('SELECT id FROM activities WHERE id = $1', [privateNoteId])).toEqual([]);
    expect((await call(repKey, 'GET', `/v1/contacts/${contactId}`)).status).toBe(404);
    // The business's records stay, detached.
    for (const [path, id] of [['/v1/deals', dealId], ['/v1/activities', dealNoteId], ['/v1/tasks', taskId], ['/v1/tickets', ticketId]] as const) {
      expect((await call(repKey, 'GET', `${path}/${id}`)).body).toMatchObject({ id, contactId: null });
    }
    expect((await call(repKey, 'GET', `/v1/contacts/${bystanderId}`)).status).toBe(200);

    // The audit log says an erasure happened, under which request, and holds none of the erased values.
    const trail = await crm.query<{ action: string; changes: unknown }>("SELECT action, changes FROM audit_log WHERE entity = 'contact' AND entity_id = $1 ORDER BY id", [contactId]);
    expect(trail.map((entry) => entry.action)).toEqual(['created', 'updated', 'merged', 'erased']);
    expect(trail.map((entry) => entry.changes)).toEqual([null, null, null, { requestId }]);
    expect(await crm.query("SELECT entity, action FROM audit_log WHERE entity_id = ANY($1::uuid[]) AND action IN ('erased', 'contact_erased') ORDER BY entity", [[dealId, dealNoteId, taskId, ticketId, privateNoteId, duplicateId]])).toEqual([
      { entity: 'activity', action: 'erased' },
      { entity: 'activity', action: 'contact_erased' },
      { entity: 'contact', action: 'erased' },
      { entity: 'deal', action: 'contact_erased' },
      { entity: 'task', action: 'contact_erased' },
      { entity: 'ticket', action: 'contact_erased' },
    ].sort((a, b) => a.entity.localeCompare(b.entity)));
    const leftovers = await crm.query("SELECT entity || ':' || action AS place FROM audit_log WHERE changes::text ~* '(ezra|raze|erase\\.me|447700900123)' UNION ALL SELECT 'outbox' FROM outbox WHERE payload ~* 'erase\\.me'");
    expect(leftovers).toEqual([]);

    // The deletion is published without the person's fields.
    const deletion = await eventually(async () => changes.find((change) => change.contactId === contactId && change.changeType === 'deleted'), 'the erasure on crm.contact-changes.v1');
    expect(deletion).not.toHaveProperty('email');
    expect(deletion).not.toHaveProperty('firstName');
    await eventually(async () => (changes.some((change) => change.contactId === duplicateId && change.changeType === 'deleted') ? true : undefined), "the merged contact's erasure");

    // Erasing it again (a redelivered request) succeeds and changes nothing.
    const again = await call(SYNC_KEY, 'POST', '/internal/v1/contacts/erase', { requestId, contactIds: [contactId] });
    expect(again).toEqual({ status: 200, body: { results: [{ contactId, outcome: 'absent' }] } });
    expect(await crm.query("SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'erased'", [contactId])).toEqual([{ n: 1 }]);
  });

  it('does not create a contact again for an erased email, unless a rep did', async () => {
    const erasedId = (await createForCdp([{ profileId: randomUUID(), email: 'gone@example.com' }]))[0]?.contactId as string;
    expect((await call(SYNC_KEY, 'POST', '/internal/v1/contacts/erase', { requestId: randomUUID(), contactIds: [erasedId] })).status).toBe(200);
    // A CDP snapshot older than the erasure asks for the person again.
    expect(await createForCdp([{ profileId: randomUUID(), email: 'Gone@Example.com' }])).toEqual([{ index: 0, outcome: 'suppressed', contactId: null }]);
    expect(await crm.query("SELECT id FROM contacts WHERE email = 'gone@example.com'")).toEqual([]);
    // Kept as hashes only: erase.me, ezra.old (merged into it) and gone.
    expect(await crm.query("SELECT count(*)::int AS total, count(*) FILTER (WHERE email_hash !~ '^[0-9a-f]{64}$')::int AS readable FROM erased_emails")).toEqual([{ total: 3, readable: 0 }]);
    // The person comes back to a rep, who creates the contact: it is theirs to enrich.
    const repMade = await created('/v1/contacts', { email: 'gone@example.com' });
    expect(await createForCdp([{ profileId: randomUUID(), email: 'gone@example.com' }])).toEqual([{ index: 0, outcome: 'existing', contactId: repMade }]);
  });

  // Last: it adds an erased email, which the test above counts.
  it('never brings back an erased person through a creation that overlaps the erasure', async () => {
    const email = `overlap-${randomUUID()}@example.com`;
    const contactId = (await createForCdp([{ profileId: randomUUID(), email }]))[0]?.contactId as string;
    // Holds the erasure between deleting the contact and committing: the erased hash, inserted here first and not
    // committed, makes the erasure's own insert of it wait. A creation then checks while nothing is committed yet.
    const blocker = new pg.Client({ connectionString: crm.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('INSERT INTO erased_emails (email_hash) VALUES ($1)', [erasedEmailHash(email)]);
      const waiting = async (): Promise<number> => (await crm.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]?.n ?? 0;
      const erasure = call(SYNC_KEY, 'POST', '/internal/v1/contacts/erase', { requestId: randomUUID(), contactIds: [contactId] });
      await eventually(async () => (await waiting()) >= 1 || undefined, 'the erasure to wait on the erased hash');
      const creation = createForCdp([{ profileId: randomUUID(), email }]);
      await eventually(async () => (await waiting()) >= 2 || undefined, 'the creation to wait for the erasure');
      await blocker.query('ROLLBACK');
      expect((await erasure).status).toBe(200);
      expect(await creation).toEqual([{ index: 0, outcome: 'suppressed', contactId: null }]);
      expect(await crm.query('SELECT id FROM contacts WHERE email = $1', [email])).toEqual([]);
    } finally {
      await blocker.end();
    }
  });
});
