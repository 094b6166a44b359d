import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { contactChangedV1, type ContactChangeType } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { auditTrail, writeAudit } from '../common/audit-log.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import type { CreateContactDto, ListContactsQueryDto, UpdateContactDto } from './dtos/contact.dto.js';
import { contactChange } from './contact-change.js';
import { ContactsRepository, type ContactFields, type ContactRow } from './contacts.repository.js';

/**
 * Contacts: one live contact per normalised email, soft delete with restore,
 * every change audited and published (crm.contact-changes.v1, through the
 * outbox) so the CDP takes sales-entered data as a source.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(dto: CreateContactDto, actor: Principal): Promise<ContactRow> {
    const fields = normalizedFields(dto);
    if (!fields.email && !fields.phone && !fields.firstName && !fields.lastName) throw new BadRequestException('a contact needs at least one of email, phone, firstName, lastName');
    return this.write(async (manager) => {
      const contact = await this.contacts.insert(manager, fields);
      await this.record(manager, contact, 'created', actor, fields);
      return contact;
    });
  }

  async update(id: string, dto: UpdateContactDto, actor: Principal): Promise<ContactRow> {
    const fields = normalizedFields(dto);
    return this.write(async (manager) => {
      const current = await this.contacts.find(manager, id, { lock: true });
      if (!current) throw new NotFoundException(`no contact with id ${id}`);
      const changed = Object.fromEntries(Object.entries(fields).filter(([name, value]) => current[name as keyof ContactFields] !== value)) as ContactFields;
      if (Object.keys(changed).length === 0) return current;
      const contact = await this.contacts.update(manager, id, changed);
      await this.record(manager, contact, 'updated', actor, changed);
      return contact;
    });
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await this.write(async (manager) => {
      if (!(await this.contacts.find(manager, id, { lock: true }))) throw new NotFoundException(`no contact with id ${id}`);
      await this.record(manager, await this.contacts.setDeleted(manager, id, true), 'deleted', actor, null);
    });
  }

  async restore(id: string, actor: Principal): Promise<ContactRow> {
    return this.write(async (manager) => {
      const current = await this.contacts.find(manager, id, { includeDeleted: true, lock: true });
      if (!current?.deletedAt) throw new NotFoundException(`no deleted contact with id ${id}`);
      const contact = await this.contacts.setDeleted(manager, id, false);
      await this.record(manager, contact, 'updated', actor, { restored: true });
      return contact;
    });
  }

  async get(id: string): Promise<ContactRow & { timeline: unknown[] }> {
    const contact = await this.contacts.find(this.dataSource.manager, id);
    if (!contact) throw new NotFoundException(`no contact with id ${id}`);
    return { ...contact, timeline: await this.contacts.timeline(this.dataSource.manager, id, 100) };
  }

  async auditTrail(id: string): ReturnType<typeof auditTrail> {
    if (!(await this.contacts.find(this.dataSource.manager, id, { includeDeleted: true }))) throw new NotFoundException(`no contact with id ${id}`);
    return auditTrail(this.dataSource.manager, 'contact', id);
  }

  async list(query: ListContactsQueryDto): Promise<Page<ContactRow>> {
    return toPage(await this.contacts.list(this.dataSource.manager, query, query.sort, query.limit + 1, decodeCursor(query.cursor)), query.limit);
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ConflictException('a live contact with this email already exists', { cause: error });
      throw error;
    }
  }

  /** The audit entry and the published change, in the transaction of the change itself. */
  private async record(manager: EntityManager, contact: ContactRow, changeType: ContactChangeType, actor: Principal, changes: unknown): Promise<void> {
    await writeAudit(manager, actor, 'contact', contact.id, changeType === 'updated' && changes && typeof changes === 'object' && 'restored' in changes ? 'restored' : changeType, changes);
    await this.outbox.enqueue(manager, contactChangedV1, [contactChange(contact, changeType)]);
  }
}

/** Email lower-cased (one contact per address, whatever the case it was typed in). */
function normalizedFields(dto: CreateContactDto | UpdateContactDto): ContactFields {
  const fields: Record<string, unknown> = {};
  for (const name of ['firstName', 'lastName', 'email', 'phone', 'companyName', 'owner', 'lifecycleStage'] as const) {
    const value = dto[name];
    if (value !== undefined) fields[name] = name === 'email' && typeof value === 'string' ? value.toLowerCase() : value;
  }
  return fields as ContactFields;
}
