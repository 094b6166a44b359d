import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { contactChangedV1, type ContactCreationBatchV1, type ContactCreationOutcome, type ContactCreationResultV1, type ContactCreationV1 } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import { contactChange } from '../contacts/contact-change.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { erasedEmailHash } from './contact-erasure.js';
import { lockEmails } from './email-locks.js';

/**
 * Contacts the sync bridge creates for known CDP customers (upsert mode):
 * create-or-get by normalised email, so a redelivered batch or two bridges
 * racing for one email end with one contact. A new contact is owner-less, has
 * source `cdp`, the names the CDP knows, is audited under the sync key and
 * published like any other. An existing contact is returned as it is: reps own
 * its data, so the CDP never renames it.
 * The email of a contact erased on request is not given a contact again
 * (`suppressed`): a CDP snapshot older than the erasure must not bring the
 * person back. A rep can still create one through the public API.
 */
@Injectable()
export class ContactCreationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async createOrGet(batch: ContactCreationBatchV1, actor: Principal): Promise<ContactCreationResultV1> {
    return retryingTransaction(this.dataSource, async (manager) => {
      await lockEmails(manager, batch.contacts.map((contact) => contact.email));
      const results: { index: number; outcome: ContactCreationOutcome; contactId: string | null }[] = [];
      for (const [index, contact] of batch.contacts.entries()) results.push({ index, ...(await this.createOne(manager, contact, actor)) });
      return { results };
    });
  }

  private async createOne(manager: EntityManager, contact: ContactCreationV1, actor: Principal): Promise<{ outcome: ContactCreationOutcome; contactId: string | null }> {
    const email = contact.email.trim().toLowerCase();
    const firstName = contact.firstName?.trim() || null;
    const lastName = contact.lastName?.trim() || null;
    if (await this.isErased(manager, email)) {
      const live = await this.contacts.findLiveByEmail(manager, email);
      return live ? { outcome: 'existing', contactId: live.id } : { outcome: 'suppressed', contactId: null };
    }
    // The live-email unique index arbitrates: a concurrent creation of the same email makes this insert wait, then do nothing.
    const inserted = (await manager.query(
      `INSERT INTO contacts (email, first_name, last_name, source) VALUES ($1, $2, $3, 'cdp')
       ON CONFLICT (email) WHERE deleted_at IS NULL AND email IS NOT NULL DO NOTHING
       RETURNING id, version`,
      [email, firstName, lastName],
    )) as { id: string; version: string }[];
    const created = inserted[0];
    if (!created) {
      const existing = await this.contacts.findLiveByEmail(manager, email);
      if (!existing) throw new Error(`no live contact with ${email} after a conflicting insert`);
      return { outcome: 'existing', contactId: existing.id };
    }
    await writeAudit(manager, actor, 'contact', created.id, 'created', {
      email,
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      source: 'cdp',
      cdpProfileId: contact.profileId,
    });
    await this.outbox.enqueue(manager, contactChangedV1, [
      contactChange({ id: created.id, version: Number(created.version), email, phone: null, firstName, lastName, companyName: null }, 'created'),
    ]);
    return { outcome: 'created', contactId: created.id };
  }

  private async isErased(manager: EntityManager, email: string): Promise<boolean> {
    return ((await manager.query('SELECT 1 FROM erased_emails WHERE email_hash = $1', [erasedEmailHash(email)])) as unknown[]).length > 0;
  }
}
