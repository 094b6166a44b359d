import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { CompaniesRepository, type CompanyContact, type CompanyFields, type CompanyRow } from './companies.repository.js';
import type { CreateCompanyDto, ListCompaniesQueryDto, UpdateCompanyDto } from './dtos/company.dto.js';
import { auditTrail, writeAudit } from '../common/audit-log.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';

const CONTACTS_SHOWN = 200;

/** Companies: one live company per normalised domain, soft delete with restore, every change audited. */
@Injectable()
export class CompaniesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly companies: CompaniesRepository,
  ) {}

  async create(dto: CreateCompanyDto, actor: Principal): Promise<CompanyRow> {
    const fields = companyFields(dto);
    return this.write(async (manager) => {
      const company = await this.companies.insert(manager, fields);
      await this.audit(manager, actor, company.id, 'created', fields);
      return company;
    });
  }

  async update(id: string, dto: UpdateCompanyDto, actor: Principal): Promise<CompanyRow> {
    const fields = companyFields(dto);
    return this.write(async (manager) => {
      const current = await this.companies.find(manager, id, { lock: true });
      if (!current) throw new NotFoundException(`no company with id ${id}`);
      const changed = Object.fromEntries(Object.entries(fields).filter(([name, value]) => current[name as keyof CompanyFields] !== value)) as CompanyFields;
      if (Object.keys(changed).length === 0) return current;
      const company = await this.companies.update(manager, id, changed);
      await this.audit(manager, actor, id, 'updated', changed);
      return company;
    });
  }

  async remove(id: string, actor: Principal): Promise<void> {
    await this.write(async (manager) => {
      if (!(await this.companies.find(manager, id, { lock: true }))) throw new NotFoundException(`no company with id ${id}`);
      await this.companies.setDeleted(manager, id, true);
      await this.audit(manager, actor, id, 'deleted', null);
    });
  }

  async restore(id: string, actor: Principal): Promise<CompanyRow> {
    return this.write(async (manager) => {
      const current = await this.companies.find(manager, id, { includeDeleted: true, lock: true });
      if (!current?.deletedAt) throw new NotFoundException(`no deleted company with id ${id}`);
      const company = await this.companies.setDeleted(manager, id, false);
      await this.audit(manager, actor, id, 'restored', null);
      return company;
    });
  }

  async get(id: string): Promise<CompanyRow & { contacts: CompanyContact[] }> {
    const company = await this.companies.find(this.dataSource.manager, id);
    if (!company) throw new NotFoundException(`no company with id ${id}`);
    return { ...company, contacts: await this.companies.contactsOf(this.dataSource.manager, id, CONTACTS_SHOWN) };
  }

  async auditTrail(id: string): ReturnType<typeof auditTrail> {
    if (!(await this.companies.find(this.dataSource.manager, id, { includeDeleted: true }))) throw new NotFoundException(`no company with id ${id}`);
    return auditTrail(this.dataSource.manager, 'company', id);
  }

  async list(query: ListCompaniesQueryDto): Promise<Page<CompanyRow>> {
    const rows = await this.companies.list(this.dataSource.manager, query, query.sort, query.limit + 1, decodeCursor(query.cursor));
    return toPage(rows, query.limit);
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ConflictException('a live company with this domain already exists', { cause: error });
      throw error;
    }
  }

  private async audit(manager: EntityManager, actor: Principal, companyId: string, action: string, changes: unknown): Promise<void> {
    await writeAudit(manager, actor, 'company', companyId, action, changes);
  }
}

function companyFields(dto: CreateCompanyDto | UpdateCompanyDto): CompanyFields {
  const fields: Record<string, unknown> = {};
  for (const name of ['name', 'domain', 'industry', 'size', 'owner'] as const) if (dto[name] !== undefined) fields[name] = dto[name];
  return fields as CompanyFields;
}
