import type { EntityManager } from 'typeorm';

/** What one write sets: columns and their values, in the same order. */
export interface ColumnValues {
  readonly columns: readonly string[];
  readonly values: readonly unknown[];
}

/** The fields a write names (every own key, as the service built them), through the repository's field → column map. */
export function columnValues<F extends object>(fields: F, columnOf: Readonly<Record<keyof F, string>>): ColumnValues {
  const names = Object.keys(fields) as (keyof F)[];
  return { columns: names.map((name) => columnOf[name]), values: names.map((name) => fields[name]) };
}

/** `INSERT INTO table (…) VALUES ($1, …)`, plus `extra` columns set to SQL expressions; the new row's `returning` columns. */
export async function insertRow(manager: EntityManager, table: string, set: ColumnValues, returning: string, extra: Readonly<Record<string, string>> = {}): Promise<Record<string, unknown>> {
  const columns = [...set.columns, ...Object.keys(extra)];
  const placeholders = [...set.values.map((_, index) => `$${index + 1}`), ...Object.values(extra)];
  const rows = (await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${returning}`, [...set.values])) as Record<string, unknown>[];
  return rows[0] as Record<string, unknown>;
}

/**
 * `UPDATE table SET column = $2, …, <also> WHERE id = $1`; the row's `returning` columns
 * (undefined when no row has that id). `also` holds SQL assignments such as `updated_at = now()`.
 */
export async function updateRow(manager: EntityManager, table: string, id: string, set: ColumnValues, returning: string, also: readonly string[] = ['updated_at = now()']): Promise<Record<string, unknown> | undefined> {
  const assignments = [...set.columns.map((column, index) => `${column} = $${index + 2}`), ...also];
  const [rows] = (await manager.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE id = $1 RETURNING ${returning}`, [id, ...set.values])) as [Record<string, unknown>[], number];
  return rows[0];
}
