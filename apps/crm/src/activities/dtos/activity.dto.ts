import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Instant, RecordLinksDto, Text } from '../../common/record-fields.dto.js';
import { PageQueryDto } from '../../common/pagination.js';

export const ACTIVITY_KINDS = ['call', 'email', 'meeting', 'note'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const BODY_MAX_LENGTH = 20_000;

class ActivityFieldsDto extends RecordLinksDto {
  @IsOptional()
  @MaxLength(BODY_MAX_LENGTH, { message: `body must be at most ${BODY_MAX_LENGTH} characters` })
  @IsString()
  body?: string;

  @IsOptional()
  @Instant()
  occurredAt?: string;

  /** Only calls and meetings last; the service refuses a duration on an email or note. */
  @IsOptional()
  @Max(24 * 60)
  @Min(0)
  @IsInt()
  durationMinutes?: number | null;

  @IsOptional()
  @Text(200)
  owner?: string;
}

export class CreateActivityDto extends ActivityFieldsDto {
  @IsIn(ACTIVITY_KINDS, { message: `kind must be one of ${ACTIVITY_KINDS.join(', ')}` })
  kind!: ActivityKind;

  @IsNotEmpty({ message: 'subject must not be empty' })
  @Text(300)
  subject!: string;
}

export class UpdateActivityDto extends ActivityFieldsDto {
  @IsOptional()
  @IsIn(ACTIVITY_KINDS, { message: `kind must be one of ${ACTIVITY_KINDS.join(', ')}` })
  kind?: ActivityKind;

  @IsOptional()
  @IsNotEmpty({ message: 'subject must not be empty' })
  @Text(300)
  subject?: string;
}

export class ListActivitiesQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  contactId?: string;

  @IsOptional()
  @IsUUID()
  companyId?: string;

  @IsOptional()
  @IsUUID()
  dealId?: string;

  @IsOptional()
  @IsIn(ACTIVITY_KINDS)
  kind?: ActivityKind;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;
}
