import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { changedFields, rethrowMissingContact } from '../common/records.js';
import type { CreateTicketDto, ListTicketsQueryDto, UpdateTicketDto } from './dtos/ticket.dto.js';
import { allowedTransitions, solvedAtAfter, transitionProblem } from './ticket-status.js';
import { TicketsRepository, type TicketFields, type TicketRow } from './tickets.repository.js';

/** Support tickets whose status follows the allowed transitions; soft delete with restore, every change audited. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
  ) {}

  async create(dto: CreateTicketDto, actor: Principal): Promise<TicketRow> {
    const fields = ticketFields(dto);
    return this.write(fields.contactId, async (manager) => {
      const ticket = await this.tickets.insert(manager, fields);
      await writeAudit(manager, actor, 'ticket', ticket.id, 'created', fields);
      return ticket;
    });
  }

  async update(id: string, dto: UpdateTicketDto, actor: Principal): Promise<TicketRow> {
    const fields = ticketFields(dto);
    return this.write(fields.contactId, async (manager) => {
      const current = await this.tickets.find(manager, id, { lock: true });
      if (!current) throw new NotFoundException(`no ticket with id ${id}`);
      const requested = changedFields<TicketFields>(current, fields);
      if (Object.keys(requested).length === 0) return current;
      const changed = requested.status ? { ...requested, solvedAt: solvedAtAfter(current.status, requested.status, current.solvedAt, new Date()) } : requested;
      const problem = requested.status ? transitionProblem(current.status, requested.status) : null;
      if (problem) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: problem, allowedStatuses: allowedTransitions(current.status) });
      const ticket = await this.tickets.update(manager, id, changed);
      await writeAudit(manager, actor, 'ticket', id, changed.status ? `status:${changed.status}` : 'updated', changed);
      return ticket;
    });
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await retryingTransaction(this.dataSource, async (manager) => {
      if (!(await this.tickets.find(manager, id, { lock: true }))) throw new NotFoundException(`no ticket with id ${id}`);
      await this.tickets.setDeleted(manager, id, true);
      await writeAudit(manager, actor, 'ticket', id, 'deleted', null);
    });
  }

  async restore(id: string, actor: Principal): Promise<TicketRow> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const current = await this.tickets.find(manager, id, { includeDeleted: true, lock: true });
      if (!current?.deletedAt) throw new NotFoundException(`no deleted ticket with id ${id}`);
      const ticket = await this.tickets.setDeleted(manager, id, false);
      await writeAudit(manager, actor, 'ticket', id, 'restored', null);
      return ticket;
    });
  }

  async get(id: string): Promise<TicketRow> {
    const ticket = await this.tickets.find(this.dataSource.manager, id);
    if (!ticket) throw new NotFoundException(`no ticket with id ${id}`);
    return ticket;
  }

  async list(query: ListTicketsQueryDto): Promise<Page<TicketRow>> {
    return toPage(await this.tickets.list(this.dataSource.manager, query, query.limit + 1, decodeCursor(query.cursor)), query.limit);
  }

  private async write(contactId: string | null | undefined, work: (manager: EntityManager) => Promise<TicketRow>): Promise<TicketRow> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      return rethrowMissingContact(error, contactId);
    }
  }
}

function ticketFields(dto: CreateTicketDto | UpdateTicketDto): TicketFields {
  const fields: Record<string, unknown> = {};
  for (const name of ['subject', 'description', 'priority', 'assignee', 'contactId'] as const) {
    if (dto[name] !== undefined) fields[name] = dto[name];
  }
  if ('status' in dto && dto.status !== undefined) fields['status'] = dto.status;
  return fields as TicketFields;
}
