import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertRow, updateRow, type ColumnValues } from '../common/row-statements.js';
import type { DealSort } from './dtos/deal.dto.js';
import type { PagePosition } from '../common/pagination.js';
import type { StageKind } from './stage-plan.js';

export interface DealRow {
  readonly id: string;
  readonly name: string;
  readonly pipelineId: string;
  readonly stageId: string;
  readonly stageName: string;
  readonly stageKind: StageKind;
  /** Decimal string ("1250.00"): money never goes through a float. */
  readonly amount: string;
  readonly currency: string;
  readonly expectedCloseDate: string | null;
  readonly owner: string | null;
  readonly contactId: string | null;
  readonly companyId: string | null;
  readonly closedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export interface DealFields {
  name?: string;
  pipelineId?: string;
  stageId?: string;
  amount?: number;
  currency?: string;
  expectedCloseDate?: string | null;
  owner?: string | null;
  contactId?: string | null;
  companyId?: string | null;
  /** true: closed now; false: open again. */
  closed?: boolean;
}

export interface DealFilter {
  readonly pipelineId?: string | undefined;
  readonly stageId?: string | undefined;
  readonly owner?: string | undefined;
  readonly contactId?: string | undefined;
  readonly closingBefore?: string | undefined;
  readonly closingAfter?: string | undefined;
}

export interface StageChange {
  readonly fromStageId: string | null;
  readonly fromStageName: string | null;
  readonly toStageId: string | null;
  readonly toStageName: string | null;
  readonly changedAt: Date;
  readonly actorName: string;
}

const SELECT = `
  SELECT d.id, d.name, d.pipeline_id, d.stage_id, s.name AS stage_name, s.kind AS stage_kind, d.amount::text AS amount, d.currency,
         d.expected_close_date::text AS expected_close_date, d.owner, d.contact_id, d.company_id, d.closed_at, d.created_at, d.updated_at, d.deleted_at
  FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id`;
const FIELD_COLUMNS: Record<Exclude<keyof DealFields, 'closed'>, string> = {
  name: 'name',
  pipelineId: 'pipeline_id',
  stageId: 'stage_id',
  amount: 'amount',
  currency: 'currency',
  expectedCloseDate: 'expected_close_date',
  owner: 'owner',
  contactId: 'contact_id',
  companyId: 'company_id',
};
/** Sort key (never null: undated deals come last either way), its Postgres type, and direction. */
export const DEAL_SORT_KEYS: Record<DealSort, { key: string; type: 'timestamptz' | 'date' | 'numeric'; descending: boolean }> = {
  createdAt: { key: 'd.created_at', type: 'timestamptz', descending: false },
  '-createdAt': { key: 'd.created_at', type: 'timestamptz', descending: true },
  expectedCloseDate: { key: "coalesce(d.expected_close_date, 'infinity'::date)", type: 'date', descending: false },
  '-expectedCloseDate': { key: "coalesce(d.expected_close_date, '-infinity'::date)", type: 'date', descending: true },
  amount: { key: 'd.amount', type: 'numeric', descending: false },
  '-amount': { key: 'd.amount', type: 'numeric', descending: true },
};

/** Persistence of deals and their stage history; rules live in DealsService. */
@Injectable()
export class DealsRepository {
  async insert(manager: EntityManager, fields: DealFields): Promise<string> {
    return (await insertRow(manager, 'deals', assignments(fields), 'id', fields.closed ? { closed_at: 'now()' } : {}))['id'] as string;
  }

