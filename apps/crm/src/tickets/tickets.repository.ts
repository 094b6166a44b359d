import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { columnValues, insertRow, updateRow } from '../common/row-statements.js';
import type { PagePosition } from '../common/pagination.js';
import { SqlConditions } from '../common/records.js';
import type { TicketPriority } from './dtos/ticket.dto.js';
import type { TicketStatus } from './ticket-status.js';

export interface TicketRow {
  readonly id: string;
  readonly subject: string;
  readonly description: string | null;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly assignee: string | null;
  readonly contactId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly solvedAt: Date | null;
  readonly deletedAt: Date | null;
}

export type TicketFields = Partial<Pick<TicketRow, 'subject' | 'description' | 'status' | 'priority' | 'assignee' | 'contactId' | 'solvedAt'>>;

export interface TicketFilter {
  readonly status?: TicketStatus | undefined;
  readonly priority?: TicketPriority | undefined;
  readonly assignee?: string | undefined;
  readonly contactId?: string | undefined;
}

const COLUMNS = 'id, subject, description, status, priority, assignee, contact_id, created_at, updated_at, solved_at, deleted_at';
const FIELD_COLUMNS: Record<keyof TicketFields, string> = {
  subject: 'subject',
  description: 'description',
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
  contactId: 'contact_id',
  solvedAt: 'solved_at',
};

/** Persistence of support tickets; rules live in TicketsService. */
@Injectable()
export class TicketsRepository {
  async insert(manager: EntityManager, fields: TicketFields): Promise<TicketRow> {
    return toTicket(await insertRow(manager, 'tickets', columnValues(fields, FIELD_COLUMNS), COLUMNS));
  }

  async update(manager: EntityManager, id: string, fields: TicketFields): Promise<TicketRow> {
    return toTicket((await updateRow(manager, 'tickets', id, columnValues(fields, FIELD_COLUMNS), COLUMNS)) as Record<string, unknown>);
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<TicketRow> {
    const rows = (await manager.query(`UPDATE tickets SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id])) as [
      Record<string, unknown>[],
      number,
    ];
    return toTicket(rows[0][0] as Record<string, unknown>);
  }

  async find(manager: EntityManager, id: string, options: { includeDeleted?: boolean; lock?: boolean } = {}): Promise<TicketRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM tickets WHERE id = $1 ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'} ${options.lock ? 'FOR UPDATE' : ''}`, [
      id,
    ])) as Record<string, unknown>[];
    return rows[0] ? toTicket(rows[0]) : null;
  }

  /** Newest first, keyset-paginated. */
  async list(manager: EntityManager, filter: TicketFilter, limit: number, after: PagePosition | null): Promise<(TicketRow & { sortKey: string })[]> {
    const sql = new SqlConditions('deleted_at IS NULL');
    if (filter.status) sql.add((p) => `status = ${p}`, filter.status);
    if (filter.priority) sql.add((p) => `priority = ${p}`, filter.priority);
    if (filter.assignee) sql.add((p) => `assignee = ${p}`, filter.assignee);
    if (filter.contactId) sql.add((p) => `contact_id = ${p}`, filter.contactId);
    sql.after('created_at', after, true);
    const rows = (await manager.query(
      `SELECT ${COLUMNS}, created_at::text AS sort_key FROM tickets WHERE ${sql.where} ORDER BY created_at DESC, id DESC LIMIT ${sql.push(limit)}`,
      sql.parameters,
    )) as Record<string, unknown>[];
    return rows.map((row) => ({ ...toTicket(row), sortKey: row['sort_key'] as string }));
  }
}

function toTicket(row: Record<string, unknown>): TicketRow {
  return {
    id: row['id'] as string,
    subject: row['subject'] as string,
    description: row['description'] as string | null,
    status: row['status'] as TicketStatus,
    priority: row['priority'] as TicketPriority,
    assignee: row['assignee'] as string | null,
    contactId: row['contact_id'] as string | null,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    solvedAt: row['solved_at'] as Date | null,
    deletedAt: row['deleted_at'] as Date | null,
  };
}
