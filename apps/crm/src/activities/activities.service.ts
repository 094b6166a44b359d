import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { ActivitiesRepository, type ActivityFields, type ActivityRow } from './activities.repository.js';
import { activityProblem } from './activity-rules.js';
import { writeAudit } from '../common/audit-log.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { changedFields, rethrowMissingContact } from '../common/records.js';
import type { CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dtos/activity.dto.js';

/** Calls, emails, meetings and notes, each about a contact, company or deal; soft delete with restore, every change audited. */
@Injectable()
export class ActivitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesRepository,
  ) {}

  async create(dto: CreateActivityDto, actor: Principal): Promise<ActivityRow> {
    const fields: ActivityFields = { ...activityFields(dto), owner: dto.owner ?? actor.name };
    check({ kind: dto.kind, durationMinutes: null, contactId: null, companyId: null, dealId: null, ...fields });
    return this.write(fields.contactId, async (manager) => {
      const activity = await this.activities.insert(manager, fields);
      await writeAudit(manager, actor, 'activity', activity.id, 'created', fields);
      return activity;
    });
  }

  async update(id: string, dto: UpdateActivityDto, actor: Principal): Promise<ActivityRow> {
    const fields = activityFields(dto);
    return this.write(fields.contactId, async (manager) => {
      const current = await this.activities.find(manager, id, { lock: true });
      if (!current) throw new NotFoundException(`no activity with id ${id}`);
      const changed = changedFields<ActivityFields>(current, fields);
      if (Object.keys(changed).length === 0) return current;
      check({ ...current, ...changed });
      const activity = await this.activities.update(manager, id, changed);
      await writeAudit(manager, actor, 'activity', id, 'updated', changed);
      return activity;
    });
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await this.write(undefined, async (manager) => {
      if (!(await this.activities.find(manager, id, { lock: true }))) throw new NotFoundException(`no activity with id ${id}`);
      await this.activities.setDeleted(manager, id, true);
      await writeAudit(manager, actor, 'activity', id, 'deleted', null);
    });
  }

  async restore(id: string, actor: Principal): Promise<ActivityRow> {
    return this.write(undefined, async (manager) => {
      const current = await this.activities.find(manager, id, { includeDeleted: true, lock: true });
      if (!current?.deletedAt) throw new NotFoundException(`no deleted activity with id ${id}`);
      const activity = await this.activities.setDeleted(manager, id, false);
      await writeAudit(manager, actor, 'activity', id, 'restored', null);
      return activity;
    });
  }

  async get(id: string): Promise<ActivityRow> {
    const activity = await this.activities.find(this.dataSource.manager, id);
    if (!activity) throw new NotFoundException(`no activity with id ${id}`);
    return activity;
  }

  async list(query: ListActivitiesQueryDto): Promise<Page<ActivityRow>> {
    return toPage(await this.activities.list(this.dataSource.manager, query, query.limit + 1, decodeCursor(query.cursor)), query.limit);
  }

  private async write<T>(contactId: string | null | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      return rethrowMissingContact(error, contactId);
    }
  }
}

function check(activity: Parameters<typeof activityProblem>[0]): void {
  const problem = activityProblem(activity);
  if (problem) throw new BadRequestException(problem);
}

function activityFields(dto: CreateActivityDto | UpdateActivityDto): ActivityFields {
  const fields: Record<string, unknown> = {};
  for (const name of ['kind', 'subject', 'body', 'durationMinutes', 'contactId', 'companyId', 'dealId', 'owner'] as const) {
    if (dto[name] !== undefined) fields[name] = dto[name];
  }
  if (dto.occurredAt !== undefined) fields['occurredAt'] = new Date(dto.occurredAt);
  return fields as ActivityFields;
}