  async update(manager: EntityManager, id: string, fields: DealFields): Promise<void> {
    const also = ['updated_at = now()', ...(fields.closed === undefined ? [] : [`closed_at = ${fields.closed ? 'now()' : 'NULL'}`])];
    await updateRow(manager, 'deals', id, assignments(fields), 'id', also);
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<void> {
    await manager.query(`UPDATE deals SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1`, [id]);
  }

  async find(manager: EntityManager, id: string, options: { includeDeleted?: boolean; lock?: boolean } = {}): Promise<DealRow | null> {
    const rows = (await manager.query(`${SELECT} WHERE d.id = $1 ${options.includeDeleted ? '' : 'AND d.deleted_at IS NULL'} ${options.lock ? 'FOR UPDATE OF d' : ''}`, [id])) as Record<string, unknown>[];
    return rows[0] ? toDeal(rows[0]) : null;
  }

  async list(manager: EntityManager, filter: DealFilter, sort: DealSort, limit: number, after: PagePosition | null): Promise<(DealRow & { sortKey: string })[]> {
    const { key, type, descending } = DEAL_SORT_KEYS[sort];
    const conditions = ['d.deleted_at IS NULL'];
    const parameters: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (filter.pipelineId) add((p) => `d.pipeline_id = ${p}`, filter.pipelineId);
    if (filter.stageId) add((p) => `d.stage_id = ${p}`, filter.stageId);
    if (filter.owner) add((p) => `d.owner = ${p}`, filter.owner);
    if (filter.contactId) add((p) => `d.contact_id = ${p}`, filter.contactId);
    if (filter.closingBefore) add((p) => `d.expected_close_date < ${p}::date`, filter.closingBefore);
    if (filter.closingAfter) add((p) => `d.expected_close_date > ${p}::date`, filter.closingAfter);
    if (after) {
      parameters.push(after.key, after.id);
      conditions.push(`(${key}, d.id) ${descending ? '<' : '>'} ($${parameters.length - 1}::${type}, $${parameters.length}::uuid)`);
    }
    parameters.push(limit);
    const direction = descending ? 'DESC' : 'ASC';
    const rows = (await manager.query(
      `${SELECT.replace('SELECT', `SELECT (${key})::text AS sort_key,`)} WHERE ${conditions.join(' AND ')} ORDER BY ${key} ${direction}, d.id ${direction} LIMIT $${parameters.length}`,
      parameters,
    )) as Record<string, unknown>[];
    return rows.map((row) => ({ ...toDeal(row), sortKey: row['sort_key'] as string }));
  }

  async addStageChange(manager: EntityManager, dealId: string, fromStageId: string | null, toStageId: string, actorName: string): Promise<void> {
    await manager.query('INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, actor_name) VALUES ($1, $2, $3, $4)', [dealId, fromStageId, toStageId, actorName]);
  }

  async stageHistory(manager: EntityManager, dealId: string): Promise<StageChange[]> {
    const rows = (await manager.query(
      `SELECT h.from_stage_id, f.name AS from_name, h.to_stage_id, t.name AS to_name, h.changed_at, h.actor_name
       FROM deal_stage_history h LEFT JOIN pipeline_stages f ON f.id = h.from_stage_id LEFT JOIN pipeline_stages t ON t.id = h.to_stage_id
       WHERE h.deal_id = $1 ORDER BY h.changed_at, h.id`,
      [dealId],
    )) as { from_stage_id: string | null; from_name: string | null; to_stage_id: string | null; to_name: string | null; changed_at: Date; actor_name: string }[];
    return rows.map((row) => ({
      fromStageId: row.from_stage_id,
      fromStageName: row.from_name,
      toStageId: row.to_stage_id,
      toStageName: row.to_name,
      changedAt: row.changed_at,
      actorName: row.actor_name,
    }));
  }

  async contactIsLive(manager: EntityManager, contactId: string): Promise<boolean> {
    const rows = (await manager.query('SELECT 1 FROM contacts WHERE id = $1 AND deleted_at IS NULL', [contactId])) as unknown[];
    return rows.length > 0;
  }
}

function assignments(fields: DealFields): ColumnValues {
  const names = (Object.keys(fields) as (keyof DealFields)[]).filter((name): name is Exclude<keyof DealFields, 'closed'> => name !== 'closed' && fields[name] !== undefined);
  return { columns: names.map((name) => FIELD_COLUMNS[name]), values: names.map((name) => fields[name]) };
}

function toDeal(row: Record<string, unknown>): DealRow {
  return {
    id: row['id'] as string,
    name: row['name'] as string,
    pipelineId: row['pipeline_id'] as string,
    stageId: row['stage_id'] as string,
    stageName: row['stage_name'] as string,
    stageKind: row['stage_kind'] as StageKind,
    amount: row['amount'] as string,
    currency: row['currency'] as string,
    expectedCloseDate: row['expected_close_date'] as string | null,
    owner: row['owner'] as string | null,
    contactId: row['contact_id'] as string | null,
    companyId: row['company_id'] as string | null,
    closedAt: row['closed_at'] as Date | null,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    deletedAt: row['deleted_at'] as Date | null,
  };
}
