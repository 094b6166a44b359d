import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { columnValues, updateRow } from '../common/row-statements.js';
import type { UserFields, UserRole } from './user-fields.js';

export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deactivatedAt: Date | null;
}

export interface UserFilter {
  readonly q?: string | undefined;
  readonly role?: UserRole | undefined;
  readonly active?: boolean | undefined;
}

const COLUMNS = 'id, email, name, role, active, created_at, updated_at, deactivated_at';
const FIELD_COLUMNS: Record<keyof UserFields, string> = { email: 'email', name: 'name', role: 'role' };

/** Persistence of users; rules live in UsersService. */
@Injectable()
export class UsersRepository {
  async insert(manager: EntityManager, fields: Required<UserFields>): Promise<UserRow> {
    const rows = (await manager.query(`INSERT INTO users (email, name, role) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [fields.email, fields.name, fields.role])) as Record<string, unknown>[];
    return toUser(rows[0] as Record<string, unknown>);
  }

  async update(manager: EntityManager, id: string, fields: UserFields): Promise<UserRow> {
    return toUser((await updateRow(manager, 'users', id, columnValues(fields, FIELD_COLUMNS), COLUMNS)) as Record<string, unknown>);
  }

  async setActive(manager: EntityManager, id: string, active: boolean): Promise<UserRow> {
    const rows = (await manager.query(`UPDATE users SET active = $2, deactivated_at = ${active ? 'NULL' : 'now()'}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id, active])) as [
      Record<string, unknown>[],
      number,
    ];
    return toUser(rows[0][0] as Record<string, unknown>);
  }

  async find(manager: EntityManager, id: string, lock = false): Promise<UserRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM users WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as Record<string, unknown>[];
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** By name then id, so keyset pagination is exact. */
  async list(manager: EntityManager, filter: UserFilter, limit: number, after: { key: string; id: string } | null): Promise<UserRow[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (filter.q) add((p) => `(name ILIKE ${p} OR email ILIKE ${p})`, `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
    if (filter.role) add((p) => `role = ${p}`, filter.role);
    if (filter.active !== undefined) add((p) => `active = ${p}`, filter.active);
    if (after) {
      parameters.push(after.key, after.id);
      conditions.push(`(name, id) > ($${parameters.length - 1}::text, $${parameters.length}::uuid)`);
    }
    parameters.push(limit);
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM users ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY name, id LIMIT $${parameters.length}`, parameters)) as Record<
      string,
      unknown
    >[];
    return rows.map(toUser);
  }
}

function toUser(row: Record<string, unknown>): UserRow {
  return {
    id: row['id'] as string,
    email: row['email'] as string,
    name: row['name'] as string,
    role: row['role'] as UserRole,
    active: row['active'] as boolean,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    deactivatedAt: row['deactivated_at'] as Date | null,
  };
}
