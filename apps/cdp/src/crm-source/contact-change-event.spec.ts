import { describe, expect, it } from '@jest/globals';
import { parseContractValue, rawEventV1, type ContactChangedV1 } from '@cds/contracts';
import { identifiersOf, traitsOf } from '../identity/event-identifiers.js';
import { contactChangeAsEvent } from './contact-change-event.js';

const change: ContactChangedV1 = {
  schemaVersion: 1,
  changeId: '5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  changeType: 'created',
  contactId: '0b6f1c1e-2d3a-4b5c-8d6e-7f8a9b0c1d2e',
  version: 3,
  occurredAt: '2026-11-23T10:00:00.000Z',
  email: 'ana@example.com',
  firstName: 'Ana',
  companyName: 'Nordwind',
};
const sourceId = '9b2f7c1e-3d4a-4b5c-8d6e-7f8a9b0c1d2e';

describe('CRM contact changes as CDP events', () => {
  it('turns a created or updated contact into a valid identify carrying the CRM contact id, email and sales-entered traits', () => {
    const event = contactChangeAsEvent(change, sourceId, new Date('2026-11-23T10:00:01.000Z'));
    expect(event).not.toBeNull();
    const valid = parseContractValue(rawEventV1, event);
    expect(identifiersOf(valid)).toEqual(
      expect.arrayContaining([
        { type: 'crm_contact_id', value: change.contactId },
        { type: 'email', value: 'ana@example.com' },
      ]),
    );
    expect(traitsOf(valid)).toMatchObject({ email: 'ana@example.com', firstName: 'Ana', company: 'Nordwind', crmContactId: change.contactId });
    expect(valid.messageId).toBe(`crm-${change.contactId}-v3`);
  });

  it('makes nothing of deletions and merges', () => {
    expect(contactChangeAsEvent({ ...change, changeType: 'deleted' }, sourceId, new Date())).toBeNull();
    expect(contactChangeAsEvent({ ...change, changeType: 'merged', mergedIntoContactId: '1b6f1c1e-2d3a-4b5c-8d6e-7f8a9b0c1d2e' }, sourceId, new Date())).toBeNull();
  });
});
