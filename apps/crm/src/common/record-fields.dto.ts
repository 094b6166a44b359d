import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';

/** Validation shared by the activity, task and ticket DTOs. */

export const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** An instant with its offset: a bare local time would be read in the database's time zone. */
export function Instant(): PropertyDecorator {
  return ValidateBy({
    name: 'instant',
    validator: {
      validate: (value: unknown): boolean => typeof value === 'string' && isISO8601(value, { strict: true }) && /(Z|[+-]\d{2}:?\d{2})$/i.test(value),
      defaultMessage: (args?: ValidationArguments): string => `${args?.property ?? 'value'} must be an ISO 8601 timestamp with a time zone, such as 2026-12-01T09:00:00Z`,
    },
  });
}

/** Links to the contact, company and deal a record is about; null in a PATCH removes a link. */
export class RecordLinksDto {
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string | null;

  @IsOptional()
  @IsUUID('all', { message: 'companyId must be a UUID' })
  companyId?: string | null;

  @IsOptional()
  @IsUUID('all', { message: 'dealId must be a UUID' })
  dealId?: string | null;
}

/** Text fields: trimmed, bounded. */
export function Text(maxLength: number): PropertyDecorator {
  return applyDecorators(IsString(), MaxLength(maxLength), Transform(trimmed));
}
