import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Instant, RecordLinksDto, Text } from '../../common/record-fields.dto.js';
import { PageQueryDto } from '../../common/pagination.js';

export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

class TaskFieldsDto extends RecordLinksDto {
  @IsOptional()
  @Text(10_000)
  notes?: string | null;

  /** null in a PATCH clears it. */
  @IsOptional()
  @Instant()
  dueAt?: string | null;

  /** At or before dueAt; changing it re-arms the reminder. */
  @IsOptional()
  @Instant()
  remindAt?: string | null;

  @IsOptional()
  @IsIn(TASK_PRIORITIES, { message: `priority must be one of ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority;
}

export class CreateTaskDto extends TaskFieldsDto {
  @IsNotEmpty({ message: 'title must not be empty' })
  @Text(300)
  title!: string;

  /** Defaults to the name of the calling key. */
  @IsOptional()
  @IsNotEmpty({ message: 'owner must not be empty' })
  @Text(200)
  owner?: string;
}

export class UpdateTaskDto extends TaskFieldsDto {
  @IsOptional()
  @IsNotEmpty({ message: 'title must not be empty' })
  @Text(300)
  title?: string;

  @IsOptional()
  @IsNotEmpty({ message: 'owner must not be empty' })
  @Text(200)
  owner?: string;
}

export class ListTasksQueryDto extends PageQueryDto {
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
  @MaxLength(200)
  @IsString()
  owner?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'completed must be true or false' })
  completed?: 'true' | 'false';
}

export class OverdueTasksQueryDto extends PageQueryDto {
  @IsOptional()
  @MaxLength(200)
  @IsString()
  owner?: string;
}

export class DueTodayQueryDto extends OverdueTasksQueryDto {
  /** The owner's IANA time zone; the service refuses an unknown one. */
  @IsOptional()
  @MaxLength(100)
  @IsString()
  timezone = 'UTC';
}

export class RemindersQueryDto extends PageQueryDto {
  /** Reminders due at or before this instant; now by default. */
  @IsOptional()
  @Instant()
  before?: string;
}
