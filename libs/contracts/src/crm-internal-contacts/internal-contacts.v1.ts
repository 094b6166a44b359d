import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { OptionalNamePart } from '../cdp-profile-insights/profile-insights.v1.js';
import { CRM_BATCH_LIMIT, type CrmBatchResultV1 } from '../crm-enrichment/enrichment-batch.v1.js';

/**
 * A contact the sync bridge asks the CRM to create for a known CDP customer
 * (upsert mode): the email (normalised by the CRM) and, when the CDP knows
 * them, the names from the insights snapshot's optional `name`. The names are
 * set only on a contact this creates; an existing contact keeps the ones its
 * reps gave it.
 */
export class ContactCreationV1 {
  @IsUUID('all', { message: 'profileId must be the CDP profile id (a UUID)' })
  profileId!: string;

  @MaxLength(320)
  @IsEmail()
  email!: string;

  @OptionalNamePart()
  firstName?: string;

  @OptionalNamePart()
  lastName?: string;
}

/** `POST /internal/v1/contacts` on the CRM: create-or-get by normalised email, one result per contact, in order. */
export class ContactCreationBatchV1 {
  @ValidateNested({ each: true })
  @Type(() => ContactCreationV1)
  @ArrayMaxSize(CRM_BATCH_LIMIT)
  @ArrayMinSize(1)
  @IsArray()
  contacts!: ContactCreationV1[];
}

/**
 * `created`: a new contact (source `cdp`); `existing`: a live contact already had this email and is returned
 * unchanged; `suppressed`: the email belongs to a contact erased on request, so none is created (contactId null).
 */
export type ContactCreationOutcome = 'created' | 'existing' | 'suppressed';

export type ContactCreationResultV1 = CrmBatchResultV1<ContactCreationOutcome>;

/** `POST /internal/v1/contacts/erase` on the CRM: erase these contacts for an erasure request (right to be forgotten). */
export class ContactErasureRequestV1 {
  @IsUUID('all', { message: 'requestId must be the erasure request id (a UUID)' })
  requestId!: string;

  @IsUUID('all', { each: true, message: 'each of contactIds must be a contact id (a UUID)' })
  @ArrayMaxSize(CRM_BATCH_LIMIT)
  @ArrayMinSize(1)
  @IsArray()
  contactIds!: string[];
}

/** `erased`: the contact was erased now; `absent`: no such contact (already erased, or never existed): nothing left to erase. */
export type ContactErasureOutcome = 'erased' | 'absent';

export interface ContactErasureResultV1 {
  readonly results: readonly { readonly contactId: string; readonly outcome: ContactErasureOutcome }[];
}
