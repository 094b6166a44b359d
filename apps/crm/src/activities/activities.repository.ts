import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { columnValues, insertRow, updateRow } from '../common/row-statements.js';
import type { PagePosition } from '../common/pagination.js';
import { SqlConditions } from '../common/records.js';
import type { ActivityKind } from './dtos/activity.dto.js';

export interface ActivityRow {
  readonly id: string;
  readonly kind: ActivityKind;
  readonly subject: string;
  readonly body: string | null;
  readonly occurredAt: Date;
  readonly durationMinutes: number | null;
  readonly contactId: string | null;
  readonly companyId: string | null;
  readonly dealId: string | null;
  readonly owner: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export type ActivityFields = Partial<Pick<ActivityRow, 'kind' | 'subject' | 'body' | 'occurredAt' | 'durationMinutes' | 'contactId' | 'companyId' | 'dealId' | 'owner'>>;

export interface ActivityFilter {
  readonly contactId?: string | undefined;
  readonly companyId?: string | undefined;
  readonly dealId?: string | undefined;
  readonly kind?: ActivityKind | undefined;
  readonly owner?: string | undefined;
}

const COLUMNS = 'id, kind, subject, body, occurred_at, duration_minutes, contact_id, company_id, deal_id, owner, created_at, updated_at, deleted_at';
const FIELD_COLUMNS: Record<keyof ActivityFields, string> = {
  kind: 'kind',
  subject: 'subject',
  body: 'body',
  occurredAt: 'occurred_at',
  durationMinutes: 'duration_minutes',
  contactId: 'contact_id',
  companyId: 'company_id',
  dealId: 'deal_id',
  owner: 'owner',
};

/** Persistence of activities; rules live in ActivitiesService. */
@Injectable()
export class ActivitiesRepository {
  async insert(manager: EntityManager, fields: ActivityFields): Promise<ActivityRow> {
    return toActivity(await insertRow(manager, 'activities', columnValues(fields, FIELD_COLUMNS), COLUMNS));
  }

  async update(manager: EntityManager, id: string, fields: ActivityFields): Promise<ActivityRow> {
    return toActivity((await updateRow(manager, 'activities', id, columnValues(fields, FIELD_COLUMNS), COLUMNS)) as Record<string, unknown>);
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<ActivityRow> {
    const rows = (await manager.query(`UPDATE activities SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id])) as [
      Record<string, unknown>[],
      number,
    ];
    return toActivity(rows[0][0] as Record<string, unknown>);
  }

  async find(manager: EntityManager, id: string, options: { includeDeleted?: boolean; lock?: boolean } = {}): Promise<ActivityRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM activities WHERE id = $1 ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'} ${options.lock ? 'FOR UPDATE' : ''}`, [
      id,
    ])) as Record<string, unknown>[];
    return rows[0] ? toActivity(rows[0]) : null;
  }

  /** Newest first (by when it happened), keyset-paginated. */
  async list(manager: EntityManager, filter: ActivityFilter, limit: number, after: PagePosition | null): Promise<(ActivityRow & { sortKey: string })[]> {
    const sql = new SqlConditions('deleted_at IS NULL');
    if (filter.contactId) sql.add((p) => `contact_id = ${p}`, filter.contactId);
    if (filter.companyId) sql.add((p) => `company_id = ${p}`, filter.companyId);
    if (filter.dealId) sql.add((p) => `deal_id = ${p}`, filter.dealId);
    if (filter.kind) sql.add((p) => `kind = ${p}`, filter.kind);
    if (filter.owner) sql.add((p) => `owner = ${p}`, filter.owner);
    sql.after('occurred_at', after, true);
    const rows = (await manager.query(
      `SELECT ${COLUMNS}, occurred_at::text AS sort_key FROM activities WHERE ${sql.where} ORDER BY occurred_at DESC, id DESC LIMIT ${sql.push(limit)}`,
      sql.parameters,
    )) as Record<string, unknown>[];
    return rows.map((row) => ({ ...toActivity(row), sortKey: row['sort_key'] as string }));
  }
}

function toActivity(row: Record<string, unknown>): ActivityRow {
  return {
    id: row['id'] as string,
    kind: row['kind'] as ActivityKind,
    subject: row['subject'] as string,
    body: row['body'] as string | null,
    occurredAt: row['occurred_at'] as Date,
    durationMinutes: row['duration_minutes'] as number | null,
    contactId: row['contact_id'] as string | null,
    companyId: row['company_id'] as string | null,
    dealId: row['deal_id'] as string | null,
    owner: row['owner'] as string | null,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    deletedAt: row['deleted_at'] as Date | null,
  };
}
