import type { ContactChangedV1, RawEventV1 } from '@cds/contracts';

/**
 * A CRM contact change as the CDP takes it in: an `identify` from the CRM
 * source, keyed by the contact id (an identifier of type crm_contact_id) with
 * the sales-entered fields as traits. Deletions and merges carry no new facts
 * about the person, so they become no event (the CDP keeps what it learnt).
 */
export function contactChangeAsEvent(change: ContactChangedV1, sourceId: string, receivedAt: Date): RawEventV1 | null {
  if (change.changeType === 'deleted' || change.changeType === 'merged') return null;
  const traits: Record<string, string> = {};
  if (change.email) traits['email'] = change.email;
  if (change.phone) traits['phone'] = change.phone;
  if (change.firstName) traits['firstName'] = change.firstName;
  if (change.lastName) traits['lastName'] = change.lastName;
  if (change.companyName) traits['company'] = change.companyName;
  traits['crmContactId'] = change.contactId;
  return {
    schemaVersion: 1,
    // One event per contact version: a redelivered change is the same event, which the CDP stores once.
    messageId: `crm-${change.contactId}-v${change.version}`,
    sourceId,
    type: 'identify',
    // The contact id is a stable anonymous-style id for the person until the CRM knows a userId.
    anonymousId: `crm-contact:${change.contactId}`,
    traits,
    context: { externalIds: [{ type: 'crm_contact_id', id: change.contactId, collection: 'contacts', encoding: 'none' }] },
    timestamp: change.occurredAt,
    receivedAt: receivedAt.toISOString(),
  } as RawEventV1;
}
