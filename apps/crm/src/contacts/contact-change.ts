import { randomUUID } from 'node:crypto';
import type { ContactChangedV1, ContactChangeType } from '@cds/contracts';

/** The contact fields a change message carries: sales-entered data, never the enrichment. */
export interface ChangedContact {
  readonly id: string;
  readonly version: number;
  readonly email: string | null;
  readonly phone: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly companyName: string | null;
}

/** The `crm.contact-changes.v1` message for a contact as it stands after the change. */
export function contactChange(contact: ChangedContact, changeType: ContactChangeType, mergedIntoContactId?: string): ContactChangedV1 {
  return {
    schemaVersion: 1,
    changeId: randomUUID(),
    changeType,
    contactId: contact.id,
    version: contact.version,
    occurredAt: new Date().toISOString(),
    ...(contact.email ? { email: contact.email } : {}),
    ...(contact.phone ? { phone: contact.phone } : {}),
    ...(contact.firstName ? { firstName: contact.firstName } : {}),
    ...(contact.lastName ? { lastName: contact.lastName } : {}),
    ...(contact.companyName ? { companyName: contact.companyName } : {}),
    ...(mergedIntoContactId ? { mergedIntoContactId } : {}),
  };
}
