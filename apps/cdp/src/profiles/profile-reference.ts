import type { CountryCode } from 'libphonenumber-js';
import { IDENTIFIER_TYPES, parseIdentifierKey, type Identifier } from '../identity/identifier.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ProfileReference = { readonly profileId: string } | { readonly identifier: Identifier };

/** `GET /v1/profiles/{ref}`: a profile id, or `type:value` such as `email:jane@example.com`. */
export function parseProfileReference(reference: string, defaultPhoneRegion?: CountryCode): ProfileReference | { readonly error: string } {
  if (UUID.test(reference)) return { profileId: reference.toLowerCase() };
  const identifier = parseIdentifierKey(reference, defaultPhoneRegion);
  return identifier ? { identifier } : { error: `"${reference}" is neither a profile id nor type:value with type one of ${IDENTIFIER_TYPES.join(', ')}` };
}

/** Opaque keyset cursor: the sort key of the last row of the previous page. */
export function encodeCursor(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string | undefined, keys: readonly K[]): Record<K, string> | null | { error: string } {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (keys.every((key) => typeof parsed[key] === 'string')) return parsed as Record<K, string>;
  } catch {
    // fall through to the error below
  }
  return { error: 'cursor is not one this API handed out' };
}
