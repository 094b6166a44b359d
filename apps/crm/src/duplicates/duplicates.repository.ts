import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MatchableContact } from './duplicate-matching.js';

/** Tables of other CRM features whose rows belong to a contact through `contact_id`; moved on a merge where they exist. */
const CONTACT_OWNED_TABLES = ['deals', 'activities', 'tasks', 'tickets'] as const;

export type MatchableContactRow = MatchableContact & { readonly createdAt: Date };

@Injectable()
export class DuplicatesRepository {
  /** What matching needs of every live contact, oldest first. */
  async matchableContacts(manager: EntityManager): Promise<MatchableContactRow[]> {
    const rows = (await manager.query(
      'SELECT id, first_name, last_name, email, phone, company_id, company_name, created_at FROM contacts WHERE deleted_at IS NULL ORDER BY created_at, id',
    )) as Record<string, string | Date | null>[];
    return rows.map((row) => ({
      id: row['id'] as string,
      firstName: row['first_name'] as string | null,
      lastName: row['last_name'] as string | null,
      email: row['email'] as string | null,
      phone: row['phone'] as string | null,
      companyId: row['company_id'] as string | null,
      companyName: row['company_name'] as string | null,
      createdAt: row['created_at'] as Date,
    }));
  }

  async companyIdOf(manager: EntityManager, contactId: string): Promise<string | null> {
    const rows = (await manager.query('SELECT company_id FROM contacts WHERE id = $1', [contactId])) as { company_id: string | null }[];
    return rows[0]?.company_id ?? null;
  }

  async setCompanyId(manager: EntityManager, contactId: string, companyId: string): Promise<void> {
    await manager.query('UPDATE contacts SET company_id = $2 WHERE id = $1', [contactId, companyId]);
  }

  /**
   * Re-points everything attached to `fromId` at `toId`: the timeline, and the rows of every contact-owned table this
   * database has (those tables come from other features' migrations, so each is looked up first). Counts per table.
   */
  async moveAttachments(manager: EntityManager, fromId: string, toId: string): Promise<Record<string, number>> {
    const present = (await manager.query(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = 'contact_id' AND table_name = ANY($1::text[]) AND to_regclass(quote_ident(table_name)) IS NOT NULL`,
      [CONTACT_OWNED_TABLES],
    )) as { table_name: string }[];
    const tables = ['contact_timeline', ...CONTACT_OWNED_TABLES.filter((table) => present.some((row) => row.table_name === table))];
    const moved: Record<string, number> = {};
    for (const table of tables) {
      // Table names come from the constant list above, never from input.
      const [, count] = (await manager.query(`UPDATE ${table} SET contact_id = $1 WHERE contact_id = $2`, [toId, fromId])) as [unknown, number];
      moved[table] = count;
    }
    return moved;
  }
}
