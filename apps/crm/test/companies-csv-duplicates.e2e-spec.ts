import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contactChangedV1, parseContractValue, TOPICS } from '@cds/contracts';
import { parseCsv } from '../src/csv/csv-format.js';
import { ADMIN_KEY, CrmHarness, eventually } from './crm-harness.js';

interface Company {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  contacts?: { id: string; email: string | null }[];
}

interface Contact {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  companyName: string | null;
  timeline?: { kind: string; summary: string }[];
}

interface ImportRefusal {
  message: string;
  errors: { row: number; column: string | null; message: string }[];
}

describe('CRM companies, CSV import/export, duplicates and merge on real Postgres and Kafka', () => {
  let crm: CrmHarness;
  let repKey: string;
  let readOnlyKey: string;
  const changes: unknown[] = [];
  const call: CrmHarness['call'] = (key, method, path, body) => crm.call(key, method, path, body);
  const sendCsv = async (key: string, path: string, csv: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${crm.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body: csv });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const download = async (key: string, path: string): Promise<{ status: number; type: string | null; text: string }> => {
    const response = await fetch(`${crm.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  const createContact = async (fields: Record<string, unknown>): Promise<Contact> => {
    const { status, body } = await call(repKey, 'POST', '/v1/contacts', fields);
    expect(status).toBe(201);
    return body as Contact;
  };
  const contactCount = async (): Promise<number> => Number((await crm.query<{ count: string }>('SELECT count(*) FROM contacts'))[0]?.count);
  const tableExists = async (table: string): Promise<boolean> => (await crm.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]))[0]?.present === true;

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-companies-csv');
    ({ repKey, readOnlyKey } = crm);
    await crm.collectTopic(TOPICS.crmContactChanges.name, changes);
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  describe('companies', () => {
    it('lets writers create, change, delete and restore companies, and readers only read them', async () => {
      expect((await call(readOnlyKey, 'POST', '/v1/companies', { name: 'Nope' })).status).toBe(403);
      expect((await call(null, 'GET', '/v1/companies')).status).toBe(401);
      const created = await call(repKey, 'POST', '/v1/companies', { name: ' Acme Corp ', domain: 'https://WWW.Acme.com/about', industry: 'Manufacturing', size: '51-200' });
      expect(created).toMatchObject({ status: 201, body: { name: 'Acme Corp', domain: 'acme.com', industry: 'Manufacturing', size: '51-200', deletedAt: null } });
      const acme = created.body as Company;

      expect((await call(repKey, 'POST', '/v1/companies', { name: 'Acme again', domain: 'ACME.com' })).status).toBe(409);
      const bad = await call(repKey, 'POST', '/v1/companies', { domain: 'not a domain', employees: 5 });
      expect(bad.status).toBe(400);
      expect((bad.body as { message: string[] }).message).toEqual(
        expect.arrayContaining(['domain must be a domain name such as acme.com', 'name must not be empty', 'property employees should not exist']),
      );
      expect((await call(repKey, 'PATCH', `/v1/companies/${acme.id}`, { name: null })).status).toBe(400);

      expect(await call(readOnlyKey, 'PATCH', `/v1/companies/${acme.id}`, { industry: 'Robotics' })).toMatchObject({ status: 403 });
      expect(await call(repKey, 'PATCH', `/v1/companies/${acme.id}`, { industry: 'Robotics' })).toMatchObject({ status: 200, body: { industry: 'Robotics', name: 'Acme Corp' } });
      expect((await call(repKey, 'DELETE', `/v1/companies/${acme.id}`)).status).toBe(204);
      expect((await call(readOnlyKey, 'GET', `/v1/companies/${acme.id}`)).status).toBe(404);
      // The domain is free while the company is deleted; restoring then clashes with its new owner.
      const usurper = (await call(repKey, 'POST', '/v1/companies', { name: 'Usurper', domain: 'acme.com' })).body as Company;
      expect((await call(repKey, 'POST', `/v1/companies/${acme.id}/restore`)).status).toBe(409);
      expect((await call(repKey, 'DELETE', `/v1/companies/${usurper.id}`)).status).toBe(204);
      expect(await call(repKey, 'POST', `/v1/companies/${acme.id}/restore`)).toMatchObject({ status: 200, body: { domain: 'acme.com', deletedAt: null } });

      const audit = (await call(readOnlyKey, 'GET', `/v1/companies/${acme.id}/audit`)).body as { actorName: string; action: string }[];
      expect(audit.map((entry) => entry.action)).toEqual(['restored', 'deleted', 'updated', 'created']);
      expect(audit.every((entry) => entry.actorName === 'rep')).toBe(true);
    });

    it('finds companies by name or domain and pages through them with stable cursors', async () => {
      for (const name of ['Delta Paging', 'Alpha Paging', 'Charlie Paging', 'Bravo Paging', 'Echo Paging']) {
        expect((await call(repKey, 'POST', '/v1/companies', { name, domain: `${name.split(' ')[0]?.toLowerCase()}-paging.io` })).status).toBe(201);
      }
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await call(readOnlyKey, 'GET', `/v1/companies?q=paging&sort=name&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body as { data: Company[]; nextCursor: string | null };
        names.push(...page.data.map((company) => company.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(names).toEqual(['Alpha Paging', 'Bravo Paging', 'Charlie Paging', 'Delta Paging', 'Echo Paging']);
      const byDomainWord = (await call(readOnlyKey, 'GET', '/v1/companies?q=acme')).body as { data: Company[] };
      expect(byDomainWord.data.map((company) => company.domain)).toEqual(['acme.com']);
      expect((await call(readOnlyKey, 'GET', '/v1/companies?cursor=garbage')).status).toBe(400);
      expect((await call(readOnlyKey, 'GET', '/v1/companies?sort=size')).status).toBe(400);
    });
  });

  describe('CSV import', () => {
    it('refuses a file with any bad row as a whole, listing every bad row, and writes nothing', async () => {
      await createContact({ email: 'taken@example.com', firstName: 'Taken' });
      const before = await contactCount();
      const csv = [
        'email,firstName,lastName,phone,companyDomain',
        'fine@example.com,Fine,Row,,',
        'not-an-email,Bad,Email,,',
        'TAKEN@example.com,Already,There,,',
        'fine@example.com,Twice,In File,,',
        'other@example.com,Bad,Phone,call me,',
        'nocompany@example.com,No,Company,,nowhere.example',
      ].join('\n');
      const refused = await sendCsv(repKey, '/v1/contacts/import', csv);
      expect(refused.status).toBe(400);
      const { message, errors } = refused.body as ImportRefusal;
      expect(message).toContain('nothing was written');
      expect(errors).toEqual([
        { row: 3, column: 'email', message: 'email must be an email address' },
        { row: 5, column: 'email', message: 'email fine@example.com is already on row 2' },
        { row: 6, column: 'phone', message: expect.stringContaining('phone must be a phone number') },
      ]);
      expect(await contactCount()).toBe(before);

      // Rows fine on their own but clashing with the database are refused the same way.
      const clashing = await sendCsv(repKey, '/v1/contacts/import', 'email,companyDomain\nfresh@example.com,\nTaken@Example.com,\nnocompany@example.com,nowhere.example\n');
      expect(clashing.status).toBe(400);
      expect((clashing.body as ImportRefusal).errors).toEqual([
        { row: 3, column: 'email', message: 'a live contact with email taken@example.com already exists' },
        { row: 4, column: 'companyDomain', message: 'no live company has the domain nowhere.example' },
      ]);
      expect(await contactCount()).toBe(before);
      expect((await call(readOnlyKey, 'GET', '/v1/contacts?email=fresh@example.com')).body).toMatchObject({ data: [] });
    });

    it('refuses files it cannot read, headers it does not know, and readers', async () => {
      expect((await sendCsv(readOnlyKey, '/v1/contacts/import', 'email\na@example.com\n')).status).toBe(403);
      const unknownColumn = await sendCsv(repKey, '/v1/contacts/import', 'email,shoeSize\na@example.com,44\n');
      expect(unknownColumn).toMatchObject({ status: 400, body: { errors: [{ row: 1, column: 'shoeSize' }] } });
      const ragged = await sendCsv(repKey, '/v1/contacts/import', 'email,firstName\na@example.com,A,extra\n');
      expect(ragged).toMatchObject({ status: 400, body: { errors: [{ column: null, message: expect.stringContaining('Invalid Record Length') }] } });
      expect((await sendCsv(repKey, '/v1/contacts/import', 'email\n')).status).toBe(400);
      const tooMany = await sendCsv(repKey, '/v1/contacts/import', `email\n${Array.from({ length: 10_001 }, (_, index) => `bulk-${index}@example.com`).join('\n')}\n`);
      expect(tooMany).toMatchObject({ status: 400, body: { errors: [{ message: 'too many rows: at most 10000 per import' }] } });
      expect((await call(repKey, 'POST', '/v1/contacts/import', { rows: [] })).status).toBe(400);
    });

    it('imports companies (as JSON) and contacts (as text/csv) like API-created ones: normalised, linked, audited and published', async () => {
      const companies = await call(repKey, 'POST', '/v1/companies/import', { csv: 'name,domain,industry\n"Globex, Inc.",Globex.com,Energy\nInitech,initech.com,\n' });
      expect(companies).toMatchObject({ status: 201, body: { created: 2 } });
      expect((await call(repKey, 'POST', '/v1/companies/import', { csv: 'name,domain\nGlobex Again,www.globex.com\n' })).status).toBe(400);

      const imported = await sendCsv(
        repKey,
        '/v1/contacts/import',
        'email,firstName,lastName,phone,companyName,companyDomain,lifecycleStage\r\nHank@Globex.com,Hank,Scorpio,+1 415 555 0100,"Globex, Inc.",globex.com,customer\r\nmilton@initech.com,Milton,"Waddams",,Initech,initech.com,\r\n',
      );
      expect(imported).toMatchObject({ status: 201, body: { created: 2 } });
      const hank = ((await call(readOnlyKey, 'GET', '/v1/contacts?email=hank@globex.com')).body as { data: Contact[] }).data[0] as Contact;
      expect(hank).toMatchObject({ email: 'hank@globex.com', companyName: 'Globex, Inc.', lifecycleStage: 'customer' });
      expect(((await call(readOnlyKey, 'GET', `/v1/contacts/${hank.id}/audit`)).body as { action: string }[]).map((entry) => entry.action)).toEqual(['imported']);
      // The same email through the API is now a duplicate.
      expect((await call(repKey, 'POST', '/v1/contacts', { email: 'HANK@globex.com' })).status).toBe(409);

      const globex = ((await call(readOnlyKey, 'GET', '/v1/companies?q=globex')).body as { data: Company[] }).data[0] as Company;
      const shown = (await call(readOnlyKey, 'GET', `/v1/companies/${globex.id}`)).body as Company;
      expect(shown.contacts?.map((contact) => contact.email)).toEqual(['hank@globex.com']);

      await eventually(() => changes.some((change) => (change as { email?: string }).email === 'milton@initech.com') || undefined, 'the imported contacts published');
      const published = changes.map((change) => parseContractValue(contactChangedV1, change)).filter((change) => change.contactId === hank.id);
      expect(published).toEqual([expect.objectContaining({ changeType: 'created', version: 1, email: 'hank@globex.com', companyName: 'Globex, Inc.' })]);
    });
  });

  describe('CSV export', () => {
    it('exports live contacts as CSV that is quoted, formula-safe, and imports back to the same values', async () => {
      const tricky = await createContact({ email: 'tricky@example.com', firstName: '=HYPERLINK("http://evil")', lastName: 'O"Neil, Jr.', companyName: 'Line\nBreak Ltd', phone: '+44 20 7946 0958' });
      const gone = await createContact({ email: 'gone@example.com' });
      expect((await call(repKey, 'DELETE', `/v1/contacts/${gone.id}`)).status).toBe(204);

      const exported = await download(readOnlyKey, '/v1/contacts/export');
      expect(exported.status).toBe(200);
      expect(exported.type).toContain('text/csv');
      expect(exported.text).toContain(`tricky@example.com,"'=HYPERLINK(""http://evil"")","O""Neil, Jr.",'+44 20 7946 0958,"Line\nBreak Ltd",,,lead`);
      expect(exported.text).not.toContain('gone@example.com');
      const rows = parseCsv(exported.text, 10_000).rows.map((row) => row.cells);
      expect(rows).toContainEqual({ email: 'hank@globex.com', firstName: 'Hank', lastName: 'Scorpio', phone: '+1 415 555 0100', companyName: 'Globex, Inc.', companyDomain: 'globex.com', lifecycleStage: 'customer' });

      // Round trip: delete the contact, import the exported file's line for it, and get the same contact back.
      expect((await call(repKey, 'DELETE', `/v1/contacts/${tricky.id}`)).status).toBe(204);
      const [header] = exported.text.split('\r\n');
      const trickyLine = exported.text.slice(exported.text.indexOf('tricky@example.com'), exported.text.indexOf('\r\n', exported.text.indexOf('lead', exported.text.indexOf('tricky@example.com'))));
      expect(await sendCsv(repKey, '/v1/contacts/import', `${header}\r\n${trickyLine}\r\n`)).toMatchObject({ status: 201, body: { created: 1 } });
      const back = ((await call(readOnlyKey, 'GET', '/v1/contacts?email=tricky@example.com')).body as { data: Contact[] }).data[0];
      expect(back).toMatchObject({ firstName: '=HYPERLINK("http://evil")', lastName: 'O"Neil, Jr.', companyName: 'Line\nBreak Ltd', phone: '+44 20 7946 0958' });
    });

    it('exports companies, and the export re-imports after they are deleted', async () => {
      const exported = await download(readOnlyKey, '/v1/companies/export');
      expect(exported.status).toBe(200);
      const before = parseCsv(exported.text, 10_000).rows.map((row) => row.cells);
      expect(before).toContainEqual({ name: 'Globex, Inc.', domain: 'globex.com', industry: 'Energy' });
      for (const { id } of await crm.query<{ id: string }>('SELECT id FROM companies WHERE deleted_at IS NULL')) expect((await call(ADMIN_KEY, 'DELETE', `/v1/companies/${id}`)).status).toBe(204);
      expect(await sendCsv(repKey, '/v1/companies/import', exported.text)).toMatchObject({ status: 201, body: { created: before.length } });
      // Rows imported together share their creation time, so only the set (not the order) is compared.
      const after = parseCsv((await download(readOnlyKey, '/v1/companies/export')).text, 10_000).rows.map((row) => row.cells);
      expect(after).toHaveLength(before.length);
      expect(after).toEqual(expect.arrayContaining(before));
      expect((await download('not-a-key', '/v1/companies/export')).status).toBe(401);
    });
  });

  describe('duplicates and merge', () => {
    it('lists groups of likely duplicates by email, phone, and name at the same company, each with its reason', async () => {
      const ana = await createContact({ email: 'ana.dup@example.com', firstName: 'Ana', lastName: 'Dup', companyName: 'Dupco', phone: '+1 (650) 555-0199' });
      const anaTagged = await createContact({ email: 'Ana.Dup+crm@example.com' });
      const anaPhone = await createContact({ phone: '650.555.0199', lastName: 'Someone' });
      const anaName = await createContact({ firstName: 'ANA', lastName: 'dup', companyName: ' dupco ' });
      await createContact({ firstName: 'Ana', lastName: 'Dup', companyName: 'Elsewhere' });

      const { status, body } = await call(readOnlyKey, 'GET', '/v1/contacts/duplicates');
      expect(status).toBe(200);
      const groups = (body as { data: { reason: string; contacts: { id: string }[] }[] }).data.map((group) => ({ reason: group.reason, ids: group.contacts.map((contact) => contact.id) }));
      expect(groups).toEqual(
        expect.arrayContaining([
          { reason: 'email', ids: [ana.id, anaTagged.id] },
          { reason: 'phone', ids: [ana.id, anaPhone.id] },
          { reason: 'name_and_company', ids: [ana.id, anaName.id] },
        ]),
      );
      expect((await call(readOnlyKey, 'GET', '/v1/contacts/duplicates?limit=0')).status).toBe(400);
    });

    it('merges a contact into another in one go: moves its timeline and records, fills empty fields, deletes and publishes it', async () => {
      const survivor = await createContact({ email: 'keep@example.com', firstName: 'Keep' });
      const merged = await createContact({ email: 'drop@example.com', firstName: 'Dropped', lastName: 'Surname', phone: '+49 30 1234567' });
      await crm.query("INSERT INTO contact_timeline (contact_id, kind, summary) VALUES ($1, 'note', 'Called about the renewal'), ($1, 'note', 'Sent the quote')", [merged.id]);
      const attached: Record<string, string> = {
        activities: "INSERT INTO activities (kind, subject, contact_id) VALUES ('note', 'Met at the fair', $1)",
        tasks: "INSERT INTO tasks (title, owner, contact_id) VALUES ('Follow up', 'rep', $1)",
        tickets: "INSERT INTO tickets (subject, contact_id) VALUES ('Cannot log in', $1)",
        deals: "INSERT INTO deals (name, pipeline_id, stage_id, currency, contact_id) SELECT 'Renewal', pipeline_id, id, 'EUR', $1 FROM pipeline_stages ORDER BY position LIMIT 1",
      };
      const present: string[] = [];
      for (const [table, insert] of Object.entries(attached)) {
        if (!(await tableExists(table))) continue;
        await crm.query(insert, [merged.id]);
        present.push(table);
      }

      expect((await call(readOnlyKey, 'POST', `/v1/contacts/${survivor.id}/merge`, { mergedContactId: merged.id })).status).toBe(403);
      expect((await call(repKey, 'POST', `/v1/contacts/${survivor.id}/merge`, { mergedContactId: survivor.id })).status).toBe(400);
      expect((await call(repKey, 'POST', `/v1/contacts/${survivor.id}/merge`, { mergedContactId: 'nope' })).status).toBe(400);

      const result = await call(repKey, 'POST', `/v1/contacts/${survivor.id}/merge`, { mergedContactId: merged.id });
      expect(result).toMatchObject({
        status: 200,
        body: { mergedContactId: merged.id, survivor: { id: survivor.id, email: 'keep@example.com', firstName: 'Keep', lastName: 'Surname', phone: '+49 30 1234567', version: 2 } },
      });
      const moved = (result.body as { moved: Record<string, number> }).moved;
      expect(moved).toEqual({ contact_timeline: 2, ...Object.fromEntries(present.map((table) => [table, 1])) });
      for (const table of present) {
        expect(await crm.query(`SELECT contact_id FROM ${table} WHERE contact_id = ANY($1::uuid[])`, [[survivor.id, merged.id]])).toEqual([{ contact_id: survivor.id }]);
      }

      expect((await call(readOnlyKey, 'GET', `/v1/contacts/${merged.id}`)).status).toBe(404);
      const kept = (await call(readOnlyKey, 'GET', `/v1/contacts/${survivor.id}`)).body as Contact;
      expect(kept.timeline?.map((entry) => entry.summary)).toEqual(expect.arrayContaining(['Called about the renewal', 'Sent the quote', 'Merged with Dropped Surname drop@example.com']));
      expect(((await call(readOnlyKey, 'GET', `/v1/contacts/${merged.id}/audit`)).body as { action: string }[])[0]?.action).toBe('merged_into');
      expect(((await call(readOnlyKey, 'GET', `/v1/contacts/${survivor.id}/audit`)).body as { action: string }[])[0]?.action).toBe('merged');

      // A deleted contact is merged nowhere, and nothing is merged into one.
      expect((await call(repKey, 'POST', `/v1/contacts/${survivor.id}/merge`, { mergedContactId: merged.id })).status).toBe(409);
      expect((await call(repKey, 'POST', `/v1/contacts/${merged.id}/merge`, { mergedContactId: survivor.id })).status).toBe(409);

      await eventually(() => changes.some((change) => (change as { changeType?: string }).changeType === 'merged') || undefined, 'the merge published');
      const parsed = changes.map((change) => parseContractValue(contactChangedV1, change));
      expect(parsed.filter((change) => change.contactId === merged.id).at(-1)).toMatchObject({ changeType: 'merged', mergedIntoContactId: survivor.id, version: 2 });
      await eventually(() => changes.filter((change) => (change as { contactId?: string }).contactId === survivor.id).length >= 2 || undefined, 'the survivor update published');
      const survivorChanges = changes.map((change) => parseContractValue(contactChangedV1, change)).filter((change) => change.contactId === survivor.id);
      expect(survivorChanges.at(-1)).toMatchObject({ changeType: 'updated', version: 2, lastName: 'Surname', phone: '+49 30 1234567' });
    });

    it('hands the merged contact’s email to a survivor without one, keeping emails unique among live contacts', async () => {
      const survivor = await createContact({ firstName: 'Nameless', phone: '+33 1 23 45 67 89' });
      const merged = await createContact({ email: 'handover@example.com' });
      const result = await call(repKey, 'POST', `/v1/contacts/${survivor.id}/merge`, { mergedContactId: merged.id });
      expect(result).toMatchObject({ status: 200, body: { filled: ['email'], survivor: { email: 'handover@example.com' } } });
      expect(((await call(readOnlyKey, 'GET', '/v1/contacts?email=handover@example.com')).body as { data: Contact[] }).data.map((contact) => contact.id)).toEqual([survivor.id]);
    });
  });
});
