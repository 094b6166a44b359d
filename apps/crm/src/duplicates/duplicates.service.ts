import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { contactChangedV1 } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { ContactsRepository, type ContactRow } from '../contacts/contacts.repository.js';
import { fieldsToFill, findDuplicateGroups, type DuplicateReason } from './duplicate-matching.js';
import { DuplicatesRepository, type MatchableContactRow } from './duplicates.repository.js';
import { writeAudit } from '../common/audit-log.js';
import { contactChange } from '../contacts/contact-change.js';

export interface DuplicateGroupView {
  readonly reason: DuplicateReason;
  readonly key: string;
  readonly contacts: readonly MatchableContactRow[];
}

export interface MergeResult {
  readonly survivor: ContactRow;
  readonly mergedContactId: string;
  /** The survivor's fields that were empty and now hold the merged contact's values. */
  readonly filled: readonly string[];
  /** Rows re-pointed at the survivor, per table. */
  readonly moved: Readonly<Record<string, number>>;
}

/** Finding contacts that are probably one person, and merging two of them into one. */
@Injectable()
export class DuplicatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
    private readonly duplicates: DuplicatesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async list(limit: number): Promise<{ data: DuplicateGroupView[]; total: number }> {
    const contacts = await this.duplicates.matchableContacts(this.dataSource.manager);
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    const groups = findDuplicateGroups(contacts);
    return {
      data: groups.slice(0, limit).map((group) => ({ reason: group.reason, key: group.key, contacts: group.contactIds.map((id) => byId.get(id) as MatchableContactRow) })),
      total: groups.length,
    };
  }

  /**
   * One transaction: the merged contact's timeline, deals, activities, tasks and tickets move to the survivor, the
   * survivor's empty fields take the merged one's values, the merged contact is soft-deleted; both are audited and
   * published (`merged` pointing at the survivor, `updated` for the survivor).
   */
  async merge(survivorId: string, mergedId: string, actor: Principal): Promise<MergeResult> {
    if (survivorId === mergedId) throw new BadRequestException('a contact cannot be merged into itself');
    return retryingTransaction(this.dataSource, async (manager) => {
      const { survivor, merged } = await this.lockBoth(manager, survivorId, mergedId);
      const moved = await this.duplicates.moveAttachments(manager, mergedId, survivorId);
      const contactFields = fieldsToFill(survivor, merged);
      const filled: Record<string, string> = { ...contactFields };
      const mergedCompanyId = await this.duplicates.companyIdOf(manager, mergedId);
      if (mergedCompanyId && !(await this.duplicates.companyIdOf(manager, survivorId))) {
        await this.duplicates.setCompanyId(manager, survivorId, mergedCompanyId);
        filled['companyId'] = mergedCompanyId;
      }
      // Deleted first: the email it may hand over is unique among live contacts.
      const mergedAfter = await this.contacts.setDeleted(manager, mergedId, true);
      const survivorAfter = await this.contacts.update(manager, survivorId, contactFields);
      await this.contacts.addTimeline(manager, survivorId, 'merge', [`Merged with ${describe(merged)}`], { mergedContactId: mergedId, moved, filled });

      await writeAudit(manager, actor, 'contact', survivorId, 'merged', { mergedContactId: mergedId, filled, moved });
      await writeAudit(manager, actor, 'contact', mergedId, 'merged_into', { mergedIntoContactId: survivorId });
      await this.outbox.enqueue(manager, contactChangedV1, [contactChange(mergedAfter, 'merged', survivorId), contactChange(survivorAfter, 'updated')]);
      return { survivor: survivorAfter, mergedContactId: mergedId, filled: Object.keys(filled), moved };
    });
  }

  /** Both rows locked in id order, so two merges of the same pair in opposite directions cannot deadlock. */
  private async lockBoth(manager: EntityManager, survivorId: string, mergedId: string): Promise<{ survivor: ContactRow; merged: ContactRow }> {
    const found = new Map<string, ContactRow | null>();
    for (const id of [survivorId, mergedId].sort()) found.set(id, await this.contacts.find(manager, id, { includeDeleted: true, lock: true }));
    const live = (id: string, role: string): ContactRow => {
      const contact = found.get(id);
      if (!contact) throw new NotFoundException(`no contact with id ${id}`);
      if (contact.deletedAt) throw new ConflictException(`the ${role} contact ${id} is deleted; restore it before merging`);
      return contact;
    };
    return { survivor: live(survivorId, 'surviving'), merged: live(mergedId, 'merged') };
  }
}

function describe(contact: ContactRow): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return [name, contact.email ?? contact.phone].filter(Boolean).join(' ') || contact.id;
}

