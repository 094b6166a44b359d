import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { contactChangedV1 } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import type { Principal } from '../auth/api-keys.service.js';
import { CompaniesRepository, type CompanyFields } from '../companies/companies.repository.js';
import { CsvFormatError, parseCsv, toCsv, type RowError } from './csv-format.js';
import { CsvRepository, type ContactInsert } from './csv.repository.js';
import { checkCompanyRows, checkContactRows, COMPANY_COLUMNS, CONTACT_COLUMNS, type RowsCheck } from './import-rows.js';
import { contactChange } from '../contacts/contact-change.js';

export const MAX_IMPORT_ROWS = 10_000;

export interface ImportResult {
  readonly created: number;
}

/**
 * CSV import and export of contacts and companies. An import is all or nothing: every row is checked (as the API
 * checks one record, plus repeats within the file and clashes with live records), and one bad row means nothing is
 * written and every bad row is reported. Imported contacts are audited and published like API-created ones.
 */
@Injectable()
export class CsvService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly csv: CsvRepository,
    private readonly companies: CompaniesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async importContacts(text: string, actor: Principal): Promise<ImportResult> {
    const rows = checked(() => checkContactRows(parseCsv(text, MAX_IMPORT_ROWS)));
    return this.write('contact', async (manager) => {
      const emails = rows.map(({ value }) => value.email as string);
      const taken = await this.csv.liveContactEmails(manager, emails);
      const companyIds = await this.companies.liveIdsByDomain(manager, [...new Set(rows.flatMap(({ value }) => (value.companyDomain ? [value.companyDomain] : [])))]);
      const errors: RowError[] = [];
      const inserts: ContactInsert[] = [];
      for (const { row, value } of rows) {
        const { companyDomain, ...fields } = value;
        const companyId = companyDomain === undefined ? undefined : companyIds.get(companyDomain);
        if (taken.has(value.email as string)) errors.push({ row, column: 'email', message: `a live contact with email ${value.email} already exists` });
        if (companyDomain !== undefined && companyId === undefined) errors.push({ row, column: 'companyDomain', message: `no live company has the domain ${companyDomain}` });
        inserts.push({ ...fields, companyId });
      }
      refuseIfAny(errors);
      const contacts = await this.csv.insertContacts(manager, inserts);
      await this.csv.auditMany(manager, actor, 'contact', 'imported', contacts.map((contact, index) => ({ entityId: contact.id, changes: inserts[index] })));
      await this.outbox.enqueue(manager, contactChangedV1, contacts.map((contact) => contactChange(contact, 'created')));
      return { created: contacts.length };
    });
  }

  async importCompanies(text: string, actor: Principal): Promise<ImportResult> {
    const rows = checked(() => checkCompanyRows(parseCsv(text, MAX_IMPORT_ROWS)));
    return this.write('company', async (manager) => {
      const taken = await this.csv.liveCompanyDomains(manager, rows.flatMap(({ value }) => (value.domain ? [value.domain] : [])));
      refuseIfAny(rows.flatMap(({ row, value }) => (value.domain && taken.has(value.domain) ? [{ row, column: 'domain', message: `a live company with domain ${value.domain} already exists` }] : [])));
      const fields: CompanyFields[] = rows.map(({ value }) => ({ name: value.name, domain: value.domain, industry: value.industry, size: value.size, owner: value.owner }));
      const companies = await this.companies.insertMany(manager, fields);
      await this.csv.auditMany(manager, actor, 'company', 'imported', companies.map((company, index) => ({ entityId: company.id, changes: fields[index] })));
      return { created: companies.length };
    });
  }

  async exportContacts(): Promise<string> {
    const rows = await this.csv.exportContacts(this.dataSource.manager);
    return toCsv(CONTACT_COLUMNS, rows.map((row) => CONTACT_COLUMNS.map((column) => row[column])));
  }

  async exportCompanies(): Promise<string> {
    const rows = await this.csv.exportCompanies(this.dataSource.manager);
    return toCsv(COMPANY_COLUMNS, rows.map((row) => COMPANY_COLUMNS.map((column) => row[column])));
  }

  private async write(entity: string, work: (manager: EntityManager) => Promise<ImportResult>): Promise<ImportResult> {
    try {
      return await retryingTransaction(this.dataSource, work);
    } catch (error) {
      // Another writer took an email or domain between the check and the insert.
      if ((error as { code?: string }).code === '23505') throw new ConflictException(`a ${entity} in the file was created by someone else meanwhile; nothing was written, try again`, { cause: error });
      throw error;
    }
  }
}

/** The valid rows, or the 400 listing every problem (the file's own, or its rows'). */
function checked<T>(check: () => RowsCheck<T>): RowsCheck<T>['valid'] {
  let result: RowsCheck<T>;
  try {
    result = check();
  } catch (error) {
    if (error instanceof CsvFormatError) refuseIfAny([error.problem]);
    throw error;
  }
  refuseIfAny(result.errors);
  if (result.valid.length === 0) refuseIfAny([{ row: 2, column: null, message: 'the file has a header but no rows' }]);
  return result.valid;
}

function refuseIfAny(errors: readonly RowError[]): void {
  if (errors.length === 0) return;
  const rows = new Set(errors.map((error) => error.row)).size;
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `the import was refused: ${rows} row(s) have errors; nothing was written`, errors });
}

