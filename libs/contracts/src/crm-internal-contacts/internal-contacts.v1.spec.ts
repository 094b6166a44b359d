import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ContactCreationBatchV1 } from './internal-contacts.v1.js';

const PROFILE_ID = '0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c';

/** The failed constraints per field path, as the services' ValidationPipe (whitelist, forbidNonWhitelisted) sees the body. */
function violations(contact: Record<string, unknown>): string[] {
  const batch = plainToInstance(ContactCreationBatchV1, { contacts: [contact] });
  const flatten = (errors: readonly ValidationError[], prefix: string): string[] =>
    errors.flatMap((error) => [
      ...Object.keys(error.constraints ?? {}).map((constraint) => `${prefix}${error.property}: ${constraint}`),
      ...flatten(error.children ?? [], `${prefix}${error.property}.`),
    ]);
  return flatten(validateSync(batch, { whitelist: true, forbidNonWhitelisted: true }), '');
}

describe('ContactCreationV1', () => {
  it.each([
    ['an email only', { profileId: PROFILE_ID, email: 'jane@example.com' }],
    ['an email and both names', { profileId: PROFILE_ID, email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' }],
    ['a first name only', { profileId: PROFILE_ID, email: 'jane@example.com', firstName: 'Jane' }],
    ['names of 200 characters', { profileId: PROFILE_ID, email: 'jane@example.com', firstName: 'f'.repeat(200), lastName: 'l'.repeat(200) }],
  ])('accepts %s', (_label, contact) => {
    expect(violations(contact)).toEqual([]);
  });

  it.each([
    ['firstName', '', ['contacts.0.firstName: isNotEmpty']],
    ['firstName', 7, ['contacts.0.firstName: isString', 'contacts.0.firstName: maxLength']],
    ['lastName', 'l'.repeat(201), ['contacts.0.lastName: maxLength']],
    ['middleName', 'Q', ['contacts.0.middleName: whitelistValidation']],
  ])('refuses %s %j', (field, value, expected) => {
    expect(violations({ profileId: PROFILE_ID, email: 'jane@example.com', [field]: value }).sort()).toEqual(expected);
  });
});
