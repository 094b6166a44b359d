import type { CountryCode } from 'libphonenumber-js';
import type { RawEventV1 } from '@cds/contracts';
import { normalizeIdentifier, type Identifier, type IdentifierType } from './identifier.js';

type Plain = Record<string, unknown>;

/**
 * Every identifier an event carries, normalised: its ids, the email and phone in
 * its traits, the device id in its context, and external ids (Segment's
 * `context.externalIds`, e.g. a CRM contact id).
 */
export function identifiersOf(event: RawEventV1, defaultPhoneRegion?: CountryCode, previousIdIsUserId = false): Identifier[] {
  const found: Identifier[] = [];
  const add = (type: IdentifierType, raw: unknown): void => {
    if (typeof raw !== 'string' && typeof raw !== 'number') return;
    const identifier = normalizeIdentifier(type, String(raw), defaultPhoneRegion);
    if (identifier) found.push(identifier);
  };
  add('user_id', event.userId);
  add('anonymous_id', event.anonymousId);
  if (event.previousId !== undefined) add(previousIdIsUserId ? 'user_id' : 'anonymous_id', event.previousId);
  const context = (event.context ?? {}) as Plain;
  const traits = { ...asPlain(context['traits']), ...(event.type === 'identify' ? (event.traits ?? {}) : {}) };
  add('email', traits['email']);
  add('phone', traits['phone']);
  add('crm_contact_id', traits['crmContactId']);
  add('device_id', asPlain(context['device'])['id']);
  const externalIds = context['externalIds'];
  if (Array.isArray(externalIds)) {
    for (const external of externalIds.map(asPlain)) {
      if (external['type'] === 'crm_contact_id' || external['type'] === 'email' || external['type'] === 'phone') add(external['type'], external['id']);
    }
  }
  return found;
}

/** Traits an event states about its person: identify traits, or `context.traits` on other calls. */
export function traitsOf(event: RawEventV1): Plain {
  const context = asPlain(event.context);
  return event.type === 'identify' ? { ...asPlain(context['traits']), ...(event.traits ?? {}) } : asPlain(context['traits']);
}

/** Segment consent (`context.consent.categoryPreferences`): purpose → granted. */
export function consentOf(event: RawEventV1): Record<string, boolean> {
  const preferences = asPlain(asPlain(asPlain(event.context)['consent'])['categoryPreferences']);
  return Object.fromEntries(Object.entries(preferences).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'));
}

function asPlain(value: unknown): Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Plain) : {};
}
