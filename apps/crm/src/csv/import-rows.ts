import { plainToInstance, Transform } from 'class-transformer';
import { IsFQDN, IsOptional, MaxLength, validateSync } from 'class-validator';
import { normalizeDomain } from '../companies/company-domain.js';
import { CreateCompanyDto } from '../companies/dtos/company.dto.js';
import { CreateContactDto } from '../contacts/dtos/contact.dto.js';
import { headerErrors, type ParsedCsv, type RowError } from './csv-format.js';

/** A contact row: the API's own contact fields and rules, plus the domain of the company it belongs to. */
export class ContactImportRow extends CreateContactDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeDomain(value) : value))
  @MaxLength(253)
  @IsFQDN({}, { message: 'companyDomain must be a domain name such as acme.com' })
  companyDomain?: string;
}

export const CONTACT_COLUMNS = ['email', 'firstName', 'lastName', 'phone', 'companyName', 'companyDomain', 'owner', 'lifecycleStage'] as const;
export const COMPANY_COLUMNS = ['name', 'domain', 'industry', 'size', 'owner'] as const;

export interface ValidRow<T> {
  readonly row: number;
  readonly value: T;
}

export interface RowsCheck<T> {
  readonly valid: ValidRow<T>[];
  readonly errors: RowError[];
}

/**
 * Contact rows checked as the API checks a new contact, with an email on every row (the import's identity:
 * emails are lower-cased, and one may appear only once in a file).
 */
export function checkContactRows(csv: ParsedCsv): RowsCheck<ContactImportRow> {
  const checked = checkRows(csv, ContactImportRow, CONTACT_COLUMNS, ['email']);
  const valid = checked.valid.map(({ row, value }) => ({ row, value: Object.assign(value, { email: value.email?.toLowerCase() }) }));
  return withoutRepeats({ valid, errors: checked.errors }, 'email');
}

/** Company rows checked as the API checks a new company; a (normalised) domain may appear only once in a file. */
export function checkCompanyRows(csv: ParsedCsv): RowsCheck<CreateCompanyDto> {
  return withoutRepeats(checkRows(csv, CreateCompanyDto, COMPANY_COLUMNS, ['name']), 'domain');
}

function checkRows<T extends object>(csv: ParsedCsv, type: new () => T, columns: readonly string[], required: readonly (keyof T & string)[]): RowsCheck<T> {
  const errors = headerErrors(csv.header, columns, required);
  if (errors.length > 0) return { valid: [], errors };
  const valid: ValidRow<T>[] = [];
  for (const { row, cells } of csv.rows) {
    const value = plainToInstance(type, { ...cells });
    const missing = required.filter((column) => cells[column] === undefined);
    const problems: RowError[] = [
      ...validateSync(value, { whitelist: true, forbidNonWhitelisted: true })
        .filter((error) => !missing.includes(error.property as keyof T & string))
        .flatMap((error) => Object.values(error.constraints ?? {}).map((message) => ({ row, column: error.property, message }))),
      ...missing.map((column) => ({ row, column, message: `${column} is required` })),
    ];
    if (problems.length > 0) errors.push(...problems);
    else valid.push({ row, value });
  }
  return { valid, errors };
}

/** Rows repeating a key an earlier row already has become errors naming that row. */
function withoutRepeats<T>(check: RowsCheck<T>, key: keyof T & string): RowsCheck<T> {
  const firstRow = new Map<unknown, number>();
  const valid: ValidRow<T>[] = [];
  const errors = [...check.errors];
  for (const entry of check.valid) {
    const value = entry.value[key];
    const earlier = value === undefined || value === null ? undefined : firstRow.get(value);
    if (earlier !== undefined) {
      errors.push({ row: entry.row, column: key, message: `${key} ${String(value)} is already on row ${earlier}` });
      continue;
    }
    if (value !== undefined && value !== null) firstRow.set(value, entry.row);
    valid.push(entry);
  }
  return { valid, errors: errors.sort((a, b) => a.row - b.row) };
}
