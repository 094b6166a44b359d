import { BadRequestException } from '@nestjs/common';
import type { PagePosition } from './pagination.js';

/**
 * What activities, tasks and tickets share: filters built as SQL, changed
 * fields of a PATCH, and the mapping of a missing linked contact to a 400.
 */

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
  after(column: string, cursor: PagePosition | null, descending: boolean): void {
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
