import { Transform, Type } from 'class-transformer';
import { PageQueryDto } from '../../common/pagination.js';
import { IsEmail, IsEmpty, IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;
export const CONTACT_SORTS = ['createdAt', '-createdAt', 'lastName', '-ltv', '-churnRisk'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const READ_ONLY = 'enrichment is read-only: only the CDP writes it, through the sync bridge';

class ContactFieldsDto {
  @IsOptional()
  @Transform(trimmed)
  @MaxLength(200)
  @IsString()
  firstName?: string;

  @IsOptional()
  @Transform(trimmed)
  @MaxLength(200)
  @IsString()
  lastName?: string;

  @IsOptional()
  @Transform(trimmed)
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^\+?[0-9 ()./-]{5,30}$/, { message: 'phone must be a phone number such as +44 20 7946 0958' })
  phone?: string;

  @IsOptional()
  @Transform(trimmed)
  @MaxLength(300)
  @IsString()
  companyName?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;

  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: (typeof LIFECYCLE_STAGES)[number];

  /** Declared only to refuse it with a message that says why. */
  @IsEmpty({ message: READ_ONLY })
  enrichment?: never;
}

export class CreateContactDto extends ContactFieldsDto {}
export class UpdateContactDto extends ContactFieldsDto {}

export class ListContactsQueryDto extends PageQueryDto {
  /** Full text over name, email and company. */
  @IsOptional()
  @MaxLength(200)
  @IsString()
  q?: string;

  @IsOptional()
  @MaxLength(320)
  @IsString()
  email?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;

  /** Current CDP segment (key), e.g. `high-value-customers`. */
  @IsOptional()
  @MaxLength(100)
  @IsString()
  segment?: string;

  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @IsNumber()
  ltvGte?: number;

  @IsOptional()
  @Type(() => Number)
  @Max(1)
  @Min(0)
  @IsNumber()
  churnRiskGte?: number;

  @IsOptional()
  @IsIn(CONTACT_SORTS)
  sort: ContactSort = 'createdAt';
}
