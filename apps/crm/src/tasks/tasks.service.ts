import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { changedFields, rethrowMissingContact } from '../common/records.js';
import type { CreateTaskDto, DueTodayQueryDto, ListTasksQueryDto, OverdueTasksQueryDto, RemindersQueryDto, UpdateTaskDto } from './dtos/task.dto.js';
import { calendarDayIn, isOverdue, isValidTimeZone } from './task-schedule.js';
import { TasksRepository, type TaskFields, type TaskListing, type TaskRow } from './tasks.repository.js';

export type TaskView = TaskRow & { readonly overdue: boolean };

/** To-dos with due dates and reminders, optionally about a contact, company or deal; soft delete with restore, every change audited. */
@Injectable()
export class TasksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TasksRepository,
  ) {}

  async create(dto: CreateTaskDto, actor: Principal): Promise<TaskView> {
    const fields: TaskFields = { ...taskFields(dto), owner: dto.owner ?? actor.name };
    checkReminder(fields.remindAt ?? null, fields.dueAt ?? null);
    return this.write(fields.contactId, async (manager) => {
      const task = await this.tasks.insert(manager, fields);
      await writeAudit(manager, actor, 'task', task.id, 'created', fields);
      return task;
    });
  }

  async update(id: string, dto: UpdateTaskDto, actor: Principal): Promise<TaskView> {
    const fields = taskFields(dto);
    return this.write(fields.contactId, async (manager) => {
      const current = await this.find(manager, id);
      const changed = changedFields<TaskFields>(current, fields);
      if (Object.keys(changed).length === 0) return current;
      checkReminder(changed.remindAt === undefined ? current.remindAt : changed.remindAt, changed.dueAt === undefined ? current.dueAt : changed.dueAt);
      // A moved reminder is a new one: it fires again.
      const task = await this.tasks.update(manager, id, changed.remindAt === undefined ? changed : { ...changed, remindedAt: null });
      await writeAudit(manager, actor, 'task', id, 'updated', changed);
      return task;
    });
  }

  async complete(id: string, actor: Principal): Promise<TaskView> {
    return this.write(undefined, async (manager) => {
      const current = await this.find(manager, id);
      if (current.completedAt) return current;
      const task = await this.tasks.update(manager, id, { completedAt: new Date() });
      await writeAudit(manager, actor, 'task', id, 'completed', null);
      return task;
    });
  }

  async reopen(id: string, actor: Principal): Promise<TaskView> {
    return this.write(undefined, async (manager) => {
      const current = await this.find(manager, id);
      if (!current.completedAt) return current;
      const task = await this.tasks.update(manager, id, { completedAt: null });
      await writeAudit(manager, actor, 'task', id, 'reopened', null);
      return task;
    });
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await retryingTransaction(this.dataSource, async (manager) => {
      await this.find(manager, id);
      await this.tasks.setDeleted(manager, id, true);
      await writeAudit(manager, actor, 'task', id, 'deleted', null);
    });
  }

  async restore(id: string, actor: Principal): Promise<TaskView> {
    return this.write(undefined, async (manager) => {
      const current = await this.tasks.find(manager, id, { includeDeleted: true, lock: true });
      if (!current?.deletedAt) throw new NotFoundException(`no deleted task with id ${id}`);
      const task = await this.tasks.setDeleted(manager, id, false);
      await writeAudit(manager, actor, 'task', id, 'restored', null);
      return task;
    });
  }

  async get(id: string): Promise<TaskView> {
    const task = await this.tasks.find(this.dataSource.manager, id);
    if (!task) throw new NotFoundException(`no task with id ${id}`);
    return view(task, new Date());
  }

  list(query: ListTasksQueryDto): Promise<Page<TaskView>> {
    const { contactId, companyId, dealId, owner } = query;
    return this.page({ contactId, companyId, dealId, owner, completed: query.completed === undefined ? undefined : query.completed === 'true', order: 'newest' }, query);
  }

  /** Open tasks due before now, soonest first. */
  overdue(query: OverdueTasksQueryDto, now = new Date()): Promise<Page<TaskView>> {
    return this.page({ owner: query.owner, completed: false, dueBefore: now, order: 'due' }, query, now);
  }

  /** Open tasks due on the owner's current calendar day in their time zone, overdue ones of today included. */
  dueToday(query: DueTodayQueryDto, now = new Date()): Promise<Page<TaskView>> {
    if (!isValidTimeZone(query.timezone)) throw new BadRequestException(`timezone must be an IANA time zone such as Europe/Berlin; ${query.timezone} is not one`);
    const day = calendarDayIn(query.timezone, now);
    return this.page({ owner: query.owner, completed: false, dueFrom: day.start, dueBefore: day.end, order: 'due' }, query, now);
  }

  /** Open tasks whose reminder time has come and that have not been reminded yet. */
  reminders(query: RemindersQueryDto): Promise<Page<TaskView>> {
    return this.page({ completed: false, reminderDueBy: query.before === undefined ? new Date() : new Date(query.before), order: 'reminder' }, query);
  }

  /** Marks up to `limit` due reminders sent and puts each on its contact's timeline; returns how many were sent. */
  async sendDueReminders(limit: number, now = new Date()): Promise<number> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const due = await this.tasks.claimDueReminders(manager, now, limit);
      for (const task of due) if (task.contactId) await this.tasks.addReminderToTimeline(manager, { ...task, contactId: task.contactId });
      return due.length;
    });
  }

  private async page(listing: TaskListing, query: { limit: number; cursor?: string | undefined }, now = new Date()): Promise<Page<TaskView>> {
    const page = toPage(await this.tasks.list(this.dataSource.manager, listing, query.limit + 1, decodeCursor(query.cursor)), query.limit);
    return { ...page, data: page.data.map((task) => view(task, now)) };
  }

  /** The live task, locked for the change about to be made. */
  private async find(manager: EntityManager, id: string): Promise<TaskRow> {
    const task = await this.tasks.find(manager, id, { lock: true });
    if (!task) throw new NotFoundException(`no task with id ${id}`);
    return task;
  }

  private async write(contactId: string | null | undefined, work: (manager: EntityManager) => Promise<TaskRow>): Promise<TaskView> {
    try {
      return view(await retryingTransaction(this.dataSource, work), new Date());
    } catch (error) {
      return rethrowMissingContact(error, contactId);
    }
  }
}

function view(task: TaskRow, now: Date): TaskView {
  return { ...task, overdue: isOverdue(task, now) };
}

function checkReminder(remindAt: Date | null, dueAt: Date | null): void {
  if (remindAt && dueAt && remindAt.getTime() > dueAt.getTime()) throw new BadRequestException('remindAt must be at or before dueAt');
}

function taskFields(dto: CreateTaskDto | UpdateTaskDto): TaskFields {
  const fields: Record<string, unknown> = {};
  for (const name of ['title', 'notes', 'owner', 'priority', 'contactId', 'companyId', 'dealId'] as const) {
    if (dto[name] !== undefined) fields[name] = dto[name];
  }
  for (const name of ['dueAt', 'remindAt'] as const) {
    const value = dto[name];
    if (value !== undefined) fields[name] = value === null ? null : new Date(value);
  }
  return fields as TaskFields;
}
