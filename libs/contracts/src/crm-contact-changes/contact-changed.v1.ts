import { IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateIf } from 'class-validator';
import { RequiredWhen, SchemaDescription } from '../contract-decorators.js';
import { defineContract } from '../message-contract.js';
import { TOPICS } from '../topics/topic-definition.js';

export const CONTACT_CHANGE_TYPES = ['created', 'updated', 'merged', 'deleted'] as const;
export type ContactChangeType = (typeof CONTACT_CHANGE_TYPES)[number];

/** A change to a CRM contact, as the CDP ingests it as the `crm` source. Sales-entered fields only. */
@SchemaDescription('A change to a CRM contact, as the CDP ingests it as the `crm` source. Sales-entered fields only.')
export class ContactChangedV1 {
  @IsIn([1])
  schemaVersion!: 1;

  @IsUUID()
  changeId!: string;

  @IsIn(CONTACT_CHANGE_TYPES)
  changeType!: ContactChangeType;

  @IsUUID()
  contactId!: string;

  @SchemaDescription('Per contact, strictly increasing: consumers drop anything not newer than what they hold.')
  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  firstName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  lastName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  companyName?: string;

  @SchemaDescription('Set exactly when `changeType` is `merged`: the contact this one was merged into.')
  @ValidateIf((change: ContactChangedV1) => change.changeType === 'merged')
  @RequiredWhen({ changeType: 'merged' })
  @IsUUID()
  mergedIntoContactId?: string;
}

export const contactChangedV1 = defineContract({
  name: 'crm.contact-changed',
  schemaVersion: 1,
  topic: TOPICS.crmContactChanges,
  valueClass: ContactChangedV1,
  keyOf: (change) => change.contactId,
  key: { description: 'contactId, so the changes of one contact stay in order', format: 'uuid' },
});
