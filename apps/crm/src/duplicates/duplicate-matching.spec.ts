import { describe, expect, it } from '@jest/globals';
import { emailKey, fieldsToFill, findDuplicateGroups, phoneKey, type MatchableContact } from './duplicate-matching.js';

const contact = (id: string, fields: Partial<MatchableContact>): MatchableContact => ({
  id,
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  companyId: null,
  companyName: null,
  ...fields,
});

describe('duplicate matching keys', () => {
  it('compares emails without case, surrounding spaces or a +tag', () => {
    expect(emailKey(' Ana@Example.COM ')).toBe('ana@example.com');
    expect(emailKey('ana+news@example.com')).toBe('ana@example.com');
    expect(emailKey('')).toBeNull();
    expect(emailKey(null)).toBeNull();
  });

  it('compares phones by their last ten digits, ignoring short ones', () => {
    expect(phoneKey('+44 20 7946 0958')).toBe('2079460958');
    expect(phoneKey('020-7946-0958')).toBe('2079460958');
    expect(phoneKey('(555) 0100')).toBe('5550100');
    expect(phoneKey('12-34')).toBeNull();
  });
});

describe('findDuplicateGroups', () => {
  it('groups contacts sharing an email, a phone, or a name at the same company, each with its reason', () => {
    const groups = findDuplicateGroups([
      contact('a', { email: 'ana@example.com', firstName: 'Ana', lastName: 'Lima', companyName: 'Acme' }),
      contact('b', { email: 'ANA+crm@example.com' }),
      contact('c', { phone: '+1 (415) 555-0100', firstName: 'ana', lastName: 'LIMA', companyName: ' acme ' }),
      contact('d', { phone: '415.555.0100' }),
      contact('e', { email: 'other@example.com', firstName: 'Ana', lastName: 'Lima', companyName: 'Globex' }),
    ]);
    expect(groups).toEqual([
      { reason: 'email', key: 'ana@example.com', contactIds: ['a', 'b'] },
      { reason: 'phone', key: '4155550100', contactIds: ['c', 'd'] },
      { reason: 'name_and_company', key: 'ana lima @ acme', contactIds: ['a', 'c'] },
    ]);
  });

  it('prefers the company id to its name, and needs both names', () => {
    const groups = findDuplicateGroups([
      contact('a', { firstName: 'Bo', lastName: 'Ek', companyId: 'company-1', companyName: 'Acme' }),
      contact('b', { firstName: 'Bo', lastName: 'Ek', companyId: 'company-2', companyName: 'Acme' }),
      contact('c', { firstName: 'Bo', companyName: 'Initech' }),
      contact('d', { firstName: 'Bo', companyName: 'Initech' }),
    ]);
    expect(groups).toEqual([]);
  });
});

describe('fieldsToFill', () => {
  it('takes the merged contact’s values only where the survivor has none', () => {
    const survivor = { firstName: 'Ana', lastName: null, email: 'ana@example.com', phone: ' ', companyName: null, owner: 'rep' };
    const merged = { firstName: 'Anna', lastName: 'Lima', email: 'ana.lima@example.com', phone: '+1 415 555 0100', companyName: null, owner: 'other' };
    expect(fieldsToFill(survivor, merged)).toEqual({ lastName: 'Lima', phone: '+1 415 555 0100' });
  });
});
