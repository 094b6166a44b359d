import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { columnValues, insertRow, updateRow } from '../common/row-statements.js';
import type { PagePosition } from '../common/pagination.js';
import { SqlConditions } from '../common/records.js';
import type { TaskPriority } from './dtos/task.dto.js';

export interface TaskRow {
  readonly id: string;
  readonly title: string;
  readonly notes: string | null;
  readonly dueAt: Date | null;
  readonly remindAt: Date | null;
  readonly remindedAt: Date | null;
  readonly owner: string;
  readonly priority: TaskPriority;
  readonly contactId: string | null;
  readonly companyId: string | null;
  readonly dealId: string | null;
  readonly completedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export type TaskFields = Partial<Pick<TaskRow, 'title' | 'notes' | 'dueAt' | 'remindAt' | 'remindedAt' | 'owner' | 'priority' | 'contactId' | 'companyId' | 'dealId' | 'completedAt'>>;

/** Which tasks a listing shows, and in which order (newest first, or soonest due first). */
export interface TaskListing {
  readonly contactId?: string | undefined;
  readonly companyId?: string | undefined;
  readonly dealId?: string | undefined;
  readonly owner?: string | undefined;
  readonly completed?: boolean | undefined;
  readonly dueFrom?: Date | undefined;
  readonly dueBefore?: Date | undefined;
  readonly reminderDueBy?: Date | undefined;
  readonly order: 'newest' | 'due' | 'reminder';
}

const COLUMNS = 'id, title, notes, due_at, remind_at, reminded_at, owner, priority, contact_id, company_id, deal_id, completed_at, created_at, updated_at, deleted_at';
const FIELD_COLUMNS: Record<keyof TaskFields, string> = {
  title: 'title',
  notes: 'notes',
  dueAt: 'due_at',
  remindAt: 'remind_at',
  remindedAt: 'reminded_at',
  owner: 'owner',
  priority: 'priority',
  contactId: 'contact_id',
  companyId: 'company_id',
  dealId: 'deal_id',
  completedAt: 'completed_at',
};
const ORDERS: Record<TaskListing['order'], { key: string; descending: boolean }> = {
  newest: { key: 'created_at', descending: true },
  due: { key: 'due_at', descending: false },
  reminder: { key: 'remind_at', descending: false },
};

/** Persistence of tasks; rules live in TasksService. */
@Injectable()
export class TasksRepository {
  async insert(manager: EntityManager, fields: TaskFields): Promise<TaskRow> {
    return toTask(await insertRow(manager, 'tasks', columnValues(fields, FIELD_COLUMNS), COLUMNS));
  }

  async update(manager: EntityManager, id: string, fields: TaskFields): Promise<TaskRow> {
    return toTask((await updateRow(manager, 'tasks', id, columnValues(fields, FIELD_COLUMNS), COLUMNS)) as Record<string, unknown>);
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<TaskRow> {
    const rows = (await manager.query(`UPDATE tasks SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id])) as [
      Record<string, unknown>[],
      number,
    ];
    return toTask(rows[0][0] as Record<string, unknown>);
  }

  async find(manager: EntityManager, id: string, options: { includeDeleted?: boolean; lock?: boolean } = {}): Promise<TaskRow | null> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM tasks WHERE id = $1 ${options.includeDeleted ? '' : 'AND deleted_at IS NULL'} ${options.lock ? 'FOR UPDATE' : ''}`, [
      id,
    ])) as Record<string, unknown>[];
    return rows[0] ? toTask(rows[0]) : null;
  }

  async list(manager: EntityManager, listing: TaskListing, limit: number, after: PagePosition | null): Promise<(TaskRow & { sortKey: string })[]> {
    const sql = new SqlConditions('deleted_at IS NULL');
    if (listing.contactId) sql.add((p) => `contact_id = ${p}`, listing.contactId);
    if (listing.companyId) sql.add((p) => `company_id = ${p}`, listing.companyId);
    if (listing.dealId) sql.add((p) => `deal_id = ${p}`, listing.dealId);
    if (listing.owner) sql.add((p) => `owner = ${p}`, listing.owner);
    if (listing.completed !== undefined) sql.conditions.push(`completed_at IS ${listing.completed ? 'NOT NULL' : 'NULL'}`);
    if (listing.dueFrom) sql.add((p) => `due_at >= ${p}`, listing.dueFrom);
    if (listing.dueBefore) sql.add((p) => `due_at < ${p}`, listing.dueBefore);
    if (listing.reminderDueBy) sql.add((p) => `remind_at <= ${p} AND reminded_at IS NULL`, listing.reminderDueBy);
    const { key, descending } = ORDERS[listing.order];
    // The due and reminder orders only list tasks that have the instant they sort by, so the keyset never meets a null.
    if (listing.order !== 'newest') sql.conditions.push(`${key} IS NOT NULL`);
    sql.after(key, after, descending);
    const direction = descending ? 'DESC' : 'ASC';
    const rows = (await manager.query(
      `SELECT ${COLUMNS}, ${key}::text AS sort_key FROM tasks WHERE ${sql.where} ORDER BY ${key} ${direction}, id ${direction} LIMIT ${sql.push(limit)}`,
      sql.parameters,
    )) as Record<string, unknown>[];
    return rows.map((row) => ({ ...toTask(row), sortKey: row['sort_key'] as string }));
  }

  /**
   * Claims reminders due by `now` (skipping rows another instance holds) and marks them sent,
   * all in the caller's transaction.
   */
  async claimDueReminders(manager: EntityManager, now: Date, limit: number): Promise<TaskRow[]> {
    const rows = (await manager.query(
      `UPDATE tasks SET reminded_at = $1 WHERE id IN (
         SELECT id FROM tasks WHERE remind_at <= $1 AND reminded_at IS NULL AND completed_at IS NULL AND deleted_at IS NULL
         ORDER BY remind_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [now, limit],
    )) as [Record<string, unknown>[], number];
    return rows[0].map(toTask);
  }

  async addReminderToTimeline(manager: EntityManager, task: TaskRow & { contactId: string }): Promise<void> {
    const due = task.dueAt ? ` (due ${task.dueAt.toISOString()})` : '';
    await manager.query("INSERT INTO contact_timeline (contact_id, kind, summary, detail) VALUES ($1, 'reminder', $2, $3)", [
      task.contactId,
      `Reminder for ${task.owner}: ${task.title}${due}`,
      JSON.stringify({ taskId: task.id, owner: task.owner, dueAt: task.dueAt, remindAt: task.remindAt }),
    ]);
  }
}

function toTask(row: Record<string, unknown>): TaskRow {
  return {
    id: row['id'] as string,
    title: row['title'] as string,
    notes: row['notes'] as string | null,
    dueAt: row['due_at'] as Date | null,
    remindAt: row['remind_at'] as Date | null,
    remindedAt: row['reminded_at'] as Date | null,
    owner: row['owner'] as string,
    priority: row['priority'] as TaskPriority,
    contactId: row['contact_id'] as string | null,
    companyId: row['company_id'] as string | null,
    dealId: row['deal_id'] as string | null,
    completedAt: row['completed_at'] as Date | null,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    deletedAt: row['deleted_at'] as Date | null,
  };
}
