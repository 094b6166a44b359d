import { Transform } from 'class-transformer';
import { IsFQDN, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { normalizeDomain } from '../company-domain.js';
import { PageQueryDto } from '../../common/pagination.js';

export const COMPANY_SORTS = ['createdAt', '-createdAt', 'name', '-name'] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const asDomain = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? normalizeDomain(value) : value);

class CompanyFieldsDto {
  @IsOptional()
  @Transform(asDomain)
  @MaxLength(253)
  @IsFQDN({}, { message: 'domain must be a domain name such as acme.com' })
  domain?: string;

  @IsOptional()
  @Transform(trimmed)
  @MaxLength(200)
  @IsString()
  industry?: string;

  /** Headcount band as the sales team writes it, e.g. "51-200". */
  @IsOptional()
  @Transform(trimmed)
  @MaxLength(50)
  @IsString()
  size?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;
}

export class CreateCompanyDto extends CompanyFieldsDto {
  @Transform(trimmed)
  @MaxLength(300)
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString()
  name!: string;
}

export class UpdateCompanyDto extends CompanyFieldsDto {
  // Absent leaves the name as it is; null is refused (a company always has a name).
  @ValidateIf((_dto: UpdateCompanyDto, value: unknown) => value !== undefined)
  @Transform(trimmed)
  @MaxLength(300)
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString()
  name?: string;
}

export class ListCompaniesQueryDto extends PageQueryDto {

  /** Full text over name and domain. */
  @IsOptional()
  @MaxLength(200)
  @IsString()
  q?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  industry?: string;

  @IsOptional()
  @IsIn(COMPANY_SORTS)
  sort: CompanySort = 'createdAt';
}
