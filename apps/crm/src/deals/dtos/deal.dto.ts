import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { NotNullWhenGiven } from './not-null-when-given.js';
import { PageQueryDto } from '../../common/pagination.js';

export const DEAL_SORTS = ['createdAt', '-createdAt', 'expectedCloseDate', '-expectedCloseDate', 'amount', '-amount'] as const;
export type DealSort = (typeof DEAL_SORTS)[number];

/** ISO 4217 codes the runtime knows. */
const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = (name: string): string => `${name} must be a date such as 2026-03-31`;
const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const upperCased = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toUpperCase() : value);

class DealFieldsDto {
  @NotNullWhenGiven()
  @Max(999_999_999_999.99, { message: 'amount must be below 1,000,000,000,000' })
  @Min(0, { message: 'amount must not be negative' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'amount must be a number with at most 2 decimals' })
  amount?: number;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('expectedCloseDate') })
  @Matches(DATE, { message: DATE_MESSAGE('expectedCloseDate') })
  expectedCloseDate?: string | null;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string | null;

  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a contact id' })
  contactId?: string | null;

  @IsOptional()
  @IsUUID('all', { message: 'companyId must be a company id' })
  companyId?: string | null;
}

export class CreateDealDto extends DealFieldsDto {
  @Transform(trimmed)
  @MaxLength(300)
  @IsNotEmpty()
  @IsString()
  name!: string;

  @Transform(upperCased)
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  /** Defaults to the first pipeline (the seeded "Sales"). */
  @IsOptional()
  @IsUUID('all', { message: 'pipelineId must be a pipeline id' })
  pipelineId?: string;

  /** Defaults to the pipeline's first stage. */
  @IsOptional()
  @IsUUID('all', { message: 'stageId must be a stage id' })
  stageId?: string;
}

/** A deal stays in its pipeline: only its stage moves. */
export class UpdateDealDto extends DealFieldsDto {
  @NotNullWhenGiven()
  @Transform(trimmed)
  @MaxLength(300)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @NotNullWhenGiven()
  @Transform(upperCased)
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @NotNullWhenGiven()
  @IsUUID('all', { message: 'stageId must be a stage id' })
  stageId?: string;
}

export class ListDealsQueryDto extends PageQueryDto {

  @IsOptional()
  @IsUUID('all', { message: 'pipelineId must be a pipeline id' })
  pipelineId?: string;

  @IsOptional()
  @IsUUID('all', { message: 'stageId must be a stage id' })
  stageId?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;

  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a contact id' })
  contactId?: string;

  /** Deals expected to close strictly before this date. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('closingBefore') })
  @Matches(DATE, { message: DATE_MESSAGE('closingBefore') })
  closingBefore?: string;

  /** Deals expected to close strictly after this date. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('closingAfter') })
  @Matches(DATE, { message: DATE_MESSAGE('closingAfter') })
  closingAfter?: string;

  @IsOptional()
  @IsIn(DEAL_SORTS, { message: `sort must be one of ${DEAL_SORTS.join(', ')}` })
  sort: DealSort = 'createdAt';
}
