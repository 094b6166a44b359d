import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { contactChangedV1, TOPICS, type ContactErasureRequestV1, type ContactErasureResultV1 } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import { DETACHED_ON_ERASURE, erasedEmailHash, erasureChange, erasureClosure } from './contact-erasure.js';
import { lockEmails } from './email-locks.js';

interface ErasedRow {
  readonly id: string;
  readonly version: string;
  readonly email: string | null;
}

/**
 * Erasure of contacts on a person's request (GDPR art. 17), in one transaction:
 * the contact rows go (their timeline with them, by cascade), and so do the
 * contacts merged into them; deals, tasks, tickets and the activities that also
 * belong to a company or deal stay but lose the link, activities about the
 * person alone are deleted; the contacts' audit entries keep who did what and
 * when but lose the values; unpublished outbox messages about them are dropped.
 * What remains: an `erased` audit entry per contact (request id only), a hash
 * of each erased email (so the sync cannot re-create the person from a late
 * CDP snapshot), and a `deleted` change without personal fields on
 * crm.contact-changes.v1.
 */
@Injectable()
export class ContactErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async erase(request: ContactErasureRequestV1, actor: Principal): Promise<ContactErasureResultV1> {
    const requested = [...new Set(request.contactIds.map((id) => id.toLowerCase()))];
    return retryingTransaction(this.dataSource, async (manager) => {
      const ids = await erasureClosure(requested, (of) => this.mergedInto(manager, of));
      // Locked in id order, so two erasures (or an erasure and a merge) of the same contacts cannot deadlock.
      const rows = (await manager.query('SELECT id, version, email FROM contacts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids])) as ErasedRow[];
      const present = rows.map((row) => row.id);
      // Before anything is deleted: a creation of these emails waits until the erased hashes are committed.
      await lockEmails(manager, rows.flatMap((row) => (row.email ? [row.email] : [])));
      if (present.length > 0) await this.eraseRows(manager, rows, request.requestId, actor);
      return { results: requested.map((contactId) => ({ contactId, outcome: present.includes(contactId) ? 'erased' : 'absent' })) };
    });
  }

  /** Contacts merged into any of `ids`, as the merge recorded them on the survivor's audit trail. */
  private async mergedInto(manager: EntityManager, ids: readonly string[]): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT DISTINCT changes->>'mergedContactId' AS id FROM audit_log
       WHERE entity = 'contact' AND entity_id = ANY($1::uuid[]) AND action = 'merged' AND changes ? 'mergedContactId'`,
      [ids],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  private async eraseRows(manager: EntityManager, rows: readonly ErasedRow[], requestId: string, actor: Principal): Promise<void> {
    const ids = rows.map((row) => row.id);
    // Notes of calls and meetings with this person and nobody else are the person's data, not the business's.
    const deletedActivities = (await manager.query('DELETE FROM activities WHERE contact_id = ANY($1::uuid[]) AND company_id IS NULL AND deal_id IS NULL RETURNING id', [ids])) as [
      { id: string }[],
      number,
    ];
    const erasedActivityIds = deletedActivities[0].map((row) => row.id);
    await this.scrubAudit(manager, 'activity', erasedActivityIds);
    for (const id of erasedActivityIds) await writeAudit(manager, actor, 'activity', id, 'erased', { requestId });

    for (const { table, entity } of DETACHED_ON_ERASURE) {
      // Table names come from the constant list, never from input.
      const detached = (await manager.query(`UPDATE ${table} SET contact_id = NULL, updated_at = now() WHERE contact_id = ANY($1::uuid[]) RETURNING id`, [ids])) as [{ id: string }[], number];
      for (const { id } of detached[0]) await writeAudit(manager, actor, entity, id, 'contact_erased', { contactId: null, requestId });
    }

    await this.scrubAudit(manager, 'contact', ids);
    await manager.query('DELETE FROM outbox WHERE topic = $1 AND message_key = ANY($2::text[])', [TOPICS.crmContactChanges.name, ids]);
    await manager.query('DELETE FROM contacts WHERE id = ANY($1::uuid[])', [ids]);
    const emails = rows.flatMap((row) => (row.email ? [erasedEmailHash(row.email)] : []));
    if (emails.length > 0) await manager.query('INSERT INTO erased_emails (email_hash) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [emails]);
    for (const id of ids) await writeAudit(manager, actor, 'contact', id, 'erased', { requestId });
    await this.outbox.enqueue(manager, contactChangedV1, rows.map((row) => erasureChange(row.id, Number(row.version))));
  }

  /** The entries stay (who did what, when); the values they recorded go. */
  private async scrubAudit(manager: EntityManager, entity: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await manager.query('UPDATE audit_log SET changes = NULL WHERE entity = $1 AND entity_id = ANY($2::uuid[])', [entity, ids]);
  }
}
