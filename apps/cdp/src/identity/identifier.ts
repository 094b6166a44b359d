import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export const IDENTIFIER_TYPES = ['user_id', 'crm_contact_id', 'email', 'phone', 'device_id', 'anonymous_id'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export interface Identifier {
  readonly type: IdentifierType;
  readonly value: string;
}

export interface IdentifierRule {
  /** Lower is stronger: decides which profile an event belongs to when several match. */
  readonly priority: number;
  /** How many distinct values one profile may hold; a merge that would exceed it is refused. */
  readonly limit: number;
}

/**
 * Defaults in the spirit of Segment Unify: a person has one user id and one CRM
 * contact, a few emails and phones, and many devices and anonymous ids.
 */
export const IDENTIFIER_RULES: Readonly<Record<IdentifierType, IdentifierRule>> = {
  user_id: { priority: 1, limit: 1 },
  crm_contact_id: { priority: 2, limit: 1 },
  email: { priority: 3, limit: 5 },
  phone: { priority: 4, limit: 5 },
  device_id: { priority: 5, limit: 20 },
  anonymous_id: { priority: 6, limit: 200 },
};

export function isIdentifierType(value: string): value is IdentifierType {
  return (IDENTIFIER_TYPES as readonly string[]).includes(value);
}

/**
 * The one spelling of an identifier that lookups use: emails case-folded, phones
 * in E.164. Returns null for a value that cannot be an identifier of that type.
 */
export function normalizeIdentifier(type: IdentifierType, raw: string, defaultPhoneRegion?: CountryCode): Identifier | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 512) return null;
  switch (type) {
    case 'email': {
      const email = trimmed.toLowerCase();
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? { type, value: email } : null;
    }
    case 'phone': {
      const phone = parsePhoneNumberFromString(trimmed, defaultPhoneRegion);
      return phone?.isPossible() ? { type, value: phone.number } : null;
    }
    default:
      return { type, value: trimmed };
  }
}

export function identifierKey(identifier: Identifier): string {
  return `${identifier.type}:${identifier.value}`;
}

/** Parses `type:value` as used in URLs (`email:jane@example.com`). */
export function parseIdentifierKey(key: string, defaultPhoneRegion?: CountryCode): Identifier | null {
  const colon = key.indexOf(':');
  if (colon <= 0) return null;
  const type = key.slice(0, colon);
  return isIdentifierType(type) ? normalizeIdentifier(type, key.slice(colon + 1), defaultPhoneRegion) : null;
}

export function byPriority(a: Identifier, b: Identifier): number {
  return IDENTIFIER_RULES[a.type].priority - IDENTIFIER_RULES[b.type].priority;
}
