import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/api-keys.service.js';
import type { ContactImportRow } from './import-rows.js';

/** What a contact change message needs of a contact just written. */
export interface ImportedContact {
  readonly id: string;
  readonly version: number;
  readonly email: string | null;
  readonly phone: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly companyName: string | null;
}

export type ContactInsert = Omit<ContactImportRow, 'companyDomain' | 'enrichment'> & { readonly companyId?: string | undefined };

/** Set-based SQL for imports and exports: one statement per table whatever the number of rows. */
@Injectable()
export class CsvRepository {
  async liveContactEmails(manager: EntityManager, emails: readonly string[]): Promise<Set<string>> {
    const rows = (await manager.query('SELECT email FROM contacts WHERE email = ANY($1::text[]) AND deleted_at IS NULL', [emails])) as { email: string }[];
    return new Set(rows.map((row) => row.email));
  }

  async insertContacts(manager: EntityManager, contacts: readonly ContactInsert[]): Promise<ImportedContact[]> {
    const column = (pick: (contact: ContactInsert) => string | undefined): (string | null)[] => contacts.map((contact) => pick(contact) ?? null);
    const rows = (await manager.query(
      `INSERT INTO contacts (email, first_name, last_name, phone, company_name, owner, lifecycle_stage, company_id)
       SELECT email, first_name, last_name, phone, company_name, owner, coalesce(lifecycle_stage, 'lead'), company_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
         AS imported (email, first_name, last_name, phone, company_name, owner, lifecycle_stage, company_id)
       RETURNING id, version, email, phone, first_name, last_name, company_name`,
      [
        column((contact) => contact.email),
        column((contact) => contact.firstName),
        column((contact) => contact.lastName),
        column((contact) => contact.phone),
        column((contact) => contact.companyName),
        column((contact) => contact.owner),
        column((contact) => contact.lifecycleStage),
        column((contact) => contact.companyId),
      ],
    )) as Record<string, string | null>[];
    return rows.map((row) => ({
      id: row['id'] as string,
      version: Number(row['version']),
      email: row['email'] ?? null,
      phone: row['phone'] ?? null,
      firstName: row['first_name'] ?? null,
      lastName: row['last_name'] ?? null,
      companyName: row['company_name'] ?? null,
    }));
  }

  async liveCompanyDomains(manager: EntityManager, domains: readonly string[]): Promise<Set<string>> {
    const rows = (await manager.query('SELECT domain FROM companies WHERE domain = ANY($1::text[]) AND deleted_at IS NULL', [domains])) as { domain: string }[];
    return new Set(rows.map((row) => row.domain));
  }

  /** One audit entry per imported record, all with the same actor and action. */
  async auditMany(manager: EntityManager, actor: Principal, entity: string, action: string, entries: readonly { entityId: string; changes: unknown }[]): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_key_id, actor_name, entity, entity_id, action, changes)
       SELECT $1, $2, $3, entity_id, $4, changes FROM unnest($5::uuid[], $6::jsonb[]) AS entry (entity_id, changes)`,
      [actor.keyId, actor.name, entity, action, entries.map((entry) => entry.entityId), entries.map((entry) => JSON.stringify(entry.changes))],
    );
  }

  /** Live contacts in the import's columns, oldest first. */
  async exportContacts(manager: EntityManager): Promise<Record<string, string | null>[]> {
    return (await manager.query(
      `SELECT c.email, c.first_name AS "firstName", c.last_name AS "lastName", c.phone, c.company_name AS "companyName", co.domain AS "companyDomain",
              c.owner, c.lifecycle_stage AS "lifecycleStage"
       FROM contacts c LEFT JOIN companies co ON co.id = c.company_id AND co.deleted_at IS NULL
       WHERE c.deleted_at IS NULL ORDER BY c.created_at, c.id`,
    )) as Record<string, string | null>[];
  }

  /** Live companies in the import's columns, oldest first. */
  async exportCompanies(manager: EntityManager): Promise<Record<string, string | null>[]> {
    return (await manager.query('SELECT name, domain, industry, size, owner FROM companies WHERE deleted_at IS NULL ORDER BY created_at, id')) as Record<string, string | null>[];
  }
}
