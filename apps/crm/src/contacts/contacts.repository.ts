import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { columnValues, insertRow, updateRow } from '../common/row-statements.js';
import type { ContactSort } from './dtos/contact.dto.js';

export interface ContactRow {
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly companyName: string | null;
  readonly owner: string | null;
  readonly lifecycleStage: string;
  readonly version: number;
  readonly enrichment: Record<string, unknown> | null;
  readonly enrichmentVersion: number;
  readonly enrichmentSyncedAt: Date | null;
  readonly cdpProfileId: string | null;
  /** `crm`: entered by the team (or imported); `cdp`: created by the sync bridge for a known customer (upsert mode). */
  readonly source: 'crm' | 'cdp';
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export type ContactFields = Partial<Pick<ContactRow, 'firstName' | 'lastName' | 'email' | 'phone' | 'companyName' | 'owner' | 'lifecycleStage'>>;

const COLUMNS = `id, first_name, last_name, email, phone, company_name, owner, lifecycle_stage, version, enrichment, enrichment_version,
  enrichment_synced_at, cdp_profile_id, source, created_at, updated_at, deleted_at`;
const FIELD_COLUMNS: Record<keyof ContactFields, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  companyName: 'company_name',
  owner: 'owner',
  lifecycleStage: 'lifecycle_stage',
};
/** Sort key (never null, so keyset pagination is exact) and direction of each sort. */
const SORTS: Record<ContactSort, { key: string; descending: boolean }> = {
  createdAt: { key: 'created_at', descending: false },
  '-createdAt': { key: 'created_at', descending: true },
  lastName: { key: "coalesce(last_name, '')", descending: false },
  '-ltv': { key: 'coalesce(ltv, -1)', descending: true },
  '-churnRisk': { key: 'coalesce(churn_risk, -1)', descending: true },
};

export interface ContactFilter {
  readonly q?: string | undefined;
  readonly email?: string | undefined;
  readonly owner?: string | undefined;
  readonly segment?: string | undefined;
  readonly ltvGte?: number | undefined;
  readonly churnRiskGte?: number | undefined;
}

/** Persistence of contacts; rules live in ContactsService. */
@Injectable()
export class ContactsRepository {
  async insert(manager: EntityManager, fields: ContactFields): Promise<ContactRow> {
    return toContact(await insertRow(manager, 'contacts', columnValues(fields, FIELD_COLUMNS), COLUMNS));
  }

  /** Applies the changed fields and bumps the version every change is numbered by. */
  async update(manager: EntityManager, id: string, fields: ContactFields): Promise<ContactRow> {
    return toContact((await updateRow(manager, 'contacts', id, columnValues(fields, FIELD_COLUMNS), COLUMNS, ['version = version + 1', 'updated_at = now()'])) as Record<string, unknown>);
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<ContactRow> {
    const rows = (await manager.query(`UPDATE contacts SET deleted_at = ${deleted ? 'now()' : 'NULL'}, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id])) as [
      Record<string, unknown>[],
      number,
    ];
    return toContact(rows[0][0] as Record<string, unknown>);
  }

  async find(manager: EntityManager, id: string, options: { includeDeleted?: boolean; lock?: boolean } = {}): Promise<ContactRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM contacts WHERE id = $1 ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'} ${options.lock ? 'FOR UPDATE' : ''}`, [id])) as Record<string, unknown>[];
    return rows[0] ? toContact(rows[0]) : null;
  }

  async findLiveByEmail(manager: EntityManager, email: string, lock = false): Promise<ContactRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM contacts WHERE email = $1 AND deleted_at IS NULL ${lock ? 'FOR UPDATE' : ''}`, [email])) as Record<string, unknown>[];
    return rows[0] ? toContact(rows[0]) : null;
  }

  async list(manager: EntityManager, filter: ContactFilter, sort: ContactSort, limit: number, after: { key: string; id: string } | null): Promise<(ContactRow & { sortKey: string })[]> {
    const { key, descending } = SORTS[sort];
    const conditions = ['deleted_at IS NULL'];
    const parameters: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (filter.q) add((p) => `search @@ plainto_tsquery('simple', ${p})`, filter.q);
    if (filter.email) add((p) => `email = ${p}`, filter.email.trim().toLowerCase());
    if (filter.owner) add((p) => `owner = ${p}`, filter.owner);
    if (filter.segment) add((p) => `segment_keys @> ARRAY[${p}]::text[]`, filter.segment);
    if (filter.ltvGte !== undefined) add((p) => `ltv >= ${p}`, filter.ltvGte);
    if (filter.churnRiskGte !== undefined) add((p) => `churn_risk >= ${p}`, filter.churnRiskGte);
    if (after) {
      parameters.push(after.key, after.id);
      const cast = key === 'created_at' ? 'timestamptz' : key.includes("''") ? 'text' : 'double precision';
      conditions.push(`(${key}, id) ${descending ? '<' : '>'} ($${parameters.length - 1}::${cast}, $${parameters.length}::uuid)`);
    }
    parameters.push(limit);
    const direction = descending ? 'DESC' : 'ASC';
    const rows = (await manager.query(
      `SELECT ${COLUMNS}, (${key})::text AS sort_key FROM contacts WHERE ${conditions.join(' AND ')} ORDER BY ${key} ${direction}, id ${direction} LIMIT $${parameters.length}`,
      parameters,
    )) as Record<string, unknown>[];
    // The sort key travels as Postgres's own text form: a JavaScript Date would drop the microseconds and repeat rows.
    return rows.map((row) => ({ ...toContact(row), sortKey: row['sort_key'] as string }));
  }

  async addTimeline(manager: EntityManager, contactId: string, kind: string, summaries: readonly string[], detail: unknown): Promise<void> {
    if (summaries.length === 0) return;
    await manager.query('INSERT INTO contact_timeline (contact_id, kind, summary, detail) SELECT $1, $2, unnest($3::text[]), $4', [contactId, kind, summaries, JSON.stringify(detail)]);
  }

  async timeline(manager: EntityManager, contactId: string, limit: number): Promise<{ kind: string; summary: string; occurredAt: Date }[]> {
    const rows = (await manager.query('SELECT kind, summary, occurred_at FROM contact_timeline WHERE contact_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2', [contactId, limit])) as {
      kind: string;
      summary: string;
      occurred_at: Date;
    }[];
    return rows.map((row) => ({ kind: row.kind, summary: row.summary, occurredAt: row.occurred_at }));
  }
}

function toContact(row: Record<string, unknown>): ContactRow {
  return {
    id: row['id'] as string,
    firstName: row['first_name'] as string | null,
    lastName: row['last_name'] as string | null,
    email: row['email'] as string | null,
    phone: row['phone'] as string | null,
    companyName: row['company_name'] as string | null,
    owner: row['owner'] as string | null,
    lifecycleStage: row['lifecycle_stage'] as string,
    version: Number(row['version']),
    enrichment: row['enrichment'] as Record<string, unknown> | null,
    enrichmentVersion: Number(row['enrichment_version']),
    enrichmentSyncedAt: row['enrichment_synced_at'] as Date | null,
    cdpProfileId: row['cdp_profile_id'] as string | null,
    source: row['source'] as 'crm' | 'cdp',
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    deletedAt: row['deleted_at'] as Date | null,
  };
}
