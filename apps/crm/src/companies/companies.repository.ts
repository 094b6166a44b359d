import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertRow, updateRow, type ColumnValues } from '../common/row-statements.js';
import type { CompanySort } from './dtos/company.dto.js';

export interface CompanyRow {
  readonly id: string;
  readonly name: string;
  readonly domain: string | null;
  readonly industry: string | null;
  readonly size: string | null;
  readonly owner: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export type CompanyFields = Partial<Pick<CompanyRow, 'name' | 'domain' | 'industry' | 'size' | 'owner'>>;

export interface CompanyContact {
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
}

const COLUMNS = 'id, name, domain, industry, size, owner, created_at, updated_at, deleted_at';
const FIELD_NAMES = ['name', 'domain', 'industry', 'size', 'owner'] as const satisfies readonly (keyof CompanyFields)[];
/** Sort key (never null, so keyset pagination is exact) and direction of each sort. */
const SORTS: Record<CompanySort, { key: string; descending: boolean }> = {
  createdAt: { key: 'created_at', descending: false },
  '-createdAt': { key: 'created_at', descending: true },
  name: { key: 'lower(name)', descending: false },
  '-name': { key: 'lower(name)', descending: true },
};

export interface CompanyFilter {
  readonly q?: string | undefined;
  readonly owner?: string | undefined;
  readonly industry?: string | undefined;
}

/** Persistence of companies; rules live in CompaniesService. */
@Injectable()
export class CompaniesRepository {
  async insert(manager: EntityManager, fields: CompanyFields): Promise<CompanyRow> {
    return toCompany(await insertRow(manager, 'companies', namedColumns(fields), COLUMNS));
  }

  /** Many companies in one statement (CSV import): the same columns for every row, nulls where a row has none. */
  async insertMany(manager: EntityManager, companies: readonly CompanyFields[]): Promise<CompanyRow[]> {
    const columns = FIELD_NAMES.join(', ');
    const rows = (await manager.query(
      `INSERT INTO companies (${columns}) SELECT * FROM unnest(${FIELD_NAMES.map((_, index) => `$${index + 1}::text[]`).join(', ')}) AS imported (${columns}) RETURNING ${COLUMNS}`,
      FIELD_NAMES.map((name) => companies.map((company) => company[name] ?? null)),
    )) as Record<string, unknown>[];
    return rows.map(toCompany);
  }

  async update(manager: EntityManager, id: string, fields: CompanyFields): Promise<CompanyRow> {
    return toCompany((await updateRow(manager, 'companies', id, namedColumns(fields), COLUMNS)) as Record<string, unknown>);
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<CompanyRow> {
    const rows = (await manager.query(`UPDATE companies SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id])) as [Record<string, unknown>[], number];
    return toCompany(rows[0][0] as Record<string, unknown>);
  }

  async find(manager: EntityManager, id: string, options: { includeDeleted?: boolean; lock?: boolean } = {}): Promise<CompanyRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM companies WHERE id = $1 ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'} ${options.lock ? 'FOR UPDATE' : ''}`, [id])) as Record<string, unknown>[];
    return rows[0] ? toCompany(rows[0]) : null;
  }

  /** Live companies holding any of these (normalised) domains, by domain. */
  async liveIdsByDomain(manager: EntityManager, domains: readonly string[]): Promise<Map<string, string>> {
    if (domains.length === 0) return new Map();
    const rows = (await manager.query('SELECT id, domain FROM companies WHERE domain = ANY($1::text[]) AND deleted_at IS NULL', [domains])) as { id: string; domain: string }[];
    return new Map(rows.map((row) => [row.domain, row.id]));
  }

  async contactsOf(manager: EntityManager, companyId: string, limit: number): Promise<CompanyContact[]> {
    const rows = (await manager.query(
      'SELECT id, first_name, last_name, email, phone FROM contacts WHERE company_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT $2',
      [companyId, limit],
    )) as Record<string, string | null>[];
    return rows.map((row) => ({ id: row['id'] as string, firstName: row['first_name'] ?? null, lastName: row['last_name'] ?? null, email: row['email'] ?? null, phone: row['phone'] ?? null }));
  }

  async list(manager: EntityManager, filter: CompanyFilter, sort: CompanySort, limit: number, after: { key: string; id: string } | null): Promise<(CompanyRow & { sortKey: string })[]> {
    const { key, descending } = SORTS[sort];
    const conditions = ['deleted_at IS NULL'];
    const parameters: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (filter.q) add((p) => `search @@ plainto_tsquery('simple', ${p})`, filter.q);
    if (filter.owner) add((p) => `owner = ${p}`, filter.owner);
    if (filter.industry) add((p) => `lower(industry) = lower(${p})`, filter.industry);
    if (after) {
      parameters.push(after.key, after.id);
      conditions.push(`(${key}, id) ${descending ? '<' : '>'} ($${parameters.length - 1}::${key === 'created_at' ? 'timestamptz' : 'text'}, $${parameters.length}::uuid)`);
    }
    parameters.push(limit);
    const direction = descending ? 'DESC' : 'ASC';
    const rows = (await manager.query(
      `SELECT ${COLUMNS}, (${key})::text AS sort_key FROM companies WHERE ${conditions.join(' AND ')} ORDER BY ${key} ${direction}, id ${direction} LIMIT $${parameters.length}`,
      parameters,
    )) as Record<string, unknown>[];
    // The sort key travels as Postgres's own text form: a JavaScript Date would drop the microseconds and repeat rows.
    return rows.map((row) => ({ ...toCompany(row), sortKey: row['sort_key'] as string }));
  }
}

/** The fields set (column names are the field names). */
function namedColumns(fields: CompanyFields): ColumnValues {
  const names = FIELD_NAMES.filter((name) => fields[name] !== undefined);
  return { columns: names, values: names.map((name) => fields[name]) };
}

function toCompany(row: Record<string, unknown>): CompanyRow {
  return {
    id: row['id'] as string,
    name: row['name'] as string,
    domain: row['domain'] as string | null,
    industry: row['industry'] as string | null,
    size: row['size'] as string | null,
    owner: row['owner'] as string | null,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    deletedAt: row['deleted_at'] as Date | null,
  };
}
