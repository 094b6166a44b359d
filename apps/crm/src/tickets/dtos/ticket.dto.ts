import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Text } from '../../common/record-fields.dto.js';
import { TICKET_STATUSES, type TicketStatus } from '../ticket-status.js';
import { PageQueryDto } from '../../common/pagination.js';

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

class TicketFieldsDto {
  @IsOptional()
  @Text(20_000)
  description?: string | null;

  @IsOptional()
  @IsIn(TICKET_PRIORITIES, { message: `priority must be one of ${TICKET_PRIORITIES.join(', ')}` })
  priority?: TicketPriority;

  @IsOptional()
  @Text(200)
  assignee?: string | null;

  /** null in a PATCH unlinks the contact. */
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string | null;
}

/** A ticket starts as new; its status then moves by PATCH along the allowed transitions. */
export class CreateTicketDto extends TicketFieldsDto {
  @IsNotEmpty({ message: 'subject must not be empty' })
  @Text(300)
  subject!: string;
}

export class UpdateTicketDto extends TicketFieldsDto {
  @IsOptional()
  @IsNotEmpty({ message: 'subject must not be empty' })
  @Text(300)
  subject?: string;

  @IsOptional()
  @IsIn(TICKET_STATUSES, { message: `status must be one of ${TICKET_STATUSES.join(', ')}` })
  status?: TicketStatus;
}

export class ListTicketsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(TICKET_STATUSES, { message: `status must be one of ${TICKET_STATUSES.join(', ')}` })
  status?: TicketStatus;

  @IsOptional()
  @IsIn(TICKET_PRIORITIES, { message: `priority must be one of ${TICKET_PRIORITIES.join(', ')}` })
  priority?: TicketPriority;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  assignee?: string;

  @IsOptional()
  @IsUUID()
  contactId?: string;
}
