import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { writeAudit } from '../common/audit-log.js';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import type { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './dtos/user.dto.js';
import { changedUserFields, normalizeUserFields, type UserFields } from './user-fields.js';
import { UsersRepository, type UserRow } from './users.repository.js';

export type UserPage = Page<UserRow>;

/**
 * Users: the people records are owned by. One user per normalised email;
 * deactivated rather than deleted, so what they owned keeps a named owner.
 * Every change is audited in the transaction of the change.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
  ) {}

  async create(dto: CreateUserDto, actor: Principal): Promise<UserRow> {
    const fields = normalizeUserFields(dto) as Required<UserFields>;
    return this.write(async (manager) => {
      const user = await this.users.insert(manager, fields);
      await writeAudit(manager, actor, 'user', user.id, 'created', fields);
      return user;
    });
  }

  async update(id: string, dto: UpdateUserDto, actor: Principal): Promise<UserRow> {
    return this.write(async (manager) => {
      const current = await this.users.find(manager, id, true);
      if (!current) throw new NotFoundException(`no user with id ${id}`);
      const changed = changedUserFields(current, dto);
      if (Object.keys(changed).length === 0) return current;
      const user = await this.users.update(manager, id, changed);
      await writeAudit(manager, actor, 'user', id, 'updated', changed);
      return user;
    });
  }

  async deactivate(id: string, actor: Principal): Promise<void> {
    await this.write(async (manager) => {
      if (!(await this.users.find(manager, id, true))?.active) throw new NotFoundException(`no active user with id ${id}`);
      await this.users.setActive(manager, id, false);
      await writeAudit(manager, actor, 'user', id, 'deactivated', null);
    });
  }

  async reactivate(id: string, actor: Principal): Promise<UserRow> {
    return this.write(async (manager) => {
      const current = await this.users.find(manager, id, true);
      if (!current || current.active) throw new NotFoundException(`no deactivated user with id ${id}`);
      const user = await this.users.setActive(manager, id, true);
      await writeAudit(manager, actor, 'user', id, 'reactivated', null);
      return user;
    });
  }

  async get(id: string): Promise<UserRow> {
    const user = await this.users.find(this.dataSource.manager, id);
    if (!user) throw new NotFoundException(`no user with id ${id}`);
    return user;
  }

  async list(query: ListUsersQueryDto): Promise<UserPage> {
    const rows = await this.users.list(this.dataSource.manager, query, query.limit + 1, decodeCursor(query.cursor));
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > query.limit && last ? encodeCursor({ key: last.name, id: last.id }) : null };
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ConflictException('a user with this email already exists', { cause: error });
      throw error;
    }
  }
}
