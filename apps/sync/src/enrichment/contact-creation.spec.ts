import type { EnrichmentUpdateV1 } from '@cds/contracts';
import { addressedTo, contactToCreate } from './contact-creation.js';

const PROFILE = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const CONTACT = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';
const enrichment = { currency: 'EUR', lifetimeValue: 10, orderCount: 1, segments: [], consent: [] };
const byEmail: EnrichmentUpdateV1 = { email: 'ana@example.com', profileId: PROFILE, version: 3, enrichment };

describe('contactToCreate', () => {
  it('creates a contact for a known customer no contact matched, by email', () => {
    expect(contactToCreate(true, byEmail, 'not_found', false, undefined)).toEqual({ profileId: PROFILE, email: 'ana@example.com' });
  });

  it('gives the contact the parts of the name the snapshot carries', () => {
    expect(contactToCreate(true, byEmail, 'not_found', false, { firstName: 'Ana', lastName: 'Lind' })).toEqual({ profileId: PROFILE, email: 'ana@example.com', firstName: 'Ana', lastName: 'Lind' });
    expect(contactToCreate(true, byEmail, 'not_found', false, { lastName: 'Lind' })).toEqual({ profileId: PROFILE, email: 'ana@example.com', lastName: 'Lind' });
    expect(contactToCreate(true, byEmail, 'not_found', false, null)).toEqual({ profileId: PROFILE, email: 'ana@example.com' });
  });

  it('creates nothing in update-only mode, or when the CRM had the contact', () => {
    expect(contactToCreate(false, byEmail, 'not_found', false, undefined)).toBeNull();
    expect(contactToCreate(true, byEmail, 'applied', false, undefined)).toBeNull();
    expect(contactToCreate(true, byEmail, 'stale', false, undefined)).toBeNull();
  });

  it('does not re-create a contact the CRM lost: a stored link or a carried CRM contact id named it', () => {
    const byId: EnrichmentUpdateV1 = { contactId: CONTACT, profileId: PROFILE, version: 3, enrichment };
    expect(contactToCreate(true, byId, 'not_found', false, undefined)).toBeNull();
    expect(contactToCreate(true, byId, 'not_found', true, undefined)).toBeNull();
    expect(contactToCreate(true, byEmail, 'not_found', true, undefined)).toBeNull();
  });

  it('never creates a contact to clear it', () => {
    expect(contactToCreate(true, { ...byEmail, enrichment: null }, 'not_found', false, undefined)).toBeNull();
  });
});

describe('addressedTo', () => {
  it('sends the same version and enrichment to the created contact, by id only', () => {
    expect(addressedTo(byEmail, CONTACT)).toEqual({ contactId: CONTACT, profileId: PROFILE, version: 3, enrichment });
  });
});
