import { BadRequestException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/api-keys.service.js';

/**
 * What activities, tasks and tickets share: keyset cursors, filters built as
 * SQL, audit entries and the mapping of a missing linked contact to a 400.
 */

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

export interface Cursor {
  readonly key: string;
  readonly id: string;
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { key?: unknown; id?: unknown };
    if (typeof parsed.key === 'string' && typeof parsed.id === 'string' && UUID.test(parsed.id)) return { key: parsed.key, id: parsed.id };
  } catch {
    // fall through to the error below
  }
  throw new BadRequestException('cursor is not one this API handed out');
}

/** Rows fetched with one extra (limit + 1) become a page, and its cursor when more follow. */
export function toPage<T extends { readonly id: string }>(rows: readonly (T & { sortKey: string })[], limit: number): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(({ sortKey: _sortKey, ...row }) => row as unknown as T),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify({ key: last.sortKey, id: last.id })).toString('base64url') : null,
  };
}

/** WHERE conditions with their numbered parameters. */
export class SqlConditions {
  readonly conditions: string[];
  readonly parameters: unknown[] = [];

  constructor(...fixed: string[]) {
    this.conditions = [...fixed];
  }

  add(sql: (placeholder: string) => string, value: unknown): void {
    this.parameters.push(value);
    this.conditions.push(sql(`$${this.parameters.length}`));
  }

  /** Keyset condition on a timestamptz sort key (the cursor carries it as Postgres text, microseconds included). */
  after(column: string, cursor: Cursor | null, descending: boolean): void {
    if (!cursor) return;
    this.parameters.push(cursor.key, cursor.id);
    const count = this.parameters.length;
    this.conditions.push(`(${column}, id) ${descending ? '<' : '>'} ($${count - 1}::timestamptz, $${count}::uuid)`);
  }

  /** The parameter placeholder of a last value (such as LIMIT). */
  push(value: unknown): string {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  }

  get where(): string {
    return this.conditions.length === 0 ? 'TRUE' : this.conditions.join(' AND ');
  }
}

export async function insertAudit(manager: EntityManager, actor: Principal, entity: string, entityId: string, action: string, changes: unknown): Promise<void> {
  await manager.query('INSERT INTO audit_log (actor_key_id, actor_name, entity, entity_id, action, changes) VALUES ($1, $2, $3, $4, $5, $6)', [
    actor.keyId,
    actor.name,
    entity,
    entityId,
    action,
    JSON.stringify(changes),
  ]);
}

/** A contactId that names no contact breaks the foreign key: that is the caller's mistake, not a server error. */
export function rethrowMissingContact(error: unknown, contactId: string | null | undefined): never {
  const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
  if (code === '23503') throw new BadRequestException(`contactId ${contactId ?? ''} names no contact`, { cause: error });
  throw error;
}

/** Only the fields a PATCH actually changes, compared with the stored row. */
export function changedFields<T extends object>(current: T, requested: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(requested).filter(([name, value]) => value !== undefined && !sameValue(current[name as keyof T], value))) as Partial<T>;
}

function sameValue(stored: unknown, requested: unknown): boolean {
  if (stored instanceof Date && requested instanceof Date) return stored.getTime() === requested.getTime();
  return stored === requested;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
