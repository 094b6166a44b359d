import { describe, expect, it } from '@jest/globals';
import { changedUserFields, normalizeEmail, normalizeName, normalizeUserFields } from './user-fields.js';

describe('user fields', () => {
  it('normalises emails to one form per address', () => {
    expect(normalizeEmail('  Ana.Lopez@Example.COM ')).toBe('ana.lopez@example.com');
  });

  it('trims names and collapses inner whitespace', () => {
    expect(normalizeName('  Ana \t  López  ')).toBe('Ana López');
  });

  it('normalises only the fields given, leaving absent ones absent', () => {
    expect(normalizeUserFields({ email: 'A@B.io' })).toEqual({ email: 'a@b.io' });
    expect(normalizeUserFields({})).toEqual({});
  });

  it('keeps only the fields an update really changes, after normalisation', () => {
    const current = { email: 'ana@example.com', name: 'Ana López', role: 'sales_rep' as const };
    expect(changedUserFields(current, { email: 'ANA@example.com ', name: 'Ana  López', role: 'sales_rep' })).toEqual({});
    expect(changedUserFields(current, { email: 'ana@example.com', role: 'admin' })).toEqual({ role: 'admin' });
    expect(changedUserFields(current, { name: 'Ana Lopez' })).toEqual({ name: 'Ana Lopez' });
  });
});
